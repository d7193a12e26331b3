"""One rule for what binds, applied by curation (validate) and ingest alike."""

from __future__ import annotations

import shutil

import pytest
from conftest import ROOT

from servicekb.binding import read_nature
from servicekb.issues import Level
from servicekb.loader import load_corpus
from servicekb.types import TargetNature


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
