"""``fairlint measure``: group-wise outcome metrics (SageMaker Clarify's definitions) for a table.

``measure(frame_or_path, MeasureConfig(...)) -> MeasureResult`` reads a CSV or Parquet file (in
chunks, keeping only counts per cell), a pandas DataFrame or an Arrow table, and computes
Clarify's pre-training (CI, DPL, DI, DD, CDDL) and post-training (DPPL, DI, AD, RD, DDPL,
CDDPL, FPR and FNR differences) metrics, per-group tables, the Simpson's paradox check and
seeded bootstrap intervals. See docs/measure.md.
"""

from orchestrator.measure.analysis import measure
from orchestrator.measure.config import MeasureConfig, MeasureError
from orchestrator.measure.result import MeasureResult

__all__ = ["MeasureConfig", "MeasureError", "MeasureResult", "measure"]
