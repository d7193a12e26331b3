"""What every cell and row of operational data is checked for: the one rule set both validators render.

Engine-neutral: `compliance.duckcheck` renders these rules as DuckDB SQL,
`compliance.sparkread` as Spark columns; neither states a rule, a code, a
bound or a message of its own.

- `column_codes(col)`: the problem codes a cell of a documented column can
  have, in the order they are decided (a cell gets the first that holds; an
  empty cell gets `missing-value` when a value is required, nothing else).
- `value_range(col)`: the range a number must lie in, as the comparisons that
  fail it and the code and message of a value outside.
- `table_rules(spec, present)`: the rules between columns and rows (a time
  before another, a part above its total, an id or key given twice).
- `message(code, col)`: a problem's message as a `Template` whose fields
  (`{cell}`, the cell as written; `{zone}`, `{other}`, `{first}`) the engine
  fills; `quote_cells` shows cells the way both engines quote them.
- The text forms cells are read in (`OFFSET`, `PERIOD`, `NON_FINITE`,
  `TRUE`, `FALSE`): regular expressions that RE2 (DuckDB) and Java (Spark)
  read alike.
"""

from __future__ import annotations

import string
from collections.abc import Collection
from dataclasses import dataclass

import pandas as pd

from servicekb.compliance.parse import EARLIEST, LATEST
from servicekb.datatables import ColumnSpec, TableSpec

__all__ = [
    "ABSTRACT_PROFILE",
    "DUPLICATE_ID",
    "ESCAPES",
    "FALSE",
    "NON_FINITE",
    "OFFSET",
    "PERIOD",
    "QUOTE_LIMIT",
    "TRUE",
    "Range",
    "TableRule",
    "Template",
    "column_codes",
    "expected",
    "message",
    "quote_cells",
    "required",
    "store_message",
    "table_rules",
    "value_range",
]

# A time of day followed by a UTC offset or Z: the cell names its own instant.
OFFSET = r"\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?\s*(?:[zZ]|[+-]\d{2}(?::?\d{2})?)$"
PERIOD = r"^\d{4}-(?:0[1-9]|1[0-2])$"
# Written to be refused (lower-cased before matching): Python's float() reads these.
NON_FINITE = r"^[+-]?(?:nan|inf|infinity)$"
TRUE = ("true", "1", "yes", "y", "t")
FALSE = ("false", "0", "no", "n", "f")
# Cells are quoted as written, line breaks shown as \r and \n, cut to this many characters with ….
QUOTE_LIMIT = 60
ESCAPES = (("\r", "\\r"), ("\n", "\\n"))
ABSTRACT_PROFILE = "is an abstract profile, never scored"

_EXPECTED = {
    "timestamp": "an ISO 8601 timestamp",
    "number": "a number",
    "integer": "a whole number",
    "bool": "true or false",
    "date": "a date YYYY-MM-DD",
    "period": "a month YYYY-MM",
}
# What a cell of each type can be wrong by besides being empty, in the order it is decided.
_CODES = {
    "timestamp": ("out-of-range-time", "bad-local-time", "wrong-type"),
    "number": ("non-finite-number", "wrong-type"),
    "integer": ("non-finite-number", "wrong-type"),
    "date": ("out-of-range-time", "wrong-type"),
    "bool": ("wrong-type",),
    "period": ("wrong-type",),
    "enum": ("bad-value",),
    "store": ("unknown-store",),
}
_MESSAGES = {
    "missing-value": "empty, but a value is required",
    "wrong-type": "{cell} is not {expected}",
    "non-finite-number": "{cell} is not a finite number (inf, nan and values beyond 1e308 are refused)",
    "out-of-range-time": f"{{cell}} is outside the supported range {EARLIEST:%Y-%m-%d} to {LATEST:%Y-%m-%d}",
    "bad-local-time": "{cell} does not exist or is ambiguous in {zone} (daylight-saving change): give an offset",
    "bad-value": "{cell} is not one of {values}",
    "unknown-store": "{cell} is not a known store",
    "abstract-store": "{cell} " + ABSTRACT_PROFILE,
    "negative-amount": "{cell} is negative",
    "out-of-range": "{cell} is not {bound}",
    "before-opening": "{cell} is before {other_name} {other}",
    "exceeds-total": "{cell} exceeds {other_name} {other}",
    "duplicate-id": "{cell} is already used on line {first}",
    "duplicate-key": "{names} {cells} given twice",
}


@dataclass(frozen=True)
class Template:
    """A message with fields an engine fills per problem; `parts` is what a SQL renderer concatenates."""

    text: str

    @property
    def parts(self) -> list[tuple[str, str | None]]:
        """(literal text, the field after it or None), in order."""
        return [(literal, field) for literal, field, _, _ in string.Formatter().parse(self.text)]

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(f for _, f in self.parts if f is not None)

    def format(self, **values) -> str:
        return self.text.format(**values)

    def frame(self, index: pd.Index, **values: pd.Series | str) -> pd.Series:
        """The message of every row of `index`, each field a column of the rows (or one text for all)."""
        out = pd.Series("", index=index, dtype="object")
        for literal, name in self.parts:
            out = out + literal
            if name is not None:
                value = values[name]
                out = out + (value.astype("str") if isinstance(value, pd.Series) else str(value))
        return out


# An id given a second time: `{first}` is the line (or row) that gave it first.
DUPLICATE_ID = Template(_MESSAGES["duplicate-id"])


@dataclass(frozen=True)
class Range:
    """A number's allowed range: the comparisons `value <op> bound` that fail it, its code and message."""

    code: str
    fails: tuple[tuple[str, float], ...]
    message: Template


@dataclass(frozen=True)
class TableRule:
    """A rule on a row or between rows: the column it points at, the columns it shows, its message."""

    code: str
    column: str
    shown: tuple[str, ...]
    message: Template
    # The kind of rule: "order" (columns compared), "unique" (a column's ids), "key" (the row key).
    kind: str
    # For "order": the comparison `column <op> other` that breaks the rule.
    op: str = ""


def required(col: ColumnSpec) -> bool:
    """Whether an empty cell is a problem (a column with a default takes the default)."""
    return not col.nullable and col.default is None


def expected(col: ColumnSpec) -> str:
    """What a cell of the column should be, as messages say it."""
    return _EXPECTED.get(col.type, "text")


def value_range(col: ColumnSpec) -> Range | None:
    """The range of a column with bounds (None without)."""
    if col.low is None and col.high is None:
        return None
    fails: list[tuple[str, float]] = []
    if col.low is not None:
        fails.append(("<=" if col.low_open else "<", col.low))
    if col.high is not None:
        fails.append((">", col.high))
    if col.type == "number" and col.low == 0 and col.high is None and not col.low_open:
        return Range("negative-amount", tuple(fails), Template(_MESSAGES["negative-amount"]))
    if col.low_open:
        bound = f"more than {col.low:g}"
    elif col.high is not None:
        bound = f"within {col.low:g}-{col.high:g}"
    else:
        bound = f"at least {col.low:g}"
    return Range("out-of-range", tuple(fails), _filled("out-of-range", bound=bound))


def column_codes(col: ColumnSpec) -> tuple[str, ...]:
    """The problem codes a cell of `col` can have, in the order they are decided."""
    codes = ("missing-value",) if required(col) else ()
    codes += _CODES.get(col.type, ())
    bounds = value_range(col)
    return codes + ((bounds.code,) if bounds else ())


def message(code: str, col: ColumnSpec) -> Template:
    """The message of a cell problem of `col`, with what the column says filled in."""
    bounds = value_range(col)
    if bounds is not None and code == bounds.code:
        return bounds.message
    return _filled(code, expected=expected(col), values=", ".join(col.values))


def store_message(abstract: bool) -> Template:
    """The message of an unknown store id: an abstract profile's id is named as such."""
    return Template(_MESSAGES["abstract-store" if abstract else "unknown-store"])


def table_rules(spec: TableSpec, present: Collection[str]) -> list[TableRule]:
    """The rules on rows of `spec` whose columns are all `present`, in the order they are checked."""
    rules = []
    for col in spec.columns:
        if col.unique and col.name in present:
            rules.append(TableRule("duplicate-id", col.name, (col.name,), DUPLICATE_ID, "unique"))
    key = [k for k in spec.key if k in present]
    if len(key) > 1 and len(key) == len(spec.key):
        template = _filled("duplicate-key", names=" and ".join(key))
        rules.append(TableRule("duplicate-id", key[-1], tuple(key), template, "key"))
    for code, op, pairs in (("before-opening", "<", spec.not_before), ("exceeds-total", ">", spec.not_above)):
        for a, b in pairs:
            if a in present and b in present:
                rules.append(TableRule(code, a, (a, b), _filled(code, other_name=b), "order", op))
    return rules


def quote_cells(values: pd.Series, limit: int = QUOTE_LIMIT) -> pd.Series:
    """Cells as written, quoted for a one-line message: line breaks shown as \\n, long cells cut with …."""
    text = values.astype("str")
    for char, shown in ESCAPES:
        text = text.str.replace(char, shown, regex=False)
    long = text.str.len() > limit
    if long.any():
        text = text.where(~long, text.str.slice(0, limit - 1) + "…")
    return "'" + text + "'"


def _filled(code: str, **values: str) -> Template:
    """The template of `code` with the fields given here filled, the others kept for the engine."""
    template = Template(_MESSAGES[code])
    kept = {f: "{" + f + "}" for f in template.fields}
    return Template(template.text.format(**{**kept, **values}))
