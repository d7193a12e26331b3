"""The words people read: one Chinese vocabulary for the handbook, the terminal scorecard and the workbook.

Pages say `要求 requirement`, `应 shall`, `达标`; this module is the one
place where those words live (units, targets and numbers are written by
`servicekb.units`, re-exported here), so that every page,
chart legend and notebook names a thing the same way. English appears only
as the second half of a bilingual label (`要求 requirement`), never as a
sentence. Everything returned here is plain text, escaped by the caller.
"""

from __future__ import annotations

import re

from servicekb.models import Population
from servicekb.types import Direction, Kind, Modality, Stage, TargetNature, VerificationStatus
from servicekb.units import format_number, format_target, format_unit

__all__ = [
    "AUDIT_RESULT",
    "CITATION_STATUS",
    "DIRECTION",
    "FORMAT",
    "KIND",
    "MERGE_OUTCOME",
    "MERGE_RULE",
    "MODALITY",
    "NATURE",
    "OVERRIDE_CHANGE",
    "OVERRIDE_STATUS",
    "STAGE",
    "VERDICT",
    "VERDICT_COLORS",
    "VERDICT_EN",
    "VERDICT_HINT",
    "describe_population",
    "describe_reason",
    "describe_selector",
    "format_number",
    "format_target",
    "format_unit",
    "name_holiday",
    "name_topic",
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

# How a store's effective target was chosen (`servicekb.tailoring`): the merge of the candidate clauses for one
# metric and population, each candidate's outcome in it, and a store profile's override of the result.
MERGE_RULE = {
    "only": "唯一来源",
    "stricter": "多个条款中取更严格者",
    "prefer": "按门店指定的标准",
    "precedence": "无法比较，按采用顺序",
}
MERGE_OUTCOME = {
    "selected": "选中 selected",
    "equal": "相同 equal",
    "looser": "较宽松 looser",
    "incomparable": "无法比较 incomparable",
    "set-aside": "搁置 set aside",
}
OVERRIDE_CHANGE = {"tightened": "收紧 tightened", "unchanged": "不变 unchanged", "relaxed": "放宽 relaxed"}
OVERRIDE_STATUS = {"applied": "生效 applied", "lapsed": "已过期 lapsed", "rejected": "被拒绝 rejected"}

# A scorecard row's verdict: one short Chinese word per status (legends, tables, tooltips).
# `flagged` / `not-flagged` are classification thresholds, never pass/fail (the row names the class).
VERDICT = {
    "pass": "达标",
    "fail": "未达标",
    "inconclusive": "无法判定",
    "no-data": "无数据",
    "not-computable": "无法计算",
    "flagged": "触发分级",
    "not-flagged": "未触发分级",
}
VERDICT_COLORS = {
    "pass": "#2e7d32",
    "fail": "#c62828",
    "inconclusive": "#f9a825",
    "no-data": "#cfd8dc",
    "not-computable": "#90a4ae",
    "flagged": "#6a1b9a",
    "not-flagged": "#b39ddb",
}
VERDICT_EN = {
    "pass": "pass",
    "fail": "fail",
    "inconclusive": "inconclusive",
    "no-data": "no data",
    "not-computable": "not computable",
    "flagged": "flagged",
    "not-flagged": "not flagged",
}
# Answers of an audit (`audits.result`).
AUDIT_RESULT = {"met": "符合", "not-met": "不符合", "not-applicable": "不适用"}
VERDICT_HINT = {
    "flagged": "实际值达到分级阈值，门店归入该类别。",
    "not-flagged": "实际值未达到分级阈值。",
    "pass": "实际值满足目标。",
    "fail": "实际值未满足目标。",
    "inconclusive": "样本还不足以判断是否满足目标。",
    "no-data": "这一期没有可用于计算的数据。",
    "not-computable": "这个指标还不能从运营数据计算。",
}

FORMAT = {"flagship": "旗舰店", "mall": "商场店", "outlet": "奥特莱斯店", "online": "线上店", "street": "街边店"}

# Survey topics and ticket categories as the data names them; an unknown one is shown as written.
_TOPICS = {
    "overall": "总体",
    "display": "陈列",
    "installation": "安装",
    "replacement": "更换",
    "complex-operation": "复杂操作",
    "drain-pipe-check": "排水管检查",
    "filter-cleaning": "滤网清洗",
    "skills-training": "技能培训",
    "vip-fitting-appointment": "VIP 试衣预约",
}

# Why a scorecard row has no verdict, as `servicekb.compliance` words it (exact text, then patterns).
_REASONS = {
    "the 95 % interval contains the target": "95 % 置信区间跨过目标值，样本还不足以下结论。",
    "the metric has no definition over the operational data": "这个指标还没有基于运营数据的计算定义，无法评分。",
    "every event is still pending": "所有事件都还未到期，尚无结果。",
    "no events": "这一期没有相关事件。",
    "no rows": "这一期没有相关数据。",
    "the window is still open at the as-of time": "统计期尚未结束，数字还会变化。",
}
_REASON_PATTERNS = (
    (re.compile(r"^no (\w+) rows$"), lambda m: f"这一期没有{_TABLES.get(m[1], m[1])}数据。"),
    (re.compile(r"^empty values in (\d+) row\(s\)$"), lambda m: f"有 {m[1]} 行数据缺少数值。"),
    (re.compile(r"^([\w_]+) is 0$"), lambda m: f"分母（{m[1]}）为 0，无法计算比例。"),
)
_TABLES = {"tickets": "工单", "surveys": "调查", "store_periods": "门店月度", "training": "培训", "stores": "门店"}

_TICKETS = {
    "consultation": "咨询",
    "complaint": "投诉",
    "feedback": "反馈",
    "repair": "维修",
    "return_exchange": "退换货",
}
_CHANNELS = {"in_store": "门店", "phone": "电话", "online": "线上", "app": "App", "social": "社交媒体"}


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
        parts.append(f"主题：{name_topic(population.topic)}")
    if population.in_warranty is not None:
        parts.append("保修期内" if population.in_warranty else "保修期外")
    if population.note:
        parts.append(population.note)
    return " · ".join(parts) or "全部"


def name_topic(topic: str) -> str:
    """A survey topic or ticket category in Chinese (`display` -> `陈列`); unknown ones as written."""
    return _TOPICS.get(topic, topic)


def describe_reason(reason: str, status: str = "") -> str:
    """Why a scorecard row has its verdict, in Chinese; empty when there is nothing to add.

    Known reasons of the compliance engine are translated; an unknown one
    falls back to the hint of the verdict, never to the English text.
    """
    if not reason:
        return ""
    if reason in _REASONS:
        return _REASONS[reason]
    for pattern, make in _REASON_PATTERNS:
        match = pattern.match(reason)
        if match:
            return make(match)
    return VERDICT_HINT.get(status, "详见计算说明。")


def name_holiday(name: str | None) -> str:
    """A holiday as chinese-calendar names it (`National Day`) in Chinese (`国庆节`); empty for none."""
    if not name:
        return ""
    from chinese_calendar.constants import Holiday

    for holiday in Holiday:
        if name in (holiday.value, holiday.name):
            return holiday.chinese
    return name


_SELECTOR_FIELDS = {"clause": "条款", "section": "章节", "stage": "阶段", "tag": "标签"}


def describe_selector(selector: str) -> str:
    """A selector as the resolution report writes it (`tag statistic`, `stage display`) in Chinese (`标签 statistic`,
    `阶段 陈列`).
    """
    stages = {s.value: label for s, label in STAGE.items()}
    parts = []
    for part in selector.split(", "):
        field, _, value = part.partition(" ")
        if field in _SELECTOR_FIELDS:
            parts.append(f"{_SELECTOR_FIELDS[field]} {stages.get(value, value) if field == 'stage' else value}")
        else:
            parts.append(part)
    return "，".join(parts)
