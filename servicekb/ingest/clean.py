"""Clean a scraped seed document: boilerplate, mojibake, pinyin, traditional characters.

`clean_text(raw)` is the whole chain, str in and str out:

1. `strip_boilerplate`: the site's page list, "已阅读…" banner, download and
   copyright notices at the top, the closing disclaimer (温馨提示) and the
   comment box at the bottom.
2. `repair_mojibake`: decode the runs that can be decoded (see
   `servicekb.ingest.mojibake`) and replace what is lost by `〔乱码〕`.
3. `remove_pinyin`: drop annotations such as `業(yè)`; real parentheses
   such as (2025版), (CSAT), (GB/T …) or (满分100分) are kept.
4. `to_simplified`: OpenCC `t2s`.

Punctuation, digits and whitespace inside a line are kept as printed: for
text without mojibake the result is exactly OpenCC('t2s') of the raw text
with the pinyin annotations (and the boilerplate lines) removed.

Run `python -m servicekb.ingest.clean SEED_FILE` to print the cleaned text.
"""

from __future__ import annotations

import re
import sys

from servicekb.ingest.chars import to_simplified
from servicekb.ingest.mojibake import MARKER, MojibakeRun, find_mojibake, repair_mojibake
from servicekb.ingest.pinyin import remove_pinyin

__all__ = [
    "MARKER",
    "clean_text",
    "clean_with_report",
    "is_boilerplate_line",
    "remove_pinyin",
    "repair_mojibake",
    "strip_boilerplate",
    "to_simplified",
]

# Lines of the site's frame, matched on the simplified, annotation-free form
# of the line so that `第1頁(yè)` and `版權(quán)說(shuō)明` match too.
_HEADER_PATTERNS = [
    re.compile(r"^.+_第\d+页$"),  # page list: "<title>_第1页"
    re.compile(r"^已阅读\d+页"),  # "已阅读5页,还剩37页未读, 继续免费阅读"
    re.compile(r"^(付费下载|下载本文档|文档简介|举报)$"),
    re.compile(r"^版权说明[:：]"),
    re.compile(r"^.+\.(docx?|pdf|pptx?|txt)(VIP)?$", re.IGNORECASE),  # "<title>.docxVIP"
    re.compile(r"^•"),  # the preview's metadata bullets (pages, words, date, 举报)
]
# A footer marker: this line and everything after it is the site's, not the document's.
_FOOTER_START = [
    re.compile(r"^温馨提示$"),
    re.compile(r"^文档评论[(（]\d+[)）]$"),
]
# Comment box and link lists that may follow the body without a footer marker.
_FOOTER_LINES = [
    re.compile(r"^(评论|提交评论|最新文档|相关文档)$"),
    re.compile(r"^\d+/\d+$"),  # "0/150" character counter of the comment box
    re.compile(r"^\d+亿VIP精品文档$"),
]


_MAX_FRAME_LINE = 300  # the site's lines are short; a longer line is document text
_MAX_FOOTER_MARK = 40  # 温馨提示 / 文档评论(12), with pinyin annotations at most


def _line_key(line: str) -> str:
    if len(line) > _MAX_FRAME_LINE:
        return ""
    return to_simplified(remove_pinyin(line)).strip()


def is_boilerplate_line(line: str) -> bool:
    """Whether a line belongs to the site's header or comment box (not to the document)."""
    key = _line_key(line)
    return any(p.search(key) for p in _HEADER_PATTERNS + _FOOTER_LINES)


def strip_boilerplate(text: str) -> str:
    """Remove the site's frame around the document; the body lines are kept as printed.

    The header is the leading run of boilerplate and blank lines; the footer
    starts at the disclaimer (温馨提示) or the comment count (文档评论(0)) and
    also covers a trailing comment box. Leading and trailing blank lines go.
    """
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if len(line.strip()) > _MAX_FOOTER_MARK:  # the markers are short lines; most lines are skipped unread
            continue
        key = _line_key(line)
        if any(p.search(key) for p in _FOOTER_START):
            lines = lines[:i]
            break
    start = 0
    while start < len(lines) and (not lines[start].strip() or is_boilerplate_line(lines[start])):
        start += 1
    end = len(lines)
    while end > start and (not lines[end - 1].strip() or _is_footer_line(lines[end - 1])):
        end -= 1
    body = lines[start:end]
    return "\n".join(body) + "\n" if body else ""


def _is_footer_line(line: str) -> bool:
    key = _line_key(line)
    return any(p.search(key) for p in _FOOTER_LINES)


def clean_text(raw: str) -> str:
    """Return the cleaned, simplified text of a raw seed document."""
    return clean_with_report(raw)[0]


def clean_with_report(raw: str) -> tuple[str, list[MojibakeRun]]:
    """The cleaned text and the mojibake runs found (decoded or marked), for the ingest notes."""
    text = raw.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    text = strip_boilerplate(text)
    runs = find_mojibake(text)
    out: list[str] = []
    pos = 0
    for run in runs:
        out.append(text[pos : run.start])
        out.append(run.replacement)
        pos = run.end
    out.append(text[pos:])
    text = remove_pinyin("".join(out))
    return to_simplified(text), runs


def main(argv: list[str] | None = None) -> int:
    """`python -m servicekb.ingest.clean SEED_FILE`: print the cleaned text."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        sys.stderr.write("usage: python -m servicekb.ingest.clean SEED_FILE\n")
        return 2
    path = args[0]
    try:
        with open(path, encoding="utf-8") as fh:
            raw = fh.read()
    except FileNotFoundError:
        sys.stderr.write(f"{path}: error[missing-file]: no such file\n")
        return 1
    except UnicodeDecodeError as exc:
        sys.stderr.write(f"{path}: error[not-utf8]: not UTF-8 text (byte {exc.start})\n")
        return 1
    except OSError as exc:
        sys.stderr.write(f"{path}: error[unreadable]: {exc.strerror}\n")
        return 1
    sys.stdout.write(clean_text(raw))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
