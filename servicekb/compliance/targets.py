"""The effective targets of every scored store and period: the rows a scorecard fills.

A store is scored against its profile's effective standard
(`servicekb.tailoring`) as resolved on the last day of each period (or
the as-of day when earlier), so an override that expired mid-year stops
applying from the first period after its expiry. Profiles are resolved
once per period, never once per store; stores sharing a profile share its
target rows through one merge.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np
import pandas as pd

from servicekb.bound import Bound
from servicekb.compliance.periods import Grid, format_period, get_period_bounds
from servicekb.corpus import Corpus, FileKey
from servicekb.models import Metric, MetricKind, Population, Target
from servicekb.tailoring import Resolver, resolution_epoch
from servicekb.tailoring.effective import EffectiveTarget
from servicekb.tailoring.select import ClauseIndex

__all__ = ["ScoredTarget", "TargetTable", "build_targets", "find_data_claims", "find_profile_timezones", "find_specs"]


def _target_key(metric_id: str, population: Population, spec: Bound) -> tuple:
    """What tells one target from another: its metric, population and number."""
    return (metric_id, population.key(), spec)


@dataclass(frozen=True)
class ScoredTarget:
    """One distinct target (metric, population, number) measured on the grid."""

    spec_id: int
    metric: Metric
    population: Population
    spec: Bound

    @property
    def key(self) -> tuple:
        """(metric id, population key, number): what tells one target from another across grids."""
        return _target_key(self.metric.id, self.population, self.spec)

    @property
    def kind(self) -> MetricKind | None:
        """The metric's kind of computation, None when it has no definition."""
        return self.metric.definition.kind if self.metric.definition else None


@dataclass
class TargetTable:
    """Target rows (store x period x effective target) and the distinct targets they point to."""

    frame: pd.DataFrame
    specs: list[ScoredTarget]


def find_profile_timezones(corpus: Corpus, day: dt.date) -> tuple[dict[str, str], set[str], list[str]]:
    """Timezone of every scorable profile (inherited along `extends`), the abstract ids, and bad timezones."""
    resolver = Resolver(corpus, day)
    zones, abstract, bad = {}, set(), []
    for pid, profile in sorted(corpus.stores.items()):
        if profile.abstract:
            abstract.add(pid)
            continue
        tz = resolver.resolve(pid).timezone
        try:
            ZoneInfo(tz)
        except (ZoneInfoNotFoundError, ValueError):
            bad.append(f"{corpus.files.get(FileKey.store(pid), pid)}: timezone {tz!r} is not an IANA timezone")
            continue
        zones[pid] = tz
    return zones, abstract, bad


def find_data_claims(corpus: Corpus) -> dict[str, str]:
    """Data store id -> the store profile whose `data_store_ids` names it (the first, when two do: `validate` reports
    it).
    """
    claims: dict[str, str] = {}
    for pid, profile in sorted(corpus.stores.items()):
        if profile.abstract:
            continue
        for data_id in profile.data_store_ids:
            claims.setdefault(data_id, pid)
    return claims


def _make_row(
    role: str,
    flag: str,
    metric: Metric,
    population: Population,
    spec: Bound,
    clauses: str,
    override: str,
    service_levels: dict[str, float],
) -> dict:
    deadline = metric.definition is not None and metric.definition.kind is MetricKind.deadline
    return {
        "role": role,
        "flag": flag,
        "metric": metric.id,
        "population": population.describe(),
        "clause_ids": clauses,
        "override": override,
        "comparator": spec.comparator.value,
        "target": spec.value,
        "target_upper": spec.upper if spec.upper is not None else math.nan,
        "unit": spec.unit.value,
        "clock": spec.clock.value if spec.clock else "",
        "required": service_levels.get(metric.id, 100.0) if deadline else math.nan,
        "_key": _target_key(metric.id, population, spec),
        "_population": population,
    }


def _row(target: EffectiveTarget, service_levels: dict[str, float], metric: Metric) -> dict:
    """An effective target: the clauses whose number it is, and the override that set it."""
    clauses = " ".join(e.candidate.clause_id for e in target.merge.entries if e.outcome in ("selected", "equal"))
    step = target.override
    override = f"{step.profile} overrides[{step.index}]" if step else ""
    return _make_row("target", "", metric, target.population, target.spec, clauses, override, service_levels)


def _flag_row(clause_id: str, target: Target, service_levels: dict[str, float], metric: Metric) -> dict:
    """A classification threshold of one clause: measured like a target, judged as a flag."""
    return _make_row("flag", target.flag or "", metric, target.population, target.bound, clause_id, "", service_levels)


def _profile_rows(corpus: Corpus, eff) -> list[dict]:
    """The target and flag rows of one effective standard."""
    made = [_row(t, eff.service_levels, corpus.metrics[t.metric]) for t in eff.sorted_targets()]
    made += [
        _flag_row(cid, t, eff.service_levels, corpus.metrics[t.metric])
        for cid, t in eff.flag_targets()
        if t.metric in corpus.metrics
    ]
    return made


def _period_rows(corpus: Corpus, profiles: list[str], grid: Grid, as_of: dt.date):
    """Per period of the grid: (period index, resolution epoch, {profile: its target rows}); shared, not changed.

    Periods whose last day lies in one resolution epoch share their target rows: resolved once.
    """
    index = ClauseIndex(corpus)  # one index of the clauses for every period's resolver
    resolved: dict[int, dict[str, list[dict]]] = {}
    for i in range(grid.count):
        day = min(get_period_bounds(grid.first + i, grid.granularity)[1], as_of)
        epoch = resolution_epoch(corpus, day)
        if epoch not in resolved:
            resolver = Resolver(corpus, day, index)
            resolved[epoch] = {pid: _profile_rows(corpus, resolver.resolve(pid)) for pid in profiles}
        yield i, epoch, resolved[epoch]


def _add_spec(specs: dict[tuple, ScoredTarget], corpus: Corpus, row: dict) -> ScoredTarget:
    """The distinct target of a row, numbered in order of first appearance."""
    key = row["_key"]
    if key not in specs:
        specs[key] = ScoredTarget(len(specs), corpus.metrics[key[0]], row["_population"], key[2])
    return specs[key]


def find_specs(corpus: Corpus, stores: pd.DataFrame, grid: Grid, as_of: dt.date) -> list[ScoredTarget]:
    """The distinct targets of `stores` on the grid, numbered as `build_targets` numbers them (no target rows)."""
    profiles = sorted(set(stores["profile"]))
    specs: dict[tuple, ScoredTarget] = {}
    seen: set[int] = set()
    for _, epoch, by_profile in _period_rows(corpus, profiles, grid, as_of):
        if epoch in seen:  # an epoch already seen adds no target
            continue
        seen.add(epoch)
        for pid in profiles:
            for row in by_profile[pid]:
                _add_spec(specs, corpus, row)
    return list(specs.values())


def build_targets(corpus: Corpus, stores: pd.DataFrame, grid: Grid, as_of: dt.date) -> TargetTable:
    """Target rows for every store of `stores` (store_id, profile) in the grid, on every period of the grid."""
    profiles = sorted(set(stores["profile"]))
    specs: dict[tuple, ScoredTarget] = {}
    rows = []
    for i, _, by_profile in _period_rows(corpus, profiles, grid, as_of):
        period = format_period(grid.first + i, grid.granularity)
        for pid in profiles:
            for made in by_profile[pid]:
                row = dict(made)  # `_key` and `_population` are left out of the frame below
                row.update(profile=pid, period=period, period_index=i, spec_id=_add_spec(specs, corpus, made).spec_id)
                rows.append(row)
    columns = [
        "profile",
        "period",
        "period_index",
        "role",
        "flag",
        "metric",
        "population",
        "clause_ids",
        "override",
        "comparator",
        "target",
        "target_upper",
        "unit",
        "clock",
        "required",
        "spec_id",
    ]
    per_profile = pd.DataFrame(rows, columns=columns)
    # Rows in scorecard order: store id, period, targets before flags, metric, population. The small per-profile
    # table is sorted once; each store then takes its profile's rows (one take per column, no sort of the big frame).
    per_profile = per_profile.sort_values(
        ["period_index", "role", "metric", "population"], ascending=[True, False, True, True], kind="stable"
    ).reset_index(drop=True)
    positions = per_profile.groupby("profile", sort=False).indices
    placed = pd.DataFrame({"store_id": list(grid.stores), "store_index": np.arange(len(grid.stores))}).merge(
        stores[["store_id", "profile"]], on="store_id"
    )
    placed = placed[placed["profile"].isin(list(positions))].sort_values("store_id", kind="stable")
    parts = [positions[pid] for pid in placed["profile"]]
    taken = np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)
    counts = np.array([len(x) for x in parts], dtype=np.int64)
    frame = per_profile.iloc[taken].reset_index(drop=True)
    frame.insert(0, "store_index", np.repeat(placed["store_index"].to_numpy(dtype=np.int64), counts))
    frame.insert(0, "store_id", pd.Series(np.repeat(placed["store_id"].to_numpy(dtype=object), counts), dtype="str"))
    return TargetTable(frame, list(specs.values()))
