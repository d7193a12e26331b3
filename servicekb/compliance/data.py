"""Reading operational data (CSV or Parquet, one folder) into typed, validated tables.

`read_dataset(folder, profiles)` reads `<table>.csv` or `<table>.parquet`
for each table of `compliance.tables`, converts every column to its type
(timestamps to UTC; a timestamp without offset is in its store's timezone),
then validates the rows (`compliance.validate`). Every bad cell becomes a
problem with file, line and column; rows with errors are dropped only when
asked (`drop_invalid`), otherwise the dataset is not `ok` and must not be
scored. `validate_frames` does the same for frames already in memory.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from servicekb.compliance.csvread import read_csv_table
from servicekb.compliance.parse import PROBLEM_COLUMNS, line_of, make_header_problem, make_problems, parse_table
from servicekb.compliance.tables import TABLES
from servicekb.issues import Issue, Level

__all__ = ["Dataset", "bind_stores", "categorise_table", "read_dataset", "validate_frames"]


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
        frame = self.problems.sort_values(["file", "line", "col", "code"], kind="stable")
        if limit is not None:
            frame = frame.head(limit)
        return [
            Issue(r.file, int(r.line), int(r.col), r.code, r.message, r.column, Level(r.level))
            for r in frame.itertuples(index=False)
        ]


def _read(path: Path, table: str, file: str) -> tuple[pd.DataFrame | None, int | np.ndarray, list[pd.DataFrame]]:
    """The table's cells, the line of its rows (an array of physical lines for CSV) and the problems of reading."""
    if path.suffix == ".parquet":
        return pd.read_parquet(path), 1, []
    if path.suffix == ".xlsx":
        # The first sheet, typed as Excel stores it (dates as dates); empty cells are missing values.
        return pd.read_excel(path, sheet_name=0, engine="openpyxl"), 2, []
    # Everything as text: types are converted (and reported) by `parse_table`.
    read = read_csv_table(path, table, file)
    return read.frame, read.lines, read.problems


def _file_problem(file: str, code: str, message: str, level: Level = Level.error) -> pd.DataFrame:
    return make_header_problem("", file, "", 1, code, message, level)


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


def read_dataset_pandas(
    folder: Path,
    profiles: Mapping[str, str],
    abstract: Collection[str] = (),
    *,
    drop_invalid: bool = False,
    display: str | None = None,
    claims: Mapping[str, str] | None = None,
) -> Dataset:
    """Read and validate every table of a data folder.

    Args:
        folder: the data folder.
        profiles: timezone of every scorable (non-abstract) store profile, by id.
        abstract: ids of abstract profiles (named in messages: they are never scored).
        drop_invalid: drop rows with errors instead of refusing to score.
        display: how the folder is named in messages (default: as given).
        claims: data store id -> the profile that names it in `data_store_ids` (`find_data_claims`).
    """
    shown = display if display is not None else folder.as_posix()
    frames: dict[str, pd.DataFrame] = {}
    files: dict[str, str] = {}
    first_line: dict[str, int | np.ndarray] = {}
    found: list[pd.DataFrame] = []
    for name, spec in TABLES.items():
        candidates = [
            folder / f"{name}.{ext}" for ext in ("csv", "parquet", "xlsx") if (folder / f"{name}.{ext}").is_file()
        ]
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
        file = f"{shown}/{path.name}"
        try:
            frame, lines, problems = _read(path, name, file)
        except Exception as exc:  # any reader failure is the user's file, reported, never a traceback
            found.append(
                _file_problem(
                    file,
                    "unreadable-file",
                    f"cannot read: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}",
                )
            )
            continue
        found.extend(problems)
        if frame is None:
            continue
        frames[name], first_line[name] = frame, lines
        files[name] = file
    if not frames and not any(p["code"].iloc[0] in ("ambiguous-table", "unreadable-file", "not-utf8") for p in found):
        found.append(
            _file_problem(
                f"{shown}/", "no-data", "no table found (tickets, surveys, store_periods, training as .csv or .parquet)"
            )
        )
    return _build(frames, files, first_line, profiles, abstract, drop_invalid, found, claims or {})


def validate_frames(
    frames: Mapping[str, pd.DataFrame],
    profiles: Mapping[str, str],
    abstract: Collection[str] = (),
    *,
    drop_invalid: bool = False,
    claims: Mapping[str, str] | None = None,
) -> Dataset:
    """Validate tables already in memory (benchmarks, notebooks); rows are numbered from 1."""
    files = {name: f"<{name}>" for name in frames}
    return _build(dict(frames), files, {name: 1 for name in frames}, profiles, abstract, drop_invalid, [], claims or {})


def bind_stores(
    frames: dict[str, pd.DataFrame],
    files: dict[str, str],
    first_line: dict[str, int | np.ndarray],
    profiles: Mapping[str, str],
    abstract: Collection[str],
    claims: Mapping[str, str],
) -> tuple[pd.DataFrame, list[pd.DataFrame]]:
    """store_id -> profile -> timezone: named explicitly, never by order.

    A profile's `data_store_ids` bind those data stores to it; the optional
    `stores` table binds more. A row of the table that maps a claimed id to
    another profile is an error (`store-binding-conflict`). Without either,
    a store id equal to a profile id is scored against that profile.
    """
    from servicekb.compliance.validate import validate_table

    bound = {s: p for s, p in claims.items() if p in profiles}
    if "stores" not in frames:
        ids = sorted(set(bound) | {p for p in profiles if p not in claims})
        prof = [bound.get(i, i) for i in ids]
        return pd.DataFrame({"store_id": ids, "profile": prof, "timezone": [profiles[p] for p in prof]}), []
    raw, file, line = frames["stores"], files["stores"], first_line["stores"]
    typed, found = parse_table("stores", raw, file, {}, line)
    found.append(validate_table("stores", typed, file, (), line, raw))
    known = typed["profile"].isin(list(profiles)) | typed["profile"].isna()
    bad = typed.index[~known.to_numpy()]
    col = list(raw.columns).index("profile") + 1 if "profile" in raw.columns else 1
    if len(bad):
        names = typed.loc[bad, "profile"].astype("str")
        why = names.map(
            lambda p: "is an abstract profile, never scored" if p in abstract else "is not a profile in stores/"
        )
        found.append(
            make_problems("stores", file, line, bad, "profile", col, "unknown-profile", "'" + names + "' " + why)
        )
    ids, names = typed["store_id"].astype("str"), typed["profile"].astype("str")
    owner = ids.map(lambda s: claims.get(s, ""))
    clash = typed["store_id"].notna() & typed["profile"].notna() & (owner != "") & (owner != names)
    if clash.any():
        rows = typed.index[clash.to_numpy()]
        msg = (
            "'"
            + ids[clash]
            + "' is mapped to '"
            + names[clash]
            + "' but stores/"
            + owner[clash]
            + ".yaml names it in data_store_ids: one data store, one profile"
        )
        found.append(make_problems("stores", file, line, rows, "profile", col, "store-binding-conflict", msg))
    good = typed.loc[known & ~clash & typed["profile"].notna() & typed["store_id"].notna()].drop_duplicates("store_id")
    table = dict(zip(good["store_id"].astype("str"), good["profile"].astype("str"), strict=False))
    merged = {**table, **bound}
    stores = pd.DataFrame({"store_id": sorted(merged), "profile": [merged[s] for s in sorted(merged)]})
    stores["timezone"] = stores["profile"].map(dict(profiles))
    return stores, found


def _build(
    frames: dict[str, pd.DataFrame],
    files: dict[str, str],
    first_line: dict[str, int | np.ndarray],
    profiles: Mapping[str, str],
    abstract: Collection[str],
    drop_invalid: bool,
    found: list[pd.DataFrame],
    claims: Mapping[str, str],
) -> Dataset:
    from servicekb.compliance.validate import validate_table

    stores, more = bind_stores(frames, files, first_line, profiles, abstract, claims)
    found += more
    tz_of = dict(zip(stores["store_id"], stores["timezone"], strict=False))
    tables: dict[str, pd.DataFrame] = {}
    rows_read: dict[str, int] = {name: len(frames[name]) for name in ("stores",) if name in frames}
    for name, raw in frames.items():
        if name == "stores":
            continue
        rows_read[name] = len(raw)
        typed, parsed = parse_table(name, raw, files[name], tz_of, first_line[name])
        checked = validate_table(name, typed, files[name], set(tz_of), first_line[name], raw, abstract)
        found += [*parsed, checked]
        tables[name] = typed
    report = (
        pd.concat([f for f in found if len(f)], ignore_index=True)
        if any(len(f) for f in found)
        else pd.DataFrame(columns=PROBLEM_COLUMNS)
    )
    errors = report[(report["level"] == Level.error.value) & (report["row"] >= 0)]
    invalid = {name: int(errors.loc[errors["table"] == name, "row"].nunique()) for name in (*tables, "stores")}
    if drop_invalid:
        for name in tables:
            rows = errors.loc[errors["table"] == name, "row"].unique()
            if len(rows):
                tables[name] = tables[name].drop(index=rows)
    for name, frame in tables.items():
        tables[name] = categorise_table(name, frame)
    columns = {name: tuple(str(c) for c in frames[name].columns) for name in frames}
    return Dataset(tables, stores, files, first_line, report, columns, rows_read, invalid, drop_invalid)


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
