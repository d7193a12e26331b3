"""The ingest report a curator reads first: what was proposed, what was left out, what is damaged.

Plain data (`to_dict` for `--format json`) and one text rendering. It lists
the proposed targets with their confidence, the metrics the catalogue lacks
(with the suggested id, name, unit and direction, and how often each is
needed), numbers left out as statistics, gaps (mojibake, lost characters,
truncation, sections only in the table of contents) and citations with the
checks the graph runs on them (not in the catalogue, suspect or repealed in
the catalogue, one identifier given two titles in this document).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass, field
from typing import Any

__all__ = ["CitationFound", "IngestReport", "ReportTarget", "UnmappedMetric", "format_report"]


@dataclass(frozen=True)
class ReportTarget:
    """One proposed target as the curator sees it."""

    clause: str
    metric: str  # catalogue id, or "unmapped"
    comparator: str
    value: float
    upper: float | None
    unit: str
    clock: str | None
    nature: str
    population: str
    confidence: float
    quote: str
    suggested_metric: str | None = None


@dataclass(frozen=True)
class UnmappedMetric:
    """A metric the catalogue lacks, as suggested, and the clauses that need it."""

    id: str
    name_zh: str
    unit: str
    direction: str
    clauses: list[str]


@dataclass(frozen=True)
class CitationFound:
    """A citation in a clause: as cited, what it resolves to, and what a curator must check."""

    clause: str
    cited: str
    citation: str | None  # catalogue id, or None when not in the catalogue
    checks: list[str]


@dataclass
class IngestReport:
    """Everything the curator should look at, in one value."""

    source: str
    standard: str
    encoding: str
    characters: int
    sections: int
    clauses: int
    targets: list[ReportTarget] = field(default_factory=list)
    unmapped: list[UnmappedMetric] = field(default_factory=list)
    statistics: list[dict[str, Any]] = field(default_factory=list)
    gaps: list[str] = field(default_factory=list)
    citations: list[CitationFound] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """Plain data for `--format json`."""
        return asdict(self)


def group_unmapped(targets: list[ReportTarget], suggestions: dict[str, tuple[str, str, str]]) -> list[UnmappedMetric]:
    """One entry per suggested metric id, with the clauses that need it."""
    clauses: dict[str, list[str]] = defaultdict(list)
    for t in targets:
        if t.suggested_metric and t.clause not in clauses[t.suggested_metric]:
            clauses[t.suggested_metric].append(t.clause)
    return [UnmappedMetric(mid, *suggestions[mid], clauses=sorted(found)) for mid, found in sorted(clauses.items())]


def _number(value: float, upper: float | None) -> str:
    return f"{value:g}-{upper:g}" if upper is not None else f"{value:g}"


def format_report(report: IngestReport) -> str:
    """The report as text, sections in the order a curator works through them."""
    lines = [
        f"ingest report: {report.source} -> {report.standard} ({report.encoding}, {report.characters} characters, "
        f"{report.sections} sections, {report.clauses} clauses)",
    ]
    lines += [f"  {m}" for m in report.messages]
    mapped = sum(1 for t in report.targets if t.metric != "unmapped")
    lines.append(
        f"targets proposed: {len(report.targets)} "
        f"({mapped} mapped to the catalogue, {len(report.targets) - mapped} unmapped)"
    )
    for t in report.targets:
        metric = t.metric if t.metric != "unmapped" else f"unmapped->{t.suggested_metric}"
        scope = "" if t.population == "all" else f" [{t.population}]"
        lines.append(
            f"  {t.confidence:.2f} {t.clause}: {metric} {t.comparator} {_number(t.value, t.upper)} {t.unit} "
            f"{t.nature}{scope} «{t.quote}»"
        )
    if report.unmapped:
        lines.append(f"metrics to add or map ({len(report.unmapped)}):")
        for m in report.unmapped:
            lines.append(f"  {m.id} ({m.name_zh}, {m.unit}, {m.direction}): {', '.join(m.clauses)}")
    if report.statistics:
        lines.append(f"left out as statistics or claims ({len(report.statistics)}):")
        lines += [f"  {s['clause']}: {_number(s['value'], None)} {s['unit']} «{s['quote']}»" for s in report.statistics]
    if report.gaps:
        lines.append(f"gaps ({len(report.gaps)}):")
        lines += [f"  {g}" for g in report.gaps]
    if report.citations:
        resolved = sum(1 for c in report.citations if c.citation)
        lines.append(f"citations: {len(report.citations)} ({resolved} in the catalogue)")
        for c in report.citations:
            checks = f" — {'; '.join(c.checks)}" if c.checks else ""
            lines.append(f"  {c.clause}: {c.cited} -> {c.citation or 'not in the catalogue'}{checks}")
    return "\n".join(lines) + "\n"
