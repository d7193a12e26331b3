"""Tailoring checks for `servicekb validate`: resolve every profile and locate what resolution found.

The checks that need resolution live here, not in `servicekb.checks`:
extends cycles, selectors naming unknown or unadopted clauses and sections,
overrides of metrics the store does not target, relaxations without
justification/approver/expiry, lapsed relaxations and expired tightenings,
selections that remove every clause, `prefer` naming a standard not adopted,
targets that cannot be compared, and the store's timezone and opening hours.
"""

from __future__ import annotations

import datetime as dt

from servicekb.corpus import Corpus, FileKey
from servicekb.issues import Issue, format_path
from servicekb.tailoring.effective import Finding
from servicekb.tailoring.resolve import Resolver
from servicekb.yamlpos import YamlDocument

__all__ = ["TAILORING_CODES", "check_profiles", "locate_finding"]

TAILORING_CODES = frozenset(
    {
        "ambiguous-section",
        "bad-opening-hours",
        "bad-override-dates",
        "bad-selector",
        "bad-timezone",
        "duplicate-override",
        "empty-selection",
        "expired-tightening",
        "extends-cycle",
        "incomparable-targets",
        "inherited-override-changed",
        "lapsed-relaxation",
        "not-adopted",
        "override-orphaned",
        "override-untargeted",
        "prefer-not-adopted",
        "prefer-unused",
        "selector-matches-nothing",
        "unapproved-relaxation",
    }
)
"""Codes only tailoring produces (`dangling-reference` is shared with `servicekb.checks`)."""

# Where a finding points at a key rather than its value (`prefer: {metric: standard}`).
_ON_KEY = {"prefer-not-adopted", "prefer-unused"}


def locate_finding(finding: Finding, corpus: Corpus, documents: dict[str, YamlDocument]) -> Issue:
    """Turn a finding into an issue at its file, line and column."""
    file = corpus.files.get(FileKey.store(finding.profile), f"stores/{finding.profile}.yaml")
    doc = documents.get(file)
    line, col = doc.locate(finding.path, on_key=finding.code in _ON_KEY) if doc else (1, 1)
    return Issue(
        file, line, col, finding.code, finding.message, format_path(finding.path), finding.level, finding.value
    )


def check_profiles(corpus: Corpus, documents: dict[str, YamlDocument], today: dt.date) -> list[Issue]:
    """Resolve every store profile on `today`; return the located issues of each profile's own fields."""
    resolved = Resolver(corpus, today).resolve_all()
    return [locate_finding(f, corpus, documents) for sid in sorted(resolved) for f in resolved[sid].findings]
