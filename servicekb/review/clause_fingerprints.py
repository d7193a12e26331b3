"""Content fingerprints of clauses and sections: what a referrer was reviewed against.

A fingerprint covers what a clause says, not how it is presented: its
text, kind, modality, firm and other targets (without their quotes and
notes) and citations. Tags, stage, the English summary and provenance are
left out, so that re-tagging or fixing a quote does not make every
referrer suspect. A section's fingerprint covers its number, title, status
and the fingerprints of every clause under it.
"""

from __future__ import annotations

import hashlib
import json

from servicekb.corpus import iter_sections
from servicekb.models import Clause, Section

__all__ = ["FINGERPRINT_LENGTH", "fingerprint_clause", "fingerprint_section"]

FINGERPRINT_LENGTH = 16
"""Hex digits kept of the SHA-256: short enough to read in a lock file, far from colliding."""

_TARGET_FIELDS = {"metric", "comparator", "value", "upper", "unit", "clock", "population", "nature"}


def _digest(data: object) -> str:
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:FINGERPRINT_LENGTH]


def _clause_content(clause: Clause) -> dict:
    return {
        "text": clause.text.strip(),
        "kind": clause.kind.value,
        "modality": clause.modality.value,
        "targets": [t.model_dump(mode="json", include=_TARGET_FIELDS) for t in clause.targets],
        "citations": [c.model_dump(mode="json") for c in clause.citations],
    }


def fingerprint_clause(clause: Clause) -> str:
    """The fingerprint of what a clause says."""
    return _digest(_clause_content(clause))


def fingerprint_section(section: Section) -> str:
    """The fingerprint of a section: its heading and every clause under it, subsections included."""
    clauses = [(c.id, fingerprint_clause(c)) for c in section.clauses]
    for _, chain, _ in iter_sections(section.sections):
        clauses.extend((c.id, fingerprint_clause(c)) for c in chain[-1].clauses)
    head = {"number": section.number, "title": section.title.zh, "status": section.status.value}
    return _digest({"head": head, "clauses": clauses})
