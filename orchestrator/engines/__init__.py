"""Engine registry: names to :class:`~orchestrator.engines.interface.Engine` classes.

Engines are imported lazily, so a scan with Semgrep alone never imports the CodeQL engine.
"""

from __future__ import annotations

import importlib

from orchestrator.engines.interface import Engine, EngineRequest, EngineResult, Target

__all__ = ["ENGINES", "Engine", "EngineRequest", "EngineResult", "Target", "get_engine",
           "engine_names", "UnknownEngine"]

#: name -> "module:Class"
ENGINES: dict[str, str] = {
    "semgrep": "orchestrator.engines.semgrep:SemgrepEngine",
    "codeql": "orchestrator.engines.codeql:CodeQLEngine",
    "flow": "orchestrator.engines.flow:FlowEngine",
}


class UnknownEngine(ValueError):
    """An engine name that is not in :data:`ENGINES`."""


def engine_names() -> tuple[str, ...]:
    return tuple(ENGINES)


def get_engine(name: str) -> Engine:
    """A fresh instance of the engine called ``name``."""
    try:
        spec = ENGINES[name]
    except KeyError:
        raise UnknownEngine(f"unknown engine {name!r}; expected one of {', '.join(ENGINES)}") from None
    module_name, _, class_name = spec.partition(":")
    cls = getattr(importlib.import_module(module_name), class_name)
    return cls()
