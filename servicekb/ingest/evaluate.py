"""Compare a draft's targets with a document's expected targets: precision, recall and what differs.

The expected file (`NN-slug.expected.yaml` beside `NN-slug.txt`) lists
`targets` (quote, value, upper, unit, comparator, clock, population, nature)
and `not_targets` (quote, why). A proposed target matches an expected one
when value, upper, unit and comparator are equal and the quotes overlap in
the cleaned text (expected quotes are verbatim raw text; they are cleaned the
same way first). Used by the corpus tests and by `bench/ingest.py`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from servicekb.ingest import ingest_text
from servicekb.ingest.chars import to_simplified
from servicekb.ingest.clean import clean_text
from servicekb.ingest.pinyin import remove_pinyin
from servicekb.models import MetricCatalogue, Target

__all__ = ["DocumentScore", "Expected", "load_expected", "score_document"]


@dataclass(frozen=True)
class Expected:
    """One expected target as the corpus file gives it."""

    quote: str
    value: float
    upper: float | None
    unit: str
    comparator: str
    clock: str | None
    population: str | None
    nature: str


@dataclass
class DocumentScore:
    """Matches and misses of one document."""

    document: str
    expected: int
    proposed: int
    matched: list[tuple[Expected, Target]] = field(default_factory=list)
    missed: list[Expected] = field(default_factory=list)
    extra: list[Target] = field(default_factory=list)
    not_target_hits: list[tuple[str, str, Target]] = field(default_factory=list)  # (quote, why, proposed)


def load_expected(path: Path) -> tuple[list[Expected], list[dict]]:
    """The expected targets and not-targets of one corpus document."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    targets = [
        Expected(
            quote=str(t["quote"]),
            value=float(t["value"]),
            upper=float(t["upper"]) if t.get("upper") is not None else None,
            unit=t["unit"],
            comparator=t["comparator"],
            clock=t.get("clock"),
            population=t.get("population"),
            nature=t.get("nature", "firm"),
        )
        for t in data.get("targets") or []
    ]
    return targets, list(data.get("not_targets") or [])


def _spans(text: str, quote: str) -> list[tuple[int, int]]:
    squashed = re.sub(r"\s+", "", quote)
    if not squashed:
        return []
    # Whitespace inside a quote (aligned table columns) may differ after cleaning.
    pattern = r"\s*".join(re.escape(ch) for ch in squashed)
    return [(m.start(), m.end()) for m in re.finditer(pattern, text)]


def _overlap(a: list[tuple[int, int]], b: list[tuple[int, int]]) -> bool:
    return any(x0 < y1 and y0 < x1 for x0, x1 in a for y0, y1 in b)


def _clean_quote(quote: str) -> str:
    return to_simplified(remove_pinyin(quote))


def _targets(sections) -> list[Target]:
    out: list[Target] = []
    for section in sections:
        for clause in section.clauses:
            out += clause.targets
        out += _targets(section.sections)
    return out


def score_document(txt: Path, expected_path: Path, metrics: MetricCatalogue | None = None) -> DocumentScore:
    """Ingest one corpus document and compare its targets with the expected ones."""
    raw = txt.read_text(encoding="utf-8")
    text = clean_text(raw)
    proposed = _targets(ingest_text(raw, "corpus", txt.name, metrics).standard.sections)
    expected, not_targets = load_expected(expected_path)
    score = DocumentScore(txt.name, len(expected), len(proposed))
    spans = [_spans(text, t.quote) for t in proposed]
    free = set(range(len(proposed)))
    for e in expected:
        where = _spans(text, _clean_quote(e.quote))
        hit = next(
            (
                i
                for i in sorted(free)
                if (proposed[i].value, proposed[i].upper, proposed[i].unit.value, proposed[i].comparator.value)
                == (e.value, e.upper, e.unit, e.comparator)
                and _overlap(where, spans[i])
            ),
            None,
        )
        if hit is None:
            score.missed.append(e)
        else:
            free.discard(hit)
            score.matched.append((e, proposed[hit]))
    score.extra = [proposed[i] for i in sorted(free)]
    for n in not_targets:
        where = _spans(text, _clean_quote(str(n.get("quote", ""))))
        for i in sorted(free):
            if _overlap(where, spans[i]):
                score.not_target_hits.append((str(n.get("quote")), str(n.get("why")), proposed[i]))
    return score
