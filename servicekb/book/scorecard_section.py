"""A store's scorecard on the sample data, as a section of its page: counts, a chart, the latest period."""

from __future__ import annotations

import math
from typing import Any

from servicekb.book.clause_block import link_metric
from servicekb.book.embed import make_chart_block
from servicekb.book.markdown import escape_text, link_clause, make_table
from servicekb.book.page_context import BookContext
from servicekb.book.sample_data import SAMPLE_FOLDER
from servicekb.compliance.audits import list_clause_audits
from servicekb.compliance.readable import describe_stores
from servicekb.tailoring import EffectiveStandard
from servicekb.units import format_quantity
from servicekb.vocab import (
    AUDIT_RESULT,
    VERDICT,
    VERDICT_COLORS,
    describe_population,
    describe_reason,
    format_number,
)

__all__ = ["STATUS", "STATUS_COLORS", "make_scorecard_chart", "render_scorecard"]

STATUS = VERDICT
STATUS_COLORS = VERDICT_COLORS


def _number(value: Any, digits: int = 1) -> str:
    return "—" if _missing(value) else format_number(float(value), digits)


def _text(value: Any) -> str:
    return "" if _missing(value) else str(value)


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _value_text(row: dict) -> str:
    if _missing(row["value"]):
        return "—"
    if row["value_unit"] == "percent" and not _missing(row["required"]):
        return f"按时 {_number(row['value'])} %（要求 {_number(row['required'])} %）"
    return format_quantity(float(row["value"]), row["value_unit"], 2)


def _labels(ctx: BookContext, eff: EffectiveStandard) -> dict[tuple[str, tuple], str]:
    """(metric, `Population.key()`) -> `客户满意度 · 全部`."""
    labels = {}
    for t in eff.sorted_targets():
        metric = ctx.corpus.metrics.get(t.metric)
        name = metric.name.zh if metric else t.metric
        labels[t.key] = f"{name} · {describe_population(t.population)}"
    for _, t in eff.flag_targets():
        metric = ctx.corpus.metrics.get(t.metric)
        labels.setdefault((t.metric, t.population.key()), f"{metric.name.zh if metric else t.metric} · 分级：{t.flag}")
    return labels


def _typed(card, rows: list[dict]) -> list[dict]:
    """The rows with their target typed (`ScoredTarget`: metric, population, bound) under `_target`."""
    specs = card.targets.specs
    return [{**row, "_target": specs[int(row["spec_id"])]} for row in rows]


def _target_text(row: dict) -> str:
    return row["_target"].spec.format()


def _label(row: dict, labels: dict[tuple[str, tuple], str]) -> str | None:
    target = row["_target"]
    return labels.get((target.metric.id, target.population.key()))


def make_scorecard_chart(rows: list[dict], labels: dict[tuple[str, tuple], str]):
    """A heatmap per store: months across, targets down, coloured by verdict (altair); fits a 390 px phone."""
    import altair as alt

    data, order = [], []
    for row in rows:
        label = _label(row, labels) or f"{row['metric']} · {row['population']}"
        if label not in order:
            order.append(label)
        data.append(
            {
                "store": row["store_id"],
                "period": row["period"],
                "target": label,
                "status": STATUS[row["status"]],
                "goal": _target_text(row),
                "value": _value_text(row),
                "n": _number(row["n"], 0),
                "reason": describe_reason(_text(row["reason"]), row["status"]),
            }
        )
    periods = sorted({d["period"] for d in data})
    return (
        alt.Chart(alt.Data(values=data))
        .mark_rect(stroke="white")
        .encode(
            x=alt.X(
                "period:O",
                title="月份",
                sort=periods,
                axis=alt.Axis(labelAngle=0, labelExpr="toNumber(slice(datum.value, 5)) + '月'", labelFontSize=9),
            ),
            y=alt.Y("target:N", title=None, sort=order, axis=alt.Axis(labelLimit=120, labelFontSize=10)),
            color=alt.Color(
                "status:N",
                title="状态",
                scale=alt.Scale(domain=list(STATUS.values()), range=list(STATUS_COLORS.values())),
                legend=alt.Legend(orient="bottom", columns=3, labelLimit=0, symbolType="square"),
            ),
            row=alt.Row(
                "store:N",
                title=None,
                header=alt.Header(
                    labelOrient="top", labelAnchor="start", labelExpr="'门店 ' + datum.value", labelFontWeight="bold"
                ),
            ),
            tooltip=[
                alt.Tooltip("store:N", title="门店"),
                alt.Tooltip("period:O", title="期间"),
                alt.Tooltip("target:N", title="目标"),
                alt.Tooltip("goal:N", title="要求"),
                alt.Tooltip("value:N", title="实际"),
                alt.Tooltip("n:N", title="样本"),
                alt.Tooltip("status:N", title="状态"),
                alt.Tooltip("reason:N", title="说明"),
            ],
        )
        .properties(width=alt.Step(14), height=alt.Step(16))
    )


def _measured(r: dict) -> str:
    """`96.2 %（样本 133，区间 91.5–98.4）`: the value with its sample size and interval."""
    extra = []
    if not _missing(r["n"]) and r["n"] > 1:
        extra.append(f"样本 {_number(r['n'], 0)}")
    if not _missing(r["ci_low"]):
        extra.append(f"区间 {_number(r['ci_low'])}–{_number(r['ci_high'])}")
    value = _value_text(r)
    return value + (f"（{'，'.join(extra)}）" if extra and value != "—" else "")


def _latest(ctx: BookContext, rows: list[dict], labels: dict[tuple[str, tuple], str]) -> list[str]:
    """The last period of each store, verdict first so that a phone shows it without scrolling."""
    out = []
    for store in sorted({r["store_id"] for r in rows}):
        mine = [r for r in rows if r["store_id"] == store]
        period = max(r["period"] for r in mine)
        body = []
        for r in (r for r in mine if r["period"] == period):
            shown = (_label(r, labels) or r["population"]).split(" · ", 1)[-1]
            status = STATUS[r["status"]]
            if r.get("role") == "flag":
                # A classification threshold: the class the figure puts the store in, never pass/fail.
                shown = f"分级：{r['flag']}"
                status = {"flagged": f"列为“{r['flag']}”", "not-flagged": f"未列为“{r['flag']}”"}.get(
                    r["status"], status
                )
            verdict = f"**{escape_text(status)}**" if r["status"] in ("fail", "flagged") else escape_text(status)
            body.append(
                [
                    verdict,
                    f"{link_metric(ctx, r['metric'])} · {escape_text(shown)}",
                    escape_text(_target_text(r)),
                    escape_text(_measured(r)),
                    escape_text(describe_reason(_text(r["reason"]), r["status"])),
                ]
            )
        header = ["状态", "指标 · 适用范围", "目标", "实际", "说明"]
        out += [f"**数据门店 {escape_text(store)} · {escape_text(period)}**", "", make_table(header, body), ""]
    return out


def render_scorecard(ctx: BookContext, eff: EffectiveStandard, card) -> list[str]:
    """The scorecard section of a store page (empty for a baseline or a store without sample data)."""
    if card is None or eff.profile.abstract:
        return []
    frame = card.frame[card.frame["profile"] == eff.id]
    if frame.empty:
        return ["## 评分卡 Scorecard", "", f"样本数据（{SAMPLE_FOLDER}）中没有按本配置评分的门店。", ""]
    rows = _typed(card, frame.to_dict("records"))
    labels = _labels(ctx, eff)
    counts = frame["status"].value_counts()
    identity = next((i for i in describe_stores(card) if i.profile == eff.id), None)
    lead = (
        f"在样本数据 `{SAMPLE_FOLDER}`（合成数据）上按月评分。"
        "满意度等调查比例用 95 % 置信区间判断，区间跨过目标时为“无法判定”；时限类指标看按时完成的比例是否达到要求。"
    )
    facts = [
        ["门店", escape_text(f"{eff.name}（{eff.id}）")],
        ["数据门店", escape_text("、".join(identity.data_ids) if identity else "—")],
        ["期间", escape_text(identity.span if identity else "—")],
        ["截至", escape_text(identity.as_of if identity else "—")],
    ]
    out = ["## 评分卡 Scorecard", "", lead, "", make_table(["项目", "内容"], facts), ""]
    out += ["### 最近一期 Latest period", ""]
    out += _latest(ctx, rows, labels)
    out += [
        "### 逐月结论 By month",
        "",
        make_table(["状态", "行数"], [[escape_text(STATUS[s]), str(int(counts.get(s, 0)))] for s in STATUS]),
        "",
    ]
    out += [
        "每格是一家门店一个月的一项目标，颜色表示结论；把鼠标移到（或在手机上点按）格子上可看到要求、实际值和说明。",
        "",
    ]
    out += make_chart_block("scorecard", make_scorecard_chart(rows, labels).to_dict(validate=False), renderer="svg")
    out += _audits(card, set(frame["store_id"]))
    return out


def _audits(card, stores: set[str]) -> list[str]:
    """The clause audits of the store's data stores (answers of `servicekb checklist`), when there are any."""
    audits = list_clause_audits(card)
    audits = audits[audits["store_id"].isin(stores)]
    if audits.empty:
        return []
    rows = [
        [
            escape_text(r.store_id),
            escape_text(r.period),
            link_clause(r.clause_id),
            escape_text(AUDIT_RESULT.get(r.result, r.result)),
            escape_text(r.audit_date),
            escape_text(r.auditor),
            escape_text(r.note or ""),
        ]
        for r in audits.itertuples(index=False)
    ]
    lead = (
        f"审核与神秘顾客的答卷（`{SAMPLE_FOLDER}/audits.csv`）：没有数值的条款逐条记录结果；"
        "有数值的（如指导服务时长）已计入上面的评分卡。"
    )
    return [
        "### 审核条款 Audited clauses",
        "",
        lead,
        "",
        make_table(["数据门店", "期间", "条款 Clause", "结果", "日期", "审核人", "备注"], rows),
        "",
    ]
