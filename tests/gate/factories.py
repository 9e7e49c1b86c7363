"""Small builders for findings and scan results used by the gate tests."""

from __future__ import annotations

from orchestrator.model import Finding, Location, ScanResult, Severity, Suppression, ToolInfo


def finding(rule="missing-rows-dropped", pattern="DP01", path="src/prep.py", line=3,
            severity=Severity.HIGH, confidence="HIGH", fingerprint=None, repo_level=False) -> Finding:
    return Finding(
        rule_id=rule, bias_pattern=pattern, stage="preparation", message="m", path=path,
        start_line=line, end_line=line, snippet="df.dropna()", severity=severity, score=7.0,
        score_factors=(), confidence=confidence,
        fingerprint=fingerprint or f"fp-{rule}-{path}",
        occurrences=(Location(path, line, line),), found_by=(f"semgrep:{rule}",),
        repository_level=repo_level,
    )


def result(*findings: Finding, suppressions: tuple[Suppression, ...] = ()) -> ScanResult:
    return ScanResult(root="/x", findings=tuple(findings), skipped=(),
                      tool=ToolInfo("0", "hash"), suppressions=suppressions)
