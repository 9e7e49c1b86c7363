"""A fixed ScanResult for the text/JSON/CSV/SARIF formatter tests, built directly (no pipeline).

It has a finding with vendored copies, a notebook finding, a data flow, a repository-level
finding with evidence, a skipped file and suppressions (one with a problem).
"""

from __future__ import annotations

from orchestrator.model import (CellRef, Finding, Location, ScanResult, ScoreFactor, Severity, Skipped,
                                Suppression, ToolInfo)

ROOT = "/project"
FACTORS = (ScoreFactor("likelihood-x-impact", 4.5, "rule likelihood MEDIUM x impact MEDIUM"),
           ScoreFactor("confidence", 0.5, "rule confidence HIGH"),
           ScoreFactor("people-data", 0.5, "the repository handles people data at src/prep.py:4 ('sex')"))
REF = ("Biswas & Rajan, Fair Preprocessing, ESEC/FSE 2021 (finding 1), "
       "https://doi.org/10.1145/3468264.3468536")


def finding(**kw) -> Finding:
    base = dict(rule_id="missing-rows-dropped", bias_pattern="DP01", stage="preparation",
                message="`df` is filtered by deleting every row with a missing value (bias-prone).",
                path="src/prep.py", start_line=5, end_line=5, snippet="df = df.dropna()",
                severity=Severity.MEDIUM, score=5.5, score_factors=FACTORS, confidence="HIGH",
                fingerprint="a1b2c3", occurrences=(Location("src/prep.py", 5, 5, 1, 17),),
                found_by=("semgrep:missing-rows-dropped",), start_col=1, end_col=17,
                pattern_name="Rows with missing values deleted", technology=("pandas",),
                references=(REF,))
    base.update(kw)
    return Finding(**base)


def sample_result() -> ScanResult:
    dropna = finding(occurrences=(Location("src/prep.py", 5, 5, 1, 17),
                                  Location("vendor/lib/prep.py", 5, 5, 1, 17)))
    notebook = finding(rule_id="model-pruning", bias_pattern="CM01", stage="compression",
                       message="`prune.l1_unstructured` prunes weights (bias-prone, needs group-wise evaluation).",
                       path="notebooks/analysis.ipynb", start_line=3, end_line=3,
                       snippet="prune.l1_unstructured(model.fc, 'weight', amount=0.5)",
                       severity=Severity.LOW, score=3.0, confidence="HIGH", fingerprint="d4e5f6",
                       occurrences=(Location("notebooks/analysis.ipynb", 3, 3, 1, 50, CellRef(1, 3, "c0ffee")),),
                       found_by=("semgrep:model-pruning",), end_col=50, cell=CellRef(1, 3, "c0ffee"),
                       pattern_name="Pruning", technology=("pytorch",))
    flow = finding(rule_id="protected-attribute-as-feature", bias_pattern="DP12",
                   message="`sex` flows into `model.fit` as a feature (bias-prone, review).",
                   path="src/train.py", start_line=20, end_line=21, snippet="model.fit(X, y)",
                   severity=Severity.HIGH, score=7.5, confidence="MEDIUM", fingerprint="0f0f0f",
                   occurrences=(Location("src/train.py", 20, 21, 5, 20),), start_col=5, end_col=20,
                   found_by=("semgrep:protected-attribute-as-feature", "codeql:py/fairlint/protected-feature"),
                   code_flow=(Location("src/train.py", 12, 12, 5, 20), Location("src/train.py", 20, 21, 5, 20)),
                   pattern_name="Protected attribute used as a model input feature")
    repo = finding(rule_id="aggregate-only-evaluation", bias_pattern="EV01", stage="evaluation",
                   message="Aggregate-only evaluation: accuracy at src/train.py:30, no per-group metric.",
                   path="src/train.py", start_line=30, end_line=30, snippet="accuracy_score(y, p)",
                   severity=Severity.CRITICAL, score=9.0, confidence="LOW", fingerprint="e0e0e0",
                   occurrences=(Location("src/train.py", 30, 30),), found_by=("fairlint:aggregate-only-evaluation",),
                   end_col=1, pattern_name="Aggregate-only evaluation",
                   evidence=("aggregate-metric src/train.py:30", "people-data src/prep.py:4"),
                   repository_level=True)
    info = finding(rule_id="group-threshold-postprocessor", bias_pattern="DL02", stage="decision",
                   message="`ThresholdOptimizer` sets group-specific thresholds (review).",
                   path="src/post.py", start_line=2, end_line=2, snippet="ThresholdOptimizer(estimator=clf)",
                   severity=Severity.INFO, score=1.0, confidence="HIGH", fingerprint="abcabc",
                   occurrences=(Location("src/post.py", 2, 2),), found_by=("semgrep:group-threshold-postprocessor",),
                   end_col=1, pattern_name="Group-threshold post-processors", references=())
    return ScanResult(
        root=ROOT, findings=(repo, flow, dropna, notebook, info),
        skipped=(Skipped("data/huge.py", "too large", "3000000 bytes"),),
        tool=ToolInfo(fairlint="0.1.0", rule_pack="f" * 64, semgrep="1.182.0"),
        files_scanned=7,
        suppressions=(Suppression("src/prep.py", 9, ("DP03",), "encoder feeds an embedding",
                                  suppressed=("123abc",)),
                      Suppression("src/train.py", 3, ("DP99",), "", problem="unknown id DP99")),
        duration_s=1.23456,
    )


def empty_result() -> ScanResult:
    return ScanResult(root=ROOT, findings=(), skipped=(), tool=ToolInfo("0.1.0", "0" * 64), files_scanned=0)
