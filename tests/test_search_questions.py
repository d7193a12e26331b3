"""The team's question set on the real corpus: managers' questions answered by the clause itself (issue 14).

The ranking tested here is the one `servicekb search` prints and the
handbook shows (same index, same scoring; the browser test checks that the
handbook ranks the questions exactly like this).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from servicekb.cli import _register, app
from servicekb.loader import load_corpus
from servicekb.search import SearchIndex, build_index, render_index_script
from servicekb.search.quality import load_questions, score_questions

ROOT = Path(__file__).resolve().parents[1]
QUESTIONS = load_questions(ROOT / "tests" / "fixtures" / "search" / "questions.yaml")
_register()
COMPLAINT_DEADLINES = {"retail-guide#2.3.b", "retail-guide#6.1.c", "retail-guide#6.2.b", "apparel-retail-2025#2.4.3.b"}


@pytest.fixture(scope="module")
def corpus():
    return load_corpus(ROOT).corpus


@pytest.fixture(scope="module")
def data(corpus):
    return build_index(corpus)


@pytest.fixture(scope="module")
def index(data):
    return SearchIndex(data)


def _top(index, query, k):
    return [h.id for h in index.search(query, limit=k)]


def test_the_question_set_is_real(corpus):
    assert len(QUESTIONS) >= 40
    for question in QUESTIONS:
        assert question.answers and set(question.answers) <= set(corpus.clauses), question.q


def test_95_percent_of_the_questions_are_answered_in_the_top_3(index):
    scored = score_questions(QUESTIONS, lambda q: _top(index, q, 5))
    missed = [(q.q, r) for q, r in scored.misses(3)]
    assert scored.rate(3) >= 0.95, missed


@pytest.mark.parametrize(
    ("query", "answers", "k"),
    [
        # the issue's examples: each finds its clause first or second
        ("顾客投诉最晚多久答复", COMPLAINT_DEADLINES, 2),
        ("换货几天能办好", {"apparel-retail-2025#5.2.2.e"}, 2),
        ("网上咨询要等多久", {"home-furnishing-aftersales#3.2.f", "textile-enterprise#二.(二).1"}, 2),
        ("顾客反馈多久要回复", {"retail-guide#1.5.c"}, 2),
        ("How soon must complaints be answered?", COMPLAINT_DEADLINES, 2),
        # "投诉处理时限" ranked the 24 h / 48 h clause fourth
        ("投诉处理时限", {"retail-guide#2.3.b", "retail-guide#6.2.b"}, 2),
        # "客户投诉处理" showed no retail-guide clause in the top six
        ("客户投诉处理", {c for c in COMPLAINT_DEADLINES if c.startswith("retail-guide#")} | {"retail-guide#2.3.a"}, 6),
    ],
)
def test_the_issues_examples_find_their_clause(index, query, answers, k):
    assert set(_top(index, query, k)) & answers, _top(index, query, k)


def test_a_rule_with_a_target_outranks_statistics_for_the_same_words(index, corpus):
    (first, *_) = index.search("客户满意度")
    clause = corpus.clauses[first.id].clause
    assert clause.kind.value == "requirement" and clause.targets


def test_the_command_line_prints_this_ranking(index):
    query = QUESTIONS[0].q
    result = CliRunner().invoke(app, ["search", query, "--format", "json", "--limit", "5", "--root", str(ROOT)])
    assert result.exit_code == 0, result.output
    assert [h["id"] for h in json.loads(result.output)["hits"]] == _top(index, query, 5)


@pytest.mark.parametrize("query", ["！？。", "😀😀", "<b>投诉</b>" * 2000])
def test_the_command_line_answers_bad_queries_without_a_traceback(query):
    result = CliRunner().invoke(app, ["search", query, "--root", str(ROOT)])
    assert result.exit_code == 0 and result.exception is None, result.output
    assert "no results" in result.output or "result" in result.output.splitlines()[-1]


def test_the_store_filter_keeps_a_stores_effective_clauses(index, data):
    store = "hz-home-living"
    effective = set(data["stores"][store]["clauses"])
    hits = index.search("投诉", store=store, limit=None)
    assert hits and {h.id for h in hits} <= effective
    assert len(hits) < len(index.search("投诉", limit=None))


def test_the_index_adds_at_most_2_mb_to_the_site(data):
    assert len(render_index_script(data).encode("utf-8")) <= 2 * 1024 * 1024
