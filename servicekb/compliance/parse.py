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

__all__ = [
    "EARLIEST",
    "LATEST",
    "PROBLEM_COLUMNS",
    "line_of",
    "make_header_problem",
    "make_problems",
    "parse_table",
    "quote_cells",
]

PROBLEM_COLUMNS = ["file", "line", "col", "column", "code", "message", "level", "table", "row"]

_OFFSET = r"\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?\s*(?:[zZ]|[+-]\d{2}(?::?\d{2})?)$"
_PERIOD = r"^\d{4}-(?:0[1-9]|1[0-2])$"
_NON_FINITE = r"^[+-]?(?:nan|inf|infinity)$"
_TRUE = {"true", "1", "yes", "y", "t"}
# The supported range of timestamps and dates: anything outside is a typo (0001-01-01, 9999-12-31), reported per cell.
EARLIEST = pd.Timestamp("1900-01-01")
LATEST = pd.Timestamp("2200-12-31 23:59:59.999999")
_FALSE = {"false", "0", "no", "n", "f"}


def line_of(first_line: int | np.ndarray, rows) -> np.ndarray:
    """The line of each row position: CSV rows carry their physical line (an array), others `first_line + row`."""
    positions = np.asarray(rows, dtype=np.int64)
    if isinstance(first_line, np.ndarray):
        return first_line[positions]
    return positions + first_line


def make_problems(
    table: str,
    file: str,
    first_line: int | np.ndarray,
    rows: pd.Index,
    column: str,
    col: int,
    code: str,
    messages,
    level: Level = Level.error,
) -> pd.DataFrame:
    """A frame of problems, one per row position in `rows` (messages: one text or a Series aligned on rows).

    `first_line` is the line of row 0 (rows follow one per line), or the
    physical line of every row (a CSV row may span lines).
    """
    n = len(rows)
    msg = messages.to_numpy() if isinstance(messages, pd.Series) else [messages] * n
    return pd.DataFrame(
        {
            "file": [file] * n,
            "line": line_of(first_line, rows),
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


def make_header_problem(
    table: str, file: str, column: str, col: int, code: str, message: str, level: Level = Level.error
) -> pd.DataFrame:
    """A problem of the file or its header (line 1), not of a row: dropping rows cannot fix it."""
    return pd.DataFrame(
        [
            {
                "file": file,
                "line": 1,
                "col": col,
                "column": column,
                "code": code,
                "message": message,
                "level": level.value,
                "table": table,
                "row": -1,
            }
        ],
        columns=PROBLEM_COLUMNS,
    )


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


def quote_cells(values: pd.Series, limit: int = 60) -> pd.Series:
    """Cells as written, quoted for a one-line message: line breaks shown as \\n, long cells cut with …."""
    text = values.astype("str").str.replace("\r", "\\r", regex=False).str.replace("\n", "\\n", regex=False)
    long = text.str.len() > limit
    if long.any():
        text = text.where(~long, text.str.slice(0, limit - 1) + "…")
    return "'" + text + "'"


_quoted = quote_cells


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


def _outside(values: pd.Series) -> pd.Series:
    """Mask of times outside EARLIEST..LATEST (compared before any cast to nanoseconds, which would overflow)."""
    if isinstance(values.dtype, pd.DatetimeTZDtype):
        values = values.dt.tz_localize(None)
    return values.notna() & ((values < EARLIEST) | (values > LATEST))


def _timestamps(raw: pd.Series, tz: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series, pd.Series, pd.Series]:
    """(UTC timestamps, empty, not-a-timestamp, bad-local-time, out-of-range)."""
    none = pd.Series(False, index=raw.index)
    if isinstance(raw.dtype, pd.DatetimeTZDtype) or pd.api.types.is_datetime64_dtype(raw.dtype):
        far = _outside(raw)
        kept = raw.where(~far)
        if isinstance(raw.dtype, pd.DatetimeTZDtype):
            return kept.dt.tz_convert("UTC").astype("datetime64[ns, UTC]"), raw.isna(), none, none, far
        out, bad_local = _localise(kept.astype("datetime64[ns]"), tz)
        return out, raw.isna(), none, bad_local & kept.notna(), far
    s, empty = _text(raw)
    offset = s.str.contains(_OFFSET, regex=True, na=False)
    aware = pd.to_datetime(s.where(offset), format="ISO8601", utc=True, errors="coerce")
    naive = pd.to_datetime(s.where(~offset), format="ISO8601", errors="coerce")
    if isinstance(naive.dtype, pd.DatetimeTZDtype):  # all values carried an offset the regex missed
        naive = naive.dt.tz_convert("UTC").dt.tz_localize(None)
    far = _outside(aware) | _outside(naive)
    aware, naive = aware.where(~far), naive.where(~far)
    local, bad_local = _localise(naive.astype("datetime64[ns]"), tz)
    out = aware.astype("datetime64[ns, UTC]").where(offset, local)
    wrong = ~empty & out.isna() & ~bad_local & ~far
    return out, empty, wrong, bad_local, far


def _numbers(raw: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series, pd.Series]:
    """(numbers, empty, not-a-number, not finite: inf, nan, 1e400); non-finite values are blanked."""
    if pd.api.types.is_numeric_dtype(raw.dtype) and not pd.api.types.is_bool_dtype(raw.dtype):
        out = raw.astype("float64")
        infinite = pd.Series(np.isinf(out.to_numpy()), index=raw.index)
        return out.where(~infinite), out.isna(), pd.Series(False, index=raw.index), infinite
    s, empty = _text(raw)
    out = pd.to_numeric(s, errors="coerce").astype("float64")
    named = s.str.match(_NON_FINITE, case=False, na=False)
    infinite = pd.Series(np.isinf(out.to_numpy()), index=raw.index) | named
    return out.where(~infinite), empty, ~empty & out.isna() & ~infinite, infinite


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


def _dates(raw: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series, pd.Series]:
    """(days, empty, not-a-date, out-of-range)."""
    if isinstance(raw.dtype, pd.DatetimeTZDtype):
        raw = raw.dt.tz_localize(None)
    if pd.api.types.is_datetime64_dtype(raw.dtype):
        far = _outside(raw)
        out = raw.where(~far).astype("datetime64[ns]").dt.normalize()
        return out, raw.isna(), pd.Series(False, index=raw.index), far
    s, empty = _text(raw)
    parsed = pd.to_datetime(s, format="%Y-%m-%d", errors="coerce")
    far = _outside(parsed)
    out = parsed.where(~far).astype("datetime64[ns]")
    return out, empty, ~empty & out.isna() & ~far, far


def _convert(
    spec: ColumnSpec, raw: pd.Series, tz: pd.Series
) -> tuple[pd.Series, pd.Series, pd.Series, str, dict[str, pd.Series]]:
    """(typed column, empty, wrong-type mask, what was expected, other problems: code -> mask)."""
    if spec.type == "timestamp":
        out, empty, wrong, bad_local, far = _timestamps(raw, tz)
        return out, empty, wrong, "an ISO 8601 timestamp", {"bad-local-time": bad_local, "out-of-range-time": far}
    if spec.type in ("number", "integer"):
        out, empty, wrong, infinite = _numbers(raw)
        if spec.type == "integer":
            wrong = wrong | (out.notna() & (out % 1 != 0))
        return (
            out,
            empty,
            wrong,
            "a whole number" if spec.type == "integer" else "a number",
            {"non-finite-number": infinite},
        )
    if spec.type == "bool":
        out, empty, wrong = _bools(raw)
        return out, empty, wrong, "true or false", {}
    if spec.type == "date":
        out, empty, wrong, far = _dates(raw)
        return out, empty, wrong, "a date YYYY-MM-DD", {"out-of-range-time": far}
    s, empty = _text(raw)
    if spec.type == "period":
        wrong = ~empty & ~s.str.match(_PERIOD, na=False)
        return s, empty, wrong, "a month YYYY-MM", {}
    if spec.type == "enum" and spec.aliases:
        s = s.replace(dict(spec.aliases))
    if spec.type == "id" and not (pd.api.types.is_string_dtype(raw.dtype) or raw.dtype == object):
        return raw, raw.isna(), pd.Series(False, index=raw.index), "an id", {}  # typed ids (integers) kept as they are
    return s, empty, pd.Series(False, index=raw.index), "text", {}


def _other_message(code: str, shown: pd.Series, zones: pd.Series) -> pd.Series:
    if code == "bad-local-time":
        return shown + " does not exist or is ambiguous in " + zones + " (daylight-saving change): give an offset"
    if code == "out-of-range-time":
        return shown + f" is outside the supported range {EARLIEST:%Y-%m-%d} to {LATEST:%Y-%m-%d}"
    return shown + " is not a finite number (inf, nan and values beyond 1e308 are refused)"


def parse_table(
    name: str, raw: pd.DataFrame, file: str, tz_of: Mapping[str, str], first_line: int | np.ndarray = 2
) -> tuple[pd.DataFrame, list[pd.DataFrame]]:
    """Typed columns of one table (documented columns only) and the problems of conversion.

    Missing required columns, empty required cells, cells of the wrong type,
    non-finite numbers, times outside EARLIEST..LATEST and non-existent local
    times are errors; undocumented columns warnings.
    """
    spec = TABLES[name]
    raw = raw.reset_index(drop=True)
    position = {c: i + 1 for i, c in enumerate(raw.columns)}
    found: list[pd.DataFrame] = []
    for extra in [c for c in raw.columns if spec.column(str(c)) is None]:
        found.append(
            make_header_problem(
                name,
                file,
                str(extra),
                position[extra],
                "unknown-column",
                f"column {extra!r} is not part of {name} (ignored); columns: {', '.join(spec.names)}",
                Level.warning,
            )
        )
    tz = (
        _zones(raw["store_id"], tz_of)
        if "store_id" in raw.columns and len(tz_of)
        else pd.Series(np.nan, index=raw.index, dtype=object)
    )
    typed = pd.DataFrame(index=raw.index)
    for col in spec.columns:
        if col.name not in raw.columns:
            if col.required:
                found.append(
                    make_header_problem(
                        name, file, col.name, 1, "missing-column", f"required column {col.name!r} is missing"
                    )
                )
            dtype = _empty_dtype(col)
            typed[col.name] = (
                pd.Series(col.default, index=raw.index, dtype=dtype)
                if col.default
                else pd.Series(index=raw.index, dtype=dtype)
            )
            continue
        out, empty, wrong, expected, others = _convert(col, raw[col.name], tz)
        where = position[col.name]
        if wrong.any():
            rows = raw.index[wrong.to_numpy()]
            found.append(
                make_problems(
                    name,
                    file,
                    first_line,
                    rows,
                    col.name,
                    where,
                    "wrong-type",
                    _quoted(raw[col.name][wrong]) + f" is not {expected}",
                )
            )
        for code, mask in others.items():
            if mask.any():
                rows = raw.index[mask.to_numpy()]
                message = _other_message(code, _quoted(raw[col.name][mask]), tz[mask].astype("str"))
                found.append(make_problems(name, file, first_line, rows, col.name, where, code, message))
        if col.default is not None:
            out = out.fillna(col.default)
        elif not col.nullable and empty.any():
            rows = raw.index[empty.to_numpy()]
            found.append(
                make_problems(
                    name, file, first_line, rows, col.name, where, "missing-value", "empty, but a value is required"
                )
            )
        typed[col.name] = out
    return typed, found


def _zones(store: pd.Series, tz_of: Mapping[str, str]) -> pd.Series:
    """The timezone of every row's store (NaN for unknown stores), mapped once per distinct store."""
    if isinstance(store.dtype, pd.CategoricalDtype):
        zones = pd.Series(
            pd.Index(store.cat.categories.astype("str")).str.strip().map(lambda s: tz_of.get(s, np.nan)), dtype=object
        )
        codes = store.cat.codes.to_numpy()
        return pd.Series(np.where(codes >= 0, zones.to_numpy()[codes], np.nan), index=store.index, dtype=object)
    return store.astype("str").str.strip().map(dict(tz_of))


def _empty_dtype(col: ColumnSpec) -> str:
    return {
        "timestamp": "datetime64[ns, UTC]",
        "date": "datetime64[ns]",
        "number": "float64",
        "integer": "float64",
        "bool": "boolean",
    }.get(col.type, "str")
