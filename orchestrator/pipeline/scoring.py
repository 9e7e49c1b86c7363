"""The severity model: a 0-10 score and a level for every finding, with every factor shown.

The model is documented in ``docs/scoring.md`` (and golden-tested). In short::

    score = clamp(base(likelihood x impact) + confidence + people data + high-stakes dataset
                  + code context + notebook/library + sanitizers + corroboration, 0, 10)

and the level follows from the score (critical >= 9, high >= 7, medium >= 4, low >= 2,
info below). Every term that applies is one :class:`~orchestrator.model.ScoreFactor` (name,
signed value, reason), so a user sees why a finding is ranked where it is. Pure and
deterministic: the same findings, matches and files give the same scores.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import Mapping, Sequence

from orchestrator.model import Finding, Match, ScoreFactor, Severity
from orchestrator.pipeline import reasoning
from orchestrator.pipeline.usage import CodeIndex
from orchestrator.rules import pack as rulepack
from orchestrator.rules.taxonomy import PATTERNS
from orchestrator.rules.vocabulary import Vocabulary

#: Base score from the rule's likelihood and impact (the OWASP-style risk matrix).
MATRIX: dict[tuple[str, str], float] = {
    ("HIGH", "HIGH"): 7.0, ("HIGH", "MEDIUM"): 5.5, ("MEDIUM", "HIGH"): 5.5,
    ("MEDIUM", "MEDIUM"): 4.5, ("HIGH", "LOW"): 3.5, ("LOW", "HIGH"): 3.5,
    ("MEDIUM", "LOW"): 2.5, ("LOW", "MEDIUM"): 2.5, ("LOW", "LOW"): 1.0,
}
CONFIDENCE = {"HIGH": 0.5, "MEDIUM": 0.0, "LOW": -1.0}
PEOPLE_DATA, NO_PEOPLE_DATA = 0.5, -1.0
HIGH_STAKES_SAME_FILE, HIGH_STAKES_REPO = 1.5, 0.5
EXAMPLE_CODE = -1.0
NOTEBOOK, LIBRARY = -0.5, 0.5
SANITIZED = {"M": -1.5, "H": -0.5}  # L-class findings are not emitted when sanitized
CORROBORATION_STEP, CORROBORATION_CAP = 0.5, 1.0
REPOSITORY_RISK = 1.0
INFO_CAP = 1.0
#: Constructs whose fairness risk depends on people data: info in a repository or module without
#: any (an unstratified split of MNIST, pruning a CIFAR model).
PEOPLE_DEPENDENT = frozenset({"DP11", "TR01", "TR02", "TR03", "TR05", "CM01", "CM02"})
#: Dataset and model-choice patterns that per-group evaluation or mitigation of their attribute
#: answers: info where the repository does that.
GROUP_ANSWERED = frozenset({"DS01", "DS02", "TR04", "TR05", "DP11", "EV04"})
#: EV04 is itself a disparity between groups: only a stratified analysis or a group mitigation answers it.
EV04_ANSWERS = (reasoning.STRATIFIED, reasoning.GROUP_REWEIGHTING)
#: Lower bounds of the levels, most severe first.
LEVELS = ((9.0, Severity.CRITICAL), (7.0, Severity.HIGH), (4.0, Severity.MEDIUM),
          (2.0, Severity.LOW), (float("-inf"), Severity.INFO))

TEST_DIRS = frozenset({"test", "tests", "testing", "unittests"})
EXAMPLE_DIRS = frozenset({"example", "examples", "doc", "docs", "tutorial", "tutorials", "demo",
                          "demos", "sample", "samples", "benchmark", "benchmarks"})


@dataclass(frozen=True)
class Context:
    """What the repository says about every finding: evidence and the other findings."""

    evidence: reasoning.Evidence
    patterns_by_file: dict[str, tuple[tuple[str, int], ...]]  # path -> (pattern, line), sorted
    metadata_by_rule: dict[str, dict]
    root: Path
    people: ScoreFactor  # one repository-wide factor, computed once per scan
    index: CodeIndex | None = None  # imports and references (None: not known, no module context)
    uncalled: Mapping[tuple[str, int], str] = field(default_factory=dict)  # (path, line) -> function
    people_by_path: Mapping[str, tuple[Match, ...]] = field(default_factory=dict)  # evidence.people by file
    packages: dict[str, bool] = field(default_factory=dict)  # folder -> holds __init__.py (asked once per scan)


def level_for(score: float) -> Severity:
    return next(level for bound, level in LEVELS if score >= bound)


def score_findings(findings: Sequence[Finding], matches: Sequence[Match], root: Path,
                   sources: Mapping[str, str] | None = None) -> list[Finding]:
    """The findings (same order) with ``severity``, ``score`` and ``score_factors`` filled.

    ``sources`` (path -> code text) are the repository's files: with them, the module context
    (people data in the modules that run together, functions nothing calls) is decided; pass
    them only when they are the whole repository (a scan of chosen files cannot tell)."""
    ctx = build_context(findings, matches, Path(root), sources)
    return [score_one(f, ctx) for f in findings]


def build_context(findings: Sequence[Finding], matches: Sequence[Match], root: Path,
                  sources: Mapping[str, str] | None = None) -> Context:
    by_file: dict[str, set[tuple[str, int]]] = defaultdict(set)
    for f in findings:
        by_file[f.path].add((f.bias_pattern, f.start_line))
    meta: dict[str, dict] = {}
    for m in matches:
        if not m.evidence and m.rule_id not in meta:
            meta[m.rule_id] = m.metadata
    evidence = reasoning.collect_evidence(matches, Vocabulary.default())
    index = CodeIndex(sources, root) if sources is not None else None
    uncalled = index.uncalled((f.path, f.start_line) for f in findings
                              if not f.repository_level and f.cell is None) if index else {}
    people_by_path: dict[str, list[Match]] = defaultdict(list)
    for m in evidence.people:
        people_by_path[m.location.path].append(m)
    return Context(evidence, {p: tuple(sorted(v)) for p, v in by_file.items()}, meta, root,
                   _people(evidence), index, uncalled, {p: tuple(v) for p, v in people_by_path.items()})


def score_one(finding: Finding, ctx: Context) -> Finding:
    factors = tuple(f for f in _factors(finding, ctx) if f is not None)
    total = round(min(10.0, max(0.0, sum(f.value for f in factors))) + 1e-9, 1)
    return finding.evolve(score=total, severity=level_for(total), score_factors=factors)


def rule_metadata(finding: Finding, ctx: Context) -> dict:
    """The metadata of the finding's rule: from its matches, the pack, or the synthetic rules."""
    if finding.rule_id in ctx.metadata_by_rule:
        return ctx.metadata_by_rule[finding.rule_id]
    rule = rulepack.rules_by_id().get(finding.rule_id)
    if rule is not None:
        return rule.metadata
    synthetic = reasoning.REPOSITORY_RULES.get(finding.rule_id)
    return synthetic.metadata(()) if synthetic else {}


def _factors(finding: Finding, ctx: Context) -> list[ScoreFactor | None]:
    meta = rule_metadata(finding, ctx)
    factors = [_base(meta), _confidence(finding, meta), ctx.people,
               _high_stakes(finding, ctx), _code_context(finding.path),
               _notebook_or_library(finding, ctx.root, ctx.packages), _sanitized(finding, meta, ctx),
               _corroboration(finding, ctx), _repository_risk(finding)]
    subtotal = sum(f.value for f in factors if f is not None)
    factors.append(_info_cap(finding, meta, ctx, subtotal))
    return factors


def _cap(name: str, reason: str, subtotal: float) -> ScoreFactor | None:
    """A factor that brings the score down to :data:`INFO_CAP` (none when it is already there)."""
    return ScoreFactor(name, round(INFO_CAP - subtotal, 2), reason) if subtotal > INFO_CAP else None


# --------------------------------------------------------------------------- the factors

def _level(value: object, default: str = "MEDIUM") -> str:
    text = str(value or default).upper()
    return text if text in CONFIDENCE else default


def _base(meta: dict) -> ScoreFactor:
    likelihood, impact = _level(meta.get("likelihood")), _level(meta.get("impact"))
    return ScoreFactor("likelihood-x-impact", MATRIX[(likelihood, impact)],
                       f"rule likelihood {likelihood} x impact {impact}")


def _confidence(finding: Finding, meta: dict) -> ScoreFactor:
    level = _level(finding.confidence or meta.get("confidence"))
    return ScoreFactor("confidence", CONFIDENCE[level], f"rule confidence {level}")


def _people(evidence: reasoning.Evidence) -> ScoreFactor:
    people = evidence.people
    if people:
        listed = reasoning.listing(people, "people data", Vocabulary.default())
        return ScoreFactor("people-data", PEOPLE_DATA, f"the repository handles {listed}")
    return ScoreFactor("people-data", NO_PEOPLE_DATA,
                       "no people-data signal in the repository (no protected column, people "
                       "dataset or demographic field found)")


def _high_stakes(finding: Finding, ctx: Context) -> ScoreFactor | None:
    datasets = ctx.evidence.of(reasoning.HIGH_STAKES)
    if not datasets or any(_overlaps(finding, m) for m in datasets):
        return None  # no dataset, or the finding is the dataset load itself: count it once
    same = [m for m in datasets if m.location.path == finding.path]
    if same:
        return ScoreFactor("high-stakes-dataset", HIGH_STAKES_SAME_FILE,
                           f"a high-stakes dataset is loaded in the same file "
                           f"({reasoning.where(same[0])})")
    return ScoreFactor("high-stakes-dataset", HIGH_STAKES_REPO,
                       f"a high-stakes dataset is loaded in the repository "
                       f"({reasoning.where(datasets[0])})")


def _overlaps(finding: Finding, m: Match) -> bool:
    loc = m.location
    same_cell = (loc.cell.index if loc.cell else -1) == (finding.cell.index if finding.cell else -1)
    return (loc.path == finding.path and same_cell and loc.start_line <= finding.end_line
            and finding.start_line <= loc.end_line)


@lru_cache(maxsize=8192)
def code_context(path: str) -> str:
    """``test``, ``example`` or ``code`` for a '/'-separated path relative to the root."""
    p = PurePosixPath(path)
    dirs = {part.lower() for part in p.parts[:-1]}
    name = p.name.lower()
    if dirs & TEST_DIRS or name.startswith("test_") or name.endswith(("_test.py", "_test.ipynb")) \
            or name == "conftest.py":
        return "test"
    if dirs & EXAMPLE_DIRS:
        return "example"
    return "code"


def _code_context(path: str) -> ScoreFactor | None:
    kind = code_context(path)
    if kind == "example":
        return ScoreFactor("example-code", EXAMPLE_CODE,
                           "example, tutorial, demo or docs code: often copied, rarely deployed as is")
    return None


def _is_package(folder: str, root: Path, packages: dict[str, bool] | None) -> bool:
    """Whether ``root/folder`` holds an ``__init__.py`` (remembered in ``packages``: one scan's tree)."""
    if packages is not None and folder in packages:
        return packages[folder]
    found = (root / folder / "__init__.py").is_file() if folder else (root / "__init__.py").is_file()
    if packages is not None:
        packages[folder] = found
    return found


def _notebook_or_library(finding: Finding, root: Path, packages: dict[str, bool] | None = None) -> ScoreFactor | None:
    if finding.cell is not None or finding.path.endswith(".ipynb"):
        return ScoreFactor("notebook", NOTEBOOK, "notebook code: exploratory analysis")
    if finding.path.endswith(".py") and code_context(finding.path) == "code" \
            and _is_package(finding.path.rpartition("/")[0], root, packages):
        return ScoreFactor("library-code", LIBRARY,
                           "library code: an importable package module, reused by its callers")
    return None


def _detect_class(finding: Finding, meta: dict) -> str:
    declared = meta.get("detect-class")
    if declared in ("H", "M", "L"):
        return declared
    pattern = PATTERNS.get(finding.bias_pattern)
    return pattern.detect_class if pattern else "M"


def _sanitized(finding: Finding, meta: dict, ctx: Context) -> ScoreFactor | None:
    sanitizers = ctx.evidence.group_evaluation
    value = SANITIZED.get(_detect_class(finding, meta))
    if not sanitizers or value is None or finding.repository_level:
        return None
    return ScoreFactor("sanitizers", value,
                       f"the repository evaluates or mitigates per group "
                       f"({reasoning.where(sanitizers[0])}), which lowers "
                       f"{_detect_class(finding, meta)}-class findings")


def _stage(pattern_id: str) -> str:
    pattern = PATTERNS.get(pattern_id)
    return pattern.stage if pattern else ""


def _corroboration(finding: Finding, ctx: Context) -> ScoreFactor | None:
    """Other pipeline stages with findings in the same file (dataset -> preparation ->
    training -> compression -> evaluation -> decision): one pipeline carries bias through."""
    own = _stage(finding.bias_pattern) or finding.stage
    stages: dict[str, tuple[str, int]] = {}
    for pattern, line in ctx.patterns_by_file.get(finding.path, ()):
        stage = _stage(pattern)
        if stage and stage != own and stage not in stages and not informational(pattern):
            stages[stage] = (pattern, line)
    if not stages:
        return None
    value = min(CORROBORATION_CAP, CORROBORATION_STEP * len(stages))
    listed = ", ".join(f"{stage} ({p}, line {line})" for stage, (p, line) in sorted(stages.items()))
    return ScoreFactor("corroboration", value,
                       f"other pipeline stages with bias-prone patterns in the same file: {listed}")


def _repository_risk(finding: Finding) -> ScoreFactor | None:
    """A construct finding (DP11 split, TR02 early stopping) merged with its repository-level
    risk (people data, no per-group evaluation anywhere)."""
    risks = sorted(r.partition(":")[2] for r in finding.found_by
                   if r.startswith(f"{reasoning.ENGINE}:") and r.partition(":")[2] != finding.rule_id)
    if finding.repository_level or not risks:
        return None
    return ScoreFactor("repository-risk", REPOSITORY_RISK,
                       f"repository-level risk confirmed ({', '.join(risks)}): people data and no "
                       f"per-group evaluation anywhere")


def informational(pattern_id: str) -> bool:
    """Taxonomy patterns reported as INFO whatever the context (mitigations such as DL02)."""
    pattern = PATTERNS.get(pattern_id)
    return pattern is not None and "INFO" in pattern.detect and "unless" not in pattern.detect


def _info_cap(finding: Finding, meta: dict, ctx: Context, subtotal: float) -> ScoreFactor | None:
    """The first reason the finding is informational here, as a factor that brings the score
    down to :data:`INFO_CAP`: its context (:func:`context_info`), or the pattern or rule itself
    (taxonomy 'INFO', e.g. DL02 mitigations; INFO-severity rules)."""
    context = context_info(finding, ctx)
    if context is not None:
        return _cap(*context, subtotal)
    pattern = PATTERNS.get(finding.bias_pattern)
    if pattern is not None and "INFO unless people data" in pattern.detect:
        return None  # people data reaches it (context_info said so): not informational here
    rule = rulepack.rules_by_id().get(finding.rule_id)
    if informational(finding.bias_pattern):
        return _cap("informational-cap",
                    "informational pattern (taxonomy): a mitigation or an explicit design choice", subtotal)
    if rule is not None and rule.severity == "INFO" and _repository_risk(finding) is None:
        return _cap("informational-cap", "the rule is informational (severity INFO)", subtotal)
    return None


def context_info(finding: Finding, ctx: Context) -> tuple[str, str] | None:
    """``(factor name, reason)`` when the finding's context leaves it no fairness risk worth a
    reviewer's time: no people data (in the repository, or for a people-dependent construct in
    the modules that run with it), per-group evaluation of its attribute (dataset and model
    choices), test code, or code nothing calls."""
    pattern = finding.bias_pattern
    if not ctx.evidence.people:
        return ("no-people-data", "no people data in the repository: no group to be unfair to")
    if pattern in PEOPLE_DEPENDENT and not _module_people(finding, ctx):
        return ("module-without-people-data",
                f"{pattern}'s risk depends on people data, and none reaches this module (nor the "
                f"modules that import it or that it imports)")
    if pattern == "DS02" and code_context(finding.path) == "example" and not _module_people(finding, ctx):
        return ("format-demo", "the benchmark is loaded in example code that does nothing else "
                               "with people data (a format or API demo, not a real task)")
    answer = _group_answer(finding, ctx) if pattern in GROUP_ANSWERED else None
    if answer is not None:
        return ("evaluated-per-group", f"the repository evaluates or mitigates per group for this "
                                       f"attribute ({reasoning.where(answer)})")
    if not finding.repository_level and code_context(finding.path) == "test":
        return ("test-code", "test code: it does not shape a deployed model")
    function = ctx.uncalled.get((finding.path, finding.start_line))
    if function is not None and not finding.repository_level:
        return ("uncalled-code", f"`{function}` is called nowhere in the repository (dead code)")
    return None


def _module_people(finding: Finding, ctx: Context) -> bool:
    """Whether people data reaches the finding's module: evidence in the modules that run with
    it (all of the repository when the index is unknown), never the finding's own sites."""
    together = ctx.index.together(finding.path) if ctx.index is not None else None
    own = {(loc.path, loc.cell.index if loc.cell else -1, loc.start_line) for loc in finding.occurrences}
    own.add((finding.path, finding.cell.index if finding.cell else -1, finding.start_line))
    if together is None:
        candidates = ctx.evidence.people
    else:  # only the files that run together (a finding per file asked about every match)
        candidates = [m for path in together for m in ctx.people_by_path.get(path, ())]
    for m in candidates:
        loc = m.location
        if (loc.path, loc.cell.index if loc.cell else -1, loc.start_line) in own or _overlaps(finding, m):
            continue
        return True
    return False


def _group_answer(finding: Finding, ctx: Context) -> Match | None:
    """The first per-group evaluation or mitigation that covers the finding's attribute (any,
    when the finding or the evidence names none)."""
    vocab = Vocabulary.default()
    kinds = EV04_ANSWERS if finding.bias_pattern == "EV04" else ()
    answers = ctx.evidence.of(*kinds) if kinds else ctx.evidence.group_evaluation
    terms = set(reasoning.protected_terms(finding.snippet, vocab))
    for m in answers:
        if _overlaps(finding, m):
            continue  # a finding is never its own evidence
        theirs = set(reasoning.protected_terms(m.snippet, vocab))
        if not terms or not theirs or terms & theirs:
            return m
    return None
