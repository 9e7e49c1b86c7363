"""Fingerprints, and folding matches into findings.

- Fingerprints leave out line numbers (bandit-style): SHA-256 of rule id, path, the snippet
  without Python comments and with whitespace normalised, and the occurrence index among identical
  (rule, path, snippet) matches in file order. Moving unrelated lines or commenting the flagged
  line keeps them; editing the flagged code changes them.
- One site, several rules or engines: matches of the same bias pattern whose line ranges overlap
  in one file (one notebook cell) become one finding; ``found_by`` lists every ``engine:rule``.
- One content, several paths (vendored copies, forks): the pipeline scans the content once at a
  representative path; every copy becomes an entry of the finding's ``occurrences``.
- One source, several sites (:func:`fold_sources`): dataset and model-choice findings fold per
  (rule, source, file), compression and private training per (rule, file); the other sites
  become occurrences (train/valid/test loads of one dataset, one pruning call per layer).
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import replace
from typing import Mapping, Sequence

from orchestrator.model import Finding, Location, Match, Severity
from orchestrator.pipeline import snippets
from orchestrator.rules.taxonomy import PATTERNS

_CONFIDENCE = {"HIGH": 3, "MEDIUM": 2, "LOW": 1}


def fingerprint(rule_id: str, path: str, snippet: str, occurrence: int) -> str:
    text = "\0".join((rule_id, path, snippets.normalise(snippet), str(occurrence)))
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _position(m: Match) -> tuple:
    loc = m.location
    return (loc.path, loc.cell.index if loc.cell else -1, loc.start_line, loc.start_col,
            loc.end_line, loc.end_col, m.rule_id)


def fingerprints(matches: Sequence[Match]) -> list[str]:
    """The fingerprint of each match (same order as ``matches``)."""
    seen: Counter[tuple[str, str, str]] = Counter()
    out = [""] * len(matches)
    for i in sorted(range(len(matches)), key=lambda i: _position(matches[i])):
        m = matches[i]
        key = (m.rule_id, m.location.path, snippets.normalise(m.snippet))
        out[i] = fingerprint(m.rule_id, m.location.path, m.snippet, seen[key])
        seen[key] += 1
    return out


def _primary_rank(m: Match) -> tuple:
    """Which match of a site speaks for it: Semgrep first (always present, so fingerprints do
    not change when another engine is added), then higher confidence, then position and id."""
    confidence = str(m.metadata.get("confidence", "")).upper()
    return (m.engine != "semgrep", -_CONFIDENCE.get(confidence, 0), _position(m))


def sites(matches: Sequence[Match]) -> list[list[int]]:
    """Indices of matches grouped by site: one file (cell), one bias pattern, overlapping lines."""
    groups: dict[tuple, list[int]] = {}
    for i, m in enumerate(matches):
        loc = m.location
        groups.setdefault((loc.path, loc.cell.index if loc.cell else -1, m.bias_pattern or m.rule_id),
                          []).append(i)
    clusters: list[list[int]] = []
    for members in groups.values():
        members.sort(key=lambda i: (matches[i].location.start_line, matches[i].location.end_line))
        current: list[int] = []
        end = -1
        for i in members:
            loc = matches[i].location
            if current and loc.start_line <= end:
                current.append(i)
                end = max(end, loc.end_line)
            else:
                if current:
                    clusters.append(current)
                current, end = [i], loc.end_line
        if current:
            clusters.append(current)
    return clusters


def dedup(matches: Sequence[Match], fps: Sequence[str],
          copies: Mapping[str, Sequence[str]] | None = None) -> list[Finding]:
    """Fold matches into findings (severity INFO, score 0: scoring comes next).

    ``copies`` maps a representative path to the other paths with the same content.
    """
    copies = copies or {}
    findings = []
    for cluster in sites(matches):
        primary = min(cluster, key=lambda i: _primary_rank(matches[i]))
        found_by = sorted({f"{matches[i].engine}:{matches[i].rule_id}" for i in cluster})
        findings.append(to_finding(matches[primary], fps[primary], tuple(found_by),
                                   copies.get(matches[primary].location.path, ())))
    findings.sort(key=lambda f: (f.path, f.cell.index if f.cell else -1, f.start_line, f.rule_id))
    return findings


def occurrences(location: Location, copy_paths: Sequence[str]) -> tuple[Location, ...]:
    return (location,) + tuple(replace(location, path=p) for p in copy_paths)


def to_finding(m: Match, fp: str, found_by: tuple[str, ...], copy_paths: Sequence[str] = ()) -> Finding:
    meta = m.metadata
    pattern = PATTERNS.get(m.bias_pattern)
    loc = m.location
    return Finding(
        rule_id=m.rule_id,
        bias_pattern=m.bias_pattern,
        stage=meta.get("stage") or (pattern.stage if pattern else ""),
        message=m.message,
        path=loc.path,
        start_line=loc.start_line,
        end_line=loc.end_line,
        snippet=m.snippet,
        severity=Severity.INFO,
        score=0.0,
        score_factors=(),
        confidence=str(meta.get("confidence", "LOW")).upper(),
        fingerprint=fp,
        occurrences=occurrences(loc, copy_paths),
        found_by=found_by,
        start_col=loc.start_col,
        end_col=loc.end_col,
        cell=loc.cell,
        pattern_name=meta.get("pattern-name") or (pattern.name if pattern else ""),
        technology=tuple(meta.get("technology") or ()),
        references=tuple(meta.get("references") or ()),
        evidence=tuple(str(e) for e in (meta.get("evidence-locations") or ())),
        repository_level=bool(meta.get("repository-level")) or m.engine == "fairlint",
        code_flow=m.code_flow,
    )


# --------------------------------------------------------------------------- one finding per thing
#: Patterns about a data or model *source*: one finding per (rule, source, file), the other sites
#: as occurrences (train/valid/test loads of one dataset, five files of it, one backbone twice).
SOURCE_PATTERNS = frozenset({"DS01", "DS02", "DS03", "DS04", "DS05", "TR04", "TR05", "TR06", "TR07"})
#: Patterns about one model of a file: compression and private training (a pruning call per
#: layer, prepare/convert of one quantization) fold per (rule, file).
MODEL_PATTERNS = frozenset({"CM01", "CM02", "TR01"})
#: Words of a path or a call that name no particular source.
_GENERIC = frozenset("""
    data dataset datasets input inputs raw processed sample samples home content drive mydrive
    kaggle working train training test testing valid val validation dev eval evaluation split
    splits csv tsv npy npz txt json jsonl pkl pickle parquet h5 hdf5 zip tar gz jpg jpeg png
    images image img imgs label labels all full file files path dir root tmp download downloads
    http https www com org github githubusercontent master main src load loads loader open read
    read_csv read_table read_json loadtxt join listdir glob get_file load_dataset from_pretrained
    imagefolder np2darray_to_df dataframe the and for with out output
""".split())
_STRING = re.compile(r"""[rfbu]{0,2}(['"])([^'"\n]{1,300})\1""", re.IGNORECASE)
_CALLEE = re.compile(r"([A-Za-z_]\w*)\s*\(")


def source_of(pattern: str, snippet: str) -> str:
    """What a source finding is about: the first telling word of its string literals (a dataset
    path: ``celeba/celeba_label.train.npy`` -> ``celeba``), else of its calls (``resnet50``,
    ``CelebA``), lower-cased; '' for model patterns (one model per file) or when nothing tells."""
    if pattern in MODEL_PATTERNS:
        return ""
    for _, text in _STRING.findall(snippet):
        for word in re.split(r"[^A-Za-z0-9]+", text.lower()):
            if len(word) >= 3 and not word.isdigit() and word not in _GENERIC:
                return word
    for callee in _CALLEE.findall(snippet):
        if callee.lower() not in _GENERIC and len(callee) >= 3:
            return callee.lower()
    return ""


def fold_sources(findings: Sequence[Finding]) -> list[Finding]:
    """One finding per (rule, source, file) for source and model patterns: the first site in
    file order speaks for the others, which become occurrences (their copies too); ``found_by``
    is the union. Other findings pass through unchanged; the order is kept."""
    groups: dict[tuple, list[int]] = {}
    for i, f in enumerate(findings):
        if f.repository_level or f.bias_pattern not in SOURCE_PATTERNS | MODEL_PATTERNS:
            continue
        groups.setdefault((f.rule_id, f.path, source_of(f.bias_pattern, f.snippet)), []).append(i)
    merged: dict[int, Finding] = {}
    dropped: set[int] = set()
    for members in groups.values():
        if len(members) < 2:
            continue
        members.sort(key=lambda i: _finding_position(findings[i]))
        first, rest = members[0], members[1:]
        others = [findings[i] for i in rest]
        places = list(findings[first].occurrences)
        for o in others:
            places.extend(loc for loc in o.occurrences if loc not in places)
        found_by = tuple(sorted(set(findings[first].found_by).union(*(o.found_by for o in others))))
        merged[first] = replace(findings[first], occurrences=tuple(places), found_by=found_by)
        dropped.update(rest)
    return [merged.get(i, f) for i, f in enumerate(findings) if i not in dropped]


def _finding_position(f: Finding) -> tuple:
    return (f.cell.index if f.cell else -1, f.start_line, f.start_col)
