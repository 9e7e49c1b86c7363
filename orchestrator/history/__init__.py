"""`fairlint history`: how a repository's bias-prone patterns came and went, commit by commit.

repo (git plumbing) -> snapshot (one commit's files in a private folder) -> the scan pipeline
(cached per content) -> store (SQLite, one transaction per commit) -> timeline (first seen,
fixed and why, per-commit counts) -> formats (text, JSON, CSV, the HTML report's Trend view).
"""

from orchestrator.history.repo import HistoryError, Selection
from orchestrator.history.walk import HistoryOptions, WalkOutcome, scan_commit, walk

__all__ = ["HistoryError", "HistoryOptions", "Selection", "WalkOutcome", "scan_commit", "walk"]
