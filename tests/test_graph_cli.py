"""`servicekb graph check|stats|export|neighbours` and `servicekb search` as a user runs them."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import networkx as nx
import pytest
from typer.testing import CliRunner

import servicekb.cli.graph_cmd  # noqa: F401  (registers the commands until cli/__init__ imports it)
import servicekb.cli.search_cmd  # noqa: F401  (`servicekb search`)
from servicekb.cli import app

FIXTURE = Path(__file__).parent / "fixtures" / "graph" / "basic"
runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, list(args))


@pytest.fixture(scope="module")
def valid(tmp_path_factory) -> Path:
    """The fixture with its three deliberate errors repaired: every command but `graph check` refuses a broken
    corpus."""
    root = tmp_path_factory.mktemp("graph") / "basic"
    shutil.copytree(FIXTURE, root)
    alpha = root / "standards" / "alpha.yaml"
    text = alpha.read_text(encoding="utf-8")
    text = text.replace("references: [alpha#5.a, alpha#9.9]", "references: [alpha#5.a]")
    text = text.replace(
        "title: {zh: 服务创新, en: Service innovation}\n  status: body",
        "title: {zh: 服务创新, en: Service innovation}\n  status: toc-only",
    )
    alpha.write_text(text, encoding="utf-8")
    gamma = root / "standards" / "gamma.yaml"
    text = gamma.read_text(encoding="utf-8")
    text = text.replace(
        "    stage: training\n", "    stage: training\n    provenance: {seed: gamma.txt, quote: 案例教学}\n", 1
    )
    gamma.write_text(text, encoding="utf-8")
    return root


def test_commands_other_than_check_refuse_the_broken_fixture_with_its_located_errors():
    for args in (["graph", "stats"], ["graph", "neighbours", "beta#6.1.b"], ["search", "投诉"], ["graph", "export"]):
        result = run(*args, "--root", str(FIXTURE))
        assert result.exit_code == 1, args
        assert "standards/gamma.yaml:50:5: error[missing-provenance]" in result.output
        assert "nothing to" in result.output


def _corpus_with(tmp_path: Path, standard: str) -> Path:
    """A copy of the fixture catalogues with one hand-written standard."""
    (tmp_path / "standards").mkdir()
    for name in ("metrics.yaml", "citations.yaml"):
        shutil.copy(FIXTURE / "standards" / name, tmp_path / "standards" / name)
    (tmp_path / "standards" / "solo.yaml").write_text(standard, encoding="utf-8")
    return tmp_path


SOLO = """\
id: solo
title: {{zh: 单一标准, en: Solo}}
status: curated
source: {{seed: solo.txt, title: 单一标准}}
sections:
- number: "1"
  title: {{zh: 投诉, en: Complaints}}
  clauses:
{clauses}
"""
CLAUSE = """\
  - id: solo#1.{letter}
    text: 投诉应在{hours}小时内解决。
    kind: requirement
    modality: shall
    stage: complaint
    targets:
    - {{metric: complaint-resolution-time, comparator: "<=", value: {hours}, unit: hour, \
population: {{ticket_kind: complaint}}, quote: {hours}小时内解决}}
    provenance: {{seed: solo.txt, quote: 投诉应在{hours}小时内解决}}
"""


def test_check_reports_every_finding_and_fails_on_errors():
    result = run("graph", "check", "--root", str(FIXTURE))
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[-1] == "7 files checked: 3 errors, 10 warnings, 6 notes"
    assert any(
        line.startswith("standards/alpha.yaml:")
        and "warning[target-conflict]" in line
        and "complaint-resolution-time" in line
        for line in lines
    )
    assert any("note[target-agreement]" in line for line in lines)
    assert any(line.startswith("standards/gamma.yaml:50:5: error[missing-provenance]") for line in lines)


def test_check_json_carries_levels_and_structured_detail():
    result = run("graph", "check", "--root", str(FIXTURE), "--format", "json")
    data = json.loads(result.output)
    conflict = next(
        i for i in data["issues"] if i["code"] == "target-conflict" and i["value"]["metric"] == "customer-satisfaction"
    )
    assert conflict["level"] == "warning"
    assert [s["clause"] for s in conflict["value"]["sides"]] == ["alpha#1.1.a", "beta#1.2.a"]
    assert conflict["value"]["stricter"] == ["alpha#1.1.a"]
    assert {i["level"] for i in data["issues"]} == {"error", "warning", "note"}


@pytest.mark.parametrize(
    ("hours", "strict", "code"),
    [
        # a conflict is a warning: exit 0, or 1 with --strict
        ((48, 72), False, 0),
        ((48, 72), True, 1),
        # the same target twice in one standard is no finding at all
        ((48, 48), True, 0),
    ],
)
def test_check_exit_codes(tmp_path, hours, strict, code):
    clauses = "".join(CLAUSE.format(letter=chr(97 + i), hours=h) for i, h in enumerate(hours))
    # the other metrics of the catalogue are unused: only complaint-resolution-time is kept
    root = _corpus_with(tmp_path, SOLO.format(clauses=clauses))
    metrics = root / "standards" / "metrics.yaml"
    metrics.write_text(
        "metrics:\n- id: complaint-resolution-time\n  name: {zh: 投诉解决时间}\n"
        "  unit: hour\n  direction: lower_is_better\n",
        encoding="utf-8",
    )
    (root / "standards" / "citations.yaml").write_text("citations: []\n", encoding="utf-8")
    args = ["graph", "check", "--root", str(root)] + (["--strict"] if strict else [])
    result = run(*args)
    assert result.exit_code == code, result.output


def test_stats_counts_and_ranks(valid):
    result = run("graph", "stats", "--root", str(valid), "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data["nodes"]["clause"] == 29  # 28 in standards, 1 local to a store
    assert data["nodes"]["standard"] == 3 and data["nodes"]["store"] == 2
    # customer-satisfaction: alpha, beta, gamma (an example, not firm) and the store's own clause
    assert data["most_targeted"][0] == {
        "metric": "customer-satisfaction",
        "name": "客户满意度",
        "clauses": 4,
        "firm_targets": 3,
    }
    assert data["most_cited"][0]["clauses"] == 1
    text = run("graph", "stats", "--root", str(valid)).output
    assert text.startswith("nodes: citation 5, clause 29, metric 8, section ")


@pytest.mark.parametrize("fmt", ["graphml", "json"])
def test_export_to_a_file_loads_in_networkx(tmp_path, fmt, valid):
    out = tmp_path / f"kb.{fmt}"
    result = run("graph", "export", "--format", fmt, "-o", str(out), "--root", str(valid))
    assert result.exit_code == 0
    graph = (
        nx.read_graphml(out, force_multigraph=True)
        if fmt == "graphml"
        else nx.node_link_graph(json.loads(out.read_text(encoding="utf-8")))
    )
    assert "clause:beta#6.1.b" in graph


def test_export_to_an_unwritable_place_is_a_usage_error(tmp_path, valid):
    result = run("graph", "export", "-o", str(tmp_path / "missing" / "kb.graphml"), "--root", str(valid))
    assert result.exit_code == 2
    assert "cannot write" in result.output


def test_neighbours_of_a_clause_show_its_targets_and_section(valid):
    result = run("graph", "neighbours", "beta#6.1.b", "--root", str(valid))
    assert result.exit_code == 0
    assert "targets->      metric:complaint-resolution-time" in result.output
    assert "<= 48 hour" in result.output
    assert "<-contains     section:beta#6.1" in result.output


def test_neighbours_at_depth_two_reach_the_other_targeting_clauses(valid):
    result = run(
        "graph", "neighbours", "complaint-resolution-time", "--depth", "2", "--format", "json", "--root", str(valid)
    )
    data = json.loads(result.output)
    near = {n["ref"] for n in data["neighbours"] if n["distance"] == 1}
    assert near == {"alpha#2.2.a", "beta#6.1.b", "beta#6.2.b", "shop-one"}
    assert any(n["distance"] == 2 and n["ref"] == "beta#6.1" for n in data["neighbours"])


def test_neighbours_of_an_unknown_id_is_a_usage_error(valid):
    result = run("graph", "neighbours", "nope#1", "--root", str(valid))
    assert result.exit_code == 2
    assert "no clause, metric" in result.output


def test_search_prints_clause_section_and_snippet(valid):
    result = run("search", "合同法", "--root", str(valid))
    assert result.exit_code == 0
    assert result.output.splitlines()[0] == "beta#8.a  [8 售后纠纷]  退换货纠纷应依据《【合同法】》处理。"


def test_search_json_and_filters(valid):
    result = run("search", "投诉", "--standard", "alpha", "--format", "json", "--root", str(valid))
    hits = json.loads(result.output)["hits"]
    assert hits and all(h["standard"] == "alpha" for h in hits)


@pytest.mark.parametrize(
    "args",
    [
        ["search", "投诉", "--standard", "nope"],  # unknown standard
        ["search", "投诉", "--metric", "nope"],  # unknown metric
        ["search", "投诉", "--stage", "nope"],  # unknown stage
        ["search", "  "],  # empty query
    ],
)
def test_search_usage_errors(args, valid):
    result = run(*args, "--root", str(valid))
    assert result.exit_code == 2
    assert result.output.startswith("error: ")


def test_check_reports_files_that_do_not_load_instead_of_failing(tmp_path):
    root = _corpus_with(tmp_path, "id: solo\ntitle: {zh: 单一}\nsource: {seed: s.txt, title: 单一}\nsections: 3\n")
    result = run("graph", "check", "--root", str(root))
    assert result.exit_code == 1
    assert "standards/solo.yaml:4:11: error[wrong-type] sections:" in result.output
    assert "Traceback" not in result.output
