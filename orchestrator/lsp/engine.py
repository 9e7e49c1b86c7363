"""Semgrep as the editor runs it: for the one or two files an edit changed, the rendered rule
pack is kept between analyses (rendering parses every rule file, about 0.13 s) and its rules
are split over processes side by side (:data:`RULE_SHARDS`), each reading the same file: on two
cores the file's diagnostics arrive sooner than from one process running every rule. Bigger
requests (a folder's first analysis) run as :class:`SemgrepEngine` runs them. The results are
the same either way: Semgrep's rules are independent of each other.
"""

from __future__ import annotations

import os
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from orchestrator.engines.interface import EngineRequest, EngineResult
from orchestrator.engines.semgrep import SemgrepEngine, parse_output
from orchestrator.model import Match, Skipped
from orchestrator.rules import pack
from orchestrator.rules.vocabulary import Vocabulary

#: Processes an edit's analysis splits the rules over (at most the machine's cores).
RULE_SHARDS = max(1, min(2, os.cpu_count() or 1))
#: Up to this many targets, a request is split by rules; above it, by targets (the base engine).
SPLIT_TARGETS = 2


class EditorSemgrep(SemgrepEngine):
    def __init__(self, work: Path, shards: int = RULE_SHARDS) -> None:
        super().__init__()
        self.work = work
        self.shards = shards
        self._configs: dict[tuple[Vocabulary, tuple[str, ...]], list[Path]] = {}

    def configs(self, request: EngineRequest) -> list[Path]:
        """The rendered pack for the request's vocabulary, as ``shards`` configs (rendered once)."""
        kinds = ("finding", "evidence") if request.include_evidence else ("finding",)
        key = (request.vocabulary, kinds)
        if key not in self._configs:
            import json

            dest = Path(tempfile.mkdtemp(prefix="pack-", dir=self.work))
            rules = json.loads(pack.render_pack(request.vocabulary, kinds=kinds, dest=dest).read_text(encoding="utf-8"))["rules"]
            parts = []
            for i in range(self.shards):
                part = dest / f"shard-{i}.json"
                part.write_text(json.dumps({"rules": rules[i::self.shards]}), encoding="utf-8")
                parts.append(part)
            self._configs[key] = parts
        return self._configs[key]

    def run(self, request: EngineRequest) -> EngineResult:
        if not self._binary or not request.targets or len(request.targets) > SPLIT_TARGETS or self.shards < 2:
            return super().run(request)
        configs = self.configs(request)
        targets = list(request.targets)
        with tempfile.TemporaryDirectory(prefix="out-", dir=self.work) as out:
            def invoke(numbered: tuple[int, Path]):
                number, config = numbered
                return self._invoke(request, config, targets, Path(out) / f"out-{number}.json", 1)

            with ThreadPoolExecutor(max_workers=len(configs)) as pool:
                outputs = list(pool.map(invoke, enumerate(configs)))
            matches: list[Match] = []
            skipped: dict[tuple[str, str], Skipped] = {}
            errors: list[str] = []
            for output in outputs:
                m, s, e = parse_output(output)
                matches += m
                for item in s:  # every process reports the same parse problem of a file
                    skipped.setdefault((item.path, item.reason), item)
                errors += [x for x in e if x not in errors]
        return EngineResult(tuple(matches), tuple(skipped.values()), tuple(errors), self.version())
