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

from orchestrator import __version__
from orchestrator.config import ScanConfig
from orchestrator.pipeline import frameworks
from orchestrator.rules import pack as rulepack
from orchestrator.study import corpus, prescan
from orchestrator.study.corpus import FetchResult, Manifest, RepoSpec

EXECUTORS = ("local", "dask")
PART_VERSION = 1
SNIPPET_CHARS = 400


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
    """One repository's result: status ok, fetch_failed or scan_failed; rows are findings."""

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


def finding_rows(spec: RepoSpec, root: Path, findings: Iterable[Any]) -> list[dict[str, Any]]:
    """One row per finding occurrence, with the hash of the file it stands in."""
    rows, memo = [], {}
    for f in findings:
        places = list(f.occurrences) or [None]
        for i, loc in enumerate(places):
            path = loc.path if loc is not None else f.path
            start = loc.start_line if loc is not None else f.start_line
            end = loc.end_line if loc is not None else f.end_line
            row = {"repo": spec.name, "commit": spec.commit, "path": path, "rule_id": f.rule_id,
                   "bias_pattern": f.bias_pattern, "stage": f.stage, "start_line": int(start),
                   "end_line": int(end), "severity": f.severity.value, "score": float(f.score),
                   "confidence": f.confidence, "fingerprint": f.fingerprint, "message": f.message,
                   "snippet": (f.snippet or "")[:SNIPPET_CHARS],
                   "content_hash": "" if f.repository_level else _content_hash(root, path, memo),
                   "primary": i == 0, "repository_level": bool(f.repository_level),
                   "domain": spec.domain, "people_data": bool(spec.people_data),
                   "frameworks": ",".join(spec.frameworks)}
            row.update({f"framework_{fw}": fw in spec.frameworks for fw in frameworks.FRAMEWORK_COLUMNS})
            rows.append(row)
    return rows


def _default_scan(path: Path, config: ScanConfig):
    import orchestrator

    return orchestrator.scan(path, config)


def study_repo(spec: RepoSpec, cache: Path, size_cap: int, scan_config: ScanConfig,
               scanner: Callable[[Path, ScanConfig], Any] | None = None) -> RepoOutcome:
    """Fetch (when missing) and scan one repository. Never raises for a repository problem."""
    start = time.monotonic()
    fetched: FetchResult = corpus.fetch_repo(spec, Path(cache), size_cap)
    if not fetched.ok:
        return RepoOutcome(spec.name, spec.commit, "fetch_failed", error=fetched.error,
                           duration_s=time.monotonic() - start)
    root = Path(fetched.path)
    try:
        result = (scanner or _default_scan)(root, scan_config)
    except Exception as exc:  # a scan failure is data for repos.csv, not a crash of the study
        return RepoOutcome(spec.name, spec.commit, "scan_failed", error=f"{type(exc).__name__}: {exc}",
                           detected_frameworks=detect_frameworks(root), duration_s=time.monotonic() - start)
    return RepoOutcome(
        spec.name, spec.commit, "ok", rows=tuple(finding_rows(spec, root, result.findings)),
        files_scanned=result.files_scanned, scan_errors=tuple(result.errors),
        skipped=len(result.skipped), detected_frameworks=detect_frameworks(root),
        semgrep=result.tool.semgrep, duration_s=time.monotonic() - start)


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
    o = data["outcome"]
    return RepoOutcome(o["name"], o["commit"], o["status"], o["error"], tuple(o["rows"]), o["files_scanned"],
                       tuple(o["scan_errors"]), o["skipped"], tuple(o["detected_frameworks"]),
                       o["semgrep"], o["duration_s"])


# ---------------------------------------------------------------- executors
def _run_local(todo: list[RepoSpec], cfg: StudyConfig, persist: Callable[[RepoOutcome], None],
               scanner) -> None:
    with ThreadPoolExecutor(max_workers=max(1, cfg.jobs)) as pool:
        futures = [pool.submit(study_repo, s, cfg.cache, cfg.size_cap, cfg.scan, scanner) for s in todo]
        for fut in as_completed(futures):
            persist(fut.result())


def _run_dask(todo: list[RepoSpec], cfg: StudyConfig, persist: Callable[[RepoOutcome], None],
              scanner) -> None:
    from distributed import Client, LocalCluster
    from distributed import as_completed as dask_completed

    cluster = None
    if cfg.scheduler:
        client = Client(cfg.scheduler)
    else:
        cluster = LocalCluster(n_workers=max(1, cfg.jobs), threads_per_worker=1, processes=True,
                               dashboard_address=None)
        client = Client(cluster)
    try:
        futures = [client.submit(study_repo, s, str(Path(cfg.cache).resolve()), cfg.size_cap, cfg.scan, scanner,
                                 key=f"fairlint-study-{s.name}-{s.commit}", pure=False) for s in todo]
        for fut in dask_completed(futures):
            persist(fut.result())
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

    if todo and scanner is None and cfg.scheduler is None:  # checkouts visible here: batch-scan them
        prescan.prime_study(todo, cfg.cache, cfg.size_cap, cfg.scan, cfg.jobs)
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
