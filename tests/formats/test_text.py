"""Text output: grouped by file, most severe first, pattern id, line, message, summary line."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import scan_factories as sf  # noqa: E402

from orchestrator.formats import get_formatter  # noqa: E402


def render(result):
    return get_formatter("text").render(result)


def test_golden(file_regression):
    file_regression.check(render(sf.sample_result()), extension=".txt")


def test_files_ordered_by_their_most_severe_finding():
    text = render(sf.sample_result())
    headers = [line for line in text.splitlines() if line and not line.startswith(" ")
               and "/" in line and ":" not in line]
    assert headers == ["src/train.py", "src/prep.py", "notebooks/analysis.ipynb", "src/post.py"]
    train = text.index("src/train.py\n")
    assert text.index("CRITICAL", train) < text.index("HIGH", train)


def test_finding_lines_show_level_score_pattern_place_and_message():
    text = render(sf.sample_result())
    assert "MEDIUM    5.5  DP01  line 5         missing-rows-dropped (+1 more places)" in text
    assert "cell 1 line 3" in text and "[repository]" in text
    assert "`df` is filtered by deleting every row with a missing value" in text


def test_summary_and_problems():
    text = render(sf.sample_result())
    assert text.splitlines()[-1] == ("5 findings (1 critical, 1 high, 1 medium, 1 low, 1 info) in 4 files; "
                                     "7 files scanned, 1 skipped, 2 suppressions, 0 errors")
    assert "skipped data/huge.py: too large (3000000 bytes)" in text
    assert "suppression problem src/train.py:3: unknown id DP99" in text


def test_empty_result():
    result = replace(sf.empty_result(), errors=("semgrep timed out",))
    assert render(result) == ("error: semgrep timed out\n\n0 findings (0 critical, 0 high, 0 medium, 0 low, "
                              "0 info) in 0 files; 0 files scanned, 0 skipped, 0 suppressions, 1 errors\n")
