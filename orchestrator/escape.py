"""Escaping text that came from a scanned tree before it reaches a consumer.

Strings from scanned files (paths, code snippets, messages quoting string literals) can carry
terminal control sequences (ESC, OSC window-title/clipboard/hyperlink sequences, BEL), carriage
returns that overwrite a line, and bidirectional controls (U+202E...) that reorder what a
reviewer sees. :func:`printable` shows each as an escape (``\\x1b``, ``\\u202e``) in every text
output; :func:`csv_cell` also defuses spreadsheet formulas (OWASP CSV injection guidance).
"""

from __future__ import annotations

import re
from typing import Any

#: C0 controls except tab and newline, DEL, C1 controls, line/paragraph separators and the
#: bidirectional marks, embeddings, overrides and isolates.
UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029"
                         "\u202a-\u202e\u2066-\u2069]")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
#: Characters that make a spreadsheet read a cell as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str, *, newlines: bool = True) -> str:
    """``text`` with control, bidirectional and lone-surrogate characters escaped; tabs and
    (unless ``newlines=False``) newlines kept."""
    text = UNPRINTABLE.sub(_escape, text)
    text = _LONE_SURROGATE.sub(_escape, text)
    return text if newlines else text.replace("\n", "\\x0a")


def csv_cell(value: Any) -> Any:
    """A CSV cell: text escaped like :func:`printable` and prefixed with ``'`` when it starts
    with a formula character (``= + - @ TAB CR``); other values unchanged."""
    if not isinstance(value, str):
        return value
    if value.startswith(FORMULA_START):
        value = "'" + value
    return printable(value)
