"""Safe MyST markdown from untrusted text, and the labels pages link to.

Anything a user can write (standards, profiles, data) goes through `escape_text()`
before it becomes part of a page: every ASCII punctuation character is
backslash-escaped (CommonMark allows that for all of them), so no text can
open a directive, a role, a code fence, math, a link, a substitution or raw
HTML. Line breaks collapse to spaces so that text cannot start a block.

Links go to Sphinx labels (`[shown](<#label>)`), resolved and checked by the
strict build: a clause's label is its id, so its anchor in the HTML is the
id itself (`servicekb.book.sphinx_ext` keeps it verbatim).
"""

from __future__ import annotations

import re
import string

__all__ = [
    "escape_text",
    "label_citation",
    "label_metric",
    "label_standard",
    "label_store",
    "link_clause",
    "make_admonition",
    "make_link",
    "make_table",
    "make_target",
]

_PUNCT = re.compile("([" + re.escape(string.punctuation) + "])")
_SPACE = re.compile(r"\s+")
_DESTINATION = re.compile(r"([<>\\])")


def escape_text(value: object) -> str:
    """Escape untrusted text for inline use in MyST markdown (one line, every ASCII punctuation escaped)."""
    return _PUNCT.sub(r"\\\1", _SPACE.sub(" ", str(value)).strip())


def make_target(label: str) -> str:
    """The MyST target line `(label)=` that anchors the block after it."""
    if not label or _SPACE.search(label):
        raise ValueError(f"a label cannot be empty or contain spaces: {label!r}")
    return f"({label})="


def make_link(label: str, shown: str) -> str:
    """A link to a label anywhere in the book; `shown` must already be markdown (escaped)."""
    destination = _DESTINATION.sub(r"\\\1", label)
    return f"[{shown}](<#{destination}>)"


def link_clause(clause_id: str) -> str:
    """A link to a clause, shown as its id."""
    return make_link(clause_id, escape_text(clause_id))


def label_standard(standard_id: str) -> str:
    """Label of a standard's page title."""
    return f"standard-{standard_id}"


def label_metric(metric_id: str) -> str:
    """Label of a metric's entry in the catalogue."""
    return f"metric-{metric_id}"


def label_citation(citation_id: str) -> str:
    """Label of a citation's entry on the citations page."""
    return f"citation-{citation_id}"


def label_store(store_id: str) -> str:
    """Label of a store page's title."""
    return f"store-{store_id}"


def make_table(header: list[str], rows: list[list[str]]) -> str:
    """A pipe table; header and cells must already be markdown (escaped)."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def make_admonition(kind: str, title: str, body: list[str]) -> list[str]:
    """A colon-fenced admonition styled as `kind` (`warning`, `note`, `tip`...); title and body must be markdown
    (escaped).

    Escaped text never holds an unescaped colon, so it cannot close the fence.
    """
    return [f":::{{admonition}} {title}", f":class: {kind}", "", *body, ":::", ""]
