"""The result of resolving a store profile: the effective standard and the provenance of every number.

These are plain frozen records (no behaviour beyond small accessors) so that
the compliance engine, the book and the CLI can all read them. Resolution
(`servicekb.tailoring.resolve`) builds them; nothing here computes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property

from servicekb.bound import Bound
from servicekb.issues import Level
from servicekb.models import Clause, OpeningHours, Override, Population, Selector, StoreFormat, StoreProfile, Target
from servicekb.types import TargetNature

__all__ = [
    "Candidate",
    "EffectiveStandard",
    "EffectiveTarget",
    "Exclusion",
    "Finding",
    "Merge",
    "MergeEntry",
    "OverrideStep",
    "SelectedClause",
    "TargetKey",
    "TargetSpec",
    "order_key",
]

TargetKey = tuple[str, tuple]
"""(metric id, `Population.key()`): the identity of one effective target."""


TargetSpec = Bound
"""The old name of `servicekb.bound.Bound` (the number part of a target), kept for callers not yet moved."""


@dataclass(frozen=True, eq=False)
class Candidate:
    """One firm target of one selected clause, competing for its (metric, population); compared by identity."""

    clause_id: str
    source: str
    local: bool
    order: int
    target: Target
    adopted_by: str | None = None  # the profile that made this example/default/advice number firm (`adopt_as_firm`)
    adoption_reason: str | None = None

    # Cached: merges compare candidates many times over thousands of stores.
    @cached_property
    def key(self) -> TargetKey:
        """The (metric, population) this candidate sets."""
        return (self.target.metric, self.target.population.key())

    @cached_property
    def spec(self) -> Bound:
        """Its numbers."""
        return self.target.bound


@dataclass(frozen=True)
class SelectedClause:
    """A clause in a store's effective standard, with where it comes from."""

    clause: Clause
    source: str
    local: bool
    order: int
    candidates: tuple[Candidate, ...]


@dataclass(frozen=True)
class Exclusion:
    """Why a clause of an adopted standard is not in the effective standard."""

    profile: str
    path: tuple[str | int, ...]
    selector: str


@dataclass(frozen=True)
class MergeEntry:
    """A candidate and what became of it: `selected`, `equal`, `looser`, `incomparable` or `set-aside`."""

    candidate: Candidate
    outcome: str


@dataclass(frozen=True)
class Merge:
    """How one (metric, population) got its target from the selected clauses.

    `rule` is `only` (one candidate), `stricter` (the stricter by the metric's
    direction won), `prefer` (the profile's preferred standard won) or
    `precedence` (strictness could not be decided; the first in adopts order won).
    """

    key: TargetKey
    population: Population
    winner: Candidate
    entries: tuple[MergeEntry, ...]
    rule: str
    preferred: str | None = None
    note: str | None = None

    @property
    def metric(self) -> str:
        """The metric id."""
        return self.key[0]

    @property
    def candidates(self) -> tuple[Candidate, ...]:
        """Every candidate, in precedence order."""
        return tuple(e.candidate for e in self.entries)

    @property
    def differs(self) -> bool:
        """Whether the candidates set different targets (a merge worth listing); 1 day and 24 hour do not differ."""
        return any(e.outcome not in ("selected", "equal") for e in self.entries)


@dataclass(frozen=True)
class OverrideStep:
    """One override of a profile in the chain, applied (or not) on top of the merged target.

    `change` is `tightened`, `unchanged` or `relaxed` relative to the target in
    force before it; `status` is `applied`, `lapsed` (expired) or `rejected`
    (a relaxation without justification, approver or expiry).
    """

    profile: str
    index: int
    override: Override
    before: Bound
    change: str
    status: str
    note: str | None = None

    @property
    def spec(self) -> Bound:
        """The override's numbers."""
        return self.override.bound


@dataclass(frozen=True)
class EffectiveTarget:
    """The one target in force for a (metric, population), with its provenance chain."""

    key: TargetKey
    population: Population
    spec: Bound
    merge: Merge
    steps: tuple[OverrideStep, ...] = ()

    @property
    def metric(self) -> str:
        """The metric id."""
        return self.key[0]

    @property
    def override(self) -> OverrideStep | None:
        """The override that set the number, when one did (the last applied)."""
        applied = [s for s in self.steps if s.status == "applied"]
        return applied[-1] if applied else None


@dataclass(frozen=True)
class Finding:
    """A problem found while resolving, located by profile and field path (see `tailoring.checks`)."""

    profile: str
    path: tuple[str | int, ...]
    code: str
    message: str
    value: object = None
    level: Level = Level.error


@dataclass
class EffectiveStandard:
    """A store's effective standard on a given day: its clauses and its targets with provenance.

    Attributes (format, region, timezone, opening hours, service levels,
    prefer) are the profile's own or, when it leaves them out, its baseline's.
    `clauses` are the selected clauses (local ones also in `local_pool`),
    `excluded` says which selector removed each other clause, `base` holds
    the merged target per (metric, population) before overrides and
    `targets` the effective ones after. `rules` and `override_chain` are the
    chain's selectors and overrides, kept so that children build on them.
    `findings` are the problems of this profile's own fields; `all_findings()`
    adds those of the profiles it extends.
    """

    profile: StoreProfile
    chain: tuple[str, ...]
    as_of: dt.date
    name: str
    format: StoreFormat | None
    region: str | None
    timezone: str
    opening_hours: OpeningHours | None
    adopts: tuple[str, ...]
    prefer: dict[str, str]
    service_levels: dict[str, float]
    clauses: dict[str, SelectedClause]
    local_pool: dict[str, SelectedClause]
    excluded: dict[str, Exclusion]
    base: dict[TargetKey, Merge]
    targets: dict[TargetKey, EffectiveTarget]
    rules: tuple[tuple[str, str, int, Selector], ...] = field(repr=False)
    override_chain: dict[TargetKey, tuple[tuple[str, int, Override], ...]] = field(repr=False)
    findings: list[Finding] = field(default_factory=list)
    parent: EffectiveStandard | None = field(default=None, repr=False)

    @property
    def id(self) -> str:
        """The store id."""
        return self.profile.id

    def all_findings(self) -> list[Finding]:
        """Findings of the whole chain, baseline first."""
        inherited = self.parent.all_findings() if self.parent else []
        return [*inherited, *self.findings]

    def merges(self) -> list[Merge]:
        """Every (metric, population) whose candidates set different numbers, in key order."""
        return [
            m for _, m in sorted(self.base.items(), key=lambda kv: order_key(kv[0])) if m.differs or m.rule == "prefer"
        ]

    def sorted_targets(self) -> list[EffectiveTarget]:
        """Effective targets by metric, then population."""
        return [t for _, t in sorted(self.targets.items(), key=lambda kv: order_key(kv[0]))]

    def flag_targets(self) -> list[tuple[str, Target]]:
        """(clause id, target) of every classification threshold of the selected clauses, in clause order.

        A classification threshold ("超过5%的门店列为高风险区域") is measured like a
        target but raises a flag instead of passing or failing; it never merges.
        """
        return [
            (sc.clause.id, t)
            for sc in sorted(self.clauses.values(), key=lambda sc: (sc.local, sc.order))
            for t in sc.clause.targets
            if t.nature is TargetNature.classification
        ]

    def find(self, metric: str, population: Population | None = None) -> EffectiveTarget | None:
        """The effective target of a metric for a population (all events when not given)."""
        return self.targets.get((metric, (population or Population()).key()))


def order_key(key: TargetKey) -> tuple:
    """Stable order of target keys: by metric, then population."""
    return (key[0], repr(key[1]))
