"""GraphML and node-link JSON exports round-trip without loss."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pytest

from servicekb.graph import build_graph
from servicekb.graph.export import GraphFormat, graph_to_text, read_graph
from servicekb.loader import load_corpus

FIXTURE = Path(__file__).parent / "fixtures" / "graph" / "basic"


@pytest.fixture(scope="module")
def graph():
    return build_graph(load_corpus(FIXTURE, check=False).corpus)


@pytest.mark.parametrize("fmt", list(GraphFormat))
def test_round_trip_keeps_nodes_edges_keys_and_attribute_types(graph, fmt):
    back = read_graph(graph_to_text(graph, fmt), fmt)
    assert isinstance(back, nx.MultiDiGraph)
    assert dict(back.nodes(data=True)) == dict(graph.nodes(data=True))
    assert sorted(back.edges(keys=True, data=True)) == sorted(graph.edges(keys=True, data=True))
    # types survive: floats stay floats, booleans stay booleans
    data = back.get_edge_data("clause:gamma#3.c", "metric:repair-response-time", "targets:0")
    assert data["value"] == 24.0 and isinstance(data["value"], float)
    assert data["in_warranty"] is True


def test_json_loads_in_plain_networkx(graph):
    back = nx.node_link_graph(json.loads(graph_to_text(graph, GraphFormat.json)))
    assert back.is_directed() and back.is_multigraph()
    assert back.number_of_edges() == graph.number_of_edges()
    assert back.nodes["clause:alpha#2.2.a"]["ref"] == "alpha#2.2.a"


def test_graphml_is_readable_by_networkx_from_a_file(graph, tmp_path):
    path = tmp_path / "kb.graphml"
    path.write_text(graph_to_text(graph, GraphFormat.graphml), encoding="utf-8")
    back = nx.read_graphml(path, force_multigraph=True)
    assert back.nodes["metric:customer-satisfaction"]["name"] == "客户满意度"


@pytest.mark.parametrize("fmt", list(GraphFormat))
def test_export_is_deterministic(graph, fmt):
    again = build_graph(load_corpus(FIXTURE, check=False).corpus)
    assert graph_to_text(graph, fmt) == graph_to_text(again, fmt)
