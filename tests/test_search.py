"""Full-text search over clauses: Chinese with or without spaces, English titles, filters."""

from __future__ import annotations

from pathlib import Path

import pytest

from servicekb.graph.search import SearchIndex
from servicekb.graph.text import cut_words
from servicekb.loader import load_corpus

FIXTURE = Path(__file__).parent / "fixtures" / "graph" / "basic"


@pytest.fixture(scope="module")
def corpus():
    return load_corpus(FIXTURE, check=False).corpus


@pytest.fixture(scope="module")
def index(corpus):
    return SearchIndex(corpus)


def _ids(hits):
    return [h.clause for h in hits]


@pytest.mark.parametrize(
    ("query", "top"),
    [
        # unsegmented and segmented Chinese find the same clauses first: the one that
        # says 投诉分类 and the one in the section titled 投诉分类与处理流程
        ("投诉分类", {"alpha#2.1.a", "beta#6.1.a"}),
        ("投诉 分类", {"alpha#2.1.a", "beta#6.1.a"}),
        ("个人信息加密", {"alpha#4.1.a", "beta#5.1.a"}),
        # a phrase that occurs verbatim wins
        ("退换货纠纷", {"beta#8.a"}),
        # English words match the English section titles (Customer data protection, Data protection)
        ("data protection", {"alpha#4.1.a", "beta#5.1.a"}),
        ("repairs", {"gamma#3.a", "gamma#3.b", "gamma#3.c"}),
    ],
)
def test_best_hits(index, query, top):
    assert set(_ids(index.search(query))[: len(top)]) == top


def test_unsegmented_and_segmented_queries_find_the_same_clauses(index):
    assert set(_ids(index.search("客户投诉处理", limit=None))) == set(_ids(index.search("客户 投诉 处理", limit=None)))


def test_every_clause_is_found_by_each_of_its_words(corpus, index):
    for entry in corpus.iter_clauses():
        for word in cut_words(entry.clause.text):
            if any("\u4e00" <= ch <= "\u9fff" for ch in word):
                assert entry.clause.id in _ids(index.search(word, limit=None)), (word, entry.clause.id)


def test_snippet_marks_the_hit(index):
    (hit, *_) = index.search("合同法")
    assert hit.clause == "beta#8.a"
    assert "【合同法】" in hit.snippet
    assert (hit.standard, hit.section, hit.section_title) == ("beta", "8", "售后纠纷")


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        # only one standard
        ({"standard": "beta"}, {"beta#6.1.a", "beta#6.1.b", "beta#6.2.a", "beta#6.2.b"}),
        # only clauses with a target on a metric
        ({"metric": "complaint-resolution-time"}, {"alpha#2.2.a", "beta#6.1.b", "beta#6.2.b"}),
        # only a lifecycle stage
        ({"stage": "complaint", "standard": "gamma"}, {"gamma#2.a"}),
    ],
)
def test_filters(index, filters, expected):
    assert set(_ids(index.search("投诉", limit=None, **filters))) == expected


def test_no_match_is_an_empty_list(index):
    assert index.search("量子计算") == []


def test_results_are_ranked_and_limited(index):
    hits = index.search("投诉", limit=3)
    assert len(hits) == 3
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
