"""Search in the built handbook (Playwright on Debian's Chromium): the same ranking, landing on the clause, bad input.

The handbook ranks with `_static/servicekb-search.js` over `_search/index.js`;
the command line with `servicekb.search` over the same data. The first test
reads the index the book was built with and checks that both rank every
question of the team's set identically.
"""

from __future__ import annotations

import json
import statistics
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest
from fixtures.book.builds import real_book
from playwright.sync_api import Browser, sync_playwright
from test_browser import ARGS, CHROMIUM, Site, _serve

from servicekb.search import SearchIndex
from servicekb.search.quality import load_questions, score_questions

ROOT = Path(__file__).resolve().parents[1]
QUESTIONS = load_questions(ROOT / "tests" / "fixtures" / "search" / "questions.yaml")


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def site(browser) -> Iterator[Site]:
    yield from _serve(real_book(), browser)


@pytest.fixture(scope="module")
def book_index() -> SearchIndex:
    """The Python ranking over the very index file the handbook was built with."""
    text = (real_book().html / "_search" / "index.js").read_text(encoding="utf-8")
    body = text[text.index("=") + 1 : text.rindex(";")]
    return SearchIndex(json.loads(body))


def _engine_page(site: Site):
    page = site.open("search.html")
    page.evaluate("() => window.servicekbSearch.load().then(() => true)")
    return page


def test_the_handbook_ranks_every_question_like_the_command_line(site, book_index):
    page = _engine_page(site)
    queries = [q.q for q in QUESTIONS] + ["顧客投訴 多久", "customer satisfaction", "退换货 几天", "投诉" * 500]
    in_browser = page.evaluate(
        "qs => qs.map(q => window.servicekbSearch.engine().search(q, {}, 10).hits.map(h => [h.doc.id, h.score]))",
        queries,
    )
    page.close()
    for query, got in zip(queries, in_browser, strict=True):
        expected = [(h.id, h.score) for h in book_index.search(query, limit=10)]
        assert [d for d, _ in got] == [d for d, _ in expected], query
        assert [round(s, 4) for _, s in got] == [s for _, s in expected], query
    ranks = score_questions(QUESTIONS, lambda q: [d for d, _ in in_browser[queries.index(q)]])
    print(f"\nhandbook ranking: top-3 {ranks.rate(3):.0%}, top-5 {ranks.rate(5):.0%} of {len(QUESTIONS)} questions")
    assert ranks.rate(3) >= 0.95
    assert site.real_errors() == []


def _type_in_header_box(site: Site, query: str):
    page = site.open("book/index.html")
    page.keyboard.press("Control+k")
    box = page.locator("#pst-search-dialog input[name=q]")
    box.wait_for(state="visible")
    box.focus()
    page.evaluate("() => window.servicekbSearch.load().then(() => true)")
    started = time.perf_counter()
    box.press_sequentially(query)
    page.wait_for_function(
        "q => { const p = document.querySelector("
        "'#pst-search-dialog + .servicekb-search-panel, .servicekb-search-panel[data-query]');"
        " return p && p.dataset.query === q && !p.hidden; }",
        arg=query,
    )
    return page, time.perf_counter() - started


def test_a_click_on_a_hit_lands_on_the_clause_with_the_words_marked(site, book_index):
    query = "顾客投诉最晚多久答复"
    page, _ = _type_in_header_box(site, query)
    first = book_index.search(query, limit=1)[0]
    link = page.locator(".servicekb-search-panel:not([hidden]) a.servicekb-search-link").first
    assert link.get_attribute("data-doc") == first.id
    shown = page.locator(".servicekb-search-panel:not([hidden]) .servicekb-search-hit").first.inner_text()
    assert first.id in shown and "投诉首次响应时间 ≤ 24 小时" in shown  # id, standard, snippet, targets
    assert page.locator(".servicekb-search-panel:not([hidden]) .servicekb-search-hit").first.locator("mark").count() > 0
    link.click()
    page.wait_for_load_state("load")
    assert urllib.parse.urlsplit(page.url).path.endswith(first.page)
    assert page.evaluate("document.querySelector(':target') && document.querySelector(':target').id") == first.id
    # the words are marked inside the clause's own block, and the clause is on screen
    marked = page.eval_on_selector_all(".servicekb-landed mark.servicekb-hit", "els => els.map(e => e.textContent)")
    assert {"顾客", "投诉", "响应"} <= set(marked)
    assert page.eval_on_selector_all("mark.servicekb-hit", "els => els.every(e => e.closest('.servicekb-landed'))")
    top = page.evaluate(
        "document.getElementById(decodeURIComponent(location.hash.slice(1))).getBoundingClientRect().top"
    )
    assert 0 <= top < 900
    page.close()
    assert site.real_errors() == [] and site.outside == []


def test_results_appear_while_typing_and_the_time_is_printed(site):
    figures = []
    for query in ("网上咨询要等多久", "换货几天能办好", "how soon must complaints be answered"):
        page, _ = _type_in_header_box(site, query)
        # time from the last keystroke to the hits on screen, measured by the page itself
        figures.append(page.evaluate("window.servicekbSearchLast.ms"))
        assert page.locator(".servicekb-search-panel:not([hidden]) a.servicekb-search-link").count() > 0
        page.close()
    print(
        f"\nhandbook search: hits {statistics.median(figures):.1f} ms (median, max {max(figures):.1f} ms) "
        "after the last keystroke, index loaded on focus"
    )


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("", False),  # empty
        ("！？。……", False),  # punctuation only
        ("😀🎉", False),  # emoji
        ("投诉" * 5000, True),  # 10,000 characters
        ('<img src=x onerror="alert(1)">投诉</b><script>alert(2)</script>', True),  # HTML is text
        (
            "```{code-cell} ipython3 import os``` 投诉 {eval-rst}`x` (name)=",
            True,
        ),  # MyST is text (a search box holds one line)
        ("顧客投訴 混合 简体", True),  # traditional and simplified mixed
    ],
)
def test_bad_queries_give_results_or_no_results_never_an_error(site, query, found):
    page = site.open("book/index.html")
    page.keyboard.press("Control+k")
    box = page.locator("#pst-search-dialog input[name=q]")
    box.fill(query)
    panel = page.locator("#pst-search-dialog .servicekb-search-panel")
    if query.strip():
        page.wait_for_function(
            "q => { const p = document.querySelector('#pst-search-dialog .servicekb-search-panel');"
            " return p.dataset.query === q && !p.hidden; }",
            arg=query,
        )
        assert (panel.locator("li").count() > 0) == found
        assert panel.locator("img, script, b").count() == 0
    box.press("Enter")  # the results page, with the query cut to the characters that count
    page.wait_for_url("**/search.html?q=*")
    page.wait_for_selector("#search-results .search-summary:not(:empty)", timeout=20000)
    assert (page.locator("#search-results ul.search li").count() > 0) == found
    if not found:
        assert "没有" in page.inner_text("#search-results .search-summary") or "请输入" in page.inner_text(
            "#search-results .search-summary"
        )
    assert page.locator("#search-results img, #search-results script, #search-results b").count() == 0
    page.close()
    assert site.dialogs == [] and site.real_errors() == []


def test_the_results_page_filters_by_store_standard_stage_and_metric(site, book_index):
    store = "hz-home-living"
    page = site.open("search.html?" + urllib.parse.urlencode({"q": "投诉", "store": store}))
    page.wait_for_selector("#search-results .search-summary:not(:empty)")
    shown = page.eval_on_selector_all(
        "#search-results ul.search a.servicekb-search-link", "els => els.map(e => e.dataset.doc)"
    )
    assert shown == [h.id for h in book_index.search("投诉", store=store, limit=None)]
    # the filter bar offers every standard, stage, metric and store, and changing one reloads the list
    assert page.locator("select[name=store] option").count() == len(book_index.data["stores"]) + 1
    page.select_option("select[name=standard]", "retail-guide")
    page.wait_for_url("**standard=retail-guide**")
    page.wait_for_selector("#search-results .search-summary:not(:empty)")
    shown = page.eval_on_selector_all(
        "#search-results ul.search a.servicekb-search-link", "els => els.map(e => e.dataset.doc)"
    )
    assert shown == [h.id for h in book_index.search("投诉", store=store, standard="retail-guide", limit=None)]
    page.close()
    assert site.real_errors() == []
