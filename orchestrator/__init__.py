"""fairlint: static analysis for bias-prone patterns in deep-learning code."""

__version__ = "0.1.0"

__all__ = ["MeasureConfig", "MeasureResult", "__version__", "measure", "scan"]


def scan(path, config=None):
    """Scan ``path`` and return a :class:`orchestrator.model.ScanResult`.

    Imported lazily so ``import orchestrator`` stays cheap.
    """
    from orchestrator.pipeline.scan import scan as _scan

    return _scan(path, config)


def measure(source, config):
    """Measure group-wise outcomes in ``source`` (CSV/Parquet path, DataFrame or Arrow table).

    ``config`` is a :class:`orchestrator.measure.MeasureConfig`; returns a
    :class:`orchestrator.measure.MeasureResult`. Imported lazily, like :func:`scan`. (Once the
    ``orchestrator.measure`` sub-package is imported, this name is that module, which is
    callable with the same arguments.)
    """
    from orchestrator.measure.analysis import measure as _measure

    return _measure(source, config)


def __getattr__(name: str):
    if name in ("MeasureConfig", "MeasureResult"):
        import orchestrator.measure as _package

        return getattr(_package, name)
    raise AttributeError(f"module 'orchestrator' has no attribute {name!r}")
