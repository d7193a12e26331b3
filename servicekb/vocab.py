"""The words people read: Chinese labels (English where it helps) for the model's enumerations and verdicts.

Pages, the terminal scorecard and the workbook say `要求 requirement`,
`应 shall`, `≤ 48 小时`, `达标`; this module is the one place where those
words live, so every output names a thing the same way. It sits beside the
models (not in `book`) so that the scorecard outputs need not load the
handbook. Everything returned here is plain text, escaped by the caller.
"""

from __future__ import annotations

from servicekb.models import Population, Target
from servicekb.models.standard import SectionStatus
from servicekb.types import Clock, Comparator, Direction, Kind, Modality, Stage, TargetNature, Unit, VerificationStatus

__all__ = [
    "CITATION_STATUS",
    "DIRECTION",
    "KIND",
    "MODALITY",
    "NATURE",
    "SECTION_STATUS",
    "STAGE",
    "AUDIT_RESULT",
    "VERDICT",
    "VERDICT_EN",
    "describe_population",
    "format_clause_target",
    "format_number",
    "format_target",
    "format_unit",
    "format_value",
]

KIND = {
    Kind.requirement: "要求 requirement",
    Kind.recommendation: "建议 recommendation",
    Kind.definition: "定义 definition",
    Kind.informative: "说明 informative",
}

MODALITY = {
    Modality.must: "必须 must",
    Modality.shall: "应 shall",
    Modality.should: "宜 should",
    Modality.may: "可 may",
    Modality.none: "陈述 none",
}

STAGE = {
    Stage.general: "通用",
    Stage.pre_sale: "售前",
    Stage.sale: "售中",
    Stage.after_sale: "售后",
    Stage.complaint: "投诉",
    Stage.feedback: "反馈",
    Stage.relationship: "客户关系",
    Stage.display: "陈列",
    Stage.inventory: "库存",
    Stage.training: "培训",
    Stage.monitoring: "监测",
    Stage.emergency: "应急",
    Stage.communication: "沟通",
    Stage.etiquette: "礼仪",
    Stage.data_protection: "数据保护",
    Stage.improvement: "改进",
}

NATURE = {
    TargetNature.firm: "明确目标 firm",
    TargetNature.example: "举例 example",
    TargetNature.advice: "建议值 advice",
    TargetNature.legal_right: "法定权利 legal right",
    TargetNature.default_term: "默认条款 default term",
    TargetNature.classification: "分级阈值 classification",
}

VERDICT = {
    "pass": "达标",
    "fail": "未达标",
    "inconclusive": "无法判定",
    "no-data": "无数据",
    "not-computable": "无法计算",
    "flagged": "触发分级",
    "not-flagged": "未触发分级",
}
"""Scorecard verdicts in Chinese; `flagged`/`not-flagged` are classification thresholds, never pass/fail."""

AUDIT_RESULT = {"met": "符合", "not-met": "不符合", "not-applicable": "不适用"}
"""Answers of an audit (`audits.result`)."""

VERDICT_EN = {"pass": "pass", "fail": "fail", "inconclusive": "inconclusive", "no-data": "no data", "not-computable": "not computable", "flagged": "flagged", "not-flagged": "not flagged"}

SECTION_STATUS = {
    SectionStatus.body: "正文 body",
    SectionStatus.toc_only: "仅见于目录 toc-only",
    SectionStatus.truncated: "原文中断 truncated",
}

CITATION_STATUS = {
    VerificationStatus.verified: "已核实 verified",
    VerificationStatus.unverified: "未核实 unverified",
    VerificationStatus.suspect: "可疑 suspect",
    VerificationStatus.repealed: "已废止 repealed",
}

DIRECTION = {
    Direction.higher_is_better: "越高越好 higher is better",
    Direction.lower_is_better: "越低越好 lower is better",
}

_UNITS = {
    Unit.second: "秒",
    Unit.minute: "分钟",
    Unit.hour: "小时",
    Unit.day: "天",
    Unit.working_day: "个工作日",
    Unit.percent: "%",
    Unit.point: "分",
    Unit.count: "次",
    Unit.per_month: "次/月",
    Unit.per_quarter: "次/季度",
    Unit.per_half_year: "次/半年",
    Unit.per_year: "次/年",
    Unit.yuan: "元",
    Unit.ratio: "",
}

_COMPARATORS = {
    Comparator.le: "≤",
    Comparator.lt: "<",
    Comparator.ge: "≥",
    Comparator.gt: ">",
    Comparator.eq: "=",
}

_TICKETS = {"consultation": "咨询", "complaint": "投诉", "feedback": "反馈", "repair": "维修", "return_exchange": "退换货"}
_CHANNELS = {"in_store": "门店", "phone": "电话", "online": "线上", "app": "App", "social": "社交媒体"}


def format_unit(unit: Unit) -> str:
    """`小时`, `%`, `个工作日`; empty for a bare ratio."""
    return _UNITS[unit]


def format_number(value: float) -> str:
    """A number as people write it: `48`, `2.5`, `0.03` (no trailing zeros, no exponent)."""
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def format_value(value: float, unit: Unit) -> str:
    """`48 小时`, `90 %`, `3 个工作日`."""
    label = format_unit(unit)
    return f"{format_number(value)} {label}".rstrip()


def format_target(comparator: Comparator, value: float, upper: float | None, unit: Unit, clock: Clock | None = None) -> str:
    """`≤ 48 小时`, `介于 2–4 小时`, `≤ 24 小时（工作时间）`."""
    if comparator is Comparator.between:
        text = f"介于 {format_number(value)}–{format_value(upper if upper is not None else value, unit)}"
    else:
        text = f"{_COMPARATORS[comparator]} {format_value(value, unit)}"
    if clock is Clock.working_days and unit is not Unit.working_day:
        text += "（工作时间）"
    return text


def format_clause_target(target: Target) -> str:
    """The number part of a clause's target."""
    return format_target(target.comparator, target.value, target.upper, target.unit, target.clock)


def describe_population(population: Population) -> str:
    """`投诉 · 重大`, `门店、电话`, or `全部` for the empty population."""
    parts = []
    if population.ticket_kind:
        parts.append(_TICKETS.get(population.ticket_kind.value, population.ticket_kind.value))
    if population.severity:
        parts.append("重大" if population.severity.value == "major" else "一般")
    if population.channels:
        parts.append("、".join(_CHANNELS.get(c.value, c.value) for c in population.channels))
    if population.topic:
        parts.append(f"主题 {population.topic}")
    if population.in_warranty is not None:
        parts.append("保修期内" if population.in_warranty else "保修期外")
    if population.note:
        parts.append(population.note)
    return " · ".join(parts) or "全部"
