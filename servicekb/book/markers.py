"""Markers the curated text carries (`〔乱码〕`), explained where they appear.

The ingest step writes `〔乱码〕` where the scraped source lost a character
(`servicekb.ingest.mojibake`). On a page the marker becomes a link to its
glossary entry with the explanation as a tooltip, so that a reader never
wonders what it means; the rest of the text is escaped as usual.
"""

from __future__ import annotations

from servicekb.book.markdown import escape_text
from servicekb.ingest.mojibake import MARKER

__all__ = ["MARKER", "MARKER_HINT", "MARKER_LABEL", "mark_text", "strip_markers"]

MARKER_LABEL = "marker-garbled"
"""Label of the glossary section that explains the marker (`book/glossary.md`)."""

MARKER_HINT = "原文此处的字在网页抓取时损坏，无法还原"
_SHOWN = f"[{{abbr}}`{MARKER} ({MARKER_HINT})`](<#{MARKER_LABEL}>)"


def mark_text(value: object) -> str:
    """Escape untrusted text (`escape_text`) and turn every `〔乱码〕` into an explained link."""
    return _SHOWN.join(escape_text(part) for part in str(value).split(MARKER))


def strip_markers(text: str) -> str:
    """The text without markers (for keywords and search terms: a marker is never a word)."""
    return text.replace(MARKER, " ")
