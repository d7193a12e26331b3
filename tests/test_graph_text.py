"""Word segmentation: the fast precise cut is jieba's, and the word lists each use needs."""

from __future__ import annotations

from pathlib import Path

import pytest

from servicekb.graph.text import content_words, cut_words, index_words
from servicekb.loader import load_corpus

FIXTURE = Path(__file__).parent / "fixtures" / "graph" / "basic"
SAMPLES = [
    "客户投诉处理应在24小时内完成初步响应,72小时内完成处理并反馈结果。",
    "依据《服务质量管理》(ISO9001:2015)标准,投诉解决需在24小时内完成初步响应。",
    "产品展示应遵循“3C原则”(Comprehensive,Clear,andCoordinated),确保信息清晰。",
    "服务人员应主动问候顾客,使用礼貌用语,如“您好”“欢迎光临”。",
    "GB/T 31916-2015 顾客服务管理标准 a b c 1 2 3",
]


def _jieba_precise(text: str) -> list[str]:
    import re

    import jieba

    block = re.compile(r"[\u4E00-\u9FD5a-zA-Z0-9+#&\._%\-]+")
    return [w for w in jieba.lcut(text, HMM=False) if block.fullmatch(w)]


@pytest.mark.parametrize("text", SAMPLES)
def test_cut_words_is_jiebas_precise_mode(text):
    assert cut_words(text) == _jieba_precise(text)


def test_cut_words_matches_jieba_on_every_fixture_clause():
    corpus = load_corpus(FIXTURE, check=False).corpus
    for entry in corpus.iter_clauses():
        assert cut_words(entry.clause.text) == _jieba_precise(entry.clause.text), entry.clause.id


def test_content_words_drop_function_words_numbers_and_single_characters():
    words = content_words("投诉处理应在24小时内完成,并确保顾客满意。")
    assert "投诉" in words and "处理" in words and "满意" in words
    assert not {"应", "在", "24", "小时", "确保", "并"} & set(words)
    # 顾客 and 用户 are 客户
    assert "客户" in words and "顾客" not in words


def test_index_words_hold_the_sub_words_of_long_words():
    words = index_words("客户服务中心")
    assert {"客户", "服务", "中心"} <= set(words)


def test_index_words_of_english_lose_plural_s():
    assert index_words("Complaints handling") == ["complaint", "handling"]
