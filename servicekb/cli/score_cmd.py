"""`servicekb sample-data`, `servicekb score` and `servicekb explain`: the worked compliance calculations."""

from __future__ import annotations

import datetime as dt
from enum import Enum
from pathlib import Path

import typer

from servicekb.cli import app
from servicekb.cli.common import RootOption, fail_usage, guard_output, load_valid_corpus, require_store_id, resolve_root, write_output


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
    """The validated corpus (exit 1 with located errors when it has any), the profiles' timezones and the abstract ones."""
    from servicekb.compliance.targets import find_profile_timezones

    result = load_valid_corpus(root, action)
    zones, abstract, bad = find_profile_timezones(result.corpus, dt.date.today())
    for message in bad:
        typer.echo(f"warning: {message}; stores of that profile cannot be scored", err=True)
    return result, zones, abstract


def _dataset(data: Path, zones, abstract, drop_invalid: bool, max_issues: int):
    """Read and validate the data; print its problems; exit 1 when it cannot be scored."""
    from servicekb.compliance.data import read_dataset
    from servicekb.issues import format_issue

    if not data.is_dir():
        fail_usage(f"--data {data} is not a folder")
    ds = read_dataset(data, zones, abstract, drop_invalid=drop_invalid, display=data.as_posix().rstrip("/"))
    for issue in ds.issues(limit=max_issues):
        typer.echo(format_issue(issue), err=True)
    hidden = len(ds.problems) - max_issues
    if hidden > 0:
        rest = ds.problems.sort_values(["file", "line", "col", "code"], kind="stable").iloc[max_issues:]
        parts = ", ".join(f"{f} {c}: {n}" for (f, c), n in rest.groupby(["file", "code"]).size().items())
        typer.echo(f"... and {hidden} more ({parts}); raise --max-issues to see them", err=True)
    invalid = {t: n for t, n in ds.invalid_rows.items() if n}
    if ds.errors:
        counted = ", ".join(f"{ds.files.get(t, t)}: {n} of {ds.rows_read.get(t, n)} rows" for t, n in sorted(invalid.items()))
        if not ds.ok:
            typer.echo(f"error: {ds.errors} error(s) in the data ({counted or 'whole files'}); scoring stopped: fix them or pass --drop-invalid", err=True)
            raise typer.Exit(1)
        typer.echo(f"note: dropped invalid rows ({counted}); they are not scored", err=True)
    return ds


def _stores(ds, profile: str | None, all_stores: bool) -> list[str]:
    """Stores with data to score: those of one profile, or every store in the data."""
    import pandas as pd

    seen: set[str] = set()
    for frame in ds.tables.values():
        seen |= set(pd.unique(frame["store_id"].astype("str")))
    mapping = ds.stores[ds.stores["store_id"].isin(seen)]
    if not all_stores:
        mapping = mapping[mapping["profile"] == profile]
        if mapping.empty:
            typer.echo(f"error: no store in the data is scored against profile {profile!r} (use --all-stores to score every store)", err=True)
            raise typer.Exit(1)
    return sorted(mapping["store_id"])


def _score(root: Path, profile: str | None, data: Path, all_stores: bool, period: Granularity, as_of: str | None, drop_invalid: bool, max_issues: int, store: str | None = None):
    from servicekb.compliance.context import AsOfError
    from servicekb.compliance.deadlines import CalendarError
    from servicekb.compliance.scorecard import score_stores

    if profile is None and not all_stores:
        fail_usage("give --profile stores/<id>.yaml or --all-stores")
    result, zones, abstract = _load(root, "score")
    pid = require_store_id(profile, root, result, "score") if profile is not None else None
    if pid is not None and result.corpus.stores[pid].abstract:
        fail_usage(f"{pid} is an abstract profile (a baseline); score a store profile or use --all-stores")
    ds = _dataset(data, zones, abstract, drop_invalid, max_issues)
    stores = _stores(ds, pid, all_stores)
    if store is not None:
        if store not in stores:
            fail_usage(f"store {store!r} has no data scored against {pid} in {data} (stores: {', '.join(stores)})")
        stores = [store]
    try:
        return score_stores(result.corpus, ds, stores, period.value, as_of), pid
    except AsOfError as exc:
        fail_usage(str(exc))
    except CalendarError as exc:
        typer.echo(f"error[calendar-out-of-range] {exc}", err=True)
        raise typer.Exit(1) from None


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
    """Write a realistic, deterministic synthetic dataset (stores assigned round-robin to the store profiles)."""
    import numpy as np

    from servicekb.compliance.sample import generate_sample, make_sample_stores, write_sample

    try:
        np.datetime64(start, "M")
    except ValueError:
        fail_usage(f"--start {start!r} is not a month YYYY-MM")
    base = resolve_root(root)
    guard_output(out, base, force=force, option="--output", folder=True)
    if fmt is not None and not force:
        clash = [name for name in ("tickets", "surveys", "store_periods", "training", "stores") if (out / f"{name}.{fmt.value}").exists()]
        if clash:
            fail_usage(f"--output {out} already holds {', '.join(f'{n}.{fmt.value}' for n in clash)}; pass --force to replace them")
    result, zones, _ = _load(base, "sample")
    if not zones:
        fail_usage("there is no (non-abstract) store profile in stores/ to assign the stores to")
    corpus = result.corpus
    online = {p: corpus.stores[p].format is not None and corpus.stores[p].format.value == "online" for p in zones}
    chosen = make_sample_stores(stores, [(p, zones[p], online[p]) for p in sorted(zones)])
    tables = generate_sample(chosen, months, seed, start, tickets)
    written = write_sample(tables, out, {s.store_id: s.timezone for s in chosen}, fmt.value)
    for path in written:
        typer.echo(f"wrote {path.as_posix()} ({len(tables[path.stem]):,} rows)")


@app.command()
def score(
    profile: str = typer.Option(None, "--profile", help="Store profile (stores/<id>.yaml or its id): score the stores of that profile.", show_default=False),
    data: Path = typer.Option(..., "--data", help="Folder with tickets, surveys, store_periods, training (.csv or .parquet) and optionally stores.", show_default=False),
    all_stores: bool = typer.Option(False, "--all-stores", help="Score every store in the data against its own profile."),
    period: Granularity = typer.Option(Granularity.month, "--period", help="Scoring period."),
    as_of: str = typer.Option(None, "--as-of", help="Judge pending deadlines at this time (date or ISO 8601; default: the end of the data).", show_default=False),
    fmt: ScoreFormat = typer.Option(ScoreFormat.table, "--format", help="Output format (xlsx needs --output)."),
    output: Path = typer.Option(None, "-o", "--output", help="Write to this file instead of the terminal.", show_default=False),
    drop_invalid: bool = typer.Option(False, "--drop-invalid", help="Drop invalid rows (reported and counted) instead of stopping."),
    max_issues: int = typer.Option(200, "--max-issues", min=0, help="Print at most this many data problems (all are counted)."),
    force: bool = typer.Option(False, "--force", help="Replace the --output file if it exists."),
    root: Path = RootOption,
) -> None:
    """Score stores against their effective targets: one row per store x period x target."""
    from servicekb.compliance.render import render_csv, render_json, render_table, summarize_card, write_xlsx

    if fmt is ScoreFormat.xlsx and output is None:
        fail_usage("--format xlsx writes a workbook: give --output FILE.xlsx")
    base = resolve_root(root)
    if output is not None:
        guard_output(output, base, force=force)
    card, pid = _score(base, profile, data, all_stores, period, as_of, drop_invalid, max_issues)
    meta = {"data": data.as_posix(), "profile": pid or "all stores"}
    if fmt is ScoreFormat.xlsx:
        write_xlsx(card, output, meta)
        typer.echo(f"wrote {output.as_posix()}: {summarize_card(card)}")
        return
    text = {ScoreFormat.table: render_table, ScoreFormat.csv: render_csv}.get(fmt, lambda c: render_json(c, meta))(card)
    if output is not None:
        write_output(output, text)
        typer.echo(f"wrote {output.as_posix()}: {summarize_card(card)}")
    else:
        typer.echo(text, nl=False)


@app.command()
def explain(
    profile: str = typer.Option(..., "--profile", help="Store profile (stores/<id>.yaml or its id).", show_default=False),
    data: Path = typer.Option(..., "--data", help="Data folder.", show_default=False),
    store: str = typer.Option(..., "--store", help="Store id in the data.", show_default=False),
    period: str = typer.Option(..., "--period", help="Period: YYYY-MM, or YYYY-Qn for quarters.", show_default=False),
    metric: str = typer.Option(..., "--metric", help="Metric id.", show_default=False),
    as_of: str = typer.Option(None, "--as-of", help="As in `score`.", show_default=False),
    drop_invalid: bool = typer.Option(False, "--drop-invalid", help="As in `score`."),
    root: Path = RootOption,
) -> None:
    """The worked calculation of one metric for one store and period: rows, formula, interval, target, verdict."""
    from servicekb.compliance.explain import ExplainError, explain_metric, render_explanations

    granularity = Granularity.quarter if "-Q" in period.upper() else Granularity.month
    card, _ = _score(resolve_root(root), profile, data, False, granularity, as_of, drop_invalid, 200, store)
    try:
        typer.echo(render_explanations(explain_metric(card, store, period.upper(), metric)), nl=False)
    except ExplainError as exc:
        fail_usage(str(exc))

