"""Reading operational data on Spark: Parquet paths or catalogue tables as validated `Relations`.

`read_spark(session, source, profiles, ...)` finds each table of
`servicekb.datatables` as `<source>/<table>.parquet` (one file, or a folder of
part files; any path Spark reads: a local folder, hdfs://, s3a://, ...) or,
for a source `catalog:DB`, as the catalogue table `DB.<table>`. Every column
is typed by its `ColumnSpec` as `compliance.parse` types it for pandas
(timestamps to naive UTC, a timestamp without offset in its store's zone)
and every row is checked by the rules of `compliance.validate`, in Spark:
only the first `limit` problems of each rule are brought back (located by
file, row and column), the rest are counted. `_row` is the row's position
in its file (Parquet's own row index); in a folder of part files, the
position across the files in name order.
"""

from __future__ import annotations

import itertools
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from servicekb.compliance.checkrules import (
    FALSE,
    NON_FINITE,
    OFFSET,
    PERIOD,
    TRUE,
    Template,
    column_codes,
    message,
    quote_cells,
    store_message,
    table_rules,
    value_range,
)
from servicekb.compliance.parse import EARLIEST, LATEST, PROBLEM_COLUMNS, make_header_problem, problem_issues
from servicekb.compliance.relations import Relations
from servicekb.compliance.storemap import bind_stores
from servicekb.datatables import TABLES, ColumnSpec, TableSpec
from servicekb.issues import Issue, Level

__all__ = ["CATALOG_PREFIX", "SparkData", "read_spark"]

CATALOG_PREFIX = "catalog:"
_views = itertools.count(1)
_backends: dict[int, object] = {}


@dataclass
class SparkData:
    """The tables read on Spark, every problem counted and the first of each rule located.

    `problems` holds at most `limit` problems per rule (PROBLEM_COLUMNS);
    `counts` every problem per (table, code, column, level) as `n`.
    `relations` is None when the data cannot be scored (errors not dropped).
    """

    relations: Relations | None
    problems: pd.DataFrame
    counts: pd.DataFrame
    files: dict[str, str]
    rows_read: dict[str, int] = field(default_factory=dict)
    invalid_rows: dict[str, int] = field(default_factory=dict)
    dropped: bool = False

    @property
    def errors(self) -> int:
        """Number of error problems (warnings excluded), all of them, not only those located."""
        return int(self.counts.loc[self.counts["level"] == Level.error.value, "n"].sum())

    @property
    def ok(self) -> bool:
        """Whether the tables may be scored: no errors, or only row errors whose rows were dropped."""
        errors = self.problems[self.problems["level"] == Level.error.value]
        if (errors["row"] < 0).any():
            return False
        return self.errors == 0 or self.dropped

    def issues(self, limit: int | None = None) -> list[Issue]:
        """The first problems by file, line and column, as issues."""
        return problem_issues(self.problems, limit)

    def hidden(self, limit: int) -> dict[str, int]:
        """Per code, how many problems `issues(limit)` does not show."""
        shown = pd.Series([i.code for i in self.issues(limit)], dtype="str").value_counts()
        total = self.counts.groupby("code")["n"].sum()
        rest = (total - shown.reindex(total.index, fill_value=0)).astype("int64")
        return {str(c): int(n) for c, n in rest.items() if n > 0}


def _backend(session):
    import ibis

    key = id(session)
    if key not in _backends:
        _backends[key] = ibis.pyspark.connect(session)
    return _backends[key]


def _problem_frame(rows: list[dict]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=PROBLEM_COLUMNS) if rows else pd.DataFrame(columns=PROBLEM_COLUMNS)


def _header(table: str, file: str, column: str, col: int, code: str, message: str, level=Level.error) -> dict:
    return make_header_problem(table, file, column, col, code, message, level).iloc[0].to_dict()


def _location(session, source: str) -> str:
    """The Hadoop path of a source folder: a local folder as an absolute file: URI, any URI as given."""
    from pathlib import Path

    if "://" in source or source.startswith("file:"):
        return source.rstrip("/")
    local = Path(source)
    return local.resolve().as_uri() if local.exists() else source.rstrip("/")


def _exists(session, path: str) -> bool:
    jvm = session._jvm
    hpath = jvm.org.apache.hadoop.fs.Path(path)
    return bool(hpath.getFileSystem(session._jsc.hadoopConfiguration()).exists(hpath))


def _first_line(exc: Exception) -> str:
    text = str(exc).strip()
    for line in text.splitlines():
        if line.strip() and not line.startswith(("JVM stacktrace", "\tat ")):
            return line.strip()[:300]
    return type(exc).__name__


def _open(session, source: str, name: str, shown: str):
    """(Spark frame with `_pos` and `_file`, file shown in messages, problems) of one table, or (None, ...)."""
    from pyspark.sql import functions as F

    if source.startswith(CATALOG_PREFIX):
        db = source[len(CATALOG_PREFIX) :]
        qualified = f"{db}.{name}" if db else name
        file = qualified
        if not session.catalog.tableExists(qualified):
            return None, file, []
        frame = session.table(qualified)
    else:
        base = _location(session, source)
        file = f"{shown}/{name}.parquet"
        path = f"{base}/{name}.parquet"
        if not _exists(session, path):
            others = [ext for ext in ("csv", "xlsx") if _exists(session, f"{base}/{name}.{ext}")]
            if others:
                return (
                    None,
                    file,
                    [
                        _header(
                            name,
                            f"{shown}/{name}.{others[0]}",
                            "",
                            1,
                            "not-parquet",
                            f"the Spark engine reads Parquet: write {name} as {name}.parquet, "
                            "or score with --engine duckdb",
                        )
                    ],
                )
            return None, file, []
        frame = session.read.parquet(path)
    try:
        located = frame.select(
            "*", F.col("_metadata.row_index").alias("_pos"), F.col("_metadata.file_path").alias("_file")
        )
    except Exception:  # a view or a non-file source: no row position to locate a problem by
        return (
            None,
            file,
            [
                _header(
                    name,
                    file,
                    "",
                    1,
                    "unreadable-file",
                    f"{file} is not stored in files (a view or an external source): rows cannot be located; "
                    "store it as a Parquet table",
                )
            ],
        )
    return located, file, []


def _nanos(session, frame) -> dict[str, bool]:
    """Columns holding Parquet nanosecond timestamps (read as numbers) -> whether they are UTC instants.

    Read from the first file's footer: pandas and pyarrow write nanoseconds,
    `isAdjustedToUTC` tells an instant from a wall-clock (store-local) time.
    """
    files = frame.inputFiles()
    if not files:
        return {}
    jvm = session._jvm
    path = jvm.org.apache.hadoop.fs.Path(files[0])
    handle = jvm.org.apache.parquet.hadoop.util.HadoopInputFile.fromPath(path, session._jsc.hadoopConfiguration())
    reader = jvm.org.apache.parquet.hadoop.ParquetFileReader.open(handle)
    try:
        schema = reader.getFooter().getFileMetaData().getSchema()
    finally:
        reader.close()
    out = {}
    for f in schema.getFields():
        note = f.getLogicalTypeAnnotation()
        text = str(note.toString()) if note is not None else ""
        if text.startswith("TIMESTAMP(NANOS"):
            out[str(f.getName())] = text.endswith("true)")
    return out


def _positions(frame):
    """`_row`: the position in the file, or across a folder's part files in name order."""
    from pyspark.sql import functions as F

    if len(frame.inputFiles()) <= 1:  # one file (the usual case): its row index, without a job
        return frame.withColumn("_row", F.col("_pos"))
    counts = sorted((r["_file"], r["count"]) for r in frame.groupBy("_file").count().collect())
    session = frame.sparkSession
    offsets, total = [], 0
    for path, n in counts:
        offsets.append((path, total))
        total += n
    table = session.createDataFrame(offsets, "_file string, _offset long")
    return frame.join(F.broadcast(table), "_file", "left").withColumn("_row", F.col("_pos") + F.col("_offset"))


def _text(src, dtype):
    from pyspark.sql import functions as F
    from pyspark.sql.types import StringType

    s = src if isinstance(dtype, StringType) else src.cast("string")
    return F.nullif(F.trim(s), F.lit(""))


def _outside(value):
    from pyspark.sql import functions as F

    low = F.lit(EARLIEST.to_pydatetime()).cast("timestamp_ntz")
    high = F.lit(LATEST.to_pydatetime()).cast("timestamp_ntz")
    return value.isNotNull() & ((value < low) | (value > high))


def _timestamp(src, dtype, tz):
    """(naive UTC timestamp, empty, wrong, {code: mask}) or None when the column's type cannot hold one."""
    from pyspark.sql import functions as F
    from pyspark.sql import types as T

    none = F.lit(False)
    zone = F.coalesce(tz, F.lit("UTC"))
    if isinstance(dtype, T.TimestampType):
        aware, naive, empty, offset = (
            src.cast("timestamp_ntz"),
            F.lit(None).cast("timestamp_ntz"),
            src.isNull(),
            F.lit(True),
        )
    elif isinstance(dtype, T.TimestampNTZType | T.DateType):
        aware, naive, empty, offset = F.lit(None).cast("timestamp_ntz"), src.cast("timestamp_ntz"), src.isNull(), none
    elif isinstance(dtype, T.StringType):
        s = _text(src, dtype)
        offset = F.coalesce(s.rlike(OFFSET), none)
        aware = F.when(offset, s.try_cast("timestamp").cast("timestamp_ntz"))
        naive = F.when(~offset, s.try_cast("timestamp_ntz"))
        empty = s.isNull()
    else:
        return None
    far = _outside(aware) | _outside(naive)
    instant = F.to_utc_timestamp(naive.cast("timestamp"), zone)
    hour = F.expr("INTERVAL 1 HOUR")

    def back(u):
        return F.from_utc_timestamp(u, zone).cast("timestamp_ntz")

    bad_local = (
        naive.isNotNull()
        & tz.isNotNull()
        & ~far
        & ((back(instant) != naive) | (back(instant + hour) == naive) | (back(instant - hour) == naive))
    )
    local = instant.cast("timestamp_ntz")
    out = F.when(far | bad_local, F.lit(None).cast("timestamp_ntz")).otherwise(F.when(offset, aware).otherwise(local))
    wrong = ~empty & out.isNull() & ~bad_local & ~far
    return out, empty, wrong, {"bad-local-time": bad_local, "out-of-range-time": far}


def _number(src, dtype, integer: bool):
    from pyspark.sql import functions as F
    from pyspark.sql import types as T

    if isinstance(dtype, T.NumericType):
        v = src.cast("double")
        empty = src.isNull() | F.isnan(v)
        infinite = v.isNotNull() & ~F.isnan(v) & (F.abs(v) == F.lit(float("inf")))
        wrong = F.lit(False)
    elif isinstance(dtype, T.StringType):
        s = _text(src, dtype)
        v = s.try_cast("double")
        empty = s.isNull()
        infinite = F.coalesce(s.rlike("(?i)" + NON_FINITE), F.lit(False)) | (
            v.isNotNull() & (F.isnan(v) | (F.abs(v) == F.lit(float("inf"))))
        )
        wrong = ~empty & v.isNull() & ~infinite
    else:
        return None
    finite = F.when(~infinite & ~F.isnan(v), v)
    if integer:
        wrong = wrong | (finite.isNotNull() & (finite % 1 != 0))
        return F.when(~wrong, finite).cast("bigint"), empty, wrong, {"non-finite-number": infinite}
    return finite, empty, wrong, {"non-finite-number": infinite}


def _bool(src, dtype):
    from pyspark.sql import functions as F
    from pyspark.sql import types as T

    if isinstance(dtype, T.BooleanType):
        return src, src.isNull(), F.lit(False), {}
    if not isinstance(dtype, T.StringType | T.IntegralType):
        return None
    low = F.lower(_text(src, dtype))
    out = F.when(low.isin(*TRUE), True).when(low.isin(*FALSE), False).cast("boolean")
    return out, low.isNull(), low.isNotNull() & out.isNull(), {}


def _date(src, dtype):
    from pyspark.sql import functions as F
    from pyspark.sql import types as T

    if isinstance(dtype, T.DateType | T.TimestampType | T.TimestampNTZType):
        naive = src.cast("timestamp_ntz")
        empty = src.isNull()
        wrong = F.lit(False)
    elif isinstance(dtype, T.StringType):
        s = _text(src, dtype)
        naive = F.when(s.rlike(r"^\d{4}-\d{2}-\d{2}$"), F.try_to_timestamp(s, F.lit("yyyy-MM-dd"))).cast(
            "timestamp_ntz"
        )
        empty = s.isNull()
        wrong = ~empty & naive.isNull()
    else:
        return None
    far = _outside(naive)
    return F.when(~far, F.to_date(naive)), empty, wrong, {"out-of-range-time": far}


def _convert(spec: ColumnSpec, src, dtype, tz):
    """(typed column, empty, {code: check}) of a cell; None for a stored type that cannot hold the column's.

    The checks are those of the cell as stored (`checkrules.column_codes` says which a column has): a code
    that cannot occur (a typed column has no wrong type) has none.
    """
    from pyspark.sql import functions as F
    from pyspark.sql import types as T

    convert = {"timestamp": lambda: _timestamp(src, dtype, tz), "bool": lambda: _bool(src, dtype)}
    convert["date"] = lambda: _date(src, dtype)
    convert["number"] = convert["integer"] = lambda: _number(src, dtype, spec.type == "integer")
    if spec.type in convert:
        got = convert[spec.type]()
        return None if got is None else (got[0], got[1], {"wrong-type": got[2], **got[3]})
    if not isinstance(dtype, T.StringType | T.NumericType | T.BooleanType):
        return None
    s = _text(src, dtype)
    empty = s.isNull()
    if spec.type == "period":
        return s, empty, {"wrong-type": ~empty & ~F.coalesce(s.rlike(PERIOD), F.lit(False))}
    if spec.type == "enum" and spec.aliases:
        mapped = F.when(F.lit(False), s)
        for alias, value in spec.aliases:
            mapped = mapped.when(s == alias, F.lit(value))
        s = mapped.otherwise(s)
    return s, empty, {}


def _outside_range(col: ColumnSpec, value):
    """Whether a typed value lies outside the column's range (`checkrules.value_range`)."""
    from pyspark.sql import functions as F

    compare = {"<": lambda v, x: v < x, "<=": lambda v, x: v <= x, ">": lambda v, x: v > x}
    bad = F.lit(False)
    for op, limit in value_range(col).fails:
        bad = bad | compare[op](value, limit)
    return value.isNotNull() & F.coalesce(bad, F.lit(False))


@dataclass
class _Rule:
    """One check of one table: its mask column, where it points and how its message reads."""

    code: str
    column: str
    mask: str
    message: Template
    shown: tuple[str, ...] = ()
    level: Level = Level.error
    first: str | None = None


def _check_table(
    name: str, frame, file: str, zones, known: Collection[str], abstract: Collection[str], nanos: Mapping[str, bool]
):
    """(frame with typed `_t_*` columns and one mask per rule, rules, header problems)."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F
    from pyspark.sql import types as T

    spec: TableSpec = TABLES[name]
    raw = [c for c in frame.columns if c not in ("_pos", "_file", "_row", "_offset")]
    position = {c: i + 1 for i, c in enumerate(raw)}
    header: list[dict] = []
    for extra in [c for c in raw if spec.column(c) is None]:
        header.append(
            _header(
                name,
                file,
                extra,
                position[extra],
                "unknown-column",
                f"column {extra!r} is not part of {name} (ignored); columns: {', '.join(spec.names)}",
                Level.warning,
            )
        )
    if "store_id" in raw and zones is not None:
        frame = frame.withColumn("_store", _text(F.col("`store_id`"), frame.schema["store_id"].dataType))
        frame = frame.join(F.broadcast(zones), "_store", "left")
    else:
        frame = frame.withColumn("_tz", F.lit(None).cast("string"))
    tz = F.col("_tz")
    rules: list[_Rule] = []
    columns: list[str] = []
    typed, empties, checks = {}, {}, {}
    masks = {}

    def rule(code: str, column: str, mask, template: Template, shown=(), first=None) -> None:
        key = f"_m{len(rules)}"
        masks[key] = F.coalesce(mask, F.lit(False))
        rules.append(_Rule(code, column, key, template, tuple(shown) or (column,), first=first))

    for col in spec.columns:
        if col.name not in raw:
            if col.required:
                header.append(
                    _header(name, file, col.name, 1, "missing-column", f"required column {col.name!r} is missing")
                )
            continue
        dtype = frame.schema[col.name].dataType
        src = F.col(f"`{col.name}`")
        if col.name in nanos and isinstance(dtype, T.LongType):
            src = F.expr(f"timestamp_micros(div(`{col.name}`, 1000))")
            if nanos[col.name]:
                dtype = T.TimestampType()
            else:
                src, dtype = src.cast("timestamp_ntz"), T.TimestampNTZType()
        got = _convert(col, src, dtype, tz)
        if got is None:
            header.append(
                _header(
                    name,
                    file,
                    col.name,
                    position[col.name],
                    "wrong-type",
                    f"column {col.name!r} holds {dtype.simpleString()}, which cannot be {col.type}",
                )
            )
            continue
        out, empties[col.name], checks[col.name] = got
        columns.append(col.name)
        if col.default is not None:
            out = F.coalesce(out, F.lit(col.default))
        typed[col.name] = out
    frame = frame.select("*", *[typed[c].alias(f"_t_{c}") for c in columns])
    for c in columns:
        col = spec.column(c)
        value = F.col(f"_t_{c}")
        found = checks[c]
        if col.type == "store":
            found["unknown-store"] = value.isNotNull() & ~value.isin(*sorted(known))
        if col.type == "enum":
            found["bad-value"] = value.isNotNull() & ~value.isin(*col.values)
        bounds = value_range(col)
        if bounds is not None:
            found[bounds.code] = _outside_range(col, value)
        # A cell gets the first code that holds, in the order `checkrules.column_codes` decides them; an empty
        # cell is `missing-value` when a value is required, and has no other problem.
        earlier = empties[c]
        for code in column_codes(col):
            if code == "missing-value":
                rule(code, c, empties[c], message(code, col), shown=("",))
            elif code in found:
                check = F.coalesce(found[code], F.lit(False))
                rule(code, c, check & ~earlier, message(code, col))
                earlier = earlier | check
    for r in table_rules(spec, columns):
        if r.kind == "unique":
            value = F.col(f"_t_{r.column}")
            by = Window.partitionBy(value).orderBy("_row")
            first = f"_first_{r.column}"
            frame = frame.withColumn(first, F.when(value.isNotNull(), F.first("_row").over(by)))
            rule(r.code, r.column, value.isNotNull() & (F.col(first) != F.col("_row")), r.message, first=first)
        elif r.kind == "key":
            by = Window.partitionBy(*[F.col(f"_t_{k}") for k in r.shown]).orderBy("_row")
            frame = frame.withColumn("_first_key", F.first("_row").over(by))
            present = F.lit(True)
            for k in r.shown:
                present = present & F.col(f"_t_{k}").isNotNull()
            rule(r.code, r.column, present & (F.col("_first_key") != F.col("_row")), r.message, shown=r.shown)
        else:
            a, b = (F.col(f"_t_{c}") for c in r.shown)
            broken = {"<": lambda x, y: x < y, ">": lambda x, y: x > y}[r.op](a, b)
            rule(r.code, r.column, broken, r.message, r.shown)
    frame = frame.select("*", *[m.alias(k) for k, m in masks.items()])
    return frame, rules, columns, header, position, abstract


def _located(name, frame, rules, hit: dict[str, int], file, position, limit: int, abstract) -> list[pd.DataFrame]:
    """The first `limit` problems of every rule that has any, with their messages."""
    from pyspark.sql import functions as F

    out = []
    for r in rules:
        if not hit.get(r.mask) or limit <= 0:
            continue
        shown = [c for c in r.shown if c]
        cols = ["_row", "_tz", *[F.col(f"`{c}`").cast("string").alias(f"_s{i}") for i, c in enumerate(shown)]]
        if r.first:
            cols.append(F.col(r.first).alias("_first"))
        if r.code == "unknown-store":
            cols.append(F.col(f"_t_{r.column}").alias("_id"))
        rows = frame.where(F.col(r.mask)).orderBy("_row").select(*cols).limit(limit).toPandas()
        if rows.empty:
            continue
        quoted = [quote_cells(rows[f"_s{i}"]) for i in range(len(shown))]
        fields = {"zone": rows["_tz"]}
        if quoted:
            fields["cell"] = quoted[0]
            fields["cells"] = quoted[0].str.cat(quoted[1:], sep=", ") if len(quoted) > 1 else quoted[0]
            fields["other"] = quoted[-1]
        if r.first:
            fields["first"] = rows["_first"].astype("int64") + 1
        text = r.message.frame(rows.index, **fields)
        if r.code == "unknown-store":
            named = store_message(abstract=True).frame(rows.index, **fields)
            text = text.where(~rows["_id"].isin(list(abstract)), named)
        n = len(rows)
        out.append(
            pd.DataFrame(
                {
                    "file": [file] * n,
                    "line": rows["_row"].astype("int64").to_numpy() + 1,
                    "col": [position.get(r.column, 1)] * n,
                    "column": [r.column] * n,
                    "code": [r.code] * n,
                    "message": text.to_numpy(),
                    "level": [r.level.value] * n,
                    "table": [name] * n,
                    "row": rows["_row"].astype("int64").to_numpy(),
                },
                columns=PROBLEM_COLUMNS,
            )
        )
    return out


def _measure(name, frame, file, zones, known, abstract, nanos, limit):
    """Type and check one table: (typed frame with `_bad`, columns, header problems, located problems, counts,
    rows read, invalid rows, column positions)."""
    from pyspark.sql import functions as F

    typed, rules, columns, head, position, _ = _check_table(name, frame, file, zones, known, abstract, nanos)
    any_bad = F.lit(False)
    for r in rules:
        any_bad = any_bad | F.col(r.mask)
    typed = typed.withColumn("_bad", any_bad)
    sums = typed.agg(
        F.count(F.lit(1)).alias("_n"),
        F.sum(F.col("_bad").cast("int")).alias("_bad"),
        *[F.sum(F.col(r.mask).cast("int")).alias(r.mask) for r in rules],
    ).collect()[0]
    hit = {r.mask: int(sums[r.mask] or 0) for r in rules}
    counted = [
        {"table": name, "code": r.code, "column": r.column, "level": r.level.value, "n": hit[r.mask]}
        for r in rules
        if hit[r.mask]
    ]
    located = _located(name, typed, rules, hit, file, position, limit, abstract)
    return typed, columns, head, located, counted, int(sums["_n"]), int(sums["_bad"] or 0), position


def read_spark(
    session,
    source: str,
    profiles: Mapping[str, str],
    abstract: Collection[str] = (),
    *,
    drop_invalid: bool = False,
    display: str | None = None,
    claims: Mapping[str, str] | None = None,
    limit: int = 200,
) -> SparkData:
    """Read, type and check every table of `source` on `session`.

    Args:
        session: a Spark session in UTC (`compliance.spark.start_spark`).
        source: a folder or URI holding `<table>.parquet`, or `catalog:DB` for the catalogue's tables `DB.<table>`.
        profiles: timezone of every scorable (non-abstract) store profile, by id.
        abstract: ids of abstract profiles (named in messages: they are never scored).
        drop_invalid: drop rows with errors instead of refusing to score.
        display: how the source is named in messages (default: as given).
        claims: data store id -> the profile that names it in `data_store_ids`.
        limit: located problems brought back per rule (all are counted).
    """
    from pyspark.sql import functions as F

    shown = display if display is not None else source.rstrip("/")
    found: list[pd.DataFrame] = []
    header: list[dict] = []
    opened, files, nanos = {}, {}, {}
    for name in TABLES:
        try:
            frame, file, problems = _open(session, source, name, shown)
            if frame is not None:
                nanos[name] = _nanos(session, frame)
                frame = _positions(frame)
        except Exception as exc:  # Spark cannot read the file: the user's data, reported, never a traceback
            header.append(
                _header(name, f"{shown}/{name}.parquet", "", 1, "unreadable-file", f"cannot read: {_first_line(exc)}")
            )
            continue
        header.extend(problems)
        if frame is None:
            if not problems and not TABLES[name].optional_file:
                header.append(
                    _header(
                        name,
                        file,
                        "",
                        1,
                        "missing-table",
                        f"no {file}: metrics on {name} have no data",
                        Level.warning,
                    )
                )
            continue
        opened[name], files[name] = frame, file
    if not opened and not any(h["code"] in ("unreadable-file", "not-parquet") for h in header):
        header.append(
            _header(
                "",
                f"{shown}/",
                "",
                1,
                "no-data",
                "no table found (tickets, surveys, store_periods, training as .parquet)",
            )
        )
    counted: list[dict] = []
    rows_read: dict[str, int] = {}
    invalid: dict[str, int] = {}
    checked = {}
    rows, profile_col = None, 1
    if "stores" in opened:
        try:
            typed, columns, head, located, cnt, n, bad, position = _measure(
                "stores", opened["stores"], files["stores"], None, (), abstract, nanos.get("stores", {}), limit
            )
            header.extend(head)
            found += located
            counted += cnt
            rows_read["stores"], invalid["stores"] = n, bad
            if {"store_id", "profile"} <= set(columns):
                rows = (
                    typed.where(~F.col("_bad"))
                    .select("_row", F.col("_t_store_id").alias("store_id"), F.col("_t_profile").alias("profile"))
                    .orderBy("_row")
                    .toPandas()
                )
                profile_col = position["profile"]
        except Exception as exc:  # a corrupt or unreadable file shows only when Spark reads it
            header.append(
                _header("stores", files["stores"], "", 1, "unreadable-file", f"cannot read: {_first_line(exc)}")
            )
    # Parquet rows are numbered from 1: the line of row position r is r + 1.
    stores, more = bind_stores(
        rows, files.get("stores", ""), lambda r: np.asarray(r) + 1, profile_col, profiles, abstract, claims or {}
    )
    for m in more:
        found.append(m)
        counted.append(
            {"table": "stores", "code": m["code"].iloc[0], "column": "profile", "level": "error", "n": len(m)}
        )
        invalid["stores"] = invalid.get("stores", 0) + len(m)
    zones = session.createDataFrame(
        list(zip(stores["store_id"].astype("str"), stores["timezone"].astype("str"), strict=False)),
        "_store string, _tz string",
    )
    known = set(stores["store_id"].astype("str"))
    for name, frame in opened.items():
        if name == "stores":
            continue
        try:
            typed, columns, head, located, cnt, n, bad, _ = _measure(
                name, frame, files[name], zones, known, abstract, nanos.get(name, {}), limit
            )
        except Exception as exc:  # a corrupt or unreadable file shows only when Spark reads it
            header.append(_header(name, files[name], "", 1, "unreadable-file", f"cannot read: {_first_line(exc)}"))
            continue
        header.extend(head)
        found += located
        counted += cnt
        rows_read[name], invalid[name] = n, bad
        checked[name] = (typed, columns)
    problems = pd.concat([_problem_frame(header), *found], ignore_index=True) if found else _problem_frame(header)
    # Problems of files and headers are all located: count them as they are.
    whole = problems[problems["row"] < 0]
    for (table, code, column, level), n in whole.groupby(["table", "code", "column", "level"]).size().items():
        counted.append({"table": table, "code": code, "column": column, "level": level, "n": int(n)})
    counts = pd.DataFrame(counted, columns=["table", "code", "column", "level", "n"])
    data = SparkData(None, problems, counts, files, rows_read, invalid, drop_invalid)
    if not data.ok:
        return data
    backend = _backend(session)
    tables, columns_of = {}, {}
    for name, (typed, columns) in checked.items():
        if drop_invalid and invalid.get(name):
            typed = typed.where(~F.col("_bad"))
        final = typed.select(F.col("_row").cast("bigint").alias("_row"), *[F.col(f"_t_{c}").alias(c) for c in columns])
        view = f"servicekb_{name}_{next(_views)}"
        final.createOrReplaceTempView(view)
        tables[name] = backend.table(view)
        columns_of[name] = tuple(c for c in opened[name].columns if c not in ("_pos", "_file", "_row", "_offset"))
    data.relations = Relations(backend, "spark", tables, stores, columns_of, files)
    return data
