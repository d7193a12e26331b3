"""Reading and validating operational data: every bad input located by file, line and column, nothing dropped
silently."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
from conftest import FIXTURES

from servicekb.compliance.data import read_dataset, validate_frames
from servicekb.issues import Level

DATA = FIXTURES / "compliance" / "data"
ZONES = {"shop-sh": "Asia/Shanghai", "shop-paris": "Europe/Paris"}
ABSTRACT = {"baseline"}


@pytest.fixture
def data(tmp_path: Path) -> Path:
    shutil.copytree(DATA, tmp_path / "data")
    return tmp_path / "data"


def edit(folder: Path, file: str, old: str, new: str) -> None:
    path = folder / file
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} must occur once in {file}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def read(folder: Path, drop: bool = False):
    return read_dataset(folder, ZONES, ABSTRACT, drop_invalid=drop, display="data")


def test_the_fixture_data_is_valid(data):
    ds = read(data)
    assert ds.ok and ds.issues() == []


CASES = [
    # (file, old text, new text, code, line, column name, column position, words in the message)
    # a timestamp that is not a date
    (
        "tickets.csv",
        "T03,sh1,feedback,,app,2026-09-30T10:00:00",
        "T03,sh1,feedback,,app,2026-09-31T10:00:00",
        "wrong-type",
        4,
        "opened_at",
        6,
        "'2026-09-31T10:00:00' is not an ISO 8601 timestamp",
    ),
    # an unknown kind of ticket
    ("tickets.csv", "T01,sh1,complaint", "T01,sh1,complain", "bad-value", 2, "kind", 3, "'complain' is not one of"),
    # a store that is not in stores.csv
    ("tickets.csv", "T02,sh1,", "T02,sh9,", "unknown-store", 3, "store_id", 2, "'sh9' is not a known store"),
    # the same ticket id twice: the second is reported, naming the first
    ("tickets.csv", "T04,sh1", "T03,sh1", "duplicate-id", 5, "ticket_id", 1, "'T03' is already used on line 4"),
    # a response before the opening
    (
        "tickets.csv",
        "2026-01-05T09:00:00,2026-01-05T11:00:00",
        "2026-01-05T09:00:00,2026-01-05T08:00:00",
        "before-opening",
        15,
        "first_response_at",
        7,
        "is before opened_at",
    ),
    # a resolution before the opening
    (
        "tickets.csv",
        "2026-01-05T11:00:00,2026-01-06T09:00:00",
        "2026-01-05T11:00:00,2026-01-04T09:00:00",
        "before-opening",
        15,
        "resolved_at",
        8,
        "'2026-01-04T09:00:00' is before opened_at",
    ),
    # a required value left empty
    (
        "tickets.csv",
        "T01,sh1,complaint,normal,in_store",
        "T01,sh1,complaint,normal,",
        "missing-value",
        2,
        "channel",
        5,
        "a value is required",
    ),
    # a boolean that is not one
    (
        "tickets.csv",
        "2026-10-08T15:00:00,true",
        "2026-10-08T15:00:00,maybe",
        "wrong-type",
        9,
        "in_warranty",
        9,
        "'maybe' is not true or false",
    ),
    # a local time that does not exist (Paris moves from 02:00 to 03:00 on 2026-03-29)
    (
        "tickets.csv",
        "P03,pa1,complaint,normal,phone,2026-03-29T01:30:00",
        "P03,pa1,complaint,normal,phone,2026-03-29T02:30:00",
        "bad-local-time",
        19,
        "opened_at",
        6,
        "Europe/Paris",
    ),
    # a satisfaction score out of range
    (
        "surveys.csv",
        "R01,sh1,2026-01-05T10:00:00,overall,5,10",
        "R01,sh1,2026-01-05T10:00:00,overall,7,10",
        "out-of-range",
        2,
        "csat_score",
        5,
        "'7' is not within 1-5",
    ),
    # a score that is not a whole number
    ("surveys.csv", "overall,4,8", "overall,4.5,8", "wrong-type", 3, "csat_score", 5, "is not a whole number"),
    # a recommendation score out of range
    ("surveys.csv", "overall,5,9", "overall,5,11", "out-of-range", 5, "nps_score", 6, "'11' is not within 0-10"),
    # the same answer id twice
    ("surveys.csv", "R02,sh1", "R01,sh1", "duplicate-id", 3, "response_id", 1, "already used on line 2"),
    # a negative amount
    (
        "store_periods.csv",
        "985000,40000,400000",
        "985000,-40000,400000",
        "negative-amount",
        2,
        "display_cost",
        8,
        "'-40000' is negative",
    ),
    # a part above its total
    (
        "store_periods.csv",
        "sh1,2026-01,10000,3500",
        "sh1,2026-01,10000,12000",
        "exceeds-total",
        2,
        "display_zone_visitors",
        4,
        "exceeds visitors '10000'",
    ),
    # a month that does not exist
    ("store_periods.csv", "sh1,2026-03", "sh1,2026-13", "wrong-type", 4, "period", 2, "is not a month YYYY-MM"),
    # the same store and month twice
    ("store_periods.csv", "sh1,2026-02", "sh1,2026-01", "duplicate-id", 3, "period", 2, "given twice"),
    # a session of no length
    ("training.csv", "E3,sh1,2026-09-15,2", "E3,sh1,2026-09-15,0", "out-of-range", 5, "hours", 4, "is not more than 0"),
    # a date in another format
    (
        "training.csv",
        "E3,sh1,2026-09-15",
        "E3,sh1,2026/09/15",
        "wrong-type",
        5,
        "session_date",
        3,
        "is not a date YYYY-MM-DD",
    ),
    # a store mapped to an abstract profile
    ("stores.csv", "pa1,shop-paris", "pa1,baseline", "unknown-profile", 3, "profile", 2, "abstract profile"),
    # a store mapped to no profile at all
    ("stores.csv", "pa1,shop-paris", "pa1,shop-rome", "unknown-profile", 3, "profile", 2, "is not a profile"),
    # a store listed twice
    ("stores.csv", "pa1,shop-paris", "sh1,shop-paris", "duplicate-id", 3, "store_id", 1, "already used on line 2"),
]


@pytest.mark.parametrize(
    ("file", "old", "new", "code", "line", "column", "col", "words"), CASES, ids=[f"{c[3]}:{c[5]}" for c in CASES]
)
def test_every_bad_cell_is_reported_with_file_line_and_column(data, file, old, new, code, line, column, col, words):
    edit(data, file, old, new)
    ds = read(data)
    found = [i for i in ds.issues() if i.code == code]
    assert [(i.file, i.line, i.col, i.path) for i in found] == [(f"data/{file}", line, col, column)], ds.issues()
    assert words in found[0].message
    assert not ds.ok


def test_scoring_stops_on_errors_unless_invalid_rows_are_dropped(data):
    edit(data, "surveys.csv", "overall,5,10\nR02", "overall,7,10\nR02")
    kept = read(data)
    assert not kept.ok and kept.invalid_rows["surveys"] == 1
    dropped = read(data, drop=True)
    assert dropped.ok
    # The bad answer is gone, counted; every other row is still there.
    assert "R01" not in set(dropped.tables["surveys"]["response_id"])
    assert len(dropped.tables["surveys"]) == dropped.rows_read["surveys"] - 1
    assert dropped.invalid_rows["surveys"] == 1


def test_a_file_level_error_cannot_be_dropped(data):
    frame = pd.read_csv(data / "tickets.csv", dtype=str, keep_default_na=False).drop(columns=["channel"])
    frame.to_csv(data / "tickets.csv", index=False)
    ds = read(data, drop=True)
    assert [(i.code, i.line, i.path) for i in ds.issues() if i.level is Level.error] == [
        ("missing-column", 1, "channel")
    ]
    assert not ds.ok


@pytest.mark.parametrize(
    ("change", "code", "level"),
    [
        # a column nobody reads is a warning: it may be a misspelt optional column
        (
            lambda d: pd.read_csv(d / "training.csv").assign(room="A").to_csv(d / "training.csv", index=False),
            "unknown-column",
            Level.warning,
        ),
        # a missing table is a warning: its metrics have no data
        (lambda d: (d / "training.csv").unlink(), "missing-table", Level.warning),
        # the same table twice is an error: which one counts?
        (lambda d: pd.read_csv(d / "training.csv").to_parquet(d / "training.parquet"), "ambiguous-table", Level.error),
    ],
)
def test_file_level_findings(data, change, code, level):
    change(data)
    ds = read(data)
    assert [(i.code, i.level) for i in ds.issues()] == [(code, level)]
    assert ds.ok is (level is Level.warning)


def test_naive_timestamps_are_in_the_store_timezone_and_offsets_are_kept(data):
    tickets = read(data).tables["tickets"].set_index("ticket_id")
    # Shanghai is UTC+8, Paris UTC+1 in winter and UTC+2 from 29 March.
    assert tickets.loc["T01", "opened_at"] == pd.Timestamp("2026-01-31T15:30:00Z")
    assert tickets.loc["T02", "opened_at"] == pd.Timestamp("2026-01-31T16:30:00Z")
    assert tickets.loc["P01", "opened_at"] == pd.Timestamp("2026-01-31T22:30:00Z")
    assert tickets.loc["P03", "first_response_at"] == pd.Timestamp("2026-03-29T01:30:00Z")
    # A missing severity is `normal`.
    assert tickets.loc["T03", "severity"] == "normal"


def test_parquet_reads_like_csv_with_rows_numbered_from_one(data):
    read(data)  # valid as CSV
    frame = pd.read_csv(data / "surveys.csv", dtype={"nps_score": "float64"})
    frame.loc[2, "csat_score"] = 9
    frame.to_parquet(data / "surveys.parquet")
    (data / "surveys.csv").unlink()
    ds = read(data)
    assert [(i.file, i.line, i.code) for i in ds.issues()] == [("data/surveys.parquet", 3, "out-of-range")]


def test_frames_in_memory_are_validated_the_same_way():
    frames = {
        "stores": pd.DataFrame({"store_id": ["a"], "profile": ["shop-sh"]}),
        "surveys": pd.DataFrame(
            {
                "response_id": ["R1", "R1"],
                "store_id": ["a", "a"],
                "answered_at": pd.to_datetime(["2026-01-01", "2026-01-02"]),
                "topic": ["overall"] * 2,
                "csat_score": [5, 0],
            }
        ),
    }
    ds = validate_frames(frames, ZONES)
    assert sorted((i.line, i.code) for i in ds.issues()) == [(2, "duplicate-id"), (2, "out-of-range")]
