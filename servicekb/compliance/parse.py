"""Converting raw columns to their types, reporting every cell that does not convert.

CSV cells arrive as text, Parquet columns typed; both end as the same
dtypes: timestamps as UTC `datetime64[ns, UTC]` (a timestamp without offset
is localised in its store's timezone; a local time that does not exist or
is ambiguous at a daylight-saving change is reported), dates as naive
`datetime64[ns]`, numbers as float64, booleans as `boolean`, text as `str`.
All vectorised: one pass per column, never one per row.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from servicekb.compliance.tables import TABLES, ColumnSpec
from servicekb.issues import Level

__all__ = ["PROBLEM_COLUMNS", "make_header_problem", "make_problems", "parse_table"]

PROBLEM_COLUMNS = ["file", "line", "col", "column", "code", "message", "level", "table", "row"]

_OFFSET = r"\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?\s*(?:[zZ]|[+-]\d{2}(?::?\d{2})?)$"
_PERIOD = r"^\d{4}-(?:0[1-9]|1[0-2])$"
_TRUE = {"true", "1", "yes", "y", "t"}
_FALSE = {"false", "0", "no", "n", "f"}


def make_problems(
    table: str, file: str, first_line: int, rows: pd.Index, column: str, col: int, code: str, messages, level: Level = Level.error
) -> pd.DataFrame:
    """A frame of problems, one per row position in `rows` (messages: one text or a Series aligned on rows)."""
    n = len(rows)
    msg = messages.to_numpy() if isinstance(messages, pd.Series) else [messages] * n
    return pd.DataFrame(
        {
            "file": [file] * n,
            "line": np.asarray(rows, dtype=np.int64) + first_line,
            "col": np.full(n, col, dtype=np.int64),
            "column": [column] * n,
            "code": [code] * n,
            "message": msg,
            "level": [level.value] * n,
            "table": [table] * n,
            "row": np.asarray(rows, dtype=np.int64),
        },
        columns=PROBLEM_COLUMNS,
    )


def make_header_problem(table: str, file: str, column: str, col: int, code: str, message: str, level: Level = Level.error) -> pd.DataFrame:
    """A problem of the file or its header (line 1), not of a row: dropping rows cannot fix it."""
    return pd.DataFrame([{"file": file, "line": 1, "col": col, "column": column, "code": code, "message": message, "level": level.value, "table": table, "row": -1}], columns=PROBLEM_COLUMNS)


def _text(raw: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Stripped text and the mask of empty cells (categoricals stay categorical: one strip per category)."""
    if isinstance(raw.dtype, pd.CategoricalDtype):
        stripped = pd.Index(raw.cat.categories.astype("str")).str.strip()
        if stripped.is_unique:
            cat = raw.cat.rename_categories(stripped)
            if "" in stripped:
                cat = cat.cat.remove_categories([""])
            return cat, cat.isna()
    if pd.api.types.is_string_dtype(raw.dtype) or raw.dtype == object:
        s = raw.astype("str").str.strip()
        empty = raw.isna() | (s == "")
        return s.where(~empty), empty
    empty = raw.isna()
    return raw.astype("str").where(~empty), empty


def _quoted(values: pd.Series) -> pd.Series:
    return "'" + values.astype("str") + "'"


def _localise(naive: pd.Series, tz: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Naive local times -> UTC, per timezone; also the mask of local times that do not exist or are ambiguous."""
    out = pd.Series(pd.NaT, index=naive.index, dtype="datetime64[ns, UTC]")
    bad_local = pd.Series(False, index=naive.index)
    have = naive.notna()
    for zone in tz[have].dropna().unique():
        m = have & (tz == zone)
        local = naive[m].dt.tz_localize(zone, ambiguous="NaT", nonexistent="NaT")
        out[m] = local.dt.tz_convert("UTC").astype("datetime64[ns, UTC]")
        bad_local[m] = local.isna()
    # Rows of unknown stores have no timezone: read as UTC, the row is reported as unknown-store anyway.
    rest = have & tz.isna()
    if rest.any():
        out[rest] = naive[rest].dt.tz_localize("UTC").astype("datetime64[ns, UTC]")
    return out, bad_local


def _timestamps(raw: pd.Series, tz: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series, pd.Series]:
    """(UTC timestamps, empty, not-a-timestamp, bad-local-time)."""
    none = pd.Series(False, index=raw.index)
    if isinstance(raw.dtype, pd.DatetimeTZDtype):
        return raw.dt.tz_convert("UTC").astype("datetime64[ns, UTC]"), raw.isna(), none, none
    if pd.api.types.is_datetime64_dtype(raw.dtype):
        out, bad_local = _localise(raw.astype("datetime64[ns]"), tz)
        return out, raw.isna(), none, bad_local & raw.notna()
    s, empty = _text(raw)
    offset = s.str.contains(_OFFSET, regex=True, na=False)
    aware = pd.to_datetime(s.where(offset), format="ISO8601", utc=True, errors="coerce")
    naive = pd.to_datetime(s.where(~offset), format="ISO8601", errors="coerce")
    if isinstance(naive.dtype, pd.DatetimeTZDtype):  # all values carried an offset the regex missed
        naive = naive.dt.tz_convert("UTC").dt.tz_localize(None)
    local, bad_local = _localise(naive.astype("datetime64[ns]"), tz)
    out = aware.astype("datetime64[ns, UTC]").where(offset, local)
    wrong = ~empty & out.isna() & ~bad_local
    return out, empty, wrong, bad_local


def _numbers(raw: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    if pd.api.types.is_numeric_dtype(raw.dtype) and not pd.api.types.is_bool_dtype(raw.dtype):
        out = raw.astype("float64")
        return out, out.isna(), pd.Series(False, index=raw.index)
    s, empty = _text(raw)
    out = pd.to_numeric(s, errors="coerce").astype("float64")
    return out, empty, ~empty & out.isna()


def _bools(raw: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    if pd.api.types.is_bool_dtype(raw.dtype):
        out = raw.astype("boolean")
        return out, out.isna(), pd.Series(False, index=raw.index)
    s, empty = _text(raw)
    low = s.str.lower()
    out = pd.Series(pd.NA, index=raw.index, dtype="boolean")
    out[low.isin(_TRUE)] = True
    out[low.isin(_FALSE)] = False
    return out, empty, ~empty & out.isna()


def _dates(raw: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    if isinstance(raw.dtype, pd.DatetimeTZDtype):
        raw = raw.dt.tz_localize(None)
    if pd.api.types.is_datetime64_dtype(raw.dtype):
        out = raw.astype("datetime64[ns]").dt.normalize()
        return out, out.isna(), pd.Series(False, index=raw.index)
    s, empty = _text(raw)
    parsed = pd.to_datetime(s, format="%Y-%m-%d", errors="coerce")
    # A day outside what nanoseconds hold (before 1677, after 2262) is not a date a table can carry.
    inside = parsed.isna() | ((parsed > pd.Timestamp("1677-09-22")) & (parsed < pd.Timestamp("2262-04-11")))
    out = parsed.where(inside).astype("datetime64[ns]")
    return out, empty, ~empty & out.isna()


def _convert(spec: ColumnSpec, raw: pd.Series, tz: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series, str, pd.Series | None]:
    """(typed column, empty, wrong-type mask, what was expected, bad-local-time mask)."""
    if spec.type == "timestamp":
        out, empty, wrong, bad_local = _timestamps(raw, tz)
        return out, empty, wrong, "an ISO 8601 timestamp", bad_local
    if spec.type in ("number", "integer"):
        out, empty, wrong = _numbers(raw)
        if spec.type == "integer":
            wrong = wrong | (out.notna() & (out % 1 != 0))
        return out, empty, wrong, "a whole number" if spec.type == "integer" else "a number", None
    if spec.type == "bool":
        out, empty, wrong = _bools(raw)
        return out, empty, wrong, "true or false", None
    if spec.type == "date":
        out, empty, wrong = _dates(raw)
        return out, empty, wrong, "a date YYYY-MM-DD", None
    s, empty = _text(raw)
    if spec.type == "period":
        wrong = ~empty & ~s.str.match(_PERIOD, na=False)
        return s, empty, wrong, "a month YYYY-MM", None
    if spec.type == "id" and not (pd.api.types.is_string_dtype(raw.dtype) or raw.dtype == object):
        return raw, raw.isna(), pd.Series(False, index=raw.index), "an id", None  # typed ids (integers) kept as they are
    return s, empty, pd.Series(False, index=raw.index), "text", None


def parse_table(name: str, raw: pd.DataFrame, file: str, tz_of: Mapping[str, str], first_line: int = 2) -> tuple[pd.DataFrame, list[pd.DataFrame]]:
    """Typed columns of one table (documented columns only) and the problems of conversion.

    Missing required columns, empty required cells, cells of the wrong type
    and non-existent local times are errors; undocumented columns warnings.
    """
    spec = TABLES[name]
    raw = raw.reset_index(drop=True)
    position = {c: i + 1 for i, c in enumerate(raw.columns)}
    found: list[pd.DataFrame] = []
    for extra in [c for c in raw.columns if spec.column(str(c)) is None]:
        found.append(make_header_problem(name, file, str(extra), position[extra], "unknown-column", f"column {extra!r} is not part of {name} (ignored); columns: {', '.join(spec.names)}", Level.warning))
    tz = _zones(raw["store_id"], tz_of) if "store_id" in raw.columns and len(tz_of) else pd.Series(np.nan, index=raw.index, dtype=object)
    typed = pd.DataFrame(index=raw.index)
    for col in spec.columns:
        if col.name not in raw.columns:
            if col.required:
                found.append(make_header_problem(name, file, col.name, 1, "missing-column", f"required column {col.name!r} is missing"))
            dtype = _empty_dtype(col)
            typed[col.name] = pd.Series(col.default, index=raw.index, dtype=dtype) if col.default else pd.Series(index=raw.index, dtype=dtype)
            continue
        out, empty, wrong, expected, bad_local = _convert(col, raw[col.name], tz)
        where = position[col.name]
        if wrong.any():
            rows = raw.index[wrong.to_numpy()]
            found.append(make_problems(name, file, first_line, rows, col.name, where, "wrong-type", _quoted(raw[col.name][wrong]) + f" is not {expected}"))
        if bad_local is not None and bad_local.any():
            rows = raw.index[bad_local.to_numpy()]
            zones = tz[bad_local].astype("str")
            found.append(make_problems(name, file, first_line, rows, col.name, where, "bad-local-time", _quoted(raw[col.name][bad_local]) + " does not exist or is ambiguous in " + zones + " (daylight-saving change): give an offset"))
        if col.default is not None:
            out = out.fillna(col.default)
        elif not col.nullable and empty.any():
            rows = raw.index[empty.to_numpy()]
            found.append(make_problems(name, file, first_line, rows, col.name, where, "missing-value", "empty, but a value is required"))
        typed[col.name] = out
    return typed, found


def _zones(store: pd.Series, tz_of: Mapping[str, str]) -> pd.Series:
    """The timezone of every row's store (NaN for unknown stores), mapped once per distinct store."""
    if isinstance(store.dtype, pd.CategoricalDtype):
        zones = pd.Series(pd.Index(store.cat.categories.astype("str")).str.strip().map(lambda s: tz_of.get(s, np.nan)), dtype=object)
        codes = store.cat.codes.to_numpy()
        return pd.Series(np.where(codes >= 0, zones.to_numpy()[codes], np.nan), index=store.index, dtype=object)
    return store.astype("str").str.strip().map(dict(tz_of))


def _empty_dtype(col: ColumnSpec) -> str:
    return {"timestamp": "datetime64[ns, UTC]", "date": "datetime64[ns]", "number": "float64", "integer": "float64", "bool": "boolean"}.get(col.type, "str")
