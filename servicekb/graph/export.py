"""Writing and reading the graph: GraphML (Gephi, yEd) and node-link JSON (networkx, d3).

Both round-trip without loss because `build_graph` keeps every attribute a
plain scalar; `read_graph` restores a `MultiDiGraph` equal to the one
written, keys and attribute types included.
"""

from __future__ import annotations

import io
import json
from enum import Enum

import networkx as nx

__all__ = ["GraphFormat", "graph_to_text", "read_graph"]


class GraphFormat(str, Enum):
    """Export formats."""

    graphml = "graphml"
    json = "json"


def graph_to_text(graph: nx.MultiDiGraph, fmt: GraphFormat) -> str:
    """The graph serialised as GraphML or node-link JSON (deterministic for the same graph)."""
    if fmt is GraphFormat.json:
        data = nx.node_link_data(graph, edges="edges")
        return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    buffer = io.BytesIO()
    nx.write_graphml(graph, buffer, encoding="utf-8", prettyprint=True, named_key_ids=True)
    return buffer.getvalue().decode("utf-8")


def read_graph(text: str, fmt: GraphFormat) -> nx.MultiDiGraph:
    """Read back what `graph_to_text` wrote."""
    if fmt is GraphFormat.json:
        return nx.node_link_graph(json.loads(text), directed=True, multigraph=True, edges="edges")
    return nx.read_graphml(io.BytesIO(text.encode("utf-8")), force_multigraph=True)
