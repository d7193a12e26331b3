"""Related clauses: clauses of different standards that are about the same thing.

Each clause becomes a TF-IDF vector of its content words (jieba, see
`servicekb.graph.text`) together with the words of its section titles, which
name the topic a clause text often leaves implicit ("3.投诉处理:相关部门…"
under "服务投诉处理流程"). Cosine similarity of every pair is one sparse
matrix product (scipy), never a Python loop over pairs.

Choices, measured on the real corpus (888 clauses in five standards):

- sublinear term frequency (1 + log tf) and smoothed idf, rows L2-normalised;
- words found in more than `MAX_DF` of the clauses are corpus stop words
  (服务, 客户, 流程, 企业): they link everything to everything; on the
  synthetic corpus, whose texts are drawn from 20 words, they would also make
  the product a dense 50,000 x 50,000 matrix;
- section titles: with them 18 of the 19 complaint clauses of the apparel
  norms (2.4) reach a complaint clause of the retail guide (2.3, 6.x) at the
  threshold, without them 8;
- a clause is compared only when at least `MIN_TERMS` of its words are in
  the vocabulary: with one or two, a single shared word gives a cosine near
  1.0 (all real clauses but one have six or more; the synthetic ones have
  at most one or two, so this also keeps their product tiny);
- `THRESHOLD` = 0.35 keeps about 490 cross-standard pairs, one in 1,000; two
  thirds of them share the curators' lifecycle stage (7 % of all pairs do),
  and a sample read at 0.35-0.40 is about the same topic (training methods,
  complaint classification, display layout). Below 0.3 pairs share only
  boilerplate (建立 机制 持续 改进).
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from servicekb.corpus import ClauseEntry, Corpus
from servicekb.graph.text import content_words

__all__ = ["MAX_DF", "MIN_TERMS", "THRESHOLD", "RelatedPair", "clause_words", "find_related", "similarity_matrix"]

THRESHOLD = 0.35
MAX_DF = 0.2
MIN_TERMS = 3


@dataclass(frozen=True)
class RelatedPair:
    """Two clauses of different standards, their cosine similarity and the words they share most."""

    first: str
    second: str
    score: float
    terms: tuple[str, ...]


def clause_words(entry: ClauseEntry) -> list[str]:
    """The words a clause is compared on: its text and the titles of its sections."""
    words = content_words(entry.clause.text)
    for section in entry.sections:
        words += _title_words(section.title.zh)
    return words


@lru_cache(maxsize=4096)
def _title_words(title: str) -> list[str]:
    # Titles repeat for every clause of a section: segment each once.
    return content_words(title)


def similarity_matrix(documents: list[list[str]], max_df: float = MAX_DF):
    """TF-IDF rows (CSR, L2-normalised) and the vocabulary, for documents given as word lists.

    Returns:
        (matrix, vocabulary) where vocabulary[j] is the word of column j.
    """
    import numpy as np
    from scipy import sparse

    n = len(documents)
    counts = [Counter(words) for words in documents]
    df: Counter[str] = Counter()
    for c in counts:
        df.update(c.keys())
    # A word in a single clause cannot relate two clauses; a word in most of
    # them relates them all.
    limit = max(2.0, max_df * n)
    vocabulary = sorted(w for w, k in df.items() if 2 <= k <= limit)
    column = {w: j for j, w in enumerate(vocabulary)}
    idf = {w: math.log((1 + n) / (1 + df[w])) + 1 for w in vocabulary}
    rows, cols, data = [], [], []
    for i, c in enumerate(counts):
        for w, tf in c.items():
            j = column.get(w)
            if j is not None:
                rows.append(i)
                cols.append(j)
                data.append((1 + math.log(tf)) * idf[w])
    matrix = sparse.csr_matrix((np.array(data, dtype=float), (rows, cols)), shape=(n, len(vocabulary)))
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return (sparse.diags(1.0 / norms) @ matrix).tocsr(), vocabulary


def _row(matrix, i: int) -> dict[int, float]:
    start, end = matrix.indptr[i], matrix.indptr[i + 1]
    return dict(zip(matrix.indices[start:end].tolist(), matrix.data[start:end].tolist(), strict=True))


def find_related(corpus: Corpus, threshold: float = THRESHOLD, max_df: float = MAX_DF) -> list[RelatedPair]:
    """Pairs of clauses of different standards whose cosine similarity reaches `threshold`, best first."""
    import numpy as np
    from scipy import sparse

    entries = list(corpus.iter_clauses())
    if len(entries) < 2:
        return []
    matrix, vocabulary = similarity_matrix([clause_words(e) for e in entries], max_df)
    enough = (np.diff(matrix.indptr) >= MIN_TERMS).astype(float)
    matrix = (sparse.diags(enough) @ matrix).tocsr()
    matrix.eliminate_zeros()
    product = sparse.triu(matrix @ matrix.T, k=1).tocoo()
    standard = np.array([e.standard_id for e in entries])
    keep = (product.data >= threshold - 1e-9) & (standard[product.row] != standard[product.col])
    rows, cols, scores = product.row[keep], product.col[keep], product.data[keep]
    weights = {i: _row(matrix, i) for i in set(rows.tolist()) | set(cols.tolist())}
    pairs = []
    for i, j, score in zip(rows.tolist(), cols.tolist(), scores.tolist(), strict=True):
        a, b = weights[i], weights[j]
        shared = sorted(((a[w] * b[w], vocabulary[w]) for w in a.keys() & b.keys()), reverse=True)[:5]
        first, second = sorted((entries[i].clause.id, entries[j].clause.id))
        pairs.append(RelatedPair(first, second, score, tuple(w for _, w in shared)))
    return sorted(pairs, key=lambda p: (-p.score, p.first, p.second))
