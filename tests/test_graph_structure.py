"""Structural findings: reused validate checks, reference cycles, unused metrics."""

from __future__ import annotations

from pathlib import Path

import pytest

from servicekb.graph import build_graph, check_graph
from servicekb.graph.structure import find_reference_cycles
from servicekb.loader import load_corpus

FIXTURE = Path(__file__).parent / "fixtures" / "graph" / "basic"


@pytest.fixture(scope="module")
def loaded():
    return load_corpus(FIXTURE, check=False)


@pytest.fixture(scope="module")
def findings(loaded):
    return check_graph(build_graph(loaded.corpus, related=False), loaded.corpus, loaded.documents)


@pytest.mark.parametrize(
    ("code", "level", "file", "line", "path"),
    [
        # reused from validate: the same code, line and path
        ("dangling-reference", "error", "standards/alpha.yaml", 115, "sections[4].clauses[1].references[1]"),
        ("empty-section", "error", "standards/alpha.yaml", 117, "sections[5]"),
        ("missing-provenance", "error", "standards/gamma.yaml", 50, "sections[2].clauses[0]"),
        # added by the graph
        ("reference-cycle", "warning", "standards/alpha.yaml", 108, "sections[4].clauses[0].references[0]"),
        ("unused-metric", "warning", "standards/metrics.yaml", 30, "metrics[7].id"),
    ],
)
def test_structure_findings(findings, code, level, file, line, path):
    assert [(f.level.value, f.file, f.line, f.path) for f in findings if f.code == code] == [(level, file, line, path)]


def test_reused_findings_match_validate(loaded, findings):
    validated = load_corpus(FIXTURE)
    codes = {"dangling-reference", "empty-section", "missing-provenance"}
    assert {(i.file, i.line, i.col, i.code, i.message) for i in validated.issues if i.code in codes} == {
        (f.file, f.line, f.col, f.code, f.message) for f in findings if f.code in codes
    }


def test_cycle_names_its_clauses(loaded):
    graph = build_graph(loaded.corpus, related=False)
    assert find_reference_cycles(graph) == [["alpha#5.a", "alpha#5.b"]]


def test_only_untargeted_metrics_are_unused(findings):
    # seven metrics of the catalogue are targeted by some clause; training-coverage by none
    assert [f.value for f in findings if f.code == "unused-metric"] == ["training-coverage"]
