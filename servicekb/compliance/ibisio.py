"""Moving small frames between pandas and Ibis through Arrow (Ibis' own pandas path warns under pandas 3)."""

from __future__ import annotations

import pandas as pd

__all__ = ["frame_table", "run"]


def run(expr) -> pd.DataFrame:
    """Execute an Ibis expression on its backend and return a pandas frame."""
    return expr.to_pyarrow().to_pandas()


def frame_table(frame: pd.DataFrame):
    """A small pandas frame as an Ibis in-memory table (registered with whichever backend reads it)."""
    import ibis
    import pyarrow as pa

    return ibis.memtable(pa.Table.from_pandas(frame, preserve_index=False))
