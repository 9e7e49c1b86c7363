"""GitHub Actions workflow commands: one ``::error``/``::warning``/``::notice`` annotation per
finding, shown on the pull request's diff (``--format github``).

critical and high findings are errors, medium ones warnings, low ones notices; info findings
are left out unless ``--show-info`` (then notices too). Paths are
relative to the current folder (a workflow runs at the repository root). Notebook findings
point at the cell's line in the ``.ipynb`` file (see :mod:`orchestrator.formats.notebook_lines`).
"""

from __future__ import annotations

from orchestrator.formats.interface import Formatter
from orchestrator.formats.notebook_lines import NotebookLines
from orchestrator.formats.text import first_sentence, printable, shown, summary
from orchestrator.model import Finding, ScanResult, Severity

LEVEL = {Severity.CRITICAL: "error", Severity.HIGH: "error", Severity.MEDIUM: "warning",
         Severity.LOW: "notice", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    """A command's message (GitHub's escaping: ``%``, CR, LF)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A command's property value (also ``:`` and ``,``)."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


class GithubFormatter(Formatter):
    name = "github"
    extension = "txt"

    def render(self, result: ScanResult) -> str:
        lines_of = NotebookLines(result.root)
        out = [self.annotation(result, f, lines_of) for f in shown(result, self.options.show_info)]
        if not self.options.quiet:
            out.append(summary(result, self.options.show_info))
        return "\n".join(out) + "\n"

    def annotation(self, result: ScanResult, f: Finding, lines_of: NotebookLines) -> str:
        props = {"file": printable(self.shown_path(result, f.path))}
        line = lines_of.file_line(f) if f.cell is not None else f.start_line
        if line is not None:
            props["line"] = str(line)
            if f.cell is None:
                props["endLine"] = str(max(f.end_line, f.start_line))
                if f.end_line == f.start_line and f.end_col > f.start_col:
                    props["col"], props["endColumn"] = str(f.start_col), str(f.end_col)
        props["title"] = f"{f.severity.value.upper()} {f.bias_pattern} {f.rule_id}"
        text = ",".join(f"{k}={escape_property(v)}" for k, v in props.items())
        message = first_sentence(printable(f.message))[0] if not self.options.verbose else \
            " ".join(printable(f.message).split())
        return f"::{LEVEL[f.severity]} {text}::{escape_data(message)}"
