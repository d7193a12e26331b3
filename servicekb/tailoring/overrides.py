"""Applying a chain of overrides (baseline's first) to a merged target, and judging each one.

Each override is compared with the target in force just before it: the
merged target, or what an earlier profile in the chain made of it. So a
store loosening its region's tightening is relaxing, even when it stays
within the standard. Tightening (or restating) is always allowed; relaxing
needs a justification, an approver and an expiry date, else it is rejected
and the target in force stays. An override applies through its `expires`
day and lapses after it, whatever its kind; a lapsed relaxation is warned
about, an expired tightening only reported. When strictness cannot be
decided (working days against calendar hours) the override counts as a
relaxation: the safe reading, since it may loosen the target.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from servicekb.bound import Bound
from servicekb.issues import Level
from servicekb.models import Metric, Override
from servicekb.strictness import compare_strictness
from servicekb.tailoring.effective import EffectiveTarget, Finding, Merge, OverrideStep

__all__ = ["RELAX_FIELDS", "apply_overrides", "judge_step"]

RELAX_FIELDS = ("justification", "approver", "expires")


def _judge(before: Bound, override: Override, metric: Metric, as_of: dt.date) -> tuple[str, str, str | None]:
    order = compare_strictness(override.bound, before, metric.direction)
    change = {-1: "tightened", 0: "unchanged"}.get(order, "relaxed") if order is not None else "relaxed"
    note = "cannot tell working time from calendar time here; treated as a relaxation" if order is None else None
    missing = [f for f in RELAX_FIELDS if not getattr(override, f)] if change == "relaxed" else []
    if missing:
        status = "rejected"
    elif override.expires is not None and override.expires < as_of:
        status = "lapsed"
    else:
        status = "applied"
    return change, status, note


def apply_overrides(
    merge: Merge, chain: Sequence[tuple[str, int, Override]], metric: Metric, as_of: dt.date
) -> EffectiveTarget:
    """The effective target of one (metric, population): the merged target with the chain's overrides applied."""
    spec = merge.winner.spec
    steps = []
    for profile, index, override in chain:
        change, status, note = _judge(spec, override, metric, as_of)
        steps.append(OverrideStep(profile, index, override, spec, change, status, note))
        if status == "applied":
            spec = override.bound
    return EffectiveTarget(merge.key, merge.population, spec, merge, tuple(steps))


def judge_step(step: OverrideStep, as_of: dt.date) -> list[Finding]:
    """Findings about a profile's own override once applied: unapproved, lapsed or expired, bad dates."""
    ov, path = step.override, ("overrides", step.index)
    what = f"{ov.metric} [{ov.population.describe()}]"
    move = f"{step.before.describe()} -> {step.spec.describe()}"
    out = []
    if step.status == "rejected":
        missing = ", ".join(f for f in RELAX_FIELDS if not getattr(ov, f))
        note = f" ({step.note})" if step.note else ""
        out.append(
            Finding(
                step.profile,
                path,
                "unapproved-relaxation",
                f"{what}: relaxing {move}{note} needs a justification, an approver and an expiry date "
                f"(missing: {missing}); {step.before.describe()} stays",
                missing,
            )
        )
    elif step.status == "lapsed" and step.change == "relaxed":
        out.append(
            Finding(
                step.profile,
                (*path, "expires"),
                "lapsed-relaxation",
                f"{what}: the relaxation {move} expired on {ov.expires.isoformat()}; "
                f"{step.before.describe()} applies again",
                ov.expires.isoformat(),
                Level.warning,
            )
        )
    elif step.status == "lapsed":
        out.append(
            Finding(
                step.profile,
                (*path, "expires"),
                "expired-tightening",
                f"{what}: the override {move} expired on {ov.expires.isoformat()} "
                f"(harmless: {step.before.describe()} applies); renew or remove it",
                ov.expires.isoformat(),
                Level.warning,
            )
        )
    if ov.approved_on and ov.expires and ov.approved_on > ov.expires:
        out.append(
            Finding(
                step.profile,
                (*path, "approved_on"),
                "bad-override-dates",
                f"approved on {ov.approved_on.isoformat()}, after its expiry {ov.expires.isoformat()}",
                ov.approved_on.isoformat(),
            )
        )
    return out
