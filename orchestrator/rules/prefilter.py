"""Semgrep's file prefilters of the rule pack: which files each rule would even look at.

Before parsing a file for a rule, Semgrep checks a formula of literal strings and regexes it
extracts from the rule (``semgrep-core -prefilter_of_rules``); a rule whose formula the file
fails is skipped, and a file no rule selects is never parsed. A rule without a formula (all
metavariables, or regexes Semgrep cannot use) runs on every file, which is what made the pack
slow. This module reads the formulas and evaluates them on file texts, so tests can hold every
rule to having one and benchmarks can print on what share of a corpus each rule runs, without
running a scan.

The evaluation mirrors Semgrep's: ``And``/``Or`` of predicates; ``Idents``/``String``
predicates are substrings, ``Regexp``/``Regex`` predicates are regex searches (PCRE in Semgrep,
Python ``re`` here; the pack's regexes mean the same in both).
"""

from __future__ import annotations

import importlib.util
import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

from orchestrator import proc

Formula = Any  # semgrep-core's JSON: "None" | ["Some", f] | ["And"|"Or", [f...]] | ["Pred", [kind, value]]


class PrefilterError(RuntimeError):
    """semgrep-core is missing or could not analyse the rules."""


def semgrep_core() -> str:
    """The ``semgrep-core`` binary: on PATH, else the one inside the semgrep package."""
    found = proc.which("semgrep-core")
    if found:
        return found
    spec = importlib.util.find_spec("semgrep")
    if spec and spec.origin:
        candidate = Path(spec.origin).parent / "bin" / "semgrep-core"
        if candidate.is_file():
            return str(candidate)
    raise PrefilterError("semgrep-core not found: install semgrep (pip install semgrep)")


def rule_prefilters(config: Path, timeout: float = 300) -> dict[str, Formula | None]:
    """Each rule id of a Semgrep config file (YAML or JSON) -> its prefilter formula, or None."""
    try:
        result = proc.run([semgrep_core(), "-prefilter_of_rules", str(config)], timeout=timeout)
    except proc.ToolError as exc:
        raise PrefilterError(f"semgrep-core -prefilter_of_rules: {exc}") from None
    try:
        rows = json.loads(result.stdout)
    except json.JSONDecodeError as exc:
        raise PrefilterError(f"semgrep-core -prefilter_of_rules printed no JSON ({exc}): {result.stderr.strip()[:300]}") from None
    return {row["rule_id"].rsplit(".", 1)[-1]: (None if row["filter"] == "None" else row["filter"])
            for row in rows}


def selects(formula: Formula | None, text: str) -> bool:
    """Whether a file with this text passes the prefilter (None: no prefilter, every file does)."""
    if formula is None or formula == "None":
        return True
    tag = formula[0]
    if tag == "Some":
        return selects(formula[1], text)
    if tag == "And":
        return all(selects(f, text) for f in formula[1])
    if tag == "Or":
        # An empty Or means Semgrep could not build the condition: it selects (conservative).
        return not formula[1] or any(selects(f, text) for f in formula[1])
    if tag == "Pred":
        kind, value = formula[1]
        if kind == "Idents":
            return all(s in text for s in value)
        if kind == "String":
            return value in text
        if kind in ("Regexp", "Regex"):
            return _compile(value).search(text) is not None
    raise PrefilterError(f"unknown prefilter node {tag!r}")


# What makes Semgrep leave a metavariable-regex out of the prefilter once one leading ^ (or \A)
# and one trailing $ are stripped: anything else that may assert the start or end of the text
# (^ or $ anywhere, even in [^...], \A \Z \z, negative lookaround).
DROPPED_FROM_PREFILTER = re.compile(r"[$^]|\\[AZz]|\(\?<!|\(\?!")


def metavariable_regex_search(regex: str) -> str | None:
    """The regex Semgrep searches whole files for in place of a ``metavariable-regex``
    (on an identifier-position metavariable), or None when Semgrep drops it."""
    if regex.startswith("^"):
        regex = regex[1:]
    elif regex.startswith("\\A"):
        regex = regex[2:]
    if regex.endswith("$") and not regex.endswith("\\$"):
        regex = regex[:-1]
    return None if DROPPED_FROM_PREFILTER.search(regex) else regex


def shares(prefilters: dict[str, Formula | None], texts: Iterable[str]) -> tuple[dict[str, float], float]:
    """Per rule, the share of texts its prefilter selects; and the share selected by any rule."""
    texts = list(texts)
    counts = dict.fromkeys(prefilters, 0)
    any_rule = 0
    for text in texts:
        hit = False
        for rule, formula in prefilters.items():
            if selects(formula, text):
                counts[rule] += 1
                hit = True
        any_rule += hit
    n = max(1, len(texts))
    return {rule: c / n for rule, c in counts.items()}, any_rule / n


# A leading ``.*?`` or optional qualifier (``(?:[\w.]*\.)?``, ``[\w.]*?``) after optional flags
# only re-anchors a metavariable regex: searching ``.*?X`` finds a match exactly when searching
# ``X`` does. PCRE handles these prefixes well; Python's search retries them at every offset
# (quadratic on big files), so they are dropped.
_LAZY_PREFIX = re.compile(r"(?P<start>\^|\\A)?(?P<flags>\(\?[a-zA-Z]+\))?"
                          r"(?:\.\*\??|\(\?:\[\\w\.\]\*\\\.\)\?|\[\\w\.\]\*\??)")


# PCRE2 spellings Python's re lacks: the vocabulary prefilter regexes' windowed search branch
# (``|.{1,N}+(*SKIP)(*FAIL)``, which only moves PCRE2's next match attempt forward) and the
# ``(*nla:...)``/``(*nlb:...)`` negative lookarounds (Semgrep drops a prefilter regex that
# says ``(?!`` or ``(?<!``).
_SKIP_BRANCH = re.compile(r"\|\.\{1,\d+\}\+\(\*SKIP\)\(\*FAIL\)")
# The window's bounded lazy prefix, at the start of a search regex: searching ``.{0,N}?X``
# finds a match exactly when searching ``X`` does (for N at least as long as the text between).
_WINDOW_PREFIX = re.compile(r"^(?P<flags>\(\?[a-zA-Z]+\))?\(\?:\.\{0,\d+\}\?")


def python_regex(pcre: str) -> str:
    """The pack's PCRE2 regex in Python's spelling, with the same matches."""
    pcre = _SKIP_BRANCH.sub("", pcre)
    for pcre2, python in (("(*nla:", "(?!"), ("(*negative_lookahead:", "(?!"),
                          ("(*nlb:", "(?<!"), ("(*negative_lookbehind:", "(?<!")):
        pcre = pcre.replace(pcre2, python)
    return pcre.replace(r"\z", r"\Z")


@lru_cache(maxsize=512)
def _compile(pcre: str) -> re.Pattern[str]:
    m = _LAZY_PREFIX.match(pcre)
    if m and (not m.group("start") or "s" in (m.group("flags") or "")):
        pcre = (m.group("flags") or "") + pcre[m.end():]
    pcre = _WINDOW_PREFIX.sub(lambda w: (w.group("flags") or "") + "(?:", python_regex(pcre))
    return re.compile(pcre)
