"""The corpus study: fetch, scan every repository, persist per repository, then aggregate.

Data flow: manifest -> :func:`study_repo` per repository (fetch + scan + rows; runs on a local
thread pool or a ``dask.distributed`` cluster) -> one part file per finished repository
(``OUT/parts/<owner>/<repo>.json``, written atomically by the driver) -> :mod:`study_report`
(findings.parquet, repos.csv, prevalence.csv, plots, study.md).

Kill-safety: a part is written only when its repository is finished, by an atomic rename; a
study started again reuses every part whose commit, rule-pack hash and fairlint version still
match, and recomputes the rest. The final tables are rebuilt from the parts, so an interrupted
and resumed study ends with exactly the rows of an uninterrupted one.
"""

from __future__ import annotations

import hashlib
import json
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any, Callable, Iterable

from orchestrator import __version__, proc
from orchestrator.config import ScanConfig
from orchestrator.pipeline import frameworks
from orchestrator.rules import pack as rulepack
from orchestrator.study import corpus, prescan
from orchestrator.study.corpus import FetchResult, Manifest, RepoSpec

EXECUTORS = ("local", "dask")
PART_VERSION = 2
SNIPPET_CHARS = 400
PEOPLE_EVIDENCE_KEPT = 5  # evidence lines kept per repository (the first ones, by path and line)
#: What Python 3 says about Python 2 syntax (the file is analysed partially, and study.md says so).
PYTHON2_MARKERS = ("Missing parentheses in call to 'print'", "Missing parentheses in call to 'exec'",
                   "multiple exception types must be parenthesized",
                   "leading zeros in decimal integer literals are not permitted")
PYTHON2_REASON = "Python 2 syntax (analysed partially)"


@dataclass(frozen=True)
class StudyConfig:
    manifest: Path
    cache: Path
    out: Path
    executor: str = "local"
    scheduler: str | None = None  # dask scheduler address; None = a LocalCluster
    jobs: int = 2  # repositories at once (local threads, or LocalCluster workers)
    size_cap: int = corpus.DEFAULT_SIZE_CAP
    scan: ScanConfig = field(default_factory=lambda: ScanConfig(jobs=1, progress=False))


@dataclass(frozen=True)
class RepoOutcome:
    """One repository's result: status ok, fetch_failed or scan_failed; rows are findings.

    ``skipped`` counts files not analysed at all and ``partial`` files analysed partially (each
    file once, under one reason of ``skip_reasons``); ``absent`` lists the files the pinned tree
    names whose content the host no longer serves. ``people_data`` and ``frameworks`` are the
    values the study uses: the manifest's when it states them, else the detected ones
    (``people_data_source`` says which)."""

    name: str
    commit: str
    status: str
    error: str = ""
    rows: tuple[dict[str, Any], ...] = ()
    files_scanned: int = 0
    scan_errors: tuple[str, ...] = ()
    skipped: int = 0
    detected_frameworks: tuple[str, ...] = ()
    semgrep: str | None = None
    duration_s: float = 0.0
    partial: int = 0
    skip_reasons: tuple[tuple[str, int], ...] = ()
    absent: tuple[str, ...] = ()
    lines_of_code: int = 0
    people_data: bool = False
    people_data_source: str = "manifest"
    people_evidence: tuple[str, ...] = ()
    frameworks: tuple[str, ...] = ()

    @property
    def finished(self) -> bool:
        """Only finished repositories are persisted; failures are retried on the next run."""
        return self.status == "ok"


@dataclass(frozen=True)
class StudyResult:
    outcomes: tuple[RepoOutcome, ...]
    reused: tuple[str, ...]  # repositories taken from earlier parts
    computed: tuple[str, ...]
    files: tuple[Path, ...]


# ---------------------------------------------------------------- per repository (worker side)
def detect_frameworks(root: Path) -> tuple[str, ...]:
    """Frameworks whose import statements appear in the repository's Python files."""
    found: set[str] = set()
    for path in sorted(Path(root).rglob("*.py")):
        if path.is_symlink() or not path.is_file():
            continue
        try:
            text = path.read_text(encoding="utf-8", errors="replace")[:200_000]
        except OSError:
            continue
        found.update(frameworks.detect(text))
        if found.issuperset(frameworks.FRAMEWORK_COLUMNS):
            break
    return tuple(fw for fw in frameworks.FRAMEWORK_COLUMNS if fw in found)


def _content_hash(root: Path, rel: str, memo: dict[str, str]) -> str:
    if rel not in memo:
        path = root / rel
        try:
            memo[rel] = hashlib.sha256(path.read_bytes()).hexdigest() if rel and path.is_file() else ""
        except OSError:
            memo[rel] = ""
    return memo[rel]


def finding_rows(spec: RepoSpec, root: Path, findings: Iterable[Any], *, people_data: bool | None = None,
                 frameworks_used: Iterable[str] | None = None) -> list[dict[str, Any]]:
    """One row per finding occurrence, with the hash of the file it stands in and, in a
    notebook, the cell (``cell_index`` 0-based over all cells, ``cell_line`` 1-based, ``cell_id``)."""
    rows, memo = [], {}
    people = bool(spec.people_data if people_data is None else people_data)
    fws = tuple(spec.frameworks if frameworks_used is None else frameworks_used)
    for f in findings:
        places = list(f.occurrences) or [None]
        for i, loc in enumerate(places):
            path = loc.path if loc is not None else f.path
            start = loc.start_line if loc is not None else f.start_line
            end = loc.end_line if loc is not None else f.end_line
            cell = loc.cell if loc is not None else f.cell
            row = {"repo": spec.name, "commit": spec.commit, "path": path, "rule_id": f.rule_id,
                   "bias_pattern": f.bias_pattern, "stage": f.stage, "start_line": int(start),
                   "end_line": int(end), "severity": f.severity.value, "score": float(f.score),
                   "confidence": f.confidence, "fingerprint": f.fingerprint, "message": f.message,
                   "snippet": (f.snippet or "")[:SNIPPET_CHARS],
                   "content_hash": "" if f.repository_level else _content_hash(root, path, memo),
                   "primary": i == 0, "repository_level": bool(f.repository_level),
                   "cell_index": cell.index if cell is not None else None,
                   "cell_line": cell.line if cell is not None else None,
                   "cell_id": (cell.id or "") if cell is not None else "",
                   "domain": spec.domain or "unspecified", "people_data": people,
                   "frameworks": ",".join(fws)}
            row.update({f"framework_{fw}": fw in fws for fw in frameworks.FRAMEWORK_COLUMNS})
            rows.append(row)
    return rows


def skip_summary(skipped: Iterable[Any]) -> tuple[int, int, tuple[tuple[str, int], ...]]:
    """(files not analysed, files analysed partially, (reason, files) pairs): every file once.

    The scan lists a file once per reason (a Python 2 file is both a syntax error and a Semgrep
    parse error); here each file counts under one reason: Python 2 first, then a file skipped
    outright, then the first partial reason. Skipped folders (``venv/``) are not files."""
    by_path: dict[str, list[Any]] = {}
    for s in skipped:
        if not s.path.endswith("/"):
            by_path.setdefault(s.path, []).append(s)
    reasons: dict[str, int] = {}
    whole = partial = 0
    for path in sorted(by_path):
        entries = by_path[path]
        if any(any(m in (e.detail or "") for m in PYTHON2_MARKERS) for e in entries):
            reason, is_partial = PYTHON2_REASON, True
        else:
            outright = [e for e in entries if "analysed partially" not in e.reason]
            reason = (outright or entries)[0].reason
            is_partial = not outright
        partial += is_partial
        whole += not is_partial
        reasons[reason] = reasons.get(reason, 0) + 1
    return whole, partial, tuple(sorted(reasons.items()))


def lines_of_code(root: Path, config: ScanConfig) -> int:
    """Non-blank, non-comment lines of the files a scan reads (a notebook's code cells only)."""
    from orchestrator.pipeline import discovery

    try:
        found = discovery.discover(Path(root), max_file_bytes=config.max_file_bytes, exclude=config.exclude)
    except discovery.DiscoveryError:
        return 0
    total = 0
    for f in found.files:
        item = discovery.load_safely(f)
        if isinstance(item, discovery.Loaded):
            total += sum(1 for line in item.text.splitlines() if line.strip() and not line.lstrip().startswith("#"))
    return total


def people_evidence(findings: Iterable[Any], config: ScanConfig) -> tuple[str, ...]:
    """Why the scan thinks the repository handles data about people: findings of rules that
    mark people data (face and high-stakes datasets, names, inferred demographics), findings
    naming a protected attribute, and repository-level findings (they need people data)."""
    from orchestrator.pipeline import reasoning

    rules = rulepack.rules_by_id()
    vocab = config.vocabulary()
    out = []
    for f in sorted(findings, key=lambda f: (f.path, f.start_line, f.rule_id)):
        rule = rules.get(f.rule_id)
        if f.repository_level:
            why = "repository-level finding"
        elif rule is not None and rule.metadata.get("people-data") is True:
            why = "people-data rule"
        elif reasoning.protected_terms(f.snippet or "", vocab):
            why = "names " + ", ".join(sorted(set(reasoning.protected_terms(f.snippet or "", vocab))))
        else:
            continue
        out.append(f"{f.rule_id} at {f.path}:{f.start_line} ({why})")
    return tuple(out)


def _default_scan(path: Path, config: ScanConfig):
    import orchestrator

    return orchestrator.scan(path, config)


def study_repo(spec: RepoSpec, cache: Path, size_cap: int, scan_config: ScanConfig,
               scanner: Callable[[Path, ScanConfig], Any] | None = None) -> RepoOutcome:
    """Fetch (when missing) and scan one repository. Never raises for a repository problem:
    whatever fails on one repository makes it ``scan_failed`` in repos.csv, and the study goes on."""
    start = time.monotonic()
    try:
        return _study_repo(spec, cache, size_cap, scan_config, scanner, start)
    except Exception as exc:  # noqa: BLE001 - one bad repository never stops a study
        return RepoOutcome(spec.name, spec.commit, "scan_failed", error=f"{type(exc).__name__}: {exc}",
                           duration_s=time.monotonic() - start)


def _study_repo(spec: RepoSpec, cache: Path, size_cap: int, scan_config: ScanConfig,
                scanner: Callable[[Path, ScanConfig], Any] | None, start: float) -> RepoOutcome:
    fetched: FetchResult = corpus.fetch_repo(spec, Path(cache), size_cap)
    absent = tuple(getattr(fetched, "absent", ()))
    if not fetched.ok:
        return RepoOutcome(spec.name, spec.commit, "fetch_failed", error=fetched.error, absent=absent,
                           duration_s=time.monotonic() - start)
    root = Path(fetched.path)
    detected = detect_frameworks(root)
    fws = tuple(spec.frameworks) or detected
    try:
        result = (scanner or _default_scan)(root, scan_config)
    except Exception as exc:  # a scan failure is data for repos.csv, not a crash of the study
        return RepoOutcome(spec.name, spec.commit, "scan_failed", error=f"{type(exc).__name__}: {exc}",
                           detected_frameworks=detected, absent=absent, frameworks=fws,
                           duration_s=time.monotonic() - start)
    evidence = people_evidence(result.findings, scan_config)
    people, source = (spec.people_data, "manifest") if spec.people_data is not None else (bool(evidence), "detected")
    whole, partial, reasons = skip_summary(result.skipped)
    return RepoOutcome(
        spec.name, spec.commit, "ok",
        rows=tuple(finding_rows(spec, root, result.findings, people_data=people, frameworks_used=fws)),
        files_scanned=result.files_scanned, scan_errors=tuple(result.errors), skipped=whole,
        detected_frameworks=detected, semgrep=result.tool.semgrep, duration_s=time.monotonic() - start,
        partial=partial, skip_reasons=reasons, absent=absent, lines_of_code=lines_of_code(root, scan_config),
        people_data=people, people_data_source=source, people_evidence=evidence[:PEOPLE_EVIDENCE_KEPT],
        frameworks=fws)


# ---------------------------------------------------------------- parts (driver side)
def part_key(spec: RepoSpec, pack: str) -> dict[str, Any]:
    """What a part must match to be reused."""
    return {"part_version": PART_VERSION, "name": spec.name, "url": spec.url, "commit": spec.commit,
            "rule_pack": pack, "fairlint": __version__}


def part_file(out: Path, spec: RepoSpec) -> Path:
    corpus.check_name(spec.name)
    return Path(out) / "parts" / spec.owner / f"{spec.repo}.json"


def write_part(out: Path, spec: RepoSpec, pack: str, outcome: RepoOutcome) -> Path:
    path = part_file(out, spec)
    data = {"key": part_key(spec, pack), "outcome": asdict(outcome)}
    corpus._write_json_atomic(path, data)
    return path


def read_part(out: Path, spec: RepoSpec, pack: str) -> RepoOutcome | None:
    """The persisted outcome of ``spec`` when it is complete and current, else None."""
    try:
        data = json.loads(part_file(out, spec).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if data.get("key") != part_key(spec, pack):
        return None
    return outcome_from_dict(data["outcome"])


def outcome_from_dict(o: dict[str, Any]) -> RepoOutcome:
    """A :class:`RepoOutcome` from its ``asdict`` (JSON turns tuples into lists)."""
    fields = {k: v for k, v in o.items() if k in RepoOutcome.__dataclass_fields__}
    for key in ("rows", "scan_errors", "detected_frameworks", "absent", "people_evidence", "frameworks"):
        fields[key] = tuple(fields.get(key) or ())
    fields["skip_reasons"] = tuple((str(r), int(n)) for r, n in fields.get("skip_reasons") or ())
    return RepoOutcome(**fields)


# ---------------------------------------------------------------- executors
def _run_local(todo: list[RepoSpec], cfg: StudyConfig, persist: Callable[[RepoOutcome], None],
               scanner) -> None:
    if scanner is None:  # checkouts visible here: fetch them all and batch-scan their contents
        try:
            prescan.prime_study(todo, cfg.cache, cfg.size_cap, cfg.scan, cfg.jobs)
        except Exception:  # noqa: BLE001 - priming only saves time: the per-repository scans redo it
            pass
    pool = ThreadPoolExecutor(max_workers=max(1, cfg.jobs))
    try:
        futures = [pool.submit(study_repo, s, cfg.cache, cfg.size_cap, cfg.scan, scanner) for s in todo]
        for fut in as_completed(futures):
            persist(fut.result())
    except BaseException:
        # interrupted: the running scans' children are already killed (proc.tracked_children)
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown(wait=True)


def _run_dask(todo: list[RepoSpec], cfg: StudyConfig, persist: Callable[[RepoOutcome], None],
              scanner) -> None:
    from distributed import Client, LocalCluster

    from orchestrator.study import distributed

    cluster = None
    if cfg.scheduler:
        client = Client(cfg.scheduler)
    else:
        cluster = LocalCluster(n_workers=max(1, cfg.jobs), threads_per_worker=1, processes=True,
                               dashboard_address=None, host="127.0.0.1")
        client = Client(cluster)
    try:
        distributed.run(client, todo, cfg.cache, cfg.size_cap, cfg.scan, persist, scanner)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def run_study(cfg: StudyConfig, *, scanner: Callable[[Path, ScanConfig], Any] | None = None,
              on_done: Callable[[RepoOutcome, bool], None] | None = None) -> StudyResult:
    """Scan every repository of the manifest not already finished, then write the report."""
    from orchestrator.study import report as study_report

    if cfg.executor not in EXECUTORS:
        raise ValueError(f"unknown executor {cfg.executor!r}; expected one of {', '.join(EXECUTORS)}")
    manifest = corpus.load_manifest(cfg.manifest)
    scan = cfg.scan if cfg.scan.cache_dir is None else replace(cfg.scan, cache_dir=Path(cfg.scan.cache_dir).resolve())
    cfg = replace(cfg, cache=Path(cfg.cache).resolve(), out=Path(cfg.out), scan=scan)
    cfg.out.mkdir(parents=True, exist_ok=True)
    pack = rulepack.pack_hash()
    outcomes: dict[str, RepoOutcome] = {}
    reused = []
    for spec in manifest.repos:
        done = read_part(cfg.out, spec, pack)
        if done is not None:
            outcomes[spec.name] = done
            reused.append(spec.name)
            if on_done:
                on_done(done, True)
    todo = [s for s in manifest.repos if s.name not in outcomes]
    specs = manifest.by_name()

    def persist(outcome: RepoOutcome) -> None:
        if outcome.finished:
            write_part(cfg.out, specs[outcome.name], pack, outcome)
        outcomes[outcome.name] = outcome
        if on_done:
            on_done(outcome, False)

    with proc.tracked_children(cfg.cache / "run"):  # no Semgrep outlives the study, even a killed one
        if todo:
            (_run_dask if cfg.executor == "dask" else _run_local)(todo, cfg, persist, scanner)
    ordered = tuple(outcomes[s.name] for s in manifest.repos)
    files = study_report.write_report(cfg.out, manifest, ordered, pack)
    return StudyResult(ordered, tuple(reused), tuple(s.name for s in todo), files)


def load_findings(out: Path):
    """The findings table (pandas DataFrame) of the study written to ``out``."""
    return load_findings_file(Path(out) / "findings.parquet")


def load_findings_file(path: Path):
    import pandas as pd

    return pd.read_parquet(path)
