"""Why a loosening or a breaking change is wanted: commit-message trailers, and what `--fail-on` blocks.

The convention: a commit in the change (any commit in `A..B`, or the
message being written when run as a commit-msg hook) states the reason in
a trailer line, optionally naming what it covers before a colon:

    Loosened-because: complaint-resolution-time: 新系统上线期间人手不足，临时放宽
    Loosened-because: retail-guide#3.2.a: 原文为“72小时”，此前录入有误
    Breaking-because: standard.schema.json: Target.note 字段改为必填
    Loosened-because: 整体改版，逐条说明见 PR 描述

The subject may be a standard, clause, metric, store or citation id, a
schema file (with or without `.schema.json`) or `*`; without a subject the
reason covers every change of its kind. A store override that relaxes is
justified by its own `justification`, `approver` and `expires` fields.
A trailer whose subject matches nothing is reported, so that a typo does
not silently leave a loosening unjustified.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from servicekb.review.changes import Change

__all__ = ["CONCERNS", "Justification", "apply_justifications", "blocking", "parse_justifications", "unmatched"]

CONCERNS = {"loosened": "Loosened-because", "breaking": "Breaking-because"}
_TRAILER = re.compile(r"^\s*(Loosened|Breaking)-because\s*:\s*(.+?)\s*$", re.IGNORECASE | re.MULTILINE)
# A subject is one id-like token followed by a colon and a space: `retail-guide#3.2.a: ...`.
_SUBJECT = re.compile(r"^(\*|[A-Za-z0-9][A-Za-z0-9._#:-]*?)\s*:\s+(.+)$")


@dataclass(frozen=True)
class Justification:
    """One trailer: the concern it answers, what it covers (`None`: everything) and the reason."""

    concern: str
    subject: str | None
    reason: str

    def covers(self, change: Change) -> bool:
        """Whether this trailer answers the change's concern."""
        if change.concern != self.concern:
            return False
        if self.subject in (None, "*"):
            return True
        return self.subject in change.subjects or f"{self.subject}.schema.json" in change.subjects


def parse_justifications(messages: list[str]) -> list[Justification]:
    """Every `Loosened-because:` and `Breaking-because:` trailer in the messages, in order."""
    out = []
    for message in messages:
        for match in _TRAILER.finditer(message):
            concern = match.group(1).lower()
            concern = "loosened" if concern == "loosened" else "breaking"
            value = match.group(2)
            scoped = _SUBJECT.match(value)
            if scoped:
                out.append(Justification(concern, scoped.group(1), scoped.group(2)))
            else:
                out.append(Justification(concern, None, value))
    return out


def apply_justifications(changes: list[Change], justifications: list[Justification]) -> list[Change]:
    """The changes with each concern answered by the first trailer that covers it.

    A profile's own justification stays.
    """
    out = []
    for change in changes:
        if change.concern and change.justification is None:
            found = next((j for j in justifications if j.covers(change)), None)
            if found is not None:
                change = change.justified(f"{CONCERNS[found.concern]}: {found.reason}")
        out.append(change)
    return out


def unmatched(changes: list[Change], justifications: list[Justification]) -> list[Justification]:
    """Trailers with a subject that covers no change (most likely a typo)."""
    return [j for j in justifications if j.subject not in (None, "*") and not any(j.covers(c) for c in changes)]


def blocking(changes: list[Change], fail_on: set[str]) -> list[Change]:
    """The changes whose concern is in `fail_on` and that nothing justifies."""
    return [c for c in changes if c.concern in fail_on and not c.justification]
