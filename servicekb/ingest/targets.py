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

from servicekb.quantities import find_quantities as read_quantities
from servicekb.quantities import parse_number
from servicekb.types import Clock, Comparator, Dimension, TargetNature, Unit, unit_dimension

__all__ = ["Proposal", "find_quantities", "map_metric", "nature_of", "parse_number"]

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


def _quote(text: str, start: int, end: int) -> str:
    """The matched words with the lead-in back to the previous punctuation (at most 16 characters)."""
    left = start
    while left > 0 and start - left < 16 and text[left - 1] not in ",，。;；:：、!！?？(（“-":
        left -= 1
    return text[left:end].strip()


def find_quantities(text: str) -> list[Proposal]:
    """Every quantity the wording states with a comparator (or as a frequency), in order."""
    return [
        Proposal(q.comparator, q.value, q.unit, q.upper, q.clock, _quote(text, q.start, q.end), q.start)
        for q in read_quantities(text)
        if (q.stated or unit_dimension(q.unit) is Dimension.frequency) and q.unit is not Unit.count
    ]


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
