"""The model of one standard document: sections, clauses, targets, provenance."""

from __future__ import annotations

from enum import Enum

from pydantic import Field

from servicekb.bound import Bound
from servicekb.datatables import Channel, Severity, TicketKind
from servicekb.models.base import LocalizedText, StrictModel
from servicekb.types import (
    CitationId,
    ClauseId,
    Clock,
    Comparator,
    Kind,
    MetricId,
    Modality,
    Stage,
    StandardId,
    TargetNature,
    Unit,
)

__all__ = [
    "Channel",
    "CitationRef",
    "Clause",
    "CutOff",
    "Population",
    "Gap",
    "Provenance",
    "Scope",
    "Section",
    "SectionStatus",
    "Severity",
    "Source",
    "Standard",
    "StandardStatus",
    "Target",
    "TargetFields",
    "TicketKind",
    "reword_fields",
]


class Population(StrictModel):
    """The events or answers a target applies to; empty means all of them.

    Two targets on the same metric conflict only when their populations are
    equal: a remote enquiry and an in-store consultation are different scopes.
    """

    ticket_kind: TicketKind | None = Field(default=None, description="Only tickets of this kind.")
    severity: Severity | None = Field(default=None, description="Only tickets of this severity.")
    channels: list[Channel] = Field(default_factory=list, description="Only these channels; empty means every channel.")
    topic: str | None = Field(default=None, description="Survey topic (overall, display, ...) or ticket category.")
    in_warranty: bool | None = Field(default=None, description="Only repairs in (true) or out of (false) warranty.")
    note: str | None = Field(
        default=None,
        description="The scope in the source's words (simplified Chinese), when the fields above cannot say it all.",
    )

    def describe(self) -> str:
        """Short English form for messages and tables: `ticket_kind=repair, severity=major`, or `all`."""
        parts = []
        if self.ticket_kind:
            parts.append(f"ticket_kind={self.ticket_kind.value}")
        if self.severity:
            parts.append(f"severity={self.severity.value}")
        if self.channels:
            parts.append("channels=" + "+".join(sorted(c.value for c in self.channels)))
        if self.topic:
            parts.append(f"topic={self.topic}")
        if self.in_warranty is not None:
            parts.append(f"in_warranty={str(self.in_warranty).lower()}")
        if self.note:
            parts.append(f"note={self.note}")
        return ", ".join(parts) or "all"

    def key(self) -> tuple:
        """Hashable identity of the population, used to group comparable targets."""
        return (
            self.ticket_kind.value if self.ticket_kind else None,
            self.severity.value if self.severity else None,
            tuple(sorted(c.value for c in self.channels)),
            self.topic,
            self.in_warranty,
            self.note,
        )


class TargetFields(StrictModel):
    """The seven fields of a target's numbers, declared once: a clause's `Target` and a store's `Override` have them.

    They stay flat in YAML; `.bound` is the frozen value (`servicekb.bound.Bound`)
    that strictness, conflicts, the diff, scoring and the book take.
    """

    metric: MetricId = Field(description="The metric the target constrains (id in `standards/metrics.yaml`).")
    comparator: Comparator = Field(
        description="How the measured value must compare with `value` (`between` uses `value` and `upper`)."
    )
    value: float = Field(description="The target value, or the lower bound for `between`.")
    upper: float | None = Field(default=None, description="Upper bound; required for `between`, forbidden otherwise.")
    unit: Unit = Field(description="Unit of `value` and `upper`; its dimension must match the metric's unit.")
    clock: Clock | None = Field(
        default=None,
        description="For deadlines: `calendar` hours or `working_days` under the PRC working-day calendar.",
    )
    population: Population = Field(default_factory=Population, description="The events the target applies to.")

    @property
    def bound(self) -> Bound:
        """The numbers as one frozen value (comparator, value, upper, unit, clock, population)."""
        return Bound.of(self)


def reword_fields(model: type[StrictModel], descriptions: dict[str, str]) -> type[StrictModel]:
    """Give inherited fields of `model` its own descriptions (the JSON Schema and the editors show them)."""
    for name, text in descriptions.items():
        model.model_fields[name].description = text
    model.model_rebuild(force=True)
    return model


class Target(TargetFields):
    """A quantitative requirement: metric, comparator, value and unit, with its quote."""

    nature: TargetNature = Field(
        default=TargetNature.firm,
        description=(
            "`firm` targets are compared and scored; a `classification` threshold raises a flag; "
            "the others only record a number the text mentions."
        ),
    )
    flag: str | None = Field(
        default=None,
        description=(
            "For a `classification` threshold only: the class a store falls into when its figure meets the comparator, "
            "in the clause's own words (e.g. 高风险区域)."
        ),
    )
    quote: str = Field(min_length=1, description="Verbatim words of the cleaned source that state this number.")
    note: str | None = Field(default=None, description="Curator's remark (simplified Chinese or English).")


class CitationRef(StrictModel):
    """A clause's use of a citation, with the article when a law is cited by article."""

    citation: CitationId = Field(description="Citation id in `standards/citations.yaml`.")
    article: str | None = Field(default=None, description="Article as cited, e.g. 第24条.")


class Provenance(StrictModel):
    """Where a clause comes from: the seed file and a short verbatim quote of its cleaned text."""

    seed: str = Field(min_length=1, description="File name of the source document in `sources/`.")
    quote: str = Field(
        min_length=1, max_length=200, description="Verbatim quote (about 60 characters at most) of the cleaned source."
    )


class Gap(StrictModel):
    """Words the scraped source seems to have lost inside a clause: kept verbatim, flagged, never filled in."""

    after: str = Field(
        min_length=1, description="The verbatim words of the clause text right before the missing words."
    )
    note: str = Field(min_length=1, description="What seems to be missing and why (simplified Chinese).")


class Clause(StrictModel):
    """One requirement, recommendation, definition or informative statement."""

    id: ClauseId = Field(description="Stable id `<standard-id>#<number>[.<letter>]`.")
    text: str = Field(min_length=1, description="Cleaned clause text in simplified Chinese.")
    summary_en: str | None = Field(default=None, description="Optional one-line English summary.")
    kind: Kind = Field(description="requirement, recommendation, definition or informative.")
    modality: Modality = Field(description="Strength of the wording (必须 must, 应/需 shall, 宜/建议 should, 可 may).")
    stage: Stage = Field(description="Lifecycle stage the clause belongs to.")
    tags: list[str] = Field(default_factory=list, description="Free keywords (kebab-case) for selection and search.")
    targets: list[Target] = Field(default_factory=list, description="Quantitative requirements the clause states.")
    references: list[ClauseId] = Field(default_factory=list, description="Other clauses this clause refers to.")
    citations: list[CitationRef] = Field(
        default_factory=list, description="Documents, standards and laws the clause cites."
    )
    gaps: list[Gap] = Field(
        default_factory=list,
        description="Places where the source seems to have dropped words; the text stays as printed.",
    )
    provenance: Provenance | None = Field(
        default=None, description="Seed file and verbatim quote; required for clauses of a standard."
    )


class SectionStatus(str, Enum):
    """How much of a section the source holds."""

    body = "body"
    toc_only = "toc-only"
    truncated = "truncated"


class Section(StrictModel):
    """A chapter or section as the document numbers it; sections nest."""

    number: str = Field(min_length=1, description="Number as printed (第1章 -> 1, 1.2, 一, (一)).")
    title: LocalizedText = Field(description="Title in Chinese with a short English title.")
    status: SectionStatus = Field(
        default=SectionStatus.body,
        description=(
            "`body`: text present; `toc-only`: only in the table of contents; "
            "`truncated`: the source is cut off inside it."
        ),
    )
    clauses: list[Clause] = Field(
        default_factory=list, description="Clauses directly in this section, in document order."
    )
    sections: list[Section] = Field(default_factory=list, description="Subsections in document order.")
    note: str | None = Field(default=None, description="Curator's remark, e.g. where the source breaks off.")


class StandardStatus(str, Enum):
    """Draft output of `servicekb ingest`, or curated by a person."""

    draft = "draft"
    curated = "curated"


class Scope(StrictModel):
    """Who a standard is written for."""

    industries: list[str] = Field(
        default_factory=list,
        description="Industries in kebab-case English (apparel-retail, retail, textile, home-furnishing).",
    )
    channels: list[Channel] = Field(
        default_factory=list, description="Service channels the standard covers; empty means all."
    )


class CutOff(StrictModel):
    """Where a scraped source stops mid-document."""

    section: str = Field(description="Number of the last section with text.")
    quote: str = Field(min_length=1, description="The last words of the source before it breaks off.")


class Source(StrictModel):
    """The document a standard was encoded from."""

    seed: str = Field(min_length=1, description="File name in `sources/`.")
    title: str = Field(min_length=1, description="Document title as printed, in simplified Chinese.")
    has_toc: bool = Field(default=False, description="Whether the document prints a table of contents.")
    cut_off: CutOff | None = Field(default=None, description="Where the source is cut off, when it is.")


class Standard(StrictModel):
    """One standard document: file `standards/<id>.yaml`."""

    id: StandardId
    title: LocalizedText = Field(description="Title in Chinese and English.")
    status: StandardStatus = Field(default=StandardStatus.draft, description="`draft` until a person has curated it.")
    edition: str | None = Field(default=None, description="Edition or year as the document states it.")
    scope: Scope = Field(default_factory=Scope, description="Industries and channels.")
    source: Source = Field(description="The source document.")
    sections: list[Section] = Field(
        default_factory=list, description="Top-level sections (chapters) in document order."
    )
    note: str | None = Field(default=None, description="Curator's remark about the whole document.")
