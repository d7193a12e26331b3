"""Character diffs of Chinese clause texts, short enough for one report line."""

from __future__ import annotations

import pytest

from servicekb.review.textdiff import char_diff


@pytest.mark.parametrize(
    "old, new, expected",
    [
        # a number replaced
        ("投诉应在72小时内解决。", "投诉应在48小时内解决。", "投诉应在[-72-]{+48+}小时内解决。"),
        # words inserted; long unchanged stretches cut to six characters of context
        (
            "门店应建立客户投诉处理制度并定期检查执行情况。",
            "门店应建立客户投诉处理制度并每月定期检查执行情况。",
            "…诉处理制度并{+每月+}定期检查执行…",
        ),
        # a deletion at the end
        ("客户满意度应达到90%以上。", "客户满意度应达到90%。", "…应达到90%[-以上-]。"),
        # two changes far apart keep both contexts
        (
            "一二三四五六七八九十甲乙丙丁戊己庚辛壬癸子丑寅卯",
            "1二三四五六七八九十甲乙丙丁戊己庚辛壬癸子丑寅2",
            "[-一-]{+1+}二三四五六七…辛壬癸子丑寅[-卯-]{+2+}",
        ),
    ],
)
def test_char_diff(old, new, expected):
    assert char_diff(old, new) == expected


def test_char_diff_is_cut_to_its_limit():
    text = char_diff("甲" * 10, "乙" * 500, limit=50)
    assert len(text) == 50 and text.endswith("…")
