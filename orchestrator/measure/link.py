"""The measured figures and the scan: ``fairlint scan --measure``, the gate's ``measure:`` limits,
and the facets and strata a scan suggests measuring.

* :class:`MeasureSpec` is what to measure and the limits to hold it to, from the configuration's
  ``measure:`` section and/or the scan's ``--measure`` options.
* :func:`attach` puts a :class:`MeasureResult` on a :class:`ScanResult` as plain data
  (``ScanResult.measured``: the figures of ``fairlint measure --format json``, plus ``findings``,
  a mapping from finding fingerprint to the measured facet columns it bears on). The formats read
  that data and never import this package.
* :func:`suggest` reads the protected attributes and the conditioning columns the scanned code
  uses (``ScanResult.suggest_measure``).
* :func:`check_limits` turns the ``max-abs-cdd`` / ``max-abs-dd`` / ``min-di`` limits into the
  gate's failures.

A finding bears on a measured facet when its pattern is EV01, EV03 or EV04 (they ask for the
group-wise, conditional evaluation that ``measure`` performs: linked to the facets they name, else
to every measured facet) or when the protected attribute it names is a measured facet column.
Its attributes are ``metadata["attributes"]`` when the engine gives them, else the protected
vocabulary terms and the string literals of its code snippet.
"""

from __future__ import annotations

import ast
import json
import os
import re
import shlex
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

from orchestrator.measure.config import MeasureConfig, MeasureError
from orchestrator.measure.result import METRICS, MeasureResult
from orchestrator.model import Finding, ScanResult
from orchestrator.pipeline.reasoning import protected_terms
from orchestrator.rules.vocabulary import Vocabulary

#: Patterns answered by a group-wise, conditional measurement whatever attribute they name.
LINKED_PATTERNS = frozenset({"EV01", "EV03", "EV04"})
#: The gate's limits (policy keys) and the figures each reads, by outcome.
LIMITS = {
    "max-abs-cdd": {"label": "CDDL", "prediction": "CDDPL"},
    "max-abs-dd": {"label": "DD", "prediction": "DDPL"},
    "min-di": {"label": "DI", "prediction": "DI_pred"},
}
OUTCOMES = ("auto", "label", "prediction", "both")
MAX_SOURCE_BYTES = 2_000_000


# --------------------------------------------------------------------------- what to measure

@dataclass(frozen=True)
class MeasureSpec:
    """What to measure (``data``, ``facets``, ``label``, ...) and the gate's limits.

    ``outcome`` says which figures the limits judge: ``auto`` (the predictions when a
    ``prediction`` column is given, else the labels), ``label``, ``prediction`` or ``both``.
    """

    data: Path | None = None
    facets: tuple[str, ...] = ()
    label: str | None = None
    prediction: str | None = None
    positive: str | None = None
    groups: tuple[str, ...] = ()
    max_abs_cdd: float | None = None
    max_abs_dd: float | None = None
    min_di: float | None = None
    outcome: str = "auto"
    source: str = "--measure"

    @classmethod
    def from_section(cls, section: Mapping[str, Any] | None, base: Path | None, source: str) -> "MeasureSpec | None":
        """The ``measure:`` section of a configuration (already validated by the policy schema);
        a relative ``data`` path is relative to ``base``, the configuration file's folder."""
        if not section:
            return None
        data = section.get("data")
        path = None
        if data:
            path = Path(data)
            if not path.is_absolute() and base is not None:
                path = base / path
        return cls(data=path, facets=tuple(section.get("facets", ())), label=section.get("label"),
                   prediction=section.get("prediction"),
                   positive=None if section.get("positive") is None else str(section["positive"]),
                   groups=tuple(section.get("groups", ())), max_abs_cdd=section.get("max-abs-cdd"),
                   max_abs_dd=section.get("max-abs-dd"), min_di=section.get("min-di"),
                   outcome=section.get("outcome", "auto"), source=f"measure section of {source}")

    def overridden(self, data: str | os.PathLike | None = None, facets: Sequence[str] = (), label: str | None = None,
                   prediction: str | None = None, positive: str | None = None,
                   groups: Sequence[str] = ()) -> "MeasureSpec":
        """This spec with the options given on the command line in place of its own."""
        changed = {k: v for k, v in (("data", Path(data) if data else None), ("facets", tuple(facets)),
                                     ("label", label), ("prediction", prediction), ("positive", positive),
                                     ("groups", tuple(groups))) if v}
        if changed.get("data"):
            changed["source"] = "--measure"
        return replace(self, **changed)

    @property
    def limits(self) -> dict[str, float]:
        out = {"max-abs-cdd": self.max_abs_cdd, "max-abs-dd": self.max_abs_dd, "min-di": self.min_di}
        return {k: float(v) for k, v in out.items() if v is not None}

    def config(self) -> MeasureConfig:
        """The :class:`MeasureConfig`; a one-line :class:`MeasureError` names what is missing."""
        if self.data is None:
            raise MeasureError(f"{self.source}: give the outcomes table (--measure DATA or measure: data:)")
        if not self.label:
            raise MeasureError(f"{self.source}: give the label column (--label COL or measure: label:)")
        if not self.facets:
            raise MeasureError(f"{self.source}: give at least one facet (--facet COL or measure: facets:)")
        if self.outcome not in OUTCOMES:
            raise MeasureError(f"{self.source}: outcome must be one of {', '.join(OUTCOMES)}, not {self.outcome!r}")
        if self.outcome == "prediction" and not self.prediction:
            raise MeasureError(f"{self.source}: outcome: prediction needs a prediction column")
        if "max-abs-cdd" in self.limits and not self.groups:
            raise MeasureError(f"{self.source}: max-abs-cdd needs at least one stratum column (groups:)")
        extra: dict[str, float] = {}
        if self.min_di is not None:
            extra["min_di"] = float(self.min_di)
        if self.max_abs_dd is not None:
            extra["max_abs_difference"] = float(self.max_abs_dd)
        return MeasureConfig(facets=self.facets, label=self.label, prediction=self.prediction,
                             positive=self.positive, groups=self.groups, **extra)

    def run(self) -> MeasureResult:
        from orchestrator.measure.analysis import measure

        config = self.config()
        if not Path(self.data).exists():
            raise MeasureError(f"{self.source}: outcomes table not found: {self.data}")
        return measure(Path(self.data), config)

    def outcomes(self) -> tuple[str, ...]:
        if self.outcome == "both":
            return ("label", "prediction") if self.prediction else ("label",)
        if self.outcome == "auto":
            return ("prediction",) if self.prediction else ("label",)
        return (self.outcome,)


def config_folder(source: str) -> Path | None:
    """The folder of the configuration file a policy's ``source`` names (None for the defaults)."""
    if not source or source in ("default", "isolated") or source.startswith("<"):
        return None
    return Path(source.removesuffix(" [tool.fairlint]")).parent


def resolve_spec(section: Mapping[str, Any] | None, source: str, data: str | os.PathLike | None = None,
                 facets: Sequence[str] = (), label: str | None = None, prediction: str | None = None,
                 positive: str | None = None, groups: Sequence[str] = ()) -> MeasureSpec | None:
    """The measurement a scan makes: the configuration's ``measure:`` section with the command
    line's options in place of its own; None when neither gives an outcomes table."""
    spec = MeasureSpec.from_section(section, config_folder(source), source)
    options = (facets, label, prediction, positive, groups)
    if data is None and any(options) and (spec is None or spec.data is None):
        raise MeasureError("--facet, --label, --prediction, --positive and --group need --measure DATA")
    if data is not None or any(options):
        spec = (spec or MeasureSpec()).overridden(data, facets, label, prediction, positive, groups)
    return spec if spec is not None and spec.data is not None else None


def measure_scan(result: ScanResult, spec: MeasureSpec, vocab: Vocabulary) -> tuple[ScanResult, MeasureResult]:
    """Measure ``spec``'s table and attach the figures to ``result``."""
    measured = spec.run()
    return attach(result, measured, vocab), measured


# --------------------------------------------------------------------------- attaching

def finding_attributes(finding: Finding, vocab: Vocabulary) -> tuple[str, ...]:
    """The protected attributes a finding names: the engine's ``metadata["attributes"]`` when
    present, else the protected vocabulary terms and the string literals naming them in its snippet."""
    metadata = getattr(finding, "metadata", None) or {}
    declared = metadata.get("attributes") if isinstance(metadata, Mapping) else None
    if declared:
        return tuple(dict.fromkeys(str(a) for a in declared))
    literals = [s for s in _string_literals(finding.snippet) if vocab.find_terms("protected", s)]
    return tuple(dict.fromkeys(literals + protected_terms(finding.snippet, vocab)))


def _names_facet(attributes: Iterable[str], column: str, vocab: Vocabulary) -> bool:
    """Whether an attribute list names ``column``: the same name, or a shared protected term
    (``applicant_sex`` and ``sex``)."""
    col_terms = {t.lower() for t in vocab.find_terms("protected", column)} | {column.lower()}
    for attribute in attributes:
        terms = {t.lower() for t in vocab.find_terms("protected", attribute)} | {attribute.lower()}
        if terms & col_terms:
            return True
    return False


def linked_findings(findings: Sequence[Finding], facets: Sequence[str], vocab: Vocabulary) -> dict[str, list[str]]:
    """Fingerprint -> the measured facet columns the finding bears on (findings bearing on none left out)."""
    out: dict[str, list[str]] = {}
    for f in findings:
        attributes = finding_attributes(f, vocab)
        named = [c for c in facets if _names_facet(attributes, c, vocab)]
        if not named and f.bias_pattern in LINKED_PATTERNS:
            named = list(facets)
        if named:
            out.setdefault(f.fingerprint, [])
            out[f.fingerprint] += [c for c in named if c not in out[f.fingerprint]]
    return out


def measured_block(measured: MeasureResult, findings: Sequence[Finding], vocab: Vocabulary) -> dict[str, Any]:
    """The plain data ``ScanResult.measured`` holds: ``fairlint measure --format json``'s figures,
    the reversals, the metrics' long names and the finding links."""
    data = measured.to_dict()
    data["reversals"] = [{"facet": c.facet, "value": c.value, "group": k.group, "outcome": k.outcome}
                         for c, k in measured.reversals()]
    data["metric_names"] = {name: long for name, (long, _, _) in METRICS.items()}
    data["findings"] = linked_findings(findings, measured.config.facet_columns, vocab)
    return data


def attach(result: ScanResult, measured: MeasureResult, vocab: Vocabulary) -> ScanResult:
    """``result`` with the measured figures and the findings they bear on."""
    return replace(result, measured=measured_block(measured, result.findings, vocab))


# --------------------------------------------------------------------------- the gate's limits

@dataclass(frozen=True)
class Violation:
    """One measured figure beyond a policy limit."""

    limit: str
    bound: float
    subject: str  # "sex = F"
    metric: str  # "CDDL[department]"
    value: float

    @property
    def text(self) -> str:
        if self.limit == "min-di":
            return f"{self.subject}: {self.metric} {self.value:.3f} below min-di {self.bound:g}"
        return f"{self.subject}: {self.metric} {self.value:+.3f}, |value| above {self.limit} {self.bound:g}"

    def to_dict(self) -> dict[str, Any]:
        return {"limit": self.limit, "bound": self.bound, "subject": self.subject, "metric": self.metric,
                "value": round(self.value, 6), "text": self.text}


@dataclass(frozen=True)
class LimitCheck:
    """The limits applied to a measurement: what failed, how many figures were judged, and the
    comparisons too small to judge."""

    limits: dict[str, float]
    violations: tuple[Violation, ...]
    judged: int
    too_small: tuple[str, ...]
    source: str

    def to_dict(self) -> dict[str, Any]:
        return {"data": self.source, "limits": dict(self.limits), "judged": self.judged,
                "failed": [v.to_dict() for v in self.violations], "too_small": list(self.too_small)}


def check_limits(measured: MeasureResult, spec: MeasureSpec) -> LimitCheck:
    """Each comparison's figures against ``spec.limits`` (point estimates; groups too small to
    judge are listed, not judged)."""
    limits = spec.limits
    outcomes = spec.outcomes()
    violations, judged, small = [], 0, []
    for comp in measured.comparisons:
        if comp.too_small:
            small.append(comp.subject)
            continue
        figures = comp.metrics()
        for limit, bound in limits.items():
            wanted = {LIMITS[limit][o] for o in outcomes}
            for name, estimate in figures.items():
                if name.split("[")[0] not in wanted or estimate.value is None:
                    continue
                judged += 1
                beyond = estimate.value < bound if limit == "min-di" else abs(estimate.value) > bound
                if beyond:
                    violations.append(Violation(limit, bound, comp.subject, name, float(estimate.value)))
    return LimitCheck(limits, tuple(violations), judged, tuple(small), measured.source)


# --------------------------------------------------------------------------- suggestions

#: Calls whose arguments name conditioning (stratum) columns, and which arguments.
_GROUPING_CALLS = {"groupby": (0, {"by", "level"}), "pivot_table": (None, {"index", "columns"}),
                   "crosstab": (0, {"index"})}
#: Keyword arguments (of any call) that name stratum columns, and those that name facets.
_STRATUM_KEYWORDS = frozenset({"stratify", "control_features"})
_FACET_KEYWORDS = frozenset({"sensitive_features", "protected_attribute_names", "prot_attr"})
_COLUMN = re.compile(r"^[A-Za-z_][\w .-]{0,63}$")


def suggest(result: ScanResult, vocab: Vocabulary) -> dict[str, Any] | None:
    """The facets and strata the scanned code suggests measuring, and the command that does it;
    None when no finding names a protected attribute or asks for a group-wise evaluation.

    Facets: the protected attributes the findings name (string literals in their snippets,
    ``metadata["attributes"]``) and the columns given as ``sensitive_features=`` in the files
    with findings. Strata: the columns those files group by (``groupby``, ``pivot_table``,
    ``crosstab``) or stratify on (``stratify=``, ``control_features=``) that are not protected.
    """
    relevant = [f for f in result.findings if f.bias_pattern in LINKED_PATTERNS or finding_attributes(f, vocab)]
    if not relevant:
        return None
    facets: list[str] = []
    for f in result.findings:
        metadata = getattr(f, "metadata", None) or {}
        declared = metadata.get("attributes") if isinstance(metadata, Mapping) else None
        names = [str(a) for a in declared] if declared else [
            s for s in _string_literals(f.snippet) if vocab.find_terms("protected", s) and _COLUMN.match(s)]
        facets += names
    strata: list[str] = []
    for path in dict.fromkeys(f.path for f in result.findings):
        named_facets, named_strata = _columns_in(_source(result.root, path))
        facets += named_facets
        strata += named_strata
    facets = list(dict.fromkeys(facets))
    groups = [c for c in dict.fromkeys(strata)
              if c not in facets and not vocab.find_terms("protected", c)]
    if not facets:
        return None
    command = ["fairlint", "measure", "DATA", "--label", "LABEL"]
    for c in facets:
        command += ["--facet", c]
    for c in groups:
        command += ["--group", c]
    return {"facets": facets, "groups": groups,
            "command": " ".join(a if a in ("DATA", "LABEL") else shlex.quote(a) for a in command)}


def with_suggestion(result: ScanResult, vocab: Vocabulary) -> ScanResult:
    return replace(result, suggest_measure=suggest(result, vocab))


def _string_literals(text: str) -> list[str]:
    return [m.group(2) for m in re.finditer(r"""(["'])([^"'\n\\]{1,64})\1""", text or "")]


def _source(root: str, path: str) -> str:
    """The Python source of ``root/path`` (a notebook's code cells joined), never outside root;
    empty when unreadable."""
    base = Path(root)
    base = base if base.is_dir() else base.parent
    try:
        base = base.resolve()
        file = (base / path).resolve()
        if file == base or base not in file.parents or not file.is_file() or file.stat().st_size > MAX_SOURCE_BYTES:
            return ""
        text = file.read_text(encoding="utf-8", errors="replace")
    except (OSError, RuntimeError, ValueError):
        return ""
    if file.suffix == ".ipynb":
        try:
            cells = json.loads(text).get("cells", [])
        except (ValueError, AttributeError):
            return ""
        code = []
        for cell in cells if isinstance(cells, list) else ():
            if isinstance(cell, dict) and cell.get("cell_type") == "code":
                source = cell.get("source", "")
                source = "".join(map(str, source)) if isinstance(source, list) else str(source)
                code.append("\n".join(line for line in source.splitlines()
                                      if not line.lstrip().startswith(("%", "!"))))
        text = "\n".join(code)
    return text


def _columns_in(source: str) -> tuple[list[str], list[str]]:
    """(facet columns, stratum columns) named as string constants in the grouping arguments of
    ``source`` (parsed, never run; a file that does not parse gives none)."""
    if not source:
        return [], []
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError):
        return [], []
    facets: list[str] = []
    strata: list[str] = []
    calls = sorted((n for n in ast.walk(tree) if isinstance(n, ast.Call)), key=lambda n: (n.lineno, n.col_offset))
    for node in calls:  # in source order
        name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
        args: list[ast.AST] = []
        if name in _GROUPING_CALLS:
            position, keywords = _GROUPING_CALLS[name]
            if position is not None and len(node.args) > position:
                args.append(node.args[position])
            args += [k.value for k in node.keywords if k.arg in keywords]
        strata += [c for a in args for c in _constants(a)]
        strata += [c for k in node.keywords if k.arg in _STRATUM_KEYWORDS for c in _constants(k.value)]
        facets += [c for k in node.keywords if k.arg in _FACET_KEYWORDS for c in _constants(k.value)]
    return facets, strata


def _constants(node: ast.AST) -> list[str]:
    """Column names an argument gives: ``"a"``, ``["a", "b"]``, ``df["a"]``, ``df[["a", "b"]]``
    (not constants compared or computed inside it: ``df["sex"] == "F"`` names no column)."""
    if isinstance(node, ast.Constant):
        return [node.value] if isinstance(node.value, str) and _COLUMN.match(node.value) else []
    if isinstance(node, (ast.List, ast.Tuple)):
        return [c for elt in node.elts for c in _constants(elt)]
    if isinstance(node, ast.Subscript):
        return _constants(node.slice)
    return []
