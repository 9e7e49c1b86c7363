"""GitLab Code Quality report (``--format gitlab``): a JSON array of issues, uploaded as the
``codequality`` artifact of a job and shown in merge requests.

Each finding is one issue: ``description`` (the message), ``check_name`` (the rule id),
``fingerprint`` (fairlint's, stable across line shifts), ``severity`` (critical -> blocker,
high -> critical, medium -> major, low -> minor, info -> info) and ``location`` (the path
relative to the current folder, the repository root in CI, and the first line; a notebook's
line in the ``.ipynb`` file).
"""

from __future__ import annotations

import json

from orchestrator.formats.interface import Formatter
from orchestrator.formats.notebook_lines import NotebookLines
from orchestrator.formats.text import printable, sort_key
from orchestrator.model import ScanResult, Severity

SEVERITY = {Severity.CRITICAL: "blocker", Severity.HIGH: "critical", Severity.MEDIUM: "major",
            Severity.LOW: "minor", Severity.INFO: "info"}


class GitlabFormatter(Formatter):
    name = "gitlab"
    extension = "json"

    def render(self, result: ScanResult) -> str:
        lines_of = NotebookLines(result.root)
        issues = []
        for f in sorted(result.findings, key=sort_key):
            line = lines_of.file_line(f) if f.cell is not None else f.start_line
            issues.append({
                "type": "issue",
                "description": f"{f.bias_pattern} {' '.join(f.message.split())}",
                "check_name": f.rule_id,
                "categories": ["Bug Risk"],
                "fingerprint": f.fingerprint,
                "severity": SEVERITY[f.severity],
                "location": {"path": printable(self.shown_path(result, f.path)), "lines": {"begin": line or 1}},
            })
        return json.dumps(issues, indent=2, ensure_ascii=False) + "\n"
