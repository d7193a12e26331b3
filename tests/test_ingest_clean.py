"""Cleaning of raw seed documents: boilerplate, pinyin, mojibake, traditional characters."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from servicekb.ingest.chars import is_rare_char, to_simplified
from servicekb.ingest.clean import MARKER, clean_text, main, remove_pinyin, strip_boilerplate
from servicekb.ingest.mojibake import find_mojibake, repair_mojibake

SEEDS_DIR = Path(__file__).resolve().parents[1] / "sources"
SEEDS = sorted(SEEDS_DIR.glob("*.txt"))
needs_seeds = pytest.mark.usefixtures("seeds_present")

# A toned pinyin syllable in parentheses, the site's annotation format.
ANNOTATION = re.compile(r"\([a-zü]*[āáǎàōóǒòēéěèīíǐìūúǔùǖǘǚǜ][a-zü]*\)")


@pytest.fixture(scope="module")
def cleaned() -> dict[str, str]:
    return {p.name: clean_text(p.read_text(encoding="utf-8")) for p in SEEDS}


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("行業(yè)規范", "行業規范"),  # plain annotation after a character
        ("服務(wù)(2025版)", "服務(2025版)"),  # edition in parentheses is kept
        ("顧客滿意度調查(CSAT)", "顧客滿意度調查(CSAT)"),  # acronym kept
        ("《售后服務管理規范》(GB/T33000-2016)", "《售后服務管理規范》(GB/T33000-2016)"),  # standard id kept
        ("評分(滿分100分)", "評分(滿分100分)"),  # score scale kept
        ("采用(app)下單", "采用(app)下單"),  # untoned lowercase word is not pinyin
        ("流程再造(ProcessReengineering)", "流程再造(ProcessReengineering)"),  # English term kept
        ("(yè)開頭", "(yè)開頭"),  # not after a character: not an annotation
        ("準(zhǔn)確、關(guān)鍵", "準確、關鍵"),  # several annotations in one line
    ],
)
def test_remove_pinyin(raw: str, expected: str) -> None:
    assert remove_pinyin(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (
            "行業(yè)規範(2025版),共3項;滿分100分",
            "行业规范(2025版),共3项;满分100分",
        ),  # ASCII punctuation and digits stay
        ("服務(wù)  標準", "服务  标准"),  # whitespace inside a line is kept
        ("顧客滿意度(CSAT)與淨推薦值(NPS)", "顾客满意度(CSAT)与净推荐值(NPS)"),  # real parentheses stay
        ("您平時喜歡哪種風(fēng)格的外套?”", "您平时喜欢哪种风格的外套?”"),  # a real question mark stays
    ],
)
def test_clean_text_of_clean_lines_is_t2s_without_annotations(raw: str, expected: str) -> None:
    assert clean_text(raw) == expected.strip() + "\n"
    assert clean_text(raw) == to_simplified(remove_pinyin(raw)).strip() + "\n"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("隨著消費升級", "随着消费升级"),  # the aspect particle
        ("人員需著裝整潔", "人员需着装整洁"),
        ("占據著重要地位", "占据着重要地位"),
        ("顯著提升", "显著提升"),  # 显著 keeps 著
        ("以分析法著稱", "以分析法著称"),
        ("享有著作權", "享有著作权"),  # 著作 keeps 著 even after 有
    ],
)
def test_zhu_becomes_zhe_only_where_it_means_zhe(raw: str, expected: str) -> None:
    assert to_simplified(raw) == expected


@pytest.mark.parametrize(
    ("garbled", "expected"),
    [
        # 確保客戶問題 read one byte off: 保's lead byte is lost, the rest decodes.
        ("確??蛻魡栴}得到及時解決", "确〔乱码〕客户问题得到及时解决"),
        # 。考核結: the full stop is lost, 考核結 decodes; 結's own annotation then goes.
        ("服務憑證??己私Y(jié)果應", "服务凭证〔乱码〕考核结果应"),
        # Two losses in one run: 保 at the start and 應 whose trail went with "(".
        ("確??蛻粜畔⒐芾響?yīng)與客戶", "确〔乱码〕客户信息管理〔乱码〕与客户"),
        # An annotation inserted inside 濫: its lead byte is lost, its trail is the "E".
        ("非法獲取或?yàn)E用", "非法获取或〔乱码〕用"),
        # Byte 0x80 shown as € and private-use code points are re-encoded as Windows GBK does.
        ("關鍵??蛻艚哟\ue42a鞒掏ǔ0\ue3cbㄒ韵聨讉€階段", "关键〔乱码〕客户接待流程通常包括以下几个阶段"),
        # No consistent reading: only the damaged stretch is marked, the text around is kept.
        ("補償?shù)取?客戶滿意度", "补偿〔乱码〕客户满意度"),
        # A stray ? inside a sentence is damage, marked once.
        ("采?W1H分析法", "采〔乱码〕W1H分析法"),
    ],
)
def test_mojibake_is_decoded_or_marked(garbled: str, expected: str) -> None:
    assert clean_text(garbled) == expected + "\n"


@pytest.mark.parametrize(
    "text",
    [
        "請問您需要什麼幫助嗎?我們馬上處理",  # question particle before ?
        "您平時喜歡哪種風格的外套?”",  # ? before a closing quote
        "訪問 https://example.com/a?b=1 查看",  # ? inside a URL
        "是否滿意? 請評分",  # ? before a space
    ],
)
def test_real_question_marks_are_not_mojibake(text: str) -> None:
    assert find_mojibake(text) == []
    assert repair_mojibake(text) == text


def test_lost_character_keeps_its_dangling_annotation_as_a_hint() -> None:
    (run,) = find_mojibake("管理響?yīng)與")
    assert run.garbled == "響?yīng)" or run.garbled.endswith("?yīng)")
    assert run.hints == ("yīng",)
    assert MARKER in run.replacement


def test_one_marker_per_run() -> None:
    # 等。 are both lost in one damaged stretch: one marker, not two.
    assert repair_mojibake("補償?shù)取?客戶").count(MARKER) == 1


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # Page list, banner, download and copyright notices, then the body, then disclaimer and comment box.
        (
            "標題_第1頁\n標題_第2頁(yè)\n已閱讀5頁,還剩37頁未讀, 繼續免費閱讀\n\n付費下載\n\n下載本文檔\n\n"
            "版權說明:本文檔由用戶提供並上傳\n\n文檔簡介\n\n正文第一行\n\n正文第二行\n\n溫馨提示\n\n"
            "  • 1. 本站所有資源\n\n評論\n\n0/150\n\n提交評論\n",
            "正文第一行\n\n正文第二行\n",
        ),
        # The other site: metadata bullets at the top, comment count and related documents at the bottom.
        (
            "零售業流程.docxVIP\n\n  • 3\n  • 约7.54千字\n  • 举报\n\n零售業流程\n\n1.1正文\n\n"
            "文档评论(0)\n\n1亿VIP精品文档\n\n相关文档\n",
            "零售業流程\n\n1.1正文\n",
        ),
        # A document without any frame is untouched.
        ("第1章總則\n1.1正文\n", "第1章總則\n1.1正文\n"),
    ],
)
def test_strip_boilerplate(raw: str, expected: str) -> None:
    assert strip_boilerplate(raw) == expected


@pytest.mark.parametrize(
    ("ch", "rare"),
    [
        ("客", False),  # everyday character
        ("戶", False),  # traditional form of an everyday character
        ("魡", True),  # typical mojibake character
        ("\ue42a", True),  # private-use code point
        ("A", False),  # not CJK
    ],
)
def test_is_rare_char(ch: str, rare: bool) -> None:
    assert is_rare_char(ch) is rare


@needs_seeds
@pytest.mark.parametrize("name", [p.name for p in SEEDS])
def test_seed_has_no_boilerplate_left(cleaned: dict[str, str], name: str) -> None:
    text = cleaned[name]
    for phrase in [
        "已阅读",
        "下载本文档",
        "付费下载",
        "版权说明",
        "文档简介",
        "温馨提示",
        "本站",
        "提交评论",
        "0/150",
        "文档评论",
        "相关文档",
        "VIP精品文档",
        ".docx",
    ]:
        assert phrase not in text, phrase
    assert not re.search(r"_第\d+页", text)


@needs_seeds
@pytest.mark.parametrize("name", [p.name for p in SEEDS])
def test_seed_has_no_pinyin_annotation_left(cleaned: dict[str, str], name: str) -> None:
    text = cleaned[name]
    assert not ANNOTATION.search(text)
    # A dangling annotation "yīng)" is gone too.
    assert not re.search(r"(?<![A-Za-z])[a-z]*[āáǎàōóǒòēéěèīíǐìūúǔùǖǘǚǜ][a-z]*\)", text)


@needs_seeds
@pytest.mark.parametrize("name", [p.name for p in SEEDS])
def test_seed_has_no_traditional_character_left(cleaned: dict[str, str], name: str) -> None:
    text = cleaned[name]
    assert to_simplified(text) == text


@needs_seeds
@pytest.mark.parametrize("name", [p.name for p in SEEDS])
def test_seed_has_no_raw_mojibake_left(cleaned: dict[str, str], name: str) -> None:
    text = cleaned[name]
    assert not re.search(r"[\ue000-\uf8ff]", text)
    assert "??" not in text


@needs_seeds
def test_seed_real_parentheses_survive(cleaned: dict[str, str]) -> None:
    everything = "".join(cleaned.values())
    for kept in ["(2025版)", "(CSAT)", "(GB/T33000-2016)", "(满分100分)", "(NPS)"]:
        assert kept in everything, kept


@needs_seeds
def test_clean_text_is_deterministic() -> None:
    raw = SEEDS[0].read_text(encoding="utf-8")
    assert clean_text(raw) == clean_text(raw)


def test_main_prints_cleaned_text(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    seed = tmp_path / "seed.txt"
    seed.write_text("標題_第1頁\n\n行業(yè)規範\n", encoding="utf-8")
    assert main([str(seed)]) == 0
    assert capsys.readouterr().out == "行业规范\n"


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (None, "missing-file"),  # no such file
        (b"\xff\xfe\x00garbage", "not-utf8"),  # not UTF-8
    ],
)
def test_main_reports_bad_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes | None, code: str
) -> None:
    seed = tmp_path / "seed.txt"
    if content is not None:
        seed.write_bytes(content)
    assert main([str(seed)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"{seed}: error[{code}]:")
    assert "Traceback" not in err
