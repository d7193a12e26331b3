"""The curated standards are faithful to their sources.

Every quote is found in the cleaned text of its seed; no pinyin annotation,
site boilerplate or traditional-only character is left; the per-standard
counts are pinned so that a change that loses content fails.
"""

from __future__ import annotations

import re
from functools import cache

import opencc
import pytest
from conftest import ROOT

from servicekb.ingest.clean import clean_text
from servicekb.loader import load_corpus
from servicekb.standard_counts import count_standards

SEEDS = ROOT / "sources"
CORPUS = load_corpus(ROOT, check=False).corpus
IDS = ["apparel-retail-2025", "home-furnishing-aftersales", "retail-guide", "retail-sop", "textile-enterprise"]
PINYIN = re.compile(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\)")
BOILERPLATE = [
    "已阅读",
    "下载本文档",
    "版权说明",
    "提交评论",
    "本站",
    "人人文库",
    "文档简介",
    "温馨提示",
    "付费下载",
    "继续免费阅读",
]
T2S = opencc.OpenCC("t2s")


@cache
def cleaned(seed: str) -> str:
    return clean_text((SEEDS / seed).read_text(encoding="utf-8"))


def test_the_five_standards_are_encoded():
    assert sorted(CORPUS.standards) == IDS


def _texts(sid: str):
    std = CORPUS.standards[sid]
    yield "title", std.title.zh
    for entry in CORPUS.iter_clauses(sid):
        c = entry.clause
        yield c.id, c.text
        if c.provenance:
            yield c.id, c.provenance.quote
        for t in c.targets:
            yield c.id, t.quote
    from servicekb.corpus import iter_sections

    for sec, _, _ in iter_sections(std.sections):
        yield f"section {sec.number}", sec.title.zh


@pytest.mark.parametrize("sid", IDS)
def test_every_quote_is_in_the_cleaned_source(sid):
    std = CORPUS.standards[sid]
    text = cleaned(std.source.seed)
    missing = []
    for entry in CORPUS.iter_clauses(sid):
        c = entry.clause
        quotes = [c.provenance.quote] if c.provenance else []
        quotes += [t.quote for t in c.targets]
        missing += [(c.id, q) for q in quotes if q not in text]
    assert missing == []


@pytest.mark.parametrize("sid", IDS)
def test_no_artefact_is_left(sid):
    found = []
    for where, value in _texts(sid):
        if PINYIN.search(value):
            found.append((where, "pinyin", PINYIN.search(value).group(0)))
        found += [(where, "boilerplate", b) for b in BOILERPLATE if b in value]
        if T2S.convert(value) != value:
            found.append((where, "traditional", value))
    assert found == []


@pytest.mark.parametrize("sid", IDS)
def test_every_target_quote_states_its_number(sid):
    # A target's quote must contain the number it encodes (written with digits or in Chinese).
    bad = []
    for entry in CORPUS.iter_clauses(sid):
        for t in entry.clause.targets:
            numbers = re.findall(r"\d+(?:\.\d+)?", t.quote)
            values = {f"{t.value:g}"} | ({f"{t.upper:g}"} if t.upper is not None else set())
            if numbers and not values <= set(numbers):
                bad.append((entry.clause.id, t.quote, sorted(values)))
    assert bad == []


@pytest.mark.parametrize("sid", IDS)
def test_every_clause_text_is_the_cleaned_source_text(sid):
    # Curation cleans but never rewrites: a clause's text (ignoring white space, which the
    # curators use to separate glued headings) is a verbatim run of the cleaned source, so a
    # reader comparing it with the seed finds the same words and numbers; undecodable
    # mojibake stays marked 〔乱码〕 exactly where the cleaner marks it.
    squash = lambda s: re.sub(r"\s+", "", s)  # noqa: E731
    text = squash(cleaned(CORPUS.standards[sid].source.seed))
    assert [e.clause.id for e in CORPUS.iter_clauses(sid) if squash(e.clause.text) not in text] == []


STATS = {
    # standard: (body, toc-only, truncated sections, clauses, firm targets, other targets, citations)
    "apparel-retail-2025": (109, 3, 2, 423, 11, 3, 31),
    "home-furnishing-aftersales": (35, 0, 1, 180, 14, 4, 42),
    "retail-guide": (38, 0, 1, 206, 7, 4, 50),
    "retail-sop": (8, 31, 1, 36, 1, 1, 0),
    "textile-enterprise": (21, 0, 1, 43, 0, 0, 0),
}


def test_counts_are_pinned():
    # A change that loses (or adds) content must update this table deliberately.
    got = {
        s.standard: (
            s.sections_body,
            s.sections_toc_only,
            s.sections_truncated,
            s.clauses,
            s.targets_firm,
            s.targets_other,
            s.citations,
        )
        for s in count_standards(CORPUS)
    }
    assert got == STATS


def test_sources_that_break_off_record_where():
    for std in CORPUS.standards.values():
        assert std.source.cut_off is not None and std.source.cut_off.quote in cleaned(std.source.seed)


ZHE_AS_ZHU = re.compile(
    r"[随穿朝有据临味本接看带为向沿顺靠等跟试急忙拿持]著(?![作名称录述书])|著(?=[装手重眼力陆落实想])"
)


@pytest.mark.parametrize("sid", IDS)
def test_no_zhu_written_for_zhe(sid):
    # Simplified Chinese writes 随着/着装/有着; OpenCC leaves the traditional 著 there.
    assert [(where, m.group(0)) for where, text in _texts(sid) for m in ZHE_AS_ZHU.finditer(text)] == []


# Words the scraped sources dropped: kept verbatim, flagged the same way everywhere (clause `gaps`).
GAPS = {
    "apparel-retail-2025#3.2.2.2.b", "apparel-retail-2025#4.1.e", "apparel-retail-2025#6.1.2.d",
    "home-furnishing-aftersales#2.2.b", "home-furnishing-aftersales#5.3.a", "home-furnishing-aftersales#5.3.b",
    "retail-guide#5.2.b", "textile-enterprise#四.(一).1", "textile-enterprise#五.(一).1",
}  # fmt: skip


def test_every_dropped_word_is_flagged_as_a_gap():
    flagged = {e.clause.id for e in CORPUS.iter_clauses() if e.clause.gaps}
    assert flagged == GAPS
    for cid in GAPS:
        clause = CORPUS.clauses[cid].clause
        assert all(g.after in clause.text for g in clause.gaps)


def test_the_statutory_return_right_reads_in_the_metrics_direction():
    # 七日内有权退货 grants at least seven days: the same >= 7 in both standards that state it.
    rights = [
        (e.clause.id, t.comparator.value, t.value)
        for e in CORPUS.iter_clauses()
        for t in e.clause.targets
        if t.metric == "return-request-window" and t.nature.value == "legal_right"
    ]
    assert rights == [("apparel-retail-2025#2.2.2.d", ">=", 7.0), ("home-furnishing-aftersales#3.1.b", ">=", 7.0)]


def test_classification_thresholds_are_flags_not_targets():
    flags = [
        (e.clause.id, t.comparator.value, t.value, t.flag)
        for e in CORPUS.iter_clauses()
        for t in e.clause.targets
        if t.nature.value == "classification"
    ]
    assert flags == [("apparel-retail-2025#7.2.h", ">", 5.0, "高风险区域")]


def test_the_annual_qualification_assessment_is_a_target():
    targets = CORPUS.clauses["home-furnishing-aftersales#4.1.e"].clause.targets
    assert [(t.metric, t.comparator.value, t.value, t.unit.value, t.nature.value) for t in targets] == [
        ("qualification-assessment-frequency", ">=", 1.0, "per_year", "firm")
    ]
