"""The Spark reader: the fixture data as Parquet, read on Spark, holds the same cells, rows and problems as pandas."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from conftest import FIXTURES

from servicekb.compliance.data import read_dataset
from servicekb.compliance.sparkread import read_spark
from servicekb.compliance.targets import find_data_claims, find_profile_timezones
from servicekb.datatables import TABLES
from servicekb.loader import load_corpus

# PySpark 4.0 leaves the local socket of each collected result to the garbage collector (its code, not ours).
pytestmark = [
    pytest.mark.filterwarnings("ignore:unclosed <socket.socket:ResourceWarning"),
    pytest.mark.usefixtures("spark_sockets"),
]

REPO = FIXTURES / "compliance" / "repo"
DATA = FIXTURES / "compliance" / "data"
SCORED = ("tickets", "surveys", "store_periods", "training")


@pytest.fixture(scope="module")
def corpus():
    result = load_corpus(REPO)
    assert result.issues == []
    return result.corpus


@pytest.fixture(scope="module")
def zones(corpus):
    zones, abstract, bad = find_profile_timezones(corpus, dt.date(2026, 1, 1))
    assert bad == []
    return zones, abstract, find_data_claims(corpus)


@pytest.fixture(scope="module")
def pandas_read(zones):
    ds = read_dataset(DATA, zones[0], zones[1], display="data", claims=zones[2])
    assert ds.ok and ds.problems.empty
    return ds


def _read(spark, folder, zones, **kw):
    return read_spark(spark, str(folder), zones[0], zones[1], display="data", claims=zones[2], **kw)


def _cells(values: pd.Series, kind: str) -> list:
    """Cells as plain comparable values: naive UTC timestamps, days, floats, ints, bools, texts; None when missing."""
    out = []
    for v in values.tolist():
        if v is None or (not isinstance(v, str) and pd.isna(v)):
            out.append(None)
        elif kind == "timestamp":
            t = pd.Timestamp(v)
            out.append((t.tz_convert("UTC").tz_localize(None) if t.tzinfo else t).as_unit("us"))
        elif kind == "date":
            out.append(pd.Timestamp(v).date())
        elif kind in ("number",):
            out.append(float(v))
        elif kind == "integer":
            out.append(int(v))
        elif kind == "bool":
            out.append(bool(v))
        else:
            out.append(str(v))
    return out


def _assert_same(relations, ds):
    """Every table, column and cell of the Spark relations equals pandas' typed table, row by row (`_row`)."""
    for name in SCORED:
        expected = ds.tables[name]
        got = relations.table(name).to_pandas().sort_values("_row").reset_index(drop=True)
        assert got["_row"].tolist() == list(expected.index), name
        assert relations.columns[name] == ds.columns[name]
        for col in TABLES[name].columns:
            if col.name not in ds.columns[name]:
                assert col.name not in got.columns
                continue
            assert _cells(got[col.name], col.type) == _cells(expected[col.name], col.type), (name, col.name)
    assert relations.stores.to_dict("list") == ds.stores.to_dict("list")


def _write_text(folder, frames):
    """Each CSV table as Parquet holding the cells as text, as written (offsets or none)."""
    folder.mkdir()
    for name, frame in frames.items():
        pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), folder / f"{name}.parquet")


def _csv(name):
    return pd.read_csv(DATA / f"{name}.csv", dtype=str, keep_default_na=False)


def test_text_cells_are_typed_as_pandas_types_them_local_times_in_each_store_zone(spark, zones, pandas_read, tmp_path):
    # Timestamps with and without an offset, in Shanghai and in Paris (daylight saving), empty cells, yes/no flags.
    _write_text(tmp_path / "pq", {n: _csv(n) for n in (*SCORED, "stores")})
    data = _read(spark, tmp_path / "pq", zones)
    assert data.ok and data.problems.empty, data.problems
    assert data.relations.engine == "spark"
    _assert_same(data.relations, pandas_read)


def test_typed_parquet_utc_instants_and_local_wall_clock_read_the_same(spark, zones, pandas_read, tmp_path):
    typed = tmp_path / "typed"
    typed.mkdir()
    local = tmp_path / "local"
    local.mkdir()
    zone_of = dict(zip(pandas_read.stores["store_id"], pandas_read.stores["timezone"], strict=True))
    for name in SCORED:
        frame = pandas_read.tables[name].copy()
        for c in frame.columns:
            if isinstance(frame[c].dtype, pd.CategoricalDtype):
                frame[c] = frame[c].astype("str").where(frame[c].notna(), None)
        frame.to_parquet(typed / f"{name}.parquet", index=False)  # nanosecond UTC instants, as pandas writes them
        for c in frame.columns:
            if isinstance(frame[c].dtype, pd.DatetimeTZDtype):  # the store's wall clock, no zone: as a till writes
                frame[c] = [
                    t.tz_convert(zone_of[s]).tz_localize(None) if pd.notna(t) else pd.NaT
                    for t, s in zip(frame[c], frame["store_id"], strict=True)
                ]
                frame[c] = frame[c].astype("datetime64[us]")
        frame.to_parquet(local / f"{name}.parquet", index=False)
    _csv("stores").to_parquet(typed / "stores.parquet", index=False)
    _csv("stores").to_parquet(local / "stores.parquet", index=False)
    for folder in (typed, local):
        data = _read(spark, folder, zones)
        assert data.ok and data.problems.empty, data.problems
        _assert_same(data.relations, pandas_read)


def test_row_is_the_position_in_the_file_and_across_part_files_in_name_order(spark, zones, tmp_path):
    frames = {n: _csv(n) for n in (*SCORED, "stores")}
    tickets = frames.pop("tickets")
    _write_text(tmp_path / "parts", frames)
    parts = tmp_path / "parts" / "tickets.parquet"
    parts.mkdir()
    # Three part files, rows not in id order inside them; a user counts rows file by file in name order.
    shuffled = tickets.sample(frac=1, random_state=3).reset_index(drop=True)
    chunks = np.array_split(np.arange(len(shuffled)), 3)
    for i, rows in enumerate(chunks):
        pq.write_table(
            pa.Table.from_pandas(shuffled.iloc[rows], preserve_index=False),
            parts / f"part-{i:05d}.parquet",
            row_group_size=2,
        )
    data = _read(spark, tmp_path / "parts", zones)
    assert data.ok, data.problems
    got = data.relations.table("tickets").to_pandas().sort_values("_row")
    assert got["_row"].tolist() == list(range(len(shuffled)))
    assert got["ticket_id"].tolist() == shuffled["ticket_id"].tolist()


def test_bad_rows_are_located_by_file_row_and_column_counted_beyond_the_limit_and_dropped_when_asked(
    spark, zones, tmp_path
):
    frames = {n: _csv(n) for n in (*SCORED, "stores")}
    surveys = frames["surveys"]
    surveys.loc[2, "csat_score"] = "7"  # out of 1-5, third data row
    surveys.loc[4, "csat_score"] = "seven"
    surveys.loc[5, "answered_at"] = "2026-13-01T10:00:00"
    surveys.loc[6, "store_id"] = "nowhere"
    surveys.loc[7, "response_id"] = surveys.loc[1, "response_id"]
    _write_text(tmp_path / "bad", frames)
    data = _read(spark, tmp_path / "bad", zones, limit=2)
    assert not data.ok and data.relations is None
    found = {(i.code, i.line, i.col, i.path) for i in data.issues()}
    column = {c: i + 1 for i, c in enumerate(surveys.columns)}
    assert found == {
        ("out-of-range", 3, column["csat_score"], "csat_score"),
        ("wrong-type", 5, column["csat_score"], "csat_score"),
        ("wrong-type", 6, column["answered_at"], "answered_at"),
        ("unknown-store", 7, column["store_id"], "store_id"),
        ("duplicate-id", 8, column["response_id"], "response_id"),
    }
    assert all(i.file == "data/surveys.parquet" for i in data.issues())
    messages = {i.code: i.message for i in data.issues()}
    assert messages["out-of-range"] == "'7' is not within 1-5"
    assert messages["duplicate-id"] == f"'{surveys.loc[1, 'response_id']}' is already used on line 2"
    assert data.invalid_rows["surveys"] == 5 and data.rows_read["surveys"] == len(surveys)
    dropped = _read(spark, tmp_path / "bad", zones, drop_invalid=True)
    assert dropped.ok
    kept = dropped.relations.table("surveys").to_pandas()
    assert sorted(kept["_row"]) == [0, 1, 3, 8]


def test_many_bad_rows_only_the_first_are_brought_back_all_are_counted(spark, zones, tmp_path):
    frames = {n: _csv(n) for n in (*SCORED, "stores")}
    frames["tickets"]["kind"] = "gripe"
    _write_text(tmp_path / "many", frames)
    data = _read(spark, tmp_path / "many", zones, limit=3)
    lines = [i.line for i in data.issues() if i.code == "bad-value"]
    assert lines == [1, 2, 3]  # Parquet rows are numbered from 1
    assert data.errors == len(frames["tickets"])
    assert data.hidden(3) == {"bad-value": len(frames["tickets"]) - 3}


def test_missing_columns_wrong_column_types_and_csv_are_file_errors(spark, zones, tmp_path):
    frames = {n: _csv(n) for n in (*SCORED, "stores")}
    frames["tickets"] = frames["tickets"].drop(columns=["channel"])
    frames["surveys"]["answered_at"] = True
    folder = tmp_path / "broken"
    _write_text(folder, {n: f for n, f in frames.items() if n != "training"})
    frames["training"].to_csv(folder / "training.csv", index=False)
    data = _read(spark, folder, zones)
    assert not data.ok
    found = {(i.file, i.line, i.col, i.code, i.path) for i in data.issues()}
    assert ("data/tickets.parquet", 1, 1, "missing-column", "channel") in found
    assert ("data/surveys.parquet", 1, 3, "wrong-type", "answered_at") in found
    assert ("data/training.csv", 1, 1, "not-parquet", "") in found


def test_every_rule_gives_the_same_problems_and_messages_on_spark_as_on_duckdb(spark, zones, tmp_path):
    """One rule set (`compliance.checkrules`) read by both validators: each problem, located and worded alike."""
    from servicekb.compliance.duckdata import read_folder

    frames = {n: _csv(n) for n in (*SCORED, "stores")}
    tickets, surveys, periods, training = (frames[n] for n in SCORED)
    tickets.loc[0, "opened_at"] = "yesterday"  # wrong-type
    tickets.loc[1, "opened_at"] = "1850-01-01T10:00:00"  # out-of-range-time
    tickets.loc[2, "store_id"], tickets.loc[2, "opened_at"] = "pa1", "2026-03-29T02:30:00"  # bad-local-time
    tickets.loc[3, "resolved_at"] = "2020-01-01T10:00:00+08:00"  # before-opening
    tickets.loc[4, "kind"] = "gripe\nwith a line break and a cell longer than the sixty characters a message shows"
    tickets.loc[5, "store_id"] = "baseline"  # an abstract profile's id
    tickets.loc[6, "store_id"] = "nowhere"
    tickets.loc[7, "in_warranty"] = "maybe"
    tickets.loc[9, "ticket_id"] = tickets.loc[8, "ticket_id"]  # duplicate-id: row 9 (line 10) repeats line 9
    tickets.loc[10, "channel"] = ""  # missing-value
    surveys.loc[0, "csat_score"] = "4.5"  # not whole
    surveys.loc[1, "csat_score"] = "0"  # out-of-range
    surveys.loc[2, "nps_score"] = "-inf"  # non-finite-number
    periods.loc[0, "period"] = "2026-13"
    periods.loc[1, "staff_trained"] = "99"  # exceeds-total
    periods.loc[2, "transactions"] = "-5"  # negative-amount
    periods.loc[3, "store_id"], periods.loc[3, "period"] = periods.loc[4, "store_id"], periods.loc[4, "period"]
    training.loc[0, "session_date"] = "2026-02-30"
    training.loc[1, "hours"] = "0"  # not more than 0
    _write_text(tmp_path / "bad", frames)

    def found(issues):
        return sorted((i.file, i.line, i.col, i.code, i.message) for i in issues if i.level.value == "error")

    on_spark = found(_read(spark, tmp_path / "bad", zones).issues())
    with read_folder(tmp_path / "bad", zones[0], zones[1], display="data", claims=zones[2]) as read:
        on_duckdb = found(read.issues())
    assert on_spark == on_duckdb
    codes = {row[3] for row in on_duckdb}
    assert codes == {
        "wrong-type",
        "out-of-range-time",
        "bad-local-time",
        "before-opening",
        "bad-value",
        "unknown-store",
        "duplicate-id",
        "missing-value",
        "out-of-range",
        "non-finite-number",
        "exceeds-total",
        "negative-amount",
    }
    messages = [row[4] for row in on_duckdb]
    assert "'baseline' is an abstract profile, never scored" in messages
    assert (
        "'2026-03-29T02:30:00' does not exist or is ambiguous in Europe/Paris (daylight-saving change): give an offset"
        in messages
    )
    assert any(
        m.startswith("'gripe\\nwith a line break") and m.split("' is not one of")[0].endswith("…") for m in messages
    )
    key = periods.loc[4, ["store_id", "period"]].tolist()
    assert f"store_id and period '{key[0]}', '{key[1]}' given twice" in messages
    assert f"'99' exceeds staff_count '{periods.loc[1, 'staff_count']}'" in messages
    assert f"'{tickets.loc[8, 'ticket_id']}' is already used on line 9" in messages
    assert len(on_duckdb) == 19, on_duckdb  # one problem per cell planted above
