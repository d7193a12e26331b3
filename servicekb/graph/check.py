"""`graph check`: every analysis of the graph in one sorted list of findings."""

from __future__ import annotations

import networkx as nx

from servicekb.corpus import Corpus
from servicekb.gcpause import gc_paused
from servicekb.graph.citations import check_citations
from servicekb.graph.conflicts import check_targets
from servicekb.graph.findings import Locator
from servicekb.graph.structure import check_structure
from servicekb.issues import Issue, sort_issues
from servicekb.yamlpos import YamlDocument

__all__ = ["check_graph"]


def check_graph(
    graph: nx.MultiDiGraph, corpus: Corpus, documents: dict[str, YamlDocument] | None = None
) -> list[Issue]:
    """Structure, target conflicts and agreements, and citation integrity, sorted by location.

    Args:
        graph: The graph of `corpus` (`build_graph`).
        corpus: The loaded corpus.
        documents: Parsed YAML files by path, for line and column; without them findings point at 1:1.
    """
    with gc_paused():
        locate = Locator(corpus, documents)
        return sort_issues(
            [
                *check_structure(graph, corpus, locate),
                *check_targets(graph, corpus, locate),
                *check_citations(graph, corpus, locate),
            ]
        )
