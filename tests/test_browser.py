"""The built handbook in a real browser (Playwright driving Debian's Chromium), served on 127.0.0.1.

Every request that does not go to the local server is aborted and
recorded: the book must work with no network. Page errors fail a test,
except sphinx-thebe's known harmless `THEBE_JS_URL` redeclaration.
"""

from __future__ import annotations

import functools
import threading
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from fixtures.book.builds import Built, injection_book, real_book
from playwright.sync_api import Browser, Page, sync_playwright

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
HARMLESS = ("THEBE_JS_URL",)


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args) -> None:  # noqa: A002 - the base class's signature
        pass


@dataclass
class Site:
    """A built book served on 127.0.0.1, with what its pages asked for and what went wrong."""

    base: str
    browser: Browser
    outside: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def open(self, path: str, fragment: str = "", page: Page | None = None) -> Page:
        """Go to `path` (relative to the book's root) in `page` or a new page; outside requests are aborted."""
        if page is None:
            page = self.browser.new_page(viewport={"width": 1280, "height": 900})
            page.route("**/*", self._route)
            page.on("pageerror", lambda e: self.errors.append(str(e)))
            page.on("dialog", self._dialog)
        page.goto(self.url(path, fragment), wait_until="load")
        return page

    def url(self, path: str, fragment: str = "") -> str:
        """The address of a page of the book, with a fragment (an anchor) when given."""
        return self.base + path + (f"#{urllib.parse.quote(fragment, safe='')}" if fragment else "")

    def real_errors(self) -> list[str]:
        return [e for e in self.errors if not any(h in e for h in HARMLESS)]

    def _route(self, route) -> None:
        url = route.request.url
        if url.startswith(self.base) or url.startswith(("data:", "blob:", "about:")):
            route.continue_()
        else:
            self.outside.append(url)
            route.abort()

    def _dialog(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


def _serve(built: Built, browser: Browser) -> Iterator[Site]:
    assert built.returncode == 0, built.log[-6000:]
    handler = functools.partial(_Quiet, directory=str(built.html))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Site(f"http://127.0.0.1:{server.server_address[1]}/", browser)
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def real(browser) -> Iterator[Site]:
    yield from _serve(real_book(), browser)


@pytest.fixture(scope="module")
def injection(browser) -> Iterator[Site]:
    yield from _serve(injection_book(), browser)


def _results(site: Site, query: str) -> list[str]:
    """The pages a search returns, as paths relative to the book's root."""
    page = site.open("search.html?" + urllib.parse.urlencode({"q": query}))
    page.wait_for_selector("#search-results .search-summary:not(:empty)", timeout=20000)
    links = page.eval_on_selector_all("#search-results ul.search li a", "els => els.map(e => e.href)")
    page.close()
    return sorted({urllib.parse.urlsplit(h).path.lstrip("/") for h in links})


@pytest.mark.parametrize(
    "query, expected",
    [
        # a clause's words typed without spaces, as a manager types them
        ("客户投诉处理", "book/generated/standards/calm.html"),
        # a single word of the clause
        ("书面", "book/generated/standards/calm.html"),
        # its words separated by spaces
        ("投诉 处理 客户", "book/generated/standards/calm.html"),
    ],
)
def test_search_in_chinese_finds_the_clause_page(injection, query, expected):
    assert expected in _results(injection, query)
    assert injection.outside == []


def test_an_unsegmented_query_finds_what_its_words_find(injection, real):
    for site in (injection, real):
        assert _results(site, "客户投诉处理") == _results(site, "客户 投诉 处理")


def test_real_book_search_finds_a_rule_managers_remember(real):
    # 客户满意度达到90%以上 (apparel norms 1.1) and 85 % (home-furnishing manual 6.1).
    found = _results(real, "客户满意度")
    assert "book/generated/standards/apparel-retail-2025.html" in found
    assert "book/generated/standards/home-furnishing-aftersales.html" in found


def test_a_clause_link_lands_on_the_clause(real):
    page = real.open("book/generated/standards/textile-enterprise.html", "textile-enterprise#一.(一).a")
    assert page.evaluate("document.querySelector(':target') && document.querySelector(':target').id") == "textile-enterprise#一.(一).a"
    page.close()
    assert real.real_errors() == []


def test_the_graph_chart_renders_offline(real):
    page = real.open("book/generated/graph.html")
    page.wait_for_selector(".servicekb-chart canvas, .servicekb-chart svg", timeout=20000)
    box = page.eval_on_selector(".servicekb-chart canvas, .servicekb-chart svg", "e => [e.clientWidth, e.clientHeight]")
    page.close()
    assert box[0] > 300 and box[1] > 300
    assert real.outside == []
    assert real.real_errors() == []


def test_no_request_leaves_127_0_0_1_on_any_page(real):
    page = None
    for html in sorted(Path(real_book().html, "book").rglob("*.html")):
        page = real.open(html.relative_to(real_book().html).as_posix(), page=page)
    page.close()
    assert real.outside == []
    assert real.real_errors() == []


def test_the_injection_fixture_runs_no_script(injection):
    page = None
    for html in sorted(Path(injection_book().html, "book").rglob("*.html")):
        page = injection.open(html.relative_to(injection_book().html).as_posix(), page=page)
        assert page.evaluate("document.querySelectorAll('iframe, img[src=\"x\"], u').length") == 0
    page.close()
    # Search results show page titles and snippets: they must stay text too.
    _results(injection, "alert")
    assert injection.dialogs == []
    assert injection.real_errors() == []
    assert injection.outside == []
