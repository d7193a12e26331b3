"""The scorecard: one row per store x period x effective target, with its value and verdict.

`score_stores` places the data on the grid, builds the target rows,
measures every distinct target on the whole grid (`engine.measure_targets`:
one pass per table, on the backend that holds the data) and decides every
row's status in one vectorised pass, from the measures and the verdict
style its metric kind declares (`compliance.kinds`):

- survey shares: `pass` when the 95 % Wilson interval lies on the right
  side of the target, `fail` when it lies wholly on the wrong side,
  `inconclusive` otherwise (mirrored for at-most targets);
- ratios, means, percentiles, counts: exact comparison; a count whose
  window is still open is `inconclusive` until it is decided either way;
- deadlines: `pass` when the attainment reaches the required level (100 %
  unless the profile's `service_levels` says otherwise); `inconclusive`
  while some events need a year the working-day calendar does not know;
- `no-data` when nothing was measured, `not-computable` when the metric
  cannot be computed from the tables (the reason says why);
- rows of role `flag` are classification thresholds ("超过5%的门店列为高风险区域"):
  measured the same way, then `flagged` (the figure meets the threshold, so the
  store falls into the class named in `flag`) or `not-flagged`, never pass/fail.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from servicekb.compliance.context import Context, build_context, settle_grid
from servicekb.compliance.data import Dataset
from servicekb.compliance.engine import measure_targets, target_label
from servicekb.compliance.kinds import get_kind
from servicekb.compliance.measures import Measures
from servicekb.compliance.relations import Relations
from servicekb.compliance.targets import TargetTable, build_targets, find_specs
from servicekb.corpus import Corpus

__all__ = ["COLUMNS", "STATUSES", "Scorecard", "decide_status", "score_stores"]

STATUSES = ("pass", "fail", "inconclusive", "no-data", "not-computable", "flagged", "not-flagged")

COLUMNS = [
    "store_id", "profile", "period", "role", "flag", "metric", "population", "clause_ids", "override",
    "comparator", "target", "target_upper", "unit", "clock",
    "value", "value_unit", "n", "ci_low", "ci_high", "breaches", "pending", "worst_delay", "required",
    "status", "reason",
]  # fmt: skip

_MEASURED = ["value", "n", "ci_low", "ci_high", "breaches", "pending", "worst_delay"]


@dataclass
class Scorecard:
    """The scorecard frame (`COLUMNS`), with the context and targets it was computed from."""

    frame: pd.DataFrame
    context: Context
    targets: TargetTable
    measures: dict[int, Measures]
    profile_names: dict[str, str] = field(default_factory=dict)

    @property
    def as_of(self) -> pd.Timestamp:
        """The latest as-of instant over the scored stores (UTC)."""
        return pd.Timestamp(int(self.context.as_of.max()), tz="UTC") if len(self.context.as_of) else pd.NaT

    def counts(self) -> dict[str, int]:
        """Rows per status, in `STATUSES` order."""
        found = self.frame["status"].value_counts()
        return {s: int(found.get(s, 0)) for s in STATUSES}


def _le(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return a <= b + 1e-9 * np.maximum(1.0, np.abs(b))


class _Comparators:
    """Per row, which comparator its target has (masks from the comparators' codes, not string comparisons)."""

    def __init__(self, comparator: pd.Series):
        codes, names = pd.factorize(comparator)
        self.codes, self.names = codes, [str(n) for n in names]

    def any(self, *ops: str) -> np.ndarray:
        return np.isin(self.codes, [i for i, name in enumerate(self.names) if name in ops])


def _exact(value, comp: _Comparators, low, high) -> np.ndarray:
    eq = np.abs(value - low) <= 1e-9 * np.maximum(1.0, np.abs(low))
    return np.select(
        [comp.any("<="), comp.any("<"), comp.any(">="), comp.any(">"), comp.any("==")],
        [_le(value, low), (value < low) & ~eq, _le(low, value), (value > low) & ~eq, eq],
        default=_le(low, value) & _le(value, high),
    )


def _interval(lo, hi, comp: _Comparators, low, high) -> tuple[np.ndarray, np.ndarray]:
    """(passes, fails) of a Wilson interval [lo, hi] against the target."""
    ops = [comp.any(">="), comp.any(">"), comp.any("<="), comp.any("<")]
    passes = np.select(ops, [_le(low, lo), lo > low, _le(hi, low), hi < low], default=_le(low, lo) & _le(hi, high))
    fails = np.select(ops, [hi < low, _le(hi, low), lo > low, _le(low, lo)], default=(hi < low) | (lo > high))
    return passes, fails


_STATUS = np.array(STATUSES)


def decide_status(
    frame: pd.DataFrame, kind: pd.Series, computable: np.ndarray, settled: np.ndarray, nature: np.ndarray | None = None
) -> np.ndarray:
    """The status of every row from its measures (columns of `COLUMNS`), kind, computability and settledness.

    A row whose target `nature` is `classification` is never pass/fail: it is
    `flagged` when the measured value meets the threshold (the figure that
    triggers the class, e.g. 高风险) and `not-flagged` otherwise.
    """
    code = {name: i for i, name in enumerate(STATUSES)}  # statuses as codes into STATUSES until the end
    passed, failed, open_ = code["pass"], code["fail"], code["inconclusive"]
    none, cannot = code["no-data"], code["not-computable"]
    value = frame["value"].to_numpy(dtype=np.float64)
    comp = _Comparators(frame["comparator"])
    low = frame["target"].to_numpy(dtype=np.float64)
    upper = frame["target_upper"].to_numpy(dtype=np.float64)
    high = np.where(np.isnan(upper), low, upper)
    style = _verdicts(kind)
    exact = _exact(value, comp, low, high)
    p, f = _interval(
        frame["ci_low"].to_numpy(dtype=np.float64), frame["ci_high"].to_numpy(dtype=np.float64), comp, low, high
    )
    attained = _le(frame["required"].to_numpy(dtype=np.float64), value)
    verdict = np.where(exact, passed, failed)
    # A count only grows while its window is open: reaching a floor, or passing a ceiling, is already final.
    open_decided = np.select([comp.any(">=", ">"), comp.any("<=", "<")], [exact, ~exact], default=~_le(value, high))
    status = np.select(
        [~computable, np.isnan(value), style == "interval", style == "attainment", style == "window"],
        [
            cannot,
            none,
            np.where(p, passed, np.where(f, failed, open_)),
            np.where(settled, np.where(attained, passed, failed), open_),
            np.where(settled | open_decided, verdict, open_),
        ],
        default=verdict,
    )
    if nature is not None:
        classify = (np.asarray(nature, dtype=object) == "classification") & computable & ~np.isnan(value)
        status = np.where(classify, np.where(exact, code["flagged"], code["not-flagged"]), status)
    return _STATUS[status]


def _verdicts(kinds) -> np.ndarray:
    """The verdict style of every row's metric kind (`exact` when it has none)."""
    codes, names = pd.factorize(np.asarray(kinds, dtype=object))
    found = [get_kind(str(name)) if name else None for name in names]
    # A missing kind (code -1) picks the last style: exact.
    styles = [kind.verdict if kind is not None else "exact" for kind in found] + ["exact"]
    return np.array(styles, dtype=object).astype(str)[codes]


def score_stores(
    corpus: Corpus,
    data: Dataset | Relations,
    store_ids: list[str],
    granularity: str = "month",
    as_of: str | None = None,
) -> Scorecard:
    """Score stores of validated data (a pandas `Dataset` or `Relations` on any engine) against their targets."""
    if isinstance(data, Dataset):
        from servicekb.compliance.adapter import relations_from_dataset

        data = relations_from_dataset(data)
    ctx = build_context(data, store_ids, granularity, as_of)
    as_of_day = pd.Timestamp(int(ctx.as_of_local.max())).date() if len(store_ids) else dt.date.today()
    stores = data.stores[data.stores["store_id"].isin(store_ids)]
    # Every target some period of the outer grid has is measured; the rows are made on the settled grid.
    specs = find_specs(corpus, stores, ctx.grid, as_of_day)
    measures = measure_targets(ctx, specs)
    cells = settle_grid(ctx)
    # The targets of the settled grid: each period's are those it had on the outer grid, numbered afresh.
    outer = {t.key: t.spec_id for t in specs}
    targets = build_targets(corpus, stores, ctx.grid, as_of_day)
    if cells is None:  # no row placed, and the as-of period outside the outer grid: measured again
        measures = measure_targets(ctx, targets.specs)
    else:
        measures = {t.spec_id: measures[outer[t.key]].take(cells) for t in targets.specs}
        # Events a target only the outer grid had could not judge are no concern of this scorecard.
        kept = {target_label(t) for t in targets.specs}
        ctx.unjudged = {k: v for k, v in ctx.unjudged.items() if k[1] in kept}
    names = {p: corpus.stores[p].name for p in sorted(set(stores["profile"])) if p in corpus.stores}
    frame = targets.frame
    n_rows = len(frame)
    cells = frame["store_index"].to_numpy(dtype=np.int64) * ctx.grid.count + frame["period_index"].to_numpy(
        dtype=np.int64
    )
    spec_ids = frame["spec_id"].to_numpy(dtype=np.int64)
    ordered = [measures[i] for i in range(len(measures))]
    out = frame.copy(deep=False)  # new columns only: the target rows stay as they are
    if n_rows == 0:
        for name in [*_MEASURED, "value_unit", "status", "reason"]:
            out[name] = pd.Series(dtype=object if name in ("value_unit", "status", "reason") else np.float64)
        return Scorecard(out[COLUMNS + ["store_index", "period_index", "spec_id"]], ctx, targets, measures, names)
    for name in _MEASURED:
        out[name] = np.vstack([getattr(m, name) for m in ordered])[spec_ids, cells]
    reason = np.vstack([m.reason for m in ordered])[spec_ids, cells]
    settled = np.vstack([m.settled for m in ordered])[spec_ids, cells]
    computable = np.array([m.computable for m in ordered], dtype=bool)[spec_ids]
    spec_kinds = np.array([getattr(t.kind, "value", t.kind) if t.kind else "" for t in targets.specs], dtype=object)
    kinds = spec_kinds[spec_ids]
    value_units = np.array(
        [(get_kind(t.kind).value_unit if t.kind and get_kind(t.kind) else None) or "" for t in targets.specs],
        dtype=object,
    )[spec_ids]
    out["value_unit"] = np.where(value_units != "", value_units, out["unit"].to_numpy(dtype=object))
    nature = np.where(out["role"].to_numpy(dtype=object) == "flag", "classification", "firm")
    status = decide_status(out, pd.Series(kinds, index=out.index), computable, settled, nature)
    # Why a row is undecided; a decided count no longer needs the open-window remark.
    reason = np.where(
        (status == "inconclusive") & (_verdicts(spec_kinds)[spec_ids] == "interval"),
        "the 95 % interval contains the target",
        reason,
    )
    reason = np.where(
        np.isin(status, ["pass", "fail"]),
        np.where(reason == "the window is still open at the as-of time", "", reason),
        reason,
    )
    out["status"], out["reason"] = status, reason
    return Scorecard(
        out[COLUMNS + ["store_index", "period_index", "spec_id"]].reset_index(drop=True), ctx, targets, measures, names
    )
