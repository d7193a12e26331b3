"""`servicekb ingest`: turn a raw scraped document into a draft standard and a report for its curator.

The pipeline, one module per step: `decode` (bytes to text: UTF-8, UTF-16,
GB18030/GBK, Big5), `clean` (boilerplate, mojibake, pinyin, OpenCC t2s),
`structure` (table of contents, numbered sections, preamble, paragraphs; with
`titles` for glued headings), `classify` (modality, kind, stage), `targets`
(a proposed target for every quantitative commitment, `nature` for how
binding it is), `citations`, `draft` (the `Standard` and its YAML) and
`report` (what the curator reads first). Library code only returns values;
the CLI prints.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from servicekb.ingest.citations import find_abbreviations
from servicekb.ingest.clean import clean_with_report
from servicekb.ingest.draft import UNMAPPED, Catalogues, Findings, build_standard, render_yaml
from servicekb.ingest.mojibake import MARKER
from servicekb.ingest.report import CitationFound, IngestReport, ReportTarget, format_report, group_unmapped
from servicekb.ingest.structure import parse_outline
from servicekb.models import CitationCatalogue, MetricCatalogue, Standard
from servicekb.models.catalogue import identifier_family
from servicekb.types import VerificationStatus

__all__ = ["IngestReport", "IngestResult", "format_report", "ingest_text", "render_yaml"]


@dataclass
class IngestResult:
    """The draft standard, the notes a curator should read first, and the full report."""

    standard: Standard
    notes: list[str] = field(default_factory=list)
    report: IngestReport | None = None


def ingest_text(
    raw: str,
    standard_id: str,
    seed_name: str,
    metrics: MetricCatalogue | None = None,
    citations: CitationCatalogue | None = None,
    encoding: str = "UTF-8",
) -> IngestResult:
    """Clean, structure and draft one raw document; catalogues decide what may be referenced."""
    text, runs = clean_with_report(raw)
    outline = parse_outline(text)
    decoded = sum(1 for r in runs if r.decoded)
    markers = sum(r.lost for r in runs)
    extra = []
    if runs:
        extra.append(
            f"Mojibake: {len(runs)} damaged runs, {decoded} decoded (re-encoded as GBK, one byte off), "
            f"{markers} stretches of lost characters marked {MARKER}."
        )
    if outline.truncated:
        extra.append(f"The source is cut off: «{outline.last_words}».")
    cats = Catalogues.from_models(metrics, citations, find_abbreviations(text))
    standard, found = build_standard(outline, standard_id, seed_name, cats, extra)
    notes = list(extra)
    if found.toc_only:
        notes.append(f"{len(found.toc_only)} sections only in the table of contents.")
    if found.unmapped:
        notes.append(
            f"{len(found.unmapped)} targets without a catalogue metric (metric: unmapped; see the standard's note)."
        )
    if found.unresolved:
        notes.append(f"{len(found.unresolved)} citations not in the catalogue (listed in the standard's note).")
    report = _report(standard, found, extra, citations, seed_name, encoding, len(text))
    if found.toc_only and report.clauses == 0:
        notes.append("The document holds only a table of contents: no body text, nothing to propose.")
    elif not found.proposals:
        notes.append("No quantitative commitment found: 0 targets proposed.")
    report.messages = notes
    return IngestResult(standard, notes, report)


def _count(sections) -> tuple[int, int]:
    n_sections = n_clauses = 0
    for s in sections:
        if s.status.value != "toc-only":
            n_sections += 1
        n_clauses += len(s.clauses)
        a, b = _count(s.sections)
        n_sections, n_clauses = n_sections + a, n_clauses + b
    return n_sections, n_clauses


def _report(
    standard: Standard,
    found: Findings,
    extra: list[str],
    citations: CitationCatalogue | None,
    seed: str,
    encoding: str,
    chars: int,
) -> IngestReport:
    targets = []
    suggestions: dict[str, tuple[str, str, str]] = {}
    for clause, p in found.proposals:
        s = p.suggested if p.metric is None else None
        if s is not None:
            suggestions.setdefault(s.id, (s.name_zh, s.unit.value, s.direction.value))
        targets.append(
            ReportTarget(
                clause=clause,
                metric=p.metric or UNMAPPED,
                comparator=p.comparator.value,
                value=p.value,
                upper=p.upper,
                unit=p.unit.value,
                clock=p.clock.value if p.clock else None,
                nature=p.nature.value,
                population=p.population.describe(),
                confidence=p.confidence,
                quote=p.quote,
                suggested_metric=s.id if s else None,
            )
        )
    n_sections, n_clauses = _count(standard.sections)
    report = IngestReport(
        seed, standard.id, encoding, chars, n_sections, n_clauses, targets, group_unmapped(targets, suggestions)
    )
    report.statistics = [
        {"clause": c, "quote": lo.quote, "value": lo.value, "unit": lo.unit.value} for c, lo in found.left_out
    ]
    report.gaps = list(extra)
    report.gaps += [f"{c}: lost characters marked {MARKER}" for c in found.damaged]
    if found.toc_only:
        report.gaps.append(f"sections only in the table of contents: {', '.join(found.toc_only)}")
    report.citations = _citation_checks(found, citations)
    return report


def _citation_checks(found: Findings, citations: CitationCatalogue | None) -> list[CitationFound]:
    """The graph's citation checks, applied to this document before it joins the corpus."""
    entries = {c.id: c for c in citations.citations} if citations else {}
    titles: dict[str, set[str]] = {}
    for _, shown, _ in found.citations:
        if "《" in shown and any(ch.isdigit() for ch in shown.split("》")[-1]):
            ident = shown.split("》", 1)[1].strip().split(" 第")[0]
            if ident:
                titles.setdefault(identifier_family(ident), set()).add(shown.split("》")[0] + "》")
    out = []
    for clause, shown, cid in found.citations:
        checks = []
        if cid is None:
            checks.append("not in standards/citations.yaml")
        else:
            status = entries[cid].status if cid in entries else None
            if status in (VerificationStatus.suspect, VerificationStatus.repealed):
                checks.append(f"catalogue status: {status.value}")
        if "《" in shown and "》" in shown:
            ident = shown.split("》", 1)[1].strip().split(" 第")[0]
            if ident and len(titles.get(identifier_family(ident), ())) > 1:
                checks.append("the same identifier is cited with different titles in this document")
        out.append(CitationFound(clause, shown, cid, checks))
    return out
