"""The scan's progress bar: stage names, then the engines' file counts (rich, on stderr, only
when asked)."""

from __future__ import annotations

import contextlib

from orchestrator.config import ScanConfig
from orchestrator.engines.interface import Engine, EngineRequest, EngineResult
from orchestrator.pipeline import scan as pipeline


class CountingEngine(Engine):
    """Reports its targets two at a time, as the Semgrep engine reports finished batches."""

    name = "semgrep"

    def available(self) -> bool:
        return True

    def version(self) -> str | None:
        return "fake"

    def run(self, request: EngineRequest) -> EngineResult:
        total = len(request.targets)
        if request.on_progress:
            for done in range(0, total, 2):
                request.on_progress(done, total)
            request.on_progress(total, total)
        return EngineResult((), version="fake")


class Recorder(pipeline.ProgressSink):
    def __init__(self) -> None:
        self.events: list[object] = []

    def __call__(self, text: str) -> None:
        self.events.append(text)

    def files(self, done: int, total: int) -> None:
        self.events.append((done, total))


def test_engine_progress_reaches_the_display(tmp_path, monkeypatch):
    for i in range(5):
        (tmp_path / f"m{i}.py").write_text(f"x{i} = {i}\n")
    recorder = Recorder()
    monkeypatch.setattr(pipeline, "resolve_engines", lambda names: [CountingEngine()])
    monkeypatch.setattr(pipeline, "progress_display",
                        lambda enabled: contextlib.nullcontext(recorder if enabled else pipeline.ProgressSink()))
    pipeline.scan(tmp_path, ScanConfig(progress=True, use_cache=False))
    counts = [e for e in recorder.events if isinstance(e, tuple)]
    assert counts == [(0, 5), (2, 5), (4, 5), (5, 5)]
    stages = [e for e in recorder.events if isinstance(e, str)]
    assert stages[0] == "reading 5 files" and stages[-1] == "reasoning over the repository"
    assert recorder.events.index((0, 5)) > recorder.events.index(stages[1])  # counts while analysing


def test_the_rich_bar_counts_files_with_an_eta(capsys):
    with pipeline.progress_display(True) as show:
        show("analysing 10 unique files with semgrep")
        show.files(4, 10)
        task = show._progress.tasks[0]
        assert (task.completed, task.total) == (4, 10) and "analysing 10" in task.description
        columns = {type(c).__name__ for c in show._progress.columns}
        assert {"BarColumn", "MofNCompleteColumn", "TimeRemainingColumn"} <= columns
    assert capsys.readouterr().out == ""  # the bar never touches the report's stream
    with pipeline.progress_display(False) as quiet:
        quiet("nothing")
        quiet.files(1, 2)
    assert capsys.readouterr().err == ""
