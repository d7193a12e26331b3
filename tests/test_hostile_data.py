"""Hostile operational data: every damaged cell, row or file is reported at its physical place; no row is swallowed.

Each case damages one line of a scratch copy of the compliance data
fixture and reads the folder as `servicekb score` does. It must give the
expected code at the expected file, physical line and column; the dataset
must refuse to be scored (nothing passes silently); no traceback; and every
line of the file must be accounted for, as a row or inside a reported one
(nothing lost).
"""

from __future__ import annotations

import math
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import FIXTURES

from servicekb.compliance.data import read_dataset

DATA = FIXTURES / "compliance" / "data"
ZONES = {"shop-sh": "Asia/Shanghai", "shop-paris": "Europe/Paris"}
T03 = "T03,sh1,feedback,,app,2026-09-30T10:00:00,2026-09-30T11:00:00,2026-10-09T18:00:00,,"


@pytest.fixture
def data(tmp_path: Path) -> Path:
    shutil.copytree(DATA, tmp_path / "data")
    return tmp_path / "data"


def _replace(data: Path, table: str, line: int, text: str) -> None:
    """Replace physical line `line` (1 = header) of `table`.csv by `text` (which may hold several lines)."""
    path = data / f"{table}.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[line - 1] = text
    path.write_text("\n".join(lines), encoding="utf-8")


def _cell(data: Path, table: str, line: int, column: str, value: str) -> None:
    path = data / f"{table}.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    header = lines[0].split(",")
    cells = lines[line - 1].split(",")
    cells[header.index(column)] = value
    lines[line - 1] = ",".join(cells)
    path.write_text("\n".join(lines), encoding="utf-8")


def _read(data: Path, **kwargs):
    return read_dataset(data, ZONES, drop_invalid=kwargs.get("drop_invalid", False), display="data")


def _found(ds) -> list[tuple[str, str, int, int]]:
    return [(i.file, i.code, i.line, i.col) for i in ds.issues() if i.level.value == "error"]


def _lines_of(data: Path, table: str) -> int:
    """Data lines (not blank, header excluded) in the file as written."""
    return sum(1 for line in (data / f"{table}.csv").read_text(encoding="utf-8").split("\n")[1:] if line.strip())


CELLS = [
    # --- non-finite numbers: accepted before, they produced wrong verdicts
    ("store_periods", 2, "visitors", "inf", "non-finite-number", 3),
    ("store_periods", 2, "visitors", "1e400", "non-finite-number", 3),
    ("store_periods", 3, "total_cost", "-inf", "non-finite-number", 9),
    ("store_periods", 2, "transactions", "nan", "non-finite-number", 5),
    ("store_periods", 2, "staff_count", "Infinity", "non-finite-number", 10),
    ("training", 2, "hours", "inf", "non-finite-number", 4),
    ("surveys", 2, "csat_score", "1e400", "non-finite-number", 5),
    ("surveys", 2, "nps_score", "NaN", "non-finite-number", 6),
    # --- timestamps out of range: were an OutOfBoundsDatetime traceback
    ("tickets", 2, "opened_at", "9999-12-31T23:59:59", "out-of-range-time", 6),
    ("tickets", 2, "opened_at", "0001-01-01T00:00:00", "out-of-range-time", 6),
    ("tickets", 2, "first_response_at", "9999-12-31T23:59:59+08:00", "out-of-range-time", 7),
    ("tickets", 2, "resolved_at", "1677-09-21T00:00:00", "out-of-range-time", 8),
    ("surveys", 2, "answered_at", "2262-04-12T00:00:00Z", "out-of-range-time", 3),
    ("training", 2, "session_date", "9999-12-31", "out-of-range-time", 3),
    ("training", 2, "session_date", "0001-01-01", "out-of-range-time", 3),
    # --- cells that are not what the column holds
    ("tickets", 2, "opened_at", "1830211200", "wrong-type", 6),
    ("training", 2, "session_date", "20260112", "wrong-type", 3),
    ("store_periods", 2, "visitors", "1,000", "ragged-row", 1),  # an unquoted thousands separator adds a field
]


@pytest.mark.parametrize(
    ("table", "line", "column", "value", "code", "col"), CELLS, ids=[f"{c[4]}-{c[3]}" for c in CELLS]
)
def test_a_hostile_cell_is_reported_at_its_line_and_column(data, table, line, column, value, code, col):
    rows = _lines_of(data, table)
    _cell(data, table, line, column, value)
    ds = _read(data)
    assert (f"data/{table}.csv", code, line, col) in _found(ds)
    assert not ds.ok
    assert ds.rows_read[table] == rows  # every line read as a row


ROWS = [
    # one stray quote used to merge the rest of the file into a text field (15 tickets lost, exit 0)
    (4, T03.replace("feedback", '"feedback', 1), "multiline-field", 4, 1),
    # a field quoted across two lines
    (4, T03 + '"a\nb"', "multiline-field", 4, 1),
    # a whole row inside one quoted field
    (4, T03 + '"T99,sh1,complaint,normal,app,2026-01-01T00:00:00,,,,"', "embedded-row", 4, 10),
    # too many fields
    (4, T03 + ",extra", "ragged-row", 4, 1),
    # too few fields
    (4, "T03,sh1,feedback", "ragged-row", 4, 1),
]


@pytest.mark.parametrize(("line", "text", "code", "at", "col"), ROWS, ids=[f"{r[2]}-{i}" for i, r in enumerate(ROWS)])
def test_a_damaged_row_is_reported_and_no_row_is_swallowed(data, line, text, code, at, col):
    _replace(data, "tickets", line, text)
    ds = _read(data)
    assert ("data/tickets.csv", code, at, col) in _found(ds)
    assert not ds.ok
    # nothing lost silently: a record spanning lines is reported with the lines it covers
    if code == "multiline-field":
        message = next(i.message for i in ds.issues() if i.code == code)
        assert message.startswith(f"this row spans lines {at}-")


def test_line_numbers_stay_physical_after_a_quoted_multiline_field(data):
    _replace(data, "tickets", 4, T03 + '"a\nb"')  # T03 now covers lines 4-5
    _cell(data, "tickets", 8, "kind", "bogus")  # was line 7 (T06) before the extra line
    ds = _read(data)
    assert ("data/tickets.csv", "bad-value", 8, 3) in _found(ds)


def test_line_numbers_stay_physical_after_blank_and_crlf_lines(data):
    path = data / "tickets.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    lines.insert(3, "")  # a blank line 4
    path.write_bytes("\r\n".join(lines).encode("utf-8"))
    _cell_crlf = lines[6].split(",")
    _cell_crlf[2] = "bogus"
    lines[6] = ",".join(_cell_crlf)
    path.write_bytes("\r\n".join(lines).encode("utf-8"))
    ds = _read(data)
    assert ("data/tickets.csv", "bad-value", 7, 3) in _found(ds)


@pytest.mark.parametrize(
    ("payload", "encoding", "line", "col"),
    [
        # GBK (a Chinese spreadsheet's default export) was refused only at 1:1
        ("E9,sh1,2026-01-12,3\n备注,sh1,2026-01-13,2\n", "gbk", 8, 1),
        ("E9,sh1,2026-01-12,3\n訓練記錄,sh1,2026-01-13,2\n", "big5", 8, 1),
    ],
)
def test_a_file_in_another_encoding_is_refused_at_its_first_bad_byte(data, payload, encoding, line, col):
    path = data / "training.csv"
    path.write_bytes(path.read_bytes() + payload.encode(encoding))
    ds = _read(data)
    found = [i for i in ds.issues() if i.code == "not-utf8"]
    assert [(i.file, i.line, i.col) for i in found] == [("data/training.csv", line, col)]
    assert "save the file as UTF-8" in found[0].message
    assert not ds.ok and not _read(data, drop_invalid=True).ok  # dropping rows cannot fix a file


def test_utf16_is_refused_with_its_name(data):
    path = data / "training.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode("utf-16"))
    ds = _read(data)
    assert [(i.code, i.line) for i in ds.issues() if i.file == "data/training.csv"] == [("not-utf8", 1)]


def test_a_duplicate_header_column_is_a_file_error(data):
    _replace(data, "training", 1, "employee_id,store_id,session_date,hours,hours")
    ds = _read(data)
    assert ("data/training.csv", "duplicate-column", 1, 5) in _found(ds)
    assert not _read(data, drop_invalid=True).ok


def test_drop_invalid_counts_exactly_what_it_drops(data):
    _replace(data, "tickets", 4, T03.replace("feedback", '"feedback', 1))  # swallows lines 4-20
    _cell(data, "store_periods", 2, "visitors", "inf")
    _replace(data, "stores", 4, "zz9,nope")  # a store without data, on a profile that does not exist
    ds = _read(data, drop_invalid=True)
    assert ds.ok
    assert ds.invalid_rows["tickets"] == 1 and ds.rows_read["tickets"] == 3
    assert (
        ds.invalid_rows["store_periods"] == 1 and len(ds.tables["store_periods"]) == ds.rows_read["store_periods"] - 1
    )
    # stores.csv: the denominator is its own rows (was missing, so 'n of n')
    assert ds.invalid_rows["stores"] == 1 and ds.rows_read["stores"] == 3
    assert np.isfinite(ds.tables["store_periods"]["visitors"].dropna()).all()


def test_parquet_out_of_range_and_infinite_values_are_reported_per_row(data):
    (data / "store_periods.csv").unlink()
    (data / "training.csv").unlink()
    frame = pd.DataFrame(
        {
            "employee_id": ["E1", "E2"],
            "store_id": ["sh1", "sh1"],
            "session_date": pd.to_datetime(["2026-01-12", "2026-01-13"]).astype("datetime64[us]"),
            "hours": [3.0, math.inf],
        }
    )
    frame.loc[0, "session_date"] = pd.Timestamp("9999-12-31").as_unit("us")
    frame.to_parquet(data / "training.parquet", index=False)
    ds = _read(data)
    found = _found(ds)
    assert ("data/training.parquet", "out-of-range-time", 1, 3) in found
    assert ("data/training.parquet", "non-finite-number", 2, 4) in found
