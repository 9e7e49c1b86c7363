"""Repository-level reasoning: L-class findings decided over the whole scan.

Some bias-prone patterns are about what a repository does *not* do: it computes accuracy but
no metric per group (EV01), it drops ``sex`` and never evaluates fairness (DP13), it drops the
attribute before the split so no group metric is possible later (DP15). Evidence rules
(``rules/evidence``) report the raw facts as :class:`~orchestrator.model.Match` es with
``Match.evidence`` set; :func:`repository_findings` turns them into synthetic matches
(engine ``fairlint``) that the pipeline normalises, suppresses, dedups and scores like any
other.

Every synthetic match is anchored at its most relevant evidence location and says in its
message which evidence (``path:line``) led to it. Sanitizers (per-group metrics, fairness
libraries, see ``sanitizers`` in ``rules/vocabulary.yaml``) turn the findings off, except
EV04, whose evidence is itself a group metric: it is answered by a stratified analysis.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Iterable, Sequence

from orchestrator.pipeline.memo import LRU, text_size
from orchestrator.model import Match
from orchestrator.rules.repository import REPOSITORY_RULES, RepositoryRule  # noqa: F401  (re-exported)
from orchestrator.rules.vocabulary import Vocabulary

ENGINE = "fairlint"
MAX_LISTED = 3  # evidence locations named per kind in a message
MAX_EVIDENCE = 10  # evidence locations per kind in a finding's ``evidence``

# Evidence kinds (``metadata.evidence`` of the rules in rules/evidence).
PEOPLE_DATA = "people-data"
HIGH_STAKES = "high-stakes-dataset"
PER_GROUP = "per-group-metric"
FAIRNESS_LIBRARY = "fairness-library-used"
AGGREGATE = "aggregate-metric"
DROPPED = "protected-column-dropped"
KEPT = "protected-attribute-kept"
SPLIT = "data-split"
UNSTRATIFIED = "unstratified-split"
IMBALANCE = "class-imbalance-noted"
REWEIGHTING = "reweighting"
RESAMPLING = "resampling"
GROUP_REWEIGHTING = "group-reweighting"
MARGINAL = "marginal-disparity"
STRATIFIED = "stratified-analysis"
MODEL_SELECTION = "aggregate-model-selection"
PROXY_TARGET = "proxy-target"

EVIDENCE_KINDS = (PEOPLE_DATA, HIGH_STAKES, PER_GROUP, FAIRNESS_LIBRARY, AGGREGATE, DROPPED, KEPT,
                  SPLIT, UNSTRATIFIED, IMBALANCE, REWEIGHTING, RESAMPLING, GROUP_REWEIGHTING, MARGINAL,
                  STRATIFIED, MODEL_SELECTION, PROXY_TARGET)

#: Kinds whose match names a protected attribute or a people dataset.
PEOPLE_KINDS = frozenset({PEOPLE_DATA, HIGH_STAKES, DROPPED, KEPT, GROUP_REWEIGHTING, PROXY_TARGET})
#: Construct findings (rules/semgrep) that also count as evidence for their risk side.
CONSTRUCT_EVIDENCE = {"DP11": UNSTRATIFIED, "TR02": MODEL_SELECTION, "DP09": RESAMPLING}




# --------------------------------------------------------------------------- evidence index

@dataclass(frozen=True)
class Evidence:
    """The scan's evidence, by kind, in a stable order (path, line, rule)."""

    by_kind: dict[str, tuple[Match, ...]]
    #: :meth:`of`'s answers by kinds: scoring asks for the same kinds once or twice per finding,
    #: and sorting a set of matches (each hashed whole) per finding was most of a warm scan.
    _memo: dict[tuple[str, ...], tuple[Match, ...]] = field(default_factory=dict, compare=False, repr=False)

    def of(self, *kinds: str) -> tuple[Match, ...]:
        known = self._memo.get(kinds)
        if known is None:
            found = [m for k in kinds for m in self.by_kind.get(k, ())]
            known = self._memo[kinds] = tuple(sorted(set(found), key=_order))
        return known

    def in_file(self, path: str, *kinds: str) -> tuple[Match, ...]:
        return tuple(m for m in self.of(*kinds) if m.location.path == path)

    @property
    def group_evaluation(self) -> tuple[Match, ...]:
        """Sanitizers: anything showing the repository evaluates or mitigates per group."""
        return self.of(PER_GROUP, FAIRNESS_LIBRARY, STRATIFIED, GROUP_REWEIGHTING)

    @property
    def people(self) -> tuple[Match, ...]:
        return self.of(*PEOPLE_KINDS)

    def attributes(self, vocab: Vocabulary) -> tuple[Match, ...]:
        """People data that holds a protected attribute the code could group by: a column
        named for one, a dataset whose schema carries them (tabular benchmark, face set), an
        attribute dropped, kept or weighted by. A corpus of tweets or chest X-rays is people
        data without one."""
        return tuple(m for m in self.people
                     if m.evidence in (HIGH_STAKES, DROPPED, KEPT, GROUP_REWEIGHTING)
                     or m.metadata.get("bias-pattern") in ("DS01", "DS02")
                     or protected_terms(m.snippet, vocab))


def _order(m: Match) -> tuple:
    return (m.location.path, _position(m), m.location.start_col, m.rule_id)


def _position(m: Match) -> tuple[int, int]:
    """Order inside a file: notebook cell first (lines restart in every cell), then line."""
    cell = m.location.cell
    return (cell.index if cell else -1, m.location.start_line)


def collect_evidence(matches: Iterable[Match], vocab: Vocabulary) -> Evidence:
    """Index evidence matches by kind; finding matches add people-data, sanitizer and
    construct evidence (a DP11 split finding is also an unstratified split)."""
    kinds: dict[str, list[Match]] = defaultdict(list)
    symbols = _symbol_regex(vocab)
    for m in matches:
        if m.evidence:
            if m.evidence == FAIRNESS_LIBRARY and not _imports_sanitizer(m.snippet, vocab):
                continue
            kinds[m.evidence].append(m)
            continue
        if m.engine == ENGINE:
            continue
        if m.metadata.get("people-data") is True or _names_protected(m, vocab):
            kinds[PEOPLE_DATA].append(m)
        if symbols and symbols.search(m.snippet):
            kinds[PER_GROUP].append(m)
        construct = CONSTRUCT_EVIDENCE.get(m.bias_pattern)
        if construct:
            kinds[construct].append(m)
    return Evidence({k: tuple(v) for k, v in kinds.items()})


def _names_protected(m: Match, vocab: Vocabulary) -> bool:
    declared = m.metadata.get("vocabulary") or ()
    return "protected" in declared and bool(protected_terms(m.snippet, vocab))


def _imports_sanitizer(snippet: str, vocab: Vocabulary) -> bool:
    modules = re.findall(r"(?:^|\n)\s*(?:from|import)\s+([\w.]+)", snippet)
    return any(mod == s or mod.startswith(s + ".")
               for mod in modules for s in vocab.sanitizer_modules)


def _symbol_regex(vocab: Vocabulary) -> re.Pattern[str] | None:
    if not vocab.sanitizer_symbols:
        return None
    names = "|".join(re.escape(s) for s in sorted(vocab.sanitizer_symbols, key=len, reverse=True))
    return re.compile(rf"(?<![\w])(?:{names})\s*\(")


#: Snippet -> protected terms, per vocabulary object (kept alive by its entry, so its id is
#: never another's); snippets repeat across a scan's rules and a history walk's commits.
_TERMS: dict[int, tuple[Vocabulary, LRU]] = {}


def protected_terms(text: str, vocab: Vocabulary) -> list[str]:
    """The protected terms a snippet names in string literals or identifiers, in order."""
    held = _TERMS.get(id(vocab))
    if held is None or held[0] is not vocab:
        if len(_TERMS) >= 8:
            _TERMS.clear()
        held = _TERMS[id(vocab)] = (vocab, LRU(50_000, 32 << 20, size=text_size))
    return list(held[1].get_or(text, lambda: tuple(_protected_terms(text, vocab))))


def _protected_terms(text: str, vocab: Vocabulary) -> list[str]:
    found: list[str] = []
    for token in re.findall(r"""["'][^"'\n]{1,60}["']|[A-Za-z_][\w]*""", text):
        for term in vocab.find_terms("protected", token):
            if term not in found:
                found.append(term)
    return found


# --------------------------------------------------------------------------- describing

def where(m: Match) -> str:
    loc = m.location
    cell = f" cell {loc.cell.index}" if loc.cell else ""
    return f"{loc.path}{cell}:{loc.start_line}"


def listing(matches: Sequence[Match], label: str, vocab: Vocabulary | None = None) -> str:
    """``label at a.py:3 ('sex'), b.py:9 (+2 more)``."""
    places: dict[str, list[str]] = {}
    for m in matches:
        terms = places.setdefault(where(m), [])
        if len(places) > MAX_LISTED:
            continue  # only listed places need their terms (find_terms is slow on big scans)
        for term in protected_terms(m.snippet, vocab) if vocab else ():
            if term not in terms:
                terms.append(term)
    parts = [place + (f" ({', '.join(repr(t) for t in terms[:3])})" if terms else "")
             for place, terms in list(places.items())[:MAX_LISTED]]
    more = f" (+{len(places) - MAX_LISTED} more)" if len(places) > MAX_LISTED else ""
    return f"{label} at {', '.join(parts)}{more}"


def _evidence_lines(*groups: tuple[str, Sequence[Match]]) -> list[str]:
    """``kind path:line`` per place (at most :data:`MAX_EVIDENCE` per kind, then a count)."""
    out: list[str] = []
    for kind, ms in groups:
        places = list(dict.fromkeys(where(m) for m in ms))
        out += [f"{kind} {place}" for place in places[:MAX_EVIDENCE]]
        if len(places) > MAX_EVIDENCE:
            out.append(f"{kind} +{len(places) - MAX_EVIDENCE} more")
    return out


def _snippet(m: Match) -> str:
    line = m.snippet.strip().splitlines()[0] if m.snippet.strip() else m.rule_id
    return line if len(line) <= 80 else line[:77] + "..."


def _synthetic(rule_id: str, anchor: Match, message: str, evidence: list[str]) -> Match:
    rule = REPOSITORY_RULES[rule_id]
    return Match(engine=ENGINE, rule_id=rule_id, location=anchor.location, message=message,
                 snippet=anchor.snippet, metadata=rule.metadata(evidence),
                 start_offset=anchor.start_offset, end_offset=anchor.end_offset)


def _prefer_people_files(candidates: Sequence[Match], ev: Evidence) -> Match:
    """The candidate in the file with the most people-data evidence (then the first)."""
    counts = defaultdict(int)
    for m in ev.people:
        counts[m.location.path] += 1
    return min(candidates, key=lambda m: (-counts[m.location.path], _order(m)))


def _first_per_file(matches: Sequence[Match]) -> list[tuple[Match, tuple[Match, ...]]]:
    files: dict[str, list[Match]] = defaultdict(list)
    for m in matches:
        files[m.location.path].append(m)
    return [(ms[0], tuple(ms)) for _, ms in sorted(files.items())]


_NO_GROUP_METRIC = ("no per-group metric was found anywhere in the repository (no Fairlearn "
                    "MetricFrame, AIF360 metric, torchmetrics fairness metric, or group-by on a "
                    "protected attribute followed by a metric)")


# --------------------------------------------------------------------------- the patterns

def _ev01(ev: Evidence, vocab: Vocabulary) -> list[Match]:
    aggregate, people = ev.of(AGGREGATE), ev.people
    if not aggregate or not people or ev.group_evaluation:
        return []
    anchor = _prefer_people_files(aggregate, ev)
    msg = (f"Aggregate-only evaluation: `{_snippet(anchor)}` scores the model over all rows, "
           f"and the repository handles people data ({listing(people, 'people data', vocab)}), "
           f"but {_NO_GROUP_METRIC}. Evidence: {listing(aggregate, 'aggregate metrics')}. "
           f"Bias-prone: a good average can hide a group the model fails. Compute the same "
           f"metrics per group (e.g. fairlearn.metrics.MetricFrame with sensitive_features=) "
           f"and report the largest gap.")
    return [_synthetic("aggregate-only-evaluation", anchor, msg,
                       _evidence_lines((AGGREGATE, aggregate), (PEOPLE_DATA, people)))]


def _dp13(ev: Evidence, vocab: Vocabulary) -> list[Match]:
    if ev.group_evaluation:
        return []
    out = []
    for anchor, drops in _first_per_file(ev.of(DROPPED)):
        terms = sorted({t for m in drops for t in protected_terms(m.snippet, vocab)})
        proxies = _proxies_in_file(ev, anchor.location.path, vocab)
        proxy_note = (f" Proxies of the dropped attribute may remain in this file "
                      f"({', '.join(repr(p) for p in proxies)})." if proxies else "")
        msg = (f"Fairness through unawareness: `{_snippet(anchor)}` drops the protected "
               f"attribute(s) {', '.join(repr(t) for t in terms) or 'named here'} "
               f"({listing(drops, 'dropped')}), and nothing in the repository evaluates "
               f"per group: {_NO_GROUP_METRIC}.{proxy_note} Bias-prone: removing the column does "
               f"not remove its proxies and makes disparities invisible. Keep the attribute "
               f"aside (not as a feature) and evaluate the model per group.")
        out.append(_synthetic("fairness-through-unawareness", anchor, msg,
                              _evidence_lines((DROPPED, drops))))
    return out


def _proxies_in_file(ev: Evidence, path: str, vocab: Vocabulary) -> list[str]:
    found: list[str] = []
    for ms in ev.by_kind.values():
        for m in ms:
            if m.location.path != path:
                continue
            for token in re.findall(r"""["'][^"'\n]{1,60}["']""", m.snippet):
                for term in vocab.find_terms("proxy", token):
                    if term not in found:
                        found.append(term)
    return sorted(found)


def _dp15(ev: Evidence, vocab: Vocabulary) -> list[Match]:
    if ev.group_evaluation:
        return []
    out = []
    for anchor, drops in _first_per_file(ev.of(DROPPED)):
        path = anchor.location.path
        splits = [s for s in ev.in_file(path, SPLIT, UNSTRATIFIED)
                  if _position(s) > _position(anchor)]
        if not splits:
            continue
        split = splits[0]
        kept = [k for k in ev.in_file(path, KEPT)
                if _position(k) < _position(split)]
        if kept:
            continue
        terms = sorted({t for m in drops for t in protected_terms(m.snippet, vocab)})
        msg = (f"Protected attribute discarded before the split: `{_snippet(anchor)}` at "
               f"{where(anchor)} drops {', '.join(repr(t) for t in terms) or 'a protected column'} "
               f"and the data is split at {where(split)} without keeping the attribute aside, so "
               f"per-group evaluation of the split-off test data becomes impossible. Bias-prone: "
               f"no group metric can be computed later. Save the column first "
               f"(`groups = df.pop(...)`) and split it with the features.")
        out.append(_synthetic("protected-attribute-discarded-before-split", anchor, msg,
                              _evidence_lines((DROPPED, drops), (SPLIT, [split]))))
    return out


def _dp16(ev: Evidence, vocab: Vocabulary) -> list[Match]:
    # Weighting "by group" needs a group: without a protected attribute in the data (tweets,
    # X-rays) label-only weights are TR03's finding at the weights, not a missing group weight.
    people = ev.attributes(vocab)
    if not people or ev.group_evaluation:
        return []
    imbalance, weighting = ev.of(IMBALANCE), ev.of(REWEIGHTING)
    # Resampling answers a noted imbalance (re-weighting is not absent); whether it is
    # group-blind is DP09's finding at the resampling itself, not a second one here.
    if imbalance and not weighting and not ev.of(RESAMPLING):
        anchor = imbalance[0]
        msg = (f"Re-weighting absent under documented imbalance: `{_snippet(anchor)}` inspects "
               f"the label distribution ({listing(imbalance, 'imbalance noted')}), but nothing "
               f"in the repository re-weights or resamples, and the data is about people "
               f"({listing(people, 'people data', vocab)}). Bias-prone: minority classes and the "
               f"groups over-represented in them get fitted worst. Weight or resample by group "
               f"and label (e.g. AIF360 Reweighing) and compare per-group error rates.")
        return [_synthetic("reweighting-absent-under-imbalance", anchor, msg,
                           _evidence_lines((IMBALANCE, imbalance), (PEOPLE_DATA, people)))]
    if weighting:
        anchor = _prefer_people_files(weighting, ev)
        msg = (f"Group-blind re-weighting: `{_snippet(anchor)}` weights or resamples by label "
               f"only ({listing(weighting, 'reweighting')}) in a repository with people data "
               f"({listing(people, 'people data', vocab)}); nothing weights by group and "
               f"{_NO_GROUP_METRIC}. Bias-prone: label-balanced data can still under-represent "
               f"groups. Weight by (group, label) and evaluate per group.")
        return [_synthetic("group-blind-reweighting", anchor, msg,
                           _evidence_lines((REWEIGHTING, weighting), (PEOPLE_DATA, people)))]
    return []


def _ev04(ev: Evidence, vocab: Vocabulary) -> list[Match]:
    if ev.of(STRATIFIED):
        return []
    out = []
    for anchor, disparities in _first_per_file(ev.of(MARGINAL)):
        msg = (f"Marginal disparity without strata: `{_snippet(anchor)}` measures a disparity "
               f"between groups over the whole population "
               f"({listing(disparities, 'marginal disparity')}), and no analysis anywhere in the "
               f"repository conditions on strata. Bias-prone: by Simpson's paradox the gap can "
               f"shrink or reverse inside every stratum. Also report conditional demographic "
               f"disparity (MetricFrame control_features=, SageMaker Clarify CDD).")
        out.append(_synthetic("marginal-disparity-without-strata", anchor, msg,
                              _evidence_lines((MARGINAL, disparities))))
    return out


def _ds06(ev: Evidence, vocab: Vocabulary) -> list[Match]:
    """A recidivism or arrest column as the outcome: one finding per repository (the label
    is a property of the task, not of one line). No group metric answers it: the bias is in
    what the label measures, and a group-wise evaluation against it inherits that bias."""
    targets = ev.of(PROXY_TARGET)
    if not targets:
        return []
    anchor = targets[0]
    msg = (f"Proxy target label: `{_snippet(anchor)}` makes re-arrest or recorded recidivism the "
           f"outcome to predict ({listing(targets, 'proxy label')}). Bias-prone: arrests record "
           f"policing as much as offending, so groups policed more heavily look riskier and a "
           f"model that fits the label reproduces that, even under per-group evaluation against "
           f"the same label. State what the label stands for, prefer an outcome closer to the "
           f"risk (e.g. conviction for a violent offence), and compare group-wise error rates "
           f"with this label bias in mind.")
    return [_synthetic("proxy-target-label", anchor, msg, _evidence_lines((PROXY_TARGET, targets)))]


def _risk(rule_id: str, kind: str, what: str, advice: str):
    """The risk side of an H construct: one finding per construct site (each merges with the
    construct's own finding in dedup), when the repository has people data and no group metric."""
    def decide(ev: Evidence, vocab: Vocabulary) -> list[Match]:
        found, people = ev.of(kind), ev.people
        if not found or not people or ev.group_evaluation:
            return []
        sites: dict[tuple, Match] = {}
        for m in found:
            sites.setdefault((m.location.path, _position(m)), m)
        out = []
        people_listing = listing(people, 'people data', vocab)  # the same for every site
        people_lines = _evidence_lines((PEOPLE_DATA, people))
        for anchor in sites.values():
            msg = (f"{what}: `{_snippet(anchor)}` at {where(anchor)} in a repository with people "
                   f"data ({people_listing}), and {_NO_GROUP_METRIC}. "
                   f"Bias-prone: {advice}")
            out.append(_synthetic(rule_id, anchor, msg, _evidence_lines((kind, [anchor])) + people_lines))
        return out
    return decide


_DECISIONS = (
    _ev01, _dp13, _dp15, _dp16, _ev04, _ds06,
    _risk("unstratified-split-without-group-evaluation", UNSTRATIFIED,
          "Unstratified split with no per-group evaluation",
          "small groups can end up (almost) absent from the evaluation data and nothing would "
          "notice. Stratify on the label and the protected attribute and evaluate per group."),
    _risk("aggregate-model-selection-without-group-evaluation", MODEL_SELECTION,
          "Model selection on an aggregate metric with no per-group evaluation",
          "the checkpoint or hyper-parameters that maximise the average can be the worst for a "
          "small group. Track a per-group (worst-group) metric when selecting the model."),
)


def repository_findings(matches: Sequence[Match], vocab: Vocabulary) -> list[Match]:
    """Synthetic matches for the L-class patterns, decided over every match of the scan."""
    ev = collect_evidence(matches, vocab)
    out: list[Match] = []
    for decide in _DECISIONS:
        out.extend(decide(ev, vocab))
    return sorted(out, key=_order)
