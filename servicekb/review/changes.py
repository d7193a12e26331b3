"""The one record every part of the semantic diff produces: a `Change`.

A change says where it belongs (`area`, and `group` within it: a standard,
a metric, a store, a schema file), what happened (a stable kebab-case
`kind`), to what (`subject`), in one line for people (`summary`, with an
optional `detail` such as a character diff) and in plain data for machines
(`before`, `after`). `concern` marks what CI may block: `loosened` or
`breaking`; `subjects` are the ids a justification may name to cover it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

__all__ = ["AREAS", "Change", "sort_changes"]

AREAS = ("standards", "metrics", "citations", "profiles", "stores", "impact", "links", "schemas")
"""Areas in report order."""


@dataclass(frozen=True)
class Change:
    """One semantic change between two revisions."""

    area: str
    group: str
    kind: str
    subject: str
    summary: str
    detail: str | None = None
    before: Any = None
    after: Any = None
    location: str | None = None
    concern: str | None = None
    subjects: tuple[str, ...] = ()
    justification: str | None = field(default=None)

    def justified(self, reason: str) -> Change:
        """This change with the reason that covers its concern."""
        return replace(self, justification=reason)

    def to_dict(self) -> dict[str, Any]:
        """Plain data for `--format json`."""
        return {
            "area": self.area,
            "group": self.group,
            "kind": self.kind,
            "subject": self.subject,
            "summary": self.summary,
            "detail": self.detail,
            "before": self.before,
            "after": self.after,
            "location": self.location,
            "concern": self.concern,
            "justification": self.justification,
        }


def sort_changes(changes: list[Change]) -> list[Change]:
    """Area in report order, then group, then document order as produced (a stable sort)."""
    order = {a: i for i, a in enumerate(AREAS)}
    return sorted(changes, key=lambda c: (order.get(c.area, len(order)), c.group))
