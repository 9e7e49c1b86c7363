"""The Semgrep engine: one ``semgrep scan`` over all targets with the rendered rule pack.

Finding rules and evidence rules run in one config (one parse of the targets); a result of an
evidence rule carries ``Match.evidence`` (its ``metadata.evidence``) and is never reported as
a finding by the pipeline. Targets are passed as absolute paths (a name never starts with a
dash), in batches when the command line would get long. With ``jobs`` above one, the targets
are split into shards of about equal bytes (a multiple of ``jobs`` of them, each at most about
:data:`SHARD_MAX_BYTES`), each scanned by its own ``semgrep -j 1``, ``jobs`` at a time: two such
processes finish 11 % sooner than one ``semgrep -j 2`` on 1,200 PyTorch files
(benchmarks/parallel_ceiling.py), and the size cap bounds the memory of the processes side by
side. ``nosemgrep`` comments are not applied by Semgrep (``--disable-nosem``):
:mod:`orchestrator.pipeline.suppress` applies and records them.
Snippets are read from the targets by byte offsets (open-source Semgrep prints "requires login").
"""

from __future__ import annotations

import importlib.metadata
import json
import os
import sys
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Iterator, Sequence

from orchestrator import proc
from orchestrator.engines.interface import RESULTS_MISSING, Engine, EngineRequest, EngineResult, Target
from orchestrator.model import Location, Match, Skipped
from orchestrator.pipeline import snippets
from orchestrator.rules import pack as rulepack

#: Characters of target paths per semgrep run (Linux allows ~2 MB of arguments; stay far below).
ARGV_BUDGET = 150_000

#: Target bytes per Semgrep process when several run side by side. Each process holds about
#: 0.5 GB plus 13 MB per MB of its targets (the rendered pack, PyTorch sources): two processes
#: on halves of PyTorch's 46 MB peaked at 1.6 GB. Bigger scans are cut into more shards, ``jobs``
#: of them running at a time (a few more start-ups, about 2 s each).
SHARD_MAX_BYTES = 10 * 2**20

#: Exit codes after which the JSON is complete (1: findings with --error, 2/3: some targets failed).
OK_CODES = (0, 1, 2, 3)

_PARSE_ERRORS = ("Syntax error", "PartialParsing", "Lexical error", "Other syntax error",
                 "Parse error")


@dataclass(frozen=True)
class SemgrepOutput:
    """One semgrep run's JSON, and the targets it covered (by the path semgrep prints)."""

    data: dict[str, Any]
    targets: dict[str, Target]


class SemgrepEngine(Engine):
    name = "semgrep"

    def __init__(self, binary: str | None = None) -> None:
        self._binary = binary or proc.which("semgrep")

    def available(self) -> bool:
        return bool(self._binary)

    def version(self) -> str | None:
        return semgrep_version(self._binary) if self._binary else None

    def run(self, request: EngineRequest) -> EngineResult:
        if not self._binary:
            raise proc.ToolError("semgrep is not installed or not on PATH (pip install semgrep)")
        if not request.targets:
            return EngineResult((), version=self.version())
        kinds = ("finding", "evidence") if request.include_evidence else ("finding",)
        matches: list[Match] = []
        skipped: list[Skipped] = []
        errors: list[str] = []
        jobs = request.jobs if request.jobs > 0 else (os.cpu_count() or 1)
        with tempfile.TemporaryDirectory(prefix="fairlint-semgrep-") as work:
            config = rulepack.render_pack(request.vocabulary, kinds=kinds, dest=Path(work))
            if jobs > 1:
                rounds = -(-sum(map(_size, request.targets)) // (jobs * SHARD_MAX_BYTES))  # ceil
                runs = [batch for shard in shards(request.targets, jobs * max(1, rounds)) for batch in batches(shard)]
                per_run, workers = 1, min(jobs, len(runs))
            else:
                runs, per_run, workers = list(batches(request.targets)), 1, 1

            report = progress_counter(request.on_progress, len(request.targets))

            def invoke(numbered: tuple[int, list[Target]]) -> SemgrepOutput:
                number, batch = numbered
                output = self._invoke(request, config, batch, Path(work) / f"out-{number}.json", per_run)
                report(len(batch))
                return output

            with ThreadPoolExecutor(max_workers=workers) as pool:
                outputs = list(pool.map(invoke, enumerate(runs)))  # in run order: a stable result
            for output in outputs:
                m, s, e = parse_output(output)
                matches += m
                skipped += s
                errors += e
        return EngineResult(tuple(matches), tuple(skipped), tuple(errors), self.version())

    def _invoke(self, request: EngineRequest, config: Path, batch: Sequence[Target],
                out_path: Path, jobs: int) -> SemgrepOutput:
        argv = command(self._binary, config, request, [str(t.scan_path) for t in batch], jobs)
        timeout = request.options.get("timeout") or 300 + 2 * len(batch)
        # Run where the targets are: semgrep starts one semgrep-core process per explicit target
        # outside its working directory (seconds per hundred files), none for targets inside it.
        done = proc.run(argv, timeout=timeout, ok_codes=range(-64, 256), stdout_path=str(out_path),
                        cwd=targets_dir(batch))
        try:
            data = json.loads(out_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            data = None
        if done.returncode < 0:  # semgrep itself was killed (the OOM killer): this batch is lost
            data = {"results": [], "errors": [{"level": "error", "type": "killed",
                                               "message": failure_message(done, data)}]}
        elif data is None or done.returncode not in OK_CODES:
            raise proc.ToolError(failure_message(done, data))
        return SemgrepOutput(data, {str(t.scan_path): t for t in batch})


def progress_counter(on_progress: Callable[[int, int], None] | None, total: int) -> Callable[[int], None]:
    """``add(n)``: ``n`` more files done, reported as (done, total) to ``on_progress`` (from the
    shards' threads, one at a time); (0, total) is reported at once."""
    if on_progress is None:
        return lambda n: None
    lock, done = threading.Lock(), [0]
    on_progress(0, total)

    def add(n: int) -> None:
        with lock:
            done[0] += n
            on_progress(done[0], total)

    return add


def failure_message(done: proc.Completed, data: dict[str, Any] | None) -> str:
    """Why a semgrep run failed: its JSON errors (rule problems) or the tail of stderr."""
    reasons = []
    for item in (data or {}).get("errors", []):
        if item.get("level") == "error":
            text = item.get("long_msg") or item.get("message") or item.get("short_msg") or ""
            reasons.append(" ".join(str(text).split())[:300])
    if not reasons:
        reasons = done.stderr.strip().splitlines()[-5:]
    return f"semgrep exited with {done.returncode}: " + (" | ".join(reasons) or "no output")


def command(binary: str, config: Path, request: EngineRequest, paths: Sequence[str],
            jobs: int = 1) -> list[str]:
    """The semgrep command line for one batch (paths are absolute: never read as options).
    ``options["osemgrep"]`` runs Semgrep's OCaml command line (``--experimental``): 0.3 s to
    start instead of 1.9 s, same results on the pack (the Language Server uses it)."""
    experimental = ["--experimental"] if request.options.get("osemgrep") else []
    return [
        binary, "scan", *experimental, "--config", str(config), "--json", "--quiet",
        "--no-rewrite-rule-ids", "--metrics=off", "--disable-version-check", "--disable-nosem",
        "--no-git-ignore", "--timeout", str(request.timeout_per_file),
        # Discovery enforces max_file_bytes on the files; their UTF-8 copies may be larger
        # (a latin-1 file re-encoded), and Semgrep would drop those without an error.
        "--max-target-bytes", str(request.max_file_bytes * 4), "-j", str(jobs),
        *(os.path.abspath(p) for p in paths),
    ]


def targets_dir(batch: Sequence[Target]) -> str:
    """The deepest folder holding every target of ``batch`` (the pipeline's workspace)."""
    return os.path.commonpath([os.path.dirname(os.path.abspath(t.scan_path)) for t in batch])


def shards(targets: Sequence[Target], count: int) -> list[list[Target]]:
    """``targets`` in at most ``count`` groups of about equal bytes (largest file first into the
    lightest group), each in the given order; an unreadable size counts as zero."""
    count = max(1, min(count, len(targets)))
    if count == 1:
        return [list(targets)]
    sizes = {id(t): _size(t) for t in targets}
    loads = [0] * count
    chosen: dict[int, int] = {}
    for target in sorted(targets, key=lambda t: -sizes[id(t)]):
        group = loads.index(min(loads))
        chosen[id(target)] = group
        loads[group] += sizes[id(target)]
    groups: list[list[Target]] = [[] for _ in range(count)]
    for target in targets:
        groups[chosen[id(target)]].append(target)
    return [g for g in groups if g]


def _size(target: Target) -> int:
    try:
        return os.stat(target.scan_path).st_size
    except OSError:
        return 0


def batches(targets: Sequence[Target], budget: int = ARGV_BUDGET) -> Iterator[list[Target]]:
    """Split targets so each run's path arguments stay under ``budget`` characters."""
    batch: list[Target] = []
    size = 0
    for target in targets:
        length = len(os.path.abspath(str(target.scan_path))) + 1
        if batch and size + length > budget:
            yield batch
            batch, size = [], 0
        batch.append(target)
        size += length
    if batch:
        yield batch


def parse_output(output: SemgrepOutput) -> tuple[list[Match], list[Skipped], list[str]]:
    """Matches, per-file problems and run errors from one semgrep JSON document."""
    by_path = {os.path.abspath(p): t for p, t in output.targets.items()}
    contents: dict[str, bytes] = {}
    matches = []
    for result in output.data.get("results", []):
        target = by_path.get(os.path.abspath(result.get("path", "")))
        if target is None:
            continue
        key = str(target.scan_path)
        if key not in contents:
            contents[key] = target.scan_path.read_bytes()
        matches.append(to_match(result, target, contents[key]))
    skipped, errors = _errors(output.data.get("errors", []), by_path)
    fatal = [e for e in output.data.get("errors", []) if not e.get("path") and e.get("level", "error") == "error"]
    if fatal:  # the run failed (semgrep-core killed, crashed): no file of the batch has its results
        kind = fatal[0].get("type")
        kind = kind[0] if isinstance(kind, list) and kind else str(kind or "error")
        detail = f"semgrep {kind}: " + " ".join(str(fatal[0].get("message", "")).split())[:MAX_DETAIL]
        skipped += [Skipped(t.display_path, RESULTS_MISSING, detail) for t in output.targets.values()]
    return matches, skipped, errors


def to_match(result: dict[str, Any], target: Target, content: bytes) -> Match:
    start, end, extra = result["start"], result["end"], result.get("extra", {})
    metadata = dict(extra.get("metadata") or {})
    text = content.decode("utf-8", "replace")
    return Match(
        engine="semgrep",
        rule_id=result["check_id"],
        location=Location(target.display_path, start["line"], end["line"], start.get("col", 1),
                          end.get("col", 1)),
        message=extra.get("message", ""),
        snippet=snippets.lines_snippet(text, start["line"], end["line"]),
        metadata=metadata,
        start_offset=start.get("offset", 0),
        end_offset=end.get("offset", 0),
        evidence=metadata.get("evidence") or None,
    )


def _errors(items: Sequence[dict[str, Any]], by_path: dict[str, Target]) -> tuple[list[Skipped], list[str]]:
    skipped: dict[str, Skipped] = {}
    errors: list[str] = []
    for item in items:
        kind = item.get("type")
        kind = kind[0] if isinstance(kind, list) and kind else str(kind or "error")
        target = by_path.get(os.path.abspath(item["path"])) if item.get("path") else None
        message = " ".join(str(item.get("message", "")).split())
        if target is None:
            errors.append(f"semgrep {kind}: {message}")
            continue
        if target.display_path in skipped:
            continue
        message = error_detail(item, message, target.display_path)
        if kind in _PARSE_ERRORS:
            reason = "semgrep could not parse part of the file (analysed partially)"
        elif "Timeout" in kind:
            reason = "semgrep timed out on the file (analysed partially)"
        else:
            reason = f"semgrep {kind}"
        skipped[target.display_path] = Skipped(target.display_path, reason, message)
    return list(skipped.values()), errors


#: Longest error detail kept (Semgrep quotes whole unparsed regions).
MAX_DETAIL = 200


def error_detail(item: dict[str, Any], message: str, display_path: str) -> str:
    """``line N: <what semgrep says>``, short, without the scanned file's (workspace) path."""
    spans = item.get("spans") or []
    line = spans[0].get("start", {}).get("line") if spans and isinstance(spans[0], dict) else None
    text = message.split(":", 2)[-1].strip() if line and message.startswith(("Syntax error", "Lexical error")) \
        else message
    if item.get("path"):
        text = text.replace(str(item["path"]), display_path)
    if len(text) > MAX_DETAIL:
        text = text[:MAX_DETAIL - 3] + "..."
    return f"line {line}: {text}" if line else text


@lru_cache(maxsize=4)
def semgrep_version(binary: str) -> str | None:
    known = installed_version(binary)
    if known:
        return known
    try:
        done = proc.run([binary, "--version", "--disable-version-check"], timeout=60)
    except proc.ToolError:
        return None
    lines = done.stdout.strip().splitlines()
    return lines[-1].strip() if lines else None


def installed_version(binary: str) -> str | None:
    """Semgrep's version without starting it (``semgrep --version`` costs over a second): when
    the ``semgrep`` script runs under this very environment's interpreter, it is the installed
    distribution's version. None when that cannot be told (another environment, a binary)."""
    try:
        with open(binary, "rb") as fh:
            first = fh.readline(512)
    except OSError:
        return None
    if not first.startswith(b"#!"):
        return None
    words = first[2:].decode("utf-8", "replace").split()
    if not words or not os.path.isabs(words[0]):
        return None
    interpreter = Path(words[0])
    if interpreter.parent.parent != Path(sys.prefix) or not interpreter.name.startswith("python"):
        return None
    try:
        return importlib.metadata.version("semgrep")
    except importlib.metadata.PackageNotFoundError:
        return None
