"""Related clauses: complaint handling finds complaint handling, and nothing unrelated."""

from __future__ import annotations

from pathlib import Path

import pytest

from servicekb.corpus import Corpus
from servicekb.graph.related import THRESHOLD, find_related, similarity_matrix
from servicekb.loader import load_corpus
from servicekb.models import Clause, Section, Source, Standard
from servicekb.models.base import LocalizedText

FIXTURE = Path(__file__).parent / "fixtures" / "graph" / "basic"


@pytest.fixture(scope="module")
def pairs():
    return {(p.first, p.second): p for p in find_related(load_corpus(FIXTURE, check=False).corpus)}


@pytest.mark.parametrize(
    ("a", "b"),
    [
        # complaint classification in the apparel-style and retail-guide-style standards
        ("alpha#2.1.a", "beta#6.1.a"),
        # feeding the result of a complaint back to the customer
        ("alpha#2.1.b", "beta#6.2.a"),
        # training methods, in three standards
        ("alpha#1.2.a", "beta#1.1.a"),
        ("alpha#1.2.a", "gamma#4.a"),
        # display layout, and the protection of customer data (客户 and 顾客 are one word)
        ("alpha#3.1.a", "beta#3.1.a"),
        ("alpha#4.1.a", "beta#5.1.a"),
    ],
)
def test_clauses_about_the_same_thing_are_related(pairs, a, b):
    assert (a, b) in pairs
    assert pairs[(a, b)].score >= THRESHOLD
    assert pairs[(a, b)].terms


@pytest.mark.parametrize(
    ("a", "b"),
    [
        # complaint handling is not display, training or data protection
        ("alpha#2.1.a", "beta#3.1.a"),
        ("alpha#2.1.b", "beta#1.1.a"),
        ("alpha#2.2.a", "beta#5.1.a"),
        ("alpha#3.1.a", "beta#6.1.a"),
        # satisfaction targets are not repair deadlines
        ("alpha#1.1.a", "gamma#3.a"),
        ("alpha#4.1.a", "gamma#3.c"),
    ],
)
def test_unrelated_clauses_are_not(pairs, a, b):
    assert (a, b) not in pairs


def test_only_clauses_of_different_standards_are_related(pairs):
    assert pairs
    assert all(a.split("#")[0] != b.split("#")[0] for a, b in pairs)


def test_pairs_are_ordered_best_first():
    scores = [p.score for p in find_related(load_corpus(FIXTURE, check=False).corpus)]
    assert scores == sorted(scores, reverse=True)


def test_words_in_most_clauses_and_words_in_one_clause_are_not_compared():
    # 门店 is in four clauses of five: it would relate everything to everything;
    # 工牌 is in one clause: it cannot relate two clauses.
    documents = [
        ["门店", "员工", "着装"],
        ["门店", "员工", "工牌"],
        ["门店", "库存", "盘点"],
        ["门店", "库存", "核对"],
        ["会员", "积分", "盘点"],
    ]
    _, vocabulary = similarity_matrix(documents, max_df=0.5)
    assert vocabulary == sorted(["员工", "库存", "盘点"])


def test_clauses_with_too_few_words_are_not_compared():
    def standard(sid: str, text: str) -> Standard:
        clause = Clause(id=f"{sid}#1.a", text=text, kind="requirement", modality="shall", stage="general")
        return Standard(
            id=sid,
            title=LocalizedText(zh="标准"),
            source=Source(seed="s.txt", title="标准"),
            sections=[Section(number="1", title=LocalizedText(zh="要求"), clauses=[clause])],
        )

    # one shared word would give a cosine of 1.0
    corpus = Corpus(
        standards={"a": standard("a", "投诉登记"), "b": standard("b", "投诉登记"), "c": standard("c", "陈列布局")}
    )
    assert find_related(corpus) == []
