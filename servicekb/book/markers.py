"""Markers the curated text carries (`〔乱码〕`), explained where they appear.

The ingest step writes `〔乱码〕` where the scraped source lost a character
(`servicekb.ingest.mojibake`). On a page the marker becomes a link to its
glossary entry with the explanation as a tooltip, so that a reader never
wonders what it means; the rest of the text is escaped as usual.
"""

from __future__ import annotations

import re

from servicekb.book.markdown import escape_text
from servicekb.ingest.mojibake import MARKER

__all__ = ["MARKER", "MARKER_HINT", "MARKER_LABEL", "mark_bilingual", "mark_text", "strip_markers"]

MARKER_LABEL = "marker-garbled"
"""Label of the glossary section that explains the marker (`book/glossary.md`)."""

MARKER_HINT = "原文此处的字在网页抓取时损坏，无法还原"
_SHOWN = f"[{{abbr}}`{MARKER} ({MARKER_HINT})`](<#{MARKER_LABEL}>)"


def mark_text(value: object) -> str:
    """Escape untrusted text (`escape_text`) and turn every `〔乱码〕` into an explained link."""
    return _SHOWN.join(escape_text(part) for part in str(value).split(MARKER))


_ENGLISH_TAIL = re.compile(r"(?<=[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef])\s*([A-Z][\x20-\x7e]*[.!?])\s*$")


def mark_bilingual(value: object) -> str:
    """`mark_text`, with an English translation at the end of a Chinese text (`…的节。The source breaks off…`)
    shown as the English half of a bilingual text."""
    text = str(value)
    match = _ENGLISH_TAIL.search(text)
    if not match:
        return mark_text(text)
    return f"{mark_text(text[: match.start()])} [{escape_text(match[1])}]{{.en}}"


def strip_markers(text: str) -> str:
    """The text without markers (for keywords and search terms: a marker is never a word)."""
    return text.replace(MARKER, " ")
