"""A data folder read and validated in DuckDB, out of core: the relations scoring reads, and every problem found.

`read_folder(folder, profiles, ...)` opens every table's file as a DuckDB
view (`compliance.duckread`), binds stores to profiles, validates each
table in SQL (`compliance.duckcheck`) and returns a `DuckDataset`: the
problems (file, line, column, code, message; row problems stay in DuckDB
until shown, so a file with millions of bad rows is counted, not loaded),
`relations()` for the engines (Ibis tables of the valid rows) and
`to_dataset()`, the same data as pandas frames for small data (notebooks,
the book, tests).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from servicekb.compliance.checkrules import DUPLICATE_ID
from servicekb.compliance.csvstream import LineMap
from servicekb.compliance.duckcheck import (
    PROBLEMS_TABLE,
    build_typed_view,
    build_values_view,
    collect_problems,
    create_problems_table,
    local_day_range,
)
from servicekb.compliance.duckread import EXTENSIONS, Session, Source, frame_source, open_source, quote_text
from servicekb.compliance.parse import PROBLEM_COLUMNS, make_header_problem, problem_issues
from servicekb.compliance.zones import build_zone_days
from servicekb.datatables import TABLES
from servicekb.issues import Issue, Level

__all__ = ["DuckDataset", "read_folder", "read_frames"]


@dataclass
class DuckDataset:
    """Validated tables as DuckDB views, the store map and the problems; close it (or use `with`) when done."""

    session: Session
    sources: dict[str, Source]
    stores: pd.DataFrame
    present: dict[str, list[str]]
    file_problems: pd.DataFrame
    dropped: bool = False
    rows_read: dict[str, int] = field(default_factory=dict)

    def __enter__(self) -> DuckDataset:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self.session.close()

    @property
    def files(self) -> dict[str, str]:
        return {t: s.file for t, s in self.sources.items() if s.readable}

    def _sql(self, query: str):
        return self.session.con.execute(query)

    @property
    def errors(self) -> int:
        """Number of error problems (warnings excluded)."""
        rows = int(self._sql(f"SELECT count(*) FROM {PROBLEMS_TABLE}").fetchone()[0])
        return rows + int((self.file_problems["level"] == Level.error.value).sum())

    @property
    def invalid_rows(self) -> dict[str, int]:
        """Rows with at least one error, by table."""
        counted = dict(self._sql(f"SELECT tab, count(DISTINCT row) FROM {PROBLEMS_TABLE} GROUP BY tab").fetchall())
        return {t: int(counted.get(t, 0)) for t in self.sources}

    @property
    def ok(self) -> bool:
        """Whether the tables may be scored: no errors, or only row errors whose rows were dropped."""
        if (self.file_problems["level"] == Level.error.value).any():
            return False
        return self.dropped or self._sql(f"SELECT count(*) FROM {PROBLEMS_TABLE}").fetchone()[0] == 0

    def count_problems(self) -> dict[str, int]:
        """Problems (errors and warnings) by code."""
        counts = dict(self._sql(f"SELECT code, count(*) FROM {PROBLEMS_TABLE} GROUP BY code").fetchall())
        for code, n in self.file_problems["code"].value_counts().items():
            counts[code] = counts.get(code, 0) + int(n)
        return {str(k): int(v) for k, v in counts.items()}

    def problem_frame(self, limit: int | None = None) -> pd.DataFrame:
        """Problems (PROBLEM_COLUMNS) sorted by file, line, column and code; the first `limit` when given."""
        by_file = " ".join(f"WHEN {quote_text(t)} THEN {quote_text(s.file)}" for t, s in self.sources.items())
        order = f"CASE tab {by_file} END" if by_file else "tab"
        query = f"SELECT * FROM {PROBLEMS_TABLE} ORDER BY {order}, row, col, code"
        rows = self._sql(query + (f" LIMIT {int(limit)}" if limit is not None else "")).df()
        frames = [self.file_problems]
        for tab, part in rows.groupby("tab", sort=False):
            source = self.sources[str(tab)]
            lines = source.lines(part["row"].to_numpy())
            message = part["message"].astype("str").to_numpy(dtype=object)
            ref = part["ref"].notna().to_numpy()
            if ref.any():
                first = source.lines(part["ref"].to_numpy()[ref].astype(np.int64))
                message[ref] = [DUPLICATE_ID.format(cell=m, first=n) for m, n in zip(message[ref], first, strict=True)]
            frames.append(
                pd.DataFrame(
                    {
                        "file": source.file,
                        "line": lines,
                        "col": part["col"].to_numpy(dtype=np.int64),
                        "column": part["column_name"].astype("str").to_numpy(),
                        "code": part["code"].astype("str").to_numpy(),
                        "message": message,
                        "level": Level.error.value,
                        "table": str(tab),
                        "row": part["row"].to_numpy(dtype=np.int64),
                    },
                    columns=PROBLEM_COLUMNS,
                )
            )
        found = [f for f in frames if len(f)]
        frame = pd.concat(found, ignore_index=True) if found else pd.DataFrame(columns=PROBLEM_COLUMNS)
        frame = frame.sort_values(["file", "line", "col", "code"], kind="stable").reset_index(drop=True)
        return frame if limit is None else frame.head(limit)

    def issues(self, limit: int | None = None) -> list[Issue]:
        """Problems as issues, sorted by file, line and column (the first `limit` when given)."""
        return problem_issues(self.problem_frame(limit))

    def _valid_query(self, table: str) -> str:
        spec = TABLES[table]
        present = self.present[table]
        cast = {c.name: "BIGINT" for c in spec.columns if c.type == "integer"}
        cols = [f"CAST(v_{c} AS {cast[c]}) AS {c}" if c in cast else f"v_{c} AS {c}" for c in present]
        cols += [f"{quote_text(c.default)} AS {c.name}" for c in spec.columns if c.default and c.name not in present]
        where = ""
        if self.dropped:
            where = f" WHERE _row NOT IN (SELECT row FROM {PROBLEMS_TABLE} WHERE tab = {quote_text(table)})"
        return f"SELECT _row, {', '.join(cols)} FROM values_{table}{where}"

    def relations(self):
        """The valid rows of every table as Ibis tables on this DuckDB connection (`compliance.relations`)."""
        import ibis

        from servicekb.compliance.relations import Relations

        for table in self.present:
            self._sql(f"CREATE OR REPLACE VIEW valid_{table} AS {self._valid_query(table)}")
        backend = ibis.duckdb.from_connection(self.session.con)
        return Relations(
            backend=backend,
            engine="duckdb",
            tables={t: backend.table(f"valid_{t}") for t in self.present},
            stores=self.stores,
            columns={t: tuple(s.columns) for t, s in self.sources.items() if s.readable},
            files={t: s.file for t, s in self.sources.items() if s.readable and t in self.present},
            line_of={t: self.sources[t].lines for t in self.present},
        )

    def seen_stores(self) -> set[str]:
        """The store ids of the valid rows of every table."""
        seen: set[str] = set()
        for table in self.present:
            if "store_id" in self.present[table]:
                query = f"SELECT DISTINCT store_id FROM ({self._valid_query(table)}) WHERE store_id IS NOT NULL"
                seen |= {str(r[0]) for r in self._sql(query).fetchall()}
        return seen

    def add_problems(self, frame: pd.DataFrame) -> None:
        """More problems (PROBLEM_COLUMNS) found outside SQL, e.g. audit answers checked against their stores."""
        kept = _move_row_problems(self.session, [frame]) if len(frame) else []
        if kept:
            self.file_problems = pd.concat([self.file_problems, *kept], ignore_index=True)

    def to_dataset(self, only: Collection[str] | None = None):
        """The same data as a pandas `compliance.data.Dataset` (small data: every valid row in memory).

        `only`: the tables to load (default all); problems and counts are always those of every table.
        """
        from servicekb.compliance.data import Dataset, categorise_table
        from servicekb.compliance.parse import empty_dtype

        tables = {}
        for table in self.present:
            if only is not None and table not in only:
                continue
            spec = TABLES[table]
            frame = self._sql(self._valid_query(table) + " ORDER BY _row").df().set_index("_row")
            frame.index = pd.Index(frame.index.to_numpy(dtype=np.int64))
            typed = pd.DataFrame(index=frame.index)
            for col in spec.columns:
                dtype = empty_dtype(col)
                if col.name not in frame.columns:
                    typed[col.name] = (
                        pd.Series(col.default, index=frame.index, dtype=dtype)
                        if col.default
                        else pd.Series(index=frame.index, dtype=dtype)
                    )
                elif col.type == "timestamp":
                    typed[col.name] = pd.to_datetime(frame[col.name]).dt.tz_localize("UTC").astype(dtype)
                elif col.type == "date":
                    typed[col.name] = pd.to_datetime(frame[col.name]).astype(dtype)
                elif col.type == "id" and frame[col.name].dtype != object:
                    typed[col.name] = frame[col.name].astype("str")
                else:
                    typed[col.name] = frame[col.name].astype(dtype)
            tables[table] = categorise_table(table, typed)
        problems = self.problem_frame()
        first_line = {t: s.lines.lines(s.rows) for t, s in self.sources.items() if s.readable}
        columns = {t: tuple(s.columns) for t, s in self.sources.items() if s.readable}
        invalid = self.invalid_rows
        return Dataset(
            tables,
            self.stores,
            self.files,
            first_line,
            problems,
            columns,
            dict(self.rows_read),
            {t: invalid.get(t, 0) for t in (*tables, "stores")},
            self.dropped,
        )


def _header_problems(source: Source) -> list[pd.DataFrame]:
    """Unknown columns (warnings) and missing required columns (errors), as the header of a file is judged."""
    spec = TABLES[source.table]
    found = []
    for k, extra in enumerate(source.columns):
        if spec.column(extra) is None:
            found.append(
                make_header_problem(
                    source.table,
                    source.file,
                    extra,
                    k + 1,
                    "unknown-column",
                    f"column {extra!r} is not part of {source.table} (ignored); columns: {', '.join(spec.names)}",
                    Level.warning,
                )
            )
    for col in spec.columns:
        if col.required and col.name not in source.columns:
            found.append(
                make_header_problem(
                    source.table, source.file, col.name, 1, "missing-column", f"required column {col.name!r} is missing"
                )
            )
    return found


def _file_problem(file: str, code: str, message: str, level: Level = Level.error) -> pd.DataFrame:
    return make_header_problem("", file, "", 1, code, message, level)


def _find_files(folder: Path, shown: str, session: Session, found: list) -> dict[str, Source]:
    sources: dict[str, Source] = {}
    for name, spec in TABLES.items():
        candidates = [folder / f"{name}.{ext}" for ext in EXTENSIONS if (folder / f"{name}.{ext}").is_file()]
        if len(candidates) > 1:
            found.append(
                _file_problem(
                    f"{shown}/{name}.csv",
                    "ambiguous-table",
                    f"{' and '.join(p.name for p in candidates)} all exist; keep one",
                )
            )
            continue
        if not candidates:
            if not spec.optional_file:
                found.append(
                    _file_problem(
                        f"{shown}/{name}.csv",
                        "missing-table",
                        f"no {name}.csv or {name}.parquet: metrics on {name} have no data",
                        Level.warning,
                    )
                )
            continue
        path = candidates[0]
        source = open_source(session, path, name, f"{shown}/{path.name}")
        found.extend(source.problems)
        source.problems = []
        sources[name] = source
    return sources


def _move_row_problems(session: Session, found: list[pd.DataFrame]) -> list[pd.DataFrame]:
    """Row problems found while reading (CSV damage, store bindings) join the problems table; file ones stay."""
    kept = []
    for frame in found:
        rows = frame[frame["row"] >= 0]
        if len(rows):
            part = pd.DataFrame(
                {
                    "tab": rows["table"].astype("str"),
                    "row": rows["row"].astype("int64"),
                    "col": rows["col"].astype("int32"),
                    "column_name": rows["column"].astype("str"),
                    "code": rows["code"].astype("str"),
                    "message": rows["message"].astype("str"),
                    "ref": pd.Series(pd.NA, index=rows.index, dtype="Int64"),
                }
            )
            session.con.register("_moved", part)
            session.con.execute(f"INSERT INTO {PROBLEMS_TABLE} SELECT * FROM _moved")
            session.con.unregister("_moved")
        if (frame["row"] < 0).any():
            kept.append(frame[frame["row"] < 0])
    return kept


def _bind_stores(session, sources, profiles, abstract, claims, memory_limit) -> tuple[pd.DataFrame, list]:
    """Validate the `stores` table in SQL like every table, then bind its rows to profiles (`compliance.storemap`)."""
    from servicekb.compliance.storemap import bind_stores

    source = sources.get("stores")
    if source is None or not source.readable:
        return bind_stores(None, "", LineMap(2), 1, profiles, abstract, claims)
    found = _header_problems(source)
    try:
        present = build_typed_view(session.con, source)
        collect_problems(session.con, source, present, set(abstract))
        cols = [f"v_{c} AS {c}" if c in present else f"NULL::VARCHAR AS {c}" for c in ("store_id", "profile")]
        rows = session.con.execute(f"SELECT _row, {', '.join(cols)} FROM typed_stores ORDER BY _row").df()
    except Exception as exc:  # reported, never raised
        found.append(_failure(source.file, exc, memory_limit))
        return (*bind_stores(None, "", LineMap(2), 1, profiles, abstract, claims)[:1], found)
    position = source.columns.index("profile") + 1 if "profile" in source.columns else 1
    stores, more = bind_stores(rows, source.file, source.lines, position, profiles, abstract, claims)
    return stores, found + more


def _failure(file: str, exc: Exception, memory_limit: str) -> pd.DataFrame:
    """A validation that could not finish: the file is damaged past its header, or the memory limit is too small."""
    import duckdb

    text = str(exc).strip().splitlines()
    first = text[0] if text else type(exc).__name__
    if isinstance(exc, duckdb.OutOfMemoryException):
        return _file_problem(
            file,
            "out-of-memory",
            f"validating it needs more than the memory limit {memory_limit}: raise --memory-limit",
        )
    return _file_problem(file, "unreadable-file", f"cannot read: {first}")


# Below this many rows, the zone-day table is cut to the days the data has (one more quick scan).
_SMALL = 5_000_000


def _fill_zone_days(session: Session, stores: pd.DataFrame, present: dict[str, list[str]], rows: int) -> None:
    """The zone-day table of the stores' zones (`compliance.zones`), cut to the data's local days when small."""
    days = build_zone_days(stores["timezone"].dropna().unique())
    if rows <= _SMALL and len(days):
        bounds = [b for t, cols in present.items() if (b := _day_range(session, t, cols)) is not None]
        if not bounds:
            return
        low = pd.Timestamp(min(b[0] for b in bounds)).normalize() - pd.Timedelta(days=1)
        high = pd.Timestamp(max(b[1] for b in bounds)).normalize() + pd.Timedelta(days=1)
        days = days[(days["day"] >= low) & (days["day"] <= high)]
    session.con.register("_days", days)
    session.con.execute("INSERT INTO zone_days SELECT * FROM _days")
    session.con.unregister("_days")


def _day_range(session: Session, table: str, cols: list[str]):
    try:
        return local_day_range(session.con, table, cols)
    except Exception:  # an unreadable file is reported by its validation; the range then stays whole
        return (pd.Timestamp("1899-12-30"), pd.Timestamp("2201-01-01"))


def read_folder(
    folder: Path,
    profiles: Mapping[str, str],
    abstract: Collection[str] = (),
    *,
    drop_invalid: bool = False,
    display: str | None = None,
    claims: Mapping[str, str] | None = None,
    memory_limit: str = "2GB",
    threads: int | None = None,
    temp_root: Path | None = None,
) -> DuckDataset:
    """Read and validate every table of a data folder in DuckDB (arguments as `compliance.data.read_dataset`).

    `memory_limit` bounds DuckDB's memory (it spills to a temporary folder
    under `temp_root` beyond it); `threads` defaults to the cores.
    """
    shown = display if display is not None else folder.as_posix()
    session = Session(memory_limit, threads, temp_root)
    try:
        found: list[pd.DataFrame] = []
        sources = _find_files(folder, shown, session, found)
        if not any(s.readable for s in sources.values()) and not any(
            f["code"].iloc[0] in ("ambiguous-table", "unreadable-file", "not-utf8") for f in found
        ):
            found.append(
                _file_problem(
                    f"{shown}/",
                    "no-data",
                    "no table found (tickets, surveys, store_periods, training as .csv or .parquet)",
                )
            )
        return _validate(session, sources, found, profiles, abstract, claims, drop_invalid, memory_limit)
    except BaseException:
        session.close()
        raise


def read_frames(
    frames: Mapping[str, pd.DataFrame],
    profiles: Mapping[str, str],
    abstract: Collection[str] = (),
    *,
    drop_invalid: bool = False,
    claims: Mapping[str, str] | None = None,
    memory_limit: str = "2GB",
) -> DuckDataset:
    """Validate tables already in memory (benchmarks, notebooks) as files are; rows are numbered from 1."""
    session = Session(memory_limit)
    try:
        sources = {name: frame_source(session, frame, name, f"<{name}>") for name, frame in frames.items()}
        found = [p for s in sources.values() for p in s.problems]
        return _validate(session, sources, found, profiles, abstract, claims, drop_invalid, memory_limit)
    except BaseException:
        session.close()
        raise


def _validate(session, sources, found, profiles, abstract, claims, drop_invalid, memory_limit) -> DuckDataset:
    """Bind the stores, validate every table in SQL and gather the problems."""
    create_problems_table(session.con)
    session.con.execute("CREATE TABLE known_stores (store_id VARCHAR, timezone VARCHAR)")
    session.con.execute(
        "CREATE TABLE zone_days (zone VARCHAR, day DATE, off_before BIGINT, off_after BIGINT,"
        " bad_from TIMESTAMP, bad_to TIMESTAMP)"
    )
    stores, more = _bind_stores(session, sources, profiles, abstract, claims or {}, memory_limit)
    found += more
    session.con.register("_stores", stores[["store_id", "timezone"]])
    session.con.execute("INSERT INTO known_stores SELECT store_id, timezone FROM _stores")
    session.con.unregister("_stores")
    present: dict[str, list[str]] = {}
    for name, source in sources.items():
        if name == "stores" or not source.readable:
            continue
        found += _header_problems(source)
        present[name] = build_typed_view(session.con, source)
    _fill_zone_days(session, stores, present, sum(s.rows for s in sources.values()))
    for name in list(present):
        source = sources[name]
        try:
            clean = collect_problems(session.con, source, present[name], set(abstract))
            build_values_view(session.con, source, clean)
        except Exception as exc:  # a file damaged past its header (a corrupt Parquet page): reported, never raised
            present.pop(name, None)
            found.append(_failure(source.file, exc, memory_limit))
    kept = _move_row_problems(session, found)
    file_problems = pd.concat(kept, ignore_index=True) if kept else pd.DataFrame(columns=PROBLEM_COLUMNS)
    rows_read = {t: s.rows for t, s in sources.items() if s.readable}
    return DuckDataset(session, sources, stores, present, file_problems, drop_invalid, rows_read)
