"""The HTML report without a browser: self-contained, CSP, escaping, embedded data, context lines."""

from __future__ import annotations

import base64
import hashlib
import json
import math
import re
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
import html_factories as hf  # noqa: E402

from orchestrator.formats import get_formatter  # noqa: E402
from orchestrator.formats.html import (HtmlFormatter, StudyData, json_for_script,  # noqa: E402
                                       render_study_html)
from orchestrator.model import Location, ScanResult, ToolInfo  # noqa: E402


class _Blocks(HTMLParser):
    """Collects every element's tag and attributes, and the text of script and style blocks."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.blocks: list[tuple[str, dict[str, str | None], str]] = []
        self._open: tuple[str, dict[str, str | None]] | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag in ("script", "style"):
            self._open, self._text = (tag, dict(attrs)), []

    def handle_data(self, data):
        if self._open:
            self._text.append(data)

    def handle_endtag(self, tag):
        if self._open and tag == self._open[0]:
            self.blocks.append((tag, self._open[1], "".join(self._text)))
            self._open = None


def _parse(page: str) -> _Blocks:
    parser = _Blocks()
    parser.feed(page)
    parser.close()
    return parser


def _data(page: str) -> dict:
    blocks = [b for b in _parse(page).blocks if b[1].get("type") == "application/json"]
    assert len(blocks) == 1
    return json.loads(blocks[0][2])


def _csp(page: str) -> str:
    metas = [a for t, a in _parse(page).tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"]
    assert len(metas) == 1
    return metas[0]["content"] or ""


def _decode(data: dict) -> list[dict]:
    """Rows back to dicts with strings resolved, as the page does."""
    s, cols = data["s"], data["cols"]
    text_cols = {"rule", "pattern", "stage", "path", "msg", "conf", "fp"}
    out = []
    for row, detail in zip(data["rows"], data["details"]):
        d = dict(zip(cols, row))
        for c in text_cols:
            d[c] = s[d[c]]
        d["repo"] = s[d["repo"]] if d["repo"] >= 0 else ""
        d["fw"] = [s[x] for x in d["fw"]]
        d["detail"] = detail
        out.append(d)
    return out


@pytest.fixture()
def scan_root(tmp_path: Path) -> Path:
    return hf.write_tree(tmp_path / "repo")


@pytest.fixture()
def page(scan_root: Path) -> str:
    return HtmlFormatter().render(hf.sample_result(scan_root))


def test_registry_gives_the_html_formatter():
    assert isinstance(get_formatter("html"), HtmlFormatter)
    assert HtmlFormatter.extension == "html"


def test_page_is_one_self_contained_document(page: str):
    assert page.startswith("<!DOCTYPE html>") and page.endswith("</html>\n")
    tags = _parse(page).tags
    assert not [t for t, a in tags if t in ("link", "iframe", "object", "embed", "base")]
    for tag, attrs in tags:
        assert "src" not in attrs, f"<{tag}> loads {attrs['src']}"
        assert "href" not in attrs, f"<{tag}> links {attrs['href']}"
    assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", page, re.I)
    assert not re.search(r"@import|url\(\s*['\"]?(?:https?:)?//", page, re.I)


def test_csp_allows_exactly_the_inline_blocks_by_hash(page: str):
    csp = _csp(page)
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    assert directives["default-src"] == "'none'"
    assert directives["img-src"] == "data:"
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp and "http" not in csp
    blocks = _parse(page).blocks
    code = [b for b in blocks if b[0] == "script" and b[1].get("type") != "application/json"]
    styles = [b for b in blocks if b[0] == "style"]
    assert len(code) == 1 and len(styles) == 1

    def sha(text: str) -> str:
        return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"

    assert directives["script-src"] == sha(code[0][2])
    assert directives["style-src"] == sha(styles[0][2])


def test_page_has_no_inline_event_handlers_or_style_attributes(page: str):
    for tag, attrs in _parse(page).tags:
        assert not [a for a in attrs if a.startswith("on") or a == "style"], tag


def test_page_script_uses_no_html_parsing_sinks():
    from orchestrator.formats.html import _asset

    script = _asset("report.js")
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function",
                 "setAttribute(\"style", ".onclick", "javascript:"):
        assert sink not in script.split("\n", 4)[-1], sink  # the header comment may name them


def test_hostile_names_snippets_and_messages_never_appear_as_markup(page: str):
    assert page.count("<script") == 2
    assert "<img" not in page  # every hostile string sits in JSON with < > & escaped
    for hostile in (hf.HOSTILE_NAME, hf.HOSTILE_SNIPPET, hf.HOSTILE_MESSAGE):
        assert hostile not in page


def test_embedded_json_is_inert_in_a_script_element_and_round_trips(page: str):
    block = next(b for b in _parse(page).blocks if b[1].get("type") == "application/json")[2]
    for ch in "<>&\u2028\u2029":
        assert ch not in block
    rows = {r["fp"]: r for r in _decode(_data(page))}
    hostile = rows["fp-hostile"]
    assert hostile["path"] == hf.HOSTILE_NAME
    assert hostile["msg"] == hf.HOSTILE_MESSAGE
    assert _data(page)["s"][hostile["detail"]["snip"]] == hf.HOSTILE_SNIPPET


@pytest.mark.parametrize("value", ["</script><script>x()</script>", "<!--<script>", "a&b>c", "\u2028\u2029",
                                   "\udcff lone surrogate", "</SCRIPT >"])
def test_json_for_script_escapes_everything_that_could_end_the_element(value: str):
    text = json_for_script({"v": value})
    assert re.search(r"[<>&\u2028\u2029]", text) is None
    assert "</" not in text.lower()
    assert json.loads(text) == {"v": value}


def test_json_for_script_refuses_nan():
    with pytest.raises(ValueError):
        json_for_script({"v": math.nan})


def test_context_lines_come_from_the_file_with_the_match_in_the_middle(page: str):
    data = _data(page)
    dp01 = next(r for r in _decode(data) if r["fp"] == "fp-dp01-prep")
    first, lines = dp01["detail"]["ctx"]
    assert first == 2
    assert [data["s"][i] for i in lines] == hf.PREP_SOURCE.splitlines()[1:7]
    assert dp01["detail"]["col"] == [6, 17]
    assert [data["s"][o[0]] for o in dp01["detail"]["occ"]] == ["src/prep.py", "vendor/lib/prep.py"]
    assert [[data["s"][x[0]], x[1]] for x in dp01["detail"]["factors"]] == [
        ["base", 5.0], ["people-data", 2.0], ["vendored", -0.5]]


def test_notebook_findings_show_their_cell(page: str):
    data = _data(page)
    nb = next(r for r in _decode(data) if r["fp"] == "fp-cm01-nb")
    assert nb["cell"] == 1
    assert nb["detail"]["cell"][:2] == [1, 3] and data["s"][nb["detail"]["cell"][2]] == "c0ffee"
    first, lines = nb["detail"]["ctx"]
    assert first == 1
    assert data["s"][lines[2]] == "prune.l1_unstructured(model.fc, 'weight', amount=0.5)"


def test_missing_file_gives_the_snippet_only(page: str):
    ev = next(r for r in _decode(_data(page)) if r["fp"] == "fp-ev01")
    assert "ctx" not in ev["detail"]
    assert _data(page)["s"][ev["detail"]["snip"]] == "model.evaluate(x, y)"
    assert ev["detail"]["repo_level"] == 1 and len(ev["detail"]["ev"]) == 2


@pytest.mark.parametrize("escape", ["../outside.py", "/etc/passwd", "link.py", "src/../../outside.py"])
def test_context_is_never_read_from_outside_root(tmp_path: Path, escape: str):
    root = tmp_path / "repo"
    root.mkdir()
    (tmp_path / "outside.py").write_text("SECRET = 1\n" * 10)
    (root / "link.py").symlink_to(tmp_path / "outside.py")
    result = ScanResult(root=str(root), skipped=(), tool=ToolInfo("0", "h"),
                        findings=(hf.finding(path=escape, start_line=1, end_line=1,
                                             occurrences=(Location(escape, 1, 1),)),))
    page = HtmlFormatter().render(result)
    assert "SECRET" not in page and "root:" not in page
    assert "ctx" not in _data(page)["details"][0]


def test_sources_mapping_replaces_reading_from_disk():
    result = ScanResult(root="/does/not/exist", skipped=(), tool=ToolInfo("0", "h"),
                        findings=(hf.finding(start_line=2, end_line=2),))
    page = HtmlFormatter(sources={"src/prep.py": "a\nb = df.dropna()\nc\n"}).render(result)
    data = _data(page)
    first, lines = data["details"][0]["ctx"]
    assert first == 1 and [data["s"][i] for i in lines] == ["a", "b = df.dropna()", "c"]


def test_long_matches_and_lines_are_cut(tmp_path: Path):
    root = tmp_path / "repo"
    root.mkdir()
    (root / "big.py").write_text("\n".join("x" * 1000 for _ in range(300)))
    result = ScanResult(root=str(root), skipped=(), tool=ToolInfo("0", "h"),
                        findings=(hf.finding(path="big.py", start_line=10, end_line=250),))
    data = _data(HtmlFormatter().render(result))
    first, lines = data["details"][0]["ctx"]
    assert first == 7 and len(lines) == 3 + 40 + 3
    assert max(len(data["s"][i]) for i in lines) < 410


def test_ten_thousand_findings_stay_compact():
    page = HtmlFormatter().render(hf.many_result(10_000))
    data = _data(page)
    assert len(data["rows"]) == 10_000
    assert len(page) < 4_000_000
    assert data["s"].count("preparation") == 1  # strings are stored once


def test_run_details_are_embedded(page: str):
    data = _data(page)
    assert data["skipped"] == [["big/data.py", "too large", "3 MB > 2 MB"]]
    assert data["suppressions"][1][-1] == "missing reason"
    assert data["errors"] == ["semgrep: rule x timed out on big.py"]
    assert data["meta"]["files_scanned"] == 4 and data["stages"][0] == "dataset"


def test_study_page_embeds_findings_repositories_and_prevalence():
    page = render_study_html(hf.sample_study())
    data = _data(page)
    assert data["kind"] == "study"
    assert data["repos"]["columns"] == ["repo", "group", "frameworks", "files", "findings", "stars"]
    assert len(data["repos"]["rows"]) == 12
    assert len(data["prevalence"]) == 2 * len(hf.PATTERNS) * len(hf.FRAMEWORKS)
    rows = _decode(data)
    hostile = next(r for r in rows if r["fp"] == "h")
    assert hostile["repo"] == "org0/project-0" and hostile["fw"] == ["numpy"]
    assert hostile["sev"] == 4
    assert "<img" not in page and hf.HOSTILE_SNIPPET not in page


def test_study_title_is_escaped_by_the_template():
    page = render_study_html(StudyData(title='<script>alert("t")</script>'))
    assert "<title>&lt;script&gt;alert(&#34;t&#34;)&lt;/script&gt;</title>" in page
    assert page.count("<script") == 2


def test_study_values_are_made_json_safe():
    study = StudyData(repositories=[{"repo": "a/b", "share": math.nan, "tags": ("x", "y"), "when": Path("p")}],
                      prevalence=[{"pattern": "DP01", "share": 0.5}])
    data = _data(render_study_html(study))
    assert data["repos"]["rows"] == [["a/b", None, ["x", "y"], "p"]]


def test_study_prevalence_rows_need_pattern_and_share():
    with pytest.raises(ValueError, match="pattern"):
        StudyData(prevalence=[{"framework": "pytorch", "share": 0.1}])


def test_study_rows_from_pandas_records_tolerate_nan_and_numpy_types():
    np = pytest.importorskip("numpy")
    row = {"repo": "a/b", "path": "x.py", "rule_id": "r", "bias_pattern": "DP01", "stage": "preparation",
           "severity": "high", "score": np.float64(6.5), "fingerprint": "f", "frameworks": math.nan,
           "start_line": np.int64(7), "end_line": np.int64(8), "message": None, "snippet": math.nan,
           "group": "people", "cell": math.nan}
    data = _data(render_study_html(StudyData(findings=[row])))
    (decoded,) = _decode(data)
    assert decoded["score"] == 6.5 and decoded["line"] == 7 and decoded["end"] == 8
    assert decoded["msg"] == "" and decoded["fw"] == [] and decoded["cell"] == -1
    assert data["s"][decoded["detail"]["snip"]] == ""
    assert data["s"][decoded["group"]] == "people"


def small_cells_study() -> StudyData:
    """people: 12 repositories, control: 3 (below the PNG heatmap's n of 5), one row without n."""
    prevalence = [{"pattern": "DP01", "group": "people", "share": 0.5, "count": 6, "total": 12},
                  {"pattern": "DP01", "group": "control", "share": 1.0, "count": 3, "total": 3},
                  {"pattern": "DP02", "group": "people", "share": 0.25, "count": 3, "total": 12},
                  {"pattern": "DP02", "group": "control", "share": 0.0, "count": 0, "total": 3},
                  {"pattern": "DP03", "group": "people", "share": 0.1}]
    return StudyData(prevalence=prevalence, title="small", min_cell_n=5)


def test_study_prevalence_cells_below_the_minimum_n_are_marked_small():
    data = _data(render_study_html(small_cells_study()))
    assert data["min_cell_n"] == 5
    assert [(r["pattern"], r["group"], r["small"]) for r in data["prevalence"]] == [
        ("DP01", "people", False), ("DP01", "control", True), ("DP02", "people", False),
        ("DP02", "control", True), ("DP03", "people", False)]
    plain = _data(render_study_html(StudyData(prevalence=small_cells_study().prevalence)))
    assert not any(r["small"] for r in plain["prevalence"])  # no minimum given: nothing greyed
