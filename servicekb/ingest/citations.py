"""Extract citations as the text gives them: 《titles》, standard identifiers, law articles.

Identifiers are recorded as cited with normalised spacing only
(`GB/T33000-2016` -> `GB/T 33000-2016`, `ISO9001:2015` -> `ISO 9001:2015`);
a title that looks wrong for its number is never corrected here. A title
followed by an identifier in parentheses, `《售后服务管理规范》(GB/T33000-2016)`,
is one citation. Resolution to catalogue ids (`standards/citations.yaml`) is by
identifier, else by exact title; what does not resolve is reported, not invented.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from servicekb.ingest.numbering import cn_to_int

__all__ = ["Cited", "find_abbreviations", "find_citations", "normalise_identifier", "resolve_citation"]

_STD = re.compile(
    r"(?<![A-Za-z])(?P<prefix>GB/T|GB|JGJ|SB/T|ISO)\s*"
    r"(?P<number>\d+(?:\.\d+)*(?:-\d{1,2}(?!\d))?)"
    r"(?:\s*[-—:：]\s*(?P<year>(?:19|20)\d{2}))?(?!\d)"
)
_TITLE = re.compile(r"《(?P<title>[^《》]{1,80})》")
_ARTICLE = re.compile(r"第(?P<n>\d{1,3}|[一二三四五六七八九十百]{1,5})条")


@dataclass(frozen=True)
class Cited:
    """One citation in a clause: identifier and/or title as cited, and the article for laws."""

    identifier: str | None
    title: str | None
    article: str | None
    start: int
    qualifier: str | None = None  # the parenthesis after the title: (2023年版), (ServiceMarketingTheory)


def normalise_identifier(prefix: str, number: str, year: str | None) -> str:
    """`GB/T` + `33000` + `2016` -> `GB/T 33000-2016`; ISO years follow a colon."""
    if year is None:
        return f"{prefix} {number}"
    sep = ":" if prefix == "ISO" else "-"
    return f"{prefix} {number}{sep}{year}"


def _article(text: str, pos: int) -> str | None:
    m = _ARTICLE.match(text, pos)
    if not m:
        return None
    n = m.group("n")
    if not n.isdigit() and cn_to_int(n) is None:
        return None
    return m.group(0)


def find_citations(text: str) -> list[Cited]:
    """Every citation in the text, in order; a title and its parenthesised identifier count once."""
    found: list[Cited] = []
    used: set[int] = set()
    for m in _TITLE.finditer(text):
        title = m.group("title").strip()
        identifier = qualifier = None
        after = re.match(r"\s*[(（]\s*", text[m.end() :])
        if after:
            std = _STD.match(text, m.end() + after.end())
            if std:
                identifier = normalise_identifier(std.group("prefix"), std.group("number"), std.group("year"))
                used.add(std.start())
            else:
                paren = re.match(r"[(（]([^()（）]{1,60})[)）]", text[m.end() :].lstrip())
                qualifier = paren.group(1) if paren else None
        found.append(Cited(identifier, title, _article(text, m.end()), m.start(), qualifier))
    for m in _STD.finditer(text):
        if m.start() in used:
            continue
        found.append(
            Cited(normalise_identifier(m.group("prefix"), m.group("number"), m.group("year")), None, None, m.start())
        )
    return sorted(found, key=lambda c: c.start)


_ABBREVIATION = re.compile(r"《(?P<full>[^《》]{1,80})》[^《》。]{0,30}?以下简称《(?P<short>[^《》]{1,40})》")


def find_abbreviations(text: str) -> dict[str, str]:
    """Short titles the document defines: `《X》(以下简称《Y》)` gives {Y: X} (first definition wins)."""
    found: dict[str, str] = {}
    for m in _ABBREVIATION.finditer(text):
        found.setdefault(m.group("short"), m.group("full"))
    return found


def resolve_citation(cited: Cited, by_identifier: dict[str, str], by_title: dict[str, str]) -> str | None:
    """The catalogue id of a citation: by identifier, then by title with its parenthesis, then by title."""
    if cited.identifier and cited.identifier in by_identifier:
        return by_identifier[cited.identifier]
    if cited.title and cited.qualifier and f"{cited.title}({cited.qualifier})" in by_title:
        return by_title[f"{cited.title}({cited.qualifier})"]
    if cited.title and cited.title in by_title:
        return by_title[cited.title]
    return None
