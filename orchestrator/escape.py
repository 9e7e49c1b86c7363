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


# ------------------------------------------------------------------ file names
# Reports name files by a display form (:func:`display_name`) that is safe in a terminal and that
# decodes back to the real name (:func:`real_path`) for formats that must carry the real path
# (JSON, SARIF URIs). Backslashes are doubled so that every escape is unambiguous: ``\xNN`` with
# NN >= 0x80 is an undecodable byte (kept as a surrogateescape character), ``\xNN`` below 0x80 and
# ``\uNNNN`` a control or bidi character, ``\n``/``\r``/``\t`` themselves, ``\\`` a backslash.
_NAME_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_NAME_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
_NAME_ESCAPE = re.compile(r"\\(\\|n|r|t|x[0-9a-f]{2}|u[0-9a-f]{4})")
_NAME_UNNAMED = {"\\": "\\", "n": "\n", "r": "\r", "t": "\t"}


def _name_escape(match: re.Match[str]) -> str:
    ch = match.group()
    return _NAME_NAMED.get(ch) or (f"\\x{ord(ch):02x}" if ord(ch) < 0x80 else f"\\u{ord(ch):04x}")


def display_name(name: str) -> str:
    """One path component (a surrogateescape ``str`` from the file system) as reports show it:
    undecodable bytes as ``\\xNN``, control and bidi characters escaped, backslashes doubled."""
    name = name.replace("\\", "\\\\")
    name = name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return _NAME_UNPRINTABLE.sub(_name_escape, name)


def _name_unescape(match: re.Match[str]) -> str:
    code = match.group(1)
    if code in _NAME_UNNAMED:
        return _NAME_UNNAMED[code]
    value = int(code[1:], 16)
    if code[0] == "x" and value >= 0x80:
        return chr(0xDC00 + value)  # an undecodable byte, as os.fsdecode gives it
    return chr(value)


def real_path(display: str) -> str:
    """The real path behind a display form (:func:`display_name` of each component): a
    surrogateescape ``str`` (``os.fsencode`` gives the bytes back)."""
    return _NAME_ESCAPE.sub(_name_unescape, display)


def json_text(text: str) -> str:
    """JSON text made encodable as UTF-8: lone surrogates (undecodable bytes of file names kept
    by surrogateescape) written as ``\\udcNN`` escapes, which JSON readers decode back to them."""
    return _LONE_SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
