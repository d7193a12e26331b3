"""The shared catalogues: metrics (`standards/metrics.yaml`) and citations (`standards/citations.yaml`)."""

from __future__ import annotations

import re
from enum import Enum

from pydantic import Field

from servicekb.datatables import metric_table_names
from servicekb.kindnames import kind_module_names
from servicekb.models.base import LocalizedText, StrictModel
from servicekb.types import CitationId, Direction, MetricId, Unit, VerificationStatus

__all__ = [
    "Citation",
    "CitationCatalogue",
    "CitationType",
    "DataTable",
    "Metric",
    "MetricCatalogue",
    "MetricDefinition",
    "MetricKind",
    "identifier_family",
]


# How a metric is computed: one member per kind module in servicekb/compliance/kinds/ (`servicekb.kindnames`).
MetricKind = Enum("MetricKind", [(n, n) for n in kind_module_names()], type=str, module=__name__)
MetricKind.__doc__ = "How a metric is computed from operational data."


# The tables a metric may read: one member per dated table declared in servicekb/datatables.py.
DataTable = Enum("DataTable", [(n, n) for n in metric_table_names()], type=str, module=__name__)
DataTable.__doc__ = "Operational data tables (column names are a public interface)."


FilterValue = str | bool | list[str]


class MetricDefinition(StrictModel):
    """A declarative definition over operational data, interpreted by the compliance engine.

    Filters are column equality tests on `table` (a list means any of its
    values). A target's population narrows them: `ticket_kind` tests column
    `kind`, `severity` `severity`, `channels` `channel`, `in_warranty`
    `in_warranty`, and `topic` the survey `topic` or the ticket `category`.
    """

    kind: MetricKind = Field(
        description=(
            "The computation: share of survey answers, ratio of totals, "
            "per-event deadline, count per period, mean or percentile."
        )
    )
    table: DataTable = Field(description="The table the metric reads.")
    filters: dict[str, FilterValue] = Field(
        default_factory=dict,
        description=(
            "Column equality filters that define the metric (e.g. kind: complaint); a list means any of its values. "
            "A target's population may narrow them, never contradict them."
        ),
    )
    defaults: dict[str, FilterValue] = Field(
        default_factory=dict,
        description=(
            "Filters applied only when the target's population does not set the same column "
            "(topic: overall: satisfaction means the overall question unless a target names another topic)."
        ),
    )
    implied: dict[str, FilterValue] = Field(
        default_factory=dict,
        description=(
            "Population values the table already embodies, so a target restricted to them needs no filter "
            "(staff_trained counts staff trained in service skills: topic: skills-training)."
        ),
    )
    numerator: str | None = Field(
        default=None,
        description=(
            "ratio: `count` (rows), `count(<timestamp column>)` (rows where it is set by the as-of time), "
            "a column, or `<column> - <column>`, summed over the filtered rows of `table`."
        ),
    )
    denominator: str | None = Field(
        default=None, description="ratio: the same forms as `numerator`, summed over `denominator_table` (or `table`)."
    )
    denominator_table: DataTable | None = Field(
        default=None,
        description=(
            "ratio: the table the denominator reads when it is not `table` (complaints per 100 transactions); "
            "the filters apply to `table` only."
        ),
    )
    scale: float = Field(
        default=1.0, description="Multiplier applied to the value (100 for percent, 100 for 'per 100 transactions')."
    )
    start: str | None = Field(
        default=None, description="deadline (and mean or percentile of a duration): column of the start timestamp."
    )
    end: str | None = Field(
        default=None, description="deadline (and mean or percentile of a duration): column of the end timestamp."
    )
    column: str | None = Field(
        default=None,
        description=(
            "survey_share, mean, percentile: the value column; "
            "count_per_period: count the distinct values of this column (rows when not given)."
        ),
    )
    threshold: float | None = Field(
        default=None, description="survey_share: an answer at or above this counts as satisfied."
    )
    percentile: float | None = Field(
        default=None,
        ge=0,
        le=100,
        description="percentile: which percentile (0-100), interpolated linearly between answers.",
    )


class Metric(StrictModel):
    """A measurable quantity that targets constrain."""

    id: MetricId
    name: LocalizedText = Field(description="Name in Chinese and English.")
    unit: Unit = Field(description="Canonical unit; targets may use any unit of the same dimension.")
    direction: Direction = Field(description="Which way the metric improves; decides which target is stricter.")
    description: str | None = Field(default=None, description="What is measured, in simplified Chinese.")
    definition: MetricDefinition | None = Field(
        default=None, description="How it is computed from operational data; none yet for metrics not computed."
    )


class MetricCatalogue(StrictModel):
    """File `standards/metrics.yaml`."""

    metrics: list[Metric] = Field(default_factory=list, description="Every metric, sorted by id.")


class CitationType(str, Enum):
    """What kind of document is cited."""

    national_standard = "national_standard"
    industry_standard = "industry_standard"
    international_standard = "international_standard"
    law = "law"
    regulation = "regulation"
    report = "report"
    document = "document"
    theory = "theory"


class Citation(StrictModel):
    """A document as the sources cite it, never silently corrected."""

    id: CitationId
    identifier: str | None = Field(
        default=None,
        description=(
            "Identifier as cited with normalised spacing (GB/T 33000-2016, ISO 9001); none for titles without one."
        ),
    )
    title: str | None = Field(default=None, description="Title as cited, without 《》.")
    type: CitationType = Field(description="Kind of document.")
    status: VerificationStatus = Field(
        default=VerificationStatus.unverified,
        description="`unverified` by default; `suspect` or `repealed` with a note.",
    )
    note: str | None = Field(default=None, description="Why the status is what it is.")

    @property
    def label(self) -> str:
        """`GB/T 33000-2016 《售后服务管理规范》`, as cited; the id when there is neither identifier nor title.

        Plain text, escaped by the caller. A property, so neither the model's dump nor its JSON Schema holds it.
        """
        return " ".join(p for p in (self.identifier or "", f"《{self.title}》" if self.title else "") if p) or self.id


_EDITION = re.compile(r"[:\-](?:19|20)\d{2}$")


def identifier_family(identifier: str) -> str:
    """The document an identifier names, edition dropped: 'GB/T 19011-2016' -> 'GB/T19011'.

    Editions of one document share a family (ISO 9001 and ISO 9001:2015); a part
    number is kept (ISO 20000-1:2018 -> ISO20000-1).
    """
    compact = re.sub(r"\s+", "", identifier.upper())
    return _EDITION.sub("", compact)


class CitationCatalogue(StrictModel):
    """File `standards/citations.yaml`."""

    citations: list[Citation] = Field(default_factory=list, description="Every citation, sorted by id.")
