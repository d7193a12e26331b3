"""Scorecard outputs: a readable terminal table, CSV and JSON (the workbook is `compliance.workbook`).

CSV and JSON carry the same rows and the public columns of
`scorecard.COLUMNS`; numbers are rounded to 6 decimals and missing values
are empty (CSV) or null (JSON), so the outputs are deterministic. The
table is for people: Chinese names, targets in words, rounded figures.
"""

from __future__ import annotations

import io
import json

import pandas as pd

from servicekb.compliance.audits import list_clause_audits
from servicekb.compliance.readable import describe_stores, make_readable_rows, summarize_store
from servicekb.compliance.scorecard import COLUMNS, Scorecard
from servicekb.vocab import AUDIT_RESULT, VERDICT

__all__ = ["render_csv", "render_json", "render_table", "summarize_card"]


def _public(card: Scorecard) -> pd.DataFrame:
    frame = card.frame[COLUMNS].copy()
    numbers = frame.select_dtypes("number").columns
    frame[numbers] = frame[numbers].round(6)
    return frame


def summarize_card(card: Scorecard) -> str:
    """`共 48 行：达标 20 · 未达标 5 …（截至 2026-03-31 23:59 UTC）`."""
    counts = " · ".join(f"{VERDICT[s]} {n}" for s, n in card.counts().items() if n)
    as_of = card.as_of.strftime("%Y-%m-%d %H:%M UTC") if card.as_of is not pd.NaT else "—"
    return f"共 {len(card.frame)} 行：{counts or '没有可评分的行'}（截至 {as_of}）"


def render_table(card: Scorecard, width: int = 120, color: bool = False) -> str:
    """A table per scored profile, width-aware for Chinese (rich): one row per period x target, then a summary per
    store.

    Columns: period, metric (Chinese name and population), target in words,
    measured value, the share required (deadlines), n, the 95 % interval and
    the verdict. Why a metric cannot be computed is said once per metric below.
    """
    from rich import box
    from rich.console import Console
    from rich.table import Table

    buf = io.StringIO()
    console = Console(
        file=buf,
        width=width,
        force_terminal=color,
        color_system="standard" if color else None,
        highlight=False,
        emoji=False,
    )
    rows = make_readable_rows(card)
    audits = list_clause_audits(card)
    if rows.empty:
        console.print(summarize_card(card))
        return buf.getvalue()
    for identity in describe_stores(card):
        for line in identity.describe():
            console.print(line, style="bold")
        for store in identity.data_ids:
            mine = rows[rows["store_id"] == store]
            table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False, expand=False)
            for name, justify in (
                ("期间", "left"),
                ("指标", "left"),
                ("目标", "left"),
                ("实测", "right"),
                ("要求", "right"),
                ("n", "right"),
                ("95% 区间", "right"),
                ("结论", "left"),
            ):
                table.add_column(name, justify=justify, no_wrap=name in ("期间", "n", "结论"), overflow="fold")
            for r in mine.itertuples(index=False):
                metric = r.metric_zh if r.population_zh == "全部" else f"{r.metric_zh} · {r.population_zh}"
                table.add_row(
                    r.period,
                    metric,
                    r.target_text,
                    r.value_text,
                    r.required_text,
                    str(r.n),
                    r.interval_text,
                    f"[{_STYLE[r.status]}]{r.verdict}[/]",
                )
            console.print(f"数据门店 {store}", style="bold")
            console.print(table)
            console.print(f"{store}：{summarize_store(mine['status'])}")
            why = mine[(mine["status"] == "not-computable") & (mine["reason"] != "")].drop_duplicates(
                ["metric", "reason"]
            )
            for r in why.itertuples(index=False):
                console.print(f"  {r.verdict}：{r.metric_zh}（{r.metric}）— {r.reason}", overflow="fold")
            _print_audits(console, audits[audits["store_id"] == store])
            console.print()
    console.print(summarize_card(card))
    return buf.getvalue()


def _print_audits(console, audits) -> None:
    """Clause audits of one store: counts per result, then every clause found not met."""
    if audits.empty:
        return
    counts = audits["result"].value_counts()
    console.print(
        f"审核条款 {len(audits)} 项：" + " · ".join(f"{AUDIT_RESULT[r]} {int(counts.get(r, 0))}" for r in AUDIT_RESULT)
    )
    for r in audits[audits["result"] == "not-met"].itertuples(index=False):
        console.print(
            f"  不符合：{r.clause_id}（{r.period}，{r.audit_date} {r.auditor}）" + (f" {r.note}" if r.note else ""),
            overflow="fold",
        )


_STYLE = {
    "pass": "green",
    "fail": "red",
    "inconclusive": "yellow",
    "no-data": "dim",
    "not-computable": "dim",
    "flagged": "bold red",
    "not-flagged": "green",
}


def render_csv(card: Scorecard) -> str:
    """CSV with the public columns."""
    buf = io.StringIO()
    _public(card).to_csv(buf, index=False, lineterminator="\n")
    return buf.getvalue()


def render_json(card: Scorecard, meta: dict | None = None) -> str:
    """JSON: meta, status counts and the rows (null for missing values)."""
    frame = _public(card).astype(object).where(lambda d: d.notna(), None)
    data = {
        **(meta or {}),
        "as_of": card.as_of.isoformat() if card.as_of is not pd.NaT else None,
        "period": card.context.grid.granularity,
        "summary": card.counts(),
        # Who the rows are about: each profile by name and id, its data store ids, the period and the as-of time.
        "stores": [
            {
                "profile": i.profile,
                "name": i.name,
                "data_store_ids": list(i.data_ids),
                "first_period": i.first_period,
                "last_period": i.last_period,
                "as_of": i.as_of,
            }
            for i in describe_stores(card)
        ],
        "rows": frame.to_dict(orient="records"),
    }
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
