"""`fairlint gate` and `fairlint baseline`: parse options, call orchestrator.gate.gate, write output."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from orchestrator import proc, safeio
from orchestrator.config import ScanConfig
from orchestrator.gate.baseline import Baseline, BaselineError
from orchestrator.gate.gate import EXIT_ERROR, render, run_gate
from orchestrator.settings import BASELINE_NAME, ConfigError

GATE_FORMATS = ["text", "json", "sarif", "csv", "html"]


def _write(text: str, output: str | None) -> None:
    if output:
        try:
            safeio.atomic_write(output, text)  # never half a report, never through a symlink
        except safeio.OutputError as exc:
            _fail(str(exc))
    else:
        click.echo(text, nl=False)


def _fail(message: str) -> None:
    click.echo(f"fairlint: error: {message}", err=True)
    sys.exit(EXIT_ERROR)


def _target(paths: tuple[str, ...]) -> tuple[Path, tuple[Path, ...] | None]:
    """One folder (or none: the current one) is gated whole; file names (what pre-commit
    passes) are gated as a set, at their repository's root."""
    if not paths:
        return Path("."), None
    if len(paths) == 1 and Path(paths[0]).is_dir():
        return Path(paths[0]), None
    folders = [p for p in paths if Path(p).is_dir()]
    if folders:
        _fail(f"give one folder or any number of files, not both ({folders[0]} is a folder)")
    return Path("."), tuple(Path(p) for p in paths)


@click.command("gate")
@click.argument("paths", nargs=-1, type=click.Path(file_okay=True, dir_okay=True))
@click.option("--policy", "--config", "policy_file", type=click.Path(dir_okay=False),
              help="Configuration file (default: .fairlint.yml or pyproject.toml [tool.fairlint] at or above PATH).")
@click.option("--isolated", is_flag=True, help="Use no configuration file.")
@click.option("--baseline", "baseline_file", type=click.Path(dir_okay=False),
              help=f"Fail only on findings not in this baseline (default: {BASELINE_NAME} at the root, if present).")
@click.option("--no-baseline", is_flag=True, help=f"Ignore {BASELINE_NAME}.")
@click.option("--report-only", is_flag=True, help="Print the report and exit 0 whatever it holds (2 on errors).")
@click.option("--diff-base", metavar="GIT_REF", help="Scan only files changed since GIT_REF (and untracked ones).")
@click.option("--format", "fmt", type=click.Choice(GATE_FORMATS), default="text", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="Write the report here (default: stdout).")
@click.option("--jobs", "-j", type=click.IntRange(min=0), default=0, help="Parallel jobs (0 = cores).")
@click.option("--new-since", metavar="GIT_REF", help="Fail only on findings first seen after GIT_REF (not in its tree).")
@click.option("--show-info", is_flag=True, help="List info findings in the text report too.")
def gate_cmd(paths, policy_file, isolated, baseline_file, no_baseline, report_only, diff_base, fmt, output,
             jobs, new_since, show_info=False) -> None:
    """Fail (exit 1) when findings at or above the policy's level remain in PATH (a folder, the
    current one by default) or in the FILES named (tracked ones: pre-commit's hook); 2 on errors."""
    path, files = _target(paths)
    try:
        outcome = run_gate(path, policy_file=Path(policy_file) if policy_file else None,
                           baseline_file=Path(baseline_file) if baseline_file else None,
                           diff_base=diff_base, config=ScanConfig(jobs=jobs), files=files,
                           isolated=isolated, auto_baseline=not no_baseline)
        if new_since:
            from orchestrator.history.ages import gate_new_since

            outcome = gate_new_since(outcome, path, new_since, ScanConfig(jobs=jobs))
    except (ConfigError, BaselineError, proc.ToolError) as exc:
        _fail(str(exc))
    _write(render(outcome, fmt, show_info), output)
    if output and fmt != "text":  # the CI log still names each failing finding
        click.echo(render(outcome, "text", show_info), err=True, nl=False)
    sys.exit(0 if report_only else outcome.exit_code)


@click.command("baseline")
@click.argument("path", type=click.Path(exists=True), default=".")
@click.option("--output", "-o", type=click.Path(dir_okay=False),
              help=f"Baseline file to write (default: PATH/{BASELINE_NAME}, which the gate reads).")
@click.option("--policy", "--config", "policy_file", type=click.Path(dir_okay=False),
              help="Configuration file (default: .fairlint.yml or pyproject.toml [tool.fairlint] at or above PATH).")
@click.option("--isolated", is_flag=True, help="Use no configuration file.")
def baseline_cmd(path, output, policy_file, isolated) -> None:
    """Record the current findings (fingerprints with counts) as accepted."""
    try:
        outcome = run_gate(Path(path), policy_file=Path(policy_file) if policy_file else None,
                           isolated=isolated, auto_baseline=False)
    except (ConfigError, proc.ToolError) as exc:
        _fail(str(exc))
    output = output or str((Path(path) if Path(path).is_dir() else Path(path).parent) / BASELINE_NAME)
    baseline = Baseline.from_findings(outcome.result.findings)
    try:
        baseline.write(Path(output))  # the old baseline stays whole if this fails
    except safeio.OutputError as exc:
        _fail(str(exc))
    total = sum(e.count for e in baseline.entries)
    click.echo(f"wrote {output}: {total} finding(s), {len(baseline.entries)} fingerprint(s)", err=True)
