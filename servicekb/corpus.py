"""The loaded knowledge base: standards, catalogues and store profiles, with indexes.

A `Corpus` is what every analysis takes (graph, resolution, scoring, book,
diff). It is built by `servicekb.loader.load_corpus`; analyses never read
files themselves.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Literal

from servicekb.models import Citation, Clause, Metric, Section, Standard, StoreProfile

__all__ = ["ClauseEntry", "Corpus", "CorpusFiles", "FileKey", "FileKind", "iter_sections", "qualified_number"]

FileKind = Literal["standard", "store", "metrics", "citations"]

_STORE_PREFIX = "store:"
_CATALOGUES: tuple[FileKind, ...] = ("metrics", "citations")


@dataclass(frozen=True, order=True)
class FileKey:
    """Which file of the corpus: a standard or a store profile by id, or one of the two catalogues.

    Build one with `FileKey.standard(id)`, `FileKey.store(id)`, `FileKey.metrics()` or
    `FileKey.citations()`. A catalogue's kind is also the name of its list field in YAML.
    """

    kind: FileKind
    id: str = ""

    @classmethod
    def standard(cls, standard_id: str) -> FileKey:
        """The file of a standard."""
        return cls("standard", standard_id)

    @classmethod
    def store(cls, store_id: str) -> FileKey:
        """The file of a store profile."""
        return cls("store", store_id)

    @classmethod
    def metrics(cls) -> FileKey:
        """The metric catalogue."""
        return cls("metrics")

    @classmethod
    def citations(cls) -> FileKey:
        """The citation catalogue."""
        return cls("citations")

    @classmethod
    def catalogue(cls, name: str) -> FileKey:
        """A catalogue by the name of its list field: `metrics` or `citations`."""
        if name not in _CATALOGUES:
            raise ValueError(f"no catalogue {name!r} (metrics or citations)")
        return cls(name)  # type: ignore[arg-type]

    @classmethod
    def parse(cls, text: str) -> FileKey:
        """The key a string of the older form names: `metrics`, `citations`, `store:<id>`, else a standard id."""
        if text in _CATALOGUES:
            return cls.catalogue(text)
        if text.startswith(_STORE_PREFIX):
            return cls.store(text.removeprefix(_STORE_PREFIX))
        return cls.standard(text)

    def __str__(self) -> str:
        if self.kind == "standard":
            return self.id
        return f"{_STORE_PREFIX}{self.id}" if self.kind == "store" else self.kind


def _key(key: object) -> FileKey:
    if not isinstance(key, FileKey):
        raise TypeError(f"corpus files are keyed by FileKey, not {type(key).__name__} {key!r}")
    return key


class CorpusFiles(dict[FileKey, str]):
    """The repository-relative file of every standard, store profile and catalogue, by `FileKey` (only)."""

    def __init__(self, items: Mapping[FileKey, str] | None = None):
        super().__init__()
        for key, file in (items or {}).items():
            self[key] = file

    def __setitem__(self, key: FileKey, file: str) -> None:
        super().__setitem__(_key(key), file)

    def __getitem__(self, key: FileKey) -> str:
        return super().__getitem__(_key(key))

    def get(self, key: FileKey, default: str | None = None) -> str | None:  # type: ignore[override]
        """The file of `key`, or `default`; a key of any other type is a TypeError, never a silent miss."""
        return super().get(_key(key), default)


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

    `files` maps the `FileKey` of every standard, store profile and
    catalogue to the repository-relative file it came from, so that
    analyses can report locations.
    """

    standards: dict[str, Standard] = field(default_factory=dict)
    metrics: dict[str, Metric] = field(default_factory=dict)
    citations: dict[str, Citation] = field(default_factory=dict)
    stores: dict[str, StoreProfile] = field(default_factory=dict)
    files: CorpusFiles = field(default_factory=CorpusFiles)
    _clauses: dict[str, ClauseEntry] | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if not isinstance(self.files, CorpusFiles):
            self.files = CorpusFiles(self.files)

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
