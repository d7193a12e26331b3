"""Operational data as pandas frames, for small data (notebooks, the book, tests): a thin layer over DuckDB.

`read_dataset(folder, profiles)` reads and validates `<table>.csv` or
`<table>.parquet` for each table of `servicekb.datatables` with the one
validator, `compliance.duckdata` (out of core, in SQL), and returns its
valid rows as typed frames (timestamps in UTC; a timestamp without offset is
in its store's timezone). Every bad cell is a problem with file, line and
column; rows with errors are dropped only when asked (`drop_invalid`),
otherwise the dataset is not `ok` and must not be scored.
`validate_frames` does the same for frames already in memory.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from servicekb.compliance.parse import line_of, problem_issues
from servicekb.datatables import TABLES
from servicekb.issues import Issue, Level

__all__ = ["Dataset", "categorise_table", "read_dataset", "validate_frames"]


@dataclass
class Dataset:
    """Typed tables (index = row position in the file), the store map, and every problem found.

    `stores` has one row per store: store_id, profile, timezone. `problems`
    is a frame (file, line, col, column, code, message, level, table, row);
    `issues()` turns it into `Issue`s.
    """

    tables: dict[str, pd.DataFrame]
    stores: pd.DataFrame
    files: dict[str, str]
    first_line: dict[str, int | np.ndarray]
    problems: pd.DataFrame
    columns: dict[str, tuple[str, ...]] = field(default_factory=dict)
    rows_read: dict[str, int] = field(default_factory=dict)
    invalid_rows: dict[str, int] = field(default_factory=dict)
    dropped: bool = False

    @property
    def errors(self) -> int:
        """Number of error problems (warnings excluded)."""
        return int((self.problems["level"] == Level.error.value).sum())

    @property
    def ok(self) -> bool:
        """Whether the tables may be scored: no errors, or only row errors whose rows were dropped."""
        errors = self.problems[self.problems["level"] == Level.error.value]
        if (errors["row"] < 0).any():
            return False
        return errors.empty or self.dropped

    def line(self, table: str, row: int) -> int:
        """The physical line (CSV, header = 1) or row number (Parquet, from 1) of a row position."""
        return int(line_of(self.first_line.get(table, 1), [int(row)])[0])

    def issues(self, limit: int | None = None) -> list[Issue]:
        """Problems as issues, sorted by file, line and column (the first `limit` when given)."""
        return problem_issues(self.problems, limit)


def read_dataset(
    folder: Path,
    profiles: Mapping[str, str],
    abstract: Collection[str] = (),
    *,
    drop_invalid: bool = False,
    display: str | None = None,
    claims: Mapping[str, str] | None = None,
) -> Dataset:
    """Read and validate every table of a data folder (in DuckDB: `compliance.duckdata`) as pandas frames.

    Args:
        folder: the data folder.
        profiles: timezone of every scorable (non-abstract) store profile, by id.
        abstract: ids of abstract profiles (named in messages: they are never scored).
        drop_invalid: drop rows with errors instead of refusing to score.
        display: how the folder is named in messages (default: as given).
        claims: data store id -> the profile that names it in `data_store_ids` (`find_data_claims`).
    """
    from servicekb.compliance.duckdata import read_folder

    with read_folder(
        folder, profiles, abstract, drop_invalid=drop_invalid, display=display, claims=claims, memory_limit="1GB"
    ) as read:
        return read.to_dataset()


def validate_frames(
    frames: Mapping[str, pd.DataFrame],
    profiles: Mapping[str, str],
    abstract: Collection[str] = (),
    *,
    drop_invalid: bool = False,
    claims: Mapping[str, str] | None = None,
) -> Dataset:
    """Validate tables already in memory (benchmarks, notebooks) as files are; rows are numbered from 1."""
    from servicekb.compliance.duckdata import read_frames

    with read_frames(frames, profiles, abstract, drop_invalid=drop_invalid, claims=claims, memory_limit="1GB") as read:
        return read.to_dataset()


def categorise_table(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """Store ids and enumerations as categoricals: small in memory, fast to filter and group."""
    for col in TABLES[name].columns:
        if (
            col.type in ("store", "enum", "text")
            and col.name in frame.columns
            and not isinstance(frame[col.name].dtype, pd.CategoricalDtype)
        ):
            frame[col.name] = frame[col.name].astype("category")
    return frame
