"""`servicekb score --engine spark`: the same scorecard as DuckDB; an unknown engine or a cluster that is not there."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pandas as pd
import pytest
from conftest import FIXTURES, ROOT
from typer.testing import CliRunner

from servicekb.cli import _register, app

# PySpark 4.0 leaves the local socket of each collected result to the garbage collector (its code, not ours).
pytestmark = [
    pytest.mark.filterwarnings("ignore:unclosed <socket.socket:ResourceWarning"),
    pytest.mark.usefixtures("spark_sockets"),
]

_register()
runner = CliRunner()
REPO = FIXTURES / "compliance" / "repo"
DATA = FIXTURES / "compliance" / "data"


@pytest.fixture
def parquet(tmp_path: Path) -> Path:
    """The fixture data as Parquet (cells as written in the CSV files)."""
    folder = tmp_path / "data"
    folder.mkdir()
    for name in ("tickets", "surveys", "store_periods", "training", "stores"):
        frame = pd.read_csv(DATA / f"{name}.csv", dtype=str, keep_default_na=False)
        frame.to_parquet(folder / f"{name}.parquet", index=False)
    return folder


def score(data: Path, *args: str):
    return runner.invoke(app, ["score", "--data", str(data), "--all-stores", *args, "--root", str(REPO)])


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_spark_writes_the_same_scorecard_as_duckdb(spark, parquet, tmp_path):
    on_duckdb = score(parquet, "--format", "csv", "-o", str(tmp_path / "duckdb.csv"))
    assert on_duckdb.exit_code == 0, on_duckdb.output
    on_spark = score(parquet, "--engine", "spark", "--format", "csv", "-o", str(tmp_path / "spark.csv"))
    assert on_spark.exit_code == 0, on_spark.output
    written = (tmp_path / "spark.csv").read_text(encoding="utf-8")
    assert written == (tmp_path / "duckdb.csv").read_text(encoding="utf-8")
    assert len(written.splitlines()) > 100


def test_an_unknown_engine_is_a_usage_error_that_lists_the_engines(parquet, tmp_path):
    result = score(parquet, "--engine", "presto", "-o", str(tmp_path / "card.csv"), "--format", "csv")
    assert result.exit_code == 2
    assert "'presto' is not one of 'duckdb', 'spark'" in " ".join(result.output.replace("│", " ").split())
    assert not (tmp_path / "card.csv").exists()


def test_a_malformed_master_is_a_usage_error(parquet, tmp_path):
    result = score(parquet, "--engine", "spark", "--spark-master", "cluster-7")
    assert result.exit_code == 2
    assert "'cluster-7' is not a Spark master: give local[N]" in result.output


def test_an_unreachable_master_stops_with_a_clear_error_and_writes_nothing(parquet, tmp_path):
    port = _closed_port()
    out = tmp_path / "card.csv"
    result = score(parquet, "--engine", "spark", "--spark-master", f"spark://127.0.0.1:{port}", "-o", str(out))
    assert result.exit_code == 1
    assert f"error[spark-unavailable] cannot reach the Spark master spark://127.0.0.1:{port}" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert not out.exists()


def test_a_master_that_answers_but_never_accepts_the_application_fails_within_the_timeout(parquet, tmp_path):
    # A port that accepts connections and says nothing, as a firewall or a wrong service does.
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.5)
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
            except OSError:
                continue

    worker = threading.Thread(target=accept, daemon=True)
    worker.start()
    out = tmp_path / "card.csv"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    try:
        done = subprocess.run(
            [sys.executable, "-m", "servicekb", "score", "--data", str(parquet), "--all-stores", "--root", str(REPO)]
            + ["--engine", "spark", "--spark-master", f"spark://127.0.0.1:{server.getsockname()[1]}"]
            + ["--spark-timeout", "5", "--format", "csv", "-o", str(out)],
            capture_output=True,
            text=True,
            env=env,
            timeout=300,
        )
    finally:
        stop.set()
        worker.join()
        for conn in held:
            conn.close()
        server.close()
    assert done.returncode == 1, done.stderr
    assert "error[spark-unavailable]" in done.stderr and "Traceback" not in done.stderr
    assert done.stdout == ""
    assert not out.exists()


def test_explain_on_spark_shows_the_worked_calculation_duckdb_shows(spark, parquet):
    """The same cell explained from either engine: formula, counts, interval and the worst events with their rows."""
    args = ["explain", "--profile", "shop-sh", "--data", str(parquet), "--store", "sh1", "--period", "2026-02"]
    args += ["--metric", "complaint-first-response-time", "--root", str(REPO)]
    on_duckdb = runner.invoke(app, args)
    assert on_duckdb.exit_code == 0, on_duckdb.output
    on_spark = runner.invoke(app, [*args, "--engine", "spark"])
    assert on_spark.exit_code == 0, on_spark.output
    assert on_spark.output == on_duckdb.output
    assert "attainment = 100 ×" in on_spark.output and "worst delay" in on_spark.output


def test_explain_with_a_malformed_master_is_a_usage_error(parquet):
    args = ["explain", "--profile", "shop-sh", "--data", str(parquet), "--store", "sh1", "--period", "2026-02"]
    result = runner.invoke(app, [*args, "--metric", "x", "--engine", "spark", "--spark-master", "cluster-7"])
    assert result.exit_code == 2
    assert "'cluster-7' is not a Spark master" in result.output
