"""The operational data tables and their columns: the public interface of `servicekb score`.

One place says which files a data folder holds, which columns each has, of
what type and range, and which column dates an event. The models (which
tables a metric may read, the values a population may name), reading
(`compliance.data`), validation (`compliance.duckcheck`), the engines, the
sample generator and the handbook all take their names from here: a new
table is one `TableSpec` below (and its tests). It imports nothing of
servicekb, so the models can build on it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

__all__ = [
    "AUDIT_RESULTS",
    "TABLES",
    "Channel",
    "ColumnSpec",
    "Severity",
    "TableSpec",
    "TicketKind",
    "describe_columns",
    "metric_table_names",
    "population_columns",
]

AUDIT_RESULTS = ("met", "not-met", "not-applicable")


class Channel(str, Enum):
    """Where a customer meets the service (column `channel` of the tickets table)."""

    in_store = "in_store"
    phone = "phone"
    online = "online"
    app = "app"
    social = "social"


class TicketKind(str, Enum):
    """Kind of service event (column `kind` of the tickets table)."""

    consultation = "consultation"
    complaint = "complaint"
    feedback = "feedback"
    repair = "repair"
    return_exchange = "return_exchange"


class Severity(str, Enum):
    """Severity of a ticket (column `severity`); `normal` when not given."""

    normal = "normal"
    major = "major"


@dataclass(frozen=True)
class ColumnSpec:
    """One column: its type, whether it must be present and filled, and its allowed values.

    Types: `id` (text, unique where `unique`), `store` (a known store id),
    `enum` (one of `values`), `text`, `timestamp` (ISO 8601; without an
    offset it is in the store's timezone), `date` (YYYY-MM-DD), `period`
    (YYYY-MM), `number`, `integer`, `bool` (true/false, 1/0, yes/no).
    """

    name: str
    type: str
    description: str
    required: bool = True
    nullable: bool = False
    values: tuple[str, ...] = ()
    low: float | None = None
    high: float | None = None
    low_open: bool = False
    unique: bool = False
    default: str | None = None
    # Other words accepted for an `enum` value (the printed checklist offers 符合 / 不符合 / 不适用).
    aliases: tuple[tuple[str, str], ...] = ()
    # The field of a target's population that selects rows on this column (`channels` selects on `channel`).
    population: str | None = None


@dataclass(frozen=True)
class TableSpec:
    """A table: its columns, the column that dates its rows, its row key and cross-column rules."""

    name: str
    description: str
    columns: tuple[ColumnSpec, ...]
    event_time: str | None
    key: tuple[str, ...] = ()
    # (later column, earlier column): the first may not come before the second.
    not_before: tuple[tuple[str, str], ...] = ()
    # (part, total): the part may not exceed the total.
    not_above: tuple[tuple[str, str], ...] = ()
    optional_file: bool = False

    def column(self, name: str) -> ColumnSpec | None:
        """The spec of a column, or None."""
        return next((c for c in self.columns if c.name == name), None)

    @property
    def names(self) -> tuple[str, ...]:
        """Column names in documented order."""
        return tuple(c.name for c in self.columns)


def _amount(name: str, what: str) -> ColumnSpec:
    return ColumnSpec(name, "number", f"{what}; not negative; empty when not recorded.", nullable=True, low=0)


TABLES: dict[str, TableSpec] = {
    "tickets": TableSpec(
        "tickets",
        "One row per service event: consultation, complaint, feedback, repair or return/exchange.",
        (
            ColumnSpec("ticket_id", "id", "Unique id of the event.", unique=True),
            ColumnSpec("store_id", "store", "Store the event belongs to."),
            ColumnSpec(
                "kind", "enum", "Kind of event.", values=tuple(k.value for k in TicketKind), population="ticket_kind"
            ),
            ColumnSpec(
                "severity",
                "enum",
                "Severity; `normal` when the column or the value is missing.",
                required=False,
                nullable=True,
                values=tuple(s.value for s in Severity),
                default="normal",
                population="severity",
            ),
            ColumnSpec(
                "channel",
                "enum",
                "Where the customer raised it.",
                values=tuple(c.value for c in Channel),
                population="channels",
            ),
            ColumnSpec(
                "opened_at",
                "timestamp",
                "When the event was opened; dates it into a month or quarter (store's local time).",
            ),
            ColumnSpec(
                "first_response_at",
                "timestamp",
                "First response to the customer; empty while unanswered.",
                nullable=True,
            ),
            ColumnSpec("resolved_at", "timestamp", "When it was resolved; empty while open.", nullable=True),
            ColumnSpec(
                "in_warranty",
                "bool",
                "Repairs: whether the product is under warranty.",
                required=False,
                nullable=True,
                population="in_warranty",
            ),
            ColumnSpec(
                "category",
                "text",
                "Free category (e.g. vip-fitting-appointment); matched by a target's population `topic`.",
                required=False,
                nullable=True,
                population="topic",
            ),
        ),
        event_time="opened_at",
        key=("ticket_id",),
        not_before=(("first_response_at", "opened_at"), ("resolved_at", "opened_at")),
    ),
    "surveys": TableSpec(
        "surveys",
        "One row per survey answer.",
        (
            ColumnSpec("response_id", "id", "Unique id of the answer.", unique=True),
            ColumnSpec("store_id", "store", "Store the answer is about."),
            ColumnSpec("answered_at", "timestamp", "When the customer answered; dates it into a month or quarter."),
            ColumnSpec("topic", "text", "What was asked: overall, display, ...", population="topic"),
            ColumnSpec("csat_score", "integer", "Satisfaction 1-5; 4 and 5 count as satisfied.", low=1, high=5),
            ColumnSpec(
                "nps_score", "integer", "Likelihood to recommend 0-10.", required=False, nullable=True, low=0, high=10
            ),
        ),
        event_time="answered_at",
        key=("response_id",),
    ),
    "store_periods": TableSpec(
        "store_periods",
        "One row per store and month: traffic, transactions, inventory, costs, staff.",
        (
            ColumnSpec("store_id", "store", "Store."),
            ColumnSpec("period", "period", "Month, YYYY-MM."),
            _amount("visitors", "Visitors in the month"),
            _amount("display_zone_visitors", "Visitors of the display zone; at most `visitors`"),
            _amount("transactions", "Sales transactions"),
            _amount("inventory_book_value", "Inventory at book value (yuan)"),
            _amount("inventory_counted_value", "Inventory counted at the stock-take (yuan)"),
            _amount("display_cost", "Cost of displays (yuan); at most `total_cost`"),
            _amount("total_cost", "Total store cost (yuan)"),
            _amount("staff_count", "Service staff"),
            _amount("staff_trained", "Service staff who completed service-skills training; at most `staff_count`"),
        ),
        event_time="period",
        key=("store_id", "period"),
        not_above=(
            ("display_zone_visitors", "visitors"),
            ("display_cost", "total_cost"),
            ("staff_trained", "staff_count"),
        ),
    ),
    "training": TableSpec(
        "training",
        "One row per employee and training session attended.",
        (
            ColumnSpec("employee_id", "id", "Employee."),
            ColumnSpec("store_id", "store", "Store the employee works in."),
            ColumnSpec("session_date", "date", "Day of the session (YYYY-MM-DD); a session is one store and day."),
            ColumnSpec("hours", "number", "Hours attended; more than 0.", low=0, low_open=True),
        ),
        event_time="session_date",
    ),
    "audits": TableSpec(
        "audits",
        "Optional: one row per audit or mystery-shopping answer (the answer sheet of `servicekb checklist`).",
        (
            ColumnSpec("store_id", "store", "Store audited."),
            ColumnSpec(
                "audit_date",
                "date",
                "Day of the audit (YYYY-MM-DD); not after today. Dates it into a month or quarter.",
            ),
            ColumnSpec(
                "clause_id",
                "text",
                "Clause checked (an effective clause of the store); empty when only `metric` is measured.",
                nullable=True,
            ),
            ColumnSpec(
                "metric",
                "text",
                "Metric measured (one the store has a target on); empty for a clause checked without a figure.",
                nullable=True,
            ),
            ColumnSpec(
                "topic",
                "text",
                "What was measured when the target names a topic (e.g. complex-operation); "
                "matched by a target's population `topic`.",
                required=False,
                nullable=True,
                population="topic",
            ),
            ColumnSpec(
                "result",
                "enum",
                "met, not-met or not-applicable (符合, 不符合, 不适用 as on the printed checklist).",
                values=AUDIT_RESULTS,
                aliases=(("符合", "met"), ("不符合", "not-met"), ("不适用", "not-applicable")),
            ),
            ColumnSpec(
                "measured_value",
                "number",
                "The figure measured, in the metric's unit (metrics.yaml); empty for a clause without a figure.",
                nullable=True,
            ),
            ColumnSpec("auditor", "text", "Who audited (name or mystery-shopper id)."),
            ColumnSpec("note", "text", "Free remark.", required=False, nullable=True),
        ),
        event_time="audit_date",
        optional_file=True,
    ),
    "stores": TableSpec(
        "stores",
        "Optional: more stores bound to profiles, beside the profiles' own `data_store_ids` (the two must agree). "
        "Without either, a store id equal to a profile id is scored against that profile.",
        (
            ColumnSpec("store_id", "id", "Store id used in the other tables.", unique=True),
            ColumnSpec("profile", "text", "Id of a (non-abstract) store profile in stores/."),
        ),
        event_time=None,
        key=("store_id",),
        optional_file=True,
    ),
}


def describe_columns() -> list[dict[str, str]]:
    """Every column of every table as plain rows (table, column, type, required, empty, description), for docs.

    `required`: the file must have the column; `empty`: whether a cell may be left empty.
    """
    rows = []
    for table in TABLES.values():
        for c in table.columns:
            rows.append(
                {
                    "table": table.name,
                    "column": c.name,
                    "type": c.type,
                    "required": "yes" if c.required else "no",
                    "empty": "yes" if c.nullable or c.default is not None else "no",
                    "description": c.description,
                }
            )
    return rows


def metric_table_names() -> tuple[str, ...]:
    """The tables a metric may read: those whose rows are dated (the stores table maps ids, it holds no events)."""
    return tuple(name for name, spec in TABLES.items() if spec.event_time is not None)


def population_columns() -> dict[str, dict[str, str]]:
    """Population field -> the column it tests, per table (from the columns' `population`)."""
    out: dict[str, dict[str, str]] = {}
    for name, spec in TABLES.items():
        for col in spec.columns:
            if col.population is not None:
                out.setdefault(col.population, {})[name] = col.name
    return out
