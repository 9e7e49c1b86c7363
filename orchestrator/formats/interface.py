"""The formatter interface: a :class:`~orchestrator.model.ScanResult` in, text out.

Formatters never write files; the CLI decides where the text goes.
"""

from __future__ import annotations

import abc

from orchestrator.model import ScanResult


class Formatter(abc.ABC):
    """Renders a scan result in one output format (``name`` is its ``--format`` value)."""

    name: str = ""
    #: The usual file-name extension of this format, without the dot.
    extension: str = "txt"

    @abc.abstractmethod
    def render(self, result: ScanResult) -> str:
        """The whole report as text (ending with a newline)."""
