"""`servicekb sample-data`, `servicekb score` and `servicekb explain`: the worked compliance calculations."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

import typer

from servicekb.cli import app
from servicekb.cli.common import (
    RootOption,
    fail_usage,
    guard_output,
    load_valid_corpus,
    require_store_id,
    resolve_root,
    stop_unless_scorable,
    write_output,
)
from servicekb.cli.engines import Engine, SparkOptions, parse_conf


class ScoreFormat(str, Enum):
    """Output format of `servicekb score`."""

    table = "table"
    csv = "csv"
    json = "json"
    xlsx = "xlsx"


class Granularity(str, Enum):
    """Scoring period."""

    month = "month"
    quarter = "quarter"


class DataFormat(str, Enum):
    """File format of generated data."""

    csv = "csv"
    parquet = "parquet"


def _load(root: Path, action: str):
    """The validated corpus (exit 1 with located errors when it has any), the profiles' timezones and the abstract
    ones."""
    from servicekb.compliance.targets import find_profile_timezones

    result = load_valid_corpus(root, action)
    zones, abstract, bad = find_profile_timezones(result.corpus, dt.date.today())
    for message in bad:
        typer.echo(f"warning: {message}; stores of that profile cannot be scored", err=True)
    return result, zones, abstract


def _claims(result, zones) -> dict[str, str]:
    """Data store id -> profile, from the profiles' `data_store_ids`; a claim made twice stops scoring (located)."""
    from servicekb.checks import check_corpus
    from servicekb.compliance.targets import find_data_claims
    from servicekb.issues import format_issue, sort_issues

    twice = [i for i in check_corpus(result.corpus, result.documents) if i.code == "data-id-claimed-twice"]
    if twice:
        for issue in sort_issues(twice):
            typer.echo(format_issue(issue), err=True)
        typer.echo("error: a data store id is claimed by two store profiles; scoring stopped", err=True)
        raise typer.Exit(1)
    return {s: p for s, p in find_data_claims(result.corpus).items() if p in zones}


def _audit_problems(read, corpus):
    """The audit answers checked against their stores (`check_audits`, on the small audits table in pandas)."""
    from servicekb.compliance.audits import check_audits

    if "audits" not in read.present:
        return None
    small = read.to_dataset(only=("audits",))
    before = len(small.problems)
    checked = check_audits(small, corpus, dt.date.today())
    return checked.problems.iloc[before:]


def _dataset(
    data: Path, zones, abstract, drop_invalid: bool, max_issues: int, claims=None, corpus=None, memory_limit="2GB"
):
    """Read and validate the data in DuckDB, audit answers too; print the problems; exit 1 when it cannot be scored."""
    import atexit

    from servicekb.compliance.duckdata import read_folder
    from servicekb.issues import format_issue

    if not data.is_dir():
        from servicekb.book.sample_data import SAMPLE_FOLDER

        # The README's walk-through scores the handbook's sample data, which a fresh clone does not have yet.
        sample = data.parts[-2:] == Path(SAMPLE_FOLDER).parts
        hint = " (the handbook's sample data: `make book` writes it)" if sample else ""
        fail_usage(f"--data {data} is not a folder{hint}")
    ds = read_folder(
        data,
        zones,
        abstract,
        drop_invalid=drop_invalid,
        display=data.as_posix().rstrip("/"),
        claims=claims,
        memory_limit=memory_limit,
    )
    # The relations read the files through this DuckDB session until the command ends.
    atexit.register(ds.close)
    if corpus is not None:
        more = _audit_problems(ds, corpus)
        if more is not None:
            ds.add_problems(more)
    shown = ds.problem_frame(limit=max_issues)
    for issue in ds.issues(limit=max_issues):
        typer.echo(format_issue(issue), err=True)
    counts = ds.count_problems()
    if sum(counts.values()) > max_issues:
        for code, n in shown["code"].value_counts().items():
            counts[code] -= int(n)
        for code, n in sorted(((c, n) for c, n in counts.items() if n), key=lambda kv: (-kv[1], kv[0])):
            typer.echo(f"… and {n:,} more {code}", err=True)
        typer.echo("(raise --max-issues to see them)", err=True)
    stop_unless_scorable(ds)
    return ds


def _stores(
    ds, profile: str | None, all_stores: bool, profile_file: str = "", data: Path | None = None, seen=None
) -> list[str]:
    """Stores with data to score: those bound to one profile, or every bound store in the data (`seen` when given)."""
    if seen is None:
        seen = ds.seen_stores()
    mapping = ds.stores[ds.stores["store_id"].isin(seen)]
    if not all_stores:
        bound = ds.stores[ds.stores["profile"] == profile]
        if bound.empty:
            typer.echo(
                f"{profile_file}:1:1: error[profile-without-data] data_store_ids: {profile} names no data store "
                f"(add `data_store_ids: [...]` to the profile, or map a store to it in the data's stores table)",
                err=True,
            )
            raise typer.Exit(1)
        mapping = mapping[mapping["profile"] == profile]
        if mapping.empty:
            ids = ", ".join(sorted(bound["store_id"]))
            typer.echo(
                f"{profile_file}:1:1: error[no-data-for-profile] data_store_ids: "
                f"the data in {data} has no rows for {ids}, the stores of {profile}",
                err=True,
            )
            raise typer.Exit(1)
    return sorted(mapping["store_id"])


@dataclass(frozen=True)
class ScoreRequest:
    """What `score` and `explain` ask for: whose stores, which data, how to read them and on which engine."""

    profile: str | None
    data: str
    all_stores: bool
    period: Granularity
    as_of: str | None
    drop_invalid: bool
    max_issues: int
    store: str | None = None
    memory_limit: str = "2GB"
    engine: Engine = Engine.duckdb
    spark: SparkOptions = field(default_factory=SparkOptions)


def _score(root: Path, ask: ScoreRequest):
    """(scorecard, profile id) of a request; every problem said on stderr with an exit code, never a traceback."""
    if ask.profile is None and not ask.all_stores:
        fail_usage("give --profile stores/<id>.yaml or --all-stores")
    result, zones, abstract = _load(root, "score")
    pid = require_store_id(ask.profile, root, result, "score") if ask.profile is not None else None
    if pid is not None and result.corpus.stores[pid].abstract:
        fail_usage(f"{pid} is an abstract profile (a baseline); score a store profile or use --all-stores")
    from servicekb.corpus import FileKey

    profile_file = result.corpus.files.get(FileKey.store(pid), f"stores/{pid}.yaml")
    if ask.engine is Engine.spark:
        return _score_on_spark(result, zones, abstract, pid, profile_file, ask)
    data = Path(ask.data)
    claims = _claims(result, zones)
    ds = _dataset(data, zones, abstract, ask.drop_invalid, ask.max_issues, claims, result.corpus, ask.memory_limit)
    stores = _only(_stores(ds, pid, ask.all_stores, profile_file, data), ask.store, pid, data)
    card = _score_relations(result.corpus, ds.relations(), stores, ask.period.value, ask.as_of)
    _report_unjudged(card, ask.max_issues)
    return card, pid


def _check_engine_options(engine: Engine, spark_master: str, memory_limit: str) -> None:
    """Usage errors (exit 2) for a malformed --spark-master (with --engine spark) or --memory-limit."""
    if engine is Engine.spark:
        from servicekb.compliance.spark import check_master

        why = check_master(spark_master)
        if why:
            fail_usage(f"--spark-master {why}")
    if not re.fullmatch(r"\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)", memory_limit.strip(), re.IGNORECASE):
        fail_usage(f"--memory-limit {memory_limit!r}: give a size such as 2GB or 512MB")


def _only(stores: list[str], store: str | None, pid: str | None, data) -> list[str]:
    """The one store asked for (explain), which must be among the scored ones; every store when none is."""
    if store is None:
        return stores
    if store not in stores:
        fail_usage(f"store {store!r} has no data scored against {pid} in {data} (stores: {', '.join(stores)})")
    return [store]


def _score_relations(corpus, relations, stores: list[str], period: str, as_of: str | None):
    """The scorecard of `stores` on whichever engine holds `relations`; a bad --as-of or calendar year is said."""
    from servicekb.compliance.context import AsOfError
    from servicekb.compliance.deadlines import CalendarError
    from servicekb.compliance.scorecard import score_stores

    try:
        return score_stores(corpus, relations, stores, period, as_of)
    except AsOfError as exc:
        fail_usage(str(exc))
    except CalendarError as exc:
        typer.echo(f"error[calendar-out-of-range] {exc}", err=True)
        raise typer.Exit(1) from None


def _score_on_spark(result, zones, abstract, pid: str | None, profile_file: str, ask: ScoreRequest):
    """Score on Spark: the same definitions, the data read from Parquet or the catalogue where it lives."""
    from servicekb.cli import engines
    from servicekb.compliance.sparkread import CATALOG_PREFIX

    source, spark = ask.data, ask.spark
    if not source.startswith(CATALOG_PREFIX) and "://" not in source and not Path(source).is_dir():
        fail_usage(f"--data {source} is not a folder (or a URI Spark reads, or catalog:DATABASE)")
    claims = _claims(result, zones)
    session = engines.start(spark)
    data = engines.read_on_spark(session, source, zones, abstract, ask.drop_invalid, ask.max_issues, claims)
    relations = data.relations
    try:
        stores = _stores(relations, pid, ask.all_stores, profile_file, source, seen=engines.store_ids_in(relations))
        stores = _only(stores, ask.store, pid, source)
        card = _score_relations(result.corpus, relations, stores, ask.period.value, ask.as_of)
    except (typer.Exit, SystemExit):
        raise
    except Exception as exc:  # the cluster went away or refused a query: said, never a traceback
        first = next((t for t in str(exc).splitlines() if t.strip()), type(exc).__name__)
        typer.echo(
            f"error[spark-failed] scoring on {spark.master} stopped: {first[:300]}; nothing was written", err=True
        )
        raise typer.Exit(1) from None
    return card, pid


def _report_unjudged(card, max_issues: int) -> None:
    """Warn, event by event (at most `max_issues`), about deadlines the working-day calendar cannot judge yet."""
    from servicekb.compliance.deadlines import get_known_years
    from servicekb.datatables import TABLES
    from servicekb.issues import Issue, Level, format_issue, limit_issues

    ctx = card.context
    lo, hi = get_known_years()
    found = []
    for (table, label), rows in sorted(ctx.unjudged.items()):
        id_col = TABLES[table].columns[0].name
        for event, pos in zip(rows[id_col], rows["_row"], strict=True):
            found.append(
                Issue(
                    ctx.dataset.files[table],
                    ctx.dataset.line(table, int(pos)),
                    1,
                    "calendar-out-of-range",
                    f"{event!s}: {label}: needs a day after {hi}, which the PRC working-day calendar "
                    f"(chinese-calendar, {lo}-{hi}) does not know: not judged; the rest is scored",
                    id_col,
                    Level.warning,
                )
            )
    shown, more = limit_issues(found, max_issues)
    for issue in shown:
        typer.echo(format_issue(issue), err=True)
    for line in more:
        typer.echo(line, err=True)


@app.command("sample-data")
def sample_data(
    stores: int = typer.Option(6, "--stores", min=1, help="Number of stores."),
    months: int = typer.Option(12, "--months", min=1, max=120, help="Number of months."),
    seed: int = typer.Option(0, "--seed", help="Random seed: same seed, same files."),
    out: Path = typer.Option(..., "-o", "--output", help="Folder to write (created).", show_default=False),
    start: str = typer.Option("2026-01", "--start", help="First month, YYYY-MM."),
    fmt: DataFormat = typer.Option(DataFormat.csv, "--format", help="File format."),
    tickets: float = typer.Option(120.0, "--tickets-per-month", min=0, help="Mean tickets per store and month."),
    force: bool = typer.Option(False, "--force", help="Replace the tables of an earlier sample in the folder."),
    root: Path = RootOption,
) -> None:
    """Write a realistic, deterministic synthetic dataset: stores s001..., each scored against the profile that \
claims it in `data_store_ids` (the others round-robin), written to stores.csv."""
    import numpy as np

    from servicekb.compliance.synthetic import generate_sample, make_sample_stores, write_sample

    try:
        np.datetime64(start, "M")
    except ValueError:
        fail_usage(f"--start {start!r} is not a month YYYY-MM")
    base = resolve_root(root)
    guard_output(out, base, force=force, option="--output", folder=True)
    if fmt is not None and not force:
        clash = [
            name
            for name in ("tickets", "surveys", "store_periods", "training", "stores")
            if (out / f"{name}.{fmt.value}").exists()
        ]
        if clash:
            fail_usage(
                f"--output {out} already holds {', '.join(f'{n}.{fmt.value}' for n in clash)}; "
                "pass --force to replace them"
            )
    result, zones, _ = _load(base, "sample")
    if not zones:
        fail_usage("there is no (non-abstract) store profile in stores/ to assign the stores to")
    corpus = result.corpus
    online = {p: corpus.stores[p].format is not None and corpus.stores[p].format.value == "online" for p in zones}
    chosen = make_sample_stores(stores, [(p, zones[p], online[p]) for p in sorted(zones)], _claims(result, zones))
    # Each store from its own random stream: adding a store profile changes no other store's data.
    tables = generate_sample(chosen, months, seed, start, tickets, independent=True)
    written = write_sample(tables, out, {s.store_id: s.timezone for s in chosen}, fmt.value)
    for path in written:
        typer.echo(f"wrote {path.as_posix()} ({len(tables[path.stem]):,} rows)")


@app.command()
def score(
    profile: str = typer.Option(
        None,
        "--profile",
        help="Store profile (stores/<id>.yaml or its id): score the stores of that profile.",
        show_default=False,
    ),
    data: str = typer.Option(
        ...,
        "--data",
        help="Folder with tickets, surveys, store_periods, training (.csv or .parquet) and optionally stores; "
        "with --engine spark also a URI Spark reads (hdfs://, s3a://) or catalog:DATABASE.",
        show_default=False,
    ),
    all_stores: bool = typer.Option(
        False, "--all-stores", help="Score every store in the data against its own profile."
    ),
    period: Granularity = typer.Option(Granularity.month, "--period", help="Scoring period."),
    as_of: str = typer.Option(
        None,
        "--as-of",
        help="Judge pending deadlines at this time (date or ISO 8601; default: the end of the data).",
        show_default=False,
    ),
    fmt: ScoreFormat = typer.Option(ScoreFormat.table, "--format", help="Output format (xlsx needs --output)."),
    output: Path = typer.Option(
        None, "-o", "--output", help="Write to this file instead of the terminal.", show_default=False
    ),
    drop_invalid: bool = typer.Option(
        False, "--drop-invalid", help="Drop invalid rows (reported and counted) instead of stopping."
    ),
    max_issues: int = typer.Option(
        200, "--max-issues", min=0, help="Print at most this many data problems (all are counted)."
    ),
    force: bool = typer.Option(False, "--force", help="Replace the --output file if it exists."),
    memory_limit: str = typer.Option(
        "2GB", "--memory-limit", help="Memory DuckDB may use reading the data; beyond it, it spills to disk."
    ),
    engine: Engine = typer.Option(Engine.duckdb, "--engine", help="Where to compute: embedded DuckDB, or Spark."),
    spark_master: str = typer.Option(
        "local[2]",
        "--spark-master",
        help="With --engine spark: local[N] or local[*] (this machine), spark://host:port, yarn, k8s://https://host:port.",
    ),
    spark_conf: list[str] = typer.Option(
        None, "--spark-conf", help="With --engine spark: a Spark setting KEY=VALUE (repeatable).", show_default=False
    ),
    spark_timeout: float = typer.Option(
        30.0, "--spark-timeout", min=1, help="With --engine spark: seconds to wait for the master and an executor."
    ),
    root: Path = RootOption,
) -> None:
    """Score stores against their effective targets: one row per store x period x target."""
    import shutil
    import sys

    from servicekb.compliance.render import render_csv, render_json, render_table, summarize_card
    from servicekb.compliance.workbook import write_workbook

    if fmt is ScoreFormat.xlsx and output is None:
        fail_usage("--format xlsx writes a workbook: give --output FILE.xlsx")
    conf = parse_conf(spark_conf)
    _check_engine_options(engine, spark_master, memory_limit)
    source, data = data, Path(data)
    base = resolve_root(root)
    if output is not None:
        guard_output(output, base, force=force, reads=(data,))
    spark = SparkOptions(spark_master, conf, spark_timeout)
    ask = ScoreRequest(
        profile,
        source,
        all_stores,
        period,
        as_of,
        drop_invalid,
        max_issues,
        memory_limit=memory_limit,
        engine=engine,
        spark=spark,
    )
    card, pid = _score(base, ask)
    meta = {"data": source if engine is Engine.spark else data.as_posix(), "profile": pid or "all stores"}
    if fmt is ScoreFormat.xlsx:
        write_workbook(card, output, meta)
        typer.echo(f"wrote {output.as_posix()}: {summarize_card(card)}")
        return
    tty = output is None and sys.stdout.isatty()
    width = max(80, shutil.get_terminal_size((120, 24)).columns) if tty else 120
    text = {ScoreFormat.table: lambda c: render_table(c, width, tty), ScoreFormat.csv: render_csv}.get(
        fmt, lambda c: render_json(c, meta)
    )(card)
    if output is not None:
        write_output(output, text)
        typer.echo(f"wrote {output.as_posix()}: {summarize_card(card)}")
    else:
        typer.echo(text, nl=False)


@app.command()
def explain(
    profile: str = typer.Option(
        ..., "--profile", help="Store profile (stores/<id>.yaml or its id).", show_default=False
    ),
    data: str = typer.Option(
        ..., "--data", help="Data folder (with --engine spark also a URI or catalog:DATABASE).", show_default=False
    ),
    store: str = typer.Option(..., "--store", help="Store id in the data.", show_default=False),
    period: str = typer.Option(..., "--period", help="Period: YYYY-MM, or YYYY-Qn for quarters.", show_default=False),
    metric: str = typer.Option(..., "--metric", help="Metric id.", show_default=False),
    as_of: str = typer.Option(None, "--as-of", help="As in `score`.", show_default=False),
    drop_invalid: bool = typer.Option(False, "--drop-invalid", help="As in `score`."),
    memory_limit: str = typer.Option("2GB", "--memory-limit", help="As in `score`."),
    engine: Engine = typer.Option(Engine.duckdb, "--engine", help="As in `score`: the rows come from that engine."),
    spark_master: str = typer.Option("local[2]", "--spark-master", help="As in `score`."),
    spark_conf: list[str] = typer.Option(None, "--spark-conf", help="As in `score`.", show_default=False),
    spark_timeout: float = typer.Option(30.0, "--spark-timeout", min=1, help="As in `score`."),
    root: Path = RootOption,
) -> None:
    """The worked calculation of one metric for one store and period: rows, formula, interval, target, verdict."""
    from servicekb.compliance.explain import ExplainError, explain_metric, render_explanations

    granularity = Granularity.quarter if "-Q" in period.upper() else Granularity.month
    spark = SparkOptions(spark_master, parse_conf(spark_conf), spark_timeout)
    _check_engine_options(engine, spark_master, memory_limit)
    ask = ScoreRequest(
        profile,
        str(data),
        False,
        granularity,
        as_of,
        drop_invalid,
        200,
        store,
        memory_limit=memory_limit,
        engine=engine,
        spark=spark,
    )
    card, _ = _score(resolve_root(root), ask)
    try:
        typer.echo(render_explanations(explain_metric(card, store, period.upper(), metric)), nl=False)
    except ExplainError as exc:
        fail_usage(str(exc))
