"""SARIF 2.1.0, ready for GitHub code scanning (``github/codeql-action/upload-sarif``) as is.

* ``tool.driver.rules``: one per rule that has a finding (id, name, short and full
  description, help text and markdown with the references, ``properties.tags``
  ``["fairness", <pattern id>, <stage>]``, ``precision``, ``problem.severity``).
* ``results``: level ``error`` (critical/high), ``warning`` (medium), ``note`` (low/info);
  a relative ``uri`` with ``uriBaseId: %SRCROOT%``; the region with its snippet;
  ``partialFingerprints["fairlint/v1"]`` (line-independent, so alerts survive edits);
  ``relatedLocations`` for the other places of the same finding; ``codeFlows`` when an engine
  reported a data flow; the score and its factors in ``properties``. Notebook findings count
  regions on the ``.ipynb`` file's own JSON line (as GitHub shows it); the message names the cell,
``properties.notebookCell`` has it. ``helpUri`` is the rule's section of docs/rules.md, and the
help text shows Semgrep metavariables as explained placeholders.

Precision follows the rule's confidence: HIGH on an H-class (import/call) rule is
``very-high``, otherwise HIGH ``high``, MEDIUM ``medium``, LOW ``low``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, Iterable
from urllib.parse import quote

from orchestrator.engines.interface import RESULTS_MISSING
from orchestrator.escape import json_text, real_path
from orchestrator.formats.interface import Formatter
from orchestrator.formats.notebook_lines import NotebookLines
from orchestrator.model import Finding, Location, ScanResult, Severity
from orchestrator.pipeline import reasoning
from orchestrator.pipeline.scan import INCOMPLETE
from orchestrator.pipeline.scoring import MATRIX, level_for
from orchestrator.rules import pack as rulepack
from orchestrator.rules.taxonomy import PATTERNS

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
FINGERPRINT_KEY = "fairlint/v1"
SRCROOT = "%SRCROOT%"
INFORMATION_URI = "https://github.com/fairlint/fairlint"  # pyproject [project.urls] Repository
_METAVARIABLE = re.compile(r"`?\$([A-Z][A-Z0-9_]*)`?")

LEVEL = {Severity.CRITICAL: "error", Severity.HIGH: "error", Severity.MEDIUM: "warning",
         Severity.LOW: "note", Severity.INFO: "note"}
PROBLEM_SEVERITY = {"error": "error", "warning": "warning", "note": "recommendation"}


# --------------------------------------------------------------------------- rules

def _rule_info(rule_id: str, example: Finding) -> dict[str, Any]:
    """What we know about a rule: the pack's rule file, a synthetic rule, or the finding."""
    rule = rulepack.rules_by_id().get(rule_id)
    if rule is not None:
        return {"message": rule.message, **rule.metadata}
    synthetic = reasoning.REPOSITORY_RULES.get(rule_id)
    if synthetic is not None:
        meta = synthetic.metadata(())
        return {"message": f"{synthetic.pattern_name}: decided over the whole repository from "
                           f"evidence rules; the result's message names the evidence.", **meta}
    return {"message": example.message, "bias-pattern": example.bias_pattern,
            "stage": example.stage, "pattern-name": example.pattern_name,
            "confidence": example.confidence, "references": list(example.references)}


def _default_level(info: dict) -> str:
    likelihood = str(info.get("likelihood") or "MEDIUM").upper()
    impact = str(info.get("impact") or "MEDIUM").upper()
    base = MATRIX.get((likelihood, impact), MATRIX[("MEDIUM", "MEDIUM")])
    return LEVEL[level_for(base)]


def _precision(info: dict) -> str:
    confidence = str(info.get("confidence") or "MEDIUM").upper()
    if confidence == "HIGH":
        return "very-high" if info.get("detect-class") == "H" else "high"
    return {"MEDIUM": "medium", "LOW": "low"}.get(confidence, "medium")


def help_uri(rule_id: str) -> str:
    """The rule's section in docs/rules.md (a stable anchor per rule id), at this version's tag."""
    from orchestrator import __version__

    return f"{INFORMATION_URI}/blob/v{__version__}/docs/rules.md#{rule_id}"


def explain_metavariables(message: str) -> str:
    """A rule message for its help text: Semgrep metavariables (``$SEL``) become placeholders
    (``<sel>``) and one sentence says what they stand for (the alert names the code itself)."""
    names = list(dict.fromkeys(m.group(1) for m in _METAVARIABLE.finditer(message)))
    if not names:
        return message
    text = _METAVARIABLE.sub(lambda m: f"<{m.group(1).lower()}>", message)
    shown = ", ".join(f"<{n.lower()}>" for n in names)
    return (f"{text} ({shown}: the code the rule matched at the alert; the alert's message "
            f"names it.)")


def _help(info: dict, pattern_id: str, pattern_name: str) -> dict[str, str]:
    message = explain_metavariables(" ".join(str(info.get("message", "")).split()))
    refs = [str(r) for r in info.get("references") or ()]
    text = f"{pattern_id} {pattern_name}.\n\n{message}"
    markdown = f"**{pattern_id}: {pattern_name}** (stage: {info.get('stage', '')})\n\n{message}"
    if refs:
        text += "\n\nReferences:\n" + "\n".join(f"- {r}" for r in refs)
        markdown += "\n\n**References**\n\n" + "\n".join(f"- {r}" for r in refs)
    return {"text": text, "markdown": markdown}


def sarif_rule(rule_id: str, example: Finding) -> dict[str, Any]:
    info = _rule_info(rule_id, example)
    pattern_id = str(info.get("bias-pattern") or example.bias_pattern)
    taxonomy = PATTERNS.get(pattern_id)
    pattern_name = str(info.get("pattern-name") or example.pattern_name
                       or (taxonomy.name if taxonomy else rule_id))
    stage = str(info.get("stage") or example.stage)
    level = _default_level(info)
    rule: dict[str, Any] = {
        "id": rule_id,
        "name": _camel(rule_id),
        "shortDescription": {"text": f"{pattern_id}: {pattern_name}"},
        "fullDescription": {"text": taxonomy.name if taxonomy else pattern_name},
        "help": _help({**info, "stage": stage}, pattern_id, pattern_name),
        "defaultConfiguration": {"level": level},
        "properties": {
            "tags": _unique(["fairness", pattern_id, stage]),
            "precision": _precision(info),
            "problem.severity": PROBLEM_SEVERITY[level],
        },
    }
    rule["helpUri"] = help_uri(rule_id)
    return rule


def _camel(rule_id: str) -> str:
    return "".join(part.capitalize() for part in rule_id.split("-"))


def _unique(items: Iterable[str]) -> list[str]:
    out: list[str] = []
    for item in items:
        if item and item not in out:
            out.append(item)
    return out


# --------------------------------------------------------------------------- results

def _uri(path: str) -> str:
    """The relative URI of a file (RFC 3986): the real path's bytes (undecodable ones as they are
    on disk), every byte outside the unreserved set and '/' percent-encoded."""
    return quote(real_path(path).encode("utf-8", "surrogateescape"), safe="/-_.~")


def _region(start_line: int, end_line: int, start_col: int, end_col: int,
            snippet: str | None = None) -> dict[str, Any]:
    region: dict[str, Any] = {"startLine": max(1, start_line), "endLine": max(1, start_line, end_line)}
    if start_col > 1 or end_col > 1:
        region["startColumn"] = max(1, start_col)
        if end_line > start_line or end_col > start_col:
            region["endColumn"] = max(1, end_col)
    if snippet:
        region["snippet"] = {"text": snippet}
    return region


def _physical(loc: Location, snippet: str | None = None) -> dict[str, Any]:
    physical: dict[str, Any] = {
        "artifactLocation": {"uri": _uri(loc.path), "uriBaseId": SRCROOT},
        "region": _region(loc.start_line, loc.end_line, loc.start_col, loc.end_col, snippet),
    }
    return physical


def _primary(f: Finding, notebooks: NotebookLines | None = None) -> dict[str, Any]:
    loc = Location(f.path, f.start_line, f.end_line, f.start_col, f.end_col, f.cell)
    location: dict[str, Any] = {"physicalLocation": _physical(loc, f.snippet)}
    if f.cell is not None:
        # GitHub shows a notebook as its JSON: the region is the JSON line holding the cell line
        # (columns inside it differ, so none); a notebook that cannot be read again gets none.
        line = notebooks.file_line(f) if notebooks is not None else None
        physical = location["physicalLocation"]
        if line is None:
            del physical["region"]
        else:
            physical["region"] = {"startLine": line, "endLine": line, "snippet": {"text": f.snippet}}
        location["properties"] = {"notebookCell": {"index": f.cell.index, "line": f.cell.line,
                                                   "id": f.cell.id}}
    return location


def _code_flows(f: Finding) -> list[dict[str, Any]]:
    steps = [{"location": {"physicalLocation": _physical(loc),
                           "message": {"text": "source" if i == 0 else
                                       "sink" if i == len(f.code_flow) - 1 else "step"}}}
             for i, loc in enumerate(f.code_flow)]
    return [{"threadFlows": [{"locations": steps}]}]


def _message(f: Finding) -> str:
    text = " ".join(f.message.split())
    if f.cell is not None:  # regions of notebook findings count lines inside the cell
        text += f" (notebook cell {f.cell.index}, line {f.cell.line})"
    return text


def sarif_result(f: Finding, rule_index: int, notebooks: NotebookLines | None = None) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": f.rule_id,
        "ruleIndex": rule_index,
        "level": LEVEL[f.severity],
        "message": {"text": _message(f)},
        "locations": [_primary(f, notebooks)],
        "partialFingerprints": {FINGERPRINT_KEY: f.fingerprint},
        "properties": {
            "severity": f.severity.value,
            "score": f.score,
            "biasPattern": f.bias_pattern,
            "stage": f.stage,
            "confidence": f.confidence,
            "repositoryLevel": f.repository_level,
            "foundBy": list(f.found_by),
            "scoreFactors": [{"name": x.name, "value": x.value, "reason": x.reason}
                             for x in f.score_factors],
            "evidence": list(f.evidence),
        },
    }
    others = [loc for loc in f.occurrences
              if (loc.path, loc.start_line, loc.start_col) != (f.path, f.start_line, f.start_col)]
    if others:
        result["relatedLocations"] = [
            {"id": i, "physicalLocation": _physical(loc),
             "message": {"text": "The same finding also stands here (a copy of this code)."}}
            for i, loc in enumerate(others, start=1)]
    if f.code_flow:
        result["codeFlows"] = _code_flows(f)
    return result


# --------------------------------------------------------------------------- the log

def sarif_log(result: ScanResult) -> dict[str, Any]:
    examples: dict[str, Finding] = {}
    for f in result.findings:
        examples.setdefault(f.rule_id, f)
    rule_ids = sorted(examples)
    index = {rule_id: i for i, rule_id in enumerate(rule_ids)}
    notebooks = NotebookLines(result.root)
    run: dict[str, Any] = {
        "tool": {"driver": {
            "name": "fairlint",
            "version": result.tool.fairlint,
            "semanticVersion": result.tool.fairlint,
            "informationUri": INFORMATION_URI,
            "rules": [sarif_rule(r, examples[r]) for r in rule_ids],
            "properties": {"rulePack": result.tool.rule_pack, "engines": list(result.tool.engines),
                           "semgrep": result.tool.semgrep, "codeql": result.tool.codeql},
        }},
        "invocations": [_invocation(result)],
        "results": [sarif_result(f, index[f.rule_id], notebooks) for f in result.findings],
        "columnKind": "unicodeCodePoints",
        "properties": {"filesScanned": result.files_scanned,
                       "suppressions": len(result.suppressions)},
    }
    base = _root_uri(result.root)
    if base:
        run["originalUriBaseIds"] = {SRCROOT: {"uri": base}}
    return {"$schema": SARIF_SCHEMA, "version": SARIF_VERSION, "runs": [run]}


def _root_uri(root: str) -> str | None:
    path = Path(root)
    if not path.is_absolute():
        return None
    uri = path.as_uri()
    return uri if uri.endswith("/") else uri + "/"


def _invocation(result: ScanResult) -> dict[str, Any]:
    """The run's invocation: ``executionSuccessful`` is false when the scan has errors or is
    incomplete (an engine failed, so some files have no results), with a notification each."""
    notes = [{"level": "error" if s.reason == RESULTS_MISSING else "warning",
              "message": {"text": f"skipped {s.path}: {s.reason}" + (f" ({s.detail})" if s.detail else "")},
              "locations": [{"physicalLocation": {"artifactLocation": {"uri": _uri(s.path),
                                                                       "uriBaseId": SRCROOT}}}]}
             for s in result.skipped if s.path]
    notes += [{"level": "error", "message": {"text": e}} for e in result.errors]
    missing = sum(s.reason == RESULTS_MISSING for s in result.skipped)
    if missing and not any(e.startswith(INCOMPLETE) for e in result.errors):
        notes.append({"level": "error", "message": {
            "text": f"{INCOMPLETE}; {missing} file(s) have no results"}})
    invocation: dict[str, Any] = {"executionSuccessful": not result.errors and not missing}
    if notes:
        invocation["toolExecutionNotifications"] = notes
    return invocation


class SarifFormatter(Formatter):
    name = "sarif"
    extension = "sarif"

    def render(self, result: ScanResult) -> str:
        return json_text(json.dumps(sarif_log(result), indent=2, sort_keys=False, ensure_ascii=False)) + "\n"
