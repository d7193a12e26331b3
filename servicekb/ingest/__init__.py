"""`servicekb ingest`: turn a raw scraped document into a draft standard.

The pipeline, one module per step: `clean` (boilerplate, mojibake, pinyin,
OpenCC t2s), `structure` (table of contents and numbered sections, with
`titles` for glued headings), `classify` (modality, kind, stage), `targets`
(typed target proposals), `citations`, and `draft` (the `Standard` and its
YAML). Library code only returns values; the CLI prints.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from servicekb.ingest.citations import find_abbreviations
from servicekb.ingest.clean import clean_with_report
from servicekb.ingest.draft import Catalogues, build_standard, render_yaml
from servicekb.ingest.mojibake import MARKER
from servicekb.ingest.structure import parse_outline
from servicekb.models import CitationCatalogue, MetricCatalogue, Standard

__all__ = ["IngestResult", "ingest_text", "render_yaml"]


@dataclass
class IngestResult:
    """The draft standard and the notes a curator should read first."""

    standard: Standard
    notes: list[str] = field(default_factory=list)


def ingest_text(
    raw: str,
    standard_id: str,
    seed_name: str,
    metrics: MetricCatalogue | None = None,
    citations: CitationCatalogue | None = None,
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
        notes.append(f"{len(found.unmapped)} numbers without a catalogue metric (listed in the standard's note).")
    if found.unresolved:
        notes.append(f"{len(found.unresolved)} citations not in the catalogue (listed in the standard's note).")
    return IngestResult(standard, notes)
