"""Propose typed targets from the wording of a clause: number, unit, comparator, clock.

Recognised (the comparator comes from the wording, never guessed):

- `24小时内`, `90%以上`, `1%以下`, `5%以内`: number + unit + 以上/以下/以内/内
  (all inclusive);
- `不超过30秒`, `不少于2小时`, `不低于85%`, `至少`, `达到90分`: inclusive; `超过`,
  `高于`, `低于`: exclusive;
- `2-4小时`, `3至5个工作日`: ranges (`between`);
- `每季度一次`, `每半年至少2次`: frequencies (at least N per period);
- Chinese numerals: `七日内`, `三个工作日`.

Units: 小时 hour, 工作日 working_day (working-day clock), 日/天 day, 分钟
minute, 秒 second, % percent, 分 point, 每季度/每半年/每年/每月. A proposal
is mapped to a metric of the catalogue by keywords only when the match is
obvious and the units agree; otherwise it stays unmapped (metric None) and
the draft lists it for the curator.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from servicekb.ingest.numbering import cn_to_int
from servicekb.types import Clock, Comparator, TargetNature, Unit, unit_dimension

__all__ = ["Proposal", "find_quantities", "map_metric", "nature_of", "parse_number"]

_NUM = r"(\d+(?:\.\d+)?|[一二两三四五六七八九十]{1,3})"
_UNIT = r"(个?小时|个?工作日|个?自然日|天|日|分钟|秒钟?|%|分(?![钟析类别配享为工期级批店布解支数]))"
_UNITS = {
    "小时": Unit.hour, "工作日": Unit.working_day, "自然日": Unit.day, "天": Unit.day, "日": Unit.day,
    "分钟": Unit.minute, "秒": Unit.second, "秒钟": Unit.second, "%": Unit.percent, "分": Unit.point,
}
_PERIODS = {"季度": Unit.per_quarter, "半年": Unit.per_half_year, "年": Unit.per_year, "月": Unit.per_month}
_BEFORE = {
    "不超过": Comparator.le, "不得超过": Comparator.le, "不高于": Comparator.le, "最多": Comparator.le, "≤": Comparator.le,
    "不少于": Comparator.ge, "不低于": Comparator.ge, "至少": Comparator.ge, "达到": Comparator.ge, "≥": Comparator.ge,
    "超过": Comparator.gt, "高于": Comparator.gt, "大于": Comparator.gt,
    "低于": Comparator.lt, "少于": Comparator.lt, "小于": Comparator.lt,
}
_AFTER = {"以上": Comparator.ge, "及以上": Comparator.ge, "以下": Comparator.le, "以内": Comparator.le, "之内": Comparator.le, "内": Comparator.le}

_RANGE = re.compile(rf"{_NUM}\s*[-~～—至到]\s*{_NUM}\s*{_UNIT}")
_AFTER_WORDS = "|".join(sorted(_AFTER, key=len, reverse=True))
_PREFIXED = re.compile(rf"({'|'.join(sorted(map(re.escape, _BEFORE), key=len, reverse=True))})\s*{_NUM}\s*{_UNIT}\s*({_AFTER_WORDS})?")
_SUFFIXED = re.compile(rf"{_NUM}\s*{_UNIT}\s*({_AFTER_WORDS})")
_FREQUENCY = re.compile(rf"每(季度|半年|年|月)(至少)?{_NUM}?次")


@dataclass(frozen=True)
class Proposal:
    """A number the wording states as a requirement, before any metric is chosen."""

    comparator: Comparator
    value: float
    unit: Unit
    upper: float | None
    clock: Clock | None
    quote: str  # verbatim words of the clause that state the number
    start: int
    metric: str | None = None


def parse_number(text: str) -> float | None:
    """An Arabic or Chinese numeral (七, 十五, 两) as a float."""
    if re.fullmatch(r"\d+(\.\d+)?", text):
        return float(text)
    value = cn_to_int(text.replace("两", "二"))
    return float(value) if value is not None else None


def _unit(word: str) -> Unit:
    return _UNITS[word.removeprefix("个")]


def _clock(unit: Unit) -> Clock | None:
    if unit is Unit.working_day:
        return Clock.working_days
    if unit in (Unit.second, Unit.minute, Unit.hour, Unit.day):
        return Clock.calendar
    return None


def _quote(text: str, start: int, end: int) -> str:
    """The matched words with the lead-in back to the previous punctuation (at most 16 characters)."""
    left = start
    while left > 0 and start - left < 16 and text[left - 1] not in ",，。;；:：、!！?？(（“-":
        left -= 1
    return text[left:end].strip()


def find_quantities(text: str) -> list[Proposal]:
    """Every target-like quantity in the text, in order, without overlaps."""
    found: list[Proposal] = []
    taken: list[tuple[int, int]] = []

    def add(m: re.Match, proposal: Proposal) -> None:
        if any(a < m.end() and m.start() < b for a, b in taken):
            return
        taken.append((m.start(), m.end()))
        found.append(proposal)

    for m in _RANGE.finditer(text):
        low, high, unit = parse_number(m.group(1)), parse_number(m.group(2)), _unit(m.group(3))
        if low is not None and high is not None and low < high:
            add(m, Proposal(Comparator.between, low, unit, high, _clock(unit), _quote(text, m.start(), m.end()), m.start()))
    for m in _PREFIXED.finditer(text):
        value, unit = parse_number(m.group(2)), _unit(m.group(3))
        # 达到90%以上: the closing word is the exact comparator.
        comparator = _AFTER[m.group(4)] if m.group(4) else _BEFORE[m.group(1)]
        if value is not None:
            add(m, Proposal(comparator, value, unit, None, _clock(unit), _quote(text, m.start(), m.end()), m.start()))
    for m in _SUFFIXED.finditer(text):
        value, unit = parse_number(m.group(1)), _unit(m.group(2))
        if value is not None:
            add(m, Proposal(_AFTER[m.group(3)], value, unit, None, _clock(unit), _quote(text, m.start(), m.end()), m.start()))
    for m in _FREQUENCY.finditer(text):
        value = parse_number(m.group(3)) if m.group(3) else 1.0
        if value is not None:
            add(m, Proposal(Comparator.ge, value, _PERIODS[m.group(1)], None, None, _quote(text, m.start(), m.end()), m.start()))
    return sorted(found, key=lambda p: p.start)


# Tested on the fragment holding the number (between commas); first match wins,
# so the specific metrics come before the general ones.
_LOCAL_RULES: tuple[tuple[str, str], ...] = (
    ("complaint-rate", r"投诉率"),
    ("problem-resolution-rate", r"解决率"),
    ("csi-score", r"满意度指数|CSI"),
    ("customer-satisfaction", r"满意度"),
    ("training-coverage", r"覆盖率|培训[^,，;；]*覆盖"),
    ("inventory-shrinkage", r"损耗"),
    ("display-cost-share", r"陈列成本"),
    ("display-zone-traffic-share", r"客流"),
    ("return-request-window", r"无理由退|退货期|退换期|退换货期"),
    ("complaint-first-response-time", r"投诉.*(响应|回复|答复|受理)|(响应|回复|答复|受理).*投诉"),
    ("complaint-resolution-time", r"投诉.*(处理|解决|办结)"),
    ("consultation-response-time", r"咨询.*(响应|回复|答复)"),
    ("feedback-first-response-time", r"反馈.*(响应|回复|答复)"),
    ("feedback-resolution-time", r"反馈.*(处理|解决)"),
    ("repair-response-time", r"(维修|报修|故障).*(响应|上门|到达)"),
    ("repair-completion-time", r"(维修|报修|故障).*(完成|修复|处理|解决)"),
    ("return-exchange-processing-time", r"退换|退货|换货|退款"),
    ("order-processing-time", r"订单.*处理|处理.*订单"),
    ("training-frequency", r"培训"),
    ("training-session-duration", r"培训.*时长|培训"),
    ("service-evaluation-frequency", r"评估|考核|检查|审核"),
    ("customer-maintenance-frequency", r"保养|清洁"),
    ("guidance-session-duration", r"指导|讲解|演示"),
    ("service-availability-hours", r"全天候|服务时间|7[×x*]24"),
    ("service-response-time", r"响应|回复"),
)
# (metric, subject earlier in the sentence, action in the number's fragment):
# 投诉处理应在24小时内完成初步响应,72小时内完成处理 -> the 72 is a resolution time.
_EVENT_RULES: tuple[tuple[str, str, str], ...] = (
    ("complaint-first-response-time", r"投诉", r"响应|回复|答复|受理"),
    ("complaint-resolution-time", r"投诉", r"处理|解决|办结|完成"),
    ("consultation-response-time", r"咨询", r"响应|回复|答复"),
    ("feedback-first-response-time", r"反馈", r"响应|回复|答复"),
    ("feedback-resolution-time", r"反馈", r"处理|解决|完成"),
    ("repair-response-time", r"维修|报修|故障", r"响应|上门|到达"),
    ("repair-completion-time", r"维修|报修|故障", r"完成|修复|解决|处理"),
    ("return-exchange-processing-time", r"退换|退货|换货|退款", r"处理|完成|办理"),
    ("training-session-duration", r"培训", r"时长|每次"),
)
_FRAGMENT = re.compile(r"(?:[^,，;；:：、”]|”(?!“))+")


def map_metric(proposal: Proposal, sentence: str, metric_units: dict[str, Unit]) -> str | None:
    """The catalogue metric named around the number, when obvious and the units agree."""

    def fits(metric: str) -> bool:
        unit = metric_units.get(metric)
        return unit is not None and unit_dimension(unit) is unit_dimension(proposal.unit)

    fragment = next((m for m in _FRAGMENT.finditer(sentence) if m.start() <= proposal.start < m.end()), None)
    if fragment is None:
        return None
    local = fragment.group(0)
    for metric, pattern in _LOCAL_RULES:
        if fits(metric) and re.search(pattern, local):
            return metric
    before = sentence[: fragment.start()]
    for metric, subject, action in _EVENT_RULES:
        if fits(metric) and re.search(subject, before) and re.search(action, local):
            return metric
    return None


def nature_of(context: str, advisory: bool) -> TargetNature:
    """Firm unless the wording makes the number an example, a default, advice or a legal right."""
    if re.search(r"例如|比如|如“|(?<![例比])如\d", context):
        return TargetNature.example
    if re.search(r"《[^》]*(?<!办)法》|法律规定|依法|有权", context):
        return TargetNature.legal_right
    if re.search(r"一般|通常|原则上", context):
        return TargetNature.default_term
    return TargetNature.advice if advisory else TargetNature.firm
