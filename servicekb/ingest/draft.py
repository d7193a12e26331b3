"""Assemble a draft `Standard` from an outline, and dump it to YAML deterministically.

Clauses are the sentences of a section's body (list items `;-…` apart), with
ids `<standard-id>#<section key>.<letter>`. Every quantitative commitment of a
clause becomes a target, whatever the modal verb (see `targets`): mapped to a
metric of the catalogue (`standards/metrics.yaml`) when the words name one,
otherwise `metric: unmapped` with the suggested metric in the target's note,
so that `validate` stops the draft until a curator decides. Statistics never
become targets. Citations only refer to ids of `standards/citations.yaml`;
those not in the catalogue, and sections only in the table of contents, are
listed in the standard's `note` and in the ingest report.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from servicekb.ingest.citations import find_citations, resolve_citation
from servicekb.ingest.classify import classify_kind, classify_modality, classify_stage
from servicekb.ingest.emit import dump_block_yaml
from servicekb.ingest.mojibake import MARKER
from servicekb.ingest.numbering import flatten
from servicekb.ingest.structure import Node, Outline
from servicekb.ingest.targets import LeftOut, MetricInfo, Proposal, propose_targets
from servicekb.models import (
    CitationCatalogue,
    CitationRef,
    Clause,
    CutOff,
    LocalizedText,
    MetricCatalogue,
    Provenance,
    Scope,
    Section,
    SectionStatus,
    Source,
    Standard,
    StandardStatus,
    Target,
)
from servicekb.types import Kind, TargetNature

__all__ = ["UNMAPPED", "Catalogues", "Findings", "build_standard", "reassemble", "render_yaml", "split_sentences"]

UNMAPPED = "unmapped"

SCHEMA_LINE = "# yaml-language-server: $schema=../schemas/standard.schema.json"
_QUOTE_CHARS = 40
_INDUSTRIES = (("服装", "apparel-retail"), ("纺织", "textile"), ("家居", "home-furnishing"), ("零售", "retail"))
# A sentence runs to its closing mark (and a closing quote after it); a stray mark is a sentence of its own,
# so that no character of the body is ever dropped.
_SENTENCE = re.compile(r"[^。!?！？\n]*[。!?！？]+[”’」)]?|[^。!?！？\n]+")
_ITEM_BREAK = re.compile(r"(?<=[;；])\s*(?=-)")


@dataclass(frozen=True)
class Catalogues:
    """What the draft may reference: metrics (unit, direction) by id, citation ids by identifier and by title."""

    metrics: dict[str, MetricInfo] = field(default_factory=dict)
    citation_by_identifier: dict[str, str] = field(default_factory=dict)
    citation_by_title: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_models(
        cls,
        metrics: MetricCatalogue | None,
        citations: CitationCatalogue | None,
        abbreviations: dict[str, str] | None = None,
    ) -> Catalogues:
        """Index the catalogues (either may be missing: then nothing maps to it).

        `abbreviations` are the document's own short titles ({《服务标准》: full title}):
        a short title resolves to the catalogue entry of its full title.
        """
        units = {m.id: MetricInfo(m.unit, m.direction) for m in metrics.metrics} if metrics else {}
        by_id = {c.identifier: c.id for c in citations.citations if c.identifier} if citations else {}
        by_title = {c.title: c.id for c in citations.citations if c.title} if citations else {}
        for short, full in sorted((abbreviations or {}).items()):
            if full in by_title and short not in by_title:
                by_title[short] = by_title[full]
        return cls(units, by_id, by_title)


@dataclass
class Findings:
    """What the curator must look at, collected while building."""

    unmapped: list[str] = field(default_factory=list)
    unresolved: list[str] = field(default_factory=list)
    toc_only: list[str] = field(default_factory=list)
    proposals: list[tuple[str, Proposal]] = field(default_factory=list)  # (clause id, proposal)
    left_out: list[tuple[str, LeftOut]] = field(default_factory=list)
    citations: list[tuple[str, str, str | None]] = field(default_factory=list)  # (clause id, as cited, catalogue id)
    damaged: list[str] = field(default_factory=list)  # clause ids holding 〔乱码〕


def split_sentences(body: str) -> list[str]:
    """Sentences of a body; list items after `;` that start with `-` are separate."""
    out: list[str] = []
    for m in _SENTENCE.finditer(body):
        for part in _ITEM_BREAK.split(m.group(0)):
            if part.strip():
                out.append(part.strip())
    return out


def _letters(i: int) -> str:
    """a, b, ..., z, aa, ab, ... for the i-th clause (0-based)."""
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(ord("a") + r) + s
    return s


def _shown(p: Proposal) -> str:
    upper = f"-{p.upper:g}" if p.upper is not None else ""
    return f"{p.comparator.value} {p.value:g}{upper} {p.unit.value}"


def _build_clause(
    text: str,
    clause_id: str,
    context: str,
    seed: str,
    cats: Catalogues,
    found: Findings,
    title: str = "",
    propose: bool = True,
) -> Clause:
    modality = classify_modality(text)
    kind = classify_kind(text, modality)
    proposals, left_out = propose_targets(text, cats.metrics, title) if propose else ([], [])
    found.left_out += [(clause_id, lo) for lo in left_out]
    targets: list[Target] = []
    for p in proposals:
        found.proposals.append((clause_id, p))
        note = None
        if p.metric is None and p.suggested is not None:
            s = p.suggested
            found.unmapped.append(f"{clause_id}: {_shown(p)} «{p.quote}» -> {s.id}")
            note = f"未映射指标; 建议: {s.id} ({s.name_zh}, {s.unit.value}, {s.direction.value})"
        targets.append(
            Target(
                metric=p.metric or UNMAPPED,
                comparator=p.comparator,
                value=p.value,
                upper=p.upper,
                unit=p.unit,
                clock=p.clock,
                population=p.population,
                nature=p.nature,
                quote=p.quote,
                note=note,
            )
        )
    if kind is Kind.informative and any(t.nature is TargetNature.firm for t in targets):
        kind = Kind.requirement  # a declarative service level ("8小时到场") binds
    refs: list[CitationRef] = []
    if MARKER in text:
        found.damaged.append(clause_id)
    for cited in find_citations(text):
        cid = resolve_citation(cited, cats.citation_by_identifier, cats.citation_by_title)
        shown = " ".join(x for x in (f"《{cited.title}》" if cited.title else None, cited.identifier) if x)
        found.citations.append((clause_id, f"{shown} {cited.article}" if cited.article else shown, cid))
        if cid is None:
            found.unresolved.append(f"{clause_id}: {shown}")
            continue
        ref = CitationRef(citation=cid, article=cited.article)
        if ref not in refs:
            refs.append(ref)
    return Clause(
        id=clause_id,
        text=text,
        kind=kind,
        modality=modality,
        stage=classify_stage(text, context),
        targets=targets,
        citations=refs,
        provenance=Provenance(seed=seed, quote=text[:_QUOTE_CHARS]),
    )


def _clause_ids(node: Node) -> list[tuple[str, str]]:
    """(key, text) of a node's clauses: `<key>.<letter>`; unnumbered text by paragraph, `p<n>.<letter>`."""
    if node.kind != "body":
        return [(f"{node.key}.{_letters(i)}", text) for i, text in enumerate(split_sentences(node.body))]
    out = []
    paragraphs = [p for p in node.body.split("\n") if p.strip()]
    for n, paragraph in enumerate(paragraphs, start=1):
        out += [(f"p{n}.{_letters(i)}", text) for i, text in enumerate(split_sentences(paragraph))]
    return out


def _build_section(
    node: Node,
    sid: str,
    titles: str,
    seed: str,
    cats: Catalogues,
    found: Findings,
    last_words: str,
    propose: bool = True,
) -> Section:
    context = f"{titles} {node.title}"
    own_title = node.title if node.title and node.title in node.heading else ""  # a printed title, not one made up
    clauses = [
        _build_clause(text, f"{sid}#{key}", context, seed, cats, found, own_title, propose)
        for key, text in _clause_ids(node)
    ]
    note = None
    if node.kind == "preamble":
        note = "Text before the first heading (title page, foreword, table of contents), kept so that nothing is lost."
    if node.alias:
        note = f"Printed twice, as {node.alias}、 and as {node.printed}."
    if node.status == "truncated":
        note = f"The source breaks off here: «{last_words}»."
    if node.status == "toc-only":
        found.toc_only.append(node.key)
    return Section(
        number=node.printed,
        title=LocalizedText(zh=node.title),
        status=SectionStatus(node.status),
        clauses=clauses,
        sections=[_build_section(child, sid, context, seed, cats, found, last_words) for child in node.children],
        note=note,
    )


def reassemble(outline: Outline) -> str:
    """The document again from the draft's parts: title line, preamble clauses, then each heading and its clauses.

    Equal to the cleaned input modulo whitespace when nothing was lost (the round-trip test).
    """
    parts = [outline.title_line]
    parts += split_sentences(outline.preamble)
    for node in sorted(flatten(outline.sections), key=lambda n: n.start):
        if node.status == "toc-only":
            continue
        parts.append(node.heading)
        parts += [text for _, text in _clause_ids(node)]
    return "".join(parts)


def _last_with_text(nodes: list[Node]) -> Node | None:
    last = None
    for node in nodes:
        if node.status != "toc-only":
            last = node
            deeper = _last_with_text(node.children)
            last = deeper or last
    return last


def build_standard(
    outline: Outline, standard_id: str, seed: str, cats: Catalogues, extra_notes: list[str]
) -> tuple[Standard, Findings]:
    """The draft standard of an outline, and what the curator must look at."""
    found = Findings()
    sections = [_build_section(n, standard_id, "", seed, cats, found, outline.last_words) for n in outline.sections]
    if outline.preamble:  # text before the first heading is kept, never dropped
        preamble = Node("preamble", "preamble", (), 0, 0, title="前言", body=outline.preamble, key="preamble")
        # A table of contents lives in the preamble: its headings ("4.2 24小时响应机制") are no targets.
        sections.insert(
            0, _build_section(preamble, standard_id, "", seed, cats, found, outline.last_words, propose=not outline.toc)
        )
    cut_off = None
    last = _last_with_text(outline.sections)
    if outline.truncated and last is not None and outline.last_words:
        cut_off = CutOff(section=last.key, quote=outline.last_words)
    edition = re.search(r"(\d{4})\s*(年|版)", outline.title)
    industries = [code for word, code in _INDUSTRIES if word in outline.title][:1]
    title = outline.title or standard_id
    lines = [f"Draft from `servicekb ingest` of {seed}: every clause, kind, stage and target needs curation."]
    lines += extra_notes
    if found.toc_only:
        lines.append(f"Sections only in the table of contents: {', '.join(found.toc_only)}.")
    if found.unmapped:
        lines.append(
            "Targets with no metric in standards/metrics.yaml (metric: unmapped; map or add the suggested metric):"
        )
        lines += [f"- {u}" for u in found.unmapped]
    if found.unresolved:
        lines.append("Citations not in standards/citations.yaml (not referenced yet):")
        lines += [f"- {u}" for u in found.unresolved]
    standard = Standard(
        id=standard_id,
        title=LocalizedText(zh=title),
        status=StandardStatus.draft,
        edition=edition.group(1) if edition else None,
        scope=Scope(industries=industries),
        source=Source(seed=seed, title=title, has_toc=bool(outline.toc), cut_off=cut_off),
        sections=sections,
        note="\n".join(lines),
    )
    return standard, found


def render_yaml(standard: Standard) -> str:
    """The standard as YAML: schema line first, defaults left out, `status: draft` kept, stable order."""
    data = standard.model_dump(mode="json", exclude_none=True, exclude_defaults=True)
    data = {"id": data.pop("id"), **{k: v for k, v in data.items() if k != "status"}}
    ordered = {}
    for key in Standard.model_fields:
        if key == "status":
            ordered["status"] = standard.status.value
        elif key in data:
            ordered[key] = data[key]
    return f"{SCHEMA_LINE}\n{dump_block_yaml(ordered)}"
