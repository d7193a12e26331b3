"""Change impact: the same operational data scored under revision A and under revision B, compared.

The data is read once (validated against the store profiles of both
revisions), each revision scores the stores whose profile it has
(`servicekb.compliance.score_stores`), and the two scorecards are
matched row by row on store, period, metric and population. For each store
and target the report says which periods change status (pass -> fail ...),
and which targets appear or disappear with their statuses. pandas is
imported here only, so that `servicekb diff` without `--impact` stays light.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from servicekb.corpus import FileKey
from servicekb.issues import Issue
from servicekb.review.changes import Change
from servicekb.review.revisions import Revision
from servicekb.types import Unit
from servicekb.units import format_target

__all__ = ["Impact", "ImpactError", "score_impact"]

_KEY = ["store_id", "period", "metric", "population"]


class ImpactError(ValueError):
    """Options that cannot be scored: an unknown or abstract profile, no store in the data."""


@dataclass
class Impact:
    """Status changes between the two scorecards, the data's problems, and how many rows each side scored."""

    changes: list[Change] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    rows: tuple[int, int] = (0, 0)
    ok: bool = True


def _target(row, side: str) -> str:
    """`<= 48 hour`, `<= 8 hour (working time)`: the target of a scorecard row as the diff names targets."""
    upper = row[f"target_upper_{side}"]
    unit, clock = Unit(row[f"unit_{side}"]), row[f"clock_{side}"] or None
    return format_target(
        row[f"comparator_{side}"], row[f"target_{side}"], upper if upper == upper else None, unit, clock, "id"
    )


def _statuses(counter: Counter) -> str:
    return ", ".join(f"{n} {status}" for status, n in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0])))


def _stores(dataset, corpus_stores: dict, profile: str | None) -> list[str]:
    import pandas as pd

    seen: set[str] = set()
    for frame in dataset.tables.values():
        seen |= set(pd.unique(frame["store_id"].astype("str")))
    mapping = dataset.stores[
        dataset.stores["store_id"].isin(seen) & dataset.stores["profile"].isin(list(corpus_stores))
    ]
    if profile is not None:
        mapping = mapping[mapping["profile"] == profile]
    return sorted(mapping["store_id"])


def _compare(frame_a, frame_b, locate) -> list[Change]:
    import pandas as pd

    keep = [*_KEY, "status", "value", "comparator", "target", "target_upper", "unit", "clock"]
    merged = pd.merge(frame_a[keep], frame_b[keep], on=_KEY, how="outer", suffixes=("_a", "_b"), indicator=True)
    out = []
    for (store, metric, population), rows in merged.groupby(
        ["store_id", "metric", "population"], sort=True, observed=True
    ):
        subject, where = f"{metric} [{population}]", locate(store)
        both = rows[rows["_merge"] == "both"]
        moved = both[both["status_a"] != both["status_b"]]
        if len(moved):
            first = moved.iloc[0]
            targets = _target(first, "a"), _target(first, "b")
            target = f"target {targets[0]}" if targets[0] == targets[1] else f"target {targets[0]} -> {targets[1]}"
            moves = Counter(f"{a} -> {b}" for a, b in zip(moved["status_a"], moved["status_b"], strict=False))
            periods = ", ".join(moved["period"].astype(str).head(6)) + (" …" if len(moved) > 6 else "")
            summary = f"{target}: {len(moved)} of {len(both)} periods change status: {_statuses(moves)} ({periods})"
            out.append(
                Change(
                    "impact",
                    store,
                    "impact-status-changed",
                    subject,
                    summary,
                    before=dict(Counter(moved["status_a"])),
                    after=dict(Counter(moved["status_b"])),
                    location=where,
                    subjects=(store, metric),
                )
            )
        for side, kind, word in (
            ("left_only", "impact-target-removed", "a"),
            ("right_only", "impact-target-added", "b"),
        ):
            only = rows[rows["_merge"] == side]
            if len(only):
                statuses = Counter(only[f"status_{word}"])
                summary = (
                    f"{_target(only.iloc[0], word)} {'no longer scored' if word == 'a' else 'now scored'}: "
                    f"{len(only)} periods ({_statuses(statuses)} under {word.upper()})"
                )
                out.append(
                    Change(
                        "impact",
                        store,
                        kind,
                        subject,
                        summary,
                        before=dict(statuses) if word == "a" else None,
                        after=dict(statuses) if word == "b" else None,
                        location=where,
                        subjects=(store, metric),
                    )
                )
    return out


def score_impact(
    a: Revision,
    b: Revision,
    data: Path,
    *,
    profile: str | None = None,
    granularity: str = "month",
    as_of: str | None = None,
    drop_invalid: bool = False,
) -> Impact:
    """Score the data under both revisions (the stores of one profile, or all with `profile=None`); list what changes.

    Raises:
        ImpactError: `profile` is in neither revision, or is abstract.
    """
    from servicekb.compliance import find_profile_timezones, read_dataset
    from servicekb.compliance.targets import find_data_claims

    if profile is not None:
        found = b.corpus.stores.get(profile) or a.corpus.stores.get(profile)
        if found is None:
            raise ImpactError(f"no store profile {profile!r} in either revision")
        if found.abstract:
            raise ImpactError(f"{profile} is an abstract profile (a baseline); give a store profile or --all-stores")
    today = dt.date.today()
    zones_a, abstract_a, _ = find_profile_timezones(a.corpus, today)
    zones_b, abstract_b, _ = find_profile_timezones(b.corpus, today)
    zones = {**zones_a, **zones_b}
    claims = {s: p for s, p in {**find_data_claims(a.corpus), **find_data_claims(b.corpus)}.items() if p in zones}
    dataset = read_dataset(
        data,
        zones,
        abstract_a | abstract_b,
        drop_invalid=drop_invalid,
        display=data.as_posix().rstrip("/"),
        claims=claims,
    )
    issues = dataset.issues()
    if not dataset.ok:
        return Impact(issues=issues, ok=False)
    stores_a, stores_b = _stores(dataset, zones_a, profile), _stores(dataset, zones_b, profile)
    if not stores_a and not stores_b:
        raise ImpactError(
            f"no store in {data.as_posix()} is scored against {profile or 'any profile of either revision'}"
        )
    frame_a = _scorecard(a, dataset, stores_a, granularity, as_of)
    frame_b = _scorecard(b, dataset, stores_b, granularity, as_of)
    profile_of = dict(zip(dataset.stores["store_id"], dataset.stores["profile"], strict=False))
    changes = _compare(frame_a, frame_b, lambda store: b.locate(FileKey.store(profile_of.get(store, store))))
    return Impact(changes, issues, (len(frame_a), len(frame_b)))


def _scorecard(rev: Revision, dataset, stores: list[str], granularity: str, as_of: str | None):
    """The scorecard frame of a revision; an empty one when none of its profiles has stores in the data."""
    import pandas as pd

    from servicekb.compliance import COLUMNS, score_stores

    if not stores:
        return pd.DataFrame(
            {
                name: pd.Series(dtype=float if name in ("value", "target", "target_upper") else object)
                for name in COLUMNS
            }
        )
    return score_stores(rev.corpus, dataset, stores, granularity, as_of).frame
