"""Findings of the graph on the real corpus, pinned after reading each against the sources.

If a curator changes a target, a population or a citation status, these
tests say which finding moved; update them only after checking the new
finding against the seed text.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest

from servicekb.graph import build_graph, check_graph
from servicekb.graph.text import cut_words
from servicekb.loader import load_corpus
from servicekb.search import SearchIndex, build_index

ROOT = Path(__file__).resolve().parents[1]
APPAREL, GUIDE, HOME = "apparel-retail-2025", "retail-guide", "home-furnishing-aftersales"


@pytest.fixture(scope="module")
def loaded():
    return load_corpus(ROOT, check=False)


@pytest.fixture(scope="module")
def graph(loaded):
    return build_graph(loaded.corpus)


@pytest.fixture(scope="module")
def findings(loaded, graph):
    return check_graph(graph, loaded.corpus, loaded.documents)


def _targets(findings, code):
    return {
        (f.value["metric"], frozenset(s["clause"] for s in f.value["sides"])): frozenset(f.value.get("stricter", []))
        for f in findings
        if f.code == code
    }


# Every contradiction the sources contain: metric, the clauses on each side, the stricter.
CONFLICTS = {
    # satisfaction: the apparel norms aim at 90 %, the home-furnishing manual at 85 %
    ("customer-satisfaction", frozenset({f"{APPAREL}#1.1.f", f"{HOME}#6.1.b"})): frozenset({f"{APPAREL}#1.1.f"}),
    # complaint resolution: 48 h in retail guide 2.3 and 6.2, 72 h in its 6.1 and in the apparel norms 2.4.3
    (
        "complaint-resolution-time",
        frozenset({f"{APPAREL}#2.4.3.b", f"{GUIDE}#2.3.b", f"{GUIDE}#6.1.c", f"{GUIDE}#6.2.b"}),
    ): frozenset({f"{GUIDE}#2.3.b", f"{GUIDE}#6.2.b"}),
}

SCOPE_DIFFERENCES = {
    # consultation response: 30 s in the apparel in-store service flow, 24 h for after-sales
    # enquiries by phone or online at home furnishing: the issue's own example of scope
    ("consultation-response-time", frozenset({f"{APPAREL}#5.2.2.c", f"{HOME}#3.2.f"})): frozenset(
        {f"{APPAREL}#5.2.2.c"}
    ),
    # repair response inside the home-furnishing manual: 48 h in general, 24 h for major faults and in warranty
    ("repair-response-time", frozenset({f"{HOME}#3.1.d", f"{HOME}#3.1.k"})): frozenset({f"{HOME}#3.1.k"}),
    ("repair-response-time", frozenset({f"{HOME}#3.1.d", f"{HOME}#3.4.d"})): frozenset({f"{HOME}#3.4.d"}),
    # satisfaction with the display (90 %) against overall satisfaction at home furnishing (85 %)
    ("customer-satisfaction", frozenset({f"{HOME}#6.1.b", f"{APPAREL}#3.4.3.2bis.b"})): frozenset(
        {f"{APPAREL}#3.4.3.2bis.b"}
    ),
    # (apparel 7.2.h, 5 % as the line above which a store is high-risk, is a classification threshold,
    # not a target: it no longer sits beside 1.1.h's 1 % aim as a difference of scope)
    # on-site guidance: 1 h for installation, 30 min for complex operation and for replacement
    ("guidance-session-duration", frozenset({f"{HOME}#3.2.j", f"{HOME}#3.3.j"})): frozenset({f"{HOME}#3.3.j"}),
    ("guidance-session-duration", frozenset({f"{HOME}#3.3.j", f"{HOME}#3.4.j"})): frozenset({f"{HOME}#3.3.j"}),
}

AGREEMENTS = {
    # first response to a complaint within 24 h: apparel norms and retail guide (three times)
    (
        "complaint-first-response-time",
        frozenset({f"{APPAREL}#2.4.3.b", f"{GUIDE}#2.3.b", f"{GUIDE}#6.1.c", f"{GUIDE}#6.2.b"}),
    ),
    # a service response within 24 h: apparel norms and home-furnishing manual
    ("service-response-time", frozenset({f"{APPAREL}#1.1.g", f"{HOME}#6.1.b"})),
}


def test_every_contradiction_and_no_other(findings):
    assert _targets(findings, "target-conflict") == CONFLICTS


def test_differences_of_scope(findings):
    assert _targets(findings, "target-scope-difference") == SCOPE_DIFFERENCES


def test_agreements(findings):
    assert set(_targets(findings, "target-agreement")) == AGREEMENTS


def test_no_finding_compares_two_metrics(loaded, findings):
    clauses = loaded.corpus.clauses
    for f in findings:
        if f.code.startswith("target-"):
            for side in f.value["sides"]:
                assert f.value["metric"] in {t.metric for t in clauses[side["clause"]].clause.targets}


def test_citation_findings(findings):
    by_code = defaultdict(set)
    for f in findings:
        by_code[f.code].add(f.value.get("identifier") or f.value.get("citation"))
    # one identifier, several titles: ISO 9001 (three titles) and ISO 20000 (two)
    assert by_code["citation-title-conflict"] == {"ISO9001", "ISO20000"}
    # the Contract Law, repealed in 2021, is cited by the home-furnishing manual
    assert [f.value["clause"] for f in findings if f.code == "repealed-citation"] == [f"{HOME}#7.4.a"]
    # ISO 9001 (质量管理体系) is suspect only because of its namesakes, and the most leaned on
    suspects = {f.value["citation"]: f.value["count"] for f in findings if f.code == "suspect-citation"}
    assert max(suspects, key=suspects.get) == "iso-9001"


def test_real_corpus_has_no_structural_errors(findings):
    assert [f for f in findings if f.level.value == "error"] == []


def _complaint_clauses(graph, standard, sections):
    return {
        n
        for n, d in graph.nodes(data=True)
        if d["type"] == "clause" and d.get("standard") == standard and d["section"].split("#")[1].startswith(sections)
    }


def test_complaint_handling_of_apparel_and_retail_guide_find_each_other(graph):
    apparel = _complaint_clauses(graph, APPAREL, ("2.4",))
    guide = _complaint_clauses(graph, GUIDE, ("2.3", "6."))
    related = defaultdict(set)
    for u, v, d in graph.edges(data=True):
        if d["type"] == "related-to":
            related[u].add(v)
            related[v].add(u)
    linked = {c for c in apparel if related[c] & guide}
    # 18 of the 19 clauses of apparel 2.4; the one left, 2.4.1.f (complaints about
    # returns, repairs and upkeep), shares little more than 投诉 with them
    assert len(linked) >= 17, sorted(apparel - linked)
    assert {c for c in guide if related[c] & apparel} >= {
        f"clause:{GUIDE}#2.3.b",
        f"clause:{GUIDE}#6.1.a",
        f"clause:{GUIDE}#6.2.b",
    }
    # the deadline clauses are each other's best match
    assert f"clause:{GUIDE}#6.2.b" in related[f"clause:{APPAREL}#2.4.3.b"]


def test_complaint_handling_is_not_related_to_unrelated_topics(graph):
    apparel = _complaint_clauses(graph, APPAREL, ("2.4",))
    # retail guide 3.1 product display, 5.x privacy, 7.2 membership
    unrelated = _complaint_clauses(graph, GUIDE, ("3.1", "5.", "7.2"))
    edges = {(u, v) for u, v, d in graph.edges(data=True) if d["type"] == "related-to"}
    assert not {(a, b) for a in apparel for b in unrelated if (a, b) in edges or (b, a) in edges}


def test_the_fast_cut_is_jieba_on_every_real_clause(loaded):
    import re

    import jieba

    block = re.compile(r"[\u4E00-\u9FD5a-zA-Z0-9+#&\._%\-]+")
    for entry in loaded.corpus.iter_clauses():
        text = entry.clause.text
        assert cut_words(text) == [w for w in jieba.lcut(text, HMM=False) if block.fullmatch(w)], entry.clause.id


def test_search_finds_every_clause_by_each_of_its_chinese_words(loaded):
    # Single characters (的, 在) and the ignored question words and particles are no terms by design (issue 14).
    index = SearchIndex(build_index(loaded.corpus))
    holders = defaultdict(set)
    for entry in loaded.corpus.iter_clauses():
        for word in cut_words(entry.clause.text):
            if _has_cjk(word) and len(word) >= 2 and word not in index.ignore:
                holders[word].add(entry.clause.id)
    for word, clauses in holders.items():
        found = {h.clause for h in index.search(word, limit=None)}
        assert clauses <= found, (word, sorted(clauses - found))


def _has_cjk(word: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in word)
