"""The metric catalogue, one page per metric, and the requirement index (sortable and filterable offline).

A metric's page says how it is computed and lists the clauses and standards
that set a target for it and the stores whose effective standard holds one.
The requirement index is one table of every target; a small script of the
book (`_static/servicekb-reader.js`) sorts and filters it in the browser.
"""

from __future__ import annotations

from servicekb.book.clause_block import link_metric
from servicekb.book.markdown import (
    escape_text,
    label_metric,
    label_standard,
    label_store,
    link_clause,
    make_link,
    make_table,
    make_target,
)
from servicekb.book.markers import mark_text
from servicekb.book.page_context import BookContext, TargetUse
from servicekb.book.vocab import (
    DIRECTION,
    KIND,
    NATURE,
    STAGE,
    describe_population,
)
from servicekb.compliance.kinds import get_kind
from servicekb.models import Metric, MetricDefinition
from servicekb.types import Kind, TargetNature
from servicekb.units import name_unit

__all__ = ["describe_definition", "render_metric", "render_metrics", "render_requirements"]

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
    registered = get_kind(definition.kind)
    zh, _, en = (registered.title if registered and registered.title else definition.kind.value).partition(" ")
    kind = escape_text(zh) + (f" [{escape_text(en)}]{{.en}}" if en else "")
    rows = [["计算方式 Computation", kind], ["数据表 Table", escape_text(definition.table.value)]]
    for name, value in definition.model_dump(mode="json", exclude={"kind", "table"}).items():
        if value in (None, {}, []) or (name == "scale" and value == 1.0):
            continue
        rows.append([escape_text(_FIELDS.get(name, name)), escape_text(_plain(value))])
    return rows


def _uses_table(ctx: BookContext, uses: list[TargetUse]) -> str:
    rows = []
    for use in uses:
        std = ctx.corpus.standards[use.entry.standard_id]
        rows.append(
            [
                link_clause(use.entry.clause.id),
                make_link(label_standard(std.id), escape_text(std.title.zh)),
                escape_text(use.target.bound.format()),
                escape_text(describe_population(use.target.population)),
                escape_text(NATURE[use.target.nature]),
                mark_text(use.target.quote),
            ]
        )
    return make_table(
        ["条款 Clause", "标准 Standard", "要求 Target", "适用范围 Population", "性质 Nature", "原文 Quote"], rows
    )


def _stores(ctx: BookContext, metric: Metric, stores: dict) -> list[str]:
    rows = []
    for sid, eff in sorted(stores.items()):
        for t in eff.sorted_targets():
            if t.metric != metric.id:
                continue
            spec = t.spec.format()
            origin = (
                make_link(label_store(t.steps[-1].profile), escape_text("门店覆盖"))
                if any(s.status == "applied" for s in t.steps)
                else link_clause(t.merge.winner.clause_id)
            )
            rows.append(
                [
                    make_link(label_store(sid), escape_text(eff.name)),
                    escape_text(describe_population(t.population)),
                    escape_text(spec),
                    origin,
                ]
            )
    if not rows:
        return ["没有门店配置对本指标设定有效目标。", ""]
    return [make_table(["门店 Store", "适用范围", "有效目标", "来源"], rows), ""]


def render_metric(ctx: BookContext, metric: Metric, stores: dict | None = None) -> str:
    """The page of one metric: definition, the clauses and standards that set it, the stores that hold a target
    on it.
    """
    title = escape_text(metric.name.zh) + (f" · [{escape_text(metric.name.en)}]{{.en}}" if metric.name.en else "")
    unit = name_unit(metric.unit)
    out = [make_target(label_metric(metric.id)), f"# {title}", ""]
    if metric.description:
        out += [escape_text(metric.description), ""]
    rows = [
        ["标识 Id", f"`{metric.id}`" if metric.id.replace("-", "").isalnum() else escape_text(metric.id)],
        ["单位 Unit", escape_text(f"{unit}（{metric.unit.value}）")],
        ["方向 Direction", escape_text(DIRECTION[metric.direction])],
    ]
    if metric.definition:
        rows += describe_definition(metric.definition)
    else:
        rows.append(["计算方式 Computation", "尚无定义：本指标暂不从运营数据计算。"])
    out += [make_table(["项目", "内容"], rows), ""]
    uses = ctx.targets.get(metric.id, [])
    out += ["## 设定目标的条款 Clauses", ""]
    if uses:
        firm = sum(1 for u in uses if u.target.nature is TargetNature.firm)
        standards = sorted({u.entry.standard_id for u in uses})
        out += [
            f"{len(standards)} 项标准中的 {len(uses)} 个条款目标针对本指标，其中明确目标 {firm} 个：",
            "",
            _uses_table(ctx, uses),
            "",
        ]
    else:
        out += ["没有条款为本指标设定目标。", ""]
    out += ["## 门店 Stores", ""]
    out += _stores(ctx, metric, stores or {})
    return "\n".join(out).rstrip() + "\n"


def render_metrics(ctx: BookContext) -> str:
    """The metric catalogue page: one row per metric, each linking to its own page."""
    out = [
        "# 指标目录 Metric catalogue",
        "",
        "每个指标一页：定义、单位、方向（越高越好或越低越好），为它设定目标的每一个条款和数值，以及对它有有效目标的门店。"
        "只有“明确目标”参与冲突检查和门店评分；举例、建议值和法定权利只记录原文提到的数字。",
        "",
    ]
    rows = []
    for mid in sorted(ctx.corpus.metrics):
        metric = ctx.corpus.metrics[mid]
        uses = ctx.targets.get(mid, [])
        computed = "是" if metric.definition else "否"
        rows.append(
            [
                link_metric(ctx, mid),
                escape_text(name_unit(metric.unit)),
                escape_text(DIRECTION[metric.direction].split(" ")[0]),
                str(len(uses)),
                computed,
            ]
        )
    out += [make_table(["指标", "单位", "方向", "条款目标", "可从数据计算"], rows), ""]
    return "\n".join(out).rstrip() + "\n"


def render_requirements(ctx: BookContext) -> str:
    """The requirement index: every requirement and recommendation (one row per target),
    sortable and filterable offline.

    A clause without a number gets one row with empty target columns and its
    text as the quote, so that "有数值目标" is a filter, not a separate list.
    """
    rows, targets = [], 0
    for entry in ctx.corpus.iter_clauses():
        c = entry.clause
        if not c.targets and c.kind not in (Kind.requirement, Kind.recommendation):
            continue
        std = ctx.corpus.standards[entry.standard_id]
        head = [
            link_clause(c.id),
            escape_text(std.title.zh),
            escape_text(STAGE[c.stage]),
            escape_text(KIND[c.kind].split(" ")[0]),
        ]
        for t in c.targets:
            targets += 1
            rows.append(
                [
                    *head,
                    link_metric(ctx, t.metric),
                    escape_text(t.bound.format()),
                    escape_text(describe_population(t.population)),
                    escape_text(NATURE[t.nature].split(" ")[0]),
                    mark_text(t.quote),
                ]
            )
        if not c.targets:
            rows.append([*head, "", "", "", "", mark_text(c.text)])
    header = ["条款", "标准", "阶段", "类型", "指标", "要求", "适用范围", "性质", "原文"]
    lead = (
        f"全部标准中的要求和建议共 {len(rows)} 行，其中 {targets} 行带数值目标，按标准和条款顺序排列。"
        "点击表头可排序；表格上方的选择框按标准、阶段、类型、指标、性质和有无数值目标筛选（只有“明确目标”参与评分）。"
        "点击条款标识可查看其原文和上下文。"
    )
    body = ["::::{div} requirements-index", make_table(header, rows), "::::"] if rows else ["没有要求。"]
    return "\n".join(["# 要求索引 Requirement index", "", lead, "", *body, ""])
