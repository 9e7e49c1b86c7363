"""Protected-attribute, proxy and sanitizer vocabularies, and the regexes built from them.

One source of truth: ``rules/vocabulary.yaml``. The Semgrep rules embed the regexes that
:meth:`Vocabulary.semgrep_regex` generates (``fairlint rules sync`` rewrites them, a test
checks they are current), and the orchestrator swaps in an extended regex when a user adds
terms, so nobody edits rules to add ``caste`` or ``postcode``.

Matching is on whole identifier parts: a term must start at the beginning of the text, after
a non-letter (``_``, ``-``, ``.``, quote, space, digit) or at a camelCase hump, and end at the
end, before a non-letter or before a camelCase hump. ``age`` matches ``age``, ``user_age``,
``userAge``, ``AGE_2`` and ``"Age"``; it does not match ``page``, ``agent`` or ``average``.
"""

from __future__ import annotations

import builtins
import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Iterable

import yaml

from orchestrator.rules import resources

KINDS = ("protected", "proxy")

# Start of an identifier part: text start, after a non-letter, or a lower->Upper hump.
_BEFORE = r"(?:^|(?<=[^A-Za-z])|(?<=[a-z])(?=[A-Z]))"
# End of an identifier part: text end, before a non-letter, or an Upper hump after lower.
_AFTER = r"(?:$|(?=[^A-Za-z])|(?<=[a-z])(?=[A-Z]))"
# The same boundaries in a form Semgrep's file prefilter accepts (no ``^``, ``$``, negative
# lookaround, nor ``^`` inside a class): a term after a word boundary, a digit or ``_``, or at a
# camelCase hump. Every text the precise regex matches, this matches too (see prefilter_regex).
_PREFILTER_BEFORE = r"(?:\b|(?<=[\d_])|(?<=[a-z])(?=[A-Z]))"
_PREFILTER_AFTER = r"(?:\b|(?=[\d_A-Z]))"
# Between the words of a multi-word term: a separator, or nothing (camelCase / run-together).
_JOIN = r"[_\-\s.]?"
# A term that is also a Python builtin function (``zip``) names data only when it is not
# called: ``zip(a, b)`` is the builtin, ``"zip"``, ``zip_code`` and ``df.zip`` are columns. The
# precise regex refuses the called form; the prefilter regex refuses it too, written as PCRE2's
# ``(*nla:...)`` because Semgrep drops a prefilter regex holding ``(?!`` (see
# orchestrator.rules.prefilter.python_regex for the Python spelling). Without it, the builtin opened
# 382 of PyTorch's 2,285 files to the proxy rules.
_BUILTIN_FUNCTIONS = frozenset(name for name in dir(builtins)
                               if name.islower() and not name.startswith("_") and callable(getattr(builtins, name)))
_NOT_CALLED = r"(?!\()"
_PREFILTER_NOT_CALLED = r"(*nla:\()"
# How far into a text the prefilter regex looks for a term in one match attempt (see
# Vocabulary.prefilter_regex): within PCRE2's step budget, and longer than any metavariable a
# rule binds (names, strings, column lists). PCRE2 allows repeat counts up to 65,535.
PREFILTER_WINDOW = 50_000
# Where a rule's metavariable can hold a term, which decides its prefilter companion
# (Vocabulary.prefilter_regex): anywhere (an identifier, an expression), in a string literal's
# content ("$S"), or in a string literal that is an element of a list, a subscript or a dict key
# ('[..., "$S", ...]', '$DF["$S"]', '{..., "$S": $V, ...}').
PREFILTER_CONTEXTS = ("anywhere", "string", "element")
# The in-string prefilter regexes: the longest string content they scan whole, and how far
# after an opening quote a term may start in a file (and end before the closing one).
STRING_CONTENT_MAX = 256
STRING_PREFIX_MAX = 200
# Between an element's string and the bracket or comma before or after it: white space and
# comments (a feature list with a comment after each column). Possessive and unbounded: PCRE2
# copies a group once per count of a bounded repeat, and the regex grew past its size limit.
# No ``^`` (not even in ``[^\n]``), which would drop the regex from Semgrep's prefilter.
_ELEMENT_GAP = r"(?:\s++|#(?:(*nla:\n).)*+)*+"
# Exact dataset-specific names: the whole text, optionally quoted.
_QUOTE = r"""['"]?"""


def _term_regex(term: str, senses: Iterable[str] = (), prefilter: bool = False) -> str:
    """A term's words joined by separators, then what may not follow it: a call's parenthesis
    for a builtin function name, the next word of a phrase that uses the term in another sense
    (``race condition``). The prefilter form says "not followed by" in PCRE2's ``(*nla:...)``."""
    words = term.split()
    regex = _JOIN.join(re.escape(w) for w in words)
    if term.lower() in _BUILTIN_FUNCTIONS:
        regex += _PREFILTER_NOT_CALLED if prefilter else _NOT_CALLED
    senses = sorted(senses, key=lambda w: (-len(w), w))
    if senses:
        after = _JOIN + "(?:" + "|".join(_JOIN.join(re.escape(w) for w in s.split()) for s in senses) + ")"
        regex += f"(*nla:{after})" if prefilter else f"(?!{after})"
    return regex


def _trie(atoms: list[str]) -> str:
    """An alternation of regex atoms grouped by first character (``a(?:ge|ddress)|s(?:ex)``).

    PCRE tries the branches of an alternation one by one at each position; grouping them by
    their first character makes a position that cannot start a term fail after a handful of
    branches instead of all of them. Longer atoms come first within a group.
    """
    groups: dict[str, list[str]] = {}
    for atom in atoms:
        if atom[:1].isalnum():
            groups.setdefault(atom[0].lower(), []).append(atom[1:])
        else:  # an escaped first character: keep the atom whole
            groups.setdefault(atom, []).append("")
    parts = []
    for head, rests in groups.items():
        rests = sorted(set(rests), key=lambda r: (-len(r), r))
        if rests == [""]:
            parts.append(head)
        elif len(rests) == 1:
            parts.append(head + rests[0])
        else:
            parts.append(head + "(?:" + "|".join(rests) + ")")
    return "|".join(parts)


def _gate(words: list[list[str]]) -> str:
    """A lookahead on the characters a term can begin with, both cases (empty if unsafe).

    Two characters when every first word has at least two ASCII letters or digits, one when
    only the first characters are; none for other vocabularies (non-ASCII case folding).
    """
    firsts = {w[0][:1] for w in words}
    seconds = {w[0][1:2] for w in words}
    ok = lambda chars: all(c.isascii() and c.isalnum() for c in chars)  # noqa: E731
    if not ok(firsts):
        return ""
    cls = lambda chars: "[" + "".join(sorted({c.lower() for c in chars} | {c.upper() for c in chars})) + "]"  # noqa: E731
    return f"(?={cls(firsts)}{cls(seconds)})" if ok(seconds) else f"(?={cls(firsts)})"


@dataclass(frozen=True)
class Vocabulary:
    """Terms by kind. ``exact`` holds case-sensitive whole names (CelebA ``Male``)."""

    protected: tuple[str, ...]
    proxy: tuple[str, ...]
    protected_exact: tuple[str, ...] = ()
    sanitizer_modules: tuple[str, ...] = ()
    sanitizer_symbols: tuple[str, ...] = ()
    # (term, words that may not follow it) for terms with a common other sense (race condition).
    other_senses: tuple[tuple[str, tuple[str, ...]], ...] = ()
    source: str = field(default="default", compare=False)

    # ----------------------------------------------------------------- loading
    @classmethod
    def load(cls, path: Path | None = None) -> "Vocabulary":
        path = path or resources.vocabulary_file()
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
        san = data.get("sanitizers") or {}
        return cls(
            protected=tuple(data.get("protected") or ()),
            proxy=tuple(data.get("proxy") or ()),
            protected_exact=tuple(data.get("protected_exact") or ()),
            sanitizer_modules=tuple(san.get("modules") or ()),
            sanitizer_symbols=tuple(san.get("symbols") or ()),
            other_senses=tuple((str(term).lower(), tuple(str(w).lower() for w in words))
                               for term, words in (data.get("other_senses") or {}).items()),
            source=str(path),
        )

    @classmethod
    def default(cls) -> "Vocabulary":
        return _default()

    def extended(
        self, protected: Iterable[str] = (), proxy: Iterable[str] = ()
    ) -> "Vocabulary":
        """A copy with extra terms (kept in order, duplicates dropped)."""
        def merge(old: tuple[str, ...], new: Iterable[str]) -> tuple[str, ...]:
            seen = {t.lower() for t in old}
            out = list(old)
            for term in new:
                term = " ".join(str(term).replace("_", " ").split())
                if term and term.lower() not in seen:
                    seen.add(term.lower())
                    out.append(term)
            return tuple(out)

        return replace(
            self,
            protected=merge(self.protected, protected),
            proxy=merge(self.proxy, proxy),
            source="custom",
        )

    @property
    def is_default(self) -> bool:
        return self == _default()

    # ----------------------------------------------------------------- regexes
    def senses(self, term: str) -> tuple[str, ...]:
        """Words after which ``term`` means something else (``condition`` for ``race``)."""
        return dict(self.other_senses).get(term.lower(), ())

    def terms(self, kind: str) -> tuple[str, ...]:
        if kind not in KINDS:
            raise ValueError(f"unknown vocabulary kind {kind!r}; expected one of {KINDS}")
        return getattr(self, kind)

    def semgrep_regex(self, kind: str) -> str:
        """The regex embedded in rules' ``metavariable-regex`` for this kind.

        Semgrep anchors ``metavariable-regex`` at the start of the text, hence the lazy
        ``.*?`` prefix. Longer terms come first so alternation prefers them.
        """
        terms = sorted(self.terms(kind), key=lambda t: (-len(t), t))
        body = f"{_BEFORE}(?i:{'|'.join(_term_regex(t, self.senses(t)) for t in terms)}){_AFTER}"
        if kind == "protected" and self.protected_exact:
            exact = "|".join(re.escape(t) for t in sorted(self.protected_exact))
            body = f"(?:{body}|^{_QUOTE}(?:{exact}){_QUOTE}$)"
        return f"(?s).*?{body}"

    def prefilter_regex(self, kind: str, context: str = "anywhere") -> str:
        """A looser regex of this kind that Semgrep can use to skip whole files.

        Semgrep turns a ``metavariable-regex`` into a file prefilter only when the regex has no
        start/end-of-string assertion (``^``, ``$``, ``\\A``, ``\\Z``, ``\\z``, ``(?<!``,
        ``(?!``, and no ``^`` even inside ``[^...]``) and the metavariable sits in an identifier
        position. Rules put this regex beside :meth:`semgrep_regex` on the same metavariable
        (with ``pattern-not: __fairlint_prefilter__.$X`` to mark the position), so a file that
        never mentions a term is not even parsed for the rule.

        It accepts every text :meth:`semgrep_regex` accepts whose term starts within its first
        ``PREFILTER_WINDOW`` characters (a superset for any identifier, string or expression a
        rule binds: looser camelCase ends, no anchors on the exact names), so it never removes a
        finding. One exception by design: a term glued to a non-ASCII letter (``éage``), which
        the precise regex treats as a part boundary and ``\\b`` may not.

        Its shape is made for PCRE2 as Semgrep runs it: anchored on a metavariable's text, and
        searched through each whole file with a budget of a million backtracking steps per
        match attempt (past it, the file is kept). A ``(?s).*?`` prefix (what an anchored regex
        needs to find a term anywhere) makes PCRE2 treat the file search as one attempt from the
        first byte, so every term-free file above about 200 KB ran out of budget and was parsed
        for every vocabulary rule (PyTorch's 1.4 MB ``common_methods_invocations.py`` cost 40 s
        that way). Here the search goes in windows instead: the first branch looks for a term
        starting within ``PREFILTER_WINDOW`` characters; where there is none, the second
        consumes the window and ``(*SKIP)(*FAIL)`` starts the next attempt after it, so each
        attempt stays within budget and a file costs one pass whatever its size. On a
        metavariable (an anchored match) the second branch simply fails. Within the first, a
        lookahead on a term's first two letters rejects most positions in one step, the boundary
        check comes next, and the terms form a trie by first letter. See benchmarks/README.md.

        ``context`` (one of ``PREFILTER_CONTEXTS``) says where the rule's metavariable can
        hold a term. ``"string"`` gives the companion of a metavariable bound to a string
        literal's content (``"$S"``), which a file can only match inside a quoted string: a short
        text (the content itself) is scanned whole, and files are searched for a term after a
        quote on the same line. ``"element"`` is for a content that every pattern binds as an
        element (``[..., "$S", ...]``, ``$DF["$S"]``, ``{..., "$S": $V, ...}``): in a file the
        whole one-line string must stand after ``[``, ``{`` or ``,`` and before ``,``, ``]``
        or ``:`` (white space and comments between), so a term in a message, an assignment or
        a call's argument does not open the file. Both accept every content of at most
        ``STRING_CONTENT_MAX`` characters that the precise regex accepts.
        """
        if context not in PREFILTER_CONTEXTS:
            raise ValueError(f"unknown prefilter context {context!r}; one of {PREFILTER_CONTEXTS}")
        terms = sorted(self.terms(kind), key=lambda t: (-len(t), t))
        precise = _compile(self.semgrep_regex(kind))
        exact = [t for t in sorted(self.protected_exact) if kind == "protected"
                 and not precise.match(t.lower())]
        words = [t.split() for t in terms] + [[t] for t in exact]
        body = _trie([_term_regex(t, self.senses(t), prefilter=True) for t in terms])
        if exact:
            body += "|(?-i:" + "|".join(re.escape(t) for t in exact) + ")"
        term = f"{_gate(words)}{_PREFILTER_BEFORE}(?i:{body}){_PREFILTER_AFTER}"
        if context != "anywhere":
            # For a metavariable that is a string literal's content ("$S" in a pattern): on the
            # content itself (a text of at most STRING_CONTENT_MAX characters, from its start)
            # a term anywhere; in a file, a term inside a quoted string on one line, so a file
            # that names the term only in code, comments or docstrings is skipped.
            n, q = STRING_CONTENT_MAX, STRING_PREFIX_MAX
            content = f"(*nlb:[\\s\\S])(?=.{{0,{n}}}(*nla:[\\s\\S])).{{0,{n}}}?{term}"
            in_quotes = f"[\"'](?:(*nla:[\"'\\n]).){{0,{q}}}?{term}"
            if context == "element":
                # The string as an element: a bracket or comma, the quote (after a prefix such
                # as r or f), the term, the rest up to the closing quote, a comma or bracket.
                in_quotes = (f"[\\[{{,]{_ELEMENT_GAP}[rRbBuUfF]{{0,2}}{in_quotes}"
                             f"(?:(*nla:[\"'\\n]).)*+[\"']{_ELEMENT_GAP}[,\\]:]")
            return f"(?s)(?:{content}|{in_quotes})"
        window = PREFILTER_WINDOW
        return f"(?s)(?:.{{0,{window}}}?{term}|.{{1,{window}}}+(*SKIP)(*FAIL))"

    def compiled(self, kind: str) -> re.Pattern[str]:
        return _compile(self.semgrep_regex(kind))

    def matches(self, kind: str, text: str) -> bool:
        """Whether ``text`` (an identifier or string literal) names a term of ``kind``."""
        return bool(self.compiled(kind).match(text))

    def find_terms(self, kind: str, text: str) -> list[str]:
        """The vocabulary terms of ``kind`` that ``text`` names (for messages and scoring).

        Remembered per (vocabulary, kind, text): reasoning, scoring and the flow engine ask about
        the same identifiers again and again, within a scan and across the commits of a history."""
        return list(_find_terms(self, kind, text))

    def _find_terms(self, kind: str, text: str) -> list[str]:
        found = []
        if not _any_term(self, kind).search(text):  # most identifiers name no term: one search
            if kind == "protected":
                stripped = text.strip("'\"")
                found.extend(t for t in self.protected_exact if t == stripped)
            return found
        for term in self.terms(kind):
            if re.search(f"{_BEFORE}(?i:{_term_regex(term, self.senses(term))}){_AFTER}", text):
                found.append(term)
        if kind == "protected":
            stripped = text.strip("'\"")
            found.extend(t for t in self.protected_exact if t == stripped)
        return found

    def all_semgrep_regexes(self) -> dict[str, str]:
        return {kind: self.semgrep_regex(kind) for kind in KINDS}


@lru_cache(maxsize=1)
def _default() -> Vocabulary:
    return Vocabulary.load()


@lru_cache(maxsize=200_000)
def _find_terms(vocab: Vocabulary, kind: str, text: str) -> tuple[str, ...]:
    return tuple(vocab._find_terms(kind, text))


@lru_cache(maxsize=64)
def _any_term(vocab: Vocabulary, kind: str) -> re.Pattern[str]:
    """One regex that finds whether any term of ``kind`` is in a text (same boundaries)."""
    alts = "|".join(_term_regex(term, vocab.senses(term)) for term in vocab.terms(kind)) or "(?!)"
    return re.compile(f"{_BEFORE}(?i:{alts}){_AFTER}")


@lru_cache(maxsize=64)
def _compile(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)
