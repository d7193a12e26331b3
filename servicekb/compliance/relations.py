"""Validated operational data as relations on one engine: what every scoring engine reads.

A `Relations` is the contract between the readers (the pandas dataset
adapter, the out-of-core DuckDB reader, the Spark reader) and the
engine-neutral metric kinds. Each present data table is one Ibis table
whose columns are those of its `servicekb.datatables.TableSpec` that the file
has, typed by the column's spec type:

- `timestamp` -> Ibis `timestamp` holding UTC wall-clock (no zone attached;
  a Spark session must run with `spark.sql.session.timeZone=UTC`),
- `date` -> `date`, `period` -> `string` (`YYYY-MM`),
- `number` -> `float64`, `integer` -> `int64`, `bool` -> `boolean`,
- `id`, `store`, `enum`, `text` -> `string` (enum aliases already mapped),

plus `_row` (`int64`): the row's 0-based position in its file, which
`Relations.line` turns into the line a user can open. Only valid rows are
present (invalid ones are dropped when asked, otherwise the data is not
scored at all).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

__all__ = ["Relations"]


@dataclass
class Relations:
    """Validated tables on one Ibis backend, the store map and where each table came from.

    `stores`: one row per known store (store_id, profile, timezone).
    `columns`: the columns each file had (optional ones may be absent).
    `files`: table -> the file shown in messages. `line_of`: table -> a
    function from row positions to the lines (CSV, header = 1) or row
    numbers (Parquet, from 1) of those rows.
    """

    backend: object
    engine: str
    tables: dict[str, object]
    stores: pd.DataFrame
    columns: dict[str, tuple[str, ...]] = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict)
    line_of: dict[str, Callable[[list[int]], list[int]]] = field(default_factory=dict)

    def table(self, name: str):
        """The Ibis table of `name`, or None when the data has no such table."""
        return self.tables.get(name)

    def has_column(self, table: str, column: str) -> bool:
        """Whether the data file of `table` has `column`."""
        return column in self.columns.get(table, ())

    def line(self, table: str, row: int) -> int:
        """The line (or row number) a user can open for a row position of `table`."""
        convert = self.line_of.get(table)
        return int(convert([int(row)])[0]) if convert else int(row) + 1
