"""``fairlint measure``: group-wise outcome metrics (SageMaker Clarify's definitions) for a table.

``measure(frame_or_path, MeasureConfig(...)) -> MeasureResult`` reads a CSV or Parquet file (in
chunks, keeping only counts per cell), a pandas DataFrame or an Arrow table, and computes
Clarify's pre-training (CI, DPL, DI, DD, CDDL) and post-training (DPPL, DI, AD, RD, DDPL,
CDDPL, FPR and FNR differences) metrics, per-group tables, the Simpson's paradox check and
seeded bootstrap intervals. See docs/measure.md.
"""

import sys
import types

from orchestrator.measure.config import MeasureConfig, MeasureError
from orchestrator.measure.result import MeasureResult

__all__ = ["MeasureConfig", "MeasureError", "MeasureResult", "measure"]


def __getattr__(name: str):
    # numpy and pandas load on first use: `fairlint scan` imports orchestrator.measure.link for
    # its suggestions and should not pay for them when it measures nothing.
    if name == "measure":
        from orchestrator.measure.analysis import measure

        return measure
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class _CallableModule(types.ModuleType):
    """``orchestrator.measure(frame, config)`` keeps working once this sub-package is imported
    (importing it rebinds the name ``measure`` on ``orchestrator`` from the function to this module)."""

    def __call__(self, source, config: MeasureConfig) -> MeasureResult:
        from orchestrator.measure.analysis import measure

        return measure(source, config)


sys.modules[__name__].__class__ = _CallableModule
