"""Full-text search over clauses: Chinese (jieba) and English, ranked with BM25.

A clause is indexed with its text, its English summary and the Chinese and
English titles of its sections, cut by jieba's search mode so that every
word and its sub-words are terms. A query is cut the same way, piece by
piece (spaces separate pieces), so `客户投诉处理` and `客户 投诉 处理` find
the same clauses. A piece found verbatim in a clause adds a phrase bonus,
and also guarantees the clause is found however jieba segmented it in
context.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass

from servicekb.corpus import ClauseEntry, Corpus
from servicekb.graph.text import index_words

__all__ = ["SearchHit", "SearchIndex", "search_clauses"]

_K1, _B = 1.2, 0.75


@dataclass(frozen=True)
class SearchHit:
    """One clause found: where it is, how well it matched, and a snippet with the hit in 【】."""

    clause: str
    standard: str
    section: str
    section_title: str
    stage: str
    score: float
    snippet: str

    def to_dict(self) -> dict:
        """Plain data for `--format json`."""
        return asdict(self)


def _titles(entry: ClauseEntry) -> str:
    parts = [entry.clause.summary_en or ""]
    for section in entry.sections:
        parts += [section.title.zh, section.title.en or ""]
    return " ".join(p for p in parts if p)


def _snippet(text: str, needles: list[str], before: int = 18, after: int = 42) -> str:
    lower = text.lower()
    # The longest needle found wins (the whole phrase before its words), then the earliest.
    hits = [(-len(n), lower.find(n)) for n in needles if n and lower.find(n) >= 0]
    if not hits:
        return text[: before + after] + ("…" if len(text) > before + after else "")
    negative_length, at = min(hits)
    end = at - negative_length
    start, stop = max(0, at - before), min(len(text), end + after)
    return ("…" if start else "") + text[start:at] + "【" + text[at:end] + "】" + text[end:stop] + ("…" if stop < len(text) else "")


class SearchIndex:
    """An inverted index of the clauses of a corpus, built once and queried many times."""

    def __init__(self, corpus: Corpus):
        self.entries = list(corpus.iter_clauses())
        self.haystacks = [f"{e.clause.text} {_titles(e)}".lower() for e in self.entries]
        self.postings: dict[str, dict[int, int]] = defaultdict(dict)
        self.lengths = []
        for i, hay in enumerate(self.haystacks):
            words = index_words(hay)
            self.lengths.append(len(words) or 1)
            for word, tf in Counter(words).items():
                self.postings[word][i] = tf
        self.average = sum(self.lengths) / len(self.lengths) if self.lengths else 1.0

    def _idf(self, term: str) -> float:
        df = len(self.postings.get(term, ()))
        n = len(self.entries)
        return math.log(1 + (n - df + 0.5) / (df + 0.5))

    def search(self, query: str, *, standard: str | None = None, metric: str | None = None, stage: str | None = None, limit: int | None = 20) -> list[SearchHit]:
        """Clauses matching `query`, best first; filters narrow by standard id, targeted metric and stage."""
        pieces = [p.lower() for p in query.split()]
        terms = sorted({t for p in pieces for t in index_words(p)})
        scores: dict[int, float] = defaultdict(float)
        for term in terms:
            idf = self._idf(term)
            for i, tf in self.postings.get(term, {}).items():
                norm = tf + _K1 * (1 - _B + _B * self.lengths[i] / self.average)
                scores[i] += idf * tf * (_K1 + 1) / norm
        for piece in pieces:
            bonus = sum(self._idf(t) for t in index_words(piece)) or 1.0
            for i, hay in enumerate(self.haystacks):
                if piece in hay:
                    scores[i] += bonus
        hits = []
        for i, score in scores.items():
            e = self.entries[i]
            if standard and e.standard_id != standard:
                continue
            if stage and e.clause.stage.value != stage:
                continue
            if metric and all(t.metric != metric for t in e.clause.targets):
                continue
            needles = sorted({*pieces, *terms}, key=len, reverse=True)
            hits.append(SearchHit(e.clause.id, e.standard_id, e.section.number, e.section.title.zh, e.clause.stage.value, round(score, 4), _snippet(e.clause.text, needles)))
        hits.sort(key=lambda h: (-h.score, h.clause))
        return hits if limit is None else hits[:limit]


def search_clauses(corpus: Corpus, query: str, **filters) -> list[SearchHit]:
    """Build an index of `corpus` and run one query (see `SearchIndex.search` for the filters)."""
    return SearchIndex(corpus).search(query, **filters)
