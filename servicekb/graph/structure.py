"""Structural findings: dangling references, reference cycles, unused metrics, empty sections.

The checks `validate` already runs are reused, not repeated: dangling
references, self-references, clauses without provenance and sections marked
`body` that hold no clause come from `servicekb.checks.check_corpus`. The
graph adds what needs the whole picture:

- `reference-cycle` (warning): clauses that refer to each other in a
  circle, so that none of them can be read first;
- `unused-metric` (warning): a metric in the catalogue that no clause
  targets and no store overrides.
"""

from __future__ import annotations

from collections.abc import Iterator

import networkx as nx

from servicekb.checks import check_corpus
from servicekb.corpus import Corpus, FileKey
from servicekb.graph.build import node_id
from servicekb.graph.findings import Locator
from servicekb.issues import Issue, Level

__all__ = ["STRUCTURE_CODES", "check_structure", "find_reference_cycles"]

# Codes of `check_corpus` that are structural findings of the graph.
STRUCTURE_CODES = frozenset({"dangling-reference", "self-reference", "empty-section", "missing-provenance"})


def find_reference_cycles(graph: nx.MultiDiGraph) -> list[list[str]]:
    """Each cycle of clause references as a list of clause ids, one cycle per strongly connected group."""
    refs = nx.DiGraph((u, v) for u, v, d in graph.edges(data=True) if d.get("type") == "refers-to")
    cycles = []
    for component in nx.strongly_connected_components(refs):
        if len(component) < 2:
            continue
        start = min(component)
        edges = nx.find_cycle(refs.subgraph(component), source=start)
        cycles.append([graph.nodes[u]["ref"] for u, _ in edges])
    return sorted(cycles)


def _cycles(graph: nx.MultiDiGraph, corpus: Corpus, locate: Locator) -> Iterator[Issue]:
    for cycle in find_reference_cycles(graph):
        first = cycle[0]
        entry = corpus.clauses.get(first)
        nxt = cycle[1 % len(cycle)]
        k = entry.clause.references.index(nxt) if entry and nxt in entry.clause.references else None
        file, line, col, path = (
            locate.clause(first, "references", k)
            if entry and k is not None
            else (corpus.files.get(FileKey.standard(first.split("#")[0]), ""), 1, 1, "")
        )
        message = "clauses refer to each other in a cycle: " + " -> ".join([*cycle, cycle[0]])
        yield Issue(file, line, col, "reference-cycle", message, path, Level.warning, {"cycle": cycle})


def _unused_metrics(graph: nx.MultiDiGraph, corpus: Corpus, locate: Locator) -> Iterator[Issue]:
    for mid in sorted(corpus.metrics):
        node = node_id("metric", mid)
        if not any(d.get("type") in ("targets", "overrides") for _, _, d in graph.in_edges(node, data=True)):
            file, line, col, path = locate.catalogue("metrics", mid)
            yield Issue(
                file,
                line,
                col,
                "unused-metric",
                f"metric {mid!r} is defined but no clause targets it",
                path,
                Level.warning,
                mid,
            )


def check_structure(graph: nx.MultiDiGraph, corpus: Corpus, locate: Locator) -> list[Issue]:
    """Structural findings: those of `validate` that concern structure, plus cycles and unused metrics."""
    reused = [i for i in check_corpus(corpus, locate.documents) if i.code in STRUCTURE_CODES]
    return [*reused, *_cycles(graph, corpus, locate), *_unused_metrics(graph, corpus, locate)]
