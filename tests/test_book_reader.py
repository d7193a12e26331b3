"""What a store manager reads: honest conflict labels, one Chinese vocabulary, explained markers,
the store-profile reference, the change log, and validation messages that name the allowed keys."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from servicekb.book.changelog_page import list_tags, render_changelog
from servicekb.book.clause_block import is_same_population, make_side_rows
from servicekb.book.markers import MARKER, MARKER_LABEL, mark_text
from servicekb.book.page_context import build_context
from servicekb.book.pages import render_context_pages
from servicekb.book.profile_reference import render_profile_reference
from servicekb.book.vocab import describe_reason, name_holiday
from servicekb.issues import Issue, Level
from servicekb.loader import load_corpus
from servicekb.models import StoreProfile
from servicekb.types import Comparator, Unit
from servicekb.units import format_target

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def real_ctx():
    return build_context(load_corpus(ROOT).corpus)


@pytest.fixture(scope="module")
def real_pages(real_ctx):
    return render_context_pages(real_ctx)


def _blocks(page: str) -> list[str]:
    return re.split(r"^\(target-[a-z-]+-[0-9a-f]+\)=$", page, flags=re.M)[1:]


def test_conflicts_page_calls_a_side_stricter_only_when_both_share_one_population(real_ctx, real_pages):
    page = real_pages["conflicts.md"]
    marked = 0
    for block in _blocks(page):
        if "**更严格 stricter**" not in block:
            continue
        marked += 1
        populations = {row.split(" | ")[2] for row in block.splitlines() if row.startswith("| [")}
        assert len(populations) == 1, block
    assert marked >= 1, "the real corpus has same-population conflicts whose stricter side is marked"
    # The issue's examples: in store vs by phone, installation vs replacement are scope differences, side by side.
    scopes = page[page.index("## 适用范围不同") : page.index("## 多项标准一致")]
    assert "更严格 stricter" not in scopes
    assert "| 适用范围 |" in scopes and "范围 1" in scopes and "范围 2" in scopes


def test_a_finding_across_populations_marks_no_side_stricter(real_ctx):
    sides = [f for f in real_ctx.findings if f.code == "target-scope-difference" and f.value.get("stricter")]
    assert sides, "the real corpus has scope differences the graph can order"
    for finding in sides:
        assert not is_same_population(finding)
        assert not any("更严格" in cell for row in make_side_rows(real_ctx, finding) for cell in row)
    # a wider-vs-narrower conflict is a conflict, but neither side is stricter in general
    wider = Issue(
        "f.yaml",
        1,
        1,
        "target-conflict",
        "m",
        "p",
        Level.warning,
        {"relation": "wider", "stricter": ["a#1"], "sides": []},
    )
    assert not is_same_population(wider)


def test_conflicts_page_speaks_chinese_not_the_graph_messages(real_ctx, real_pages):
    page = real_pages["conflicts.md"]
    for finding in real_ctx.findings:
        if finding.code.startswith("target-"):
            assert finding.message not in page
    assert ">=" not in page and "<=" not in page
    assert "stricter:" not in page and "difference of scope" not in page


@pytest.mark.parametrize(
    "reason, expected",
    [
        ("the 95 % interval contains the target", "95 % 置信区间跨过目标值"),  # survey share undecided
        ("the metric has no definition over the operational data", "还没有基于运营数据的计算定义"),
        ("no surveys rows", "没有调查数据"),  # a pattern with the table's name
        ("empty values in 3 row(s)", "有 3 行数据缺少数值"),
        ("", ""),
    ],
)
def test_scorecard_reasons_are_said_in_chinese(reason, expected):
    said = describe_reason(reason, "inconclusive")
    assert expected in said
    assert not re.search(r"[A-Za-z]{3,} [A-Za-z]{3,}", said)


def test_an_unknown_reason_falls_back_to_the_verdict_not_to_english():
    assert describe_reason("something new in the engine", "fail") == "实际值未满足目标。"


def test_holidays_and_comparators_in_words():
    assert name_holiday("National Day") == "国庆节"
    assert name_holiday("Spring Festival") == "春节"
    assert format_target(Comparator.ge, 90, None, Unit.percent, style="zh-words") == "不低于 90 %"
    assert format_target(Comparator.le, 48, None, Unit.hour, style="zh-words") == "不超过 48 小时"


def test_the_garbled_marker_links_to_its_glossary_entry_with_a_tooltip():
    shown = mark_text(f"确{MARKER}客户<b>")
    assert f"(<#{MARKER_LABEL}>)" in shown and "{abbr}`〔乱码〕 (" in shown
    assert "\\<b\\>" in shown  # the rest stays escaped
    glossary = (ROOT / "book" / "glossary.md").read_text(encoding="utf-8")
    assert f"({MARKER_LABEL})=" in glossary and "乱码 garbled text" in glossary


def test_the_garbled_marker_is_never_a_see_also_keyword(real_pages):
    for name, page in real_pages.items():
        for line in page.splitlines():
            if line.startswith("参见 See also"):
                assert "乱码" not in line, (name, line)
    shown = sum(page.count(f"(<#{MARKER_LABEL}>)") for page in real_pages.values())
    raw = sum(page.count(MARKER) for page in real_pages.values())
    assert shown >= 1 and shown == raw  # every marker on a page is explained, none left bare


def _schema_keys(schema: dict) -> set[tuple[str, str]]:
    keys = {("StoreProfile", k) for k in schema["properties"]}
    for name, spec in schema.get("$defs", {}).items():
        keys |= {(name, k) for k in spec.get("properties", {})}
    return keys


def test_profile_reference_explains_every_key_of_the_schema_with_an_example():
    page = render_profile_reference()
    schema = StoreProfile.model_json_schema()
    for obj, key in _schema_keys(schema):
        if obj in (
            "StoreProfile",
            "Selector",
            "Override",
            "Population",
            "OpeningHours",
            "Clause",
            "Target",
            "CitationRef",
            "Provenance",
        ):
            assert f"| `{key}` |" in page, (obj, key)
    # allowed values of enums, with their Chinese words
    assert "`after-sale` 售后" in page and "`working_days` 工作日" in page
    assert "```yaml" in page and "exclude:" in page


def test_changelog_says_there_are_no_tags_rather_than_inventing(tmp_path):
    page = render_changelog(tmp_path, __import__("datetime").date(2026, 12, 1))
    assert list_tags(tmp_path) == []
    assert "还没有任何标签" in page and "git tag" in page


@pytest.mark.skipif(shutil.which("git") is None, reason="git is part of the review workflow")
def test_changelog_lists_changes_between_neighbouring_tags(tmp_path):
    import datetime as dt

    repo = tmp_path / "repo"
    shutil.copytree(ROOT / "tests" / "fixtures" / "book" / "repo", repo)
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.com"]
    subprocess.run([*git, "init", "-q"], cwd=repo, check=True)
    subprocess.run([*git, "add", "-A"], cwd=repo, check=True)
    subprocess.run([*git, "commit", "-qm", "v1"], cwd=repo, check=True)
    subprocess.run([*git, "tag", "v1"], cwd=repo, check=True)
    calm = repo / "standards" / "calm.yaml"
    calm.write_text(calm.read_text(encoding="utf-8").replace("value: 48", "value: 24"), encoding="utf-8")
    subprocess.run([*git, "commit", "-qam", "v2"], cwd=repo, check=True)
    subprocess.run([*git, "tag", "v2"], cwd=repo, check=True)
    page = render_changelog(repo, dt.date(2026, 12, 1))
    assert "## v1 → v2" in page
    assert "目标收紧" in page and "calm\\#1\\.a" in page


@pytest.mark.parametrize(
    "yaml_text, path, expected",
    [
        # a selector written as a bare id: the message names the keys a selector takes
        (
            "exclude:\n  - retail-guide#1.1\n",
            "exclude[0]",
            "expected a mapping with the keys clause, section, stage, tag",
        ),
        # a misspelt key of an override names every key an override takes
        (
            "overrides:\n  - {metric: m, comparator: '<=', value: 1, unit: hour, clok: calendar}\n",
            "overrides[0].clok",
            "allowed keys: approved_on, approver, clock, comparator",
        ),
    ],
)
def test_validation_names_the_allowed_keys(tmp_path, yaml_text, path, expected):
    root = tmp_path / "repo"
    shutil.copytree(ROOT / "tests" / "fixtures" / "book" / "repo", root)
    (root / "stores" / "x.yaml").write_text(
        f"id: x\nname: 测试\ntimezone: Asia/Shanghai\nadopts: [calm]\n{yaml_text}", encoding="utf-8"
    )
    issues = [i for i in load_corpus(root).issues if i.file == "stores/x.yaml"]
    assert any(i.path == path and expected in i.message for i in issues), [str(i) for i in issues]
