"""Links in a change: referrers whose referenced clause or section changed, and stamps renewed.

Computed from the two revisions themselves, not only from stamps: a
reviewer sees every clause and profile whose upstream this change
touches, whether or not the link was ever stamped, and whether the change
re-stamps it (`reviewed`) or leaves it `suspect`.
"""

from __future__ import annotations

from servicekb.review.changes import Change
from servicekb.review.links import SECTION_PREFIX, Fingerprints, iter_links, referrer_name
from servicekb.review.revisions import Revision

__all__ = ["diff_links"]


def diff_links(a: Revision, b: Revision) -> list[Change]:
    """One change per link of B whose target changed since A, or whose stamp this change renewed."""
    prints_a, prints_b = Fingerprints(a.corpus), Fingerprints(b.corpus)
    out = []
    for link in iter_links(b.corpus):
        now = prints_b(link.referenced)
        if now is None:
            continue
        was = prints_a(link.referenced)
        stamp_a, stamp_b = a.stamps.get(link.referrer, link.referenced), b.stamps.get(link.referrer, link.referenced)
        changed = was is not None and was != now
        renewed = stamp_b == now and stamp_a != stamp_b
        if not changed and not renewed:
            continue
        who, target = referrer_name(link.referrer), link.referenced.removeprefix(SECTION_PREFIX)
        where = b.locate(link.owner, link.path)
        subjects = (link.referrer, who, target)
        if stamp_b == now:
            summary = f"{who} -> {target}: {'changed here and ' if changed else ''}re-stamped as reviewed ({now})"
            out.append(
                Change(
                    "links",
                    who,
                    "link-reviewed",
                    who,
                    summary,
                    before=stamp_a,
                    after=stamp_b,
                    location=where,
                    subjects=subjects,
                )
            )
        else:
            state = "never stamped" if stamp_b is None else f"stamped {stamp_b}"
            summary = (
                f"{who} -> {target}: {target} changed ({was} -> {now}; {state}); suspect until `servicekb review {who}`"
            )
            out.append(
                Change(
                    "links", who, "link-suspect", who, summary, before=was, after=now, location=where, subjects=subjects
                )
            )
    return out
