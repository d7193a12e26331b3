"""Problems of operational data as frames, where they are, and what the typed columns hold.

The one validator (`compliance.duckcheck`, in DuckDB SQL) finds the
problems; here is their shape: one row per problem with file, line,
column, stable code and message (`PROBLEM_COLUMNS`), the line of a row
position (`line_of`), the supported range of timestamps and dates
(`EARLIEST`..`LATEST`: anything outside is a typo such as 0001-01-01 or
9999-12-31, reported per cell) and the pandas dtype of each column type
(`empty_dtype`) for the frames handed to notebooks and tests.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from servicekb.datatables import ColumnSpec
from servicekb.issues import Issue, Level

__all__ = [
    "EARLIEST",
    "LATEST",
    "PROBLEM_COLUMNS",
    "empty_dtype",
    "line_of",
    "make_header_problem",
    "make_problems",
    "problem_issues",
]

PROBLEM_COLUMNS = ["file", "line", "col", "column", "code", "message", "level", "table", "row"]

EARLIEST = pd.Timestamp("1900-01-01")
LATEST = pd.Timestamp("2200-12-31 23:59:59.999999")


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


def empty_dtype(col: ColumnSpec) -> str:
    """The pandas dtype of a column of this spec type in a typed frame."""
    return {
        "timestamp": "datetime64[ns, UTC]",
        "date": "datetime64[ns]",
        "number": "float64",
        "integer": "float64",
        "bool": "boolean",
    }.get(col.type, "str")


def problem_issues(problems: pd.DataFrame, limit: int | None = None) -> list[Issue]:
    """A problems frame (`PROBLEM_COLUMNS`) as issues, sorted by file, line and column (the first `limit`)."""
    frame = problems.sort_values(["file", "line", "col", "code"], kind="stable")
    if limit is not None:
        frame = frame.head(limit)
    return [
        Issue(r.file, int(r.line), int(r.col), r.code, r.message, r.column, Level(r.level))
        for r in frame.itertuples(index=False)
    ]
