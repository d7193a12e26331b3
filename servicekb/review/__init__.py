"""The review workflow: semantic diff of two revisions, change impact, suspect links and review stamps.

`open_revision` loads the knowledge base at a git revision or in a folder;
`diff_revisions` compares two of them (standards, targets, catalogues,
profiles, stores, links, schemas); `score_impact` scores data under both;
`check_review_links` is the `suspect-link` check of `servicekb validate`;
`restamp` and `write_stamps` record that a person reviewed a link.

Names are imported on first use, so that `servicekb validate`, which needs
only the link check, does not load the whole diff machinery.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__all__ = [
    "LOCK_FILE",
    "Change",
    "DiffResult",
    "Impact",
    "Justification",
    "Link",
    "LinkState",
    "Revision",
    "RevisionError",
    "Stamps",
    "check_review_links",
    "check_suspect_links",
    "commit_messages",
    "diff_revisions",
    "find_merge_base",
    "fingerprint_clause",
    "fingerprint_section",
    "iter_links",
    "link_states",
    "open_revision",
    "parse_justifications",
    "read_stamps",
    "restamp",
    "score_impact",
    "write_stamps",
]

_HOME = {
    "Change": "changes",
    "DiffResult": "semantic",
    "diff_revisions": "semantic",
    "Impact": "impact",
    "score_impact": "impact",
    "Justification": "justify",
    "parse_justifications": "justify",
    "fingerprint_clause": "clause_fingerprints",
    "fingerprint_section": "clause_fingerprints",
    "Link": "links",
    "LinkState": "links",
    "check_review_links": "links",
    "check_suspect_links": "links",
    "iter_links": "links",
    "link_states": "links",
    "restamp": "links",
    "Revision": "revisions",
    "RevisionError": "revisions",
    "commit_messages": "revisions",
    "find_merge_base": "revisions",
    "open_revision": "revisions",
    "LOCK_FILE": "stamps",
    "Stamps": "stamps",
    "read_stamps": "stamps",
    "write_stamps": "stamps",
}


def __getattr__(name: str) -> Any:
    if name not in _HOME:
        raise AttributeError(f"module 'servicekb.review' has no attribute {name!r}")
    return getattr(import_module(f"servicekb.review.{_HOME[name]}"), name)


def __dir__() -> list[str]:
    return sorted(__all__)
