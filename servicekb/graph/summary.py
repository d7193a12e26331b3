"""Counts and rankings of the graph: what `graph stats` shows."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import networkx as nx

__all__ = ["GraphStats", "compute_stats"]


@dataclass
class GraphStats:
    """Node and edge counts by type, most-cited citations, most-targeted metrics, strongest related pairs."""

    nodes: dict[str, int] = field(default_factory=dict)
    edges: dict[str, int] = field(default_factory=dict)
    most_cited: list[dict] = field(default_factory=list)
    most_targeted: list[dict] = field(default_factory=list)
    related: list[dict] = field(default_factory=list)

    def to_dict(self) -> dict:
        """Plain data for `--format json`."""
        return {
            "nodes": self.nodes,
            "edges": self.edges,
            "most_cited": self.most_cited,
            "most_targeted": self.most_targeted,
            "related": self.related,
        }


def compute_stats(graph: nx.MultiDiGraph, top: int = 10) -> GraphStats:
    """Count nodes and edges by type and rank citations by citing clauses, metrics by targeting clauses."""
    nodes = Counter(d["type"] for _, d in graph.nodes(data=True))
    edges = Counter(d["type"] for _, _, d in graph.edges(data=True))
    cited: dict[str, set[str]] = {}
    targeted: dict[str, set[str]] = {}
    firm: Counter[str] = Counter()
    related = []
    for u, v, d in graph.edges(data=True):
        if d["type"] == "cites":
            cited.setdefault(v, set()).add(u)
        elif d["type"] == "targets":
            targeted.setdefault(v, set()).add(u)
            firm[v] += d.get("nature") == "firm"
        elif d["type"] == "related-to":
            related.append((-d["score"], graph.nodes[u]["ref"], graph.nodes[v]["ref"], d.get("terms", "")))

    def node(n: str) -> dict:
        return graph.nodes[n]

    most_cited = [
        {
            "citation": node(n)["ref"],
            "identifier": node(n).get("identifier", ""),
            "title": node(n).get("title", ""),
            "status": node(n).get("status", ""),
            "clauses": len(users),
        }
        for n, users in sorted(cited.items(), key=lambda kv: (-len(kv[1]), kv[0]))[:top]
    ]
    most_targeted = [
        {"metric": node(n)["ref"], "name": node(n).get("name", ""), "clauses": len(users), "firm_targets": firm[n]}
        for n, users in sorted(targeted.items(), key=lambda kv: (-len(kv[1]), kv[0]))[:top]
    ]
    strongest = [{"first": a, "second": b, "score": -s, "terms": t} for s, a, b, t in sorted(related)[:top]]
    return GraphStats(
        nodes={k: nodes[k] for k in sorted(nodes)},
        edges={k: edges[k] for k in sorted(edges)},
        most_cited=most_cited,
        most_targeted=most_targeted,
        related=strongest,
    )
