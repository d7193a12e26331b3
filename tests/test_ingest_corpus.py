"""Ingest on the team's corpus of unseen documents: every expected target, nothing else.

tests/fixtures/ingest-corpus/ holds short documents written for this purpose
(SLA tables, tiered response times, working-day clocks, frequencies,
traditional characters, scraped noise, a table of contents only, no numbers)
with the targets a careful curator sees in `NN-slug.expected.yaml` and the
numbers that are not targets (phone numbers, dates, penalties, statistics …).
CONVENTIONS.md there states the curation calls. A match is the same value,
upper bound, unit and comparator with an overlapping quote.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from servicekb.ingest.evaluate import DocumentScore, score_document
from servicekb.loader import load_corpus
from servicekb.models import MetricCatalogue

ROOT = Path(__file__).resolve().parents[1]
CORPUS_DIR = ROOT / "tests" / "fixtures" / "ingest-corpus"
DOCUMENTS = sorted(CORPUS_DIR.glob("*.txt"))


@cache
def _metrics() -> MetricCatalogue:
    return MetricCatalogue(metrics=list(load_corpus(ROOT, check=False).corpus.metrics.values()))


@cache
def _score(name: str) -> DocumentScore:
    txt = CORPUS_DIR / name
    return score_document(txt, txt.with_name(txt.stem + ".expected.yaml"), _metrics())


def _shown(t) -> tuple:
    return (t.comparator.value, t.value, t.upper, t.unit.value, t.quote)


def test_the_corpus_is_there() -> None:
    assert len(DOCUMENTS) >= 20
    assert all(p.with_name(p.stem + ".expected.yaml").is_file() for p in DOCUMENTS)


@pytest.mark.parametrize("doc", [p.name for p in DOCUMENTS], ids=[p.stem for p in DOCUMENTS])
def test_every_expected_target_is_proposed(doc: str) -> None:
    score = _score(doc)
    assert [(e.comparator, e.value, e.upper, e.unit, e.quote) for e in score.missed] == []


@pytest.mark.parametrize("doc", [p.name for p in DOCUMENTS], ids=[p.stem for p in DOCUMENTS])
def test_nothing_but_the_expected_targets_is_proposed(doc: str) -> None:
    score = _score(doc)
    assert [(why, quote, _shown(t)) for quote, why, t in score.not_target_hits] == []
    assert [_shown(t) for t in score.extra] == []


@pytest.mark.parametrize("doc", [p.name for p in DOCUMENTS], ids=[p.stem for p in DOCUMENTS])
def test_matched_targets_have_the_expected_nature_and_clock(doc: str) -> None:
    score = _score(doc)
    wrong = [
        (e.quote, e.nature, t.nature.value, e.clock, t.clock.value if t.clock else None)
        for e, t in score.matched
        if e.nature != t.nature.value or e.clock != (t.clock.value if t.clock else None)
    ]
    assert wrong == []


def test_precision_and_recall_over_the_corpus() -> None:
    scores = [_score(p.name) for p in DOCUMENTS]
    matched = sum(len(s.matched) for s in scores)
    recall = matched / sum(s.expected for s in scores)
    precision = matched / max(1, sum(s.proposed for s in scores))
    assert recall >= 0.95 and precision >= 0.95, (recall, precision)
