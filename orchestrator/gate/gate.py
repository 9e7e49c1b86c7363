"""The CI policy gate: scan, apply the policy and the baseline, decide the exit code.

Exit codes (bandit's convention): 0 nothing at or above the policy's level remains, 1 something
does (or a suppression lacks its reason), 2 usage, policy or tool error (raised, the CLI maps it).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from orchestrator import git, proc
from orchestrator.config import ScanConfig
from orchestrator.engines.interface import RESULTS_MISSING
from orchestrator.escape import printable
from orchestrator.gate.baseline import Baseline, BaselineEntry
from orchestrator.gate.policy import Policy, PolicyError
from orchestrator.model import Finding, ScanResult, Suppression

if TYPE_CHECKING:
    from orchestrator.measure.link import LimitCheck

EXIT_OK, EXIT_FAIL, EXIT_ERROR = 0, 1, 2


@dataclass(frozen=True)
class GateOutcome:
    result: ScanResult  # the scan, findings limited to those the policy counts
    failing: tuple[Finding, ...]
    below_threshold: tuple[Finding, ...]
    absorbed: int  # findings the baseline accepted
    fixed: tuple[BaselineEntry, ...]  # baselined findings that are gone
    suppression_errors: tuple[Suppression, ...]  # fail the gate (e.g. no reason given)
    suppression_warnings: tuple[Suppression, ...]  # reported (unknown id, suppresses nothing)
    policy: Policy
    diff_base: str | None = None
    measure_check: "LimitCheck | None" = None  # the policy's measure: limits (orchestrator.measure.link)

    @property
    def incomplete(self) -> tuple[str, ...]:
        """Files whose results are missing because the analysis engine failed on them."""
        return tuple(sorted({s.path for s in self.result.skipped if s.reason == RESULTS_MISSING}))

    @property
    def exit_code(self) -> int:
        if self.incomplete:
            return EXIT_ERROR  # the engine failed: no verdict without every file's results
        measured = self.measure_check is not None and self.measure_check.violations
        return EXIT_FAIL if self.failing or self.suppression_errors or measured else EXIT_OK


def evaluate(result: ScanResult, policy: Policy, baseline: Baseline | None = None,
             diff_base: str | None = None) -> GateOutcome:
    """Apply ``policy`` (scope, thresholds, overrides) and ``baseline`` to a scan result."""
    in_scope = [f for f in result.findings if policy.counts(f)]
    if baseline is not None:
        comparison = baseline.compare(in_scope)
        candidates, absorbed, fixed = list(comparison.new), comparison.absorbed, comparison.fixed
    else:
        candidates, absorbed, fixed = in_scope, 0, ()
    failing = tuple(f for f in candidates if policy.fails(f))
    below = tuple(f for f in candidates if not policy.fails(f))
    errors = tuple(s for s in result.suppressions if s.problem == "missing reason")
    warnings = tuple(s for s in result.suppressions if s.problem and s.problem != "missing reason")
    return GateOutcome(
        result=replace(result, findings=tuple(candidates)),
        failing=failing, below_threshold=below, absorbed=absorbed, fixed=fixed,
        suppression_errors=errors, suppression_warnings=warnings, policy=policy,
        diff_base=diff_base,
    )


def run_gate(path: Path, *, policy_file: Path | None = None, baseline_file: Path | None = None,
             diff_base: str | None = None, config: ScanConfig | None = None) -> GateOutcome:
    """Scan ``path`` under its policy. Raises PolicyError/BaselineError/ToolError (exit 2)."""
    from orchestrator.pipeline.scan import scan

    root = Path(path)
    if not root.exists():
        raise proc.ToolError(f"path does not exist: {path}")
    policy = Policy.discover(root if root.is_dir() else root.parent, policy_file)
    baseline = Baseline.load(baseline_file) if baseline_file else None
    config = config or ScanConfig()
    config = replace(config, protected_attrs=config.protected_attrs + policy.protected_attrs,
                     proxy_attrs=config.proxy_attrs + policy.proxy_attrs,
                     exclude=config.exclude + policy.exclude)
    if diff_base:
        config = replace(config, only_paths=tuple(changed_files(root, diff_base)))
    result = scan(root, config)
    if diff_base:
        # Repository-level findings need the whole tree; a diff scan reports file-level ones only.
        changed = set(config.only_paths or ())
        result = replace(result, findings=tuple(
            f for f in result.findings if not f.repository_level and f.path in changed))
    outcome = evaluate(result, policy, baseline, diff_base)
    return measure_gate(outcome, config)


# ------------------------------------------------------------------ measured limits
def measure_gate(outcome: GateOutcome, config: ScanConfig | None = None) -> GateOutcome:
    """The policy's ``measure:`` section: measure its outcomes table, attach the figures to the
    result and hold them to the limits (``max-abs-cdd``, ``max-abs-dd``, ``min-di``). Bad measure
    input is a PolicyError (exit 2)."""
    section = outcome.policy.measure
    if not section:
        return outcome
    from orchestrator.measure import link
    from orchestrator.measure.config import MeasureError

    try:
        spec = link.resolve_spec(section, outcome.policy.source)
        if spec is None:
            raise MeasureError("give data: (the outcomes table to measure)")
        result, measured = link.measure_scan(outcome.result, spec, (config or ScanConfig()).vocabulary())
        check = link.check_limits(measured, spec)
    except MeasureError as exc:
        raise PolicyError(f"{outcome.policy.source}: measure: {exc}") from None
    return replace(outcome, result=result, measure_check=check)


def _measure_lines(outcome: GateOutcome) -> list[str]:
    check = outcome.measure_check
    if check is None:
        return []
    lines = [f"FAIL measured {v.text} ({check.source})" for v in check.violations]
    lines += [f"warn measured {s}: too small to judge" for s in check.too_small]
    limits = ", ".join(f"{k} {v:g}" for k, v in check.limits.items()) or "none"
    lines.append(f"measured {check.source}: {check.judged} figure(s) held to the limits ({limits}), "
                 f"{len(check.violations)} beyond them.")
    return lines




def changed_files(root: Path, base: str) -> list[str]:
    """Files changed since ``base`` (committed, staged, unstaged) plus untracked ones,
    relative to ``root``. Deleted files are left out. Runs nothing the repository configures
    (see :mod:`orchestrator.git`); an unknown ``base`` raises GitError with git's reason."""
    cwd = root if root.is_dir() else root.parent
    try:
        return git.changed_since(cwd, base)
    except git.GitError as exc:
        raise git.GitError(f"--diff-base {base}: {exc}") from None


# ------------------------------------------------------------------ text output
def render_text(outcome: GateOutcome) -> str:
    """What a CI log shows: each failing finding (file, line, pattern, why) and the tallies."""
    lines: list[str] = []
    for f in sorted(outcome.failing, key=lambda f: (-f.severity.rank, f.path, f.start_line)):
        where = f"{printable(f.path)}:{f.start_line}"
        if f.cell is not None:
            where += f" (cell {f.cell.index}, line {f.cell.line})"
        lines.append(f"FAIL {where} [{f.bias_pattern} {f.rule_id}] {f.severity.value} "
                     f"score {f.score:.1f}")
        lines.append(f"     {_one_line(printable(f.message))}")
    for s in outcome.suppression_errors:
        lines.append(f"FAIL {printable(s.path)}:{s.line} suppression of {', '.join(s.ids) or '?'} has no reason "
                     "(write `# fairlint: ignore[ID] reason: <why>`)")
    for s in outcome.suppression_warnings:
        lines.append(f"warn {printable(s.path)}:{s.line} suppression {', '.join(s.ids) or '?'}: "
                     f"{printable(s.problem)}")
    for e in outcome.fixed:
        lines.append(f"fixed {printable(e.path)} [{e.bias_pattern} {e.rule_id}] x{e.count}: baselined finding is gone")
    lines += _measure_lines(outcome)
    lines += [f"error {printable(p)}: {RESULTS_MISSING}" for p in outcome.incomplete]
    lines.append(_summary(outcome))
    return "\n".join(lines) + "\n"


def _summary(o: GateOutcome) -> str:
    used = sum(1 for s in o.result.suppressions if s.suppressed)
    verdict = "FAILED" if o.exit_code else "passed"
    if o.incomplete:
        verdict = f"INCOMPLETE (the analysis engine failed; {len(o.incomplete)} file(s) without results)"
    scope = f" (files changed since {o.diff_base})" if o.diff_base else ""
    return (f"fairlint gate {verdict}{scope}: {len(o.failing)} finding(s) at or above the policy "
            f"level, {len(o.below_threshold)} below it, {o.absorbed} absorbed by the baseline, "
            f"{len(o.fixed)} baselined gone, {used} suppression(s) applied, "
            f"{len(o.suppression_errors)} suppression error(s).")


def _one_line(text: str, limit: int = 240) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def render(outcome: GateOutcome, fmt: str) -> str:
    """The gate's report: text is the CI log view; other formats render the counted findings
    (JSON adds a ``gate`` block with the verdict and tallies)."""
    if fmt == "text":
        return render_text(outcome)
    from orchestrator.formats import get_formatter

    text = get_formatter(fmt).render(outcome.result)
    if fmt != "json":
        return text
    data = json.loads(text)
    data["gate"] = {
        "passed": outcome.exit_code == EXIT_OK,
        "exit_code": outcome.exit_code,
        "failing": [f.fingerprint for f in outcome.failing],
        "absorbed_by_baseline": outcome.absorbed,
        "fixed": [e.__dict__ for e in outcome.fixed],
        "suppression_errors": [s.path + ":" + str(s.line) for s in outcome.suppression_errors],
        "policy": outcome.policy.source,
        "diff_base": outcome.diff_base,
        **({"measured": outcome.measure_check.to_dict()} if outcome.measure_check is not None else {}),
    }
    return json.dumps(data, indent=2, sort_keys=True) + "\n"
