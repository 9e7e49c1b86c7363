"""`fairlint scan`: parse options, call :func:`orchestrator.pipeline.scan.scan`, write the report.

Exit 0 when the scan ran (whatever it found), 2 on a usage or tool error (missing path,
semgrep not installed, unknown engine).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from orchestrator import proc, safeio
from orchestrator.config import ScanConfig
from orchestrator.cli.measure import scan_measure_options
from orchestrator.cli.output import at_least, relocated, render_options, severity_choice, stdin_target
from orchestrator.formats import OutputFormat, get_formatter


class ToolFailure(click.ClickException):
    """A scan that could not run: exit 2, like a usage error."""

    exit_code = 2


def progress_wanted(stream=None) -> bool:
    """Live progress only on an interactive terminal, never in CI logs or when piped."""
    stream = stream or sys.stderr
    if os.environ.get("CI") or os.environ.get("TERM") == "dumb":
        return False
    return bool(getattr(stream, "isatty", lambda: False)())


def split_engines(values: tuple[str, ...]) -> tuple[str, ...]:
    """``--engine semgrep,codeql`` and repeated ``--engine`` both work."""
    names = [n.strip().lower() for v in values for n in v.split(",") if n.strip()]
    return tuple(dict.fromkeys(names)) or ScanConfig().engines


def write_report(text: str, output: Path | None) -> None:
    if output is None:
        click.echo(text, nl=False)
        return
    try:
        safeio.atomic_write(output, text)  # a full disk or a kill never leaves half a report
    except safeio.OutputError as exc:
        raise ToolFailure(str(exc)) from None


def exit_if_incomplete(result) -> None:
    """Exit 2 when an engine failed (the report, already written, says which files lack results)."""
    from orchestrator.pipeline.scan import INCOMPLETE, missing_results

    missing = missing_results(result)
    if missing:
        click.echo(f"fairlint: error: {INCOMPLETE}; {len(missing)} file(s) have no results "
                   "(listed in the report)", err=True)
        sys.exit(ToolFailure.exit_code)


@click.command("scan")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--config", "config_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Configuration file (default: .fairlint.yml or pyproject.toml [tool.fairlint] "
                   "at or above PATH).")
@click.option("--isolated", is_flag=True, help="Use no configuration file.")
@click.option("--quiet", "-q", is_flag=True, help="Print the findings only: no summary, notes or progress.")
@click.option("--verbose", "-v", is_flag=True, help="Whole messages, evidence and every place.")
@click.option("--min-severity", type=severity_choice(), help="Report findings at or above this level only.")
@click.option("--show-info", is_flag=True,
              help="List info findings in text, concise and github output too (JSON, SARIF, CSV "
                   "and HTML always hold them).")
@click.option("--stdin-filename", metavar="NAME",
              help="With PATH '-': the file name standard input stands for (default stdin.py).")
@click.option("--format", "fmt", type=click.Choice([f.value for f in OutputFormat]), default="text",
              show_default=True, help="Report format.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the report to FILE instead of standard output.")
@click.option("--jobs", "-j", type=click.IntRange(min=0), default=0, show_default=True,
              help="Parallel analysis jobs (0: one per CPU core).")
@click.option("--protected-attr", "protected", multiple=True, metavar="NAME",
              help="Another protected-attribute name (repeatable), e.g. tribe.")
@click.option("--proxy-attr", "proxy", multiple=True, metavar="NAME",
              help="Another proxy-feature name (repeatable), e.g. school_district.")
@click.option("--engine", "engines", multiple=True, metavar="NAME[,NAME]",
              help="Engines to run: semgrep and flow (default), codeql; comma-separated or repeated.")
@click.option("--exclude", multiple=True, metavar="GLOB",
              help="Leave out paths matching a git-style glob (repeatable).")
@click.option("--timeout", type=click.IntRange(min=0), default=30, show_default=True,
              help="Per-file analysis timeout in seconds (0: none).")
@click.option("--max-file-bytes", type=click.IntRange(min=0), default=2_000_000, show_default=True,
              help="Skip files larger than this (0: no limit).")
@click.option("--cache-dir", type=click.Path(file_okay=False, path_type=Path),
              help="Result cache folder (default: the user cache folder).")
@click.option("--no-cache", is_flag=True, help="Scan every file; neither read nor write the result cache.")
@click.option("--history", "history_state", metavar="DIR|auto",
              help="Show each finding's first-seen commit and age from a `fairlint history` state "
                   "(auto: its default state folder for PATH's repository).")
@scan_measure_options
def scan_cmd(path: Path, fmt: str, output: Path | None, jobs: int, protected: tuple[str, ...],
             proxy: tuple[str, ...], engines: tuple[str, ...], exclude: tuple[str, ...],
             timeout: int, max_file_bytes: int, cache_dir: Path | None, no_cache: bool,
             config_file: Path | None, isolated: bool, quiet: bool, verbose: bool,
             min_severity: str | None, stdin_filename: str | None, history_state: str | None = None,
             show_info: bool = False, **measure_options) -> None:
    """Scan PATH (a folder, a file, or - for standard input) for bias-prone patterns."""
    from orchestrator.gate.policy import Policy
    from orchestrator.pipeline.scan import scan
    from orchestrator.settings import ConfigError

    with stdin_target(path, stdin_filename) as (target, shown):
        try:
            policy = Policy.discover(shown, config_file, isolated)
        except ConfigError as exc:
            raise ToolFailure(str(exc)) from None
        config = policy.scan_config(ScanConfig(
            engines=split_engines(engines), jobs=jobs, protected_attrs=protected, proxy_attrs=proxy,
            exclude=exclude, timeout_per_file=timeout, max_file_bytes=max_file_bytes,
            progress=progress_wanted() and not quiet, cache_dir=cache_dir, use_cache=not no_cache))
        try:
            result = relocated(scan(target, config), target, shown)
        except proc.ToolError as exc:
            raise ToolFailure(str(exc)) from None
    result = at_least(policy.scoped(result), min_severity)
    result = _measured(result, shown, config, measure_options, policy)
    if history_state:
        result = _with_history(result, shown, history_state)
    write_report(get_formatter(fmt, render_options(output, quiet, verbose, show_info)).render(result), output)
    if output is not None and not quiet:
        click.echo(f"fairlint: {len(result.findings)} finding(s) in {result.files_scanned} file(s); "
                   f"report written to {output}", err=True)
    exit_if_incomplete(result)


def _with_history(result, path: Path, state: str):
    """``--history``: each finding's first-seen commit and age (orchestrator.history.ages); a
    missing or unusable state is a usage error (exit 2)."""
    from orchestrator.history.ages import with_ages

    try:
        return with_ages(result, path, state)
    except proc.ToolError as exc:
        raise ToolFailure(str(exc)) from None


def _measured(result, path: Path, config: ScanConfig, options: dict, policy=None):
    """``--measure`` / the configuration's ``measure:`` section, and the suggested measurement
    (orchestrator.measure.link); bad measure input is a usage error (exit 2)."""
    from orchestrator.cli.measure import link_scan
    from orchestrator.gate.policy import PolicyError
    from orchestrator.measure.config import MeasureError

    try:
        return link_scan(result, path, config, options, policy)
    except (MeasureError, PolicyError) as exc:
        raise ToolFailure(str(exc)) from None
