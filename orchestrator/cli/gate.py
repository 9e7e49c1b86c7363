"""`fairlint gate` and `fairlint baseline`: parse options, call orchestrator.gate.gate, write output."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from orchestrator import proc, safeio
from orchestrator.config import ScanConfig
from orchestrator.gate.baseline import Baseline, BaselineError
from orchestrator.gate.gate import EXIT_ERROR, render, run_gate
from orchestrator.gate.policy import PolicyError

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


@click.command("gate")
@click.argument("path", type=click.Path(file_okay=True, dir_okay=True))
@click.option("--policy", "policy_file", type=click.Path(dir_okay=False), help="Policy file (default: PATH/.fairlint.yml).")
@click.option("--baseline", "baseline_file", type=click.Path(dir_okay=False), help="Fail only on findings not in this baseline.")
@click.option("--diff-base", metavar="GIT_REF", help="Scan only files changed since GIT_REF (and untracked ones).")
@click.option("--format", "fmt", type=click.Choice(GATE_FORMATS), default="text", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="Write the report here (default: stdout).")
@click.option("--jobs", "-j", type=click.IntRange(min=0), default=0, help="Parallel jobs (0 = cores).")
@click.option("--new-since", metavar="GIT_REF", help="Fail only on findings first seen after GIT_REF (not in its tree).")
def gate_cmd(path, policy_file, baseline_file, diff_base, fmt, output, jobs, new_since) -> None:
    """Fail (exit 1) when findings at or above the policy's level remain; 2 on errors."""
    try:
        outcome = run_gate(Path(path), policy_file=Path(policy_file) if policy_file else None,
                           baseline_file=Path(baseline_file) if baseline_file else None,
                           diff_base=diff_base, config=ScanConfig(jobs=jobs))
        if new_since:
            from orchestrator.history.ages import gate_new_since

            outcome = gate_new_since(outcome, Path(path), new_since, ScanConfig(jobs=jobs))
    except (PolicyError, BaselineError, proc.ToolError) as exc:
        _fail(str(exc))
    _write(render(outcome, fmt), output)
    if output and fmt != "text":  # the CI log still names each failing finding
        click.echo(render(outcome, "text"), err=True, nl=False)
    sys.exit(outcome.exit_code)


@click.command("baseline")
@click.argument("path", type=click.Path(exists=True))
@click.option("--output", "-o", type=click.Path(dir_okay=False), required=True, help="Baseline file to write.")
@click.option("--policy", "policy_file", type=click.Path(dir_okay=False), help="Policy file (default: PATH/.fairlint.yml).")
def baseline_cmd(path, output, policy_file) -> None:
    """Record the current findings (fingerprints with counts) as accepted."""
    try:
        outcome = run_gate(Path(path), policy_file=Path(policy_file) if policy_file else None)
    except (PolicyError, proc.ToolError) as exc:
        _fail(str(exc))
    baseline = Baseline.from_findings(outcome.result.findings)
    try:
        baseline.write(Path(output))  # the old baseline stays whole if this fails
    except safeio.OutputError as exc:
        _fail(str(exc))
    total = sum(e.count for e in baseline.entries)
    click.echo(f"wrote {output}: {total} finding(s), {len(baseline.entries)} fingerprint(s)", err=True)
