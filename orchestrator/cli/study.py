"""`fairlint corpus ...` and `fairlint study ...`: parse options, call corpus/study, report.

``fairlint study --manifest M --cache C --out O`` runs the study; ``fairlint study triage`` and
``fairlint study sample`` work on its findings; ``fairlint corpus init URL...`` writes a starter
manifest. Exit codes: 0 done, 1 some repository failed to fetch or scan (the outputs are still
written, the failures listed), 2 usage or manifest error.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click
import yaml

from orchestrator import proc, safeio
from orchestrator.config import ScanConfig
from orchestrator.study import corpus
from orchestrator.study import run as study
from orchestrator.study import triage as study_triage

EXIT_FAILURES = 1
EXIT_ERROR = 2
EXIT_INTERRUPTED = 130


def _fail(message: str) -> None:
    click.echo(f"fairlint: error: {message}", err=True)
    sys.exit(EXIT_ERROR)


def _write(write) -> None:
    """Run an atomic write (safeio); a failure is a short error and exit 2, the file unchanged."""
    try:
        write()
    except safeio.OutputError as exc:
        _fail(str(exc))


def _progress(total: int, label: str, enabled: bool):
    """A rich progress bar on stderr (a no-op when disabled) and its per-item callback."""
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    bar = Progress(TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                   TextColumn("{task.description}"), console=Console(stderr=True), disable=not enabled)
    task = bar.add_task("", total=total)
    return bar, lambda text: bar.update(task, advance=1, description=text)


_MANIFEST = click.option("--manifest", "manifest", type=click.Path(dir_okay=False), help="Corpus manifest (YAML).")
_CACHE = click.option("--cache", "cache", type=click.Path(file_okay=False),
                      help="Where repositories are checked out.")
_JOBS = click.option("--jobs", "-j", type=click.IntRange(min=1), default=2, show_default=True,
                     help="Repositories processed at once.")
_SIZE = click.option("--size-cap-mb", type=click.IntRange(min=1), default=corpus.DEFAULT_SIZE_CAP // 2**20,
                     show_default=True, help="Skip (and record) repositories larger than this.")
_QUIET = click.option("--no-progress", is_flag=True, help="No progress bar.")


@click.group("corpus")
def corpus_group() -> None:
    """Corpus manifests and fetching."""


@corpus_group.command("init")
@click.argument("urls", nargs=-1, required=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False), default="manifest.yaml", show_default=True,
              help="Where the manifest is written.")
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
def corpus_init(urls: tuple[str, ...], output: str, force: bool) -> None:
    """Write a starter manifest for URLS (any https git host, file:// URLs, local repositories),
    each pinned to its current HEAD commit (git ls-remote). Exit 1 when a URL cannot be resolved."""
    out = Path(output)
    if out.exists() and not force:
        _fail(f"{out} exists (use --force to overwrite it)")
    entries = corpus.starter_entries(urls, Path.cwd())
    text = corpus.starter_manifest(entries)
    if any(not e.error for e in entries):
        corpus.parse_manifest(yaml.safe_load(text), out)  # what was written loads
        _write(lambda: safeio.atomic_write(out, text))
    failed = [e for e in entries if e.error]
    for e in failed:
        click.echo(f"failed: {e.url}: {e.error}", err=True)
    click.echo(f"wrote {len(entries) - len(failed)} repositories to {out}" if len(failed) < len(entries)
               else "no repository could be resolved; nothing written")
    if failed:
        sys.exit(EXIT_FAILURES)


@corpus_group.command("validate")
@click.option("--manifest", "manifest", type=click.Path(dir_okay=False), required=True)
def corpus_validate(manifest: str) -> None:
    """Check a manifest against its schema and safety rules; print its composition."""
    try:
        m = corpus.load_manifest(manifest)
    except corpus.ManifestError as exc:
        _fail(str(exc))
    for key, value in corpus.composition(m).items():
        click.echo(f"{key}: {value}")


@corpus_group.command("fetch")
@_MANIFEST
@_CACHE
@_JOBS
@_SIZE
@_QUIET
def corpus_fetch(manifest: str, cache: str, jobs: int, size_cap_mb: int, no_progress: bool) -> None:
    """Check out every repository of the manifest at its pinned commit (idempotent)."""
    if not manifest or not cache:
        _fail("--manifest and --cache are required")
    try:
        m = corpus.load_manifest(manifest)
    except corpus.ManifestError as exc:
        _fail(str(exc))
    bar, tick = _progress(len(m.repos), "fetch", not no_progress)
    with bar:
        results = corpus.fetch_all(m.repos, Path(cache), jobs=jobs, size_cap=size_cap_mb * 2**20,
                                   on_done=lambda r: tick(f"{r.name}: {r.status}"))
    for r in results:
        if not r.ok:
            click.echo(f"failed: {r.name}: {r.error}", err=True)
    counts = {s: sum(r.status == s for r in results) for s in ("fetched", "cached", "failed")}
    click.echo(", ".join(f"{n} {s}" for s, n in counts.items()) + f" (report: {Path(cache) / 'fetch-report.json'})")
    if counts["failed"]:
        sys.exit(1)  # as `study` does: some repositories are missing, a script must not go on as if not


@click.group("study", invoke_without_command=True)
@_MANIFEST
@_CACHE
@click.option("--out", "out", type=click.Path(file_okay=False), help="Output directory.")
@click.option("--executor", type=click.Choice(study.EXECUTORS), default="local", show_default=True)
@click.option("--scheduler", metavar="ADDR", help="dask scheduler address (default: a LocalCluster).")
@_JOBS
@_SIZE
@_QUIET
@click.pass_context
def study_group(ctx, manifest, cache, out, executor, scheduler, jobs, size_cap_mb, no_progress) -> None:
    """Corpus study: fetch, scan every repository, write tables, plots and study.md.

    Run it as `fairlint study --manifest M --cache C --out O`; it resumes where a killed run stopped.
    """
    if ctx.invoked_subcommand is not None:
        return
    if not (manifest and cache and out):
        _fail("--manifest, --cache and --out are required")
    scan = ScanConfig(jobs=1, progress=False, cache_dir=Path(cache) / "scan-cache")
    cfg = study.StudyConfig(Path(manifest), Path(cache), Path(out), executor, scheduler, jobs, size_cap_mb * 2**20, scan)
    try:
        total = len(corpus.load_manifest(manifest).repos)
        bar, tick = _progress(total, "study", not no_progress)
        with bar:
            result = study.run_study(cfg, on_done=lambda o, reused: tick(
                f"{o.name}: {'reused' if reused else o.status}"))
    except (corpus.ManifestError, proc.ToolError, safeio.OutputError) as exc:
        _fail(str(exc))
    except KeyboardInterrupt:
        click.echo("fairlint: study interrupted; finished repositories are kept, run it again to resume", err=True)
        sys.exit(EXIT_INTERRUPTED)
    failed = [o for o in result.outcomes if o.status != "ok"]
    for o in failed:
        click.echo(f"{o.status}: {o.name}: {o.error}", err=True)
    ok = len(result.outcomes) - len(failed)
    click.echo(f"{ok}/{len(result.outcomes)} repositories scanned ({len(result.reused)} reused); "
               f"wrote {len(result.files)} files to {out}")
    if failed:
        click.echo(f"{len(failed)} repositories failed (listed above and in repos.csv)", err=True)
        sys.exit(EXIT_FAILURES)


@study_group.command("triage")
@click.option("--findings", "findings", type=click.Path(exists=True), required=True,
              help="findings.parquet, or the study's --out directory.")
@click.option("--labels", type=click.Path(exists=True, dir_okay=False), required=True,
              help="CSV (fingerprint,label) or YAML/JSON mapping fingerprint -> true/false.")
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="Write per-rule precision CSV here.")
def study_triage_cmd(findings: str, labels: str, output: str | None) -> None:
    """Per-rule precision (with 95% Wilson intervals) from labelled fingerprints."""
    path = Path(findings)
    df = study.load_findings(path) if path.is_dir() else study.load_findings_file(path)
    try:
        result = study_triage.precision(df, study_triage.load_labels(labels))
    except study_triage.LabelError as exc:
        _fail(str(exc))
    if output:
        _write(lambda: study_triage.write_table(result.precision, output))
    else:
        click.echo(result.precision.to_csv(index=False), nl=False)
    if result.unknown:
        click.echo(f"warning: {len(result.unknown)} labelled fingerprint(s) are not in the findings", err=True)


@study_group.command("sample")
@click.option("--findings", "findings", type=click.Path(exists=True), required=True,
              help="findings.parquet, or the study's --out directory.")
@click.option("--per-rule", type=click.IntRange(min=1), default=20, show_default=True)
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False), required=True, help="Labels template (CSV).")
def study_sample_cmd(findings: str, per_rule: int, seed: int, output: str) -> None:
    """Draw a reproducible per-rule sample of findings as a labels template to fill in."""
    path = Path(findings)
    df = study.load_findings(path) if path.is_dir() else study.load_findings_file(path)
    template = study_triage.sample(df, per_rule, seed)
    _write(lambda: study_triage.write_table(template, output))
    click.echo(f"wrote {len(template)} finding(s) to label to {output}")
