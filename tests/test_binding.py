"""One rule for what binds, applied by curation (validate) and ingest alike."""

from __future__ import annotations

import shutil

import pytest
from conftest import ROOT

from servicekb.binding import part_bounds, read_nature
from servicekb.ingest.classify import classify_kind, classify_modality
from servicekb.issues import Level
from servicekb.loader import load_corpus
from servicekb.types import Kind, Modality, TargetNature


@pytest.mark.parametrize(
    ("text", "quote", "expected"),
    [
        (
            "例如,客户投诉率超过5%的门店应列为高风险区域,需加强服务培训和流程优化。",
            "客户投诉率超过5%的门店应列为高风险区域",
            TargetNature.classification,
        ),
        ("反馈处理应明确责任人与时间节点,如72小时内响应、3个工作日内解决。", "72小时内响应", TargetNature.example),
        ("培训周期一般为每季度一次,每次培训时长控制在2-4小时。", "培训周期一般为每季度一次", TargetNature.default_term),
        (
            "培训周期一般为每季度一次,每次培训时长控制在2-4小时。",
            "每次培训时长控制在2-4小时",
            TargetNature.firm,
        ),  # 一般为 binds its own phrase only
        (
            "消费者在购买商品后七日内发现商品不符合质量要求,有权退货或更换。",
            "七日内发现商品不符合质量要求,有权退货或更换",
            TargetNature.legal_right,
        ),
        ("建议用户每季度检查排水管是否畅通。", "建议用户每季度检查排水管是否畅通", TargetNature.advice),
        ("投诉处理需在24小时内响应。", "投诉处理需在24小时内响应", TargetNature.firm),
        ("市区8小时到场。", "市区8小时到场", TargetNature.firm),  # a declarative service level binds
        ("数据显示,客户满意度平均达到87.6%。", "客户满意度平均达到87.6%", None),  # a statistic is no target at all
    ],
)
def test_the_rule(text, quote, expected):
    assert read_nature(text, quote) is expected


@pytest.mark.parametrize(
    ("text", "quote", "nature", "modality"),
    [
        # 禁止 binds like 不得: it overrides a 建议 in the rule, and is `must` for ingest
        ("建议每季度回访一次,回访间隔禁止超过120天。", "回访间隔禁止超过120天", TargetNature.firm, Modality.must),
        # 需要 is "to need", not 需: no requirement in either place
        ("建议在客户需要时3日内上门回访。", "3日内上门回访", TargetNature.advice, Modality.should),
        ("宾客需要的客用品10分钟内送达房间。", "10分钟内送达房间", TargetNature.firm, Modality.none),
        ("投诉需在24小时内答复。", "24小时内答复", TargetNature.firm, Modality.shall),  # 需 still binds
        # 提倡 and 倡导 recommend in both places
        ("提倡门店每季度开展1次服务评比。", "每季度开展1次服务评比", TargetNature.advice, Modality.should),
        ("倡导门店每季度开展1次服务评比。", "每季度开展1次服务评比", TargetNature.advice, Modality.should),
    ],
)
def test_one_word_list_for_the_rule_and_for_ingest(text, quote, nature, modality):
    assert read_nature(text, quote) is nature
    assert classify_modality(text) is modality


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("消费者享有七日无理由退货的权利。", Kind.requirement),  # 享有…权 in one phrase: a right
        ("会员享有专属通道，权益详见附表。", Kind.informative),  # 享有 and 权 across a full-width comma: not one
        ("法定节假日门店照常营业。", Kind.informative),  # 法定 marks a right only in a number's phrase
    ],
)
def test_right_words_stop_at_any_comma(text, kind):
    assert classify_kind(text, classify_modality(text)) is kind


def test_statutory_scheme_words_in_a_number_phrase_are_a_right():
    assert read_nature("三包有效期内维修不超过15天。", "维修不超过15天") is TargetNature.legal_right


@pytest.mark.parametrize(
    ("sentence", "at", "part"),
    [
        ("投诉应在24小时内响应；重大投诉2小时内响应。", "24", "投诉应在24小时内响应"),
        ("投诉应在24小时内响应；重大投诉2小时内响应。", "2小时", "重大投诉2小时内响应"),
        ("市区4小时到场!郊区8小时到场?", "8", "郊区8小时到场"),
        ("市区4小时到场", "4", "市区4小时到场"),
    ],
)
def test_part_bounds(sentence, at, part):
    start = sentence.index(at, sentence.index(part))
    p0, p1 = part_bounds(sentence, start, start + len(at))
    assert sentence[p0:p1] == part


def test_a_curated_nature_against_the_wording_is_a_warning(tmp_path):
    repo = tmp_path / "repo"
    for folder in ("standards", "stores"):
        shutil.copytree(ROOT / folder, repo / folder)
    path = repo / "standards" / "retail-sop.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.count("nature: default_term\n        quote: 培训周期一般为每季度一次") == 1
    path.write_text(
        text.replace(
            "nature: default_term\n        quote: 培训周期一般为每季度一次",
            "nature: firm\n        quote: 培训周期一般为每季度一次",
        ),
        encoding="utf-8",
    )
    found = [(i.code, i.level, i.path) for i in load_corpus(repo).issues if i.file == "standards/retail-sop.yaml"]
    assert found == [
        ("nature-disagrees-with-wording", Level.warning, "sections[0].sections[1].clauses[4].targets[0].nature")
    ]


def test_the_handbook_lists_the_modal_words_the_rule_reads():
    """book/reading-a-clause.md tells managers which words make a clause binding or advice: the rule's own words."""
    import re
    from pathlib import Path

    from servicekb.binding import MUST_WORDS, SHALL_WORDS, SHOULD_WORDS

    page = (Path(__file__).resolve().parents[1] / "book" / "reading-a-clause.md").read_text(encoding="utf-8")
    for words in (MUST_WORDS, SHALL_WORDS, SHOULD_WORDS):
        for word in re.sub(r"\(\?<?[!=][^)]*\)", "", words).split("|"):  # the words without their look-arounds
            assert word and word in page, word
