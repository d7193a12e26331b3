"""The semantic diff of two revisions: every change to standards, catalogues, profiles, stores, links and schemas.

`diff_revisions(a, b, as_of)` runs each part and returns the changes in
report order. It reads nothing itself (revisions are loaded by
`servicekb.review.revisions`) and prints nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from servicekb.gcpause import gc_paused
from servicekb.review.catalogues import diff_citations, diff_metrics
from servicekb.review.changes import Change, sort_changes
from servicekb.review.justify import Justification, apply_justifications, blocking, unmatched
from servicekb.review.linkdiff import diff_links
from servicekb.review.profiles import diff_profiles
from servicekb.review.revisions import Revision
from servicekb.review.schemadiff import diff_schemas
from servicekb.review.standards import diff_standards
from servicekb.review.stores import StoreViews, diff_stores

__all__ = ["DiffResult", "diff_revisions"]


@dataclass
class DiffResult:
    """The changes between two revisions, with the trailers found and what blocks under `fail_on`."""

    a: Revision
    b: Revision
    as_of: dt.date
    changes: list[Change]
    justifications: list[Justification] = field(default_factory=list)
    fail_on: frozenset[str] = frozenset()

    @property
    def blocking(self) -> list[Change]:
        """Changes with a concern in `fail_on` that no reason covers."""
        return blocking(self.changes, set(self.fail_on))

    @property
    def unmatched(self) -> list[Justification]:
        """Trailers whose subject covers no change."""
        return unmatched(self.changes, self.justifications)

    def count(self, *kinds: str) -> int:
        """How many changes have one of these kinds."""
        return sum(1 for c in self.changes if c.kind in kinds)


def diff_revisions(
    a: Revision,
    b: Revision,
    as_of: dt.date,
    justifications: list[Justification] | None = None,
    fail_on: frozenset[str] = frozenset(),
) -> DiffResult:
    """Compare revision `a` (before) with `b` (after); store profiles are resolved on `as_of`."""
    views = StoreViews(a, b, as_of)
    # Both corpora stay alive throughout, and locating changes composes their node trees:
    # the cyclic collector would rescan millions of live objects for nothing.
    with gc_paused():
        changes = [
            *diff_standards(a, b),
            *diff_metrics(a, b, views.stores_targeting),
            *diff_citations(a, b),
            *diff_profiles(a, b, views),
            *diff_stores(views),
            *diff_links(a, b),
            *diff_schemas(a.schemas, b.schemas),
        ]
    trailers = justifications or []
    changes = apply_justifications(sort_changes(changes), trailers)
    return DiffResult(a, b, as_of, changes, trailers, fail_on)
