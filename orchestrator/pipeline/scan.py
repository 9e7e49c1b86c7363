"""``scan(path, config) -> ScanResult``: the stages in order.

discover -> load (one target per unique content) -> engines -> normalise (notebook cells) ->
suppress -> reasoning (repository-level findings) -> dedup -> score.

Each unique file content is scanned once, at a representative path; the other paths with that
content (vendored copies, forks) become occurrences of the same findings. Engines read copies
of the contents in a private workspace under content-hash names, so hostile file names
(newlines, leading dashes, ``<script>``) never reach a command line. Nothing from the scanned
tree is executed or imported.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Iterator, Mapping, Sequence

from orchestrator import __version__, proc, settings
from orchestrator.config import ScanConfig
from orchestrator.engines import Engine, EngineRequest, Target, get_engine
from orchestrator.engines.interface import RESULTS_MISSING
from orchestrator.model import Finding, Location, Match, ScanResult, Skipped, ToolInfo
from orchestrator.pipeline import (
    cache,
    dedup,
    discovery,
    frameworks,
    memo,
    reasoning,
    scoring,
    suppress,
    workspace,
)
from orchestrator.pipeline.discovery import syntax_errors
from orchestrator.pipeline.notebooks import ExtractedNotebook
from orchestrator.rules import pack as rulepack
from orchestrator.rules.taxonomy import PATTERNS


class ScanError(proc.ToolError):
    """The scan cannot run at all (missing path, unknown or missing engine): exit 2."""


# ------------------------------------------------------------------ workspace
@dataclass(frozen=True)
class Content:
    """One unique file content: where the engines read it, and every path that has it."""

    digest: str
    loaded: discovery.Loaded  # the representative (first path in order)
    scan_path: Path
    paths: tuple[str, ...]

    @property
    def rel(self) -> str:
        return self.loaded.file.rel

    @property
    def notebook(self) -> ExtractedNotebook | None:
        return self.loaded.notebook

    def write(self) -> None:
        """Put the content at ``scan_path`` for an engine to read (once)."""
        if not self.scan_path.exists():
            self.scan_path.write_bytes(self.loaded.text.encode("utf-8", "surrogateescape"))


@dataclass(frozen=True)
class Workspace:
    contents: tuple[Content, ...]
    skipped: tuple[Skipped, ...]
    by_rel: dict[str, Content] = field(default_factory=dict)
    #: Engines run side by side: a file is written once, and never read while it is written.
    lock: threading.Lock = field(default_factory=threading.Lock, compare=False, repr=False)

    @property
    def targets(self) -> list[Target]:
        return [Target(c.scan_path, c.rel) for c in self.contents]

    @property
    def copies(self) -> dict[str, tuple[str, ...]]:
        """Representative path -> the other paths with the same content."""
        return {c.rel: c.paths[1:] for c in self.contents if len(c.paths) > 1}

    @property
    def digests(self) -> dict[str, str]:
        """Representative path -> content digest (the result cache's key)."""
        return {c.rel: c.digest for c in self.contents}

    @property
    def files_scanned(self) -> int:
        return sum(len(c.paths) for c in self.contents)

    def write(self, targets: Sequence[Target]) -> None:
        """Write the contents an engine is about to scan: a re-scan whose results are all in the
        cache writes nothing (300 files cost a third of a warm re-scan's time)."""
        with self.lock:
            for target in targets:
                self.by_rel[target.display_path].write()


#: Folder names of vendored code: a copy there is never the representative of its content.
VENDOR_DIRS = frozenset({"vendor", "vendored", "_vendor", "third_party", "third-party", "thirdparty",
                         "external", "extern", "deps"})


def representative_order(rel: str) -> tuple[bool, str]:
    """Paths in vendored folders last, then path order: the first path speaks for a content."""
    return (bool(VENDOR_DIRS & set(rel.lower().split("/")[:-1])), rel)


def unique_contents(loaded: Sequence[discovery.Loaded], work: Path) -> list[Content]:
    """Group files by content; each gets a file name in ``work`` (the text engines scan), written
    when an engine needs it (:meth:`Workspace.write`).

    Each content is scanned once, at its representative path; its other paths become
    occurrences of its findings (see :attr:`Workspace.copies`)."""
    groups: dict[str, list[discovery.Loaded]] = {}
    for item in sorted(loaded, key=lambda x: representative_order(x.file.rel)):
        groups.setdefault(item.digest, []).append(item)
    work.mkdir(parents=True, exist_ok=True)
    out = []
    for digest, items in groups.items():
        scan_path = work / f"{digest}.py"
        out.append(Content(digest, items[0], scan_path, tuple(i.file.rel for i in items)))
    return out


def prepare(found: discovery.Discovery, work: Path, max_file_bytes: int = 0) -> Workspace:
    """Load every discovered file; unreadable ones join the skipped list."""
    loaded, skipped = [], list(found.skipped)
    for f in found.files:
        try:
            item = discovery.load_known(f, max_file_bytes)  # an unchanged file is not read again
        except Exception as exc:  # noqa: BLE001 - one file the loader did not foresee never sinks the run
            item = Skipped(f.rel, "unreadable file", f"{type(exc).__name__}: {' '.join(str(exc).split())[:200]}")
        (loaded if isinstance(item, discovery.Loaded) else skipped).append(item)
    contents = unique_contents(loaded, work)
    return Workspace(tuple(contents), tuple(skipped), {c.rel: c for c in contents})


# ------------------------------------------------------------------ engines
def resolve_engines(names: Sequence[str]) -> list[Engine]:
    engines = []
    for name in dict.fromkeys(n.strip().lower() for n in names if n.strip()):
        try:
            engine = get_engine(name)
        except ValueError as exc:
            raise ScanError(str(exc)) from None
        if not engine.available():
            raise ScanError(f"engine {name!r} is not available: its tool is not installed or not on PATH")
        engines.append(engine)
    if not engines:
        raise ScanError("no engine selected")
    return engines


@dataclass(frozen=True)
class EngineRun:
    matches: tuple[Match, ...]
    skipped: tuple[Skipped, ...]
    errors: tuple[str, ...]
    versions: dict[str, str | None]


def run_engines(engines: Sequence[Engine], request: EngineRequest, digests: Mapping[str, str] | None = None,
                store: cache.ResultCache | None = None,
                materialise: Callable[[Sequence[Target]], None] | None = None) -> EngineRun:
    """Run each engine; with a result ``store``, contents it already holds are not scanned again
    (``digests``: each target's display path -> content digest). ``materialise`` is called
    with the targets an engine is about to read, before it runs."""
    matches: list[Match] = []
    skipped: list[Skipped] = []
    errors: list[str] = []
    versions: dict[str, str | None] = {}

    def one(engine: Engine):
        return cache.run_engine(engine, request, digests or {}, store, materialise)

    # Side by side: Semgrep works in its own processes while the in-process flow engine uses
    # the interpreter, so the flow engine's time hides inside Semgrep's (results stay in order).
    with ThreadPoolExecutor(max_workers=max(1, len(engines))) as pool:
        results = list(pool.map(rulepack.in_this_scan(one), engines))  # with the scan's pack memo
    for engine, result in zip(engines, results):
        matches += result.matches
        skipped += result.skipped
        errors += result.errors
        versions[engine.name] = result.version or engine.version()
    return EngineRun(tuple(matches), tuple(skipped), tuple(errors), versions)


# ------------------------------------------------------------------ flow first
#: Rules whose sites the flow engine decides when it runs: it knows which columns a value
#: holds, where Semgrep's taint only sees names in one function, and Semgrep's matches of
#: these rules on real repositories were mostly preprocessors and fairness APIs. A Semgrep
#: match stays where the flow engine found the same site (one finding, ``found_by`` both).
FLOW_DECIDES = frozenset({"protected-attribute-as-model-input", "proxy-feature-as-model-input",
                          # a benchmark's file name is a dataset where a read uses it (flow reports
                          # the read, with the path's variable followed), not where it is spelled
                          "high-stakes-tabular-benchmark", "gender-binarised"})
NEAR_LINES = 2
#: Rules both engines anchor on the recoding itself: only the same lines confirm (the next line
#: may recode another column, `c_charge_degree`'s F/M, which is no gender).
SAME_SITE = {"gender-binarised": 0}


def prefer_flow(matches: Sequence[Match], engine_names: Sequence[str]) -> list[Match]:
    """Without the flow engine, every match; with it, Semgrep's matches of :data:`FLOW_DECIDES`
    only where the flow engine reports the same rule within :data:`NEAR_LINES` lines."""
    if "flow" not in engine_names:
        return list(matches)
    flow = {(m.rule_id, m.location.path): [] for m in matches if m.engine == "flow"}
    for m in matches:
        if m.engine == "flow":
            flow[(m.rule_id, m.location.path)].append(m.location)

    def confirmed(m: Match) -> bool:
        near = SAME_SITE.get(m.rule_id, NEAR_LINES)
        return any(loc.start_line - near <= m.location.start_line <= loc.end_line + near
                   for loc in flow.get((m.rule_id, m.location.path), ()))

    return [m for m in matches if m.engine != "semgrep" or m.rule_id not in FLOW_DECIDES or confirmed(m)]


# ------------------------------------------------------------------ normalise
def normalise(matches: Sequence[Match], ws: Workspace) -> tuple[list[Match], list[str]]:
    """Map notebook script lines to cells; drop matches outside the targets (with an error)."""
    out, errors = [], []
    for m in matches:
        content = ws.by_rel.get(m.location.path)
        if content is None:
            errors.append(f"{m.engine}: result outside the scanned files ignored ({m.rule_id} at {m.location.path})")
            continue
        if content.notebook is None:
            out.append(m)
            continue
        location = notebook_location(m.location, content.notebook)
        if location is None:
            errors.append(f"{m.engine}: result between notebook cells ignored ({m.rule_id} in {m.location.path})")
            continue
        flow = tuple(loc for loc in (notebook_location(s, content.notebook) for s in m.code_flow) if loc)
        out.append(replace(m, location=location, code_flow=flow))
    return out, errors


def notebook_location(loc: Location, nb: ExtractedNotebook) -> Location | None:
    mapped = nb.map_range(loc.start_line, loc.end_line)
    if mapped is None:
        return None
    cell, start, end = mapped
    end_col = loc.end_col if end == start + (loc.end_line - loc.start_line) else 1
    return replace(loc, start_line=start, end_line=end, end_col=end_col, cell=cell)


# ------------------------------------------------------------------ suppress
def directives(ws: Workspace) -> dict[str, suppress.FileDirectives]:
    out = {}
    for c in ws.contents:
        found = tuple(suppress.parse(c.loaded.text))
        if not found:
            continue
        if c.notebook is None:
            out[c.rel] = suppress.FileDirectives(c.rel, found, lambda line: (None, line), lambda line: line)
        else:
            out[c.rel] = suppress.FileDirectives(c.rel, found, _cell_key(c.notebook), _cell_line(c.notebook))
    return out


def _cell_key(nb: ExtractedNotebook) -> Callable[[int], tuple | None]:
    def key(line: int) -> tuple | None:
        origin = nb.origin(line)
        return (origin.cell_index, origin.line) if origin else None
    return key


def _cell_line(nb: ExtractedNotebook) -> Callable[[int], int]:
    def line_in_cell(line: int) -> int:
        origin = nb.origin(line)
        return origin.line if origin else line
    return line_in_cell


def known_ids(matches: Sequence[Match]) -> set[str]:
    ids = rulepack.rule_ids() | set(PATTERNS) | set(reasoning.REPOSITORY_RULES)
    return ids | {m.rule_id for m in matches}


# ------------------------------------------------------------------ progress
class ProgressSink:
    """Where a scan reports progress: ``sink(text)`` names the stage, ``sink.files(done, total)``
    counts analysed files (an :class:`EngineRequest`'s ``on_progress``). This one shows nothing."""

    def __call__(self, text: str) -> None:
        pass

    def files(self, done: int, total: int) -> None:
        pass


class _RichProgress(ProgressSink):
    """A rich progress bar on stderr: the stage, then files done of total with the elapsed time
    and an ETA while engines analyse."""

    def __init__(self, progress, task) -> None:
        self._progress, self._task = progress, task

    def __call__(self, text: str) -> None:
        self._progress.update(self._task, description=f"fairlint: {text}")

    def files(self, done: int, total: int) -> None:
        self._progress.update(self._task, completed=done, total=max(total, 1))


@contextlib.contextmanager
def progress_display(enabled: bool) -> Iterator[ProgressSink]:
    """A live progress bar on stderr (only when asked: the CLI asks on a terminal)."""
    if not enabled:
        yield ProgressSink()
        return
    from rich.console import Console
    from rich.progress import (BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn,
                               TimeElapsedColumn, TimeRemainingColumn)

    columns = (SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
               TextColumn("files"), TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as progress:
        yield _RichProgress(progress, progress.add_task("fairlint: starting", total=None))


# ------------------------------------------------------------------ the scan
def scan(path: str | os.PathLike, config: ScanConfig | None = None) -> ScanResult:
    """Scan ``path`` (a folder or one file). Raises :class:`ScanError` / ``ToolError`` when the
    scan cannot run; per-file problems go into ``ScanResult.skipped``."""
    with rulepack.fixed():  # one scan reads one rule pack
        return _scan(path, config or ScanConfig())


def _scan(path: str | os.PathLike, config: ScanConfig) -> ScanResult:
    started = time.monotonic()
    engines = resolve_engines(config.engines)
    try:
        found = discovery.discover(Path(path), max_file_bytes=config.max_file_bytes,
                                   exclude=config.exclude, only_paths=config.only_paths)
    except discovery.DiscoveryError as exc:
        raise ScanError(str(exc)) from None
    vocab = config.vocabulary()
    with progress_display(config.progress) as show, \
            workspace.scan_workspace() as work:
        show(f"reading {len(found.files)} files")
        ws = prepare(found, Path(work) / "src", config.max_file_bytes)
        request = EngineRequest(found.root, ws.targets, vocab, jobs=config.jobs,
                                timeout_per_file=config.timeout_per_file,
                                max_file_bytes=config.max_file_bytes,
                                options=dict(config.extra.get("engine_options", {})),
                                on_progress=show.files)
        show(f"analysing {len(ws.contents)} unique files with {', '.join(e.name for e in engines)}")
        store = cache.open_cache(config.cache_dir, config.use_cache)
        with ThreadPoolExecutor(max_workers=1) as pool:
            syntax = pool.submit(syntax_skips, ws, store)
            run = run_engines(engines, request, ws.digests, store, ws.write)
            syntax_skipped = syntax.result()
        show("reasoning over the repository")
        matches, norm_errors = normalise(prefer_flow(run.matches, [e.name for e in engines]), ws)
        findings, suppressions, all_matches = decide(matches, ws, vocab)
        findings = scoring.score_findings(findings, all_matches, found.root,
                                          whole_tree_sources(ws, Path(path), config.only_paths))
        findings = with_frameworks(findings, ws)
    skipped = merge_skipped(ws.skipped, in_cells(run.skipped, ws), syntax_skipped, ws)
    findings, notes = repository_scope(findings, Path(path), found.root, config.only_paths)
    tool = ToolInfo(__version__, rulepack.pack_hash(), run.versions.get("semgrep"),
                    run.versions.get("codeql"), tuple(e.name for e in engines))
    return ScanResult(str(found.root), tuple(findings), skipped, tool, ws.files_scanned,
                      tuple(suppressions), run.errors + tuple(norm_errors) + incomplete_errors(skipped), time.monotonic() - started,
                      notes=notes)


def repository_scope(findings: Sequence[Finding], target: Path, root: Path,
                     only_paths: Sequence[str] | None) -> tuple[list[Finding], tuple[str, ...]]:
    """Repository-level findings (EV01, DP13, ...) are claims about the whole tree: a scan of
    one file or of chosen files leaves them out, and a scan of a folder inside a repository
    says whose tree they describe. Returns the findings kept and the notes that say so."""
    repo = settings.repository_root(root)
    ids = ", ".join(sorted({r.bias_pattern for r in reasoning.REPOSITORY_RULES.values()}))
    if only_paths is not None or not target.is_dir():
        scope = "one file" if only_paths is None else f"{len(only_paths)} chosen file(s)"
        kept = [f for f in findings if not f.repository_level]
        return kept, (f"repository-level findings ({ids}) were left out: only {scope} was scanned; "
                      f"scan {repo or root} for them",)
    if repo is not None and repo != root:
        return list(findings), (f"repository-level findings ({ids}) consider {root} only, not the rest "
                                f"of the repository at {repo}",)
    return list(findings), ()


def whole_tree_sources(ws: Workspace, target: Path, only_paths: Sequence[str] | None) -> dict[str, str] | None:
    """Every scanned path's code (notebooks: their extracted code) when the scan read a whole
    folder, for the severity model's module context; None for one file or chosen files, whose
    callers and importers were not read."""
    if only_paths is not None or not target.is_dir():
        return None
    return {p: c.loaded.text for c in ws.contents for p in c.paths}


def with_frameworks(findings: Sequence[Finding], ws: Workspace) -> list[Finding]:
    """Each finding with the frameworks its file imports (for reports and study tables)."""
    by_path = {p: c for c in ws.contents for p in c.paths}

    def of(path: str) -> tuple[str, ...]:
        content = by_path.get(path)
        if content is None:
            return ()
        return _FRAMEWORKS.get_or(content.digest, lambda: frameworks.detect(content.loaded.text))

    out = []
    for f in findings:
        found = of(f.path)
        out.append(f if f.frameworks == found else f.evolve(frameworks=found))
    return out


#: Content digest -> frameworks it imports (small values: many entries).
_FRAMEWORKS: memo.LRU = memo.LRU(100_000)


def decide(matches: Sequence[Match], ws: Workspace, vocab):
    """suppress -> reasoning -> dedup: findings (unscored), suppressions, and every match kept."""
    evidence = [m for m in matches if m.evidence]
    found = [m for m in matches if not m.evidence]
    files = directives(ws)
    first = suppress.apply(found, dedup.fingerprints(found), files, known_ids(found))
    synthetic = reasoning.repository_findings(evidence + list(first.kept), vocab)
    candidates = found + synthetic
    applied = suppress.apply(candidates, dedup.fingerprints(candidates), files, known_ids(candidates))
    findings = dedup.fold_sources(dedup.dedup(applied.kept, applied.kept_fingerprints, ws.copies))
    return findings, applied.suppressions, evidence + list(applied.kept)


#: Above this many bytes of unknown contents, Python's parser checks them in a child process.
SYNTAX_PROCESS_BYTES = 1_000_000


def syntax_errors_apart(texts: Mapping[str, str], timeout: float = 900) -> dict[str, str | None]:
    """:func:`syntax_errors` in a child Python (``python -m orchestrator.pipeline.discovery``); here
    when no child can be started."""
    with tempfile.TemporaryDirectory(prefix="fairlint-syntax-") as tmp:
        batch = Path(tmp) / "texts.json"
        batch.write_text(json.dumps(dict(texts)), encoding="utf-8")  # ASCII: lone surrogates survive
        try:
            done = proc.run([sys.executable, "-m", "orchestrator.pipeline.discovery", str(batch)], timeout=timeout)
            return json.loads(done.stdout)
        except (proc.ToolError, ValueError):
            return syntax_errors(texts)


def syntax_problems(texts: Mapping[str, str], store: cache.ResultCache | None = None) -> dict[str, str | None]:
    """Each content's first syntax error (digest -> message or None), known ones from ``store``."""
    def check(digests: Sequence[str]) -> dict[str, str | None]:
        todo = {d: texts[d] for d in digests}
        if sum(map(len, todo.values())) < SYNTAX_PROCESS_BYTES:
            return syntax_errors(todo)
        return syntax_errors_apart(todo)

    return cache.memoize(store, cache.syntax_context(), list(texts), check)


def syntax_skips(ws: Workspace, store: cache.ResultCache | None = None) -> list[Skipped]:
    """Files Python cannot parse (they are still analysed as far as the engines can).

    Parsing is slow on big trees (about 1 s for 8 MB): known contents' answers come from the
    result ``store``, and a megabyte or more of unknown ones is parsed in a child process. In a
    thread beside the engines, ``ast.parse`` held the GIL for whole files and delayed the main
    thread's start of Semgrep by about as long as the parse took."""
    problems = syntax_problems({c.digest: c.loaded.text for c in ws.contents}, store)
    out = []
    for c in ws.contents:
        problem = problems[c.digest]
        if problem and c.notebook is not None:
            problem = cell_problem(problem, c.notebook)
        if problem:
            for p in c.paths:
                out.append(Skipped(p, "syntax error (analysed partially)", problem))
    return out


def cell_problem(problem: str, nb: ExtractedNotebook) -> str:
    """"line N: ..." of a notebook's script as "cell I, line L: ..." (what the user sees)."""
    m = re.match(r"line (\d+): ", problem)
    origin = nb.origin(int(m.group(1))) if m else None
    if origin is None:
        return problem
    return f"cell {origin.cell_index}, line {origin.line}: {problem[m.end():]}"


def in_cells(skipped: Sequence[Skipped], ws: Workspace) -> list[Skipped]:
    """Engine problems in notebooks, with "line N" of the script shown as the cell's line."""
    out = []
    for s in skipped:
        content = ws.by_rel.get(s.path)
        nb = content.notebook if content else None
        out.append(replace(s, detail=cell_problem(s.detail, nb)) if nb else s)
    return out


def merge_skipped(*groups: Sequence[Skipped] | Workspace) -> tuple[Skipped, ...]:
    """All skipped entries, engine ones copied to every path of their content, one per (path, reason)."""
    *lists, ws = groups
    seen: dict[tuple[str, str], Skipped] = {}
    for items in lists:
        for s in items:
            content = ws.by_rel.get(s.path)
            for p in content.paths if content else (s.path,):
                seen.setdefault((p, s.reason), replace(s, path=p))
    return tuple(sorted(seen.values(), key=lambda s: (s.path, s.reason)))


#: The first line of the error that marks a scan incomplete (engine failure).
INCOMPLETE = "incomplete scan: the analysis engine failed"


def missing_results(result: ScanResult | Sequence[Skipped]) -> tuple[str, ...]:
    """Files whose results are missing because an engine failed on them (sorted)."""
    skipped = result.skipped if isinstance(result, ScanResult) else result
    return tuple(sorted({s.path for s in skipped if s.reason == RESULTS_MISSING}))


def incomplete_errors(skipped: Sequence[Skipped]) -> tuple[str, ...]:
    """The error that marks a report incomplete, naming every file without results."""
    missing = missing_results(skipped)
    if not missing:
        return ()
    return (f"{INCOMPLETE}; {len(missing)} file(s) have no results: {', '.join(missing)}",)
