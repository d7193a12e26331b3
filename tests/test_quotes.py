"""A target's value, unit and comparator are read back from its own quote; clause ids agree with their section."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import ROOT

from servicekb.issues import Level
from servicekb.loader import load_corpus
from servicekb.models import Metric, Target
from servicekb.quotes import check_quote

LOWER = Metric.model_validate(
    {"id": "complaint-resolution-time", "name": {"zh": "投诉解决时长"}, "unit": "hour", "direction": "lower_is_better"}
)
HIGHER = Metric.model_validate(
    {"id": "return-request-window", "name": {"zh": "退换货申请期限"}, "unit": "day", "direction": "higher_is_better"}
)


def _target(
    quote: str, comparator: str, value: float, unit: str, upper: float | None = None, metric: str = "m"
) -> Target:
    return Target.model_validate(
        {"metric": metric, "comparator": comparator, "value": value, "upper": upper, "unit": unit, "quote": quote}
    )


@pytest.mark.parametrize(
    ("quote", "comparator", "value", "unit", "upper", "metric", "code"),
    [
        ("投诉处理需在24小时内响应", "<=", 24, "hour", None, LOWER, None),
        ("投诉处理需在24小时内响应", "<=", 48, "hour", None, LOWER, "quote-value-mismatch"),  # the reviewer's edit
        ("投诉处理需在24小时内响应", "<=", 1, "day", None, LOWER, None),  # 24 h = 1 day on the calendar clock
        ("投诉处理需在24小时内响应", "<=", 24, "minute", None, LOWER, "quote-unit-mismatch"),
        ("投诉处理需在24小时内响应", ">=", 24, "hour", None, LOWER, "quote-comparator-mismatch"),
        ("3个工作日内办结", "<=", 3, "day", None, LOWER, "quote-unit-mismatch"),  # a working day never converts
        (
            "保修期内报修8个工作小时内响应",
            "<=",
            8,
            "hour",
            None,
            LOWER,
            None,
        ),  # working hours are hours on the working-day clock
        ("超过48小时未解决", ">", 48, "hour", None, LOWER, None),  # 超过 is exclusive
        ("超过48小时未解决", ">=", 48, "hour", None, LOWER, "quote-comparator-mismatch"),
        ("2-4小时内上门", "between", 2, "hour", 4, LOWER, None),
        ("2-4小时内上门", "between", 2, "hour", 5, LOWER, "quote-value-mismatch"),
        ("七日内发现商品不符合质量要求,有权退货", ">=", 7, "day", None, HIGHER, None),  # a period granted
        ("七日内发现商品不符合质量要求,有权退货", "<=", 7, "day", None, HIGHER, "quote-comparator-mismatch"),
        ("应及时响应顾客", "<=", 24, "hour", None, LOWER, "quote-without-number"),
    ],
)
def test_quote_reading(quote, comparator, value, unit, upper, metric, code):
    mismatch = check_quote(_target(quote, comparator, value, unit, upper, metric.id), metric)
    assert (mismatch.code if mismatch else None) == code


def _copy_repo(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    for folder in ("standards", "stores"):
        shutil.copytree(ROOT / folder, repo / folder)
    return repo


def _errors(repo: Path, file: str) -> list:
    return [i for i in load_corpus(repo).issues if i.level is Level.error and i.file == file]


def test_editing_a_value_without_its_quote_is_an_error(tmp_path):
    repo = _copy_repo(tmp_path)
    path = repo / "standards" / "retail-guide.yaml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    # retail-guide#2.3.b: first response 24 h, quoted as 投诉处理需在24小时内响应
    start = next(i for i, line in enumerate(lines) if "id: retail-guide#2.3.b" in line)
    quote = next(i for i in range(start, len(lines)) if "quote: 投诉处理需在24小时内响应" in lines[i])
    value = max(i for i in range(start, quote) if lines[i].strip() == "value: 24")
    lines[value] = lines[value].replace("24", "48")
    path.write_text("".join(lines), encoding="utf-8")
    errors = _errors(repo, "standards/retail-guide.yaml")
    assert [(e.code, e.line, e.path.endswith(".value")) for e in errors] == [("quote-value-mismatch", value + 1, True)]
    assert "24" in errors[0].message and "48" in errors[0].message


def test_a_clause_id_outside_its_section_is_an_error(tmp_path):
    repo = _copy_repo(tmp_path)
    path = repo / "standards" / "apparel-retail-2025.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.count("id: apparel-retail-2025#1.1.a\n") == 1
    path.write_text(
        text.replace("id: apparel-retail-2025#1.1.a\n", "id: apparel-retail-2025#99.99.a\n"), encoding="utf-8"
    )
    errors = _errors(repo, "standards/apparel-retail-2025.yaml")
    assert [(e.code, e.value) for e in errors] == [("clause-section-mismatch", "apparel-retail-2025#99.99.a")]
    line = text.splitlines().index("    - id: apparel-retail-2025#1.1.a") + 1
    assert (errors[0].line, errors[0].path) == (line, "sections[0].sections[0].clauses[0].id")


def test_every_target_of_the_corpus_is_read_back_from_its_quote():
    corpus = load_corpus(ROOT, check=False).corpus
    unread = [
        (entry.clause.id, t.quote, m.code)
        for entry in corpus.iter_clauses()
        for t in entry.clause.targets
        if (m := check_quote(t, corpus.metrics.get(t.metric))) is not None
    ]
    assert unread == []
