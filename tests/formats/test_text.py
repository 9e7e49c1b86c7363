"""Text output like ruff's: a clickable header per finding, the code line with a caret, the
message's first sentence wrapped to the width; concise, GitHub and GitLab variants."""

from __future__ import annotations

import json
import sys
from dataclasses import replace
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
import scan_factories as sf  # noqa: E402

from orchestrator.formats import RenderOptions, get_formatter  # noqa: E402
from orchestrator.formats.text import first_sentence  # noqa: E402


def render(result, fmt="text", **options):
    return get_formatter(fmt, RenderOptions(**options) if options else None).render(result)


def test_golden(file_regression):
    file_regression.check(render(sf.sample_result()), extension=".txt")


def test_blocks_most_severe_first_with_clickable_headers():
    text = render(sf.sample_result(), show_info=True)
    headers = [line for line in text.splitlines() if line and not line.startswith(" ") and ": " in line
               and line[0].isalpha() and not line.startswith(("Found", "skipped", "suppression"))]
    assert headers == [
        "src/train.py:30:1: CRITICAL EV01 aggregate-only-evaluation",
        "src/train.py:20:5: HIGH DP12 protected-attribute-as-feature",
        "src/prep.py:5:1: MEDIUM DP01 missing-rows-dropped",
        "notebooks/analysis.ipynb:cell 1:3:1: LOW CM01 model-pruning",
        "src/post.py:2:1: INFO DL02 group-threshold-postprocessor",
    ]


def test_code_line_with_caret_under_the_match():
    lines = render(sf.sample_result()).splitlines()
    at = lines.index("src/train.py:20:5: HIGH DP12 protected-attribute-as-feature")
    assert lines[at + 2] == "20 | model.fit(X, y)"
    assert lines[at + 3] == "   |     ^^^^^^^^^^^"  # columns 5..20, clipped to the line


def test_paths_relative_to_the_current_folder(tmp_path):
    result = replace(sf.sample_result(), root=str(tmp_path / "proj"))
    text = render(result, cwd=tmp_path)
    assert "proj/src/prep.py:5:1: MEDIUM DP01" in text
    text = render(result, cwd=tmp_path / "proj" / "src")
    assert "prep.py:5:1: MEDIUM DP01" in text and "../notebooks/analysis.ipynb:cell 1:3:1" in text


def test_first_sentence_by_default_whole_message_when_verbose():
    long = ("`df.dropna` deletes rows (e.g. those with NaN in `torch.nn.X`). Missingness is not random. "
            "Prefer imputation.")
    result = replace(sf.empty_result(), findings=(sf.finding(message=long),), files_scanned=1)
    short = render(result)
    assert "= `df.dropna` deletes rows (e.g. those with NaN in `torch.nn.X`)." in short
    assert "Missingness" not in short
    verbose = render(result, verbose=True)
    assert "Missingness is not random. Prefer imputation." in verbose
    assert "score 5.5, confidence HIGH" in verbose


def test_first_sentence_ignores_dots_in_code_and_parentheses():
    assert first_sentence("`a.b` runs (see x. Y). Then more.") == ("`a.b` runs (see x. Y).", "Then more.")
    assert first_sentence("No period at all") == ("No period at all", "")


def test_wrapped_to_the_width():
    message = "word " * 80 + "end."
    result = replace(sf.empty_result(), findings=(sf.finding(message=message),), files_scanned=1)
    for width in (60, 100):
        lines = render(result, width=width).splitlines()
        assert max(len(line) for line in lines) <= width
        assert "end." in "\n".join(lines)


def test_summary_counts_files_with_findings_against_files_scanned():
    text = render(sf.sample_result(), show_info=True)
    # 4 files hold findings, plus the vendored copy of the dropna finding: 5 of 7.
    assert text.splitlines()[-2:] == [
        "Found 5 findings (1 critical, 1 high, 1 medium, 1 low, 1 info) in 5 of 7 files scanned; 1 skipped, 2",
        "suppressions, 0 errors."]
    assert "skipped data/huge.py: too large (3000000 bytes)" in text
    assert "suppression problem src/train.py:3: unknown id DP99" in text


@pytest.mark.parametrize("fmt", ["text", "concise", "github"])
def test_info_findings_are_hidden_unless_asked_and_counted_in_the_summary(fmt):
    hidden = render(sf.sample_result(), fmt)
    shown = render(sf.sample_result(), fmt, show_info=True)
    assert "group-threshold-postprocessor" not in hidden and "src/post.py" not in hidden
    assert "group-threshold-postprocessor" in shown
    assert "1 info hidden: --show-info lists them" in " ".join(hidden.split())
    assert "hidden" not in shown
    # Still listed: everything above info.
    assert "model-pruning" in hidden and "aggregate-only-evaluation" in hidden


def test_nothing_hidden_says_nothing_about_hiding():
    result = replace(sf.sample_result(), findings=tuple(
        f for f in sf.sample_result().findings if f.severity.value != "info"))
    assert "hidden" not in render(result)


def test_quiet_prints_findings_only():
    text = render(sf.sample_result(), quiet=True)
    assert "Found" not in text and "skipped" not in text
    assert text.startswith("src/train.py:30:1: CRITICAL EV01")
    assert render(sf.empty_result(), quiet=True) == ""


def test_colour_only_when_asked():
    assert "\x1b[" not in render(sf.sample_result())
    coloured = render(sf.sample_result(), color=True)
    assert "\x1b[1;31mCRITICAL\x1b[0m" in coloured and "\x1b[33mMEDIUM\x1b[0m" in coloured


def test_control_and_bidi_characters_from_scanned_files_are_escaped():
    evil = sf.finding(path="src/\x1b[2Jx.py", snippet="x = 1  # \u202e evil", message="`\x07` here.")
    result = replace(sf.empty_result(), findings=(evil,), files_scanned=1)
    for fmt in ("text", "concise", "github"):
        text = render(result, fmt)
        assert "\x1b" not in text and "\u202e" not in text and "\x07" not in text, fmt
        assert "\\x1b[2Jx.py" in text


def test_notes_are_printed():
    result = replace(sf.sample_result(), notes=("repository-level findings were left out",))
    assert "note: repository-level findings were left out" in render(result)
    assert "note: repository-level findings were left out" in render(result, "concise")


def test_empty_result():
    result = replace(sf.empty_result(), errors=("semgrep timed out",))
    assert render(result) == ("error: semgrep timed out\n\nFound 0 findings (0 critical, 0 high, 0 medium, "
                              "0 low, 0 info) in 0 of 0 files scanned; 0 skipped, 0\nsuppressions, 1 "
                              "error.\n")


def test_concise_is_one_line_per_finding():
    lines = render(sf.sample_result(), "concise", show_info=True).splitlines()
    assert lines[0] == ("src/train.py:30:1: CRITICAL EV01 aggregate-only-evaluation Aggregate-only evaluation: "
                        "accuracy at src/train.py:30, no per-group metric.")
    assert len(lines) == 5 + 1 and lines[-1].startswith("Found 5 findings")


def test_github_annotations(tmp_path):
    lines = render(sf.sample_result(), "github", show_info=True).splitlines()
    assert lines[0] == ("::error file=src/train.py,line=30,endLine=30,title=CRITICAL EV01 "
                        "aggregate-only-evaluation::Aggregate-only evaluation: accuracy at src/train.py:30, "
                        "no per-group metric.")
    assert lines[2].startswith("::warning file=src/prep.py,line=5,endLine=5,col=1,endColumn=17,")
    assert lines[4].startswith("::notice file=src/post.py,")
    # The notebook is not on disk under /project: no line rather than a wrong one.
    assert lines[3].startswith("::notice file=notebooks/analysis.ipynb,title=LOW CM01 model-pruning::")


def test_github_escapes_properties_and_data():
    odd = sf.finding(path="src/a,b:c.py", message="50% done\nnext")
    result = replace(sf.empty_result(), findings=(odd,))
    line = render(result, "github").splitlines()[0]
    assert "file=src/a%2Cb%3Ac.py," in line and line.endswith("::50%25 done next")


def test_gitlab_code_quality():
    issues = json.loads(render(sf.sample_result(), "gitlab"))
    assert [i["severity"] for i in issues] == ["blocker", "critical", "major", "minor", "info"]
    first = issues[0]
    assert first["check_name"] == "aggregate-only-evaluation" and first["fingerprint"] == "e0e0e0"
    assert first["location"] == {"path": "src/train.py", "lines": {"begin": 30}}
    assert len({i["fingerprint"] for i in issues}) == len(issues)


@pytest.mark.parametrize("fmt", ["github", "gitlab", "text"])
def test_notebook_findings_use_the_ipynb_file_lines(tmp_path, fmt):
    nb = {"cells": [{"cell_type": "markdown", "metadata": {}, "source": ["# title"]},
                    {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
                     "source": ["import torch\n", "x = 1\n", "prune.l1_unstructured(model.fc, 'weight', amount=0.5)"]}],
          "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    text = json.dumps(nb, indent=1)
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "notebooks" / "analysis.ipynb").write_text(text)
    expected = next(i for i, line in enumerate(text.splitlines(), 1) if "prune.l1" in line)
    result = replace(sf.sample_result(), root=str(tmp_path))
    out = render(result, fmt)
    if fmt == "github":
        assert f"file=notebooks/analysis.ipynb,line={expected}," in out
    elif fmt == "gitlab":
        issue = next(i for i in json.loads(out) if i["check_name"] == "model-pruning")
        assert issue["location"]["lines"]["begin"] == expected
    else:
        assert "3 | prune.l1_unstructured(model.fc, 'weight', amount=0.5)" in out
