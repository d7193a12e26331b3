"""Hostile input in the published handbook: every page of a book built from a corpus seeded with payloads, in Chromium.

The corpus (`fixtures.book.builds.hostile_book`) carries script tags,
event handlers, `javascript:` links, MyST directives and roles, a
`{code-cell}`, Jinja braces and math in a store's name and region, a
metric's name and a clause's text; the book has every hand-written page,
every generated page and every notebook. Each page is loaded: any dialog,
any injected element or script, and any file the build wrote outside its
own outputs is a failure. The payloads must still be visible as text, so
that the test cannot pass by losing them.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from fixtures.book.builds import PAYLOAD_METRIC, PAYLOAD_STORE, hostile_book
from test_browser import Site, _serve, browser  # noqa: F401 - the browser fixture is shared

# Elements or attributes that only a payload could have put on a page.
INJECTED = """() => {
  const found = [];
  const selector = 'iframe, u, img[src="x"], [onerror], [onmouseover], a[href^="javascript:"]';
  for (const el of document.querySelectorAll(selector)) {
    found.push(el.outerHTML.slice(0, 120));
  }
  for (const s of document.querySelectorAll('script')) {
    if (s.type === 'application/json') continue;
    if (/alert\\(/.test(s.textContent)) found.push('script: ' + s.textContent.slice(0, 120));
  }
  return found;
}"""


@pytest.fixture(scope="module")
def hostile(browser) -> Site:  # noqa: F811 - pytest fixture injection
    yield from _serve(hostile_book(), browser)


def _pages() -> list[str]:
    html = hostile_book().html
    return sorted(
        p.relative_to(html).as_posix()
        for p in html.rglob("*.html")
        if not p.relative_to(html).as_posix().startswith(("_static/", "_sources/"))
    )


def test_the_hostile_book_builds_strictly_and_writes_nothing_outside_its_outputs():
    built = hostile_book()
    assert built.returncode == 0, built.log[-6000:]
    assert built.stray == ()
    assert not list(built.root.parent.rglob("pwned-at-build.txt"))


def test_every_page_of_the_hostile_book_runs_no_payload(hostile):
    pages = _pages()
    notebooks = [p for p in pages if p.startswith("notebooks/")]
    assert len(notebooks) == len(list(Path(hostile_book().root, "notebooks").glob("*.md"))) >= 5
    assert any(p.startswith("book/generated/stores/") for p in pages)
    page = None
    injected: dict[str, list[str]] = {}
    for path in pages:
        page = hostile.open(path, page=page)
        page.wait_for_timeout(50)
        found = page.evaluate(INJECTED)
        if found:
            injected[path] = found
    page.close()
    assert injected == {}
    assert hostile.dialogs == []
    assert hostile.real_errors() == []
    assert hostile.outside == []


@pytest.mark.parametrize(
    "path, payload",
    [
        # the store's name, in the notebook that compares stores (pandas cuts long cells: a fragment)
        ("notebooks/compare-stores.html", "<script>alert('store')"),
        # the metric's name, in the same notebook's table of failing metrics
        ("notebooks/compare-stores.html", "<script>alert('metric')"),
        # the store's own generated page
        ("book/generated/stores/flagship.html", PAYLOAD_STORE),
        # the metric's name in the metric catalogue
        ("book/generated/metrics.html", PAYLOAD_METRIC),
    ],
)
def test_the_payloads_are_shown_as_text(hostile, path, payload):
    page = hostile.open(path)
    text = page.inner_text("main")
    page.close()
    assert payload in text
    assert hostile.dialogs == []


def test_a_notebook_chart_with_hostile_names_draws_from_inert_json(hostile):
    page = hostile.open("notebooks/compare-stores.html")
    page.wait_for_selector(".servicekb-chart svg", timeout=20000)
    charts = page.eval_on_selector_all(".servicekb-chart", "els => els.length")
    specs = page.eval_on_selector_all(
        'script[type="application/json"][id$="-spec"]', "els => els.map(e => e.textContent)"
    )
    page.close()
    assert charts >= 3
    assert any("alert('store')" in spec for spec in specs)  # the name is in the chart's data, as data
    assert all("</script" not in spec for spec in specs)
    assert hostile.dialogs == []
