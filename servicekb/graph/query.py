"""Looking things up in the graph: a node by its bare id, and what it touches."""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx

from servicekb.graph.build import NODE_TYPES, node_id

__all__ = ["Neighbour", "find_nodes", "neighbours"]


@dataclass(frozen=True)
class Neighbour:
    """A node reached from the start, how far, and the edge that reached it (`->` out, `<-` in, `~` related)."""

    node: str
    distance: int
    via: str
    edge: str
    direction: str
    attrs: dict

    def to_dict(self, graph: nx.MultiDiGraph) -> dict:
        """Plain data for `--format json`."""
        data = graph.nodes[self.node]
        return {
            "node": self.node,
            "type": data["type"],
            "ref": data["ref"],
            "label": data.get("label", ""),
            "distance": self.distance,
            "via": self.via,
            "edge": self.edge,
            "direction": self.direction,
            "edge_attributes": self.attrs,
        }


def find_nodes(graph: nx.MultiDiGraph, ident: str) -> list[str]:
    """Node ids matching `ident`: a full node id (`metric:csi-score`) or a bare id of any type."""
    if ident in graph:
        return [ident]
    return [node_id(kind, ident) for kind in NODE_TYPES if node_id(kind, ident) in graph]


def neighbours(graph: nx.MultiDiGraph, start: str, depth: int = 1) -> list[Neighbour]:
    """Every node within `depth` edges of `start`, whichever way the edges point, nearest first."""
    seen = {start}
    frontier = [start]
    found: list[Neighbour] = []
    for distance in range(1, depth + 1):
        nxt = []
        for here in frontier:
            steps = [(v, d, "->") for _, v, d in graph.out_edges(here, data=True)]
            steps += [(u, d, "<-") for u, _, d in graph.in_edges(here, data=True)]
            for other, data, direction in sorted(steps, key=lambda s: (s[1]["type"], s[0], s[2])):
                if other in seen:
                    continue
                seen.add(other)
                nxt.append(other)
                attrs = {k: v for k, v in data.items() if k != "type"}
                # related-to is symmetric: stored once, shown without a direction.
                way = "~" if data["type"] == "related-to" else direction
                found.append(Neighbour(other, distance, here, data["type"], way, attrs))
        frontier = nxt
    return found
