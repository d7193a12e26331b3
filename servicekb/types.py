"""Constrained type aliases and enumerations shared by every model.

One place for the vocabulary of the knowledge base: ids, comparators,
clause kinds, modalities and stages; units and their dimensions are
re-exported from `servicekb.units`, their one table. Models import from here; nothing here
imports a model.
"""

from __future__ import annotations

import datetime as dt
import re
from enum import Enum
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, StringConstraints
from pydantic_core import PydanticCustomError

from servicekb.units import Dimension, Unit, unit_dimension

__all__ = [
    "ClauseId",
    "CitationId",
    "Clock",
    "Comparator",
    "Dimension",
    "Direction",
    "IsoDate",
    "Kind",
    "MetricId",
    "Modality",
    "Stage",
    "StandardId",
    "StoreId",
    "TargetNature",
    "Unit",
    "VerificationStatus",
    "unit_dimension",
]

KEBAB = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"

StandardId = Annotated[
    str,
    StringConstraints(pattern=KEBAB, max_length=80),
    Field(description="Kebab-case id of a standard; equals its file name without `.yaml`."),
]
StoreId = Annotated[
    str,
    StringConstraints(pattern=KEBAB, max_length=80),
    Field(description="Kebab-case id of a store profile; equals its file name without `.yaml`."),
]
MetricId = Annotated[
    str,
    StringConstraints(pattern=KEBAB, max_length=80),
    Field(description="Kebab-case id of a metric in `standards/metrics.yaml`."),
]
CitationId = Annotated[
    str,
    StringConstraints(pattern=KEBAB, max_length=120),
    Field(description="Kebab-case id of a citation in `standards/citations.yaml`."),
]
ClauseId = Annotated[
    str,
    # <standard-id>#<number>[.<letter>]: the number keeps the document's own
    # numbering (1.2.3, 一, 一.(二).3), so any non-space, non-# text is allowed.
    StringConstraints(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*#[^\s#]+$", max_length=160),
    Field(description="Stable clause id `<standard-id>#<number>[.<letter>]`."),
]
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _iso_day(value: Any) -> Any:
    """Only a written day YYYY-MM-DD is a date: never a number read as a Unix timestamp (1830211200)."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str) and _ISO_DAY.match(value.strip()):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise PydanticCustomError(
        "bad-date", "expected a day written YYYY-MM-DD (quoted or not), not a number or another form"
    )


IsoDate = Annotated[dt.date, BeforeValidator(_iso_day), Field(description="A day, written YYYY-MM-DD.")]


class Kind(str, Enum):
    """What a clause is: only requirements and recommendations carry firm targets."""

    requirement = "requirement"
    recommendation = "recommendation"
    definition = "definition"
    informative = "informative"


class Modality(str, Enum):
    """Strength of the wording, mapped from the Chinese modal verb.

    must: 必须/务必/严禁; shall: 应/应当/需/须/要; should: 宜/建议/鼓励;
    may: 可/可以; none: descriptive text without a modal verb.
    """

    must = "must"
    shall = "shall"
    should = "should"
    may = "may"
    none = "none"


class Stage(str, Enum):
    """Lifecycle stage of customer service a clause belongs to."""

    general = "general"
    pre_sale = "pre-sale"
    sale = "sale"
    after_sale = "after-sale"
    complaint = "complaint"
    feedback = "feedback"
    relationship = "relationship"
    display = "display"
    inventory = "inventory"
    training = "training"
    monitoring = "monitoring"
    emergency = "emergency"
    communication = "communication"
    etiquette = "etiquette"
    data_protection = "data-protection"
    improvement = "improvement"


class Comparator(str, Enum):
    """How a measured value is compared with a target."""

    le = "<="
    lt = "<"
    ge = ">="
    gt = ">"
    eq = "=="
    between = "between"


class Clock(str, Enum):
    """How elapsed time is counted for deadline targets."""

    calendar = "calendar"
    working_days = "working_days"


class Direction(str, Enum):
    """Which way a metric improves; decides which of two targets is stricter."""

    higher_is_better = "higher_is_better"
    lower_is_better = "lower_is_better"


class TargetNature(str, Enum):
    """Whether a number is a firm target or only appears in the text.

    Only `firm` targets are merged, compared and scored pass/fail. A
    `classification` threshold sorts stores into classes ("超过5%的门店列为高风险"):
    it is computed and shown as a flag with the figure that triggered it, never
    as pass/fail. The others are kept so that a reader sees the number and
    knows why it is not a target.
    """

    firm = "firm"
    example = "example"
    advice = "advice"
    legal_right = "legal_right"
    default_term = "default_term"
    classification = "classification"


class VerificationStatus(str, Enum):
    """How far a citation has been checked against the cited document."""

    unverified = "unverified"
    verified = "verified"
    suspect = "suspect"
    repealed = "repealed"
