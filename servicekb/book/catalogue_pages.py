"""The metric catalogue and the requirement index: every metric with its targets, every target in one table."""

from __future__ import annotations

from servicekb.book.clause_block import link_metric
from servicekb.book.context import BookContext, TargetUse
from servicekb.book.markdown import escape_text, label_metric, label_standard, link_clause, make_link, make_table, make_target
from servicekb.book.vocab import DIRECTION, KIND, MODALITY, NATURE, describe_population, format_clause_target, format_unit
from servicekb.models import Metric, MetricDefinition
from servicekb.types import TargetNature

__all__ = ["describe_definition", "render_metrics", "render_requirements"]

_KINDS = {
    "survey_share": "调查回答中达到阈值的比例 share of survey answers",
    "ratio": "两个合计之比 ratio of totals",
    "deadline": "按时完成的事件比例 share of events meeting a deadline",
    "count_per_period": "每期次数 count per period",
    "mean": "平均值 mean",
    "percentile": "分位数 percentile",
}


_FIELDS = {
    "filters": "筛选 Filters",
    "defaults": "默认筛选 Defaults",
    "implied": "隐含范围 Implied",
    "numerator": "分子 Numerator",
    "denominator": "分母 Denominator",
    "denominator_table": "分母数据表 Denominator table",
    "scale": "比例系数 Scale",
    "start": "开始 Start",
    "end": "结束 End",
    "column": "数值列 Column",
    "threshold": "阈值 Threshold",
    "percentile": "分位 Percentile",
}


def _plain(value: object) -> str:
    if isinstance(value, dict):
        return "; ".join(f"{k} = {_plain(v)}" for k, v in sorted(value.items()))
    if isinstance(value, list):
        return " | ".join(_plain(v) for v in value)
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def describe_definition(definition: MetricDefinition) -> list[list[str]]:
    """Rows (field, value) that say how a metric is computed from the operational data; every field that is set."""
    rows = [["计算方式 Computation", escape_text(_KINDS.get(definition.kind.value, definition.kind.value))], ["数据表 Table", escape_text(definition.table.value)]]
    for name, value in definition.model_dump(mode="json", exclude={"kind", "table"}).items():
        if value in (None, {}, []) or (name == "scale" and value == 1.0):
            continue
        rows.append([escape_text(_FIELDS.get(name, name)), escape_text(_plain(value))])
    return rows


def _uses_table(ctx: BookContext, uses: list[TargetUse]) -> str:
    rows = []
    for use in uses:
        std = ctx.corpus.standards[use.entry.standard_id]
        rows.append([link_clause(use.entry.clause.id), make_link(label_standard(std.id), escape_text(std.title.zh)), escape_text(format_clause_target(use.target)),
                     escape_text(describe_population(use.target.population)), escape_text(NATURE[use.target.nature]), escape_text(use.target.quote)])
    return make_table(["条款 Clause", "标准 Standard", "要求 Target", "适用范围 Population", "性质 Nature", "原文 Quote"], rows)


def _metric(ctx: BookContext, metric: Metric) -> list[str]:
    title = escape_text(metric.name.zh) + (f" · {escape_text(metric.name.en)}" if metric.name.en else "")
    unit = format_unit(metric.unit) or "比值 ratio"
    out = [make_target(label_metric(metric.id)), f"## {title}", ""]
    if metric.description:
        out += [escape_text(metric.description), ""]
    rows = [["标识 Id", f"`{metric.id}`" if metric.id.replace("-", "").isalnum() else escape_text(metric.id)],
            ["单位 Unit", escape_text(f"{unit}（{metric.unit.value}）")], ["方向 Direction", escape_text(DIRECTION[metric.direction])]]
    if metric.definition:
        rows += describe_definition(metric.definition)
    else:
        rows.append(["计算方式 Computation", "尚无定义：本指标暂不从运营数据计算。"])
    out += [make_table(["项目", "内容"], rows), ""]
    uses = ctx.targets.get(metric.id, [])
    if uses:
        firm = sum(1 for u in uses if u.target.nature is TargetNature.firm)
        out += [f"{len(uses)} 个条款目标针对本指标，其中明确目标 {firm} 个：", "", _uses_table(ctx, uses), ""]
    else:
        out += ["没有条款为本指标设定目标。", ""]
    return out


def render_metrics(ctx: BookContext) -> str:
    """The metric catalogue page."""
    out = ["# 指标目录 Metric catalogue", "",
           "每个指标的定义、单位、方向（越高越好或越低越好），以及为它设定目标的每一个条款和数值。"
           "只有“明确目标”参与冲突检查和门店评分；举例、建议值和法定权利只记录原文提到的数字。", ""]
    for mid in sorted(ctx.corpus.metrics):
        out += _metric(ctx, ctx.corpus.metrics[mid])
    return "\n".join(out).rstrip() + "\n"


def render_requirements(ctx: BookContext) -> str:
    """The requirement index: every target of every clause in one table."""
    rows = []
    for entry in ctx.corpus.iter_clauses():
        c = entry.clause
        for t in c.targets:
            rows.append([link_clause(c.id), escape_text(KIND[c.kind]), escape_text(MODALITY[c.modality]), link_metric(ctx, t.metric), escape_text(format_clause_target(t)),
                         escape_text(describe_population(t.population)), escape_text(NATURE[t.nature]), escape_text(t.quote)])
    header = ["条款 Clause", "类型 Kind", "措辞 Modality", "指标 Metric", "要求 Target", "适用范围 Population", "性质 Nature", "原文 Quote"]
    lead = f"全部标准中的 {len(rows)} 个数值目标，按标准和条款顺序排列。点击条款标识可查看其原文和上下文。"
    body = make_table(header, rows) if rows else "没有数值目标。"
    return "\n".join(["# 要求索引 Requirement index", "", lead, "", body, ""])
