"""The strict build of the real handbook and of the injection fixture, checked on the built HTML."""

from __future__ import annotations

import json
import re
import urllib.parse
from pathlib import Path

import pytest
from fixtures.book.builds import ROOT, Built, injection_book, real_book
from fixtures.book.htmlpages import Page, read_page, visible

from servicekb.book.assets import make_bundle_header
from servicekb.loader import load_corpus


@pytest.fixture(scope="module")
def real() -> Built:
    built = real_book()
    assert built.returncode == 0, built.log[-6000:]
    return built


@pytest.fixture(scope="module")
def injection() -> Built:
    built = injection_book()
    assert built.returncode == 0, built.log[-6000:]
    return built


def _pages(html: Path) -> dict[Path, Page]:
    return {p: read_page(p) for p in sorted((html / "book").rglob("*.html"))}


def _search_index(html: Path) -> dict:
    raw = (html / "searchindex.js").read_text(encoding="utf-8")
    return json.loads(raw[raw.index("(") + 1 : raw.rindex(")")])


def test_real_book_builds_strictly_and_every_clause_is_anchored_by_its_id(real):
    corpus = load_corpus(ROOT).corpus
    for sid in corpus.standards:
        page = read_page(real.html / "book" / "generated" / "standards" / f"{sid}.html")
        missing = [e.clause.id for e in corpus.iter_clauses(sid) if e.clause.id not in page.ids]
        assert missing == []


def _check_links(html: Path) -> list[str]:
    """Every local link of every page (and of every chart) that points at a missing page or anchor."""
    pages = _pages(html)
    ids = {p.resolve(): page.ids for p, page in pages.items()}
    broken = []
    for path, page in pages.items():
        links = list(page.hrefs)
        for spec in page.chart_specs():
            links += re.findall(r'"href":"([^"]+)"', json.dumps(spec, ensure_ascii=False))
        for href in links:
            if re.match(r"^[a-z]+:", href) or href.startswith("#") and href in ("#", "#main-content"):
                continue
            file, _, anchor = href.partition("#")
            target = (path.parent / urllib.parse.unquote(file)).resolve() if file else path.resolve()
            if not target.exists():
                broken.append(f"{path.name}: {href}")
            elif anchor and target in ids and urllib.parse.unquote(anchor) not in ids[target]:
                broken.append(f"{path.name}: {href}")
    return broken


def test_every_local_link_of_the_real_book_reaches_its_page_and_anchor(real):
    assert _check_links(real.html) == []


@pytest.mark.parametrize(
    "word, page",
    [
        # a word of a clause of the apparel norms
        ("投诉", "book/generated/standards/apparel-retail-2025"),
        # a word of the retail guide
        ("满意度", "book/generated/standards/retail-guide"),
        # an English word of a metric name (on the metric's own page)
        ("complaint", "book/generated/metrics/complaint-resolution-time"),
    ],
)
def test_search_index_holds_chinese_and_english_words(real, word, page):
    index = _search_index(real.html)
    # A word in a page's headings is filed under its title terms only.
    docs = []
    for kind in ("terms", "titleterms"):
        found = index[kind].get(word, [])
        docs += found if isinstance(found, list) else [found]
    assert index["docnames"].index(page) in docs


def test_the_offline_chart_library_is_served_by_the_book(real):
    bundle = real.html / "_static" / "vega-bundle.js"
    assert bundle.read_text(encoding="utf-8").splitlines()[0] == make_bundle_header()
    page = read_page(real.html / "book" / "generated" / "stores" / "sh-nanjing-road-flagship.html")
    sources = [attrs.get("src", "") for attrs, _ in page.scripts]
    assert any(s.split("?")[0].endswith("_static/vega-bundle.js") for s in sources)
    assert not any(s.startswith(("http:", "https:", "//")) for s in sources)
    assert page.chart_specs(), "the store page embeds its scorecard chart"


# Texts of the injection fixture, as a reader must see them on its pages.
SHOWN = [
    # a clause text opening a code cell, with a script after it
    (
        "standards/evil",
        "```{code-cell} python\nopen('/tmp/servicekb-pwned', 'w').write('pwned')\n```\n"
        "投诉应在72小时内解决，处理结果应书面告知。"
        "<script>alert('clause')</script>",
    ),
    # an English summary with a role, math and a substitution
    ("standards/evil", "{eval}`1+1` and $$x^2$$ and {{ answer }}"),
    # a provenance quote that is a directive
    ("standards/evil", ":::{warning} quote\n:::"),
    # a target quote with pipes and an iframe
    ("standards/evil", "72小时内解决 | <iframe src=x>"),
    # a comment, entities and escaped backticks
    ("standards/evil", "<!-- comment --> &lt;not an entity&gt; \\`escaped\\`"),
    # a section title that is a heading and a fence
    ("standards/evil", "# 投诉处理 ```"),
    # the title of the standard
    ("standards/evil", "注入测试标准 <script>alert('title')</script>"),
    # a citation note that is a directive
    ("citations", ":::{danger} injected admonition\nthis must stay text\n:::"),
    # a citation title that is an eval role
    ("citations", "{eval}`__import__('os').system('touch /tmp/servicekb-pwned')`"),
    # a metric description closing with a code cell
    ("metrics/complaint-resolution-time", "从投诉受理到处理完毕的时间。 ```{code-cell} python"),
]


@pytest.mark.parametrize("page, shown", SHOWN)
def test_hostile_text_is_shown_as_text(injection, page, shown):
    assert visible(shown) in read_page(injection.html / "book" / "generated" / f"{page}.html").text


# Markup of the injection fixture that must never reach a page unescaped.
RAW = [
    "<script>alert",
    "<img src=x",
    "<iframe src=x",
    "<style>body{display:none}",
    "<u>u</u>",
    "<i>b</i>",
    "<b>source</b>",
    "<!-- comment -->",
]


def test_hostile_text_becomes_no_element_script_or_cell(injection):
    for path, page in _pages(injection.html).items():
        raw = path.read_text(encoding="utf-8")
        assert [r for r in RAW if r in raw] == [], path
        for attrs, body in page.scripts:
            if attrs.get("type") == "application/json":
                assert "<" not in body, path
            else:
                assert "alert" not in body, path
        classes = " ".join(a.get("class", "") for tags in page.tags.values() for a in tags).split()
        assert not {"danger", "cell_output", "cell"} & set(classes), path
    assert not Path("/tmp/servicekb-pwned").exists()
