"""Which ML frameworks a file uses, read from its import statements (text only; nothing is
imported). Findings carry the frameworks of their file, the study the frameworks of a repo."""

from __future__ import annotations

import re

#: Import statements that say which framework a file uses, in report order.
IMPORT_RES = {
    "pytorch": re.compile(r"^\s*(?:import|from)\s+torch\b", re.M),
    "tensorflow": re.compile(r"^\s*(?:import|from)\s+tensorflow\b", re.M),
    "keras": re.compile(r"^\s*(?:import\s+keras\b|from\s+keras\b|from\s+tensorflow\s+import\s+keras\b"
                        r"|from\s+tensorflow\.keras\b|import\s+tensorflow\.keras\b)", re.M),
    "jax": re.compile(r"^\s*(?:import|from)\s+(?:jax|flax)\b", re.M),
    "sklearn": re.compile(r"^\s*(?:import|from)\s+sklearn\b", re.M),
    "pandas": re.compile(r"^\s*(?:import|from)\s+pandas\b", re.M),
}

#: The frameworks a study reports as columns (``framework_<name>``), in report order.
FRAMEWORK_COLUMNS = ("pytorch", "tensorflow", "keras", "jax", "sklearn")


def detect(text: str) -> tuple[str, ...]:
    """The frameworks whose imports appear in ``text`` (a file's source), in report order."""
    return tuple(name for name, rx in IMPORT_RES.items() if rx.search(text))
