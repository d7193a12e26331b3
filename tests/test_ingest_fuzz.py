"""Ingest never fails and never loses text, whatever the document looks like."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from servicekb.ingest import ingest_text, render_yaml
from servicekb.ingest.clean import clean_text
from servicekb.ingest.draft import reassemble
from servicekb.ingest.structure import parse_outline
from servicekb.quantities import find_quantities

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Pieces real documents are made of: numbering of every style, quantities, punctuation, noise.
PIECES = st.sampled_from(
    [
        "第1章",
        "第一章",
        "第二条",
        "第3条",
        "1 ",
        "1.",
        "1.1",
        "2.1 ",
        "1.1.1",
        "一、",
        "二、",
        "（一）",
        "(二)",
        "1、",
        "2、",
        "附录A",
        "A.1",
        "A.2",
        "\n",
        "\n\n",
        " ",
        "　",
        "。",
        "，",
        "；",
        "：",
        "、",
        "|",
        "\t",
        "……",
        "(",
        ")",
        "“",
        "”",
        "投诉应在",
        "24小时内",
        "响应",
        "满意度",
        "不低于",
        "90%",
        "以上",
        "每季度",
        "一次",
        "7×24小时",
        "全天候",
        "3至5个工作日",
        "2-4小时",
        "七日内",
        "有权退货",
        "例如",
        "如",
        "一般为",
        "建议",
        "数据显示",
        "同比增长12%",
        "超过5%的门店列为高风险",
        "市区4小时、郊区8小时",
        "罚款",
        "500元",
        "9:00-18:00",
        "2025年3月1日",
        "服務",
        "業(yè)",
        "〔乱码〕",
        "温馨提示",
        "GB/T 19001-2016",
        "《消费者权益保护法》",
        "第24条",
        "百分之九十五",
    ]
)
DOCUMENTS = st.lists(PIECES, min_size=0, max_size=60).map("".join)


@SETTINGS
@given(DOCUMENTS)
def test_any_document_gives_a_draft_without_losing_text(raw: str) -> None:
    result = ingest_text(raw, "fuzz", "fuzz.txt")
    render_yaml(result.standard)
    cleaned = clean_text(raw)
    assert "".join(reassemble(parse_outline(cleaned)).split()) == "".join(cleaned.split())


@SETTINGS
@given(st.text(max_size=200))
def test_any_text_reads_without_error(text: str) -> None:
    for q in find_quantities(text):
        assert 0 <= q.start < q.end <= len(text)
