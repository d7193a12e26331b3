"""The audit checklist of one store and its answer sheet: what an auditor checks that the data cannot show.

One line per thing to check in the store's effective standard:

- every effective target on a metric measured by audit (`audits` table:
  guidance sessions, service hours, return window ...), with the figure to
  measure and what counts as met (the target in words);
- every effective requirement or recommendation without a firm target
  ("主动问候", "着装整洁"), met when the store does what it says.

Clauses whose targets are scored from tickets, surveys, store periods or
training are left out: the scorecard measures them. The answer sheet has
the columns of the `audits` table, one row per line and data store,
pre-filled with what is known; filled in, it is read back by `score`.
"""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass, field

import pandas as pd

from servicekb.corpus import Corpus
from servicekb.datatables import AUDIT_RESULTS, TABLES
from servicekb.types import Kind, TargetNature
from servicekb.units import name_unit
from servicekb.vocab import MODALITY, STAGE, describe_population

__all__ = ["Checklist", "ChecklistItem", "build_checklist", "make_answer_sheet", "render_checklist_html"]

_CHECKED = (Kind.requirement, Kind.recommendation)


@dataclass(frozen=True)
class ChecklistItem:
    """One line of the checklist."""

    clause_id: str
    stage: str
    text: str
    criterion: str
    metric: str = ""
    topic: str = ""


@dataclass
class Checklist:
    """The checklist of one store profile, resolved on `day`."""

    profile: str
    name: str
    data_ids: tuple[str, ...]
    day: dt.date
    items: list[ChecklistItem] = field(default_factory=list)
    scored_from_data: int = 0


def build_checklist(corpus: Corpus, profile: str, day: dt.date) -> Checklist:
    """The checklist of a (non-abstract) store profile on `day`."""
    from servicekb.tailoring import Resolver

    eff = Resolver(corpus, day).resolve(profile)
    out = Checklist(profile, eff.name, tuple(corpus.stores[profile].data_store_ids), day)
    audited: dict[str, list] = {}
    for t in eff.sorted_targets():
        metric = corpus.metrics.get(t.metric)
        if metric is not None and metric.definition is not None and metric.definition.table.value == "audits":
            audited.setdefault(t.merge.winner.clause_id, []).append((t, metric))
    for cid, sc in eff.clauses.items():
        clause = sc.clause
        firm = [t for t in clause.targets if t.nature is TargetNature.firm]
        if cid in audited:
            for t, metric in audited[cid]:
                scope = describe_population(t.population)
                criterion = (
                    f"{metric.name.zh}{'' if scope == '全部' else f'（{scope}）'} {t.spec.format()}"
                    f"；实测值以“{name_unit(metric.unit)}”填写"
                )
                out.items.append(
                    ChecklistItem(cid, STAGE[clause.stage], clause.text, criterion, t.metric, t.population.topic or "")
                )
        elif firm:
            on_data = [
                t
                for t in firm
                if (m := corpus.metrics.get(t.metric)) is not None
                and m.definition is not None
                and m.definition.table.value != "audits"
            ]
            out.scored_from_data += bool(on_data)
        elif clause.kind in _CHECKED:
            word = MODALITY[clause.modality].split()[0]
            out.items.append(ChecklistItem(cid, STAGE[clause.stage], clause.text, f"现场核实：{word}做到条文所述"))
    # Targets won by a clause outside the effective clauses (a store override) still need a line.
    listed = {i.clause_id for i in out.items}
    for cid, pairs in sorted(audited.items()):
        if cid not in listed:
            for t, metric in pairs:
                criterion = f"{metric.name.zh} {t.spec.format()}；实测值以“{name_unit(metric.unit)}”填写"
                out.items.append(ChecklistItem(cid, "", "", criterion, t.metric, t.population.topic or ""))
    return out


def make_answer_sheet(checklist: Checklist) -> pd.DataFrame:
    """The answer sheet: the `audits` columns, one row per checklist line and data store, known cells pre-filled."""
    columns = list(TABLES["audits"].names)
    rows = []
    for store in checklist.data_ids or ("",):
        for item in checklist.items:
            rows.append({"store_id": store, "clause_id": item.clause_id, "metric": item.metric, "topic": item.topic})
    return pd.DataFrame(rows, columns=columns).astype(object).fillna("")


_CSS = "\n".join(
    (
        "",
        "@page { size: A4; margin: 14mm 12mm 14mm 12mm; }",
        'body { font-family: "Noto Sans CJK SC", "Noto Serif CJK SC", "Source Han Sans SC", sans-serif; '
        "font-size: 9.5pt; color: #111; }",
        "h1 { font-size: 15pt; margin: 0 0 4pt 0; }",
        ".meta { margin: 0 0 8pt 0; }",
        ".meta span { display: inline-block; margin-right: 16pt; }",
        "table { width: 100%; border-collapse: collapse; table-layout: fixed; }",
        "th, td { border: 0.6pt solid #555; padding: 3pt 4pt; vertical-align: top; word-wrap: break-word; }",
        "th { background: #e8edf2; }",
        "thead { display: table-header-group; }",
        "tr { page-break-inside: avoid; }",
        "col.n { width: 5%; } col.id { width: 17%; } col.text { width: 34%; } col.crit { width: 20%; } "
        "col.res { width: 14%; } col.val { width: 10%; }",
        ".box { white-space: nowrap; }",
        ".foot { margin-top: 8pt; color: #444; font-size: 8.5pt; }",
        "",
    )
)


def render_checklist_html(checklist: Checklist) -> str:
    """A printable A4 page (HTML) of the checklist: every user text escaped."""
    e = html.escape
    rows = []
    for n, item in enumerate(checklist.items, start=1):
        what = e(item.text) if item.text else ""
        stage = f"<br><small>{e(item.stage)}</small>" if item.stage else ""
        boxes = "<br>".join(f'<span class="box">☐ {label}</span>' for label in ("符合", "不符合", "不适用"))
        value = "____" if item.metric else ""
        rows.append(
            f"<tr><td>{n}</td><td>{e(item.clause_id)}{stage}</td><td>{what}</td><td>{e(item.criterion)}</td><td>{boxes}</td><td>{value}</td></tr>"
        )
    ids = "、".join(checklist.data_ids) or "—"
    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="zh-CN"><head><meta charset="utf-8">',
            f"<title>{e(checklist.name)} 审核清单</title>",
            f"<style>{_CSS}</style></head><body>",
            f"<h1>门店审核清单：{e(checklist.name)}（{e(checklist.profile)}）</h1>",
            f'<p class="meta"><span>数据门店：{e(ids)}</span><span>适用标准截至：{checklist.day.isoformat()}</span>'
            f"<span>共 {len(checklist.items)} 项</span></p>",
            '<p class="meta"><span>审核日期：__________</span><span>审核人：__________</span>'
            "<span>门店负责人签字：__________</span></p>",
            "<table><colgroup><col class=n><col class=id><col class=text><col class=crit><col class=res><col class=val>"
            "</colgroup>",
            "<thead><tr><th>序号</th><th>条款</th><th>条款内容</th><th>达标标准</th><th>结果</th><th>实测值</th></tr></thead>",
            "<tbody>",
            *rows,
            "</tbody></table>",
            f'<p class="foot">结果填入答卷（{e(checklist.profile)}-answers.csv 或 .xlsx）：'
            f"result 填 符合 / 不符合 / 不适用（或 {' / '.join(AUDIT_RESULTS)}），"
            "有“实测值”的项在 measured_value 填数字，单位按该项“实测值以……填写”"
            "（指标的计量单位，可能与达标标准的单位不同），并填 audit_date 与 auditor。"
            f"另有 {checklist.scored_from_data} 条有数值目标的条款由运营数据评分，不在本清单中。</p>",
            "</body></html>",
        ]
    )
