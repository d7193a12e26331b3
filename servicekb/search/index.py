"""The search index: plain data (JSON) built from the corpus, read by the command line and the handbook alike.

Ranking is BM25F over the weighted fields of each document, multiplied by
the document's kind boost, and computed here once: a posting holds the
document's whole contribution for the term as an integer (thousandths), so
scoring a query on either surface is adding integers and applying one
coordination factor (`servicekb.search.engine`). The same data therefore
gives the same ranking in Python and in the browser.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections import Counter, defaultdict
from dataclasses import asdict

from servicekb.corpus import Corpus
from servicekb.search.documents import FIELD_WEIGHTS, KIND_BOOST, SearchDocument, collect_documents
from servicekb.search.language import (
    DURATION_TERM,
    MAX_WORD,
    Language,
    count_durations,
    cut_terms,
    fold_text,
    han_runs,
    load_language,
    make_fold_table,
)

__all__ = ["INDEX_VERSION", "build_index", "dump_index"]

INDEX_VERSION = 1
K1, B = 1.2, 0.75
# score = sum of postings * r ** COORDINATION, r the share of the query's terms a document matched.
COORDINATION = 2
_SHOWN = (
    "id",
    "type",
    "text",
    "page",
    "anchor",
    "standard",
    "section",
    "section_title",
    "stage",
    "kind",
    "summary",
    "metrics",
    "targets",
)


def _vocabulary(docs: list[SearchDocument], language: Language) -> set[str]:
    """Every Chinese word jieba finds in the documents (and its dictionary sub-words), and the language's own words."""
    from servicekb.graph.text import index_words

    words = set(language.surfaces())
    seen: set[str] = set()
    for doc in docs:
        for text in doc.fields.values():
            for run in han_runs(fold_text(text)):
                if run in seen:
                    continue
                seen.add(run)
                words.update(w for w in index_words(run) if 2 <= len(w) <= MAX_WORD)
    return words


def _store_clauses(corpus: Corpus, as_of: dt.date) -> dict[str, dict]:
    from servicekb.tailoring import Resolver

    stores = {}
    for sid, eff in sorted(Resolver(corpus, as_of).resolve_all().items()):
        stores[sid] = {"name": eff.name, "clauses": sorted(eff.clauses)}
    return stores


def build_index(corpus: Corpus, as_of: dt.date | None = None) -> dict:
    """The index of a corpus as JSON-ready data (deterministic: same corpus and day, same data).

    Args:
        corpus: The loaded knowledge base.
        as_of: The day store profiles are resolved on, for the store filter (default today).
    """
    language = load_language()
    docs = collect_documents(corpus)
    vocabulary = _vocabulary(docs, language)
    counts: list[Counter] = []
    lengths: list[float] = []
    for doc in docs:
        tf: Counter = Counter()
        length = 0.0
        for name, text in doc.fields.items():
            folded = fold_text(text)
            terms = cut_terms(folded, vocabulary, language)
            terms += [language.canonical(DURATION_TERM) or DURATION_TERM] * count_durations(folded)
            weight = FIELD_WEIGHTS.get(name, 1.0)
            for term in terms:
                tf[term] += weight
            length += weight * len(terms)
        counts.append(tf)
        lengths.append(length or 1.0)
    n = len(docs)
    average = sum(lengths) / n if n else 1.0
    df = Counter(term for tf in counts for term in tf)
    postings: dict[str, list[int]] = defaultdict(list)
    for i, (doc, tf) in enumerate(zip(docs, counts, strict=True)):
        norm = K1 * (1 - B + B * lengths[i] / average)
        boost = KIND_BOOST[doc.boost]
        for term in sorted(tf):
            idf = math.log(1 + (n - df[term] + 0.5) / (df[term] + 0.5))
            weight = round(1000 * boost * idf * tf[term] * (K1 + 1) / (tf[term] + norm))
            postings[term] += [i, max(weight, 1)]
    fold = make_fold_table()
    shipped = sorted(w for w in vocabulary if (language.canonical(w) or "") in postings)
    return {
        "version": INDEX_VERSION,
        "max_word": MAX_WORD,
        "coordination": COORDINATION,
        "fold": {k: fold[k] for k in sorted(fold)},
        "vocabulary": shipped,
        "synonyms": {name: list(words) for name, words in sorted(language.groups.items())},
        "ignore": sorted(language.ignore),
        "postings": dict(sorted(postings.items())),
        "docs": [{k: v for k, v in asdict(d).items() if k in _SHOWN and v not in ("", [])} for d in docs],
        "standards": {sid: corpus.standards[sid].title.zh for sid in sorted(corpus.standards)},
        "metrics": {mid: corpus.metrics[mid].name.zh for mid in sorted(corpus.metrics)},
        "stores": _store_clauses(corpus, as_of or dt.date.today()) if corpus.stores else {},
    }


def dump_index(data: dict) -> str:
    """The index as compact JSON (non-ASCII kept as is: Chinese is 3 bytes a character instead of 6)."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=False)
