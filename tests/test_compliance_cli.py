"""`servicekb sample-data`, `score` and `explain`: outputs, exit codes, and a scorecard retraced by hand."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
from conftest import FIXTURES
from typer.testing import CliRunner

from servicekb.cli import (
    _register,
    app,
    score_cmd,  # noqa: F401 - registers the commands until cli/__init__ does
)
from servicekb.compliance.scorecard import COLUMNS

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


def test_table_output_names_the_store_has_one_line_per_row_and_summaries(data):
    from rich.cells import cell_len

    result = score(data, "--profile", "stores/shop-sh.yaml")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    # Who: the profile's name and id, its data store, the period and the as-of instant in the store's time.
    assert lines[:2] == [
        "上海测试店（shop-sh）· 数据门店 sh1",
        "期间 2026-01 至 2026-10 · 截至 2026-10-31 12:00（Asia/Shanghai）",
    ]
    assert lines[3].split() == ["期间", "指标", "目标", "实测", "要求", "n", "95%", "区间", "结论"]
    # 10 months x 17 targets for sh1: every row starts with its period (a long population may wrap onto a second line).
    assert sum(1 for line in lines if line[:7] in {f"2026-{m:02d}" for m in range(1, 11)}) == 170
    # Chinese names, targets in words, the share a deadline requires next to its attainment, a coloured-word verdict.
    row = next(line for line in lines if line.startswith("2026-01") and "投诉解决时间" in line)
    assert row.split() == [
        "2026-01",
        "投诉解决时间",
        "·",
        "投诉",
        "≤",
        "48",
        "小时",
        "按时",
        "66.7",
        "%",
        "≥",
        "100",
        "%",
        "3",
        "未达标",
    ]
    assert max(cell_len(line) for line in lines) <= 120
    assert "sh1：达标 24 · 未达标 17 · 无法判定 2 · 无数据 107 · 无法计算 20" in lines
    assert lines[-1].startswith("共 170 行：") and "无法计算" in lines[-1] and "not-computable" not in lines[-1]


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
    assert list(book) == ["汇总", "pa1", "sh1", "说明"]
    assert len(book["pa1"]) + len(book["sh1"]) == 340
    # An existing workbook is replaced only with --force.
    again = score(data, "--all-stores", "--format", "xlsx", "--output", str(target))
    assert again.exit_code == 2 and "--force" in again.stderr
    assert score(data, "--all-stores", "--format", "xlsx", "--output", str(target), "--force").exit_code == 0


def test_quarters(data):
    frame = pd.read_csv(io.StringIO(score(data, "--all-stores", "--period", "quarter", "--format", "csv").stdout))
    assert sorted(set(frame["period"])) == ["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"]


def test_bad_data_stops_scoring_with_every_problem_located(data):
    text = (data / "surveys.csv").read_text()
    (data / "surveys.csv").write_text(
        text.replace("overall,5,10\nR02", "overall,7,10\nR02").replace("R03,sh1", "R03,sh7")
    )
    result = score(data, "--all-stores")
    assert result.exit_code == 1
    assert f"{data.as_posix()}/surveys.csv:2:5: error[out-of-range] csat_score: '7' is not within 1-5" in result.stderr
    assert (
        f"{data.as_posix()}/surveys.csv:4:2: error[unknown-store] store_id: 'sh7' is not a known store" in result.stderr
    )
    assert "scoring stopped" in result.stderr and "surveys.csv: 2 of 9 rows" in result.stderr
    # With --drop-invalid the two rows are left out, said so, and the rest is scored.
    dropped = score(data, "--all-stores", "--drop-invalid", "--format", "csv")
    assert dropped.exit_code == 0
    assert "dropped invalid rows" in dropped.stderr
    frame = pd.read_csv(io.StringIO(dropped.stdout))
    january = frame[
        (frame.store_id == "sh1")
        & (frame.period == "2026-01")
        & (frame.metric == "customer-satisfaction")
        & (frame.population == "all")
    ]
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


def test_a_missing_data_folder_is_a_usage_error_and_the_sample_data_says_where_it_comes_from(tmp_path):
    for other in (tmp_path / "nowhere", tmp_path / "mydata" / "sample"):
        result = score(other, "--all-stores")
        assert result.exit_code == 2 and "is not a folder" in result.stderr and "make book" not in result.stderr
    # A fresh clone has no data/sample until the handbook is built: the README's first command says so.
    sample = score(tmp_path / "data" / "sample", "--all-stores")
    assert sample.exit_code == 2
    assert "is not a folder (the handbook's sample data: `make book` writes it)" in sample.stderr


def test_an_event_the_working_day_calendar_cannot_judge_is_reported_and_the_rest_is_scored(data):
    with (data / "tickets.csv").open("a", encoding="utf-8") as fh:
        # Unanswered on 5 Jan 2027; its third working day falls in 2027, a year chinese-calendar does not know yet.
        fh.write("T99,sh1,feedback,,app,2026-12-30T10:00:00,,,,\n")
    lines = len((data / "tickets.csv").read_text(encoding="utf-8").splitlines())
    result = score(data, "--all-stores", "--as-of", "2027-01-05", "--format", "csv")
    assert result.exit_code == 0, result.output
    assert (
        f"{data.as_posix()}/tickets.csv:{lines}:1: warning[calendar-out-of-range] "
        "ticket_id: T99: feedback-resolution-time" in result.stderr
    )
    frame = pd.read_csv(io.StringIO(result.stdout))
    december = frame[
        (frame.store_id == "sh1") & (frame.period == "2026-12") & (frame.metric == "feedback-resolution-time")
    ].iloc[0]
    assert december["status"] == "no-data" and december["reason"].startswith("1 event(s) need a year")
    october = frame[
        (frame.store_id == "sh1") & (frame.period == "2026-10") & (frame.metric == "feedback-resolution-time")
    ].iloc[0]
    assert october["status"] == "fail"


def test_explain_retraces_the_scorecard_row_by_hand(data):
    card = pd.read_csv(io.StringIO(score(data, "--all-stores", "--format", "csv").stdout))
    r = card[
        (card.store_id == "sh1")
        & (card.period == "2026-01")
        & (card.metric == "customer-satisfaction")
        & (card.population == "all")
    ].iloc[0]
    result = run(
        "explain",
        "--profile",
        "shop-sh",
        "--data",
        str(data),
        "--store",
        "sh1",
        "--period",
        "2026-01",
        "--metric",
        "customer-satisfaction",
    )
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
    result = run(
        "explain",
        "--profile",
        "shop-sh",
        "--data",
        str(data),
        "--store",
        "sh1",
        "--period",
        "2026-10",
        "--metric",
        "feedback-resolution-time",
    )
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert "met 0; breaches 2 (late 1, unanswered past the deadline 1); pending 1" in text
    worst = text.split("five worst events:")[1].splitlines()
    # T07 (5 working days overdue) before T04 (1 working day late).
    assert worst[1].split()[0] == "ticket_id" and worst[2].split()[0] == "T07" and worst[3].split()[0] == "T04"


def test_explain_names_what_exists_when_asked_for_something_else(data):
    result = run(
        "explain",
        "--profile",
        "shop-sh",
        "--data",
        str(data),
        "--store",
        "sh1",
        "--period",
        "2026-01",
        "--metric",
        "nps",
    )
    assert result.exit_code == 2 and "sh1 has no target on 'nps'" in result.stderr
    result = run(
        "explain",
        "--profile",
        "shop-sh",
        "--data",
        str(data),
        "--store",
        "pa1",
        "--period",
        "2026-01",
        "--metric",
        "csi-score",
    )
    assert result.exit_code == 2 and "store 'pa1' has no data scored against shop-sh" in result.stderr


def test_sample_data_is_deterministic_and_scores_cleanly(tmp_path):
    for name in ("a", "b", "c"):
        seed = "2" if name == "c" else "1"
        result = run("sample-data", "--stores", "3", "--months", "2", "--seed", seed, "-o", str(tmp_path / name))
        assert result.exit_code == 0, result.output
    files = sorted(p.name for p in (tmp_path / "a").iterdir())
    # the marker says the folder is synthetic: sample-data may replace it, never a folder of real data
    assert files == [
        ".servicekb-sample",
        "store_periods.csv",
        "stores.csv",
        "surveys.csv",
        "tickets.csv",
        "training.csv",
    ]
    assert all((tmp_path / "a" / f).read_bytes() == (tmp_path / "b" / f).read_bytes() for f in files)
    assert (tmp_path / "a" / "tickets.csv").read_bytes() != (tmp_path / "c" / "tickets.csv").read_bytes()
    result = score(tmp_path / "a", "--all-stores", "--format", "csv")
    assert result.exit_code == 0 and result.stderr == ""
    assert set(pd.read_csv(io.StringIO(result.stdout))["store_id"]) == {"s001", "s002", "s003"}


def test_sample_data_as_parquet(tmp_path):
    result = run("sample-data", "--stores", "2", "--months", "1", "-o", str(tmp_path / "p"), "--format", "parquet")
    assert result.exit_code == 0
    assert score(tmp_path / "p", "--all-stores").exit_code == 0
