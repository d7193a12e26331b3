"""The knowledge graph: what depends on what, where standards agree or contradict, which citations are shaky.

`build_graph(corpus)` makes a networkx multi-digraph of standards, sections,
clauses, metrics, citations and store profiles; `check_graph` runs every
analysis on it. `servicekb.graph.export` writes GraphML and node-link JSON. Analyses take a
loaded corpus and never read files.
"""

from servicekb.graph.build import EDGE_TYPES, NODE_TYPES, build_graph, node_id
from servicekb.graph.check import check_graph

__all__ = [
    "EDGE_TYPES",
    "NODE_TYPES",
    "build_graph",
    "check_graph",
    "node_id",
]
