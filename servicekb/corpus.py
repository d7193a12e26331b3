"""The loaded knowledge base: standards, catalogues and store profiles, with indexes.

A `Corpus` is what every analysis takes (graph, resolution, scoring, book,
diff). It is built by `servicekb.loader.load_corpus`; analyses never read
files themselves.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from servicekb.models import Citation, Clause, Metric, Section, Standard, StoreProfile

__all__ = ["ClauseEntry", "Corpus", "iter_sections", "qualified_number"]


@dataclass(frozen=True)
class ClauseEntry:
    """A clause with where it sits: its standard, its section chain and its field path."""

    clause: Clause
    standard_id: str
    sections: tuple[Section, ...]
    path: tuple[str | int, ...]

    @property
    def section(self) -> Section:
        """The innermost section holding the clause."""
        return self.sections[-1]


def iter_sections(
    sections: list[Section], path: tuple[str | int, ...] = (), parents: tuple[Section, ...] = ()
) -> Iterator[tuple[Section, tuple[Section, ...], tuple[str | int, ...]]]:
    """Yield every section depth-first in document order with its ancestors and field path."""
    for i, sec in enumerate(sections):
        here = (*path, "sections", i)
        chain = (*parents, sec)
        yield sec, chain, here
        yield from iter_sections(sec.sections, here, chain)


def qualified_number(chain: tuple[Section, ...]) -> str:
    """The number that names a section in clause ids: `1.1` under `1`; `一.(二)` for (二) under 一.

    A section whose printed number already extends its parent's (1 -> 1.1) keeps it;
    one numbered on its own ((二) under 一) is joined to its parent's with a dot.
    """
    number = ""
    for sec in chain:
        number = sec.number if not number or sec.number.startswith(number + ".") else f"{number}.{sec.number}"
    return number


@dataclass
class Corpus:
    """Everything loaded from `standards/` and `stores/`, keyed by id.

    `files` maps every id (standard, store, and the catalogue names
    `metrics` / `citations`) to the repository-relative file it came from,
    so that analyses can report locations.
    """

    standards: dict[str, Standard] = field(default_factory=dict)
    metrics: dict[str, Metric] = field(default_factory=dict)
    citations: dict[str, Citation] = field(default_factory=dict)
    stores: dict[str, StoreProfile] = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict)
    _clauses: dict[str, ClauseEntry] | None = field(default=None, repr=False)

    def iter_clauses(self, standard_id: str | None = None) -> Iterator[ClauseEntry]:
        """Yield the clauses of one standard, or of all standards in id order, in document order."""
        ids = [standard_id] if standard_id else sorted(self.standards)
        for sid in ids:
            for sec, chain, path in iter_sections(self.standards[sid].sections):
                for j, clause in enumerate(sec.clauses):
                    yield ClauseEntry(clause, sid, chain, (*path, "clauses", j))

    @property
    def clauses(self) -> dict[str, ClauseEntry]:
        """Every clause of every standard by id (built once; the first of duplicate ids wins)."""
        if self._clauses is None:
            index: dict[str, ClauseEntry] = {}
            for entry in self.iter_clauses():
                index.setdefault(entry.clause.id, entry)
            self._clauses = index
        return self._clauses
