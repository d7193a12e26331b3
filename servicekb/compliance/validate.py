"""Validation of typed operational tables with pandera: every rule a row can break, located.

The pandera schema of a table is built from its `TableSpec`: unique ids,
known stores, allowed values, ranges (no negative amounts, scores 1-5 and
0-10), unique (store, month) rows, no response or resolution before the
opening, no part above its total. Validation is lazy (every failure of
every rule in one pass); each failure becomes a problem with file, line,
column, a stable code and the offending value as written.
"""

from __future__ import annotations

from collections.abc import Collection

import numpy as np
import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

from servicekb.compliance.parse import PROBLEM_COLUMNS, line_of, make_problems, quote_cells
from servicekb.compliance.tables import TABLES, ColumnSpec, TableSpec

__all__ = ["build_schema", "validate_table"]

_SEP = "|"


def _range_check(col: ColumnSpec) -> pa.Check:
    low, high = col.low, col.high
    code = (
        "negative-amount" if col.type == "number" and low == 0 and high is None and not col.low_open else "out-of-range"
    )

    def inside(s: pd.Series) -> pd.Series:
        ok = pd.Series(True, index=s.index)
        if low is not None:
            ok &= s > low if col.low_open else s >= low
        if high is not None:
            ok &= s <= high
        return ok

    return pa.Check(inside, name=f"{code}{_SEP}{col.name}")


def build_schema(spec: TableSpec, columns: Collection[str], stores: Collection[str]) -> pa.DataFrameSchema:
    """The pandera schema of a table, for the columns it has; `stores` are the known store ids."""
    known = list(stores)
    cols: dict[str, pa.Column] = {}
    for col in spec.columns:
        if col.name not in columns:
            continue
        checks = []
        if col.type == "store":
            checks.append(pa.Check(lambda s, known=known: s.isin(known), name=f"unknown-store{_SEP}{col.name}"))
        if col.type == "enum":
            checks.append(
                pa.Check(lambda s, values=list(col.values): s.isin(values), name=f"bad-value{_SEP}{col.name}")
            )
        if col.low is not None or col.high is not None:
            checks.append(_range_check(col))
        # Empty cells are reported while parsing; pandera only judges the values present.
        cols[col.name] = pa.Column(
            checks=checks, nullable=True, unique=col.unique, report_duplicates="exclude_first", coerce=False
        )
    frame_checks = []
    for later, earlier in spec.not_before:
        if later in columns and earlier in columns:
            frame_checks.append(
                pa.Check(
                    lambda d, a=later, b=earlier: ~(d[a] < d[b]), name=f"before-opening{_SEP}{later}{_SEP}{earlier}"
                )
            )
    for part, total in spec.not_above:
        if part in columns and total in columns:
            frame_checks.append(
                pa.Check(lambda d, a=part, b=total: ~(d[a] > d[b]), name=f"exceeds-total{_SEP}{part}{_SEP}{total}")
            )
    key = [k for k in spec.key if k in columns]
    unique = key if len(key) > 1 and len(key) == len(spec.key) else None
    return pa.DataFrameSchema(cols, checks=frame_checks, unique=unique, report_duplicates="exclude_first", strict=False)


def _shown(raw: pd.DataFrame, column: str, rows: pd.Index) -> pd.Series:
    """The cells as the user wrote them, quoted."""
    if column not in raw.columns:
        return pd.Series("''", index=rows)
    return quote_cells(raw[column].reindex(rows))


def validate_table(
    name: str,
    typed: pd.DataFrame,
    file: str,
    stores: Collection[str],
    first_line: int | np.ndarray,
    raw: pd.DataFrame,
    abstract: Collection[str] = (),
) -> pd.DataFrame:
    """Every rule a row of `typed` breaks, as a problems frame (empty when all rows are valid)."""
    spec = TABLES[name]
    raw = raw.reset_index(drop=True)
    present = [c for c in spec.names if c in raw.columns]
    schema = build_schema(spec, present, stores)
    try:
        schema.validate(typed, lazy=True, inplace=True)
        return pd.DataFrame(columns=PROBLEM_COLUMNS)
    except SchemaErrors as exc:
        cases = exc.failure_cases
    cases = cases[cases["index"].notna()].copy()
    cases["index"] = cases["index"].astype("int64")
    position = {c: i + 1 for i, c in enumerate(raw.columns)}
    out = []
    for check, group in cases.groupby("check", sort=True):
        out.append(_describe(str(check), group, spec, typed, raw, file, first_line, position, abstract))
    return pd.concat(out, ignore_index=True) if out else pd.DataFrame(columns=PROBLEM_COLUMNS)


def _describe(
    check: str,
    group: pd.DataFrame,
    spec: TableSpec,
    typed: pd.DataFrame,
    raw: pd.DataFrame,
    file: str,
    first_line: int | np.ndarray,
    position: dict,
    abstract: Collection[str],
) -> pd.DataFrame:
    name = spec.name
    if check == "field_uniqueness":
        frames = []
        for column, part in group.groupby("column", sort=True):
            rows = pd.Index(part["index"].unique())
            first = typed[column].drop_duplicates(keep="first")
            first_row = pd.Series(first.index, index=first.to_numpy())
            lines = pd.Series(
                line_of(first_line, typed.loc[rows, column].map(first_row).astype("int64").to_numpy()), index=rows
            )
            msg = _shown(raw, column, rows) + " is already used on line " + lines.astype("str")
            frames.append(make_problems(name, file, first_line, rows, column, position[column], "duplicate-id", msg))
        return pd.concat(frames, ignore_index=True)
    if check == "multiple_fields_uniqueness":
        key = list(spec.key)
        rows = pd.Index(group["index"].unique())
        values = _shown(raw, key[0], rows)
        for k in key[1:]:
            values = values + ", " + _shown(raw, k, rows)
        return make_problems(
            name,
            file,
            first_line,
            rows,
            key[-1],
            position[key[-1]],
            "duplicate-id",
            f"{' and '.join(key)} " + values + " given twice",
        )
    code, *cols = check.split(_SEP)
    rows = pd.Index(group["index"].unique())
    if code in ("before-opening", "exceeds-total"):
        a, b = cols
        verb = "is before" if code == "before-opening" else "exceeds"
        msg = _shown(raw, a, rows) + f" {verb} {b} " + _shown(raw, b, rows)
        return make_problems(name, file, first_line, rows, a, position[a], code, msg)
    column = cols[0]
    shown = _shown(raw, column, rows)
    col = spec.column(column)
    if code == "unknown-store":
        ids = typed.loc[rows, column].astype("str")
        why = ids.map(lambda s: "is an abstract profile, never scored" if s in abstract else "is not a known store")
        msg = shown + " " + why
    elif code == "bad-value":
        msg = shown + f" is not one of {', '.join(col.values)}"
    elif code == "negative-amount":
        msg = shown + " is negative"
    else:
        low = (
            f"more than {col.low:g}"
            if col.low_open
            else (f"within {col.low:g}-{col.high:g}" if col.high is not None else f"at least {col.low:g}")
        )
        msg = shown + f" is not {low}"
    return make_problems(name, file, first_line, rows, column, position[column], code, msg)
