"""`servicekb sample-data`, `score` and `explain`: outputs, exit codes, and a scorecard retraced by hand."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from servicekb.cli import _register, app
from servicekb.cli import score_cmd  # noqa: F401 - registers the commands until cli/__init__ does
from servicekb.compliance.scorecard import COLUMNS

from conftest import FIXTURES

_register()
runner = CliRunner()
REPO = FIXTURES / "compliance" / "repo"
DATA = FIXTURES / "compliance" / "data"


@pytest.fixture
def data(tmp_path: Path) -> Path:
    shutil.copytree(DATA, tmp_path / "data")
    return tmp_path / "data"


def run(*args: str):
    return runner.invoke(app, [*args, "--root", str(REPO)])


def score(data: Path, *args: str):
    return run("score", "--data", str(data), *args)


def test_table_output_has_one_line_per_row_and_a_summary(data):
    result = score(data, "--profile", "stores/shop-sh.yaml")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split()[:4] == ["store", "period", "metric", "population"]
    # 10 months x 17 targets for sh1, then the counts by status.
    assert len(lines) == 1 + 170 + 1
    assert lines[-1].startswith("170 rows: ") and "not-computable" in lines[-1]


def test_csv_and_json_carry_the_same_rows_with_the_public_columns(data):
    as_csv = pd.read_csv(io.StringIO(score(data, "--all-stores", "--format", "csv").stdout))
    assert list(as_csv.columns) == COLUMNS
    as_json = json.loads(score(data, "--all-stores", "--format", "json").stdout)
    assert len(as_json["rows"]) == len(as_csv) == 340
    assert sum(as_json["summary"].values()) == 340
    assert as_json["rows"][0]["ci_low"] is None or isinstance(as_json["rows"][0]["ci_low"], float)


def test_xlsx_needs_an_output_file_and_writes_a_workbook(data, tmp_path):
    assert score(data, "--all-stores", "--format", "xlsx").exit_code == 2
    target = tmp_path / "card.xlsx"
    result = score(data, "--all-stores", "--format", "xlsx", "--output", str(target))
    assert result.exit_code == 0, result.output
    book = pd.read_excel(target, sheet_name=None)
    assert list(book["scorecard"].columns) == COLUMNS and len(book["scorecard"]) == 340
    assert "as_of" in set(book["about"]["item"])


def test_quarters(data):
    frame = pd.read_csv(io.StringIO(score(data, "--all-stores", "--period", "quarter", "--format", "csv").stdout))
    assert sorted(set(frame["period"])) == ["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"]


def test_bad_data_stops_scoring_with_every_problem_located(data):
    text = (data / "surveys.csv").read_text()
    (data / "surveys.csv").write_text(text.replace("overall,5,10\nR02", "overall,7,10\nR02").replace("R03,sh1", "R03,sh7"))
    result = score(data, "--all-stores")
    assert result.exit_code == 1
    assert f"{data.as_posix()}/surveys.csv:2:5: error[out-of-range] csat_score: '7' is not within 1-5" in result.stderr
    assert f"{data.as_posix()}/surveys.csv:4:2: error[unknown-store] store_id: 'sh7' is not a known store" in result.stderr
    assert "scoring stopped" in result.stderr and "surveys.csv: 2 of 9 rows" in result.stderr
    # With --drop-invalid the two rows are left out, said so, and the rest is scored.
    dropped = score(data, "--all-stores", "--drop-invalid", "--format", "csv")
    assert dropped.exit_code == 0
    assert "dropped invalid rows" in dropped.stderr
    frame = pd.read_csv(io.StringIO(dropped.stdout))
    january = frame[(frame.store_id == "sh1") & (frame.period == "2026-01") & (frame.metric == "customer-satisfaction") & (frame.population == "all")]
    assert january["n"].tolist() == [2]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        # neither a profile nor --all-stores
        ([], "give --profile"),
        # a baseline is never scored itself
        (["--profile", "baseline"], "abstract profile"),
        # no such profile
        (["--profile", "stores/nowhere.yaml"], "no store profile"),
        # an as-of that is not a time
        (["--all-stores", "--as-of", "soon"], "--as-of 'soon'"),
    ],
)
def test_usage_errors_exit_2(data, args, message):
    result = score(data, *args)
    assert result.exit_code == 2 and message in result.stderr


def test_a_date_beyond_the_working_day_calendar_is_a_clear_error(data):
    result = score(data, "--all-stores", "--as-of", "2027-03-01")
    assert result.exit_code == 1
    assert "error[calendar-out-of-range] feedback-resolution-time" in result.stderr and "2027" in result.stderr


def test_explain_retraces_the_scorecard_row_by_hand(data):
    card = pd.read_csv(io.StringIO(score(data, "--all-stores", "--format", "csv").stdout))
    r = card[(card.store_id == "sh1") & (card.period == "2026-01") & (card.metric == "customer-satisfaction") & (card.population == "all")].iloc[0]
    result = run("explain", "--profile", "shop-sh", "--data", str(data), "--store", "sh1", "--period", "2026-01", "--metric", "customer-satisfaction")
    assert result.exit_code == 0, result.output
    text = result.stdout
    # Which rows, numerator, denominator, formula, interval, target, verdict: the numbers of the scorecard row.
    assert "topic = overall (default of the metric): 4 rows (lines 2, 3, 4, 5)" in text
    assert "answers with csat_score >= 4: 3" in text and "answers: 4" in text
    assert "value = 100 × 3 / 4 = 75 percent" in text
    assert f"[{r['ci_low']:.4f}".rstrip("0") in text
    assert "target       >= 90 percent, from ops#1.a" in text
    assert f"verdict      {r['status']}" in text


def test_explain_lists_the_worst_events_of_a_deadline(data):
    result = run("explain", "--profile", "shop-sh", "--data", str(data), "--store", "sh1", "--period", "2026-10", "--metric", "feedback-resolution-time")
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert "met 0; breaches 2 (late 1, unanswered past the deadline 1); pending 1" in text
    worst = text.split("five worst events:")[1].splitlines()
    # T07 (5 working days overdue) before T04 (1 working day late).
    assert worst[1].split()[0] == "ticket_id" and worst[2].split()[0] == "T07" and worst[3].split()[0] == "T04"


def test_explain_names_what_exists_when_asked_for_something_else(data):
    result = run("explain", "--profile", "shop-sh", "--data", str(data), "--store", "sh1", "--period", "2026-01", "--metric", "nps")
    assert result.exit_code == 2 and "sh1 has no target on 'nps'" in result.stderr
    result = run("explain", "--profile", "shop-sh", "--data", str(data), "--store", "pa1", "--period", "2026-01", "--metric", "csi-score")
    assert result.exit_code == 2 and "store 'pa1' has no data scored against shop-sh" in result.stderr


def test_sample_data_is_deterministic_and_scores_cleanly(tmp_path):
    for name in ("a", "b", "c"):
        seed = "2" if name == "c" else "1"
        result = run("sample-data", "--stores", "3", "--months", "2", "--seed", seed, "-o", str(tmp_path / name))
        assert result.exit_code == 0, result.output
    files = sorted(p.name for p in (tmp_path / "a").iterdir())
    # the marker says the folder is synthetic: sample-data may replace it, never a folder of real data
    assert files == [".servicekb-sample", "store_periods.csv", "stores.csv", "surveys.csv", "tickets.csv", "training.csv"]
    assert all((tmp_path / "a" / f).read_bytes() == (tmp_path / "b" / f).read_bytes() for f in files)
    assert (tmp_path / "a" / "tickets.csv").read_bytes() != (tmp_path / "c" / "tickets.csv").read_bytes()
    result = score(tmp_path / "a", "--all-stores", "--format", "csv")
    assert result.exit_code == 0 and result.stderr == ""
    assert set(pd.read_csv(io.StringIO(result.stdout))["store_id"]) == {"s001", "s002", "s003"}


def test_sample_data_as_parquet(tmp_path):
    result = run("sample-data", "--stores", "2", "--months", "1", "-o", str(tmp_path / "p"), "--format", "parquet")
    assert result.exit_code == 0
    assert score(tmp_path / "p", "--all-stores").exit_code == 0
