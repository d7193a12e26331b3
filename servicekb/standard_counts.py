"""Counts per standard: sections by status, clauses, targets by nature, citations.

`servicekb stats` prints them; a test pins them so that a change that loses
content fails.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from servicekb.corpus import Corpus, iter_sections
from servicekb.models.standard import SectionStatus
from servicekb.types import TargetNature

__all__ = ["StandardStats", "count_standards"]


@dataclass(frozen=True)
class StandardStats:
    """What one standard holds."""

    standard: str
    sections_body: int
    sections_toc_only: int
    sections_truncated: int
    clauses: int
    targets_firm: int
    targets_other: int
    citations: int

    def to_dict(self) -> dict[str, int | str]:
        """Plain data for JSON output."""
        return asdict(self)


def count_standards(corpus: Corpus) -> list[StandardStats]:
    """Counts for every standard, sorted by id. Citations are distinct catalogue entries cited."""
    out = []
    for sid in sorted(corpus.standards):
        by_status = {s: 0 for s in SectionStatus}
        for sec, _, _ in iter_sections(corpus.standards[sid].sections):
            by_status[sec.status] += 1
        clauses = [e.clause for e in corpus.iter_clauses(sid)]
        targets = [t for c in clauses for t in c.targets]
        firm = sum(1 for t in targets if t.nature is TargetNature.firm)
        cited = {ref.citation for c in clauses for ref in c.citations}
        out.append(
            StandardStats(
                standard=sid,
                sections_body=by_status[SectionStatus.body],
                sections_toc_only=by_status[SectionStatus.toc_only],
                sections_truncated=by_status[SectionStatus.truncated],
                clauses=len(clauses),
                targets_firm=firm,
                targets_other=len(targets) - firm,
                citations=len(cited),
            )
        )
    return out
