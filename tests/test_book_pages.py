"""The generated pages (markdown, before Sphinx): anchors, structure, callouts both ways, catalogues, determinism."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from servicekb.book import ensure_sample, render_pages, write_pages
from servicekb.book.markdown import escape_text
from servicekb.loader import load_corpus

FIXTURE = Path(__file__).parent / "fixtures" / "book" / "repo"
DAY = dt.date(2026, 12, 31)


@pytest.fixture(scope="module")
def corpus():
    return load_corpus(FIXTURE).corpus


@pytest.fixture(scope="module")
def pages(corpus):
    return render_pages(corpus, FIXTURE, DAY)


def _blocks(page: str) -> dict[str, str]:
    """Label -> the markdown of its block: from its target line to the next target or the next heading after the first
    line.
    """
    found = {}
    for match in re.finditer(
        r"^\((?P<label>[^\n]+)\)=\n(?P<body>[^\n]*\n.*?)(?=^\([^\n]+\)=$|^#|\Z)", page, re.M | re.S
    ):
        found[match["label"]] = match["body"]
    return found


def test_every_clause_is_anchored_by_its_id_with_kind_and_modality(corpus, pages):
    for entry in corpus.iter_clauses():
        block = _blocks(pages[f"standards/{entry.standard_id}.md"])[entry.clause.id]
        first = block.splitlines()[0]
        assert first.startswith(f"**{escape_text(entry.clause.id)}**")
        assert entry.clause.kind.value in first and entry.clause.modality.value in first


def test_sections_keep_document_order_and_show_toc_only_and_cut_off(pages):
    page = pages["standards/evil.md"]
    headings = [line for line in page.splitlines() if line.startswith("## ")]
    assert headings[0].startswith("## 1 ") and headings[0].endswith("（原文中断）")
    assert headings[1].startswith("## 2 ") and headings[1].endswith("（仅见于目录）")
    assert "原文不完整 Source cut off" in page
    assert escape_text("$$ \\int x $$ 之后中断") in page


def test_targets_are_tabulated_under_their_clause(pages):
    block = _blocks(pages["standards/evil.md"])["evil#1.a"]
    row = next(line for line in block.splitlines() if line.startswith("| [投诉解决时间"))
    assert "≤ 72 小时" in row and "明确目标 firm" in row


def test_a_conflict_is_called_out_on_both_clauses_linking_each_other(pages):
    evil = _blocks(pages["standards/evil.md"])["evil#1.a"]
    calm = _blocks(pages["standards/calm.md"])["calm#1.a"]
    assert "目标冲突 Conflict" in evil and "(<#calm#1.a>)" in evil
    assert "目标冲突 Conflict" in calm and "(<#evil#1.a>)" in calm
    # Both callouts point at the same entry of the conflicts page, which exists.
    label = re.search(r"\(<#(target-conflict-[^>]+)>\)", evil)[1]
    assert f"(<#{label}>)" in calm
    assert f"({label})=" in pages["conflicts.md"]


def test_the_stricter_side_of_a_conflict_is_marked(pages):
    calm = _blocks(pages["standards/calm.md"])["calm#1.a"]
    mine = next(line for line in calm.splitlines() if line.startswith("| 本条 this clause"))
    assert "更严格 stricter" in mine


def test_citations_show_their_status_and_the_suspect_is_explained(pages):
    block = _blocks(pages["standards/evil.md"])["evil#1.a"]
    assert "可疑 suspect" in block and "(<#citation-evil-law>)" in block
    entry = _blocks(pages["citations.md"])["citation-evil-law"]
    assert escape_text(":::{danger} injected admonition") in entry
    assert "(<#evil#1.a>)" in entry


def test_see_also_links_a_related_clause_of_another_standard(pages):
    assert "参见 See also：[calm\\#1\\.a](<#calm#1.a>)" in _blocks(pages["standards/evil.md"])["evil#1.a"]


def test_each_metric_has_a_page_listing_its_clauses_standards_and_stores(pages):
    page = pages["metrics/complaint-resolution-time.md"]
    assert page.startswith("(metric-complaint-resolution-time)=\n# ")
    clauses = page[page.index("## 设定目标的条款") : page.index("## 门店")]
    assert "(<#evil#1.a>)" in clauses and "(<#calm#1.a>)" in clauses
    assert "(<#standard-evil>)" in clauses and "(<#standard-calm>)" in clauses
    assert "越低越好" in page
    # the store whose effective standard holds a target on it, with the store's own override
    stores = page[page.index("## 门店") :]
    assert "(<#store-evil-store>)" in stores and "≤ 24 小时" in stores
    # the catalogue links every metric's page
    assert "(<#metric-complaint-resolution-time>)" in pages["metrics.md"]


def test_requirement_index_has_one_row_per_target_and_per_requirement_without_one(corpus, pages):
    targets = sum(len(e.clause.targets) for e in corpus.iter_clauses())
    bare = sum(
        1
        for e in corpus.iter_clauses()
        if not e.clause.targets and e.clause.kind.value in ("requirement", "recommendation")
    )
    rows = [line for line in pages["requirements.md"].splitlines() if line.startswith("| [")]
    assert len(rows) == targets + bare
    # the filters of the page's script read these column names
    assert "| 条款 | 标准 | 阶段 | 类型 | 指标 | 要求 | 适用范围 | 性质 | 原文 |" in pages["requirements.md"]
    assert "::::{div} requirements-index" in pages["requirements.md"]


def test_the_knowledge_graph_tangle_is_gone(pages):
    assert "graph.md" not in pages


def test_generation_is_deterministic_and_rewrites_only_what_changed(corpus, pages, tmp_path):
    assert render_pages(corpus, FIXTURE, DAY) == pages
    assert write_pages(pages, tmp_path) == sorted(pages)
    assert write_pages(pages, tmp_path) == []
    (tmp_path / "stale.md").write_text("old", encoding="utf-8")
    changed = dict(pages)
    changed["metrics.md"] += "\nmore\n"
    assert write_pages(changed, tmp_path) == ["metrics.md", "stale.md"]
    assert not (tmp_path / "stale.md").exists()


@pytest.fixture(scope="module")
def sampled(tmp_path_factory):
    """The fixture repository with its sample data, and its pages (store pages with scorecards)."""
    root = tmp_path_factory.mktemp("book-pages") / "repo"
    shutil.copytree(FIXTURE, root)
    corpus = load_corpus(root).corpus
    ensure_sample(root, corpus, DAY)
    return root, render_pages(corpus, root, DAY)


def test_store_page_shows_each_target_with_where_it_comes_from(pages):
    page = pages["stores/evil-store.md"]
    row = next(line for line in page.splitlines() if line.startswith("| [投诉解决时间"))
    assert "≤ 24 小时" in row and "覆盖 override" in row and "收紧 tightened" in row
    provenance = page[page.index("## 每个数字的来源") :]
    assert "(<#calm#1.a>)" in provenance and "(<#evil#1.a>)" in provenance
    assert "较宽松 looser" in provenance and "选中 selected" in provenance
    assert escape_text("<script>alert('justification')</script>") in provenance


def test_store_page_links_its_traceability_matrix_at_the_top(pages):
    page = pages["stores/evil-store.md"]
    first_section = page[: page.index("\n## ")]
    assert "(<#trace-evil-store>)" in first_section
    trace = pages["trace/evil-store.md"]
    assert trace.startswith("(trace-evil-store)=\n# 追溯矩阵")
    assert "| 条款 | 目标 | 数字来源 | 最新结论 |" in trace
    # the overridden target names the override as where its number came from
    row = next(line for line in trace.splitlines() if "投诉解决时间" in line)
    assert "≤ 24 小时" in row and "门店配置" in row and "(<#store-evil-store>)" in row


def test_store_page_and_trace_page_name_merge_rules_and_overrides_in_the_same_words(corpus):
    """Both pages take the words of `servicekb.vocab`: a merge rule and an override read the same on either."""
    import dataclasses

    from servicekb.book.page_context import build_context
    from servicekb.book.store_page import render_store
    from servicekb.book.trace_page import render_trace
    from servicekb.tailoring import Resolver
    from servicekb.vocab import MERGE_RULE, OVERRIDE_CHANGE

    ctx = build_context(corpus)
    eff = Resolver(corpus, DAY).resolve("evil-store")
    overridden = next(t for t in eff.sorted_targets() if t.override is not None)
    assert (overridden.merge.rule, overridden.override.change) == ("stricter", "tightened")
    change = escape_text(OVERRIDE_CHANGE["tightened"])
    assert change in render_store(ctx, eff) and change in render_trace(ctx, eff, {})
    # Without its override, the trace page names the number's merge rule as the store page does.
    bare = dataclasses.replace(eff, targets={k: dataclasses.replace(t, steps=()) for k, t in eff.targets.items()})
    rule = escape_text(MERGE_RULE["stricter"])
    assert f"合并规则 Rule：{rule}" in render_store(ctx, bare)
    row = next(line for line in render_trace(ctx, bare, {}).splitlines() if "投诉解决时间" in line)
    assert f"（{rule}，另有 1 个候选）" in row


def test_a_metric_definition_names_its_kind_by_the_registry_title():
    from servicekb.book.catalogue_pages import describe_definition
    from servicekb.compliance.kinds import get_kind
    from servicekb.models.catalogue import DataTable, MetricDefinition, MetricKind

    # Every kind a catalogue can name (test modules may register toy kinds the models do not know).
    for kind in MetricKind:
        zh, _, en = (get_kind(kind.value).title or kind.value).partition(" ")
        # Only the kind matters here: the fields each kind requires are left out.
        definition = MetricDefinition.model_construct(kind=kind, table=next(iter(DataTable)))
        shown = describe_definition(definition)[0][1]
        assert shown == escape_text(zh) + (f" [{escape_text(en)}]{{.en}}" if en else "")


def test_store_page_anchors_its_local_clauses(pages):
    assert "(evil-store#1)=\n**evil\\-store\\#1**" in pages["stores/evil-store.md"]


def test_store_page_has_a_scorecard_with_a_chart_when_there_is_sample_data(sampled, pages):
    _, with_data = sampled
    page = with_data["stores/evil-store.md"]
    assert "## 评分卡 Scorecard" in page
    latest = page[page.index("### 最近一期") :]
    header = next(line for line in latest.splitlines() if line.startswith("| "))
    # the verdict is the first column, so that a phone shows it without scrolling sideways
    assert header.startswith("| 状态 |")
    assert any(
        line.startswith(("| 达标 |", "| **未达标** |", "| 无法判定 |", "| 无数据 |", "| 无法计算 |"))
        for line in latest.splitlines()
    )
    assert '<script type="application/json" id="chart-scorecard-' in page
    # the verdicts come before the long tables of targets and provenance
    assert page.index("## 评分卡") < page.index("## 有效目标")
    trace = with_data["trace/evil-store.md"]
    assert any(word in trace for word in ("：达标", "：**未达标**", "：无法判定", "：无数据", "：无法计算"))
    assert "## 评分卡 Scorecard" not in pages["stores/evil-store.md"]


def test_generation_does_not_depend_on_hash_order(sampled):
    root, with_data = sampled
    script = (
        "import datetime as dt, json, sys; from pathlib import Path; from servicekb.book import render_pages; "
        "from servicekb.loader import load_corpus; root = Path(sys.argv[1]); "
        "print(json.dumps(render_pages(load_corpus(root).corpus, root, dt.date.fromisoformat(sys.argv[2]))))"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    out = subprocess.run(
        [sys.executable, "-c", script, str(root), DAY.isoformat()], capture_output=True, text=True, env=env, check=True
    )
    assert json.loads(out.stdout) == with_data
