"""What a store does differently from a baseline: attributes, standards, clauses and targets."""

from __future__ import annotations

from dataclasses import dataclass

from servicekb.models import Metric, Population
from servicekb.strictness import compare_strictness
from servicekb.tailoring.effective import EffectiveStandard, EffectiveTarget, TargetKey, order_key

__all__ = ["ProfileDiff", "TargetChange", "diff_effective"]

_ATTRIBUTES = ("format", "region", "timezone", "opening_hours")


@dataclass(frozen=True)
class TargetChange:
    """One (metric, population) whose target differs: `added`, `removed`, `tightened`, `relaxed` or `changed`."""

    key: TargetKey
    population: Population
    change: str
    before: EffectiveTarget | None
    after: EffectiveTarget | None

    @property
    def metric(self) -> str:
        """The metric id."""
        return self.key[0]


@dataclass(frozen=True)
class ProfileDiff:
    """The differences of `store` from `baseline`, each list sorted."""

    store: str
    baseline: str
    attributes: tuple[tuple[str, object, object], ...]
    adopts_added: tuple[str, ...]
    adopts_removed: tuple[str, ...]
    clauses_added: tuple[str, ...]
    clauses_removed: tuple[str, ...]
    targets: tuple[TargetChange, ...]

    @property
    def empty(self) -> bool:
        """Whether the store does nothing differently."""
        return not (
            self.attributes
            or self.adopts_added
            or self.adopts_removed
            or self.clauses_added
            or self.clauses_removed
            or self.targets
        )


def _change(before: EffectiveTarget, after: EffectiveTarget, metric: Metric | None) -> str:
    if metric is None:
        return "changed"
    order = compare_strictness(after.spec, before.spec, metric.direction)
    # Same strictness in other words (24 hour vs 1 day) is still a change of wording worth showing.
    return {-1: "tightened", 1: "relaxed"}.get(order, "changed") if order is not None else "changed"


def diff_effective(store: EffectiveStandard, baseline: EffectiveStandard, metrics: dict[str, Metric]) -> ProfileDiff:
    """Compare two effective standards (usually a store and the baseline it extends)."""
    attributes = tuple(
        (name, getattr(baseline, name), getattr(store, name))
        for name in _ATTRIBUTES
        if getattr(baseline, name) != getattr(store, name)
    )
    changes = []
    for key in sorted(store.targets.keys() | baseline.targets.keys(), key=order_key):
        before, after = baseline.targets.get(key), store.targets.get(key)
        if before is None or after is None:
            changes.append(
                TargetChange(key, (after or before).population, "added" if before is None else "removed", before, after)
            )
        elif before.spec != after.spec:
            changes.append(
                TargetChange(key, after.population, _change(before, after, metrics.get(key[0])), before, after)
            )
    return ProfileDiff(
        store=store.id,
        baseline=baseline.id,
        attributes=attributes,
        adopts_added=tuple(s for s in store.adopts if s not in baseline.adopts),
        adopts_removed=tuple(s for s in baseline.adopts if s not in store.adopts),
        clauses_added=tuple(sorted(store.clauses.keys() - baseline.clauses.keys())),
        clauses_removed=tuple(sorted(baseline.clauses.keys() - store.clauses.keys())),
        targets=tuple(changes),
    )
