"""Findings as the editor shows them: diagnostics, hovers, rule documentation links.

- Severity: a finding the policy's gate would fail on (``fail-on``, default high) is an Error;
  other medium and higher findings are Warnings, low ones Information, info ones Hints.
- ``code`` is the rule id; ``codeDescription`` links to the rule's row of the catalogue
  (``docs/rules.md#<rule-id>``).
- The message is the finding's first sentence (what was found); the rest (why it is bias-prone,
  what to do), the references and the score factors are in the hover.
- ``relatedInformation``: the steps of a code flow and the evidence behind a repository-level
  finding (``kind path:line`` entries, see :mod:`orchestrator.pipeline.reasoning`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Callable

from lsprotocol import types as lsp

from orchestrator.gate.policy import Policy
from orchestrator.model import Finding, Location, Severity, Skipped, Suppression
from orchestrator.rules.taxonomy import PATTERNS

SOURCE = "fairlint"


@dataclass(frozen=True)
class Place:
    """Where the editor shows a place: its file, or its notebook cell when the notebook is
    open; ``note`` ("cell 2, line 5: ") when the range cannot point at the cell's line."""

    uri: str
    range: lsp.Range
    note: str = ""


#: ``placer(path, cell_index, start_line, start_col, end_line, end_col)``, lines 1-based.
Placer = Callable[[str, "int | None", int, int, int, int], "Place | None"]

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z`\"'(\[])")
_ABBREVIATIONS = ("e.g.", "i.e.", "etc.", "vs.", "cf.", "al.", "approx.", "Fig.", "No.")
_EVIDENCE = re.compile(r"^(?P<kind>\S+) (?P<path>.+?)(?: cell (?P<cell>\d+))?:(?P<line>\d+)$")


# ------------------------------------------------------------------ text
def split_message(message: str) -> tuple[str, str]:
    """(first sentence, the rest): "what was found" and "why, what to do"."""
    text = " ".join(message.split())
    for m in _SENTENCE_END.finditer(text):
        head = text[:m.start()]
        if head.endswith(_ABBREVIATIONS):
            continue
        return head, text[m.end():]
    return text, ""


def severity(finding: Finding, policy: Policy) -> lsp.DiagnosticSeverity:
    if policy.fails(finding):
        return lsp.DiagnosticSeverity.Error
    if finding.severity.rank >= Severity.MEDIUM.rank:
        return lsp.DiagnosticSeverity.Warning
    if finding.severity is Severity.LOW:
        return lsp.DiagnosticSeverity.Information
    return lsp.DiagnosticSeverity.Hint


# ------------------------------------------------------------------ documentation links
@lru_cache(maxsize=1)
def catalogue_uri() -> str:
    """``docs/rules.md`` of the source checkout when there is one, else the same catalogue
    written once to the user cache folder (an installed fairlint carries no docs/)."""
    checkout = Path(__file__).resolve().parents[2] / "docs" / "rules.md"
    if checkout.is_file():
        return checkout.as_uri()
    from orchestrator.pipeline import cache
    from orchestrator.rules import pack

    target = cache.default_dir() / "docs" / "rules.md"
    try:
        text = pack.catalogue_markdown()
        if not target.is_file() or target.read_text(encoding="utf-8") != text:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
    except OSError:
        pass
    return target.as_uri()


def docs_href(rule_id: str, base: str | None = None) -> str:
    return f"{base or catalogue_uri()}#{rule_id}"


# ------------------------------------------------------------------ diagnostics
@dataclass(frozen=True)
class Shown:
    """A diagnostic and the finding behind it (for hovers and code actions)."""

    uri: str
    diagnostic: lsp.Diagnostic
    finding: Finding | None = None


def finding_diagnostics(finding: Finding, policy: Policy, place: Placer, docs_base: str | None = None) -> list[Shown]:
    """One diagnostic per place of the finding (its primary location and every copy)."""
    first, _rest = split_message(finding.message)
    related = related_information(finding, place)
    out = []
    cell = finding.cell.index if finding.cell else None
    spots = [(finding.path, cell, finding.start_line, finding.start_col, finding.end_line, finding.end_col)]
    spots += [(o.path, o.cell.index if o.cell else None, o.start_line, o.start_col, o.end_line, o.end_col)
              for o in finding.occurrences if o.path != finding.path]
    for spot in spots:
        placed = place(*spot)
        if placed is None:
            continue
        diag = lsp.Diagnostic(
            range=placed.range, severity=severity(finding, policy), code=finding.rule_id,
            code_description=lsp.CodeDescription(href=docs_href(finding.rule_id, docs_base)),
            source=SOURCE, message=f"{placed.note}{first} [{finding.bias_pattern}, {finding.severity.value}]",
            related_information=related or None,
            data={"fingerprint": finding.fingerprint, "rule": finding.rule_id,
                  "pattern": finding.bias_pattern})
        out.append(Shown(placed.uri, diag, finding))
    return out


def related_information(finding: Finding, place: Placer) -> list[lsp.DiagnosticRelatedInformation]:
    out = []
    for step, loc in enumerate(finding.code_flow, start=1):
        placed = _place_location(loc, place)
        if placed:
            out.append(lsp.DiagnosticRelatedInformation(lsp.Location(placed.uri, placed.range),
                                                        f"{placed.note}code flow step {step}"))
    for entry in finding.evidence:
        m = _EVIDENCE.match(entry)
        if not m:
            continue
        line = int(m["line"])
        placed = place(m["path"], int(m["cell"]) if m["cell"] else None, line, 1, line, 1)
        if placed:
            out.append(lsp.DiagnosticRelatedInformation(lsp.Location(placed.uri, placed.range),
                                                        f"{placed.note}evidence: {m['kind']}"))
    return out


def _place_location(loc: Location, place: Placer) -> Place | None:
    return place(loc.path, loc.cell.index if loc.cell else None, loc.start_line, loc.start_col,
                 loc.end_line, loc.end_col)


def skipped_diagnostic(item: Skipped, place: Placer) -> Shown | None:
    """A file the scan read only partly (a syntax error) or not at all, on the line named."""
    m = re.search(r"(?:cell (?P<cell>\d+), )?line (?P<line>\d+)", item.detail)
    line = int(m["line"]) if m else 1
    cell = int(m["cell"]) if m and m["cell"] else None
    placed = place(item.path, cell, line, 1, line, 1)
    if placed is None:
        return None
    rng = lsp.Range(placed.range.start, lsp.Position(placed.range.start.line + 1, 0))
    detail = f": {item.detail}" if item.detail else ""
    return Shown(placed.uri, lsp.Diagnostic(rng, f"fairlint: {item.reason}{detail}", lsp.DiagnosticSeverity.Information,
                                     code="not-analysed", source=SOURCE))


def suppression_diagnostic(s: Suppression, place: Placer) -> Shown | None:
    """A suppression with a problem (no reason: the gate fails; unknown id; suppresses nothing)."""
    if not s.problem:
        return None
    placed = place(s.path, None, s.line, 1, s.line, 1)
    if placed is None:
        return None
    start = placed.range.start
    failing = s.problem == "missing reason"
    text = ("suppression without a reason: `fairlint gate` fails on it; write why after `reason:`"
            if failing else f"suppression: {s.problem}")
    return Shown(placed.uri, lsp.Diagnostic(lsp.Range(start, lsp.Position(start.line + 1, 0)), text,
                                     lsp.DiagnosticSeverity.Error if failing else lsp.DiagnosticSeverity.Information,
                                     code="suppression", source=SOURCE))


# ------------------------------------------------------------------ hover
def hover_markdown(finding: Finding, docs_base: str | None = None) -> str:
    """The pattern, why it is bias-prone, what to do, references, score factors, evidence."""
    pattern = PATTERNS.get(finding.bias_pattern)
    name = finding.pattern_name or (pattern.name if pattern else "")
    first, rest = split_message(finding.message)
    lines = [f"**fairlint {finding.bias_pattern}: {name}**", "",
             f"`{finding.rule_id}` ({finding.stage} stage), severity **{finding.severity.value}** "
             f"(score {finding.score:.1f}/10, confidence {finding.confidence.lower()})"
             + (", repository-level" if finding.repository_level else ""), "",
             first]
    if rest:
        lines += ["", rest]
    if finding.references:
        lines += ["", "**References**", ""] + [f"- {r}" for r in finding.references]
    if finding.score_factors:
        lines += ["", "**Score factors**", "", "| factor | value | why |", "|---|---|---|"]
        lines += [f"| {f.name} | {f.value:+.1f} | {_cell_text(f.reason)} |" for f in finding.score_factors]
    if finding.evidence:
        lines += ["", "**Evidence**", ""] + [f"- {e}" for e in finding.evidence]
    if len(finding.found_by) > 1:
        lines += ["", "Found by " + ", ".join(f"`{x}`" for x in finding.found_by)]
    lines += ["", f"[Rule documentation]({docs_href(finding.rule_id, docs_base)}) · suppress with "
              f"`# fairlint: ignore[{finding.rule_id}] reason: <why>`"]
    return "\n".join(lines)


def _cell_text(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")
