"""Target changes between two versions of a set of clauses: tightened, loosened, restated, rescoped, added, dropped.

Targets are matched by metric and population: first within the same
clause, then across clauses (a target that moved with a renumbered or
split clause is compared, not dropped and re-added), then within the same
clause and metric with a different population (rescoped). Strictness is
judged by the metric's direction and the comparator, across units and
clocks (`servicekb.tailoring.compare_strictness`): `<= 72 hour` -> `<= 48 hour`
on a lower-is-better metric is tightened. Only firm targets count; a number
that stops being firm is dropped, one that becomes firm is added.

Loosened, dropped, rescoped and undecidable targets carry the concern
`loosened`: CI treats a change it cannot judge as possibly loosening.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from servicekb.bound import Bound
from servicekb.models import Metric, Target
from servicekb.review.changes import Change
from servicekb.strictness import compare_strictness
from servicekb.types import Direction, TargetNature

__all__ = ["TargetRef", "diff_targets", "judge_specs"]

Locate = Callable[[str, tuple[str | int, ...]], str | None]


@dataclass(frozen=True)
class TargetRef:
    """A target with the clause holding it and its index there."""

    clause_id: str
    index: int
    target: Target

    @property
    def key(self) -> tuple[str, tuple]:
        """(metric, population) identity."""
        return (self.target.metric, self.target.population.key())

    @property
    def firm(self) -> bool:
        """Whether the target is firm (compared and scored)."""
        return self.target.nature is TargetNature.firm


def judge_specs(before: Bound, after: Bound, direction: Direction | None) -> str:
    """`tightened`, `loosened`, `restated` (equally strict) or `undecidable` (working vs calendar time, unknown
    metric)."""
    if direction is None:
        return "undecidable"
    order = compare_strictness(after, before, direction)
    return (
        {-1: "tightened", 1: "loosened", 0: "restated"}.get(order, "undecidable")
        if order is not None
        else "undecidable"
    )


def _direction(metric: str, metrics_a: dict[str, Metric], metrics_b: dict[str, Metric]) -> Direction | None:
    a, b = metrics_a.get(metric), metrics_b.get(metric)
    if a is not None and b is not None and a.direction is not b.direction:
        return None
    return (b or a).direction if (b or a) else None


def _label(ref: TargetRef) -> str:
    return f"{ref.target.metric} [{ref.target.population.describe()}]"


def _data(ref: TargetRef) -> dict:
    t = ref.target
    return {
        "clause": ref.clause_id,
        "metric": t.metric,
        "population": t.population.describe(),
        "target": t.bound.describe(),
        "nature": t.nature.value,
    }


def _match(
    left: list[TargetRef], right: list[TargetRef], key: Callable[[TargetRef], tuple]
) -> list[tuple[TargetRef, TargetRef]]:
    """Pair items with equal keys in order; remove the paired ones from both lists."""
    pool: dict[tuple, list[TargetRef]] = {}
    for ref in right:
        pool.setdefault(key(ref), []).append(ref)
    pairs, unpaired = [], []
    for ref in left:
        candidates = pool.get(key(ref))
        if candidates:
            pairs.append((ref, candidates.pop(0)))
        else:
            unpaired.append(ref)
    taken = {id(b) for _, b in pairs}
    left[:] = unpaired
    right[:] = [ref for ref in right if id(ref) not in taken]
    return pairs


class _Builder:
    def __init__(self, area: str, group: str, owner: str, locate_a: Locate, locate_b: Locate):
        self.area, self.group, self.owner = area, group, owner
        self.locate_a, self.locate_b = locate_a, locate_b

    def __call__(
        self,
        kind: str,
        ref: TargetRef,
        summary: str,
        before: TargetRef | None,
        after: TargetRef | None,
        concern: str | None = None,
    ) -> Change:
        where = (
            self.locate_b(after.clause_id, ("targets", after.index))
            if after
            else self.locate_a(before.clause_id, ("targets", before.index))
        )
        subjects = tuple(
            dict.fromkeys(s for s in (self.owner, ref.clause_id, ref.target.metric, before and before.clause_id) if s)
        )
        return Change(
            self.area,
            self.group,
            kind,
            ref.clause_id,
            summary,
            None,
            _data(before) if before else None,
            _data(after) if after else None,
            where,
            concern,
            subjects,
        )


def _compare(pair: tuple[TargetRef, TargetRef], direction: Direction | None, make: _Builder, how: str) -> Change | None:
    a, b = pair
    if not a.firm and not b.firm:
        return None
    if a.firm and not b.firm:
        return make(
            "target-dropped",
            b,
            f"{_label(a)}: {a.target.bound.describe()} is no longer firm (now {b.target.nature.value})",
            a,
            b,
            "loosened",
        )
    if b.firm and not a.firm:
        return make(
            "target-added",
            b,
            f"{_label(b)}: {b.target.bound.describe()} is now firm (was {a.target.nature.value})",
            a,
            b,
        )
    sa, sb = a.target.bound, b.target.bound
    moved = f" (moved from {a.clause_id})" if a.clause_id != b.clause_id else ""
    if how == "rescoped":
        summary = (
            f"{b.target.metric}: population [{a.target.population.describe()}] -> "
            f"[{b.target.population.describe()}], {sa.describe()} -> {sb.describe()}: rescoped{moved}"
        )
        return make("target-rescoped", b, summary, a, b, "loosened")
    if sa == sb:
        return make("target-moved", b, f"{_label(b)}: {sb.describe()}{moved}", a, b) if moved else None
    verdict = judge_specs(sa, sb, direction)
    notes = []
    if sa.unit is not sb.unit:
        notes.append(f"unit {sa.unit.value} -> {sb.unit.value}")
    if sa.clock is not sb.clock:
        notes.append(f"clock {sa.clock.value if sa.clock else 'none'} -> {sb.clock.value if sb.clock else 'none'}")
    if direction is None:
        notes.append("the metric's direction is unknown or changed")
    extra = f" ({'; '.join(notes)})" if notes else ""
    kind = "target-unit-changed" if verdict == "restated" and sa.unit is not sb.unit else f"target-{verdict}"
    concern = "loosened" if verdict in ("loosened", "undecidable") else None
    return make(kind, b, f"{_label(b)}: {sa.describe()} -> {sb.describe()}: {verdict}{extra}{moved}", a, b, concern)


def diff_targets(
    before: list[TargetRef],
    after: list[TargetRef],
    metrics_a: dict[str, Metric],
    metrics_b: dict[str, Metric],
    *,
    area: str,
    group: str,
    locate_a: Locate,
    locate_b: Locate,
) -> list[Change]:
    """Changes of the targets of one standard (or one store's local clauses), in the order of `after`."""
    left, right = list(before), list(after)
    make = _Builder(area, group, group, locate_a, locate_b)
    pairs = [(p, "same") for p in _match(left, right, lambda r: (r.clause_id, *r.key))]
    pairs += [(p, "moved") for p in _match(left, right, lambda r: r.key)]
    pairs += [(p, "rescoped") for p in _match(left, right, lambda r: (r.clause_id, r.target.metric))]
    position = {id(r): n for n, r in enumerate(after)}
    out: list[tuple[int, Change]] = []
    for (a, b), how in pairs:
        change = _compare((a, b), _direction(b.target.metric, metrics_a, metrics_b), make, how)
        if change is not None:
            out.append((position[id(b)], change))
    for b in right:
        if b.firm:
            out.append(
                (
                    position[id(b)],
                    make("target-added", b, f"{_label(b)}: {b.target.bound.describe()} new", None, b),
                )
            )
    for a in left:
        if a.firm:
            out.append(
                (
                    len(after),
                    make(
                        "target-dropped",
                        a,
                        f"{_label(a)}: {a.target.bound.describe()} dropped",
                        a,
                        None,
                        "loosened",
                    ),
                )
            )
    return [change for _, change in sorted(out, key=lambda pair: pair[0])]
