"""Output formats, looked up by name: ``get_formatter("sarif").render(result)``.

Every ``--format`` choice is a member of :class:`OutputFormat`; each maps to a
``module:Class`` imported on first use (the HTML report pulls in jinja2, the CSV one pandas),
and a test renders every member, so a format that is not wired fails.
"""

from __future__ import annotations

import enum
import importlib

from orchestrator.formats.interface import Formatter, RenderOptions

__all__ = ["Formatter", "OutputFormat", "RenderOptions", "get_formatter"]


class OutputFormat(str, enum.Enum):
    TEXT = "text"
    JSON = "json"
    SARIF = "sarif"
    CSV = "csv"
    HTML = "html"
    CONCISE = "concise"
    GITHUB = "github"
    GITLAB = "gitlab"

    @property
    def target(self) -> str:
        """``module:Class`` of the formatter."""
        return _TARGETS[self]


_TARGETS = {
    OutputFormat.TEXT: "orchestrator.formats.text:TextFormatter",
    OutputFormat.JSON: "orchestrator.formats.json:JsonFormatter",
    OutputFormat.SARIF: "orchestrator.formats.sarif:SarifFormatter",
    OutputFormat.CSV: "orchestrator.formats.csv:CsvFormatter",
    OutputFormat.HTML: "orchestrator.formats.html:HtmlFormatter",
    OutputFormat.CONCISE: "orchestrator.formats.text:ConciseFormatter",
    OutputFormat.GITHUB: "orchestrator.formats.github:GithubFormatter",
    OutputFormat.GITLAB: "orchestrator.formats.gitlab:GitlabFormatter",
}


def get_formatter(name: str | OutputFormat, options: RenderOptions | None = None) -> Formatter:
    """A new formatter for ``name`` (an :class:`OutputFormat` value, case-insensitive), laid
    out by ``options`` (width, colour, paths relative to a folder; the defaults otherwise)."""
    try:
        fmt = OutputFormat(str(getattr(name, "value", name)).lower())
    except ValueError:
        choices = ", ".join(f.value for f in OutputFormat)
        raise ValueError(f"unknown output format {name!r}; expected one of {choices}") from None
    module_name, _, class_name = fmt.target.partition(":")
    cls = getattr(importlib.import_module(module_name), class_name)
    formatter = cls()
    if options is not None:
        formatter.options = options
    return formatter
