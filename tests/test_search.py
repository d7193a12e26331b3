"""Search over the fixture corpus: words however typed, synonyms, folding, ignored words, filters, bad input."""

from __future__ import annotations

from pathlib import Path

import pytest

from servicekb.graph.text import cut_words
from servicekb.loader import load_corpus
from servicekb.search import SearchIndex, build_index, render_index_script
from servicekb.search.language import load_language, parse_language

FIXTURE = Path(__file__).parent / "fixtures" / "graph" / "basic"


@pytest.fixture(scope="module")
def corpus():
    return load_corpus(FIXTURE, check=False).corpus


@pytest.fixture(scope="module")
def index(corpus):
    return SearchIndex(build_index(corpus))


def _ids(hits):
    return [h.id for h in hits]


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
        # English words match the English names of the metrics a clause targets
        ("complaint first response", {"alpha#2.2.a"}),
    ],
)
def test_best_hits(index, query, top):
    assert set(_ids(index.search(query))[: len(top)]) == top


def test_unsegmented_and_segmented_queries_find_the_same_clauses(index):
    assert set(_ids(index.search("客户投诉处理", limit=None))) == set(_ids(index.search("客户 投诉 处理", limit=None)))


def test_every_clause_is_found_by_each_of_its_words(corpus, index):
    for entry in corpus.iter_clauses():
        for word in cut_words(entry.clause.text):
            if any("\u4e00" <= ch <= "\u9fff" for ch in word) and len(word) >= 2 and word not in index.ignore:
                assert entry.clause.id in _ids(index.search(word, limit=None)), (word, entry.clause.id)


def test_snippet_marks_the_hit(index):
    (hit, *_) = index.search("合同法")
    assert hit.id == "beta#8.a"
    assert "【合同法】" in hit.snippet
    assert (hit.standard, hit.section, hit.section_title) == ("beta", "8", "售后纠纷")
    assert hit.page == "book/generated/standards/beta.html" and hit.anchor == "beta#8.a"


def test_a_hit_shows_its_targets_in_words(index):
    (hit, *_) = index.search("投诉多久响应")
    assert hit.id == "alpha#2.2.a"
    assert hit.targets == ["投诉首次响应时间 ≤ 24 小时", "投诉解决时间 ≤ 72 小时"]
    # the words of the query as the clause writes them, to mark on its page
    assert {"投诉", "响应"} <= set(hit.highlights)


@pytest.mark.parametrize(
    ("query", "first"),
    [
        # 顾客 and 用户 are the 客户 of alpha#1.1.a (客户满意度达到90%以上)
        ("顾客满意度", {"alpha#1.1.a"}),
        # the rule with its target beats gamma's example that literally says 用户满意度达到95%
        ("用户满意度达到多少", {"alpha#1.1.a"}),
        # 多久 asks for a time limit, 处理完 is 处理完毕: the two feedback deadlines (3 working days, 48 hours)
        ("客户反馈多久能处理完", {"alpha#1.1.b", "beta#1.3.a"}),
        # 答复 is 响应
        ("投诉最晚多久答复", {"alpha#2.2.a"}),
    ],
)
def test_a_managers_words_find_the_rule(index, query, first):
    assert set(_ids(index.search(query))[: len(first)]) == first


def test_traditional_characters_are_folded_to_simplified(index):
    assert index.terms("顧客投訴多久回覆") == index.terms("顾客投诉多久回复")
    assert _ids(index.search("顧客投訴處理")) == _ids(index.search("顾客投诉处理"))


def test_question_words_and_particles_are_ignored(index):
    assert index.terms("投诉要多少时间呢？") == index.terms("投诉 时间")
    assert index.terms("请问是否需要怎么样") == []
    assert index.terms("What is the complaint deadline?") == index.terms("complaint deadline")


def test_synonyms_are_one_term(index):
    assert index.terms("顾客") == index.terms("用户") == index.terms("客户") == index.terms("customers") == ["客户"]
    assert "客户" in index.terms("消费者")  # and 消费, a word of its own
    assert index.terms("换货") == index.terms("退货") == ["退货"]
    assert index.terms("答复") == index.terms("回复") == index.terms("回覆") == ["回复"]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        # only one standard
        ({"standard": "beta"}, {"beta#6.1.a", "beta#6.1.b", "beta#6.2.a", "beta#6.2.b"}),
        # only clauses with a target on a metric, and the metric itself
        (
            {"metric": "complaint-resolution-time"},
            {"alpha#2.2.a", "beta#6.1.b", "beta#6.2.b", "complaint-resolution-time"},
        ),
        # only a lifecycle stage
        ({"stage": "complaint", "standard": "gamma"}, {"gamma#2.a"}),
        # only the clauses in a store's effective standard (shop-one adopts alpha and beta, not gamma)
        ({"store": "shop-one", "standard": "gamma"}, set()),
    ],
)
def test_filters(index, filters, expected):
    assert set(_ids(index.search("投诉", limit=None, **filters))) == expected


def test_the_store_filter_keeps_the_effective_clauses(index):
    found = set(_ids(index.search("投诉", limit=None, store="shop-one")))
    assert found and all(i.startswith(("alpha#", "beta#")) for i in found)
    assert found == {i for i in _ids(index.search("投诉", limit=None)) if i.startswith(("alpha#", "beta#"))}


def test_no_match_is_an_empty_list(index):
    assert index.search("量子计算") == []


def test_results_are_ranked_and_limited(index):
    hits = index.search("投诉", limit=3)
    assert len(hits) == 3
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


@pytest.mark.parametrize(
    "query",
    [
        "",  # empty
        "   \t\n",  # blank
        "！？。，、；：“”‘’（）…—·《》【】!?.,;:'\"()[]{}<>/\\|@#$%^&*~`",  # punctuation only
        "😀🎉👍🏽 🇨🇳",  # emoji only
        "\x00\x1b\u200b\ufeff\u3000",  # control and invisible characters
    ],
)
def test_queries_without_words_find_nothing_without_error(index, query):
    assert index.terms(query) == []
    assert index.search(query) == []


@pytest.mark.parametrize(
    "query",
    [
        "投诉" * 5000,  # 10,000 characters
        "😀" * 10000,  # 10,000 astral characters
        "<script>alert(1)</script>投诉",  # HTML
        "```{code-cell} ipython3\nimport os\n```投诉",  # MyST code cell
        "{eval-rst}`.. raw:: html` 投诉",  # MyST role
        "顧客投诉 mixed 傳統 简体",  # mixed traditional and simplified
    ],
)
def test_hostile_or_huge_queries_are_text(index, query):
    hits = index.search(query)
    assert isinstance(hits, list)
    for hit in hits:
        assert "<script" not in hit.snippet


def test_the_index_is_deterministic_and_safe_as_a_script(corpus):
    first, second = build_index(corpus), build_index(corpus)
    assert render_index_script(first) == render_index_script(second)
    script = render_index_script(first)
    assert script.count("\n") == 2 and "\u2028" not in script and "\u2029" not in script


def test_the_language_data_loads_and_each_word_has_one_group():
    language = load_language()
    assert language.canonical("顾客") == language.canonical("消费者") == "客户"
    assert language.canonical("多久") == language.canonical("几天") == "时限"
    assert language.canonical("什么") is None
    with pytest.raises(ValueError, match="two synonym groups"):
        parse_language({"synonyms": [["回复", "答复"], ["响应", "答复"]]})
    with pytest.raises(ValueError, match="also synonyms"):
        parse_language({"synonyms": [["时限", "多久"]], "ignore": ["多久"]})


def test_metrics_citations_and_store_pages_are_found_too(index):
    (store, *_) = index.search("品牌基线")
    assert (store.id, store.type, store.page, store.anchor) == (
        "brand-base",
        "store",
        "book/generated/stores/brand-base.html",
        "store-brand-base",
    )
    kinds = {}
    for hit in index.search("合同法 投诉解决时间", limit=None):
        kinds.setdefault(hit.type, hit)  # the best of each type
    assert kinds["citation"].page == "book/generated/citations.html"
    assert kinds["metric"].anchor == "metric-complaint-resolution-time"
