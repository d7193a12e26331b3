"""Per store, a traceability matrix: clause -> target -> where the number came from -> latest verdict.

One row per effective target of the store, so that a manager reads across
a line from the clause that sets a number to the verdict their store got
on it in the latest period of the sample data. The store page links here
at its top (one click).
"""

from __future__ import annotations

from dataclasses import dataclass

from servicekb.book.clause_block import link_metric
from servicekb.book.markdown import escape_text, label_store, link_clause, make_link, make_table, make_target
from servicekb.book.markers import mark_text
from servicekb.book.page_context import BookContext
from servicekb.book.vocab import MERGE_RULE, OVERRIDE_CHANGE, VERDICT, describe_population
from servicekb.tailoring import EffectiveStandard, EffectiveTarget

__all__ = ["LatestVerdict", "collect_latest", "label_trace", "render_trace", "render_trace_index"]


@dataclass(frozen=True)
class LatestVerdict:
    """The verdict of one store of the sample data on one target in its latest period."""

    store_id: str
    period: str
    status: str


def label_trace(store_id: str) -> str:
    """Label of a store's traceability matrix page."""
    return f"trace-{store_id}"


def collect_latest(card, profile: str) -> dict[tuple[str, tuple], list[LatestVerdict]]:
    """(metric, `Population.key()`) -> the latest verdict of every store scored on `profile`.

    A row's population is read from its typed target (`spec_id`), never from the text the scorecard writes.
    """
    if card is None:
        return {}
    frame = card.frame[card.frame["profile"] == profile]
    specs = card.targets.specs
    found: dict[tuple[str, tuple], list[LatestVerdict]] = {}
    for store in sorted(frame["store_id"].unique()):
        mine = frame[frame["store_id"] == store]
        period = max(mine["period"])
        for row in mine[mine["period"] == period].to_dict("records"):
            target = specs[int(row["spec_id"])]
            found.setdefault((target.metric.id, target.population.key()), []).append(
                LatestVerdict(store, period, row["status"])
            )
    return found


def _origin(t: EffectiveTarget) -> str:
    """Where the number came from, in words: the clause's quote and the merge rule, or the override that set it."""
    applied = [s for s in t.steps if s.status == "applied"]
    if applied:
        step = applied[-1]
        ov = step.override
        who = make_link(label_store(step.profile), escape_text(step.profile))
        extra = f"，理由：{escape_text(ov.justification)}" if ov.justification else ""
        return f"门店配置 {who} 覆盖（{escape_text(OVERRIDE_CHANGE.get(step.change, step.change))}{extra}）"
    winner = t.merge.winner
    others = len(t.merge.entries) - 1
    rule = MERGE_RULE.get(t.merge.rule, t.merge.rule) + (f"，另有 {others} 个候选" if others > 0 else "")
    return f"原文“{mark_text(winner.target.quote)}”（{escape_text(rule)}）"


def _verdicts(latest: list[LatestVerdict]) -> str:
    if not latest:
        return "—"
    parts = []
    for v in latest:
        word = escape_text(VERDICT.get(v.status, v.status))
        parts.append(
            f"{escape_text(v.store_id)} {escape_text(v.period)}：" + (f"**{word}**" if v.status == "fail" else word)
        )
    return "；".join(parts)


def render_trace(ctx: BookContext, eff: EffectiveStandard, latest: dict[tuple[str, str], list[LatestVerdict]]) -> str:
    """The traceability matrix page of one store profile."""
    store = make_link(label_store(eff.id), escape_text(eff.name))
    out = [
        make_target(label_trace(eff.id)),
        f"# 追溯矩阵 · {escape_text(eff.name)}",
        "",
        f"{store}的每个数值目标一行：哪一条条款设定它、目标是多少、这个数字从哪里来，以及样本数据最近一期的结论。",
        "",
    ]
    if eff.profile.abstract:
        out += ["这是供其他配置继承的基线，本身不评分，所以没有结论一栏的数据。", ""]
    rows = []
    for t in eff.sorted_targets():
        clause = link_clause(t.merge.winner.clause_id)
        target = (
            f"{link_metric(ctx, t.metric)} · "
            f"{escape_text(describe_population(t.population))}：{escape_text(t.spec.format())}"
        )
        rows.append([clause, target, _origin(t), _verdicts(latest.get(t.key, []))])
    if rows:
        out += [make_table(["条款", "目标", "数字来源", "最新结论"], rows), ""]
    else:
        out += ["没有数值目标。", ""]
    return "\n".join(out).rstrip() + "\n"


def render_trace_index(stores: dict[str, EffectiveStandard]) -> str:
    """The chapter page of the traceability matrices: one link per store profile."""
    rows = [
        [make_link(label_trace(sid), escape_text(eff.name)), str(len(eff.targets))]
        for sid, eff in sorted(stores.items())
    ]
    lead = "每个门店配置一张追溯矩阵：从条款到目标、数字来源和最近一期的结论。门店页顶部也有链接。"
    body = make_table(["门店", "目标数"], rows) if rows else "还没有门店配置。"
    return "\n".join(["# 追溯矩阵 Traceability", "", lead, "", body, ""])
