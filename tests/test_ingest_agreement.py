"""The five sources still produce drafts the curated standards agree with.

Every target a curator encoded in `standards/` must be proposed by
`servicekb ingest` on its source: same value, upper bound and unit, a quote
overlapping the curated quote in the cleaned source, and the same comparator
whenever the curated quote states one that agrees with the curated target
(a curated target that contradicts its own quote is the quote check's finding,
not ingest's). Catalogue metrics must agree too when the draft maps one.
"""

from __future__ import annotations

import re
from functools import cache

import pytest
from conftest import ROOT

from servicekb.ingest import ingest_text
from servicekb.ingest.clean import clean_text
from servicekb.loader import load_corpus
from servicekb.models import MetricCatalogue
from servicekb.quantities import find_quantities

CORPUS = load_corpus(ROOT, check=False).corpus
IDS = sorted(CORPUS.standards)


def _clauses(sections):
    for section in sections:
        yield from section.clauses
        yield from _clauses(section.sections)


@cache
def _draft(sid: str):
    std = CORPUS.standards[sid]
    raw = (ROOT / "sources" / std.source.seed).read_text(encoding="utf-8")
    draft = ingest_text(raw, "draft", std.source.seed, MetricCatalogue(metrics=list(CORPUS.metrics.values()))).standard
    return clean_text(raw), [t for c in _clauses(draft.sections) for t in c.targets]


def _spans(text: str, quote: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(re.escape(quote), text)]


def _quote_states(quote: str, target) -> bool:
    """Whether the quote itself writes the target's comparator."""
    return any(
        q.stated and q.comparator is target.comparator and q.value == target.value for q in find_quantities(quote)
    )


@pytest.mark.parametrize("sid", IDS)
def test_every_curated_target_is_proposed(sid: str) -> None:
    text, proposed = _draft(sid)
    missing = []
    for clause in _clauses(CORPUS.standards[sid].sections):
        for t in clause.targets:
            where = _spans(text, t.quote)
            hits = [
                p
                for p in proposed
                if (p.value, p.upper, p.unit) == (t.value, t.upper, t.unit)
                and any(a < d and c < b for a, b in where for c, d in _spans(text, p.quote))
            ]
            judged = [p for p in hits if p.comparator is t.comparator] if _quote_states(t.quote, t) else hits
            if not judged:
                missing.append((clause.id, t.comparator.value, t.value, t.unit.value, t.quote))
            elif all(p.metric not in ("unmapped", t.metric) for p in judged):
                missing.append((clause.id, "metric", t.metric, [p.metric for p in judged]))
    assert missing == []


def test_the_drafts_propose_targets_for_every_source() -> None:
    # A regression that loses the proposer shows here even if the curated counts shrink.
    counts = {sid: len(_draft(sid)[1]) for sid in IDS}
    curated = {sid: sum(len(c.targets) for c in _clauses(CORPUS.standards[sid].sections)) for sid in IDS}
    assert all(counts[sid] >= curated[sid] for sid in IDS), (counts, curated)
