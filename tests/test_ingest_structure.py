"""Splitting cleaned text into table of contents, chapters, sections and clauses."""

from __future__ import annotations

from pathlib import Path

import pytest

from servicekb.ingest import ingest_text
from servicekb.ingest.clean import clean_text
from servicekb.ingest.draft import reassemble, split_sentences
from servicekb.ingest.numbering import cn_to_int, flatten
from servicekb.ingest.structure import Outline, parse_outline
from servicekb.ingest.titles import document_title, split_title

SEEDS_DIR = Path(__file__).resolve().parents[1] / "sources"
needs_seeds = pytest.mark.usefixtures("seeds_present")


def keys(outline: Outline) -> list[str]:
    return [n.key for n in flatten(outline.sections)]


def node(outline: Outline, key: str):
    return next(n for n in flatten(outline.sections) if n.key == key)


@pytest.fixture(scope="module")
def seed_outlines() -> dict[str, Outline]:
    return {
        p.name[:3]: parse_outline(clean_text(p.read_text(encoding="utf-8"))) for p in sorted(SEEDS_DIR.glob("*.txt"))
    }


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # 第N章 + N.N + N.N.N glued to their text.
        (
            "规范第1章总则1.1目的为确保服务质量,制定本规范。1.2范围1.2.1门店本规范适用于门店。",
            ["1", "1.1", "1.2", "1.2.1"],
        ),
        # Chinese-numeral chapters.
        ("手册\n第一章准备\n1.1资料\n企业应收集资料。\n第二章流程\n2.1接待\n应主动问候。", ["1", "1.1", "2", "2.1"]),
        # 一、 (一) 1. nest; keys keep the printed numbers.
        (
            "标准一、现状(一)概述行业很大。(二)需求1.质量客户重视质量。2.时效客户重视时效。二、要素(一)质量应严格检验。",
            ["一", "一.(一)", "一.(二)", "一.(二).1", "一.(二).2", "二", "二.(一)"],
        ),
        # N.N without chapters.
        ("1.1目的为确保质量,制定本规范。1.2范围本规范适用于门店。2.1职责店长应负责。", ["1.1", "1.2", "2.1"]),
        # 1.1 restarting under 一、 is kept as printed under it.
        (
            "第2章接待一、接待流程1.1概述在门店应主动接待。1.2标准化流程应统一。二、服务语言2.1重要性在门店应礼貌。",
            ["2", "2.一", "2.一.1.1", "2.一.1.2", "2.二", "2.二.2.1"],
        ),
    ],
)
def test_numbering_styles(text: str, expected: list[str]) -> None:
    assert keys(parse_outline(text)) == expected


@pytest.mark.parametrize(
    "text",
    [
        "第1章总则1.1目的满意度平均达到87.6分,投诉12.3万次。1.2范围应覆盖全部门店。",  # statistics are not headings
        "第1章总则1.1目的应符合GB4706.1-2017的要求。1.2范围应覆盖全部门店。",  # a standard number is not a heading
        "第1章总则1.1原则服务应规范、统一、可追溯。1.2范围应覆盖全部门店。",  # 统一、 is not 一、
    ],
)
def test_numbers_in_text_are_not_headings(text: str) -> None:
    assert keys(parse_outline(text)) == ["1", "1.1", "1.2"]


def test_cn_heading_with_same_title_as_next_number_is_one_section() -> None:
    outline = parse_outline("第1章理念一、服务宗旨1.1服务宗旨在门店应以客户为中心。1.2服务标准应统一。")
    assert keys(outline) == ["1", "1.1", "1.2"]
    assert node(outline, "1.1").alias == "一"
    assert node(outline, "1.1").body.startswith("在门店")


def test_table_of_contents_is_recorded_and_toc_only_sections_marked() -> None:
    text = "手册第1章准备1.1资料1.2培训第2章流程2.1接待第1章准备1.1资料企业应收集客户资料。1.2培训应每季度培训一次。"
    outline = parse_outline(text)
    assert [(e.key, e.title) for e in outline.toc] == [
        ("1", "准备"),
        ("1.1", "资料"),
        ("1.2", "培训"),
        ("2", "流程"),
        ("2.1", "接待"),
    ]
    assert outline.title == "手册"
    assert node(outline, "1.1").status == "body"
    assert node(outline, "2").status == "toc-only"
    assert node(outline, "2.1").status == "toc-only"


def test_document_without_toc_has_none() -> None:
    outline = parse_outline("手册第1章准备1.1资料企业应收集客户资料。1.2培训应定期培训。")
    assert outline.toc == []


@pytest.mark.parametrize(
    ("text", "truncated", "last_status"),
    [
        ("第1章准备1.1资料企业应收集客户资料。1.2培训应定期", True, "truncated"),  # cut mid-sentence
        ("第1章准备1.1资料企业应收集客户资料。第2章流程", True, "truncated"),  # last heading without body
        ("第1章准备1.1资料企业应收集客户资料。1.2培训应定期培训。", False, "body"),  # complete
    ],
)
def test_cut_off_is_detected_and_last_section_marked(text: str, truncated: bool, last_status: str) -> None:
    outline = parse_outline(text)
    assert outline.truncated is truncated
    assert max(flatten(outline.sections), key=lambda n: n.start).status == last_status


def test_unnumbered_text_is_kept_as_one_section() -> None:
    outline = parse_outline("客户服务说明\n应主动问候客户。")
    assert keys(outline) == ["body"]
    assert node(outline, "body").body == "应主动问候客户。"


@pytest.mark.parametrize(
    ("segment", "known", "title", "body"),
    [
        (
            "服务理念与目标顾客服务应以顾客为中心。",
            (),
            "服务理念与目标",
            "顾客服务应以顾客为中心。",
        ),  # subject after a heading noun
        (
            "客户接待流程概述在2025年服装零售行业,接待很重要。",
            (),
            "客户接待流程概述",
            "在2025年服装零售行业,接待很重要。",
        ),  # a year opens the body
        ("接待流程与礼仪接待流程应遵循标准。", (), "接待流程与礼仪", "接待流程应遵循标准。"),  # body repeats the title
        ("售后服务产品说明应包含售后信息。", (), "售后服务", "产品说明应包含售后信息。"),  # subject + modal verb
        ("服务宗旨与目标在2025年应提升。", ("服务宗旨与目标",), "服务宗旨与目标", "在2025年应提升。"),  # TOC title wins
        (
            "客户资料收集与分类\n在零售业中,资料很重要。",
            (),
            "客户资料收集与分类",
            "在零售业中,资料很重要。",
        ),  # own line
        ("服务创新与优化策略", (), "服务创新与优化策略", ""),  # heading only
    ],
)
def test_split_title(segment: str, known: tuple[str, ...], title: str, body: str) -> None:
    assert split_title(segment, known) == (title, body)


@pytest.mark.parametrize(
    ("prefix", "title"),
    [
        (
            "制定纺织企业客户服务标准制定纺织企业客户服务标准制定纺织企业客户服务标准",
            "制定纺织企业客户服务标准",
        ),  # repeated thrice
        ("零售业客户服务标准操作流程\n\n", "零售业客户服务标准操作流程"),  # own line
    ],
)
def test_document_title(prefix: str, title: str) -> None:
    assert document_title(prefix) == title


@pytest.mark.parametrize(
    ("text", "value"), [("一", 1), ("十", 10), ("十二", 12), ("二十三", 23), ("九十九", 99), ("零", None), ("", None)]
)
def test_cn_to_int(text: str, value: int | None) -> None:
    assert cn_to_int(text) == value


@pytest.mark.parametrize(
    ("body", "sentences"),
    [
        ("应主动问候。应耐心解答!是否满意?", ["应主动问候。", "应耐心解答!", "是否满意?"]),  # sentence ends
        (
            "考核内容包括:-服务态度:礼貌;-服务效率:及时。",
            ["考核内容包括:-服务态度:礼貌;", "-服务效率:及时。"],
        ),  # list items
        ("段一。\n\n段二。", ["段一。", "段二。"]),  # paragraphs
        ("被截断的句子没有句号", ["被截断的句子没有句号"]),  # cut-off text stays
    ],
)
def test_split_sentences(body: str, sentences: list[str]) -> None:
    assert split_sentences(body) == sentences


@needs_seeds
def test_seed_000_toc_and_body(seed_outlines: dict[str, Outline]) -> None:
    outline = seed_outlines["000"]
    assert outline.title == "2025年服装零售行业客户服务规范"
    assert len(outline.toc) == 40  # 8 chapters x (1 + 4 sections)
    assert [n.key for n in outline.sections] == [str(i) for i in range(1, 9)]
    assert node(outline, "8.1").status == "truncated"
    assert [node(outline, k).status for k in ("8.2", "8.3", "8.4")] == ["toc-only"] * 3
    assert "3.四.4.3.2-2" in keys(outline)  # 4.3.2 is printed twice in the source: both kept


@needs_seeds
def test_seed_002_body_only_to_2_3(seed_outlines: dict[str, Outline]) -> None:
    outline = seed_outlines["002"]
    body = [n.key for n in flatten(outline.sections) if n.status != "toc-only"]
    assert body == ["1", "1.1", "1.2", "1.3", "1.4", "2", "2.1", "2.2", "2.3"]
    assert node(outline, "2.3").status == "truncated"
    assert sum(1 for n in flatten(outline.sections) if n.status == "toc-only") == 31


@needs_seeds
def test_seed_003_own_numbering(seed_outlines: dict[str, Outline]) -> None:
    outline = seed_outlines["003"]
    assert outline.title == "制定纺织企业客户服务标准"
    assert [n.key for n in outline.sections] == ["一", "二", "三", "四", "五"]
    assert "二.(四).3" in keys(outline)


@needs_seeds
def test_seed_004_last_chapter_heading_only(seed_outlines: dict[str, Outline]) -> None:
    outline = seed_outlines["004"]
    assert outline.toc == []
    assert node(outline, "8").status == "truncated"
    assert node(outline, "8").body == ""
    assert outline.last_words.endswith("第8章服务后续支持")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # GB style: "1 范围" at the start of a line, 2.1 with a space, an annex with A.1.
        (
            "规范\n1 范围\n本规范适用于维修。\n2 要求\n2.1 受理\n30分钟内联系用户。\n"
            "附录A 时限表\nA.1 一般故障\n72小时内修复。\nA.2 重大故障\n24小时内响应。",
            ["1", "2", "2.1", "A", "A.1", "A.2"],
        ),
        # Articles numbered on across chapters.
        (
            "办法\n第一章 总则\n第一条 为规范服务,制定本办法。\n"
            "第二章 时限\n第二条 投诉应在24小时内响应。\n第三条 退款应在7个工作日内完成。",
            ["1", "第一条", "2", "第二条", "第三条"],
        ),
        # 一、 with full-width （一） and 1、 items at the start of lines.
        (
            "承诺书\n一、响应时效\n（一）电话咨询30秒内接听。\n（二）在线留言2小时内回复。\n二、上门服务\n1、市区4小时到场；\n2、郊区8小时到场。",
            ["一", "一.(一)", "一.(二)", "二", "二.1", "二.2"],
        ),
        # Numbered lines without chapters are the top level.
        ("售后服务标准\n1. 服务热线7×24小时开通。\n2. 报修后2小时内响应。", ["1", "2"]),
    ],
)
def test_more_numbering_styles(text: str, expected: list[str]) -> None:
    assert keys(parse_outline(text)) == expected


def test_a_numbered_line_that_is_a_sentence_has_no_title_taken_from_it() -> None:
    outline = parse_outline("办法\n第一章 总则\n第一条 客户投诉应在24小时内响应。")
    assert node(outline, "第一条").body == "客户投诉应在24小时内响应。"


def test_text_before_the_first_heading_is_the_preamble() -> None:
    outline = parse_outline("服务承诺书\n为提升服务质量,特作如下承诺:\n一、响应时效\n电话咨询30秒内接听。")
    assert outline.title == "服务承诺书"
    assert outline.preamble == "为提升服务质量,特作如下承诺:"


def test_unnumbered_paragraphs_get_stable_ids() -> None:
    standard = ingest_text(
        "我们承诺所有来电在30秒内接听。\n\n维修服务在48小时内完成。如有疑问请致电。", "demo", "demo.txt"
    ).standard
    ids = [c.id for s in standard.sections for c in s.clauses]
    assert ids == ["demo#p1.a", "demo#p2.a", "demo#p2.b"]


ROUND_TRIP = [
    "规范\n前言\n本规范由服务部提出。\n1 范围\n本规范适用于维修。\n2 要求\n2.1 受理\n30分钟内联系用户。\n"
    "附录A 时限表\nA.1 一般故障\n72小时内修复。",
    "办法\n第一章 总则\n第一条 为规范服务,制定本办法。\n第二条 投诉应在24小时内响应。",
    "承诺书\n为提升服务质量,特作如下承诺:\n一、响应时效\n（一）电话咨询30秒内接听。\n二、上门服务\n1、市区4小时到场；\n2、郊区8小时到场。",
    "我们承诺所有来电在30秒内接听。\n\n维修服务在48小时内完成。\n。如有疑问请致电客服热线",
]


def _squash(text: str) -> str:
    return "".join(text.split())


@pytest.mark.parametrize("text", ROUND_TRIP)
def test_round_trip_keeps_every_character(text: str) -> None:
    # Title line, preamble, headings and clause texts concatenated give the cleaned input back.
    cleaned = clean_text(text)
    assert _squash(reassemble(parse_outline(cleaned))) == _squash(cleaned)


@needs_seeds
@pytest.mark.parametrize("seed", sorted(SEEDS_DIR.glob("*.txt")), ids=lambda p: p.stem)
def test_round_trip_of_the_sources(seed: Path) -> None:
    cleaned = clean_text(seed.read_text(encoding="utf-8"))
    assert _squash(reassemble(parse_outline(cleaned))) == _squash(cleaned)


@pytest.mark.parametrize("text", ROUND_TRIP)
def test_draft_clauses_cover_the_text_once_in_order(text: str) -> None:
    # The draft's clauses appear in the cleaned text in order, and with the title line and the
    # headings they account for every character exactly once (nothing lost, nothing doubled).
    cleaned = clean_text(text)
    outline = parse_outline(cleaned)
    standard = ingest_text(text, "demo", "demo.txt").standard
    clauses: list[str] = []

    def walk(sections):
        for s in sections:
            clauses.extend(c.text for c in s.clauses)
            walk(s.sections)

    walk(standard.sections)
    squashed, pos = _squash(cleaned), 0
    for clause in clauses:
        found = squashed.find(_squash(clause), pos)
        assert found >= 0, clause
        pos = found + len(_squash(clause))
    headings = "".join(n.heading for n in flatten(outline.sections))
    assert len(_squash(outline.title_line + headings + "".join(clauses))) == len(squashed)


@pytest.mark.parametrize(
    ("text", "key", "body"),
    [
        # A glued heading whose heuristic title would hold a modal verb and cut 72 in two.
        (
            "规范一、时限(一)报修应及时。(二)维修完成一般故障应在72小时内修复。",
            "一.(二)",
            "维修完成一般故障应在72小时内修复。",
        ),
        # A glued heading that opens with 根据…: no title is taken from a sentence.
        (
            "规范一、时限(一)报修应及时。(二)根据2024年报告,满意度平均为86.5分。",
            "一.(二)",
            "根据2024年报告,满意度平均为86.5分。",
        ),
    ],
)
def test_a_heuristic_title_never_takes_words_of_a_sentence(text: str, key: str, body: str) -> None:
    assert node(parse_outline(text), key).body == body
