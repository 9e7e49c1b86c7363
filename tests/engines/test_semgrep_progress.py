"""Progress from the Semgrep engine's batches: (0, total) first, then files done per finished
batch (shards run in threads), ending at (total, total); nothing when nobody listens."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from orchestrator.engines import semgrep
from orchestrator.engines.interface import EngineRequest, Target
from orchestrator.rules.vocabulary import Vocabulary


class FakeSemgrep(semgrep.SemgrepEngine):
    """The engine's sharding and batching, with each semgrep run replaced by an empty result."""

    def __init__(self) -> None:
        super().__init__(binary="/nonexistent/semgrep")
        self.batches: list[int] = []
        self._lock = threading.Lock()

    def version(self) -> str | None:
        return "fake"

    def _invoke(self, request, config, batch, out_path, jobs):
        with self._lock:
            self.batches.append(len(batch))
        return semgrep.SemgrepOutput({"results": [], "errors": []}, {str(t.scan_path): t for t in batch})


def targets(tmp_path: Path, n: int) -> list[Target]:
    out = []
    for i in range(n):
        path = tmp_path / f"f{i}.py"
        path.write_text("x = 1\n" * (i + 1))
        out.append(Target(path, f"f{i}.py"))
    return out


@pytest.mark.parametrize("jobs", [1, 3])
def test_progress_counts_files_done_per_batch(tmp_path, jobs, monkeypatch):
    real = semgrep.batches
    monkeypatch.setattr(semgrep, "batches", lambda ts, budget=0: real(ts, budget=len(str(tmp_path)) * 4))
    calls: list[tuple[int, int]] = []
    engine = FakeSemgrep()
    files = targets(tmp_path, 25)
    engine.run(EngineRequest(tmp_path, files, Vocabulary.default(), jobs=jobs,
                             on_progress=lambda done, total: calls.append((done, total))))
    assert len(engine.batches) > 1
    assert calls[0] == (0, 25) and calls[-1] == (25, 25)
    assert {total for _, total in calls} == {25}
    done = [d for d, _ in calls]
    assert done == sorted(done) and len(done) == len(engine.batches) + 1
    assert sorted(b - a for a, b in zip(done, done[1:])) == sorted(engine.batches)


def test_no_listener_no_calls(tmp_path):
    engine = FakeSemgrep()
    result = engine.run(EngineRequest(tmp_path, targets(tmp_path, 3), Vocabulary.default(), jobs=2))
    assert result.matches == () and engine.batches
