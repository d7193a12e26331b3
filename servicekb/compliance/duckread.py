"""The files of a data folder as DuckDB views, out of core: what `compliance.duckcheck` validates.

A `Session` is one DuckDB connection with a memory limit and a spill
folder of its own (removed on close), so a table larger than memory is
scanned and spilled instead of grown in RAM. Each table's file becomes the
view `src_<table>`: `_row` (0-based position in the file) and one column
`c<k>` per column of the file, in file order, typed as the file has them
(Parquet: as stored; CSV: text, streamed by `compliance.csvstream`; Excel:
as the first sheet stores them). The file's own column names are kept
beside, in `Source.columns`.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from servicekb.compliance.csvstream import LineMap, stream_csv
from servicekb.compliance.parse import make_header_problem

__all__ = ["EXTENSIONS", "Session", "Source", "frame_source", "open_source", "quote_name"]

EXTENSIONS = ("csv", "parquet", "xlsx")


def quote_name(name: str) -> str:
    """A SQL identifier for any name."""
    return '"' + name.replace('"', '""') + '"'


def quote_text(text: str) -> str:
    """A SQL string literal for any text."""
    return "'" + text.replace("'", "''") + "'"


class Session:
    """A DuckDB connection that spills to its own temporary folder; use as a context manager or `close()`."""

    def __init__(self, memory_limit: str = "2GB", threads: int | None = None, temp_root: Path | None = None):
        self.folder = Path(tempfile.mkdtemp(prefix="servicekb-duckdb-", dir=temp_root))
        self.con = duckdb.connect()
        self.con.execute(f"SET memory_limit = {quote_text(memory_limit)}")
        self.con.execute(f"SET temp_directory = {quote_text((self.folder / 'spill').as_posix())}")
        # Row order comes from `_row`, never from insertion order: letting it go saves memory.
        self.con.execute("SET preserve_insertion_order = false")
        self.con.execute("SET TimeZone = 'UTC'")
        if threads:
            self.con.execute(f"SET threads = {int(threads)}")

    def close(self) -> None:
        try:
            self.con.close()
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)

    def __enter__(self) -> Session:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


@dataclass
class Source:
    """One table's file as the view `src_<table>`: its column names (file order), SQL types and rows."""

    table: str
    file: str
    kind: str
    columns: list[str] = field(default_factory=list)
    types: list[str] = field(default_factory=list)
    rows: int = 0
    lines: LineMap = field(default_factory=lambda: LineMap(1))
    problems: list[pd.DataFrame] = field(default_factory=list)
    readable: bool = True

    @property
    def view(self) -> str:
        return f"src_{self.table}"


def _unreadable(source: Source, exc: Exception) -> Source:
    text = str(exc).strip().splitlines()
    source.problems.append(
        make_header_problem(
            "", source.file, "", 1, "unreadable-file", f"cannot read: {text[0] if text else type(exc).__name__}"
        )
    )
    source.readable = False
    return source


def open_source(session: Session, path: Path, table: str, file: str) -> Source:
    """Create the view of one file; a file that cannot be read gives a located problem instead."""
    kind = path.suffix.lstrip(".")
    source = Source(table, file, kind)
    con = session.con
    try:
        if kind == "parquet":
            described = con.execute(f"DESCRIBE SELECT * FROM read_parquet({quote_text(path.as_posix())})").fetchall()
            source.columns = [str(r[0]) for r in described]
            source.types = [str(r[1]) for r in described]
            cells = ", ".join(f"{quote_name(c)} AS c{k}" for k, c in enumerate(source.columns))
            scan = f"read_parquet({quote_text(path.as_posix())}, file_row_number = true)"
            con.execute(
                f"CREATE OR REPLACE VIEW {source.view} AS SELECT file_row_number AS _row{', ' if cells else ''}{cells}"
                f" FROM {scan}"
            )
            source.rows = int(
                con.execute(f"SELECT count(*) FROM read_parquet({quote_text(path.as_posix())})").fetchone()[0]
            )
            source.lines = LineMap(1)
            return source
        if kind == "xlsx":
            return _excel(session, path, source)
        out = session.folder / f"{table}.csv.parquet"
        read = stream_csv(path, table, file, out)
        source.problems.extend(read.problems)
        if read.header is None:
            source.readable = False
            return source
        source.columns, source.rows, source.lines = list(read.header), read.rows, read.lines
        source.types = ["VARCHAR"] * len(source.columns)
        if not read.header:  # an empty file: no columns, no rows
            con.execute(f"CREATE OR REPLACE VIEW {source.view} AS SELECT CAST(NULL AS BIGINT) AS _row WHERE false")
            return source
        con.execute(f"CREATE OR REPLACE VIEW {source.view} AS SELECT * FROM read_parquet({quote_text(out.as_posix())})")
        return source
    except Exception as exc:  # any reader failure is the user's file, reported, never a traceback
        return _unreadable(source, exc)


def _excel(session: Session, path: Path, source: Source) -> Source:
    """The first sheet (small by nature), typed as Excel stores it; text columns stay text."""
    frame = pd.read_excel(path, sheet_name=0, engine="openpyxl")
    source.columns = [str(c) for c in frame.columns]
    cells = pd.DataFrame({"_row": range(len(frame))})
    for k, c in enumerate(frame.columns):
        col = frame[c]
        if col.dtype == object:
            col = col.map(lambda v: None if pd.isna(v) else str(v)).astype("str")
        cells[f"c{k}"] = col.to_numpy()
    out = session.folder / f"{source.table}.xlsx.parquet"
    cells.to_parquet(out, index=False)
    con = session.con
    con.execute(f"CREATE OR REPLACE VIEW {source.view} AS SELECT * FROM read_parquet({quote_text(out.as_posix())})")
    described = con.execute(f"DESCRIBE SELECT * FROM {source.view}").fetchall()
    source.types = [str(r[1]) for r in described[1:]]
    source.rows, source.lines = len(frame), LineMap(2)
    return source


def frame_source(session: Session, frame: pd.DataFrame, table: str, file: str) -> Source:
    """A frame in memory as a source, written to Parquet in the session folder (rows numbered from 1)."""
    source = Source(table, file, "frame")
    cells = pd.DataFrame({"_row": range(len(frame))})
    for k, c in enumerate(frame.columns):
        col = frame[c].reset_index(drop=True)
        if isinstance(col.dtype, pd.CategoricalDtype) or col.dtype == object:
            col = col.map(lambda v: None if pd.isna(v) else str(v)).astype("str")
        cells[f"c{k}"] = col.array
    out = session.folder / f"{table}.frame.parquet"
    try:
        cells.to_parquet(out, index=False)
        con = session.con
        con.execute(f"CREATE OR REPLACE VIEW {source.view} AS SELECT * FROM read_parquet({quote_text(out.as_posix())})")
        described = con.execute(f"DESCRIBE SELECT * FROM {source.view}").fetchall()
    except Exception as exc:  # a column no file could hold: reported, never raised
        return _unreadable(source, exc)
    source.columns = [str(c) for c in frame.columns]
    source.types = [str(r[1]) for r in described[1:]]
    source.rows, source.lines = len(frame), LineMap(1)
    return source
