"""The CI policy gate: scan, apply the policy and the baseline, decide the exit code.

Exit codes (bandit's convention): 0 nothing at or above the policy's level remains, 1 something
does (or a suppression lacks its reason), 2 usage, policy or tool error (raised, the CLI maps it).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING
from typing import Collection, Sequence

from orchestrator import git, proc, settings
from orchestrator.config import ScanConfig
from orchestrator.engines.interface import RESULTS_MISSING
from orchestrator.escape import printable
from orchestrator.gate.baseline import Baseline, BaselineEntry
from orchestrator.gate.policy import Policy, PolicyError
from orchestrator.model import Finding, ScanResult, Severity, Suppression
from orchestrator.rules.repository import REPOSITORY_RULES

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
             diff_base: str | None = None, scanned: Collection[str] | None = None,
             whole_tree: bool = True) -> GateOutcome:
    """Apply ``policy`` (scope, thresholds, overrides) and ``baseline`` to a scan result.

    ``scanned``: when only some files were scanned, the baselined findings reported gone are
    those of these files (the others were not looked at); without the ``whole_tree``,
    repository-level ones were not decided and are not reported gone either."""
    in_scope = [f for f in result.findings if policy.counts(f)]
    if baseline is not None:
        comparison = baseline.compare(in_scope)
        candidates, absorbed, fixed = list(comparison.new), comparison.absorbed, comparison.fixed
        if scanned is not None:
            fixed = tuple(e for e in fixed if e.path in scanned)
        if not whole_tree:
            fixed = tuple(e for e in fixed if e.rule_id not in REPOSITORY_RULES)
    else:
        candidates, absorbed, fixed = in_scope, 0, ()
    failing = tuple(f for f in candidates if policy.fails(f))
    below = tuple(f for f in candidates if not policy.fails(f))
    errors = tuple(s for s in result.suppressions if s.problem == "missing reason")
    warnings = tuple(s for s in result.suppressions if s.problem and s.problem != "missing reason")
    return GateOutcome(
        result=replace(result, findings=tuple(candidates), config=policy.source),
        failing=failing, below_threshold=below, absorbed=absorbed, fixed=fixed,
        suppression_errors=errors, suppression_warnings=warnings, policy=policy,
        diff_base=diff_base,
    )


@dataclass(frozen=True)
class Target:
    """What the gate scans: a ``root`` folder and, when only some files count, those files
    (relative to the root); ``complete`` when they are every file a full scan would read."""

    root: Path
    files: tuple[str, ...] | None = None
    complete: bool = True


def file_target(files: Sequence[Path], exclude: Sequence[str] = ()) -> Target:
    """The gate of named files (pre-commit passes the staged ones): rooted at the repository
    of the current folder (the folder itself outside one), untracked files left out."""
    from orchestrator.pipeline.discovery import discover

    root = settings.repository_root(Path.cwd()) or Path.cwd()
    rels = set()
    for f in files:
        try:
            rels.add(Path(os.path.abspath(f)).relative_to(root).as_posix())
        except ValueError:
            raise proc.ToolError(f"{f} is outside the repository {root}") from None
    everything = {f.rel for f in discover(root, exclude=exclude).files}
    if (root / ".git").exists():
        tracked = set(git.tracked_files(root))
        rels, everything = rels & tracked, everything & tracked
    return Target(root, tuple(sorted(rels)), complete=everything <= rels)


def default_baseline(root: Path) -> Path | None:
    """The repository's baseline (``.fairlint-baseline.json`` at the scanned root), if any."""
    candidate = root / settings.BASELINE_NAME
    return candidate if candidate.is_file() else None


def run_gate(path: Path, *, policy_file: Path | None = None, baseline_file: Path | None = None,
             diff_base: str | None = None, config: ScanConfig | None = None,
             files: Sequence[Path] | None = None, isolated: bool = False,
             auto_baseline: bool = True) -> GateOutcome:
    """Scan ``path`` (or just ``files``, see :func:`file_target`) under its policy and baseline.
    Raises PolicyError/BaselineError/ToolError (exit 2)."""
    from orchestrator.pipeline.scan import scan

    root = Path(path)
    if not root.exists():
        raise proc.ToolError(f"path does not exist: {path}")
    if files:
        root = settings.repository_root(Path.cwd()) or Path.cwd()
    policy = Policy.discover(root, policy_file, isolated)
    target = file_target(files, policy.exclude) if files else Target(root)
    found = None
    if baseline_file is None and auto_baseline and target.root.is_dir():
        baseline_file = found = default_baseline(target.root)
    baseline = Baseline.load(baseline_file, root=target.root if found else None) if baseline_file else None
    config = policy.scan_config(config or ScanConfig())
    if diff_base:
        target = Target(root, tuple(changed_files(root, diff_base)), complete=False)
    if target.files is not None and not target.complete:
        config = replace(config, only_paths=target.files)
    result = scan(target.root, config)
    if target.files is not None:
        # A partial scan reports the findings in its files; repository-level findings need the
        # whole tree (the pipeline leaves them out of partial scans and says so).
        chosen = set(target.files)
        result = replace(result, findings=tuple(
            f for f in result.findings if f.path in chosen or (f.repository_level and target.complete)))
    outcome = evaluate(result, policy, baseline, diff_base,
                       scanned=None if target.files is None else set(target.files),
                       whole_tree=target.complete)
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
def render_text(outcome: GateOutcome, show_info: bool = False) -> str:
    """What a CI log shows: each failing finding (file, line, pattern, why) and the tallies;
    with ``show_info`` also each info finding below the policy level (hidden otherwise)."""
    lines: list[str] = []
    for f in sorted(outcome.failing, key=lambda f: (-f.severity.rank, f.path, f.start_line)):
        where = f"{printable(f.path)}:{f.start_line}"
        if f.cell is not None:
            where += f" (cell {f.cell.index}, line {f.cell.line})"
        lines.append(f"FAIL {where} [{f.bias_pattern} {f.rule_id}] {f.severity.value} "
                     f"score {f.score:.1f}")
        lines.append(f"     {_one_line(printable(f.message))}")
    if show_info:
        for f in sorted(_info_below(outcome), key=lambda f: (f.path, f.start_line)):
            lines.append(f"info {printable(f.path)}:{f.start_line} [{f.bias_pattern} {f.rule_id}] "
                         f"score {f.score:.1f}: {_one_line(printable(f.message), 160)}")
    for s in outcome.suppression_errors:
        lines.append(f"FAIL {printable(s.path)}:{s.line} suppression of {', '.join(s.ids) or '?'} has no reason "
                     "(write `# fairlint: ignore[ID] reason: <why>`)")
    for s in outcome.suppression_warnings:
        lines.append(f"warn {printable(s.path)}:{s.line} suppression {', '.join(s.ids) or '?'}: "
                     f"{printable(s.problem)}")
    for e in outcome.fixed:
        lines.append(f"fixed {printable(e.path)} [{e.bias_pattern} {e.rule_id}] x{e.count}: baselined finding is gone")
    lines += _measure_lines(outcome)
    lines.extend(f"note: {n}" for n in outcome.result.notes)
    lines += [f"error {printable(p)}: {RESULTS_MISSING}" for p in outcome.incomplete]
    lines.append(_summary(outcome, show_info))
    return "\n".join(lines) + "\n"


def _info_below(o: GateOutcome) -> tuple[Finding, ...]:
    return tuple(f for f in o.below_threshold if f.severity is Severity.INFO)


def _summary(o: GateOutcome, show_info: bool = False) -> str:
    used = sum(1 for s in o.result.suppressions if s.suppressed)
    verdict = "FAILED" if o.exit_code else "passed"
    if o.incomplete:
        verdict = f"INCOMPLETE (the analysis engine failed; {len(o.incomplete)} file(s) without results)"
    scope = f" (files changed since {o.diff_base})" if o.diff_base else ""
    return (f"fairlint gate {verdict}{scope}: {len(o.failing)} finding(s) at or above the policy "
            f"level, {len(o.below_threshold)} below it{_hidden(o, show_info)}, {o.absorbed} absorbed by the baseline, "
            f"{len(o.fixed)} baselined gone, {used} suppression(s) applied, "
            f"{len(o.suppression_errors)} suppression error(s).")


def _hidden(o: GateOutcome, show_info: bool) -> str:
    info = len(_info_below(o))
    return "" if show_info or not info else f" ({info} info, not listed: --show-info lists them)"


def _one_line(text: str, limit: int = 240) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def render(outcome: GateOutcome, fmt: str, show_info: bool = False) -> str:
    """The gate's report: text is the CI log view (info findings with ``show_info`` only);
    other formats render the counted findings (JSON adds a ``gate`` block with the verdict and
    tallies)."""
    if fmt == "text":
        return render_text(outcome, show_info)
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
