"""Source text for findings: engines report ranges, fairlint shows and fingerprints the lines.

Open-source Semgrep prints ``"lines": "requires login"``, so snippets are read from the scanned
text itself, by byte offsets or by line numbers.
"""

from __future__ import annotations

import re

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


def normalise(snippet: str) -> str:
    """Whitespace-insensitive form of a snippet, for fingerprints (indentation and line breaks
    inside the snippet do not change it)."""
    return _WS.sub(" ", snippet).strip()
