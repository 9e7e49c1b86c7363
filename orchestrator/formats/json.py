"""JSON: ``ScanResult.to_dict()``, keys sorted, validated by ``schemas/scan-result.schema.json``.

Paths are the real paths (relative to ``root``), not the escaped display form the text reports
show: a file name with a newline or quotes is the plain JSON string, and an undecodable byte is
the surrogateescape character written as a ``\\udcNN`` escape (``os.fsencode`` gives the bytes
back after ``json.loads``).
"""

from __future__ import annotations

import json
from typing import Any

from orchestrator.escape import json_text, real_path
from orchestrator.formats.interface import Formatter
from orchestrator.model import ScanResult


def _real_location(loc: dict[str, Any]) -> dict[str, Any]:
    return {**loc, "path": real_path(loc["path"])}


def _finding(f: dict[str, Any]) -> dict[str, Any]:
    return {**f, "path": real_path(f["path"]),
            "occurrences": [_real_location(o) for o in f.get("occurrences") or ()],
            "code_flow": [_real_location(o) for o in f.get("code_flow") or ()]}


def real_paths(data: dict[str, Any]) -> dict[str, Any]:
    """``ScanResult.to_dict()`` with every file path given as the real path."""
    return {**data,
            "findings": [_finding(f) for f in data["findings"]],
            "skipped": [_real_location(s) for s in data["skipped"]],
            "suppressions": [_real_location(s) for s in data["suppressions"]]}


class JsonFormatter(Formatter):
    name = "json"
    extension = "json"

    def render(self, result: ScanResult) -> str:
        return json_text(json.dumps(real_paths(result.to_dict()), indent=2, sort_keys=True,
                                    ensure_ascii=False)) + "\n"
