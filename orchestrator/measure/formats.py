"""Render a :class:`MeasureResult` as text, JSON, HTML or SARIF. Formatters return text only.

A figure is *flagged* when a difference is beyond ``max_abs_difference`` or a disparate impact
is below ``min_di`` (both in :class:`MeasureConfig`); flags mean *bias-prone, needs review in
context*, never a verdict.
"""

from __future__ import annotations

import enum
import hashlib
import html
import json
import textwrap
from pathlib import Path

from orchestrator import __version__
from orchestrator.measure.result import METRICS, RATIO_METRICS, Comparison, Conditional, Estimate, MeasureResult


class MeasureFormat(str, enum.Enum):
    TEXT = "text"
    JSON = "json"
    HTML = "html"
    SARIF = "sarif"


UNFLAGGED = frozenset({"CI"})


def flagged(name: str, estimate: Estimate, result: MeasureResult) -> bool:
    """Whether a figure is beyond the configured bounds (``name`` as in ``Comparison.metrics()``)."""
    if estimate.value is None or name in UNFLAGGED:
        return False
    if name.split("[")[0] in RATIO_METRICS:
        return estimate.value < result.config.min_di
    return abs(estimate.value) > result.config.max_abs_difference


def _figure(name: str, estimate: Estimate) -> str:
    if estimate.value is None or name.split("[")[0] not in RATIO_METRICS:
        return estimate.text()
    shown = f"{estimate.value:.3f}"
    return shown + (f" [{estimate.low:.3f}, {estimate.high:.3f}]" if estimate.low is not None else "")


def _pct(value) -> str:
    return "-" if value is None else f"{100 * value:.1f}%"


def _header(result: MeasureResult) -> str:
    config = result.config
    line = (f"{result.source}: {result.rows_read} rows read, {result.rows_used} measured; label "
            f"{config.label!r} (favourable: {result.positive!r})")
    if config.prediction:
        line += f", prediction {config.prediction!r} (favourable: score >= {config.threshold:g})"
    return line


# --------------------------------------------------------------------------- text

def _text_table(rows: list[list[str]]) -> list[str]:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return ["  " + "  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in rows]


def _text_conditional(cond: Conditional, result: MeasureResult) -> list[str]:
    mark = " !" if flagged(cond.metric, cond.cdd, result) else ""
    lines = [f"  conditioned on {cond.group}: {cond.marginal_metric} {cond.dd.text()} -> "
             f"{cond.metric} {cond.cdd.text()}{mark}  [{cond.check.kind}]"]
    lines += textwrap.wrap(cond.check.explanation, 96, initial_indent="    ", subsequent_indent="    ")
    rows = [["stratum", "n", "n_d", "fav. rate", "share d", cond.marginal_metric, "part of " + cond.metric]]
    for s in cond.strata:
        rows.append([s.value, str(s.n), str(s.n_d), _pct(s.positive_rate), _pct(s.share_d),
                     "too small to judge" if s.too_small else ("-" if s.dd is None else f"{s.dd:+.3f}"),
                     "-" if s.contribution is None else f"{s.contribution:+.4f}"])
    return lines + ["  " + line for line in _text_table(rows)]


def _text_comparison(comp: Comparison, result: MeasureResult) -> list[str]:
    lines = [f"{comp.subject} vs the rest (n_d {comp.n_d}, n_a {comp.n_a})"]
    if comp.too_small:
        return lines + [f"  too small to judge (minimum group size {result.config.min_group_size})"]
    rows = []
    for name, estimate in comp.metrics().items():
        if "[" in name:
            continue
        rows.append([name, _figure(name, estimate) + (" !" if flagged(name, estimate, result) else ""),
                     METRICS[name][0]])
    lines += _text_table(rows)
    for cond in comp.conditionals:
        lines += _text_conditional(cond, result)
    return lines


def render_text(result: MeasureResult) -> str:
    lines = [f"fairlint measure: {_header(result)}"]
    for reason, count in result.dropped.items():
        lines.append(f"dropped {count} rows: {reason}")
    prediction = bool(result.config.prediction)
    for table in result.group_tables:
        lines += ["", f"per group: {table.facet}"]
        head = ["value", "n", "share", "fav. label"] + (["fav. pred.", "accuracy", "FPR", "FNR"] if prediction else [])
        rows = [head]
        for r in table.rows:
            if r.too_small:
                rows.append([r.value, str(r.n), _pct(r.share), "too small to judge"] + [""] * (4 if prediction else 0))
                continue
            rows.append([r.value, str(r.n), _pct(r.share), _pct(r.label_rate)]
                        + ([_pct(r.selection_rate), _pct(r.accuracy), _pct(r.fpr), _pct(r.fnr)] if prediction else []))
        lines += _text_table(rows)
    for comp in result.comparisons:
        lines += [""] + _text_comparison(comp, result)
    reversals = result.reversals()
    lines += ["", f"{len(reversals)} reversal(s) (Simpson's paradox); ! marks figures beyond "
                  f"|difference| {result.config.max_abs_difference:g} or DI {result.config.min_di:g}: "
                  f"bias-prone, needs review in context"]
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- json

def render_json(result: MeasureResult) -> str:
    data = {"tool": {"name": "fairlint", "version": __version__}, **result.to_dict()}
    data["reversals"] = [{"facet": c.facet, "value": c.value, "group": k.group, "outcome": k.outcome}
                         for c, k in result.reversals()]
    return json.dumps(data, indent=2) + "\n"


# --------------------------------------------------------------------------- html

_CSS = """
body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:1100px;color:#222;padding:0 1em}
h1{font-size:1.5em}h2{font-size:1.2em;margin-top:2em;border-bottom:1px solid #ddd}h3{font-size:1.05em}
table{border-collapse:collapse;margin:.5em 0}td,th{padding:2px 10px;text-align:left;border-bottom:1px solid #eee}
td.num{text-align:right;font-variant-numeric:tabular-nums}.flag{color:#b00020;font-weight:600}
.bar{display:inline-block;height:10px;background:#4c78a8;vertical-align:middle}
.bar.pred{background:#f58518}.bar.neg{background:#e45756}.muted{color:#777}
.reversal{border-left:4px solid #b00020;background:#fff3f3;padding:.5em 1em}
.check{border-left:4px solid #999;background:#f7f7f7;padding:.5em 1em}
"""


def _e(value) -> str:
    return html.escape(str(value))


def _bar(value, css: str = "", scale: float = 120.0) -> str:
    if value is None:
        return '<span class="muted">-</span>'
    width = max(1, round(abs(value) * scale))
    return f'<span class="bar {css}" style="width:{width}px"></span> {_pct(value)}'


def _html_groups(result: MeasureResult) -> list[str]:
    prediction = bool(result.config.prediction)
    out = []
    for table in result.group_tables:
        out.append(f"<h3>Per group: {_e(table.facet)}</h3><table><tr><th>value</th><th>n</th><th>share</th>"
                   "<th>favourable labels</th>" + ("<th>favourable predictions</th><th>accuracy</th>"
                                                   "<th>FPR</th><th>FNR</th>" if prediction else "") + "</tr>")
        for r in table.rows:
            if r.too_small:
                cells = f'<td colspan="{5 if prediction else 1}" class="muted">too small to judge</td>'
            else:
                cells = f"<td>{_bar(r.label_rate)}</td>"
                if prediction:
                    cells += (f'<td>{_bar(r.selection_rate, "pred")}</td><td class="num">{_pct(r.accuracy)}</td>'
                              f'<td class="num">{_pct(r.fpr)}</td><td class="num">{_pct(r.fnr)}</td>')
            out.append(f'<tr><td>{_e(r.value)}</td><td class="num">{r.n}</td>'
                       f'<td class="num">{_pct(r.share)}</td>{cells}</tr>')
        out.append("</table>")
    return out


def _html_conditional(cond: Conditional, result: MeasureResult) -> list[str]:
    css = "reversal" if cond.check.kind == "reversal" else "check"
    out = [f'<h4>Conditioned on {_e(cond.group)} ({_e(cond.outcome)}s)</h4>',
           f'<p class="{css}"><b>{_e(cond.check.kind.capitalize())}</b>: {_e(cond.marginal_metric)} '
           f'{_e(cond.dd.text())} vs {_e(cond.metric)} {_e(cond.cdd.text())}. {_e(cond.check.explanation)}</p>',
           f"<table><tr><th>{_e(cond.group)}</th><th>n</th><th>n_d</th><th>favourable rate</th><th>share of d</th>"
           f"<th>{_e(cond.marginal_metric)} in stratum</th><th>part of {_e(cond.metric)}</th></tr>"]
    for s in cond.strata:
        if s.too_small or s.dd is None:
            dd = '<span class="muted">too small to judge</span>' if s.too_small else "-"
        else:
            dd = (f'<span class="bar {"neg" if s.dd > 0 else ""}" style="width:{max(1, round(abs(s.dd) * 400))}px">'
                  f'</span> {s.dd:+.3f}')
        part = "-" if s.contribution is None else f"{s.contribution:+.4f}"
        mark = " &#9733;" if s.value in cond.check.driving else ""
        out.append(f'<tr><td>{_e(s.value)}{mark}</td><td class="num">{s.n}</td><td class="num">{s.n_d}</td>'
                   f'<td class="num">{_pct(s.positive_rate)}</td><td class="num">{_pct(s.share_d)}</td>'
                   f'<td>{dd}</td><td class="num">{part}</td></tr>')
    out.append("</table>")
    return out


def render_html(result: MeasureResult) -> str:
    body = [f"<h1>fairlint measure</h1><p>{_e(_header(result))}</p>"]
    body += [f"<p>Dropped {count} rows: {_e(reason)}</p>" for reason, count in result.dropped.items()]
    reversals = result.reversals()
    if reversals:
        body.append('<div class="reversal"><b>Simpson\'s paradox</b>: ' + "; ".join(
            f"{_e(c.subject)} within {_e(k.group)} ({_e(k.outcome)}s)" for c, k in reversals) + "</div>")
    body.append("<h2>Measured</h2>")
    body += _html_groups(result)
    for comp in result.comparisons:
        body.append(f"<h2>{_e(comp.subject)} vs the rest</h2><p>n_d {comp.n_d}, n_a {comp.n_a}</p>")
        if comp.too_small:
            body.append('<p class="muted">too small to judge</p>')
            continue
        body.append("<table><tr><th>metric</th><th>value [interval]</th><th>meaning</th></tr>")
        for name, est in comp.metrics().items():
            if "[" in name:
                continue
            flag = ' class="flag"' if flagged(name, est, result) else ""
            body.append(f"<tr><td>{_e(name)}</td><td{flag}>{_e(_figure(name, est))}</td>"
                        f"<td>{_e(METRICS[name][0])}; {_e(METRICS[name][2])}</td></tr>")
        body.append("</table>")
        for cond in comp.conditionals:
            body += _html_conditional(cond, result)
    body.append(f'<p class="muted">Flagged (red): |difference| above {result.config.max_abs_difference:g} or DI '
                f"below {result.config.min_di:g}: bias-prone, needs review in context. &#9733; marks the strata "
                "that drive the conditional disparity. Metric definitions: SageMaker Clarify; see docs/measure.md.</p>")
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>fairlint measure</title>"
            f"<style>{_CSS}</style></head><body>\n" + "\n".join(body) + "\n</body></html>\n")


# --------------------------------------------------------------------------- sarif

SARIF_RULES = {
    "measure-disparity": "A measured disparity between a facet value and the rest is beyond the configured bound",
    "measure-simpson-reversal": "The disparity reverses once outcomes are compared within strata (Simpson's paradox)",
    "measure-too-small": "A facet group is too small to judge",
}


def _fingerprint(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32]


def render_sarif(result: MeasureResult) -> str:
    uri = Path(result.source).as_posix() if result.source != "the table" else "table"
    location = [{"physicalLocation": {"artifactLocation": {"uri": uri}}}]
    results = []

    def add(rule: str, level: str, text: str, *key: str, properties: dict | None = None):
        results.append({"ruleId": rule, "level": level, "message": {"text": text}, "locations": location,
                        "partialFingerprints": {"fairlint-measure/v1": _fingerprint(rule, *key)},
                        "properties": properties or {}})

    for comp in result.comparisons:
        if comp.too_small:
            add("measure-too-small", "note", f"{comp.subject}: too small to judge (n_d {comp.n_d}, n_a {comp.n_a}).",
                comp.facet, comp.value)
            continue
        for name, est in comp.metrics().items():
            if flagged(name, est, result):
                base = name.split("[")[0]
                add("measure-disparity", "warning",
                    f"{comp.subject}: {name} {_figure(name, est)} ({METRICS[base][0]}; {METRICS[base][2]}): "
                    f"bias-prone, needs review in context.", comp.facet, comp.value, name,
                    properties={"metric": name, "value": est.value, "facet": comp.facet, "facetValue": comp.value})
        for cond in comp.conditionals:
            if cond.check.kind == "reversal":
                add("measure-simpson-reversal", "warning", cond.check.explanation, comp.facet, comp.value,
                    cond.group, cond.outcome, properties={"dd": cond.dd.value, "cdd": cond.cdd.value,
                                                          "drivingStrata": list(cond.check.driving)})
    rules = [{"id": rule_id, "name": rule_id, "shortDescription": {"text": text},
              "properties": {"tags": ["fairness", "measure"]}} for rule_id, text in SARIF_RULES.items()]
    sarif = {"$schema": "https://json.schemastore.org/sarif-2.1.0.json", "version": "2.1.0",
             "runs": [{"tool": {"driver": {"name": "fairlint", "version": __version__,
                                           "informationUri": "https://github.com/fairlint/fairlint", "rules": rules}},
                       "results": results}]}
    return json.dumps(sarif, indent=2) + "\n"


RENDERERS = {MeasureFormat.TEXT: render_text, MeasureFormat.JSON: render_json,
             MeasureFormat.HTML: render_html, MeasureFormat.SARIF: render_sarif}


def render(result: MeasureResult, fmt: str | MeasureFormat) -> str:
    return RENDERERS[MeasureFormat(fmt)](result)
