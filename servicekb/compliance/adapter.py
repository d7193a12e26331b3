"""A validated pandas `Dataset` as `Relations` on an in-memory DuckDB: how today's callers reach the engine.

Every table of the dataset becomes one DuckDB table typed by its
`TableSpec` (see `compliance.relations`): timestamps as naive UTC with
microsecond precision (the precision every SQL engine holds), enumerations
and texts as strings, numbers as doubles, integers as int64, plus `_row`,
the row's position in its file. The score command, the notebooks, the book
and the tests all score through this adapter; the out-of-core and Spark
readers produce the same `Relations` without pandas.
"""

from __future__ import annotations

from functools import partial

import numpy as np
import pandas as pd

from servicekb.compliance.data import Dataset
from servicekb.compliance.parse import line_of
from servicekb.compliance.relations import Relations
from servicekb.compliance.tables import TABLES

__all__ = ["relations_from_dataset", "type_frame"]


def _typed(series: pd.Series, kind: str) -> pd.Series:
    if kind == "timestamp":
        values = pd.to_datetime(series, utc=True).dt.tz_localize(None)
        return values.dt.floor("us").astype("datetime64[us]")
    if kind == "date":
        return pd.to_datetime(series).dt.floor("D").astype("datetime64[us]")
    if kind in ("number",):
        return pd.to_numeric(series, errors="coerce").astype("float64")
    if kind == "integer":
        return pd.to_numeric(series, errors="coerce").astype("Int64")
    if kind == "bool":
        return series.astype("boolean")
    return series.astype("string")


def type_frame(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """The columns of a validated frame typed as `Relations` types them, with `_row` (position in the file)."""
    spec = TABLES[name]
    typed = pd.DataFrame(
        {
            str(c): _typed(frame[c], spec.column(str(c)).type).reset_index(drop=True)
            for c in frame.columns
            if spec.column(str(c)) is not None
        }
    )
    typed["_row"] = np.asarray(frame.index, dtype=np.int64)
    return typed


def relations_from_dataset(dataset: Dataset, con=None) -> Relations:
    """Register a validated dataset's tables in DuckDB (a fresh in-memory database unless `con` is given)."""
    import ibis

    backend = con if con is not None else ibis.duckdb.connect()
    tables = {}
    for name, frame in dataset.tables.items():
        typed = type_frame(name, frame)
        raw = backend.con
        raw.register("_servicekb_src", typed)
        raw.execute(f'CREATE OR REPLACE TABLE "{name}" AS SELECT * FROM _servicekb_src')
        raw.unregister("_servicekb_src")
        tables[name] = backend.table(name)
    line_fns = {name: partial(line_of, first) for name, first in dataset.first_line.items()}
    return Relations(
        backend,
        "duckdb",
        tables,
        dataset.stores.copy(),
        dict(dataset.columns),
        dict(dataset.files),
        line_fns,
    )
