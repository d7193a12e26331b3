"""Links between clauses and profiles, their review state, and the `suspect-link` check.

A link goes from a referrer to what it references:

- a clause (of a standard, or a store's local clause) to each clause in its `references`;
- a store profile (`store:<id>`) to each clause or section its `include` / `exclude` selectors name.

A link is *suspect* when the lock file holds a stamp for it and the
referenced content no longer has that fingerprint. A link never stamped is
*unstamped*: `servicekb validate` stays quiet about it (nothing says its
target changed) and `servicekb review` lists it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from servicekb.corpus import Corpus, FileKey, iter_sections
from servicekb.gcpause import gc_paused
from servicekb.issues import Issue, Level, format_path
from servicekb.models import Clause, Section
from servicekb.review.clause_fingerprints import fingerprint_clause, fingerprint_section
from servicekb.review.stamps import Stamps, read_stamps
from servicekb.yamlpos import YamlDocument

__all__ = [
    "SECTION_PREFIX",
    "STORE_PREFIX",
    "Fingerprints",
    "Link",
    "LinkState",
    "check_review_links",
    "check_suspect_links",
    "iter_links",
    "link_states",
    "referrer_name",
    "restamp",
]

SECTION_PREFIX = "section:"
STORE_PREFIX = "store:"


@dataclass(frozen=True)
class Link:
    """One reference: who refers (`referrer`), to what (`referenced`), written where (`owner` file and field
    `path`)."""

    referrer: str
    referenced: str
    owner: FileKey
    path: tuple[str | int, ...]


@dataclass(frozen=True)
class LinkState:
    """A link with its stamp and the referenced content's current fingerprint.

    `state` is `reviewed` (stamp matches), `suspect` (stamp differs),
    `unstamped` (no stamp) or `dangling` (the referenced clause or section does not exist).
    """

    link: Link
    stamp: str | None
    current: str | None
    state: str


def referrer_name(referrer: str) -> str:
    """What to type after `servicekb review`: a clause id, or a store id for a profile's selectors."""
    return referrer.removeprefix(STORE_PREFIX)


def iter_links(corpus: Corpus) -> Iterator[Link]:
    """Every link of the corpus: clause references first (by standard), then store profiles."""
    for entry in corpus.iter_clauses():
        for k, ref in enumerate(entry.clause.references):
            yield Link(entry.clause.id, ref, FileKey.standard(entry.standard_id), (*entry.path, "references", k))
    for sid in sorted(corpus.stores):
        store, referrer, owner = corpus.stores[sid], f"{STORE_PREFIX}{sid}", FileKey.store(sid)
        for field in ("include", "exclude"):
            for k, selector in enumerate(getattr(store, field)):
                if selector.clause is not None:
                    yield Link(referrer, selector.clause, owner, (field, k, "clause"))
                elif selector.section is not None:
                    yield Link(referrer, f"{SECTION_PREFIX}{selector.section}", owner, (field, k, "section"))
        for j, clause in enumerate(store.local_clauses):
            for k, ref in enumerate(clause.references):
                yield Link(clause.id, ref, owner, ("local_clauses", j, "references", k))


class Fingerprints:
    """Current fingerprints of referenced clauses and sections of one corpus, computed once each."""

    def __init__(self, corpus: Corpus):
        self.corpus = corpus
        self._cache: dict[str, str | None] = {}
        self._local: dict[str, Clause] | None = None

    def __call__(self, referenced: str) -> str | None:
        """The fingerprint of a clause id or `section:<standard>#<number>`; None when it does not exist."""
        if referenced not in self._cache:
            self._cache[referenced] = self._compute(referenced)
        return self._cache[referenced]

    def _compute(self, referenced: str) -> str | None:
        if referenced.startswith(SECTION_PREFIX):
            section = _find_section(self.corpus, referenced.removeprefix(SECTION_PREFIX))
            return fingerprint_section(section) if section else None
        entry = self.corpus.clauses.get(referenced)
        if entry is not None:
            return fingerprint_clause(entry.clause)
        if self._local is None:
            self._local = {c.id: c for s in self.corpus.stores.values() for c in s.local_clauses}
        clause = self._local.get(referenced)
        return fingerprint_clause(clause) if clause else None


def _find_section(corpus: Corpus, ref: str) -> Section | None:
    sid, _, number = ref.partition("#")
    std = corpus.standards.get(sid)
    if std is None:
        return None
    # Numbers may repeat at different depths; the first in document order is the one selectors mean.
    return next((sec for sec, _, _ in iter_sections(std.sections) if sec.number == number), None)


def link_states(
    corpus: Corpus, stamps: Stamps, links: Iterable[Link] | None = None, prints: Fingerprints | None = None
) -> list[LinkState]:
    """The review state of every link (or of the links given)."""
    prints = prints or Fingerprints(corpus)
    out = []
    for link in iter_links(corpus) if links is None else links:
        stamp, current = stamps.get(link.referrer, link.referenced), prints(link.referenced)
        if current is None:
            state = "dangling"
        elif stamp is None:
            state = "unstamped"
        else:
            state = "reviewed" if stamp == current else "suspect"
        out.append(LinkState(link, stamp, current, state))
    return out


def _suspect_issue(state: LinkState, corpus: Corpus, documents: dict[str, YamlDocument]) -> Issue:
    link = state.link
    file = corpus.files.get(link.owner, "")
    doc = documents.get(file)
    line, col = doc.locate(link.path) if doc else (1, 1)
    what = "section" if link.referenced.startswith(SECTION_PREFIX) else "clause"
    target = link.referenced.removeprefix(SECTION_PREFIX)
    message = (
        f"{what} {target!r} changed since {referrer_name(link.referrer)} was reviewed against it "
        f"(stamp {state.stamp}, now {state.current}): check the reference still holds, then run "
        f"`servicekb review {referrer_name(link.referrer)}`"
    )
    return Issue(file, line, col, "suspect-link", message, format_path(link.path), Level.warning, target)


def check_suspect_links(corpus: Corpus, documents: dict[str, YamlDocument], stamps: Stamps) -> list[Issue]:
    """A `suspect-link` warning at every reference whose stamp no longer matches what it references."""
    if not stamps.entries:
        return []
    links = [link for link in iter_links(corpus) if link.referrer in stamps.entries]
    return [_suspect_issue(s, corpus, documents) for s in link_states(corpus, stamps, links) if s.state == "suspect"]


def check_review_links(root: Path, corpus: Corpus, documents: dict[str, YamlDocument]) -> list[Issue]:
    """Read `standards/review.lock` under `root` and check every stamped link; lock-file problems included."""
    with gc_paused():
        stamps, issues = read_stamps(root)
        return issues + check_suspect_links(corpus, documents, stamps)


def restamp(corpus: Corpus, referrers: Iterable[str], prints: Fingerprints | None = None) -> dict[str, dict[str, str]]:
    """Fresh stamps (current fingerprints) for the links of the given referrers; dangling links are left out."""
    wanted = set(referrers)
    prints = prints or Fingerprints(corpus)
    out: dict[str, dict[str, str]] = {r: {} for r in wanted}
    with gc_paused():
        for link in iter_links(corpus):
            if link.referrer in wanted:
                current = prints(link.referenced)
                if current is not None:
                    out[link.referrer][link.referenced] = current
    return out
