"""The report's Trend view in a real headless Chromium (Debian's ``chromium``, driven by
Playwright, like tests/formats/test_html_browser.py): one bar per commit, tag markers, a click
on a bar lists the findings introduced or fixed there, the detail names the first-seen commit."""

from __future__ import annotations


import pytest

from tests.history.conftest import history

pytestmark = pytest.mark.browser

@pytest.fixture(scope="module")
def trend_page(browser, story_repo, story_walk, cache_dir, tmp_path_factory):
    """The history up to commit 22 (other.py's finding is still open there)."""
    out = tmp_path_factory.mktemp("trend") / "history.html"
    code, _, err = history(cache_dir, str(story_repo.repo), "--state", str(story_walk.state), "--format", "html",
                           "--output", str(out), "--rev-range", story_repo.commit(22))
    assert code == 0, err
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    problems: list[str] = []
    requests: list[str] = []
    page.on("console", lambda m: m.type in ("error", "warning") and problems.append(f"{m.type}: {m.text}"))
    page.on("pageerror", lambda e: problems.append(f"pageerror: {e}"))
    page.on("request", lambda r: requests.append(r.url))
    page.goto(out.as_uri())
    page.wait_for_selector("body[data-ready='1']", timeout=20_000)
    page.click("#tab-trend")
    yield page, problems, requests
    page.close()


def listed(page, kind: str) -> list[str]:
    return page.eval_on_selector_all(f"#trend-list ul[data-kind={kind}] li", "els => els.map(e => e.dataset.fp)")


def test_one_bar_per_commit_and_a_marker_per_tag(trend_page, story_repo):
    page, problems, requests = trend_page
    oids = page.eval_on_selector_all("#trend-chart g.pt", "els => els.map(e => e.dataset.oid)")
    assert oids == story_repo.oids[:22]
    assert page.eval_on_selector_all(".tag-mark", "els => els.map(e => e.dataset.tag)") == ["v0.1", "v0.2"]
    assert page.text_content("#tab-trend .count") == "22"
    assert problems == [] and all(u.startswith("file://") for u in requests)


def test_clicking_a_point_lists_the_findings_introduced_or_fixed_there(trend_page, story_walk):
    page, problems, _ = trend_page
    fps = {f["path"]: f["fingerprint"] for f in story_walk.data["findings"]}
    page.click("#trend-chart g.pt[data-seq='5']")
    page.wait_for_selector("#trend-list[data-seq='5']")
    assert listed(page, "introduced") == [fps["prep.py"]] and listed(page, "fixed") == []
    page.click("#trend-chart g.pt[data-seq='12']")
    page.wait_for_selector("#trend-list[data-seq='12']")
    assert listed(page, "introduced") == [] and listed(page, "fixed") == [fps["prep.py"]]
    assert "suppressed: rows with gaps are test fixtures" in page.text_content("#trend-list ul[data-kind=fixed]")
    page.click("#trend-chart g.pt[data-seq='20']")
    page.wait_for_selector("#trend-list[data-seq='20']")
    assert listed(page, "introduced") == [fps["other.py"]] and listed(page, "fixed") == []
    page.click("#trend-chart g.pt[data-seq='7']")
    page.wait_for_selector("#trend-list[data-seq='7']")
    assert listed(page, "introduced") == listed(page, "fixed") == []
    assert problems == []


def test_stacking_by_pattern_and_the_first_seen_commit_in_the_detail(trend_page, story_repo, story_walk):
    page, problems, _ = trend_page
    page.select_option("#trend-by", "pattern")
    assert page.text_content(".trend-legend").strip().startswith("DP01")
    page.click("#trend-chart g.pt[data-seq='20']")
    page.wait_for_selector("#trend-list[data-seq='20']")
    page.click("#trend-list ul[data-kind=introduced] li.link")
    page.wait_for_selector("#detail:not([hidden])")
    detail = page.text_content("#detail")
    assert "First seen" in detail and story_repo.commit(20)[:12] in detail and "Ada" in detail
    assert "other.py" in page.text_content("#detail .where")
    assert problems == []
