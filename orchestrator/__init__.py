"""fairlint: static analysis for bias-prone patterns in deep-learning code."""

__version__ = "0.1.0"

__all__ = ["__version__", "scan"]


def scan(path, config=None):
    """Scan ``path`` and return a :class:`orchestrator.model.ScanResult`.

    Imported lazily so ``import orchestrator`` stays cheap.
    """
    from orchestrator.pipeline.scan import scan as _scan

    return _scan(path, config)
