"""Source text for findings: engines report ranges, fairlint shows and fingerprints the lines.

Open-source Semgrep prints ``"lines": "requires login"``, so snippets are read from the scanned
text itself, by byte offsets or by line numbers.
"""

from __future__ import annotations

import io
import re
import tokenize
from functools import lru_cache

#: Longest snippet kept on a finding (the rest is elided with a marker line).
MAX_LINES = 12

_WS = re.compile(r"\s+")


def lines_snippet(text: str, start_line: int, end_line: int, max_lines: int = MAX_LINES) -> str:
    """The whole lines ``start_line``..``end_line`` (1-based) of ``text``, at most ``max_lines``."""
    lines = [line.rstrip("\r") for line in text.split("\n")]  # as engines count lines
    start = max(start_line, 1)
    end = min(max(end_line, start), len(lines))
    chosen = lines[start - 1:end]
    if len(chosen) > max_lines:
        chosen = chosen[:max_lines] + [f"... ({len(chosen) - max_lines} more lines)"]
    return "\n".join(chosen)


def offsets_snippet(data: bytes, start: int, end: int) -> str:
    """The text between two byte offsets (what the engine matched)."""
    return data[max(start, 0):max(end, start)].decode("utf-8", "replace")


@lru_cache(maxsize=1 << 16)  # a scan asks twice per match, a history walk again per commit
def normalise(snippet: str) -> str:
    """Comment- and whitespace-insensitive form of a snippet, for fingerprints: indentation, line
    breaks and Python comments inside the snippet do not change it (a trailing ``# TODO`` on a
    baselined line keeps its fingerprint). When the snippet does not tokenize as Python, only the
    whitespace is normalised."""
    code = without_comments(snippet)
    return _WS.sub(" ", snippet if code is None else code).strip()


def without_comments(snippet: str) -> str | None:
    """``snippet`` with its Python comments cut, each line's indentation dropped (so a snippet cut
    from inside a block tokenizes); None when the tokenizer rejects it. A snippet that ends inside
    an open bracket or string (a match on the first line of a longer call) keeps the comments cut
    before that point."""
    lines = [line.lstrip() for line in snippet.split("\n")]
    cuts: dict[int, int] = {}
    try:
        for tok in tokenize.generate_tokens(io.StringIO("\n".join(lines)).readline):
            if tok.type == tokenize.ERRORTOKEN:
                return None
            if tok.type == tokenize.COMMENT:
                cuts[tok.start[0] - 1] = tok.start[1]
    except tokenize.TokenError as exc:
        if "EOF in multi-line" not in str(exc.args[0] if exc.args else ""):
            return None
    except (SyntaxError, ValueError):
        return None
    return "\n".join(line[:cuts[i]] if i in cuts else line for i, line in enumerate(lines))
