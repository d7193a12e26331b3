"""Everything the generated pages need, computed once: the graph, its findings and indexes by clause.

Pages never run an analysis themselves: `build_context` builds the graph
(with related clauses), checks it, and files every finding under the
clauses and citations it concerns, so that a clause's page and the
conflicts page say the same thing.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import networkx as nx

from servicekb.corpus import ClauseEntry, Corpus, FileKey
from servicekb.graph import build_graph, check_graph
from servicekb.issues import Issue
from servicekb.models import Target
from servicekb.yamlpos import YamlDocument

__all__ = ["BookContext", "ClauseNotes", "Related", "TargetUse", "build_context"]

CITATION_CODES = ("suspect-citation", "citation-title-conflict", "citation-shared-title", "repealed-citation")


@dataclass(frozen=True)
class Related:
    """A clause of another standard about the same thing, with its similarity and shared words."""

    clause: str
    score: float
    terms: tuple[str, ...]


@dataclass
class ClauseNotes:
    """What the analyses say about one clause."""

    conflicts: list[Issue] = field(default_factory=list)
    scopes: list[Issue] = field(default_factory=list)
    agreements: list[Issue] = field(default_factory=list)
    related: list[Related] = field(default_factory=list)


@dataclass(frozen=True)
class TargetUse:
    """One target of one clause (any nature), for the catalogue and the requirement index."""

    entry: ClauseEntry
    index: int
    target: Target


@dataclass
class BookContext:
    """The corpus with its graph, findings and indexes, as the page renderers read them."""

    corpus: Corpus
    graph: nx.MultiDiGraph
    findings: list[Issue]
    notes: dict[str, ClauseNotes]
    citers: dict[str, list[str]]
    citation_findings: dict[str, list[Issue]]
    targets: dict[str, list[TargetUse]]
    documents: dict[str, YamlDocument] = field(default_factory=dict)
    repository_url: str = ""
    repository_branch: str = "main"

    def locate_clause(self, clause_id: str) -> tuple[str, int] | None:
        """The YAML file and line a clause of a standard is written at; None without the file's text."""
        entry = self.corpus.clauses.get(clause_id)
        file = self.corpus.files.get(FileKey.standard(entry.standard_id)) if entry else None
        doc = self.documents.get(file) if file else None
        if entry is None or doc is None:
            return None
        return file, doc.locate(entry.path)[0]

    def get_notes(self, clause_id: str) -> ClauseNotes:
        """The notes of a clause (empty when nothing is said about it)."""
        return self.notes.get(clause_id) or ClauseNotes()

    def select_findings(self, *codes: str) -> list[Issue]:
        """Findings with one of `codes`, in the graph check's order."""
        return [f for f in self.findings if f.code in codes]


def _side_clauses(finding: Issue) -> list[str]:
    value = finding.value if isinstance(finding.value, dict) else {}
    return sorted({side["clause"] for side in value.get("sides", [])})


def _file_target_findings(findings: list[Issue], notes: dict[str, ClauseNotes]) -> None:
    bucket = {"target-conflict": "conflicts", "target-scope-difference": "scopes", "target-agreement": "agreements"}
    for finding in findings:
        if finding.code in bucket:
            for clause in _side_clauses(finding):
                getattr(notes[clause], bucket[finding.code]).append(finding)


def _file_related(graph: nx.MultiDiGraph, notes: dict[str, ClauseNotes]) -> None:
    for u, v, data in graph.edges(data=True):
        if data.get("type") != "related-to":
            continue
        first, second = graph.nodes[u]["ref"], graph.nodes[v]["ref"]
        terms = tuple(data.get("terms", "").split())
        notes[first].related.append(Related(second, data["score"], terms))
        notes[second].related.append(Related(first, data["score"], terms))
    for note in notes.values():
        note.related.sort(key=lambda r: (-r.score, r.clause))


def _citation_findings(findings: list[Issue]) -> dict[str, list[Issue]]:
    found: dict[str, list[Issue]] = defaultdict(list)
    for finding in findings:
        if finding.code not in CITATION_CODES or not isinstance(finding.value, dict):
            continue
        value = finding.value
        ids = [value["citation"]] if isinstance(value.get("citation"), str) else []
        for item in value.get("citations", []):
            ids.append(item["id"] if isinstance(item, dict) else item)
        for cid in dict.fromkeys(ids):
            found[cid].append(finding)
    return dict(found)


def build_context(
    corpus: Corpus,
    documents: dict[str, YamlDocument] | None = None,
    repository_url: str = "",
    repository_branch: str = "main",
) -> BookContext:
    """Build the graph of `corpus`, check it, and index what the pages show.

    Args:
        corpus: The loaded knowledge base.
        documents: The YAML files by repository path, to give each clause its line (none: no source lines).
        repository_url: Where the repository is published, for edit links (empty: none).
        repository_branch: The branch edit links point at.
    """
    graph = build_graph(corpus)
    findings = check_graph(graph, corpus)
    notes: dict[str, ClauseNotes] = defaultdict(ClauseNotes)
    _file_target_findings(findings, notes)
    _file_related(graph, notes)
    citers: dict[str, list[str]] = defaultdict(list)
    targets: dict[str, list[TargetUse]] = defaultdict(list)
    for entry in corpus.iter_clauses():
        for ref in entry.clause.citations:
            if entry.clause.id not in citers[ref.citation]:
                citers[ref.citation].append(entry.clause.id)
        for i, t in enumerate(entry.clause.targets):
            targets[t.metric].append(TargetUse(entry, i, t))
    return BookContext(
        corpus,
        graph,
        findings,
        dict(notes),
        dict(citers),
        _citation_findings(findings),
        dict(targets),
        dict(documents or {}),
        repository_url.rstrip("/"),
        repository_branch,
    )
