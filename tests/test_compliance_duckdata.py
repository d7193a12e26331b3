"""The out-of-core DuckDB reader: Parquet and CSV validated in SQL, located errors, relations for the engines.

`read_dataset` is a thin layer over `read_folder`, so every case of
test_compliance_data.py and test_hostile_data.py runs through this reader
too; the cases here are those only a large or typed file shows.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest
from conftest import FIXTURES

from servicekb.compliance.duckdata import read_folder
from servicekb.compliance.zones import build_zone_days

DATA = FIXTURES / "compliance" / "data"
ZONES = {"shop-sh": "Asia/Shanghai", "shop-paris": "Europe/Paris"}


@pytest.fixture
def data(tmp_path: Path) -> Path:
    shutil.copytree(DATA, tmp_path / "data")
    return tmp_path / "data"


def _errors(read) -> list[tuple[str, str, int, int, str]]:
    return [(i.file, i.code, i.line, i.col, i.path) for i in read.issues() if i.level.value == "error"]


def _big_tickets(path: Path, rows: int, bad_row: int) -> None:
    """A tickets Parquet file of `rows` rows written in chunks, valid but for one unknown kind at `bad_row`."""
    schema = pa.schema(
        [
            ("ticket_id", pa.string()),
            ("store_id", pa.string()),
            ("kind", pa.string()),
            ("channel", pa.string()),
            ("opened_at", pa.timestamp("us")),
            ("first_response_at", pa.timestamp("us")),
            ("resolved_at", pa.timestamp("us")),
        ]
    )
    start = np.datetime64("2026-01-01T00:00:00", "us")
    chunk = 500_000
    with pq.ParquetWriter(path, schema) as writer:
        for first in range(0, rows, chunk):
            n = min(chunk, rows - first)
            ids = np.arange(first, first + n)
            opened = start + (ids % 20_000_000).astype("timedelta64[s]").astype("timedelta64[us]")
            kind = np.array(["complaint", "consultation", "repair"], dtype=object)[ids % 3]
            if first <= bad_row < first + n:
                kind[bad_row - first] = "complain"
            number = pa.array(ids)
            writer.write_table(
                pa.table(
                    {
                        "ticket_id": pc.binary_join_element_wise("T", pc.cast(number, pa.string()), ""),
                        "store_id": pc.if_else(pc.equal(pc.bit_wise_and(number, 1), 0), "sh1", "pa1"),
                        "kind": pa.array(kind),
                        "channel": pa.array(np.full(n, "phone", dtype=object)),
                        "opened_at": pa.array(opened),
                        "first_response_at": pa.array(opened + np.timedelta64(3600, "s")),
                        "resolved_at": pa.array(opened + np.timedelta64(86_400, "s")),
                    },
                    schema=schema,
                )
            )


def test_a_table_larger_than_memory_gives_its_one_bad_row_with_file_and_line(tmp_path):
    folder = tmp_path / "big"
    folder.mkdir()
    shutil.copy(DATA / "stores.csv", folder / "stores.csv")
    rows, bad = 3_000_000, 1_733_205
    _big_tickets(folder / "tickets.parquet", rows, bad)
    assert (folder / "tickets.parquet").stat().st_size > 0
    # 3 M tickets take about 300 MB as columns in memory (more as pandas frames): DuckDB may use 128 MB.
    with read_folder(folder, ZONES, display="big", memory_limit="128MB", threads=2, temp_root=tmp_path) as read:
        assert read.rows_read["tickets"] == rows
        assert _errors(read) == [("big/tickets.parquet", "bad-value", bad + 1, 3, "kind")]
        found = next(i for i in read.issues() if i.code == "bad-value")
        assert found.message.startswith("'complain' is not one of consultation, complaint")
        assert not read.ok and read.invalid_rows["tickets"] == 1


def test_parquet_with_wrong_types_and_a_missing_column_is_located(data):
    (data / "surveys.csv").unlink()
    pd.DataFrame(
        {
            "response_id": ["R1", "R2", "R3"],
            "store_id": ["sh1", "sh1", "sh1"],
            "answered_at": [1830211200, 1830211201, 1830211202],  # integers, not timestamps
            "csat_score": ["5", "five", "4"],  # text, one not a number
        }
    ).to_parquet(data / "surveys.parquet", index=False)
    with read_folder(data, ZONES, display="data") as read:
        found = _errors(read)
    assert ("data/surveys.parquet", "missing-column", 1, 1, "topic") in found
    assert [f for f in found if f[1] == "wrong-type"] == [
        ("data/surveys.parquet", "wrong-type", 1, 3, "answered_at"),
        ("data/surveys.parquet", "wrong-type", 2, 3, "answered_at"),
        ("data/surveys.parquet", "wrong-type", 2, 4, "csat_score"),
        ("data/surveys.parquet", "wrong-type", 3, 3, "answered_at"),
    ]


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"", "cannot read"),  # an empty file
        (b"PAR1 this is not a parquet file PAR1", "cannot read"),  # garbage with the magic bytes
    ],
)
def test_an_unreadable_parquet_file_is_a_located_file_error(data, content, words):
    (data / "training.csv").unlink()
    (data / "training.parquet").write_bytes(content)
    with read_folder(data, ZONES, display="data") as read:
        found = [i for i in read.issues() if i.code == "unreadable-file"]
        assert [(i.file, i.line) for i in found] == [("data/training.parquet", 1)]
        assert words in found[0].message
        assert not read.ok


def test_parquet_timestamps_naive_in_the_store_zone_aware_kept(data):
    (data / "surveys.csv").unlink()
    frame = pd.DataFrame(
        {
            "response_id": ["R1", "R2", "R3"],
            "store_id": ["pa1", "pa1", "pa1"],
            "answered_at": pd.to_datetime(["2026-01-15 12:00", "2026-07-15 12:00", "2026-03-29 02:30"]),
            "topic": ["overall"] * 3,
            "csat_score": [5, 4, 3],
        }
    )
    frame.to_parquet(data / "surveys.parquet", index=False)
    with read_folder(data, ZONES, display="data") as read:
        # 02:30 on 29 March does not exist in Paris
        assert _errors(read) == [("data/surveys.parquet", "bad-local-time", 3, 3, "answered_at")]
        relations = read.relations()
        got = relations.table("surveys").order_by("_row").to_pyarrow().to_pandas()
    assert list(got["answered_at"].astype("datetime64[us]")) == [
        pd.Timestamp("2026-01-15 11:00"),  # UTC+1 in winter
        pd.Timestamp("2026-07-15 10:00"),  # UTC+2 in summer
        pd.NaT,
    ]


def test_relations_hold_the_valid_rows_typed_with_their_lines(data):
    text = (data / "tickets.csv").read_text(encoding="utf-8")
    (data / "tickets.csv").write_text(text.replace("T03,sh1,feedback", "T03,sh1,bogus"), encoding="utf-8")
    with read_folder(data, ZONES, display="data", drop_invalid=True) as read:
        assert read.ok and read.invalid_rows["tickets"] == 1
        rel = read.relations()
        tickets = rel.table("tickets")
        schema = tickets.schema()
        assert str(schema["opened_at"]).startswith("timestamp") and str(schema["kind"]) == "string"
        assert str(schema["_row"]) == "int64"
        frame = tickets.to_pyarrow().to_pandas()
        assert "T03" not in set(frame["ticket_id"]) and len(frame) == read.rows_read["tickets"] - 1
        assert set(frame["severity"]) <= {"normal", "major", "critical", "minor"}  # filled where empty
        assert rel.line("tickets", 2) == 4 and rel.files["tickets"] == "data/tickets.csv"
        assert set(rel.stores["store_id"]) == {"sh1", "pa1"}


def test_zone_day_table_converts_local_times_as_pandas_does():
    zones = ["Europe/Paris", "America/New_York", "Australia/Lord_Howe"]
    days = build_zone_days(zones)
    rng = np.random.default_rng(1)
    for zone in zones:
        table = days[days["zone"] == zone].set_index("day")
        near = table["bad_from"].dropna().to_numpy().astype("datetime64[s]")
        near = near[(near > np.datetime64("1970-01-01")) & (near < np.datetime64("2100-01-01"))]
        offsets = np.array([-1, 0, 1, 1799, 1800, 3599, 3600], dtype="timedelta64[s]")
        local = np.concatenate(
            [
                (near[:, None] + offsets[None, :]).ravel(),
                rng.integers(0, 4_000_000_000, 2_000).astype("datetime64[s]"),
            ]
        )
        expected = (
            pd.Series(local).dt.tz_localize(zone, ambiguous="NaT", nonexistent="NaT").dt.tz_convert("UTC")
        ).dt.tz_localize(None)
        row = table.loc[pd.DatetimeIndex(local).normalize()]
        bad_from, bad_to = row["bad_from"].to_numpy(), row["bad_to"].to_numpy()
        before = local - row["off_before"].to_numpy().astype("timedelta64[s]")
        after = local - row["off_after"].to_numpy().astype("timedelta64[s]")
        got = np.where(
            np.isnat(bad_from) | (local < bad_from), before, np.where(local >= bad_to, after, np.datetime64("NaT"))
        )
        pd.testing.assert_series_equal(
            pd.Series(got.astype("datetime64[ns]")), expected.astype("datetime64[ns]"), check_names=False
        )


def test_scoring_the_relations_gives_the_scorecard_of_the_pandas_frames():
    import datetime as dt

    from servicekb.compliance.scorecard import score_stores
    from servicekb.compliance.targets import find_profile_timezones
    from servicekb.loader import load_corpus

    corpus = load_corpus(FIXTURES / "compliance" / "repo").corpus
    zones, abstract, _ = find_profile_timezones(corpus, dt.date(2026, 1, 1))
    with read_folder(DATA, zones, abstract, display="data") as read:
        assert read.ok
        direct = score_stores(corpus, read.relations(), ["pa1", "sh1"]).frame
        via_pandas = score_stores(corpus, read.to_dataset(), ["pa1", "sh1"]).frame
    assert len(direct) == 2 * 10 * 17
    pd.testing.assert_frame_equal(direct.reset_index(drop=True), via_pandas.reset_index(drop=True))


def test_score_refuses_a_parquet_file_of_wrong_types_located_and_writes_nothing(data, tmp_path):
    from typer.testing import CliRunner

    from servicekb.cli import _register, app, score_cmd  # noqa: F401 - registers the commands

    _register()
    (data / "training.csv").unlink()
    pd.DataFrame(
        {"employee_id": ["E1"], "store_id": ["sh1"], "session_date": ["2026-01-12"], "hours": ["three"]}
    ).to_parquet(data / "training.parquet", index=False)
    out = tmp_path / "card.csv"
    args = ["score", "--data", str(data), "--all-stores", "--format", "csv", "-o", str(out)]
    result = CliRunner().invoke(app, [*args, "--root", str(FIXTURES / "compliance" / "repo")])
    assert result.exit_code == 1, result.output
    assert f"{data.as_posix()}/training.parquet:1:4: error[wrong-type] hours: 'three' is not a number" in result.stderr
    assert "Traceback" not in result.output and not out.exists()
    bad = CliRunner().invoke(app, [*args, "--memory-limit", "lots", "--root", str(FIXTURES / "compliance" / "repo")])
    assert bad.exit_code == 2 and "--memory-limit 'lots'" in bad.stderr


def test_zoned_parquet_timestamps_score_as_the_local_csv_they_came_from(tmp_path):
    """A warehouse export stores UTC instants with their zone: read without any zone lookup, same scorecard.

    The zoned columns take the reader's fast path (epoch arithmetic, no join with the stores' zones),
    including an empty time and one outside the supported range, which must still be caught.
    """
    import datetime as dt

    from servicekb.compliance.scorecard import score_stores
    from servicekb.compliance.targets import find_profile_timezones
    from servicekb.loader import load_corpus

    corpus = load_corpus(FIXTURES / "compliance" / "repo").corpus
    zones, abstract, _ = find_profile_timezones(corpus, dt.date(2026, 1, 1))
    with read_folder(DATA, zones, abstract, display="data") as read:
        assert read.ok
        from_csv = score_stores(corpus, read.relations(), ["pa1", "sh1"]).frame
        frames = read.to_dataset().tables
    zoned = tmp_path / "zoned"
    shutil.copytree(DATA, zoned)
    for name in ("tickets", "surveys"):
        (zoned / f"{name}.csv").unlink()
        frame = frames[name].reset_index(drop=True)
        for column in frame.columns:
            if isinstance(frame[column].dtype, pd.CategoricalDtype):
                frame[column] = frame[column].astype("str").where(frame[column].notna(), None)
        frame.to_parquet(zoned / f"{name}.parquet", index=False)
    assert str(pq.read_schema(zoned / "tickets.parquet").field("opened_at").type).endswith("tz=UTC]")
    with read_folder(zoned, zones, abstract, display="zoned") as read:
        assert read.ok, _errors(read)
        from_parquet = score_stores(corpus, read.relations(), ["pa1", "sh1"]).frame
    pd.testing.assert_frame_equal(from_parquet.reset_index(drop=True), from_csv.reset_index(drop=True))

    tickets = pq.read_table(zoned / "tickets.parquet").to_pandas()
    far = pd.Timestamp("2301-01-01", tz="UTC")
    tickets["resolved_at"] = tickets["resolved_at"].astype("datetime64[us, UTC]")  # 2301 needs microseconds
    tickets.loc[1, "resolved_at"] = far
    tickets.loc[2, "opened_at"] = pd.NaT
    tickets.to_parquet(zoned / "tickets.parquet", index=False)
    with read_folder(zoned, zones, abstract, display="zoned") as read:
        # Parquet rows are numbered from 1: positions 2 and 1 are rows 3 and 2.
        assert sorted(_errors(read)) == [
            ("zoned/tickets.parquet", "missing-value", 3, tickets.columns.get_loc("opened_at") + 1, "opened_at"),
            (
                "zoned/tickets.parquet",
                "out-of-range-time",
                2,
                tickets.columns.get_loc("resolved_at") + 1,
                "resolved_at",
            ),
        ]


def test_text_with_edge_spaces_is_stripped_for_the_engines_and_clean_columns_read_as_they_are(data):
    """Validation counts the text cells with an edge space; the engines' view strips only columns that have one."""
    tickets = pd.read_csv(data / "tickets.csv", dtype=str, keep_default_na=False)
    tickets.loc[0, "kind"] = " complaint\u3000"  # an ideographic space, as a Chinese spreadsheet leaves it
    (data / "tickets.csv").unlink()
    tickets.to_parquet(data / "tickets.parquet", index=False)
    with read_folder(data, ZONES, display="data") as read:
        assert read.ok, _errors(read)
        got = read.relations().table("tickets").order_by("_row").to_pyarrow().to_pandas()
        view = read.session.con.execute("SELECT sql FROM duckdb_views() WHERE view_name = 'values_tickets'")
        sql = view.fetchone()[0]
    assert got["kind"].iloc[0] == "complaint"
    assert list(got["ticket_id"]) == list(tickets["ticket_id"])
    # kind had an edge space, so it is stripped; the ids had none, so they are read as stored.
    assert "trim(c2" in sql.replace('"', "") and "trim(c0" not in sql.replace('"', "")


@pytest.mark.parametrize(
    ("written", "shown"),
    [
        ("T03", "'T03'"),  # the same id, as stored: the ids are read without stripping
        ("T03\u3000", "'T03\u3000'"),  # the same id after stripping an ideographic space
    ],
)
def test_an_id_given_twice_is_found_whether_or_not_its_column_has_edge_spaces(data, written, shown):
    """No two distinct hashes prove the ids unique; an id given twice is still located, spaced or not."""
    tickets = pd.read_csv(data / "tickets.csv", dtype=str, keep_default_na=False)
    first = tickets.index[tickets["ticket_id"] == "T03"][0]
    tickets.loc[first + 1, "ticket_id"] = written
    (data / "tickets.csv").unlink()
    tickets.to_parquet(data / "tickets.parquet", index=False)
    with read_folder(data, ZONES, display="data") as read:
        found = [(i.line, i.code, i.message) for i in read.issues() if i.code == "duplicate-id"]
    assert found == [(first + 2, "duplicate-id", f"{shown} is already used on line {first + 1}")]
