"""The built handbook in a real browser (Playwright driving Debian's Chromium), served on 127.0.0.1.

Every request that does not go to the local server is aborted and
recorded: the book must work with no network. Page errors fail a test,
except sphinx-thebe's known harmless `THEBE_JS_URL` redeclaration.
"""

from __future__ import annotations

import functools
import re
import threading
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from fixtures.book.builds import Built, injection_book, real_book
from playwright.sync_api import Browser, Page, sync_playwright

from servicekb.pdf import HEADLESS_FLAGS

CHROMIUM = "/usr/bin/chromium"
ARGS = list(HEADLESS_FLAGS)  # as every print of servicekb runs Chromium
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
    assert (
        page.evaluate("document.querySelector(':target') && document.querySelector(':target').id")
        == "textile-enterprise#一.(一).a"
    )
    page.close()
    assert real.real_errors() == []


def test_the_scorecard_chart_renders_offline_and_fits_a_phone(real):
    page = real.open("book/generated/stores/sh-nanjing-road-flagship.html", page=_viewport_page(real, 390, 844))
    page.wait_for_selector(".servicekb-chart svg", timeout=20000)
    box = page.eval_on_selector(
        ".servicekb-chart svg", "e => [e.getBoundingClientRect().width, e.getBoundingClientRect().height]"
    )
    legend = page.eval_on_selector_all(".servicekb-chart svg text", "els => els.map(e => e.textContent)")
    page.close()
    assert 200 < box[0] <= 390 - 16 and box[1] > 100  # twelve months and the labels within the phone's width
    assert "无法计算" in legend and not any("computab" in t for t in legend)  # the legend is whole and Chinese
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


# ---------------------------------------------------------------------------------------------
# Every page as a manager reads it: on a phone and on a laptop.

VIEWPORTS = [(390, 844), (1366, 900)]
SHOTS = Path(__file__).resolve().parents[1] / "_build" / "screenshots"


def _viewport_page(site: Site, width: int, height: int) -> Page:
    page = site.browser.new_page(viewport={"width": width, "height": height})
    page.route("**/*", site._route)
    page.on("pageerror", lambda e: site.errors.append(str(e)))
    page.on("dialog", site._dialog)
    return page


def _built_pages(built: Built) -> list[str]:
    """Every HTML page of the book (not the theme's assets), relative to its root."""
    skip = ("_static", "_sources", "_downloads", "_images")
    pages = sorted(
        p.relative_to(built.html).as_posix()
        for p in built.html.rglob("*.html")
        if not any(part in skip for part in p.parts)
    )
    # index.html only redirects to book/index.html, which is in the list
    return [p for p in pages if p != "index.html"]


def _settle(page: Page) -> None:
    """Let the charts draw and the page's scripts mark wide tables."""
    page.wait_for_load_state("load")
    if page.query_selector(".servicekb-chart"):
        page.wait_for_selector(".servicekb-chart svg, .servicekb-chart canvas", timeout=20000)
    page.wait_for_timeout(150)


@pytest.mark.parametrize("width, height", VIEWPORTS)
def test_every_page_fits_the_screen_without_sideways_scrolling(real, width, height):
    """No page scrolls sideways (wide tables scroll inside themselves); a screenshot of each page is kept."""
    folder = SHOTS / f"{width}x{height}"
    folder.mkdir(parents=True, exist_ok=True)
    page = _viewport_page(real, width, height)
    wide = []
    for path in _built_pages(real_book()):
        real.open(path, page=page)
        _settle(page)
        scroll = page.evaluate("Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)")
        if scroll > width + 1:
            wide.append(f"{path}: {scroll} px")
        page.screenshot(path=str(folder / (path.replace("/", "__") + ".png")))
    page.close()
    assert wide == []
    assert real.outside == []
    assert real.real_errors() == []


def test_a_store_shows_its_verdicts_on_a_phone_and_its_matrix_one_click_away(real):
    page = _viewport_page(real, 390, 844)
    real.open("book/generated/stores/sh-nanjing-road-flagship.html", page=page)
    _settle(page)
    # The latest period's table: its verdict column is on screen without scrolling sideways.
    cells = page.eval_on_selector_all(
        "table",
        """tables => tables.filter(t => t.tHead && t.tHead.rows[0].cells[0].textContent.trim() === '状态'
                                  && t.tBodies[0].rows.length > 3)
        .map(t => Array.from(t.tBodies[0].rows).map(r => {
          const b = r.cells[0].getBoundingClientRect();
          return [r.cells[0].textContent.trim(), b.left, b.right];
        }))""",
    )
    assert cells, "the latest period's table with the verdict first"
    for text, left, right in cells[0]:
        # A classification threshold names its class (列为“高风险区域”), never pass/fail.
        assert text in ("达标", "未达标", "无法判定", "无数据", "无法计算") or re.fullmatch(r"未?列为“[^”]+”", text), (
            text
        )
        assert 0 <= left and right <= 390
    # One click from the top of the store page to its traceability matrix.
    page.click("article >> text=追溯矩阵：每个目标从条款到结论")
    page.wait_for_load_state("load")
    assert page.url.split("#")[0].endswith("book/generated/trace/sh-nanjing-road-flagship.html")
    header = page.eval_on_selector("table thead tr", "r => Array.from(r.cells).map(c => c.textContent.trim())")
    assert header == ["条款", "目标", "数字来源", "最新结论"]
    page.close()


def test_the_requirement_index_sorts_and_filters_offline_and_fits_a_laptop(real):
    page = _viewport_page(real, 1366, 900)
    real.open("book/generated/requirements.html", page=page)
    _settle(page)
    total = page.eval_on_selector_all(".requirements-index tbody tr", "rows => rows.length")
    page.select_option("select[data-column='要求']", "__has")
    with_target = page.eval_on_selector_all(
        ".requirements-index tbody tr:not([hidden])", "rows => rows.map(r => r.cells[5].textContent.trim())"
    )
    assert 0 < len(with_target) < total and all(with_target)
    standards = page.eval_on_selector(
        "select[data-column='标准']", "s => Array.from(s.options).slice(1).map(o => o.value)"
    )
    page.select_option("select[data-column='标准']", standards[0])
    shown = page.eval_on_selector_all(
        ".requirements-index tbody tr:not([hidden])", "rows => rows.map(r => r.cells[1].textContent.trim())"
    )
    assert shown and set(shown) == {standards[0]}
    page.select_option("select[data-column='标准']", "")
    page.click(".requirements-index th:nth-child(6)")  # sort by the target
    page.click(".requirements-index th:nth-child(1)")  # then by clause id, descending on a second click
    page.click(".requirements-index th:nth-child(1)")
    ids = page.eval_on_selector_all(
        ".requirements-index tbody tr:not([hidden])", "rows => rows.map(r => r.cells[0].textContent.trim())"
    )
    assert ids == sorted(ids, key=lambda x: x, reverse=True) or ids[0] >= ids[-1]
    # Every column fits the laptop's screen: no header is clipped and the quote is not behind a scroll.
    box = page.eval_on_selector(
        ".requirements-index .pst-scrollable-table-container, .requirements-index table",
        "e => [e.scrollWidth, e.clientWidth]",
    )
    assert box[0] <= box[1] + 1
    page.close()
    assert real.outside == []


# English is allowed only as the second half of a bilingual label: in headings and table headers
# (`有效目标 Effective targets`), in elements marked `.en` (a standard's English title, a clause's English
# summary), and in code. Anything else with four English words in a row is a sentence nobody translated,
# and a table cell or list item written wholly in English words is a label nobody translated.
_SCAN = """() => {
  const root = document.querySelector('article.bd-article') || document.body;
  const skip = 'code, pre, script, style, .en, h1, h2, h3, h4, h5, h6, th, '
    + '.highlight, .cell_input, .headerlink, .servicekb-stamp, .source-line';
  const texts = [];
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (!el || el.closest(skip)) continue;
    texts.push(n.textContent);
  }
  const cells = Array.from(root.querySelectorAll('td, li, svg text, .vega-bindings'))
    .filter(e => !e.closest(skip) && !e.querySelector('code, .en, ul, table'))
    .map(e => e.textContent.trim());
  return [texts.join(' '), cells];
}"""
_WORD = r"(?<![A-Za-z0-9_])[A-Za-z][A-Za-z'’-]*(?![A-Za-z0-9_])"
# four words or more, each after a space (a number or a comma may come between): `the 95 % interval contains the target`
_SENTENCE = re.compile(_WORD + r"(?:[,;:()%.]*\s+(?:[0-9.%,()]+\s+)*" + _WORD + r"){3,}")
_WORDS_ONLY = re.compile(r"^[A-Za-z][A-Za-z'’]+(?: [A-Za-z][A-Za-z'’]+)+$")


def english_found(text: str, cells: list[str]) -> list[str]:
    """English sentences in a page's running text, and table cells or list items wholly in English words."""
    found = [m.group(0) for m in _SENTENCE.finditer(text)]
    found += [c for c in cells if _WORDS_ONLY.match(c)]
    return found


@pytest.mark.parametrize(
    "text, cells, bad",
    [
        ("说明 the 95 % interval contains the target", [], True),  # a machine reason
        ("结果 National Day", ["National Day"], True),  # a holiday name in a table cell
        ("要求 requirement · 应 shall · 越高越好 higher is better", ["门店 store"], False),  # bilingual labels
        ("标识 sh-nanjing-road-flagship Asia/Shanghai", ["s002"], False),  # identifiers
        ("000_94f2816eed1e11c5.txt s001 12 0 0 s002 9 0 3 s003", [], False),  # file names and store ids with numbers
        ("“CustomerCentered,Cost,Convenience,Communication”", [], False),  # a source's own words, without spaces
    ],
)
def test_the_english_scan_tells_sentences_from_labels(text, cells, bad):
    assert bool(english_found(text, cells)) is bad


def test_no_page_shows_untranslated_english(real):
    page = _viewport_page(real, 1366, 900)
    found = {}
    for path in _built_pages(real_book()):
        if path in ("genindex.html", "search.html", "index.html"):
            continue  # the theme's own pages (and the redirect) carry no generated text
        real.open(path, page=page)
        _settle(page)
        text, cells = page.evaluate(_SCAN)
        english = english_found(text, cells)
        if english:
            found[path] = sorted(set(english))[:5]
    page.close()
    assert found == {}
