"""`fairlint history`: parse options, call orchestrator.history.walk, write the report.

Exit 0 when the walk ran (whatever it found), 2 on a usage or tool error (not a repository,
unknown ref, empty range, shallow history without the range, engine missing).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from orchestrator import proc
from orchestrator.config import ScanConfig


class HistoryFailure(click.ClickException):
    exit_code = 2


def findings_csv_path(output: Path) -> Path:
    """Where ``--format csv --output FILE`` writes its second table (one row per finding)."""
    return output.with_name(f"{output.stem}-findings{output.suffix or '.csv'}")


@click.command("history")
@click.argument("path", type=click.Path(path_type=Path), default=".")
@click.option("--rev-range", metavar="A..B", help="Walk these commits (first-parent); one ref: its whole history.")
@click.option("--last", type=click.IntRange(min=1), metavar="N", help="Only the newest N commits.")
@click.option("--since", metavar="DATE", help="Only commits since DATE (ISO, e.g. 2024-01-31).")
@click.option("--every", type=click.IntRange(min=1), default=1, show_default=True,
              help="Every K-th commit, counted back from the newest (which is always walked).")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "csv", "html"]), default="text", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the report here (csv: FILE per commit and FILE-findings.csv per finding).")
@click.option("--state", "state_dir", type=click.Path(file_okay=False, path_type=Path),
              help="State folder (default: <cache>/history/<repository key>); a killed walk resumes from it.")
@click.option("--jobs", "-j", type=click.IntRange(min=0), default=0, help="Parallel analysis jobs (0: cores).")
@click.option("--cache-dir", type=click.Path(file_okay=False, path_type=Path), help="Result cache folder.")
@click.option("--engine", "engines", multiple=True, metavar="NAME[,NAME]",
              help="Engines to run, as for `fairlint scan` (default: semgrep and flow).")
def history_cmd(path, rev_range, last, since, every, fmt, output, state_dir, jobs, cache_dir, engines) -> None:
    """Walk the commits of the git repository at PATH and show how findings came and went."""
    from orchestrator.cli.scan import progress_wanted, split_engines, write_report
    from orchestrator.history import HistoryOptions, Selection, scan_commit, walk
    from orchestrator.history import formats

    config = ScanConfig(jobs=jobs, cache_dir=cache_dir)
    if engines:
        config = ScanConfig(engines=split_engines(engines), jobs=jobs, cache_dir=cache_dir)
    options = HistoryOptions(Selection(rev_range, last, since, every), config, state_dir)
    say = (lambda text: click.echo(f"fairlint history: {text}", err=True)) if progress_wanted() else None
    try:
        outcome = walk(path, options, say)
        head = sources = None
        scanned = [p for p in outcome.timeline.commits if p.status == "scanned"]
        if fmt == "html" and scanned:
            head, sources = scan_commit(path, scanned[-1].commit.oid, options.scan)
    except proc.ToolError as exc:
        raise HistoryFailure(str(exc)) from None
    if outcome.reset:
        click.echo(f"fairlint history: the state in {outcome.state_dir} was made with another configuration; "
                   "started again", err=True)
    report = formats.render(outcome.timeline, fmt, head, sources)
    if isinstance(report, tuple):  # csv: per commit, per finding
        if output is None:
            write_report(report[0] + "\n" + report[1], None)
        else:
            write_report(report[0], output)
            write_report(report[1], findings_csv_path(output))
    else:
        write_report(report, output)
    if output is not None:
        click.echo(f"fairlint history: {len(outcome.timeline.commits)} commit(s), "
                   f"{len(outcome.timeline.findings)} finding(s); report written to {output}", err=True)
    sys.exit(0)
