"""Merging the candidates for one (metric, population) into its target: stricter wins, unless `prefer`.

Candidates are taken in precedence order: adopted standards in `adopts`
order (baseline's first), then local clauses (baseline's first), each in
document order. The winner is the candidate at least as strict as every
other, by the metric's direction; among equally strict ones the first in
precedence. When strictness cannot be decided (working days against
calendar hours, see `strictness`), the first in precedence among those no
other beats wins and the merge says so. With `prefer: {metric: standard}`
only that standard's candidates compete, when it has any; the others are
set aside, and a local clause is set aside too (a store raises its own bar
with an override, which is recorded as such).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from servicekb.models import Metric
from servicekb.strictness import compare_strictness
from servicekb.tailoring.effective import Candidate, Merge, MergeEntry

__all__ = ["merge_candidates"]


def merge_candidates(
    candidates: Sequence[Candidate],
    metric: Metric,
    preferred: str | None,
    rank: Callable[[Candidate], tuple],
) -> Merge:
    """Choose the target of one (metric, population) among its candidates (at least one)."""
    ordered = sorted(candidates, key=rank)
    competing = ordered
    note = None
    if preferred is not None:
        own = [c for c in ordered if c.source == preferred and not c.local]
        if own:
            competing = own
        else:
            note = f"the preferred standard {preferred!r} sets no target here; the stricter applies"
    direction = metric.direction

    def cmp(a: Candidate, b: Candidate) -> int | None:
        return compare_strictness(a.spec, b.spec, direction)

    winner = next((c for c in competing if all(c is d or cmp(c, d) in (-1, 0) for d in competing)), None)
    undecided = winner is None
    if undecided:
        # Nobody beats everyone: take the first that nobody surely beats.
        unbeaten = [c for c in competing if not any(cmp(d, c) == -1 for d in competing if d is not c)]
        winner = (unbeaten or competing)[0]
    entries = []
    for c in ordered:
        if c is winner:
            outcome = "selected"
        elif competing is not ordered and c not in competing:
            outcome = "set-aside"
        else:
            order = cmp(c, winner)
            outcome = (
                {0: "equal", 1: "looser", -1: "stricter"}.get(order, "incomparable")
                if order is not None
                else "incomparable"
            )
        entries.append(MergeEntry(c, outcome))
    if len(ordered) == 1:
        rule = "only"
    elif competing is not ordered:
        rule = "prefer"
        stricter = [c for c in ordered if c not in competing and cmp(c, winner) == -1]
        if stricter:
            # Allowed by design, but a reviewer must see that `prefer` loosened the number.
            note = f"prefer keeps {winner.spec.describe()} over the stricter " + ", ".join(
                f"{c.spec.describe()} of {c.clause_id}" for c in stricter
            )
    elif undecided:
        rule = "precedence"
        note = (
            "strictness of working-time and calendar targets cannot be compared here; "
            "the first in precedence order applies"
        )
    else:
        rule = "stricter"
    key = winner.key
    return Merge(
        key, winner.target.population, winner, tuple(entries), rule, preferred if rule == "prefer" else None, note
    )
