"""Store profiles (`stores/*.yaml`): how a consultant tailors the standards for one store."""

from __future__ import annotations

from enum import Enum
from typing import Annotated

from pydantic import ConfigDict, Field, StringConstraints

from servicekb.models.base import StrictModel
from servicekb.models.standard import Clause, TargetFields, reword_fields
from servicekb.types import ClauseId, IsoDate, MetricId, Stage, StandardId, StoreId

__all__ = ["Adoption", "DataStoreId", "OpeningHours", "Override", "Selector", "StoreFormat", "StoreProfile"]


DataStoreId = Annotated[
    str,
    StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$", max_length=80),
    Field(description="A store id as the operational data write it (letters, digits, `_`, `.`, `-`)."),
]


class StoreFormat(str, Enum):
    """Format of a store."""

    flagship = "flagship"
    mall = "mall"
    outlet = "outlet"
    online = "online"
    street = "street"


class OpeningHours(StrictModel):
    """Daily opening hours in the store's timezone (HH:MM)."""

    opens: str = Field(pattern=r"^([01]\d|2[0-3]):[0-5]\d$", description="Opening time, HH:MM.")
    closes: str = Field(pattern=r"^([01]\d|2[0-4]):[0-5]\d$", description="Closing time, HH:MM.")


class Selector(StrictModel):
    """Selects clauses by exactly one of: clause id, section, stage, tag."""

    # Editors complete and flag a selector with none or several criteria;
    # `servicekb validate` reports it as `bad-selector`.
    model_config = ConfigDict(json_schema_extra={"minProperties": 1, "maxProperties": 1})

    clause: ClauseId | None = Field(default=None, description="One clause by id.")
    section: str | None = Field(
        default=None,
        pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*#[^\s#]+$",
        description="Every clause under a section, `<standard-id>#<section number>`.",
    )
    stage: Stage | None = Field(default=None, description="Every clause of a lifecycle stage.")
    tag: str | None = Field(default=None, description="Every clause with this tag.")


class Override(TargetFields):
    """A store's own target for a metric, replacing the adopted one.

    Tightening is always allowed. Relaxing needs a justification, an approver
    and an expiry date; after expiry the override lapses.
    """

    justification: str | None = Field(default=None, description="Why; required to relax.")
    approver: str | None = Field(default=None, description="Who approved; required to relax.")
    approved_on: IsoDate | None = Field(default=None, description="When it was approved.")
    expires: IsoDate | None = Field(default=None, description="Last day the override applies; required to relax.")


# The target's fields in a consultant's words: the store-profile schema (and so the editor) shows these.
reword_fields(
    Override,
    {
        "metric": "The metric whose effective target is replaced.",
        "population": "The population of the target replaced.",
        "comparator": "Comparator of the new target.",
        "value": "New value (lower bound for `between`).",
        "upper": "Upper bound for `between`.",
        "unit": "Unit of the new value.",
        "clock": "Clock for deadlines.",
    },
)


class Adoption(StrictModel):
    """A number a selected clause gives only as an example, default term or advice, made binding for this store.

    The target keeps its value, unit and quote; it becomes firm for this store
    (and the profiles built on it) and competes like any firm target.
    """

    clause: ClauseId = Field(description="The selected clause whose number is adopted.")
    metric: MetricId = Field(
        description="The metric of the clause's target to adopt (its example, default-term or advice target)."
    )
    reason: str = Field(min_length=1, description="Why the store binds itself to this number (simplified Chinese).")


class StoreProfile(StrictModel):
    """File `stores/<id>.yaml`: a store, region or brand baseline."""

    id: StoreId
    name: str = Field(min_length=1, description="Display name (simplified Chinese).")
    abstract: bool = Field(
        default=False, description="A baseline (brand, region) that other profiles extend; not scored itself."
    )
    format: StoreFormat | None = Field(default=None, description="Store format.")
    region: str | None = Field(default=None, description="Region or city.")
    timezone: str = Field(default="Asia/Shanghai", description="IANA timezone of the store's timestamps.")
    data_store_ids: list[DataStoreId] = Field(
        default_factory=list,
        description=(
            "Store ids in the operational data (the `store_id` column) scored against this profile; "
            "each id belongs to one profile only."
        ),
    )
    opening_hours: OpeningHours | None = Field(default=None, description="For working-time clocks.")
    extends: StoreId | None = Field(default=None, description="Profile this one builds on (brand -> region -> store).")
    adopts: list[StandardId] = Field(default_factory=list, description="Standards adopted, in precedence order.")
    prefer: dict[MetricId, StandardId] = Field(
        default_factory=dict,
        description="For these metrics take the target of the given standard instead of the stricter one.",
    )
    include: list[Selector] = Field(
        default_factory=list, description="Clauses selected; empty means every clause of the adopted standards."
    )
    exclude: list[Selector] = Field(default_factory=list, description="Clauses removed after `include`.")
    adopt_as_firm: list[Adoption] = Field(
        default_factory=list,
        description="Example, default-term or advice targets of selected clauses made binding for this store.",
    )
    overrides: list[Override] = Field(default_factory=list, description="Store targets replacing adopted ones.")
    service_levels: dict[MetricId, float] = Field(
        default_factory=dict,
        description="Share of events (percent) that must meet a deadline target; 100 when not given.",
    )
    local_clauses: list[Clause] = Field(
        default_factory=list, description="Clauses the store adds, ids `<store-id>#<number>`."
    )
