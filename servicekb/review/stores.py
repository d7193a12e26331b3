"""What a change does to each store: its effective standard resolved under both revisions, compared.

Both revisions are resolved on the same day (`as_of`), so that the
comparison shows what the change does, not what the passing of time does.
Abstract profiles (brand, region baselines) are resolved but not listed:
they have no scorecard.
"""

from __future__ import annotations

import datetime as dt

from servicekb.corpus import FileKey
from servicekb.issues import join_some
from servicekb.review.changes import Change
from servicekb.review.revisions import Revision
from servicekb.tailoring import EffectiveStandard, EffectiveTarget, Resolver, diff_effective

__all__ = ["StoreViews", "diff_stores"]


class StoreViews:
    """The effective standards of every store profile under revisions A and B on one day (resolved lazily, once)."""

    def __init__(self, a: Revision, b: Revision, as_of: dt.date):
        self.revisions, self.as_of = (a, b), as_of
        self._done: dict[int, dict[str, EffectiveStandard]] = {}

    def side(self, n: int) -> dict[str, EffectiveStandard]:
        """Effective standards by store id under A (0) or B (1)."""
        if n not in self._done:
            corpus = self.revisions[n].corpus
            self._done[n] = Resolver(corpus, self.as_of).resolve_all() if corpus.stores else {}
        return self._done[n]

    def scored(self, n: int) -> list[str]:
        """Ids of the stores that have a scorecard (not abstract) under A (0) or B (1)."""
        return sorted(sid for sid, store in self.revisions[n].corpus.stores.items() if not store.abstract)

    def stores_targeting(self, metric: str) -> list[str]:
        """Stores (under B) whose effective standard has a target on the metric."""
        effective = self.side(1)
        return [
            sid
            for sid in self.scored(1)
            if sid in effective and any(key[0] == metric for key in effective[sid].targets)
        ]


def _source(target: EffectiveTarget) -> str:
    step = target.override
    if step is not None:
        return f"override in {step.profile}"
    return f"from {target.merge.winner.clause_id}"


def diff_stores(views: StoreViews) -> list[Change]:
    """Per store kept in both revisions: effective targets added, removed, tightened, relaxed; clauses gained and
    lost."""
    a, b = views.revisions
    if not a.corpus.stores and not b.corpus.stores:
        return []
    out = []
    for sid in sorted(set(views.scored(0)) & set(views.scored(1))):
        before, after = views.side(0).get(sid), views.side(1).get(sid)
        if before is None or after is None:
            continue
        diff = diff_effective(after, before, b.corpus.metrics)
        where = b.locate(FileKey.store(sid))
        for tc in diff.targets:
            # Tailoring says "relaxed"; the diff says "loosened" throughout.
            verdict = "loosened" if tc.change == "relaxed" else tc.change
            label = f"{tc.metric} [{tc.population.describe()}]"
            old = tc.before.spec.describe() if tc.before else "none"
            new = f"{tc.after.spec.describe()} ({_source(tc.after)})" if tc.after else "none"
            data_a = tc.before.spec.describe() if tc.before else None
            data_b = tc.after.spec.describe() if tc.after else None
            out.append(
                Change(
                    "stores",
                    sid,
                    f"store-target-{verdict}",
                    sid,
                    f"{label}: {old} -> {new}: {verdict}",
                    before=data_a,
                    after=data_b,
                    location=where,
                    subjects=(sid, tc.metric),
                )
            )
        if diff.clauses_added or diff.clauses_removed:
            names = [*(f"+{c}" for c in diff.clauses_added), *(f"-{c}" for c in diff.clauses_removed)]
            summary = (
                f"{len(diff.clauses_added)} clauses gained, {len(diff.clauses_removed)} lost: {join_some(names, 6)}"
            )
            out.append(
                Change(
                    "stores",
                    sid,
                    "store-clauses-changed",
                    sid,
                    summary,
                    before=list(diff.clauses_removed),
                    after=list(diff.clauses_added),
                    location=where,
                    subjects=(sid,),
                )
            )
    return out
