"""Code actions on fairlint's diagnostics.

- **Suppress with a reason**: inserts ``# fairlint: ignore[ID] reason: `` alone on the line
  before the finding (the suppression covers the next line) and asks the editor to put the
  cursor after ``reason:``. A suppression without a reason fails ``fairlint gate``.
- **Stratify the split**: on ``train_test_split`` without ``stratify=``, adds ``stratify=`` with
  the labels argument, or empty with the cursor after it for a column the user chooses. The call
  is found by parsing the document (never running it); no action when it does not parse.
- **Open the rule documentation**: the rule's row of the catalogue.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

from lsprotocol import types as lsp

from orchestrator.lsp.convert import Shown, docs_href

SHOW_POSITION = "fairlint.showPosition"
OPEN_DOCS = "fairlint.openDocs"
COMMANDS = (SHOW_POSITION, OPEN_DOCS)
#: Rules whose quick fix adds ``stratify=`` to a ``train_test_split`` call.
STRATIFY_RULES = frozenset({"unstratified-split", "unstratified-split-without-group-evaluation"})


def utf16_column(line: str, chars: int) -> int:
    return len(line[:chars].encode("utf-16-le")) // 2


def _show_at(uri: str, line: int, character: int, title: str) -> lsp.Command:
    return lsp.Command(title, SHOW_POSITION, arguments=[uri, line, character])


def suppress_action(shown: Shown, lines: list[str]) -> lsp.CodeAction | None:
    rule = shown.finding.rule_id if shown.finding else None
    if not rule:
        return None
    line = shown.diagnostic.range.start.line
    current = lines[line] if line < len(lines) else ""
    indent = current[:len(current) - len(current.lstrip())]
    text = f"{indent}# fairlint: ignore[{rule}] reason: "
    edit = lsp.TextEdit(lsp.Range(lsp.Position(line, 0), lsp.Position(line, 0)), text + "\n")
    return lsp.CodeAction(
        title=f"Suppress {rule} with a reason", kind=lsp.CodeActionKind.QuickFix,
        diagnostics=[shown.diagnostic], edit=lsp.WorkspaceEdit(changes={shown.uri: [edit]}),
        command=_show_at(shown.uri, line, utf16_column(text, len(text)), "Type the reason"))


def docs_action(shown: Shown, docs_base: str | None = None) -> lsp.CodeAction:
    rule = shown.finding.rule_id if shown.finding else str(shown.diagnostic.code)
    href = docs_href(rule, docs_base)
    return lsp.CodeAction(title=f"Open the documentation of {rule}", kind=lsp.CodeActionKind.Empty,
                          diagnostics=[shown.diagnostic],
                          command=lsp.Command(f"Open the documentation of {rule}", OPEN_DOCS, arguments=[href]))


@dataclass(frozen=True)
class SplitCall:
    """A ``train_test_split(...)`` call without ``stratify=``: where to insert, and the labels."""

    line: int  # 0-based, of the closing parenthesis
    character: int  # UTF-16 column of the insertion point
    needs_comma: bool
    labels: str | None  # the source text of the second positional argument


def find_split_call(text: str, line: int) -> SplitCall | None:
    """The unstratified ``train_test_split`` call that starts on (0-based) ``line``."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError):
        return None
    lines = text.splitlines()
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and _callee(node.func) == "train_test_split"):
            continue
        if node.lineno - 1 != line or any(k.arg == "stratify" for k in node.keywords):
            continue
        if any(isinstance(a, ast.Starred) for a in node.args) or any(k.arg is None for k in node.keywords):
            return None  # *args / **kwargs may already carry it
        end_line = node.end_lineno - 1
        end_chars = _chars(lines[end_line], node.end_col_offset) - 1  # the closing parenthesis
        before = _text_between(lines, node, end_line, end_chars)
        labels = ast.get_source_segment(text, node.args[1]) if len(node.args) >= 2 else None
        return SplitCall(end_line, utf16_column(lines[end_line], end_chars),
                         needs_comma=bool(node.args or node.keywords) and not before.rstrip().endswith(","),
                         labels=labels)
    return None


def stratify_actions(shown: Shown, text: str) -> list[lsp.CodeAction]:
    if not shown.finding or shown.finding.rule_id not in STRATIFY_RULES:
        return []
    call = find_split_call(text, shown.diagnostic.range.start.line)
    if call is None:
        return []
    at = lsp.Position(call.line, call.character)
    prefix = ", " if call.needs_comma else " "
    out = []
    if call.labels and "\n" not in call.labels:
        insert = f"{prefix}stratify={call.labels}"
        out.append(lsp.CodeAction(
            title=f"Stratify the split on {call.labels} (the labels)", kind=lsp.CodeActionKind.QuickFix,
            diagnostics=[shown.diagnostic], is_preferred=True,
            edit=lsp.WorkspaceEdit(changes={shown.uri: [lsp.TextEdit(lsp.Range(at, at), insert)]})))
    insert = f"{prefix}stratify="
    out.append(lsp.CodeAction(
        title="Stratify the split on a column you choose (e.g. label and protected attribute)",
        kind=lsp.CodeActionKind.QuickFix, diagnostics=[shown.diagnostic],
        edit=lsp.WorkspaceEdit(changes={shown.uri: [lsp.TextEdit(lsp.Range(at, at), insert)]}),
        command=_show_at(shown.uri, call.line, call.character + len(insert), "Type the column")))
    return out


def _callee(func: ast.expr) -> str | None:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def _chars(line: str, utf8_offset: int) -> int:
    """ast's UTF-8 byte offset on ``line`` as a character count."""
    return len(line.encode("utf-8")[:utf8_offset].decode("utf-8", "replace"))


def _text_between(lines: list[str], node: ast.Call, end_line: int, end_chars: int) -> str:
    """The call's text from its last argument to the closing parenthesis."""
    last = max([*node.args, *(k.value for k in node.keywords)], key=lambda n: (n.end_lineno, n.end_col_offset),
               default=None)
    if last is None:
        return ""
    start_line = last.end_lineno - 1
    start = _chars(lines[start_line], last.end_col_offset)
    if start_line == end_line:
        return lines[end_line][start:end_chars]
    return "\n".join([lines[start_line][start:], *lines[start_line + 1:end_line], lines[end_line][:end_chars]])
