"""The engines `servicekb score` runs on, and reading its data on Spark with every problem printed.

DuckDB (embedded, the default) reads a local folder; Spark reads the same
tables as Parquet from a folder or URI, or from its catalogue
(`--data catalog:DB`), on `--spark-master` (local mode by default).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

import typer

from servicekb.cli.common import fail_usage, stop_unless_scorable


class Engine(str, Enum):
    """Where the scorecard is computed."""

    duckdb = "duckdb"
    spark = "spark"


@dataclass(frozen=True)
class SparkOptions:
    """Where and how to run Spark: master URL, extra settings, seconds to wait for the cluster."""

    master: str = "local[2]"
    conf: dict[str, str] = field(default_factory=dict)
    timeout: float = 30.0


def parse_conf(pairs: list[str] | None) -> dict[str, str]:
    """`--spark-conf KEY=VALUE` options as a mapping (a usage error when one has no `=`)."""
    conf = {}
    for pair in pairs or []:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            fail_usage(f"--spark-conf {pair!r}: give KEY=VALUE (e.g. spark.executor.memory=4g)")
        conf[key.strip()] = value.strip()
    return conf


def start(options: SparkOptions):
    """A Spark session: a malformed master URL is a usage error (exit 2), any other failure exit 1."""
    from servicekb.compliance.spark import SparkError, check_master, start_spark

    why = check_master(options.master)
    if why:
        fail_usage(f"--spark-master {why}")
    try:
        return start_spark(options.master, options.conf, options.timeout)
    except SparkError as exc:
        typer.echo(f"error[spark-unavailable] {exc}; nothing was scored", err=True)
        raise typer.Exit(1) from None


def read_on_spark(session, source: str, zones, abstract, drop_invalid: bool, max_issues: int, claims):
    """Read and check the data on Spark; print its problems; exit 1 when it cannot be scored."""
    from servicekb.compliance.sparkread import read_spark
    from servicekb.issues import format_issue

    data = read_spark(
        session,
        source,
        zones,
        abstract,
        drop_invalid=drop_invalid,
        display=source.rstrip("/"),
        claims=claims,
        limit=max_issues,
    )
    for issue in data.issues(limit=max_issues):
        typer.echo(format_issue(issue), err=True)
    hidden = data.hidden(max_issues)
    for code, n in sorted(hidden.items(), key=lambda kv: (-kv[1], kv[0])):
        typer.echo(f"… and {n:,} more {code}", err=True)
    if hidden:
        typer.echo("(raise --max-issues to see them)", err=True)
    stop_unless_scorable(data)
    return data


def store_ids_in(relations) -> set[str]:
    """Every store id with rows in any table (one small query per table)."""
    seen: set[str] = set()
    for table in relations.tables.values():
        if "store_id" in table.columns:
            seen |= set(table.select("store_id").distinct().to_pandas()["store_id"].dropna().astype("str"))
    return seen
