"""Scan results and study data for the HTML report tests, built directly (no scan pipeline).

Includes a notebook finding, vendored occurrences, score factors, a data flow, and hostile
file names, snippets and messages that must stay inert text in the page.
"""

from __future__ import annotations

import json
from pathlib import Path

from orchestrator.formats.html import StudyData
from orchestrator.model import (CellRef, Finding, Location, ScanResult, ScoreFactor, Severity, Skipped,
                                Suppression, ToolInfo)

HOSTILE_NAME = 'evil/"><img src=x onerror=alert(1)>/<script>alert(2)</script>.py'
HOSTILE_SNIPPET = '"><img src=x onerror=alert(3)> <script>alert(4)</script>'
HOSTILE_MESSAGE = "</script><script>alert(5)</script> & <!-- \u2028 done"

PREP_SOURCE = """import pandas as pd

df = pd.read_csv("adult.csv")
df = df[df.age > 17]
df = df.dropna()
X = df.drop(columns=["income"])
y = df["income"]
"""

NOTEBOOK = {
    "cells": [
        {"cell_type": "markdown", "source": ["# Analysis\n"], "metadata": {}},
        {"cell_type": "code", "id": "c0ffee", "source": ["import torch\n", "from torch.nn.utils import prune\n",
                                                        "prune.l1_unstructured(model.fc, 'weight', amount=0.5)\n"],
         "metadata": {}, "outputs": [], "execution_count": 1},
    ],
    "metadata": {}, "nbformat": 4, "nbformat_minor": 5,
}


def write_tree(root: Path) -> Path:
    """Files the findings point at (the report reads context lines from them)."""
    (root / "src").mkdir(parents=True)
    (root / "src" / "prep.py").write_text(PREP_SOURCE, encoding="utf-8")
    (root / "vendor" / "lib").mkdir(parents=True)
    (root / "vendor" / "lib" / "prep.py").write_text(PREP_SOURCE, encoding="utf-8")
    (root / "notebooks").mkdir()
    (root / "notebooks" / "analysis.ipynb").write_text(json.dumps(NOTEBOOK), encoding="utf-8")
    hostile = root / HOSTILE_NAME
    hostile.parent.mkdir(parents=True)
    hostile.write_text(f"x = 1\ny = '{HOSTILE_SNIPPET}'\nz = 3\n", encoding="utf-8")
    return root


def finding(**kw) -> Finding:
    base = dict(
        rule_id="missing-rows-dropped", bias_pattern="DP01", stage="preparation",
        message="`df` is filtered by deleting every row with a missing value.", path="src/prep.py",
        start_line=5, end_line=5, snippet="df.dropna()", severity=Severity.HIGH, score=7.5,
        score_factors=(ScoreFactor("base", 5.0, "pattern DP01 starts at medium impact"),
                       ScoreFactor("people-data", 2.0, "the repository loads the Adult census data"),
                       ScoreFactor("vendored", -0.5, "one copy is vendored")),
        confidence="HIGH", fingerprint="fp-dp01-prep",
        occurrences=(Location("src/prep.py", 5, 5, 6, 17), Location("vendor/lib/prep.py", 5, 5, 6, 17)),
        found_by=("semgrep:missing-rows-dropped",), start_col=6, end_col=17,
        pattern_name="Rows with missing values deleted", frameworks=("pandas",),
        references=("Biswas & Rajan, Fair Preprocessing, ESEC/FSE 2021, https://doi.org/10.1145/3468264.3468536",),
    )
    base.update(kw)
    return Finding(**base)


def sample_findings() -> tuple[Finding, ...]:
    return (
        finding(),
        finding(rule_id="model-pruning", bias_pattern="CM01", stage="compression", severity=Severity.MEDIUM,
                message="Pruning removes weights that under-represented groups rely on.",
                path="notebooks/analysis.ipynb", start_line=3, end_line=3, start_col=1, end_col=55,
                snippet="prune.l1_unstructured(model.fc, 'weight', amount=0.5)", score=5.0,
                fingerprint="fp-cm01-nb", frameworks=("pytorch",), pattern_name="Pruning",
                cell=CellRef(index=1, line=3, id="c0ffee"),
                occurrences=(Location("notebooks/analysis.ipynb", 3, 3, cell=CellRef(1, 3, "c0ffee")),),
                found_by=("semgrep:model-pruning",), references=()),
        finding(rule_id="protected-attribute-in-decision", bias_pattern="DL01", stage="decision",
                severity=Severity.CRITICAL, score=9.1, pattern_name="", message=HOSTILE_MESSAGE, path=HOSTILE_NAME,
                start_line=2, end_line=2, start_col=1, end_col=40, snippet=HOSTILE_SNIPPET,
                fingerprint="fp-hostile", frameworks=("numpy",),
                occurrences=(Location(HOSTILE_NAME, 2, 2),), found_by=("semgrep:x",),
                references=('javascript:alert(6)', 'see "><img src=x onerror=alert(7)>'),
                code_flow=(Location(HOSTILE_NAME, 1, 1), Location(HOSTILE_NAME, 2, 2))),
        finding(rule_id="aggregate-only-evaluation", bias_pattern="EV01", stage="evaluation",
                severity=Severity.LOW, score=2.0, message="Only aggregate accuracy is reported.",
                pattern_name="", path="missing/file.py", start_line=10, end_line=10, snippet="model.evaluate(x, y)",
                fingerprint="fp-ev01", frameworks=("tensorflow",), repository_level=True,
                evidence=("people data: adult.csv", "no per-group metric found"),
                occurrences=(Location("missing/file.py", 10, 10),)),
    )


def sample_result(root: Path) -> ScanResult:
    return ScanResult(
        root=str(root), findings=sample_findings(),
        skipped=(Skipped("big/data.py", "too large", "3 MB > 2 MB"),),
        tool=ToolInfo("0.1.0", "abc123def4567890", semgrep="1.182.0"),
        files_scanned=4, duration_s=1.234,
        suppressions=(Suppression("src/other.py", 3, ("DP03",), "ordinal by design", suppressed=("fp-x",)),
                      Suppression("src/other.py", 9, ("DP01",), "", problem="missing reason")),
        errors=("semgrep: rule x timed out on big.py",),
    )


PATTERNS = ("DP01", "DP03", "DP11", "TR03", "CM01", "CM02", "EV01", "DL01", "DS02", "TR04")
FRAMEWORKS = ("pytorch", "tensorflow", "pandas", "sklearn")
STAGE = {"DS": "dataset", "DP": "preparation", "TR": "training", "CM": "compression", "EV": "evaluation",
         "DL": "decision"}
SEVERITIES = (Severity.CRITICAL, Severity.HIGH, Severity.MEDIUM, Severity.LOW, Severity.INFO)


def many_findings(n: int) -> tuple[Finding, ...]:
    out = []
    for i in range(n):
        pattern = PATTERNS[i % len(PATTERNS)]
        path = f"pkg{i % 37}/module_{i % 211}.py"
        out.append(finding(
            rule_id=f"rule-{pattern.lower()}", bias_pattern=pattern, stage=STAGE[pattern[:2]],
            message=f"finding number {i} about {pattern}", path=path, start_line=1 + i % 300,
            end_line=1 + i % 300, snippet=f"call_{i}()", severity=SEVERITIES[i % 5], score=round((i * 7 % 100) / 10, 1),
            fingerprint=f"fp-{i}", pattern_name="", frameworks=(FRAMEWORKS[i % 4],), occurrences=(Location(path, 1 + i % 300, 1 + i % 300),)))
    return tuple(out)


def many_result(n: int) -> ScanResult:
    return ScanResult(root="/nonexistent-root", findings=many_findings(n), skipped=(),
                      tool=ToolInfo("0.1.0", "hash"), files_scanned=n // 3)


def sample_study() -> StudyData:
    findings = []
    repos = []
    for r in range(12):
        repo = f"org{r}/project-{r}"
        group = "people-data" if r % 2 == 0 else "control"
        repos.append({"repo": repo, "group": group, "frameworks": FRAMEWORKS[r % 4], "files": 10 + r,
                      "findings": r % 5, "stars": 100 * r})
        for k in range(r % 5):
            pattern = PATTERNS[(r + k) % len(PATTERNS)]
            findings.append({"repo": repo, "path": f"src/m{k}.py", "rule_id": f"rule-{pattern.lower()}",
                             "bias_pattern": pattern, "stage": STAGE[pattern[:2]],
                             "severity": ["high", "medium", "low"][k % 3], "score": 3.0 + k,
                             "fingerprint": f"{repo}-{k}", "frameworks": [FRAMEWORKS[r % 4]], "line": 4 + k,
                             "message": f"{pattern} in {repo}", "group": group})
    findings.append({"repo": "org0/project-0", "path": HOSTILE_NAME, "rule_id": "x", "bias_pattern": "DL01",
                     "stage": "decision", "severity": "critical", "score": 9.0, "fingerprint": "h",
                     "frameworks": "numpy", "message": HOSTILE_MESSAGE, "snippet": HOSTILE_SNIPPET,
                     "group": "people-data"})
    prevalence = []
    for g, scale in (("people-data", 1.0), ("control", 0.4)):
        for i, pattern in enumerate(PATTERNS):
            for j, fw in enumerate(FRAMEWORKS):
                prevalence.append({"pattern": pattern, "framework": fw, "group": g,
                                   "share": round(scale * ((i + j) % 7) / 7, 3), "count": (i + j) % 7, "total": 7})
    return StudyData(findings=findings, repositories=repos, prevalence=prevalence, title="fairlint study: test corpus",
                     meta={"corpus": "test", "repositories": len(repos), "rule pack": "abc123"})


def split_prevalence_study() -> StudyData:
    """The study report's shape: pattern x framework rows and pattern x group rows, kept apart."""
    prevalence = []
    for i, pattern in enumerate(PATTERNS[:6]):
        for j, fw in enumerate(FRAMEWORKS):
            prevalence.append({"pattern": pattern, "framework": fw, "share": ((i + j) % 5) / 5, "count": (i + j) % 5,
                               "total": 5})
        for g, share in (("people", (i % 4) / 4), ("control", (i % 3) / 6)):
            prevalence.append({"pattern": pattern, "group": g, "share": share})
    return StudyData(prevalence=prevalence, title="split")
