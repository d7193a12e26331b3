"""One page per store profile: its effective standard, where every number comes from, and its scorecard."""

from __future__ import annotations

from collections import defaultdict

from servicekb.book.clause_block import link_metric, render_clause
from servicekb.book.markdown import (
    escape_text,
    label_standard,
    label_store,
    link_clause,
    make_link,
    make_table,
    make_target,
)
from servicekb.book.page_context import BookContext
from servicekb.book.trace_page import label_trace
from servicekb.book.vocab import (
    FORMAT,
    MERGE_OUTCOME,
    MERGE_RULE,
    OVERRIDE_CHANGE,
    OVERRIDE_STATUS,
    describe_population,
    describe_selector,
)
from servicekb.bound import Bound
from servicekb.tailoring import EffectiveStandard, EffectiveTarget

__all__ = ["describe_spec", "render_store", "render_stores_index"]


def describe_spec(spec: Bound) -> str:
    """`≤ 24 小时`: the number part of an effective target (plain text)."""
    return spec.format()


def _store_link(ctx: BookContext, store_id: str) -> str:
    profile = ctx.corpus.stores.get(store_id)
    return make_link(label_store(store_id), escape_text(profile.name if profile else store_id))


def _facts(ctx: BookContext, eff: EffectiveStandard) -> list[str]:
    local = sum(1 for sc in eff.clauses.values() if sc.local)
    hours = f"{eff.opening_hours.opens}–{eff.opening_hours.closes}" if eff.opening_hours else "—"
    rows = [
        ["标识 Id", escape_text(eff.id)],
        ["类型 Kind", "基线 baseline（供其他配置继承，不单独评分）" if eff.profile.abstract else "门店 store"],
        ["业态 Format", escape_text(FORMAT.get(eff.format.value, eff.format.value) if eff.format else "—")],
        ["地区 Region", escape_text(eff.region or "—")],
        ["时区 Timezone", escape_text(eff.timezone)],
        ["数据门店 Data store ids", escape_text("、".join(eff.profile.data_store_ids) or "—")],
        ["营业时间 Opening hours", escape_text(hours)],
        ["继承 Chain", " → ".join(_store_link(ctx, p) for p in eff.chain)],
        [
            "采用标准 Adopts",
            "、".join(
                make_link(label_standard(s), escape_text(ctx.corpus.standards[s].title.zh))
                for s in eff.adopts
                if s in ctx.corpus.standards
            )
            or "—",
        ],
        [
            "条款 Clauses",
            escape_text(
                f"选用 {len(eff.clauses)}（标准 {len(eff.clauses) - local}，本店 {local}），排除 {len(eff.excluded)}"
            ),
        ],
        ["截至 As of", escape_text(eff.as_of.isoformat())],
    ]
    return [make_table(["项目", "内容"], rows), ""]


def _set_by(t: EffectiveTarget) -> str:
    step = t.override
    if step is not None:
        change = OVERRIDE_CHANGE.get(step.change, step.change)
        return f"{_store_ref(step.profile)} 覆盖 override（{escape_text(change)}）"
    return link_clause(t.merge.winner.clause_id)


def _store_ref(store_id: str) -> str:
    return make_link(label_store(store_id), escape_text(store_id))


def _targets(ctx: BookContext, eff: EffectiveStandard) -> list[str]:
    targets = eff.sorted_targets()
    if not targets:
        return ["没有数值目标。", ""]
    rows = [
        [
            link_metric(ctx, t.metric),
            escape_text(describe_population(t.population)),
            escape_text(describe_spec(t.spec)),
            _set_by(t),
        ]
        for t in targets
    ]
    return [make_table(["指标 Metric", "适用范围 Population", "目标 Target", "来源 Set by"], rows), ""]


def _provenance(ctx: BookContext, t: EffectiveTarget) -> list[str]:
    head = (
        f"**{link_metric(ctx, t.metric)} · "
        f"{escape_text(describe_population(t.population))} = {escape_text(describe_spec(t.spec))}**"
    )
    entries = sorted(t.merge.entries, key=lambda e: e.outcome != "selected")
    rows = [
        [
            escape_text(MERGE_OUTCOME.get(e.outcome, e.outcome)),
            link_clause(e.candidate.clause_id),
            escape_text(describe_spec(e.candidate.spec)),
            escape_text(e.candidate.target.quote),
        ]
        for e in entries
    ]
    out = [head, "", make_table(["结果 Outcome", "条款 Clause", "目标 Target", "原文 Quote"], rows), ""]
    rule = MERGE_RULE.get(t.merge.rule, t.merge.rule)
    if t.merge.preferred:
        rule += f"（{t.merge.preferred}）"
    out += [f"合并规则 Rule：{escape_text(rule)}" + (f"；{escape_text(t.merge.note)}" if t.merge.note else ""), ""]
    for s in t.steps:
        ov = s.override
        line = (
            f"- {_store_ref(s.profile)} 覆盖 override：{escape_text(describe_spec(s.before))} → "
            f"{escape_text(describe_spec(s.spec))}，"
            f"{escape_text(OVERRIDE_CHANGE.get(s.change, s.change))}，"
            f"{escape_text(OVERRIDE_STATUS.get(s.status, s.status))}"
        )
        details = [
            f"批准人 {escape_text(ov.approver)}" if ov.approver else "",
            f"批准日期 {ov.approved_on.isoformat()}" if ov.approved_on else "",
            f"有效期至 {ov.expires.isoformat()}" if ov.expires else "",
            f"理由：{escape_text(ov.justification)}" if ov.justification else "",
            escape_text(s.note) if s.note else "",
        ]
        shown = "；".join(d for d in details if d)
        out += [line + (f"（{shown}）" if shown else ""), ""]
    return out


def _excluded(eff: EffectiveStandard) -> list[str]:
    if not eff.excluded:
        return ["没有排除的条款。", ""]
    groups: dict[tuple[str, str], list[str]] = defaultdict(list)
    for cid, ex in sorted(eff.excluded.items()):
        groups[(ex.profile, ex.selector)].append(cid)
    rows = []
    for (profile, selector), ids in sorted(groups.items()):
        shown = "、".join(link_clause(c) for c in ids[:6]) + (f" 等 {len(ids)} 条" if len(ids) > 6 else "")
        rows.append([_store_ref(profile), escape_text(describe_selector(selector)), str(len(ids)), shown])
    return [make_table(["配置 Profile", "选择器 Selector", "条款数", "条款 Clauses"], rows), ""]


def render_store(ctx: BookContext, eff: EffectiveStandard, scorecard: list[str] | None = None) -> str:
    """The page of one store profile; `scorecard` holds the markdown lines of its scorecard, when it has one."""
    out = [make_target(label_store(eff.id)), f"# {escape_text(eff.name)}", ""]
    trace = make_link(label_trace(eff.id), "追溯矩阵：每个目标从条款到结论")
    out += [f"**→ {trace}**", ""]
    out += _facts(ctx, eff)
    # The verdicts first: a manager opens the page for them.
    if scorecard:
        out += scorecard
    out += [
        "## 有效目标 Effective targets",
        "",
        "这家门店在上述日期实际适用的数值目标。多个条款（来自一项或多项标准）对同一指标设定目标时默认取更严格者；门店配置可以收紧目标，"
        "放宽则必须有理由、批准人和有效期。",
        "",
    ]
    out += _targets(ctx, eff)
    out += ["## 每个数字的来源 Provenance", ""]
    for t in eff.sorted_targets():
        out += _provenance(ctx, t)
    out += ["## 排除的条款 Excluded clauses", ""]
    out += _excluded(eff)
    local = [sc.clause for _, sc in sorted(eff.clauses.items()) if sc.local and sc.source == eff.id]
    if local:
        out += ["## 本店条款 Local clauses", ""]
        for clause in local:
            out += render_clause(ctx, clause)
    findings = eff.all_findings()
    if findings:
        out += ["## 配置问题 Profile findings", ""]
        out += [
            f"- {escape_text(f.profile)} {escape_text(f.level.value)}"
            f"\\[{escape_text(f.code)}\\]：{escape_text(f.message)}"
            for f in findings
        ] + [""]
    return "\n".join(out).rstrip() + "\n"


def render_stores_index(ctx: BookContext, stores: dict[str, EffectiveStandard]) -> str:
    """The chapter page listing every store profile."""
    rows = []
    for sid, eff in sorted(stores.items()):
        kind = "基线 baseline" if eff.profile.abstract else "门店 store"
        rows.append(
            [
                _store_link(ctx, sid),
                escape_text(kind),
                escape_text(eff.region or "—"),
                str(len(eff.targets)),
                str(len(eff.clauses)),
            ]
        )
    lead = "每个门店配置一页：它继承和采用的标准、实际适用的目标及每个数字的来源，以及门店的评分卡。"
    body = (
        make_table(["门店 Store", "类型 Kind", "地区 Region", "目标 Targets", "条款 Clauses"], rows)
        if rows
        else "还没有门店配置。"
    )
    return "\n".join(["# 门店 Stores", "", lead, "", body, ""])
