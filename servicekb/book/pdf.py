"""The whole handbook as one PDF, printed by Debian's Chromium from the built HTML.

The pages are taken in the order of the book's navigation (the table of
contents), their articles put one after another in a single print page
with the book's own styles and chart library, and Chromium prints it
headless (`--print-to-pdf`). Chinese text uses the system's Noto CJK fonts
(Debian's `fonts-noto-cjk`), embedded in the PDF. Nothing is fetched from
the network: every address points into the built folder.

Chromium writes the text layer of the PDF (what search and copy give) from
the font's table read backwards, and Noto CJK draws some characters with
the glyph of a Kangxi radical (户 is drawn like ⼾ U+2F3E, 门 like ⻔
U+2ED4): the text layer would say the radical. `fix_text_layer` maps those
back to the characters in the text, so that searching the PDF for 客户 or
门店 finds them.
"""

from __future__ import annotations

import posixpath
import re
import shutil
import subprocess
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from servicekb.book.sphinx_ext import PDF_NAME
from servicekb.pdf import HEADLESS_FLAGS

__all__ = [
    "CHROMIUM",
    "RADICALS",
    "PdfResult",
    "build_pdf",
    "find_chromium",
    "fix_text_layer",
    "list_book_pages",
    "make_print_page",
]

CHROMIUM = "/usr/bin/chromium"
_PRINT_PAGE = "servicekb-print.html"
_PRINT_CSS = """
@page { size: A4; margin: 16mm 14mm; }
body { font-family: "Noto Sans CJK SC", "Noto Sans SC", sans-serif; font-size: 10.5pt; }
.skb-print-page { break-before: page; }
.skb-print-page:first-child { break-before: auto; }
.cell_input, .headerlink, .skb-scroll-hint, .skb-filters, .servicekb-stamp, .toggle-button, button \
{ display: none !important; }
.pst-scrollable-table-container, .servicekb-chart { overflow: visible !important; }
table { font-size: 8.5pt; }
a { color: inherit; text-decoration: none; }
"""


# Radicals whose glyph is, in Noto Sans CJK SC, the simplified character's (the others follow NFKC).
RADICALS = {
    0x2F3E: "户",
    0x2E9F: "母",
    0x2EA0: "民",
    0x2EC6: "角",
    0x2EC5: "见",
    0x2EC9: "贝",
    0x2ECB: "车",
    0x2ED3: "长",
    0x2ED4: "门",
    0x2EDA: "页",
    0x2EDB: "风",
    0x2EDC: "飞",
    0x2EDD: "食",
    0x2EE2: "马",
    0x2EE5: "鱼",
    0x2EE6: "鸟",
    0x2EE9: "黄",
    0x2EEC: "齐",
    0x2EEE: "齿",
    0x2EF0: "龙",
    0x2EF3: "龟",
}
_DESTINATION = re.compile(r"(<[0-9A-Fa-f]+>\s*)<(2[EF][0-9A-Fa-f]{2})>")


def _unradical(code: int) -> str | None:
    if code in RADICALS:
        return RADICALS[code]
    if 0x2F00 <= code <= 0x2FD5:
        return unicodedata.normalize("NFKC", chr(code))
    return None


def _fix_cmap(text: str) -> str:
    def swap(match: re.Match) -> str:
        char = _unradical(int(match[2], 16))
        return match[0] if char is None else f"{match[1]}<{ord(char):04X}>"

    return _DESTINATION.sub(swap, text)


def fix_text_layer(path: Path) -> int:
    """Map Kangxi and supplement radicals in the PDF's text layer to the characters they stand for; return how many
    fonts changed.
    """
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject, StreamObject

    reader = PdfReader(path)
    writer = PdfWriter(clone_from=reader)
    changed, seen = 0, set()
    for page in writer.pages:
        fonts = page.get("/Resources", {}).get_object().get("/Font", {})
        for ref in fonts.values():
            font = ref.get_object()
            cmap = font.get("/ToUnicode")
            if cmap is None or id(cmap.get_object()) in seen:
                continue
            stream = cmap.get_object()
            seen.add(id(stream))
            text = stream.get_data().decode("latin-1")
            fixed = _fix_cmap(text)
            if fixed != text:
                new = StreamObject()
                new.set_data(fixed.encode("latin-1"))
                font[NameObject("/ToUnicode")] = writer._add_object(new)
                changed += 1
    if changed:
        with path.open("wb") as fh:
            writer.write(fh)
    return changed


@dataclass
class PdfResult:
    """Where the PDF is (None when it could not be made) and why not."""

    path: Path | None
    message: str


def find_chromium() -> str | None:
    """Debian's Chromium, or another `chromium` on the path; None when there is none."""
    return CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium")


def list_book_pages(html: Path) -> list[str]:
    """The book's pages in table-of-contents order (from the navigation of its first page), relative to `html`."""
    from bs4 import BeautifulSoup

    first = html / "book" / "index.html"
    soup = BeautifulSoup(first.read_text(encoding="utf-8"), "html.parser")
    pages = ["book/index.html"]
    nav = soup.select_one("nav.bd-docs-nav") or soup
    for link in nav.select("a.reference.internal[href]"):
        href = link["href"].split("#", 1)[0]
        if not href:
            continue
        path = posixpath.normpath(posixpath.join("book", href))
        if path not in pages and (html / path).is_file():
            pages.append(path)
    return pages


def _rebase(article, page: str) -> None:
    """Make the article's relative addresses relative to the book's root (where the print page lives)."""
    folder = posixpath.dirname(page)
    for tag, attr in (("a", "href"), ("img", "src"), ("source", "src")):
        for el in article.find_all(tag):
            value = el.get(attr)
            if not value or value.startswith(("#", "data:", "http:", "https:", "mailto:", "javascript:")):
                continue
            path, _, frag = value.partition("#")
            el[attr] = (
                posixpath.normpath(posixpath.join(folder, path)) + (f"#{frag}" if frag else "") if path else value
            )


def make_print_page(html: Path) -> Path:
    """Write one HTML page holding every article of the book in order; return its path."""
    from bs4 import BeautifulSoup

    pages = list_book_pages(html)
    first = BeautifulSoup((html / pages[0]).read_text(encoding="utf-8"), "html.parser")
    styles = []
    for link in first.select("link[rel=stylesheet][href]"):
        styles.append(f'<link rel="stylesheet" href="{posixpath.normpath(posixpath.join("book", link["href"]))}">')
    scripts = [
        f'<script src="{posixpath.normpath(posixpath.join("book", s["src"]))}"></script>'
        for s in first.select("script[src]")
        if "vega" in s["src"]
    ]
    parts = []
    for page in pages:
        soup = BeautifulSoup((html / page).read_text(encoding="utf-8"), "html.parser")
        article = soup.select_one("article.bd-article")
        if article is None:
            continue
        _rebase(article, page)
        parts.append(f'<section class="skb-print-page">{article.decode_contents()}</section>')
    text = (
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>客户服务标准手册</title>'
        + "".join(styles)
        + f"<style>{_PRINT_CSS}</style>"
        + "".join(scripts)
        + '</head><body><main class="bd-main">'
        + "".join(parts)
        + "</main></body></html>"
    )
    out = html / _PRINT_PAGE
    out.write_text(text, encoding="utf-8")
    return out


def build_pdf(html: Path, timeout: int = 600) -> PdfResult:
    """Print the built book in `html` to `html/servicekb-handbook.pdf` with headless Chromium."""
    chromium = find_chromium()
    if chromium is None:
        return PdfResult(None, "no PDF: Chromium is not installed (apt-get install chromium fonts-noto-cjk)")
    html = html.resolve()
    page = make_print_page(html)
    target = html / PDF_NAME
    cmd = [
        chromium,
        *HEADLESS_FLAGS,
        "--run-all-compositor-stages-before-draw",
        "--virtual-time-budget=20000",
        f"--print-to-pdf={target}",
        page.as_uri(),
    ]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return PdfResult(None, f"no PDF: Chromium did not finish within {timeout} s")
    finally:
        page.unlink(missing_ok=True)
    if proc.returncode != 0 or not target.is_file():
        return PdfResult(None, f"no PDF: Chromium exited with {proc.returncode}: {proc.stderr.strip()[-500:]}")
    fix_text_layer(target)
    return PdfResult(target, f"PDF: {target}")
