"""The whole handbook as one PDF (Debian's Chromium printing the built pages): it opens, and its text is the book's
Chinese.
"""

from __future__ import annotations

import re

import pytest
from fixtures.book.builds import real_book
from pypdf import PdfReader

from servicekb.book.pdf import list_book_pages
from servicekb.book.sphinx_ext import PDF_NAME


@pytest.fixture(scope="module")
def pdf_text() -> list[str]:
    built = real_book()
    assert built.returncode == 0, built.log[-6000:]
    reader = PdfReader(built.html / PDF_NAME)
    return [page.extract_text() or "" for page in reader.pages]


def test_the_pdf_holds_the_whole_book_in_order_with_chinese_text(pdf_text):
    text = "\n".join(pdf_text)
    assert len(pdf_text) > 50
    assert "客户服务标准手册" in pdf_text[0]
    # the guide, a standard's clause, the requirement index, a store's page and a worked calculation
    for words in ("怎样读一条条款", "客户满意度达到90%以上", "要求索引", "上海南京东路服装旗舰店", "满意度与置信区间"):
        assert words in text.replace(" ", ""), words
    assert text.index("怎样找到一条规定") < text.index("要求索引") < text.index("满意度与置信区间")
    # search and copy give the characters, not the Kangxi radicals Noto CJK draws them with (户, not ⼾)
    assert re.findall("[\u2e80-\u2fdf]", text) == []
    # no page of the print is the browser's error page, and no notebook code is printed
    assert "ERR_" not in text and "import pandas" not in text


def test_the_print_follows_the_table_of_contents():
    pages = list_book_pages(real_book().html)
    assert pages[0] == "book/index.html"
    assert pages.index("book/generated/requirements.html") < pages.index("book/generated/stores.html")
    assert any(p.startswith("book/generated/trace/") for p in pages)
