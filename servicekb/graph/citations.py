"""Citation integrity: one identifier with several titles, shaky citations and repealed laws.

The catalogue records citations as the sources print them, with a
verification status; these checks show a reader which ones to distrust and
how much of the corpus leans on them.

- `citation-title-conflict` (warning): one identifier (editions of a
  document count as one: ISO 9001 and ISO 9001:2015) cited with different
  titles.
- `citation-shared-title` (note): one title given to different identifiers.
- `suspect-citation` (warning), `unverified-citation` (note): the citation
  and the clauses that cite it, counted.
- `repealed-citation` (warning): a clause cites a repealed law; reported at
  the clause.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator

import networkx as nx

from servicekb.corpus import Corpus
from servicekb.graph.build import node_id
from servicekb.graph.findings import Locator
from servicekb.issues import Issue, Level, join_some
from servicekb.models import Citation
from servicekb.models.catalogue import identifier_family
from servicekb.types import VerificationStatus

__all__ = ["check_citations", "citing_clauses"]

_PUNCT = re.compile(r"[\s《》()（）\-—_·.,，、:：]+")


def _title_key(title: str) -> str:
    return _PUNCT.sub("", title).lower()


def citing_clauses(graph: nx.MultiDiGraph, citation_id: str) -> list[str]:
    """Ids of the clauses that cite a citation (each once), sorted."""
    node = node_id("citation", citation_id)
    if node not in graph:
        return []
    return sorted({graph.nodes[u]["ref"] for u, _, d in graph.in_edges(node, data=True) if d.get("type") == "cites"})


def _clauses(n: int) -> str:
    return f"{n} clause{'s' * (n != 1)}"


def _label(c: Citation) -> str:
    return f"{c.identifier or 'no identifier'} 《{c.title or '?'}》 ({c.id})"


def _at_entry(locate: Locator, citation_id: str, code: str, level: Level, message: str, value: dict) -> Issue:
    file, line, col, path = locate.catalogue("citations", citation_id)
    return Issue(file, line, col, code, message, path, level, value)


def _title_conflicts(corpus: Corpus, users: dict[str, list[str]], locate: Locator) -> Iterator[Issue]:
    families: dict[str, list[Citation]] = defaultdict(list)
    for c in corpus.citations.values():
        if c.identifier:
            families[identifier_family(c.identifier)].append(c)
    for family, items in sorted(families.items()):
        if len({_title_key(c.title or "") for c in items}) < 2:
            continue
        listing = "; ".join(
            f"{c.identifier} as 《{c.title or '?'}》 ({c.id}, {_clauses(len(users[c.id]))})" for c in items
        )
        shown = min((c.identifier or "" for c in items), key=len)
        titles = len({_title_key(c.title or "") for c in items})
        message = f"identifier {shown} is cited with {titles} different titles: {listing}"
        value = {
            "identifier": family,
            "citations": [
                {"id": c.id, "identifier": c.identifier, "title": c.title, "clauses": users[c.id]} for c in items
            ],
        }
        yield _at_entry(locate, items[0].id, "citation-title-conflict", Level.warning, message, value)


def _shared_titles(corpus: Corpus, locate: Locator) -> Iterator[Issue]:
    titles: dict[str, list[Citation]] = defaultdict(list)
    for c in corpus.citations.values():
        if c.title:
            titles[_title_key(c.title)].append(c)
    for items in titles.values():
        families = {identifier_family(c.identifier) if c.identifier else c.id for c in items}
        if len(families) < 2 or not any(c.identifier for c in items):
            continue
        message = f"title 《{items[0].title}》 is given to {len(families)} different documents: " + "; ".join(
            _label(c) for c in items
        )
        yield _at_entry(
            locate,
            items[0].id,
            "citation-shared-title",
            Level.note,
            message,
            {"title": items[0].title, "citations": [c.id for c in items]},
        )


def _reliance(corpus: Corpus, users: dict[str, list[str]], locate: Locator) -> Iterator[Issue]:
    for cid, c in corpus.citations.items():
        clauses = users[cid]
        if c.status is VerificationStatus.suspect:
            level, code = Level.warning, "suspect-citation"
        elif c.status is VerificationStatus.unverified and clauses:
            level, code = Level.note, "unverified-citation"
        else:
            continue
        shown = join_some(clauses, 8)
        lean = f"cited by {_clauses(len(clauses))}" + (f" ({shown})" if clauses else "")
        note = f": {c.note}" if c.note and c.status is VerificationStatus.suspect else ""
        message = f"{c.status.value} citation {_label(c)}: {lean}{note}"
        yield _at_entry(
            locate,
            cid,
            code,
            level,
            message,
            {"citation": cid, "status": c.status.value, "count": len(clauses), "clauses": clauses},
        )


def _repealed(corpus: Corpus, locate: Locator) -> Iterator[Issue]:
    repealed = {cid for cid, c in corpus.citations.items() if c.status is VerificationStatus.repealed}
    if not repealed:
        return
    for entry in corpus.iter_clauses():
        for k, ref in enumerate(entry.clause.citations):
            if ref.citation in repealed:
                c = corpus.citations[ref.citation]
                file, line, col, path = locate.clause(entry.clause.id, "citations", k)
                message = f"clause {entry.clause.id} cites {_label(c)}, which is repealed" + (
                    f": {c.note}" if c.note else ""
                )
                yield Issue(
                    file,
                    line,
                    col,
                    "repealed-citation",
                    message,
                    path,
                    Level.warning,
                    {"clause": entry.clause.id, "citation": c.id},
                )


def check_citations(graph: nx.MultiDiGraph, corpus: Corpus, locate: Locator) -> list[Issue]:
    """Every citation-integrity finding of the corpus."""
    users = {cid: citing_clauses(graph, cid) for cid in corpus.citations}
    return [
        *_title_conflicts(corpus, users, locate),
        *_shared_titles(corpus, locate),
        *_reliance(corpus, users, locate),
        *_repealed(corpus, locate),
    ]
