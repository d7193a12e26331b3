"""Safe MyST markdown from untrusted text.

Anything a user can write (standards, profiles, data) goes through `text()`
before it becomes part of a page: every ASCII punctuation character is
backslash-escaped (CommonMark allows that for all of them), so no text can
open a directive, a role, a code fence, a link, a substitution or raw HTML.
Line breaks collapse to spaces so that text cannot start a block.
"""

from __future__ import annotations

import re
import string

__all__ = ["anchor", "table", "text"]

_PUNCT = re.compile("([" + re.escape(string.punctuation) + "])")
_SPACE = re.compile(r"\s+")


def text(value: object) -> str:
    """Escape untrusted text for inline use in MyST markdown."""
    return _PUNCT.sub(r"\\\1", _SPACE.sub(" ", str(value)).strip())


def anchor(ident: str) -> str:
    """A MyST label for an id (labels may not contain spaces or brackets)."""
    return re.sub(r"[^0-9A-Za-z_\-.#\u4e00-\u9fff()]", "-", ident)


def table(header: list[str], rows: list[list[str]]) -> str:
    """A pipe table; cells must already be escaped."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)
