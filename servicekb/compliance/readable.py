"""A scorecard in words people read: Chinese metric names, targets in words, rounded figures with units.

The terminal table (`compliance.render`), the workbook
(`compliance.workbook`) and the handbook read these rows, so a figure is
rounded and named the same way everywhere. Percentages are rounded to one
decimal, other figures to two; an empty measure is `—`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from servicekb.compliance.periods import format_period
from servicekb.compliance.scorecard import STATUSES, Scorecard
from servicekb.types import Clock, Comparator, Unit
from servicekb.vocab import VERDICT, describe_population, describe_reason, format_number, format_target, format_unit

__all__ = [
    "READABLE_COLUMNS",
    "StoreIdentity",
    "describe_stores",
    "format_figure",
    "make_readable_rows",
    "summarize_store",
]

READABLE_COLUMNS = [
    "store_id", "profile", "period", "metric_zh", "metric", "population_zh", "target_text",
    "value", "value_text", "required_text", "n", "interval_text", "status", "verdict", "reason", "provenance",
]  # fmt: skip


@dataclass(frozen=True)
class StoreIdentity:
    """Who a scorecard is about: the profile (name and id), its data store ids, the period and the as-of instant."""

    profile: str
    name: str
    data_ids: tuple[str, ...]
    first_period: str
    last_period: str
    as_of: str

    @property
    def span(self) -> str:
        """`2026-01 至 2026-12` (one period alone when the data cover only one)."""
        return (
            self.first_period if self.first_period == self.last_period else f"{self.first_period} 至 {self.last_period}"
        )

    def describe(self) -> list[str]:
        """Two lines: `上海南京东路服装旗舰店（sh-nanjing-road-flagship）· 数据门店 s002、s005` and `期间 … · 截至 …`."""
        return [
            f"{self.name}（{self.profile}）· 数据门店 {'、'.join(self.data_ids)}",
            f"期间 {self.span} · 截至 {self.as_of}",
        ]


def _missing(x) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def format_figure(value: float, unit: str) -> str:
    """`96.3 %`, `12.5 小时`, `3 次/季度`: rounded (one decimal for percentages, two otherwise), with its unit."""
    if _missing(value):
        return "—"
    if unit == "percent":
        return f"{format_number(round(float(value), 1))} %"
    label = format_unit(Unit(unit)) if unit in Unit._value2member_map_ else unit
    return f"{format_number(round(float(value), 2))} {label}".rstrip()


def _target_text(row) -> str:
    upper = None if _missing(row.target_upper) else float(row.target_upper)
    clock = Clock(row.clock) if isinstance(row.clock, str) and row.clock else None
    return format_target(Comparator(row.comparator), float(row.target), upper, Unit(row.unit), clock)


def _as_of_text(card: Scorecard, store_index: int) -> str:
    ctx = card.context
    zone = ctx.grid.zones[ctx.grid.tz_codes[store_index]]
    stamp = pd.Timestamp(int(ctx.as_of[store_index]), tz="UTC").tz_convert(zone)
    return f"{stamp.strftime('%Y-%m-%d %H:%M')}（{zone}）"


def describe_stores(card: Scorecard) -> list[StoreIdentity]:
    """One identity per scored profile, in profile order."""
    grid = card.context.grid
    if not len(grid.stores):
        return []
    stores = card.context.dataset.stores.set_index("store_id")["profile"]
    out = []
    for pid in sorted(set(stores.reindex(list(grid.stores)).dropna())):
        ids = tuple(s for s in grid.stores if stores.get(s) == pid)
        first = format_period(grid.first, grid.granularity)
        last = format_period(grid.first + grid.count - 1, grid.granularity)
        out.append(
            StoreIdentity(
                pid, card.profile_names.get(pid, pid), ids, first, last, _as_of_text(card, grid.stores.get_loc(ids[0]))
            )
        )
    return out


def make_readable_rows(card: Scorecard) -> pd.DataFrame:
    """The scorecard rows as people read them (`READABLE_COLUMNS`), in the scorecard's order."""
    f = card.frame
    if f.empty:
        return pd.DataFrame(columns=READABLE_COLUMNS)
    specs = card.targets.specs
    metric_zh, population_zh, targets, values, required, intervals, provenance = [], [], [], [], [], [], []
    for row in f.itertuples(index=False):
        spec = specs[int(row.spec_id)]
        metric_zh.append(spec.metric.name.zh)
        population_zh.append(describe_population(spec.population))
        targets.append(_target_text(row))
        deadline = not _missing(row.required)
        shown = format_figure(row.value, row.value_unit)
        values.append(f"按时 {shown}" if deadline and shown != "—" else shown)
        required.append(f"≥ {format_number(row.required)} %" if deadline else "")
        if _missing(row.ci_low):
            intervals.append("")
        else:
            unit = " %" if row.value_unit == "percent" else ""
            intervals.append(f"[{format_number(round(row.ci_low, 1))}, {format_number(round(row.ci_high, 1))}]{unit}")
        source = f"条款 {row.clause_ids}" if row.clause_ids else ""
        provenance.append("；".join(p for p in (source, f"门店覆盖 {row.override}" if row.override else "") if p))
    rounded = np.where(f["value_unit"].to_numpy() == "percent", f["value"].round(1), f["value"].round(2))
    return pd.DataFrame(
        {
            "store_id": f["store_id"].to_numpy(),
            "profile": f["profile"].to_numpy(),
            "period": f["period"].to_numpy(),
            "metric_zh": metric_zh,
            "metric": f["metric"].to_numpy(),
            "population_zh": population_zh,
            "target_text": targets,
            "value": rounded,
            "value_text": values,
            "required_text": required,
            "n": f["n"].fillna(0).astype("int64").to_numpy(),
            "interval_text": intervals,
            "status": f["status"].to_numpy(),
            "verdict": _verdicts(f),
            "reason": [
                describe_reason(r, st) if r else "" for r, st in zip(f["reason"].fillna(""), f["status"], strict=False)
            ],
            "provenance": provenance,
        },
        columns=READABLE_COLUMNS,
    )


def _verdicts(f: pd.DataFrame) -> np.ndarray:
    """Verdicts in Chinese; a classification row names its class: 列为“高风险区域” / 未列为“高风险区域”."""
    verdict = f["status"].map(VERDICT).to_numpy(dtype=object)
    for i, (role, flag, status) in enumerate(zip(f["role"], f["flag"], f["status"], strict=False)):
        if role == "flag" and status in ("flagged", "not-flagged"):
            verdict[i] = f"列为“{flag}”" if status == "flagged" else f"未列为“{flag}”"
    return verdict


def summarize_store(statuses: pd.Series) -> str:
    """`达标 120 · 未达标 20 · 无法判定 5 · 无数据 3 · 无法计算 24`: the five verdicts always, flags when there are any."""
    counts = statuses.value_counts()
    always = ("pass", "fail", "inconclusive", "no-data", "not-computable")
    return " · ".join(f"{VERDICT[s]} {int(counts.get(s, 0))}" for s in STATUSES if s in always or counts.get(s, 0))
