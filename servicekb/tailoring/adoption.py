"""A profile's `adopt_as_firm`: example, default-term and advice numbers of selected clauses made binding.

By the rule for what binds (`servicekb.binding`) such numbers are shown but not
scored. A consultant can make one binding for a store: the clause's target
becomes a firm merge candidate of this profile (and of the profiles built on
it), with the adoption recorded in the target's note as provenance.
"""

from __future__ import annotations

from servicekb.issues import Level
from servicekb.models import StoreProfile
from servicekb.tailoring.effective import Candidate, Finding, SelectedClause
from servicekb.types import TargetNature

__all__ = ["ADOPTABLE", "apply_adoptions"]

ADOPTABLE = (TargetNature.example, TargetNature.default_term, TargetNature.advice)


def apply_adoptions(profile: StoreProfile, pool: dict[str, SelectedClause]) -> tuple[set[str], list[Finding]]:
    """Add the adopted targets to the clauses of `pool` (in place); return the changed clause ids and findings."""
    changed: set[str] = set()
    findings: list[Finding] = []
    for k, adoption in enumerate(profile.adopt_as_firm):
        where = ("adopt_as_firm", k)
        selected = pool.get(adoption.clause)
        if selected is None:
            findings.append(
                Finding(
                    profile.id,
                    (*where, "clause"),
                    "adoption-not-selected",
                    f"clause {adoption.clause!r} is not in the store's effective standard",
                    adoption.clause,
                )
            )
            continue
        targets = [t for t in selected.clause.targets if t.metric == adoption.metric]
        adoptable = [t for t in targets if t.nature in ADOPTABLE]
        if not adoptable:
            natures = ", ".join(sorted({t.nature.value for t in targets})) or "none"
            findings.append(
                Finding(
                    profile.id,
                    (*where, "metric"),
                    "adoption-without-target",
                    f"clause {adoption.clause!r} has no example, default-term or advice target on {adoption.metric!r} "
                    f"(its targets on it: {natures})",
                    adoption.metric,
                    Level.error,
                )
            )
            continue
        note = f"门店档案 {profile.id} 采纳为明确目标:{adoption.reason}"
        extra = tuple(
            Candidate(
                selected.clause.id,
                selected.source,
                selected.local,
                selected.order,
                t.model_copy(update={"nature": TargetNature.firm, "note": note}),
                profile.id,
                adoption.reason,
            )
            for t in adoptable
        )
        pool[adoption.clause] = SelectedClause(
            selected.clause, selected.source, selected.local, selected.order, (*selected.candidates, *extra)
        )
        changed.add(adoption.clause)
    return changed, findings
