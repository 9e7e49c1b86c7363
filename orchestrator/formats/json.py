"""JSON: ``ScanResult.to_dict()``, keys sorted, validated by ``schemas/scan-result.schema.json``."""

from __future__ import annotations

import json

from orchestrator.formats.interface import Formatter
from orchestrator.model import ScanResult


class JsonFormatter(Formatter):
    name = "json"
    extension = "json"

    def render(self, result: ScanResult) -> str:
        return json.dumps(result.to_dict(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
