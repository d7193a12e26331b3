"""Reading quantities from Chinese wording: value, unit, comparator, clock and span."""

from __future__ import annotations

import pytest

from servicekb.quantities import Quantity, find_quantities, parse_number
from servicekb.types import Clock, Comparator, Unit

C = Comparator
CAL, WD = Clock.calendar, Clock.working_days


def only(text: str) -> Quantity:
    found = find_quantities(text)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    ("text", "comparator", "value", "upper", "unit", "clock", "stated", "span"),
    [
        # Closing words: inclusive bounds by the PRC drafting convention.
        ("投诉应在24小时内响应", C.le, 24, None, Unit.hour, CAL, True, "24小时内"),  # 内
        ("损耗应控制在5%以内", C.le, 5, None, Unit.percent, None, True, "控制在5%以内"),  # 以内 (控制在 kept in span)
        ("应在10个工作日之内答复", C.le, 10, None, Unit.working_day, WD, True, "10个工作日之内"),  # 之内
        ("满意度应达到90%以上", C.ge, 90, None, Unit.percent, None, True, "达到90%以上"),  # closing word wins
        ("投诉率控制在1%以下", C.le, 1, None, Unit.percent, None, True, "控制在1%以下"),  # 以下
        ("评分4.5分及以上", C.ge, 4.5, None, Unit.point, None, True, "4.5分及以上"),  # 及以上, decimal points
        ("24小时(含)以内", C.le, 24, None, Unit.hour, CAL, True, "24小时(含)以内"),  # (含)
        # Opening words.
        ("响应时间不超过30秒", C.le, 30, None, Unit.second, CAL, True, "不超过30秒"),  # 不超过
        ("到场时间不超4小时", C.le, 4, None, Unit.hour, CAL, True, "不超4小时"),  # 不超
        ("最迟48小时给出方案", C.le, 48, None, Unit.hour, CAL, True, "最迟48小时"),  # 最迟
        ("每次指导不少于30分钟", C.ge, 30, None, Unit.minute, CAL, True, "不少于30分钟"),  # 不少于
        ("问题解决率不低于95%", C.ge, 95, None, Unit.percent, None, True, "不低于95%"),  # 不低于
        ("至少提前3天通知", C.ge, 3, None, Unit.day, CAL, True, "至少提前3天"),  # 至少 + filler
        ("等待超过15分钟应致歉", C.gt, 15, None, Unit.minute, CAL, True, "超过15分钟"),  # 超过: exclusive
        ("好评率高于95%", C.gt, 95, None, Unit.percent, None, True, "高于95%"),  # 高于: exclusive
        ("返修率低于3%", C.lt, 3, None, Unit.percent, None, True, "低于3%"),  # 低于: exclusive
        ("投诉率超过5%的门店列为高风险", C.gt, 5, None, Unit.percent, None, True, "超过5%"),  # classification wording
        ("服务响应时间缩短至24小时内", C.le, 24, None, Unit.hour, CAL, True, "缩短至24小时内"),  # 缩短至 + 内
        # Bare amounts: read as ==, the comparator is not stated.
        ("8小时到场", C.eq, 8, None, Unit.hour, CAL, False, "8小时"),  # SLA list item
        ("故障受理时间:20分钟", C.eq, 20, None, Unit.minute, CAL, False, "20分钟"),  # after a colon
        ("培训时长为2小时", C.eq, 2, None, Unit.hour, CAL, False, "2小时"),  # 为
        ("我们提供7天无理由退换货服务", C.eq, 7, None, Unit.day, CAL, False, "7天"),  # a right stated as an amount
        # Chinese numerals and units.
        ("七日内可申请退货", C.le, 7, None, Unit.day, CAL, True, "七日内"),  # 七 + 日
        ("三个工作日内给予答复", C.le, 3, None, Unit.working_day, WD, True, "三个工作日内"),  # 三个工作日
        ("十五天内完成", C.le, 15, None, Unit.day, CAL, True, "十五天内"),  # 十五
        ("两小时内回电", C.le, 2, None, Unit.hour, CAL, True, "两小时内"),  # 两
        ("一周内回访", C.le, 7, None, Unit.day, CAL, True, "一周内"),  # 一周 = 7 days
        ("两个星期内反馈", C.le, 14, None, Unit.day, CAL, True, "两个星期内"),  # 星期
        ("半小时内到店", C.le, 0.5, None, Unit.hour, CAL, True, "半小时内"),  # 半
        ("一个半小时内完成", C.le, 1.5, None, Unit.hour, CAL, True, "一个半小时内"),  # 个半
        ("10个日历天内", C.le, 10, None, Unit.day, CAL, True, "10个日历天内"),  # 日历天: calendar clock
        ("15个自然日内退款", C.le, 15, None, Unit.day, CAL, True, "15个自然日内"),  # 自然日
        ("30秒钟内接听", C.le, 30, None, Unit.second, CAL, True, "30秒钟内"),  # 秒钟
        ("48h内上门", C.le, 48, None, Unit.hour, CAL, True, "48h内"),  # h
        ("２４小时内", C.le, 24, None, Unit.hour, CAL, True, "２４小时内"),  # full-width digits
        ("百分之九十五以上", C.ge, 95, None, Unit.percent, None, True, "百分之九十五以上"),  # 百分之
        ("赔偿不低于200元", C.ge, 200, None, Unit.yuan, None, True, "不低于200元"),  # money
        ("至少配备2名工程师", C.ge, 2, None, Unit.count, None, True, "至少配备2名"),  # count with 至少
        # Ranges.
        ("时长控制在2-4小时", C.between, 2, 4, Unit.hour, CAL, True, "2-4小时"),  # hyphen
        ("应在3至5个工作日办结", C.between, 3, 5, Unit.working_day, WD, True, "3至5个工作日"),  # 至
        ("二至三天内上门", C.between, 2, 3, Unit.day, CAL, True, "二至三天内"),  # Chinese numerals, closing word kept
        ("24小时至72小时", C.between, 24, 72, Unit.hour, CAL, True, "24小时至72小时"),  # unit printed twice
        ("满意度90%~95%", C.between, 90, 95, Unit.percent, None, True, "90%~95%"),  # percent range
        # Frequencies: at least N per period.
        ("每季度一次培训", C.ge, 1, None, Unit.per_quarter, None, False, "每季度一次"),  # one by default
        ("每半年至少2次评估", C.ge, 2, None, Unit.per_half_year, None, True, "每半年至少2次"),  # 至少 stated
        ("每年开展一次盘点", C.ge, 1, None, Unit.per_year, None, False, "每年开展一次"),  # a verb between
        ("每月不少于两次巡店", C.ge, 2, None, Unit.per_month, None, True, "每月不少于两次"),  # 每月
        ("每3个月一次回访", C.ge, 1, None, Unit.per_quarter, None, False, "每3个月一次"),  # 3 months = a quarter
        ("每半年清洁滤网", C.ge, 1, None, Unit.per_half_year, None, False, "每半年"),  # 每X without a count
        ("巡检2次/年", C.ge, 2, None, Unit.per_year, None, False, "2次/年"),  # N次/年
        ("一年两次体检", C.ge, 2, None, Unit.per_year, None, False, "一年两次"),  # without 每
        ("纳入年度评估体系", C.ge, 1, None, Unit.per_year, None, False, "年度"),  # 年度评估
        # Round the clock: 24 hours a day.
        ("提供7×24小时服务", C.ge, 24, None, Unit.hour, CAL, True, "7×24小时"),  # ×
        ("7*24小时热线", C.ge, 24, None, Unit.hour, CAL, True, "7*24小时"),  # *
        ("全天候响应", C.ge, 24, None, Unit.hour, CAL, True, "全天候"),  # 全天候
    ],
)
def test_reads_one_quantity(
    text: str,
    comparator: Comparator,
    value: float,
    upper: float | None,
    unit: Unit,
    clock: Clock | None,
    stated: bool,
    span: str,
) -> None:
    q = only(text)
    assert (q.comparator, q.value, q.upper, q.unit, q.clock, q.stated) == (
        comparator,
        value,
        upper,
        unit,
        clock,
        stated,
    )
    assert text[q.start : q.end] == span


@pytest.mark.parametrize(
    "text",
    [
        "2025年服装零售行业发展迅速",  # a year is not a quantity
        "自2025年3月1日起施行",  # a date is not a duration
        "分析客户需求,分类处理",  # 分 in 分析/分类 is not points
        "这一点十分重要",  # 十分 is an adverb
        "共有30家门店参与",  # a count without a comparator word
        "保修期为3个月",  # months have no unit: not read rather than misread as a count
        "第一时间响应,周一至周五营业",  # ordinals and weekdays
        "符合GB/T 19001-2016的要求",  # a standard number
    ],
)
def test_reads_nothing(text: str) -> None:
    assert find_quantities(text) == []


def test_two_units_are_two_amounts_not_a_range() -> None:
    assert [(q.value, q.unit) for q in find_quantities("24小时至3天")] == [(24, Unit.hour), (3, Unit.day)]


def test_tiers_give_one_quantity_each() -> None:
    text = "市区4小时、郊区8小时、外县市24小时"
    assert [(text[q.start : q.end], q.value) for q in find_quantities(text)] == [
        ("4小时", 4),
        ("8小时", 8),
        ("24小时", 24),
    ]


def test_alternative_periods_share_the_count() -> None:
    found = find_quantities("如每季度或半年一次")
    assert [(q.unit, q.value) for q in found] == [(Unit.per_quarter, 1), (Unit.per_half_year, 1)]


def test_several_quantities_in_order() -> None:
    text = "投诉处理应在24小时内完成初步响应,72小时内完成处理,满意度不低于90%。"
    assert [(q.comparator, q.value, q.unit) for q in find_quantities(text)] == [
        (C.le, 24, Unit.hour),
        (C.le, 72, Unit.hour),
        (C.ge, 90, Unit.percent),
    ]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("24", 24.0),
        ("2.5", 2.5),
        ("２４", 24.0),  # full width
        ("七", 7.0),
        ("十", 10.0),
        ("十五", 15.0),
        ("二十四", 24.0),
        ("两", 2.0),
        ("一百二十", 120.0),
        ("一百零五", 105.0),
        ("半", 0.5),
        ("一二", None),  # two digits in a row are not a numeral
        ("x", None),
        ("", None),
    ],
)
def test_parse_number(text: str, value: float | None) -> None:
    assert parse_number(text) == value


def test_quantity_is_a_frozen_value() -> None:
    q = only("24小时内")
    with pytest.raises(AttributeError):
        q.value = 48  # type: ignore[misc]
    assert q == only("24小时内")
