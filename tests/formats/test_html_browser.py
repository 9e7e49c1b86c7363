"""The HTML report in a real headless Chromium (Debian's ``chromium``, driven by Playwright).

Skipped only when no chromium binary exists (``.ci/run`` installs one).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
import html_factories as hf  # noqa: E402

from orchestrator.formats.html import HtmlFormatter, render_study_html  # noqa: E402

pytestmark = pytest.mark.browser

class Report:
    """One loaded report page and everything it said on the console."""

    def __init__(self, browser, path: Path) -> None:
        self.page = browser.new_page(viewport={"width": 1400, "height": 900})
        self.problems: list[str] = []
        self.requests: list[str] = []
        self.page.on("console", lambda m: m.type in ("error", "warning") and self.problems.append(f"{m.type}: {m.text}"))
        self.page.on("pageerror", lambda e: self.problems.append(f"pageerror: {e}"))
        self.page.on("dialog", lambda d: (self.problems.append(f"dialog: {d.message}"), d.dismiss()))
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.goto(path.as_uri())
        self.page.wait_for_selector("body[data-ready='1']", timeout=20_000)

    def tab(self, name: str) -> None:
        self.page.click(f"#tab-{name}")

    def visible_ids(self) -> list[int]:
        return self.page.eval_on_selector_all(".vt-row[data-i]", "els => els.map(e => +e.dataset.i)")

    def count(self) -> int:
        return int(self.page.get_attribute("#count-line", "data-count"))

    def wait_count(self, n: int) -> None:
        self.page.wait_for_selector(f"#count-line[data-count='{n}']", timeout=10_000)

    def close(self) -> None:
        self.page.close()


@pytest.fixture()
def scan_page(browser, tmp_path: Path):
    root = hf.write_tree(tmp_path / "repo")
    out = tmp_path / "report.html"
    out.write_text(HtmlFormatter().render(hf.sample_result(root)), encoding="utf-8")
    report = Report(browser, out)
    yield report
    report.close()


def _index(fingerprint: str) -> int:
    return [f.fingerprint for f in hf.sample_findings()].index(fingerprint)


def test_scan_report_loads_offline_without_console_errors(scan_page: Report):
    assert scan_page.problems == []
    assert all(url.startswith("file://") for url in scan_page.requests), scan_page.requests
    charts = scan_page.page.eval_on_selector_all("[data-chart]", "els => els.map(e => e.dataset.chart)")
    assert charts == ["severity", "stage", "pattern", "framework", "top"]
    stages = scan_page.page.eval_on_selector_all("[data-chart=stage] .bar", "els => els.map(e => e.dataset.key)")
    assert stages == ["dataset", "preparation", "training", "compression", "evaluation", "decision"]
    assert scan_page.page.text_content("#tab-findings .count") == "4"


def test_filters_change_the_visible_rows(scan_page: Report):
    page = scan_page.page
    scan_page.tab("findings")
    assert sorted(scan_page.visible_ids()) == [0, 1, 2, 3]
    page.click(".chip[data-sev=critical]")
    scan_page.wait_count(3)
    assert _index("fp-hostile") not in scan_page.visible_ids()
    page.select_option("select[data-filter=stage]", "preparation")
    scan_page.wait_count(1)
    assert scan_page.visible_ids() == [_index("fp-dp01-prep")]
    page.click("text=Clear filters")
    scan_page.wait_count(4)
    page.fill("input[data-filter=text]", "under-represented")
    scan_page.wait_count(1)
    assert scan_page.visible_ids() == [_index("fp-cm01-nb")]
    page.fill("input[data-filter=text]", "")
    page.fill("input[data-filter=path]", "*.ipynb")
    scan_page.wait_count(1)
    page.fill("input[data-filter=path]", "")
    page.select_option("select[data-filter=fw]", "tensorflow")
    scan_page.wait_count(1)
    assert scan_page.visible_ids() == [_index("fp-ev01")]
    assert scan_page.problems == []


def test_sorting_and_grouping(scan_page: Report):
    page = scan_page.page
    scan_page.tab("findings")
    scores = [f.score for f in hf.sample_findings()]
    assert scan_page.visible_ids() == sorted(range(4), key=lambda i: -scores[i])
    page.click(".th[data-sort=score]")
    assert scan_page.visible_ids() == sorted(range(4), key=lambda i: scores[i])
    page.select_option("select[data-filter=groupBy]", "file")
    groups = page.eval_on_selector_all(".vt-row.grp .gname", "els => els.map(e => e.textContent)")
    assert sorted(groups) == sorted(f.path for f in hf.sample_findings())
    page.click(".vt-row.grp >> nth=0")
    assert len(scan_page.visible_ids()) == 3
    assert scan_page.problems == []


def test_a_findings_detail_shows_code_score_occurrences_and_suppression(scan_page: Report):
    page = scan_page.page
    scan_page.tab("findings")
    page.click(f".vt-row[data-i='{_index('fp-dp01-prep')}']")
    detail = page.locator("#detail")
    detail.wait_for(state="visible")
    assert page.text_content("#detail .code tr.hl") .strip().startswith("5")
    assert page.text_content("#detail .code mark") == "df.dropna()"
    assert page.locator("#detail .code tr").count() == 6
    assert page.locator("#detail .factors tr").count() == 3
    assert page.locator("#detail .occ li").count() == 2
    assert "vendor/lib/prep.py:5" in page.text_content("#detail .occ")
    assert page.text_content("#detail [data-suppress]") == "# fairlint: ignore[DP01] reason: <why this is acceptable here>"
    assert page.get_attribute("#detail .refs a", "href") == "https://doi.org/10.1145/3468264.3468536"
    page.keyboard.press("Escape")
    detail.wait_for(state="hidden")
    assert scan_page.problems == []


def test_a_finding_link_opens_its_detail(scan_page: Report, browser):
    page = scan_page.page
    scan_page.tab("findings")
    page.click(f".vt-row[data-i='{_index('fp-cm01-nb')}']")
    assert page.evaluate("location.hash") == "#finding=fp-cm01-nb"
    again = Report(browser, Path(page.url.split("#")[0].replace("file://", "")))
    again.page.goto(page.url)
    again.page.reload()
    again.page.wait_for_selector("#detail:not([hidden])")
    assert again.page.get_attribute("#tab-findings", "aria-selected") == "true"
    assert "prune.l1_unstructured" in again.page.text_content("#detail .code tr.hl")
    assert again.problems == [] and scan_page.problems == []
    again.close()


def test_notebook_finding_shows_its_cell(scan_page: Report):
    page = scan_page.page
    scan_page.tab("findings")
    page.click(f".vt-row[data-i='{_index('fp-cm01-nb')}']")
    assert "Notebook cell 1 (id c0ffee)" in page.text_content("#detail .code .cap")
    assert "prune.l1_unstructured" in page.text_content("#detail .code tr.hl")
    assert "(inside the same notebook cell)" in page.text_content("#detail .supp")


def test_hostile_file_name_snippet_and_message_stay_inert_text(scan_page: Report):
    page = scan_page.page
    scan_page.tab("findings")
    row = f".vt-row[data-i='{_index('fp-hostile')}']"
    assert page.get_attribute(f"{row} .c-loc", "title") == hf.HOSTILE_NAME + ":2"
    page.click(row)
    page.locator("#detail").wait_for(state="visible")
    assert page.text_content("#detail .where") == hf.HOSTILE_NAME + ":2"
    assert hf.HOSTILE_SNIPPET in page.text_content("#detail .code tr.hl")
    assert page.text_content("#detail .msg") == hf.HOSTILE_MESSAGE
    counts = page.evaluate("""() => ({
        img: document.querySelectorAll('img').length,
        scripts: document.querySelectorAll('script').length,
        handlers: [...document.querySelectorAll('*')].filter(e => [...e.attributes].some(a => a.name.startsWith('on'))).length,
        jsLinks: [...document.querySelectorAll('a')].filter(a => !/^https?:/.test(a.href)).length,
        links: document.querySelectorAll('#detail .refs a').length,
    })""")
    assert counts == {"img": 0, "scripts": 2, "handlers": 0, "jsLinks": 0, "links": 0}
    # references that are not http(s) URLs stay plain text
    refs = page.eval_on_selector_all("#detail .refs li", "els => els.map(e => e.textContent)")
    assert refs == ["javascript:alert(6)", 'see "><img src=x onerror=alert(7)>']
    assert scan_page.problems == []


def test_ten_thousand_findings_filter_quickly_and_render_few_rows(browser, tmp_path: Path):
    out = tmp_path / "big.html"
    out.write_text(HtmlFormatter().render(hf.many_result(10_000)), encoding="utf-8")
    report = Report(browser, out)
    page = report.page
    report.tab("findings")
    assert report.count() == 10_000
    assert len(report.visible_ids()) < 100  # virtualised: only the rows in view exist
    start = time.perf_counter()
    page.select_option("select[data-filter=pattern]", "DP01")
    report.wait_count(1000)
    page.fill("input[data-filter=text]", "call_99")  # snippets call_<i>() with i % 10 == 0 for DP01
    expected = sum(1 for i in range(0, 10_000, 10) if str(i).startswith("99"))
    report.wait_count(expected)
    elapsed = time.perf_counter() - start
    assert elapsed < 5.0, f"filtering 10,000 findings took {elapsed:.2f} s"
    assert float(page.get_attribute("body", "data-filter-ms")) < 500
    page.click("text=Clear filters")
    report.wait_count(10_000)
    page.eval_on_selector(".vt-body", "b => { b.scrollTop = b.scrollHeight; b.dispatchEvent(new Event('scroll')); }")
    page.wait_for_timeout(200)
    assert max(report.visible_ids()) >= 0 and len(report.visible_ids()) < 100
    page.select_option("select[data-filter=groupBy]", "pattern")
    page.click("#fold")
    assert page.locator(".vt-row.grp").count() == len(hf.PATTERNS)
    assert page.locator(".vt-row[data-i]").count() == 0
    page.click("#fold")
    assert page.locator(".vt-row[data-i]").count() > 10
    assert report.problems == []
    report.close()


def test_study_report_heatmaps_repositories_and_findings(browser, tmp_path: Path):
    out = tmp_path / "study.html"
    out.write_text(render_study_html(hf.sample_study()), encoding="utf-8")
    report = Report(browser, out)
    page = report.page
    assert page.title() == "fairlint study: test corpus"
    report.tab("prevalence")
    titles = page.eval_on_selector_all("[data-heatmap]", "els => els.map(e => e.dataset.heatmap)")
    assert titles == ["Prevalence: people-data", "Prevalence: control", "Difference: people-data − control"]
    cells = page.locator("[data-heatmap='Prevalence: control'] rect.cell").count()
    assert cells == len(hf.PATTERNS) * len(hf.FRAMEWORKS)
    report.tab("repositories")
    assert page.locator("#view-repositories .vt-row").count() == 12
    page.click("#view-repositories .vt-row >> text=org4/project-4")
    report.wait_count(4)
    page.click("text=Clear filters")
    page.select_option("select[data-filter=groupBy]", "repo")
    groups = page.eval_on_selector_all(".vt-row.grp .gname", "els => els.map(e => e.textContent)")
    assert groups[0] == "org0/project-0"  # the group holding the critical finding comes first
    assert len(groups) == len(set(groups)) > 3
    page.select_option("select[data-filter=group]", "control")
    report.wait_count(sum(1 for r in hf.sample_study().findings if r["group"] == "control"))
    assert page.evaluate("document.querySelectorAll('img').length") == 0
    assert report.problems == []
    report.close()


def test_study_prevalence_with_separate_framework_and_group_rows(browser, tmp_path: Path):
    out = tmp_path / "split.html"
    out.write_text(render_study_html(hf.split_prevalence_study()), encoding="utf-8")
    report = Report(browser, out)
    page = report.page
    report.tab("prevalence")
    titles = page.eval_on_selector_all("[data-heatmap]", "els => els.map(e => e.dataset.heatmap)")
    assert titles == ["Prevalence: people vs control", "Prevalence by framework"]
    groups = page.locator("[data-heatmap='Prevalence: people vs control'] rect.cell")
    assert groups.count() == 6 * 3  # people, control and their difference
    assert page.locator("[data-heatmap='Prevalence by framework'] rect.cell").count() == 6 * len(hf.FRAMEWORKS)
    tips = page.eval_on_selector_all("[data-heatmap='Prevalence: people vs control'] g.hm title",
                                     "els => els.map(e => e.textContent)")
    assert any("percentage points" in tip for tip in tips)
    assert report.problems == []
    report.close()


def test_study_heatmap_greys_out_small_cells_like_the_png(browser, tmp_path: Path):
    sys.path.insert(0, str(Path(__file__).parent))
    from test_html import small_cells_study

    out = tmp_path / "small.html"
    out.write_text(render_study_html(small_cells_study()), encoding="utf-8")
    report = Report(browser, out)
    page = report.page
    report.tab("prevalence")
    heat = "[data-heatmap='Prevalence: people vs control']"
    cells = page.eval_on_selector_all(heat + " g.hm", """els => els.map(g => {
        var r = g.querySelector('rect'), t = g.querySelector('text.v');
        return [r.getAttribute('class'), r.getAttribute('fill'), t ? t.textContent : null]; })""")
    # rows DP01, DP02, DP03; columns people, control, difference
    assert [c[2] for c in cells] == ["50%", "3/3", "small n", "25%", "0/3", "small n", "10%", None, None]
    small = [c for c in cells if c[0] == "cell small"]
    assert len(small) == 4 and {c[1] for c in small} == {"#d9d9d9"}
    assert all(c[1] != "#d9d9d9" for c in cells if c[0] == "cell")
    note = page.text_content(heat + " p.note")
    assert "Grey: fewer than 5 repositories" in note
    assert report.problems == []
    report.close()


def test_an_empty_scan_renders_without_errors(browser, tmp_path: Path):
    out = tmp_path / "empty.html"
    empty = hf.ScanResult(root=str(tmp_path), findings=(), skipped=(), tool=hf.ToolInfo("0.1.0", "h"))
    out.write_text(HtmlFormatter().render(empty), encoding="utf-8")
    report = Report(browser, out)
    assert report.page.locator("[data-chart=severity] .bar").count() == 5
    report.tab("findings")
    assert report.count() == 0
    report.tab("run")
    assert report.problems == []
    report.close()
