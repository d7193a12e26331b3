"""Scoring a query against the index data: the command line's half of the one ranking.

`_static/servicekb-search.js` is the handbook's half and implements the
same steps on the same data (a browser test runs both on the question set
and compares the rankings):

1. cut the query into terms (`servicekb.search.language`): folded,
   vocabulary words of its Chinese runs and its English words, synonyms
   named by their group, ignored words dropped; each term once;
2. for each term in code-point order, add its postings (integers) to the
   documents' sums and count the terms each document matched;
3. score = sum / 1000, multiplied `coordination` times by r, the share of
   the query's terms the document matched (a clause that answers every
   part of a question beats one that repeats a single word);
4. best first; equal scores in index order.
"""

from __future__ import annotations

import unicodedata
from dataclasses import asdict, dataclass, field

from servicekb.search.language import iter_words

__all__ = ["MAX_QUERY", "SearchHit", "SearchIndex", "mark_snippet"]

MAX_QUERY = 1000


@dataclass(frozen=True)
class SearchHit:
    """One document found: what it is, where it lives, how well it matched, what to show."""

    id: str
    type: str
    standard: str
    section: str
    section_title: str
    stage: str
    kind: str
    score: float
    snippet: str
    targets: list[str] = field(default_factory=list)
    highlights: list[str] = field(default_factory=list)
    page: str = ""
    anchor: str = ""

    @property
    def clause(self) -> str:
        """The clause id (the document id of a clause hit)."""
        return self.id

    def to_dict(self) -> dict:
        """Plain data for `--format json`."""
        return asdict(self)


def _aligned_fold(text: str, table: dict[str, str]) -> str:
    """Folded text of the same length as `text` (a character NFKC would expand stays as it is)."""
    out = []
    for ch in text:
        n = unicodedata.normalize("NFKC", ch)
        ch = n if len(n) == 1 else ch
        out.append(table.get(ch, ch).lower())
    return "".join(out)


def mark_snippet(
    text: str,
    folded: str,
    surfaces: list[str],
    before: int = 20,
    after: int = 70,
    marks: tuple[str, str] = ("【", "】"),
) -> str:
    """A window of `text` around the first matched word, every matched word in the window between `marks`."""
    ordered = sorted({s for s in surfaces if s}, key=lambda s: (-len(s), s))
    first = min((folded.find(s) for s in ordered if folded.find(s) >= 0), default=-1)
    if first < 0:
        return text[: before + after] + ("…" if len(text) > before + after else "")
    start, stop = max(0, first - before), min(len(text), first + after)
    out, i = [], start
    while i < stop:
        word = next((s for s in ordered if folded.startswith(s, i)), None)
        if word is None:
            out.append(text[i])
            i += 1
            continue
        out.append(marks[0] + text[i : i + len(word)] + marks[1])
        i += len(word)
    return ("…" if start else "") + "".join(out) + ("…" if stop < len(text) else "")


class SearchIndex:
    """Queries over index data made by `servicekb.search.index.build_index` (or read from its JSON)."""

    def __init__(self, data: dict):
        self.data = data
        self.docs: list[dict] = data["docs"]
        self.coordination: int = data["coordination"]
        self.postings: dict[str, list[int]] = data["postings"]
        self.vocabulary = frozenset(data["vocabulary"])
        self.ignore = frozenset(data["ignore"])
        self.groups: dict[str, list[str]] = data["synonyms"]
        self.concept = {w: name for name, words in self.groups.items() for w in words}
        self.fold: dict[str, str] = data["fold"]

    def fold_query(self, query: str) -> str:
        """The query folded as the index is (NFKC, simplified, lower case), cut to `MAX_QUERY` characters."""
        text = unicodedata.normalize("NFKC", query[:MAX_QUERY])
        return "".join(self.fold.get(ch, ch) for ch in text).lower()

    def terms(self, query: str) -> list[str]:
        """The query's terms in code-point order, each once (see the module docstring)."""
        out = set()
        for word in iter_words(self.fold_query(query), self.vocabulary):
            if word in self.ignore:
                continue
            out.add(self.concept.get(word, word))
        return sorted(out)

    def _allowed(
        self, doc: dict, standard: str | None, stage: str | None, metric: str | None, clauses: set[str] | None
    ) -> bool:
        if standard and doc.get("standard") != standard:
            return False
        if stage and doc.get("stage") != stage:
            return False
        if metric and metric not in doc.get("metrics", ()):
            return False
        return clauses is None or (doc["type"] == "clause" and doc["id"] in clauses)

    def search(
        self,
        query: str,
        *,
        standard: str | None = None,
        stage: str | None = None,
        metric: str | None = None,
        store: str | None = None,
        limit: int | None = 20,
    ) -> list[SearchHit]:
        """Documents matching `query`, best first; filters narrow by standard, stage, targeted metric and store.

        `store` keeps the clauses in that store's effective standard. An
        empty or wordless query finds nothing (an empty list, never an error).
        """
        terms = self.terms(query)
        if not terms:
            return []
        sums: dict[int, int] = {}
        matched: dict[int, int] = {}
        for term in terms:
            post = self.postings.get(term, ())
            for k in range(0, len(post), 2):
                d = post[k]
                sums[d] = sums.get(d, 0) + post[k + 1]
                matched[d] = matched.get(d, 0) + 1
        # an unknown store has no effective clauses: nothing is found, as in the handbook
        clauses = set(self.data["stores"].get(store, {}).get("clauses", [])) if store else None
        scored = []
        for d, total in sums.items():
            if not self._allowed(self.docs[d], standard, stage, metric, clauses):
                continue
            r = matched[d] / len(terms)
            score = total / 1000
            for _ in range(self.coordination):
                score *= r
            scored.append((-score, d))
        scored.sort()
        if limit is not None:
            scored = scored[:limit]
        return [self._hit(d, -neg, terms) for neg, d in scored]

    def surfaces(self, terms: list[str]) -> list[str]:
        """The words a term can appear as in text: its synonym group, or itself."""
        return [w for t in terms for w in self.groups.get(t, [t])]

    def _hit(self, d: int, score: float, terms: list[str]) -> SearchHit:
        doc = self.docs[d]
        text = doc["text"]
        folded = _aligned_fold(text, self.fold)
        # The words to mark: those of the query's terms that the hit shows (text, targets, English summary).
        shown = folded + "\n" + _aligned_fold("\n".join([*doc.get("targets", []), doc.get("summary", "")]), self.fold)
        found = [s for s in self.surfaces(terms) if s in shown]
        return SearchHit(
            id=doc["id"],
            type=doc["type"],
            standard=doc.get("standard", ""),
            section=doc.get("section", ""),
            section_title=doc.get("section_title", ""),
            stage=doc.get("stage", ""),
            kind=doc.get("kind", ""),
            score=round(score, 4),
            snippet=mark_snippet(text, folded, found),
            targets=list(doc.get("targets", [])),
            highlights=sorted(set(found), key=lambda s: (-len(s), s)),
            page=doc["page"],
            anchor=doc["anchor"],
        )
