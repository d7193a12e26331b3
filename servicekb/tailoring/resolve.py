"""Resolution of store profiles into effective standards, memoised along `extends` chains.

`resolve_profile(corpus, store_id, as_of)` answers for one store;
`Resolver(corpus, as_of)` answers for many, resolving each profile once and
building every child on its baseline's result: a child copies the
baseline's clauses and targets and recomputes only the (metric, population)
pairs its own adoptions, selection, `prefer` and overrides touch.

Steps for one profile, on top of its baseline (brand -> region -> store):
adopt (baseline's standards first), select (`select`), make adopted
example/default/advice numbers firm (`adoption`), merge the firm
targets of the selected clauses per (metric, population) (`merge`), apply
the chain's overrides (`overrides`). Problems become `Finding`s of the
profile whose field causes them; `tailoring.checks` locates them.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from functools import lru_cache

from servicekb.corpus import Corpus
from servicekb.gcpause import gc_paused
from servicekb.issues import Level
from servicekb.models import StoreProfile
from servicekb.tailoring.adoption import apply_adoptions
from servicekb.tailoring.chain import find_cycles, find_parent
from servicekb.tailoring.effective import Candidate, EffectiveStandard, Finding, Merge, TargetKey, order_key
from servicekb.tailoring.merge import merge_candidates
from servicekb.tailoring.overrides import apply_overrides, judge_step
from servicekb.tailoring.select import ClauseIndex, Selection, select_clauses
from servicekb.types import unit_dimension

__all__ = ["Resolver", "resolve_profile", "resolution_epoch"]


def resolution_epoch(corpus: Corpus, day: dt.date) -> int:
    """How many of the corpus' override expiry dates lie before `day`: all that resolution reads of the day.

    Two days of one epoch resolve every profile to the same targets and service levels (an override lapses
    the day after it expires, `overrides.apply_overrides`); only the as-of date the result records differs.
    """
    return sum(1 for profile in corpus.stores.values() for o in profile.overrides if o.expires and o.expires < day)


class Resolver:
    """Resolves the profiles of one corpus on one day; each profile once (memoised by id)."""

    def __init__(self, corpus: Corpus, as_of: dt.date, index: ClauseIndex | None = None):
        self.corpus, self.as_of = corpus, as_of
        self.index = index or ClauseIndex(corpus)
        self.cycles = find_cycles(corpus.stores)
        self._done: dict[str, EffectiveStandard] = {}

    def resolve(self, store_id: str) -> EffectiveStandard:
        """The effective standard of one profile (KeyError when there is no such profile)."""
        stores = self.corpus.stores
        pending: list[str] = []
        node: str | None = store_id
        while node is not None and node not in self._done:
            pending.append(node)
            node = find_parent(stores[node], stores, self.cycles)
        parent = self._done[node] if node is not None else None
        for pid in reversed(pending):
            parent = self._done[pid] = self._resolve_one(stores[pid], parent)
        return self._done[store_id]

    def resolve_all(self) -> dict[str, EffectiveStandard]:
        """Every profile of the corpus, by id."""
        with gc_paused():
            return {sid: self.resolve(sid) for sid in sorted(self.corpus.stores)}

    def _resolve_one(self, profile: StoreProfile, parent: EffectiveStandard | None) -> EffectiveStandard:
        corpus = self.corpus
        findings = _check_attributes(profile)
        if profile.id in self.cycles:
            loop = " -> ".join((*self.cycles[profile.id], profile.id))
            findings.append(
                Finding(
                    profile.id,
                    ("extends",),
                    "extends-cycle",
                    f"profiles extend each other in a loop: {loop}",
                    profile.extends,
                )
            )
        adopts = list(parent.adopts) if parent else []
        new_standards = []
        for sid in profile.adopts:
            if sid in corpus.standards and sid not in adopts:
                adopts.append(sid)
                new_standards.append(sid)
        chain = (*(parent.chain if parent else ()), profile.id)
        sel = select_clauses(
            profile,
            self.index,
            parent.clauses if parent else {},
            parent.local_pool if parent else {},
            parent.excluded if parent else {},
            parent.rules if parent else (),
            new_standards,
            tuple(adopts),
            set(chain),
        )
        findings += sel.findings
        # Adopted numbers change their clauses' candidates: the merge treats those clauses as added.
        changed, adoption_findings = apply_adoptions(profile, sel.pool)
        sel.added |= changed
        findings += adoption_findings
        if not sel.pool and not adopts and not profile.abstract:
            findings.append(
                Finding(
                    profile.id,
                    ("adopts",),
                    "empty-selection",
                    "the store adopts no standard and adds no clause: its effective standard is empty",
                    None,
                )
            )
        prefer = {**(parent.prefer if parent else {}), **profile.prefer}
        base, merge_findings, affected = self._merge(profile, parent, sel, adopts, chain, prefer)
        findings += merge_findings
        findings += self._check_prefer(profile, base, adopts)
        eff = EffectiveStandard(
            profile=profile,
            chain=chain,
            as_of=self.as_of,
            name=profile.name,
            format=profile.format if profile.format is not None else (parent.format if parent else None),
            region=profile.region if profile.region is not None else (parent.region if parent else None),
            timezone=profile.timezone
            if (parent is None or "timezone" in profile.model_fields_set)
            else parent.timezone,
            opening_hours=profile.opening_hours
            if profile.opening_hours is not None
            else (parent.opening_hours if parent else None),
            adopts=tuple(adopts),
            prefer=prefer,
            service_levels={**(parent.service_levels if parent else {}), **profile.service_levels},
            clauses=sel.pool,
            local_pool=sel.local_pool,
            excluded=sel.excluded,
            rules=sel.rules,
            base=base,
            targets=dict(parent.targets) if parent else {},
            override_chain=dict(parent.override_chain) if parent else {},
            findings=findings,
            parent=parent,
        )
        self._apply_overrides(eff, affected)
        return eff

    def _merge(
        self,
        profile: StoreProfile,
        parent: EffectiveStandard | None,
        sel: Selection,
        adopts: list[str],
        chain: tuple[str, ...],
        prefer: dict[str, str],
    ) -> tuple[dict[TargetKey, Merge], list[Finding], set[TargetKey]]:
        """Merged targets per key, recomputing only the keys this profile's changes touch."""
        metrics = self.corpus.metrics
        position = {sid: i for i, sid in enumerate(adopts)}
        depth = {pid: i for i, pid in enumerate(chain)}

        def rank(c: Candidate) -> tuple:
            return (
                (1, depth.get(c.source, len(depth)), c.order)
                if c.local
                else (0, position.get(c.source, len(position)), c.order)
            )

        def usable(c: Candidate) -> bool:
            # Unknown metrics and unit mismatches are reported by servicekb.checks; they cannot be merged.
            m = metrics.get(c.target.metric)
            return m is not None and unit_dimension(c.target.unit) is unit_dimension(m.unit)

        base = dict(parent.base) if parent else {}
        if parent is None:
            touched = list(sel.pool.values())
        else:
            # Clauses the baseline had and this profile dropped, and clauses it added.
            touched = [parent.clauses[cid] for cid in sel.removed if cid in parent.clauses]
            touched += [sel.pool[cid] for cid in sel.added if cid in sel.pool]
        affected = {c.key for sc in touched for c in sc.candidates}
        old_prefer = parent.prefer if parent else {}
        reprefer = {m for m, s in prefer.items() if old_prefer.get(m) != s}
        affected |= {k for k in base if k[0] in reprefer}
        new_by_key: dict[TargetKey, list[Candidate]] = {}
        for cid in sel.added:
            if cid in sel.pool:
                for c in sel.pool[cid].candidates:
                    new_by_key.setdefault(c.key, []).append(c)
        findings = []
        for key in sorted(affected, key=order_key):
            kept = [
                c
                for c in (base[key].candidates if key in base else ())
                if c.clause_id in sel.pool and c.clause_id not in sel.added
            ]
            cands = [c for c in (*kept, *new_by_key.get(key, ())) if usable(c)]
            if not cands:
                base.pop(key, None)
                continue
            merge = merge_candidates(cands, metrics[key[0]], prefer.get(key[0]), rank)
            base[key] = merge
            if merge.rule == "precedence":
                findings.append(self._incomparable(profile, merge))
        return base, findings, affected

    def _incomparable(self, profile: StoreProfile, merge: Merge) -> Finding:
        others = "; ".join(
            f"{e.candidate.clause_id} {e.candidate.spec.describe()}"
            for e in merge.entries
            if e.outcome == "incomparable"
        )
        message = (
            f"{merge.metric} [{merge.population.describe()}]: cannot tell whether {merge.winner.clause_id} "
            f"{merge.winner.spec.describe()} or {others} is stricter (working time against calendar time); "
            f"the first in precedence applies; add `prefer:` to choose"
        )
        return Finding(profile.id, ("adopts",), "incomparable-targets", message, merge.metric, Level.warning)

    def _check_prefer(self, profile: StoreProfile, base: dict[TargetKey, Merge], adopts: list[str]) -> list[Finding]:
        out = []
        for metric, sid in profile.prefer.items():
            if sid not in self.corpus.standards or metric not in self.corpus.metrics:
                continue  # reported by servicekb.checks
            if sid not in adopts:
                out.append(
                    Finding(
                        profile.id,
                        ("prefer", metric),
                        "prefer-not-adopted",
                        f"standard {sid!r} is not adopted by this profile (adopts: {', '.join(adopts) or 'nothing'})",
                        sid,
                    )
                )
            elif not any(
                c.source == sid and not c.local for k, m in base.items() if k[0] == metric for c in m.candidates
            ):
                out.append(
                    Finding(
                        profile.id,
                        ("prefer", metric),
                        "prefer-unused",
                        f"standard {sid!r} sets no firm target for {metric!r} among the selected clauses: "
                        "`prefer` has no effect",
                        sid,
                        Level.warning,
                    )
                )
        return out

    def _apply_overrides(self, eff: EffectiveStandard, affected: set[TargetKey]) -> None:
        """Register the profile's overrides and recompute the targets whose merge or overrides changed."""
        profile, metrics = eff.profile, self.corpus.metrics
        own: set[TargetKey] = set()
        for k, ov in enumerate(profile.overrides):
            key = (ov.metric, ov.population.key())
            metric = metrics.get(ov.metric)
            if metric is None or unit_dimension(ov.unit) is not unit_dimension(metric.unit):
                continue  # reported by servicekb.checks
            if key in own:
                eff.findings.append(
                    Finding(
                        profile.id,
                        ("overrides", k),
                        "duplicate-override",
                        f"{ov.metric} [{ov.population.describe()}] is already overridden above in this profile; "
                        "this one is ignored",
                        ov.metric,
                    )
                )
                continue
            if key not in eff.base:
                eff.findings.append(self._untargeted(profile.id, k, ov, eff))
                continue
            own.add(key)
            eff.override_chain[key] = (*eff.override_chain.get(key, ()), (profile.id, k, ov))
        parent = eff.parent
        for key in sorted(affected | own, key=order_key):
            if key not in eff.base:
                eff.targets.pop(key, None)
                lost = eff.override_chain.pop(key, ())
                if lost:
                    names = ", ".join(f"{p} overrides[{i}]" for p, i, _ in lost)
                    eff.findings.append(
                        Finding(
                            profile.id,
                            ("exclude",) if profile.exclude else ("include",),
                            "override-orphaned",
                            f"{key[0]} [{lost[0][2].population.describe()}] has no target left after this selection; "
                            f"{names} no longer applies",
                            key[0],
                            Level.warning,
                        )
                    )
                continue
            target = apply_overrides(eff.base[key], eff.override_chain.get(key, ()), metrics[key[0]], self.as_of)
            eff.targets[key] = target
            before = (
                {(s.profile, s.index): s.status for s in parent.targets[key].steps}
                if parent and key in parent.targets
                else {}
            )
            for step in target.steps:
                if step.profile == profile.id:
                    eff.findings += judge_step(step, self.as_of)
                elif before.get((step.profile, step.index), step.status) != step.status:
                    eff.findings.append(
                        Finding(
                            profile.id,
                            ("extends",),
                            "inherited-override-changed",
                            f"{step.profile} overrides[{step.index}] on {key[0]} is {step.status} for this store "
                            f"({step.change} against {step.before.describe()})",
                            key[0],
                            Level.warning,
                        )
                    )

    def _untargeted(self, pid: str, k: int, ov, eff: EffectiveStandard) -> Finding:
        scopes = sorted(m.population.describe() for key, m in eff.base.items() if key[0] == ov.metric)
        if scopes:
            hint = f"its targets here are for: {'; '.join(scopes)}"
        else:
            hint = "no selected clause sets a firm target for it"
        return Finding(
            pid,
            ("overrides", k),
            "override-untargeted",
            f"{ov.metric} [{ov.population.describe()}] is not targeted by this store: {hint}",
            ov.metric,
        )


def _check_attributes(profile: StoreProfile) -> list[Finding]:
    """A timezone the tz database knows, opening before closing."""
    out = []
    zones = _timezones()
    if "timezone" in profile.model_fields_set and zones and profile.timezone not in zones:
        out.append(
            Finding(
                profile.id,
                ("timezone",),
                "bad-timezone",
                f"{profile.timezone!r} is not an IANA timezone (e.g. Asia/Shanghai)",
                profile.timezone,
            )
        )
    hours = profile.opening_hours
    if hours is not None and hours.opens >= hours.closes:
        out.append(
            Finding(
                profile.id,
                ("opening_hours", "closes"),
                "bad-opening-hours",
                f"the store closes at {hours.closes}, not after it opens at {hours.opens}",
                hours.closes,
            )
        )
    return out


@lru_cache(maxsize=1)
def _timezones() -> frozenset[str]:
    # Empty when the system has no tz database: then nothing is flagged.
    return frozenset(zoneinfo.available_timezones())


def resolve_profile(
    corpus: Corpus, store_id: str, as_of: dt.date, resolver: Resolver | None = None
) -> EffectiveStandard:
    """The effective standard of one store on `as_of` (pass a `Resolver` to share work across stores)."""
    if resolver is None or resolver.corpus is not corpus or resolver.as_of != as_of:
        resolver = Resolver(corpus, as_of)
    return resolver.resolve(store_id)
