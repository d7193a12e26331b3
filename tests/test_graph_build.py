"""The graph built from a corpus: nodes, typed edges, plain attributes."""

from __future__ import annotations

from pathlib import Path

import pytest

from servicekb.corpus import Corpus, FileKey
from servicekb.graph import EDGE_TYPES, NODE_TYPES, build_graph
from servicekb.graph.build import section_key
from servicekb.loader import load_corpus
from servicekb.models import Clause, Section, Source, Standard
from servicekb.models.base import LocalizedText

FIXTURE = Path(__file__).parent / "fixtures" / "graph" / "basic"


@pytest.fixture(scope="module")
def graph():
    return build_graph(load_corpus(FIXTURE, check=False).corpus)


def _edges(graph, kind):
    return {(u, v) for u, v, d in graph.edges(data=True) if d["type"] == kind}


def test_every_node_and_edge_has_a_known_type(graph):
    assert {d["type"] for _, d in graph.nodes(data=True)} == set(NODE_TYPES)
    assert {d["type"] for _, _, d in graph.edges(data=True)} <= set(EDGE_TYPES)


def test_attributes_are_plain_scalars(graph):
    # GraphML cannot carry None or lists: the export would lose them.
    values = [v for _, d in graph.nodes(data=True) for v in d.values()]
    values += [v for _, _, d in graph.edges(data=True) for v in d.values()]
    assert all(isinstance(v, (str, int, float, bool)) for v in values)


@pytest.mark.parametrize(
    ("kind", "source", "target"),
    [
        # a standard contains its chapters, chapters their sections, sections their clauses
        ("contains", "standard:alpha", "section:alpha#1"),
        ("contains", "section:alpha#1", "section:alpha#1.1"),
        ("contains", "section:alpha#1.1", "clause:alpha#1.1.a"),
        # a target links a clause to its metric
        ("targets", "clause:alpha#2.2.a", "metric:complaint-resolution-time"),
        # a clause cites a catalogue entry
        ("cites", "clause:beta#6.1.b", "citation:iso-9001"),
        # clause references
        ("refers-to", "clause:alpha#5.a", "clause:alpha#5.b"),
        # store profiles: adoption, inheritance, overrides, local clauses
        ("adopts", "store:shop-one", "standard:beta"),
        ("extends", "store:shop-one", "store:brand-base"),
        ("overrides", "store:shop-one", "metric:complaint-resolution-time"),
        ("contains", "store:shop-one", "clause:shop-one#1"),
        ("refers-to", "clause:shop-one#1", "clause:alpha#1.1.a"),
        # related clauses of different standards (see test_graph_related for the measure)
        ("related-to", "clause:alpha#2.1.a", "clause:beta#6.1.a"),
    ],
)
def test_typed_edges(graph, kind, source, target):
    assert (source, target) in _edges(graph, kind)


def test_a_clause_targeting_two_metrics_has_one_keyed_edge_per_target(graph):
    keys = sorted(
        k for _, _, k, d in graph.out_edges("clause:alpha#2.2.a", keys=True, data=True) if d["type"] == "targets"
    )
    assert keys == ["targets:0", "targets:1"]
    data = graph.get_edge_data("clause:alpha#2.2.a", "metric:complaint-resolution-time", "targets:1")
    assert (data["comparator"], data["value"], data["unit"], data["ticket_kind"]) == ("<=", 72.0, "hour", "complaint")


def test_dangling_references_do_not_become_nodes(graph):
    # alpha#5.b refers to alpha#9.9, which does not exist: validate reports it, the graph leaves it out.
    assert "clause:alpha#9.9" not in graph
    assert all("type" in d for _, d in graph.nodes(data=True))


def test_clause_nodes_know_their_standard_section_and_place(graph):
    data = graph.nodes["clause:beta#6.1.b"]
    assert (data["ref"], data["standard"], data["section"], data["stage"]) == (
        "beta#6.1.b",
        "beta",
        "beta#6.1",
        "complaint",
    )
    assert data["file"] == "standards/beta.yaml"
    assert data["path"] == "sections[4].sections[0].clauses[1]"


@pytest.mark.parametrize(
    ("number", "parent", "key"),
    [
        ("1", None, "1"),  # a chapter keeps its number
        ("1.2", "1", "1.2"),  # dotted numbers already carry their parent
        ("(一)", "二", "二.(一)"),  # the textile standard restarts (一) in every chapter
        ("1", "二.(一)", "二.(一).1"),  # and 1. in every subsection
    ],
)
def test_section_keys_are_unique_inside_a_standard(number, parent, key):
    assert section_key(number, parent) == key


def test_textile_style_numbering_gives_distinct_section_nodes():
    def clause(cid):
        return Clause(id=cid, text="文本", kind="requirement", modality="shall", stage="general")

    def section(number, **kw):
        return Section(number=number, title=LocalizedText(zh="节"), **kw)

    std = Standard(
        id="tex",
        title=LocalizedText(zh="标准"),
        source=Source(seed="t.txt", title="标准"),
        sections=[
            section("一", sections=[section("(一)", clauses=[clause("tex#一.(一).1")])]),
            section("二", sections=[section("(一)", clauses=[clause("tex#二.(一).1")])]),
        ],
    )
    g = build_graph(
        Corpus(standards={"tex": std}, files={FileKey.standard("tex"): "standards/tex.yaml"}), related=False
    )
    assert ("section:tex#一.(一)", "clause:tex#一.(一).1") in _edges(g, "contains")
    assert ("section:tex#二.(一)", "clause:tex#二.(一).1") in _edges(g, "contains")
