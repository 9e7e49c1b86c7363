"""Precision from a labelled sample: fingerprint -> true/false positive, per rule.

Labels come from a CSV (``fingerprint,label[,note]``), or a YAML/JSON mapping
(``fingerprint: true``). A label is true for tp/true/yes/1 and false for fp/false/no/0.
:func:`sample` draws a reproducible, rule-stratified sample of counted findings as a CSV
template to fill in.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Mapping

import yaml

from orchestrator import safeio

if TYPE_CHECKING:  # pandas is imported where it is used: every fairlint command imports this module
    import pandas as pd

_TRUE = {"tp", "true", "yes", "y", "1", "t", "true-positive", "true_positive"}
_FALSE = {"fp", "false", "no", "n", "0", "f", "false-positive", "false_positive"}
PRECISION_COLUMNS = ["rule_id", "bias_pattern", "labelled", "true_positives", "false_positives",
                     "precision", "ci95_low", "ci95_high", "findings", "labelled_share"]


class LabelError(ValueError):
    """The labels file cannot be read; the message says where."""


@dataclass(frozen=True)
class TriageResult:
    precision: pd.DataFrame
    unknown: tuple[str, ...]  # labelled fingerprints that are not in the findings


def parse_label(value: object, where: str) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise LabelError(f"{where}: label {value!r} is not true/false (tp/fp, yes/no, 1/0)")


def load_labels(path: Path | str) -> dict[str, bool]:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise LabelError(f"cannot read labels {path}: {exc.strerror}") from None
    if path.suffix.lower() == ".csv":
        return _csv_labels(text, path)
    try:
        doc = json.loads(text) if path.suffix.lower() == ".json" else yaml.safe_load(text)
    except (ValueError, yaml.YAMLError) as exc:
        raise LabelError(f"{path}: cannot parse: {exc}") from None
    if not isinstance(doc, Mapping):
        raise LabelError(f"{path}: expected a mapping fingerprint -> true/false")
    return {str(k): parse_label(v, f"{path}: {k}") for k, v in doc.items()}


def _csv_labels(text: str, path: Path) -> dict[str, bool]:
    reader = csv.DictReader(text.splitlines())
    if not reader.fieldnames or not {"fingerprint", "label"} <= set(reader.fieldnames):
        raise LabelError(f"{path}: a labels CSV needs the columns 'fingerprint' and 'label'")
    labels: dict[str, bool] = {}
    for i, row in enumerate(reader, start=2):
        if not (row.get("label") or "").strip():
            continue  # not labelled yet (a sample template)
        labels[row["fingerprint"].strip()] = parse_label(row["label"], f"{path}:{i}")
    return labels


def wilson(tp: int, n: int) -> tuple[float, float]:
    """Wilson score interval for a proportion (95%): :func:`orchestrator.study.stats.wilson`."""
    from orchestrator.study import stats

    return stats.wilson(tp, n)


def precision(findings: pd.DataFrame, labels: Mapping[str, bool]) -> TriageResult:
    """Per-rule precision over the labelled fingerprints (each fingerprint counts once)."""
    import pandas as pd

    per_fp = findings.drop_duplicates("fingerprint")[["fingerprint", "rule_id", "bias_pattern"]]
    totals = per_fp.groupby("rule_id").size()
    known = set(per_fp["fingerprint"])
    lab = per_fp[per_fp["fingerprint"].isin(labels)].copy()
    lab["tp"] = lab["fingerprint"].map(lambda f: bool(labels[f]))
    rows = []
    for (rule, pattern), grp in lab.groupby(["rule_id", "bias_pattern"], sort=True):
        n, tp = len(grp), int(grp["tp"].sum())
        lo, hi = wilson(tp, n)
        rows.append({"rule_id": rule, "bias_pattern": pattern, "labelled": n, "true_positives": tp,
                     "false_positives": n - tp, "precision": round(tp / n, 4), "ci95_low": lo, "ci95_high": hi,
                     "findings": int(totals[rule]), "labelled_share": round(n / int(totals[rule]), 4)})
    unknown = tuple(sorted(f for f in labels if f not in known))
    return TriageResult(pd.DataFrame(rows, columns=PRECISION_COLUMNS), unknown)


def sample(findings: pd.DataFrame, per_rule: int, seed: int = 0) -> pd.DataFrame:
    """Up to ``per_rule`` distinct counted fingerprints per rule, as a labels template."""
    import pandas as pd

    df = findings[findings["counted"]] if "counted" in findings else findings
    df = df.drop_duplicates("fingerprint").sort_values(["rule_id", "fingerprint"])
    picked = [grp.sample(n=min(per_rule, len(grp)), random_state=seed)
              for _, grp in df.groupby("rule_id", sort=True)]
    cols = ["fingerprint", "rule_id", "bias_pattern", "repo", "path", "start_line", "message", "snippet"]
    out = pd.concat(picked) if picked else df.iloc[0:0]
    out = out[[c for c in cols if c in out.columns]].sort_values(["rule_id", "repo", "path", "start_line"])
    out.insert(1, "label", "")
    return out.reset_index(drop=True)


def write_table(frame: pd.DataFrame, path: Path | str) -> Path:
    """Write ``frame`` as CSV to ``path`` atomically (safeio.atomic_path): a failed write leaves
    an earlier table (a half-labelled sample) whole; a symlink at ``path`` is replaced, not
    followed. Raises :class:`orchestrator.safeio.OutputError`."""
    path = Path(path)
    with safeio.atomic_path(path) as tmp:
        frame.to_csv(tmp, index=False)
    return path
