"""The query page and resource pages in headless Chromium (Debian's chromium, driven by Playwright)."""

from __future__ import annotations

import os
import shutil
import urllib.parse

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.browser]

CHROMIUM = os.environ.get("KHYBER_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def browser():
    playwright_api = pytest.importorskip("playwright.sync_api")
    if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    with playwright_api.sync_playwright() as playwright:
        # Never `playwright install`: the system's Chromium, launched by path.
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture()
def page(browser, live_server):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.problems = []
    page.outside = []
    page.on("console", lambda m: page.problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: page.problems.append(str(e)))

    def only_local(route):
        # The pages must work offline: anything not from the server itself is recorded and refused.
        if route.request.url.startswith(live_server.base):
            route.continue_()
        else:
            page.outside.append(route.request.url)
            route.abort()

    page.route("**/*", only_local)
    yield page
    context.close()


def test_query_page_runs_an_example_and_links_results(page, live_server, tmp_path):
    page.goto(live_server.base + "/sparql")
    assert page.locator("textarea#query").is_visible()
    page.select_option("#examples", "posts")
    assert "kh:holdsPosition" in page.input_value("textarea#query")
    page.click("#run")
    page.wait_for_selector("#results-table tbody tr")
    rows = page.locator("#results-table tbody tr").count()
    assert rows > 3
    headers = page.locator("#results-table thead th").all_inner_texts()
    assert headers[:2] == ["person", "name"]
    assert "rows" in page.inner_text("#status")
    page.screenshot(path=str(tmp_path / "query-results.png"), full_page=True)
    # Download links give the same results as files.
    csv_link = page.locator("a.download[data-format=csv]").get_attribute("href")
    response = page.request.get(live_server.base + csv_link)
    assert response.status == 200 and response.headers["content-type"].startswith("text/csv")
    assert len(response.text().strip().splitlines()) == rows + 1
    assert "attachment" in response.headers["content-disposition"]
    # A resource link opens that resource's page.
    first = page.locator("#results-table tbody tr td a[href^='/id/person/']").first
    first.click()
    page.wait_for_selector("h1")
    assert "/id/person/" in page.url and page.locator("h2", has_text="Properties").count() == 1
    page.screenshot(path=str(tmp_path / "resource.png"), full_page=True)
    assert page.problems == [] and page.outside == []


def test_query_page_shows_errors_and_graphs(page, live_server, tmp_path):
    page.goto(live_server.base + "/query")
    page.fill("textarea#query", "SELECT * WHERE { ?s ?p }")
    page.click("#run")
    page.wait_for_selector("#error")
    assert "syntax error" in page.inner_text("#error") and "400" in page.inner_text("#status")
    page.fill("textarea#query", "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }")
    page.click("#run")
    page.locator("#error", has_text="SERVICE").wait_for()
    page.fill("textarea#query", "CONSTRUCT WHERE { ?p a kh:Person }")
    page.click("#run")
    page.wait_for_selector("#graph")
    assert "kh:Person" in page.inner_text("#graph")
    page.screenshot(path=str(tmp_path / "graph.png"), full_page=True)
    page.fill("textarea#query", "ASK { ?p a kh:Person }")
    page.locator("textarea#query").press("Control+Enter")
    page.wait_for_selector("#boolean")
    assert "true" in page.inner_text("#boolean")
    assert page.outside == []


def test_prefixes_button_and_example_from_the_url(page, live_server):
    page.goto(live_server.base + "/sparql?" + urllib.parse.urlencode({"example": "groups"}))
    assert "kh:MilitantGroup" in page.input_value("textarea#query")
    page.click("#insert-prefixes")
    assert page.input_value("textarea#query").startswith("PREFIX kh: <https://w3id.org/khyber/ontology#>")
    page.click("#run")
    page.wait_for_selector("#results-table tbody tr")
    assert page.problems == [] and page.outside == []
