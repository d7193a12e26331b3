"""DuckDB, Spark and the independent oracle agree cell by cell on every measure of every target.

The same two datasets as the DuckDB agreement test, on Spark in local mode:
the hand-written fixture (timezone edges, a daylight-saving change, pending
and overdue deadlines, empty and zero denominators), its cells written to
Parquet as text, and a generated sample written as typed Parquet (UTC
instants, nanoseconds as pandas writes them).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from conftest import FIXTURES
from oracle import MEASURED, score

from servicekb.compliance.data import read_dataset, validate_frames
from servicekb.compliance.scorecard import score_stores
from servicekb.compliance.sparkread import read_spark
from servicekb.compliance.synthetic import generate_sample, make_sample_stores
from servicekb.compliance.targets import find_data_claims, find_profile_timezones
from servicekb.loader import load_corpus
from servicekb.models import MetricKind

# PySpark 4.0 leaves the local socket of each collected result to the garbage collector (its code, not ours).
pytestmark = [
    pytest.mark.filterwarnings("ignore:unclosed <socket.socket:ResourceWarning"),
    pytest.mark.usefixtures("spark_sockets"),
]

REPO = FIXTURES / "compliance" / "repo"
DATA = FIXTURES / "compliance" / "data"
CELLS = [*MEASURED, "status"]


@pytest.fixture(scope="module")
def setting():
    corpus = load_corpus(REPO).corpus
    zones, abstract, _ = find_profile_timezones(corpus, dt.date(2026, 1, 1))
    return corpus, zones, abstract, find_data_claims(corpus)


def _fixture(folder, setting):
    """The fixture's CSV cells as text Parquet, and pandas' reading of the CSV files."""
    corpus, zones, abstract, claims = setting
    folder.mkdir()
    for name in ("tickets", "surveys", "store_periods", "training", "stores"):
        pd.read_csv(DATA / f"{name}.csv", dtype=str, keep_default_na=False).to_parquet(
            folder / f"{name}.parquet", index=False
        )
    return read_dataset(DATA, zones, abstract, claims=claims)


def _generated(folder, setting):
    """Four stores over eleven months of 2026, typed Parquet, and pandas' validation of the same frames."""
    corpus, zones, abstract, _ = setting
    stores = make_sample_stores(4, [("shop-paris", zones["shop-paris"], False), ("shop-sh", zones["shop-sh"], False)])
    frames = generate_sample(stores, 11, seed=3, tickets_per_store_month=30, surveys_per_store_month=15)
    folder.mkdir()
    for name, frame in frames.items():
        for column in frame.columns:
            if pd.api.types.is_datetime64_any_dtype(frame[column]):
                frame[column] = frame[column].dt.floor("us")
        frame.to_parquet(folder / f"{name}.parquet", index=False)
    return validate_frames(frames, zones, abstract)


def _cells(card) -> pd.DataFrame:
    return card.frame[["spec_id", "store_id", "period", "metric", "population", *CELLS]]


def _differ(a: pd.DataFrame, b: pd.DataFrame, columns, how: str = "outer") -> pd.DataFrame:
    """Cells missing on one side, or whose figures differ (`how="left"`: every cell of `a` must be in `b`)."""
    merged = a.merge(b, on=["spec_id", "store_id", "period"], how=how, suffixes=("", "_other"), indicator=True)
    bad = merged["_merge"].to_numpy() != "both"
    for col in columns:
        x, y = merged[col], merged[f"{col}_other"]
        if col == "status":
            bad |= x.astype("str").to_numpy() != y.astype("str").to_numpy()
        else:
            bad |= ~np.isclose(
                x.to_numpy(dtype=np.float64), y.to_numpy(dtype=np.float64), rtol=1e-9, atol=1e-9, equal_nan=True
            )
    return merged.loc[bad]


@pytest.mark.parametrize(("which", "granularity"), [("fixture", "month"), ("generated", "quarter")])
def test_duckdb_spark_and_the_oracle_agree_on_every_cell(spark, setting, tmp_path, which, granularity):
    corpus, zones, abstract, claims = setting
    folder = tmp_path / which
    ds = (_fixture if which == "fixture" else _generated)(folder, setting)
    assert ds.ok
    read = read_spark(spark, str(folder), zones, abstract, claims=claims)
    assert read.ok and read.problems.empty, read.problems
    stores = sorted(set(ds.stores["store_id"]) & set(ds.tables["tickets"]["store_id"].astype(str)))
    on_duckdb = score_stores(corpus, ds, stores, granularity)
    on_spark = score_stores(corpus, read.relations, stores, granularity)
    assert on_spark.context.relations.engine == "spark"
    wrong = _differ(_cells(on_duckdb), _cells(on_spark), CELLS)
    assert wrong.empty, wrong.to_string()
    oracle = score(ds, corpus, stores, granularity)[["spec_id", "store_id", "period", *MEASURED]]
    # The oracle measures every target on every store's grid; the scorecard keeps each store's effective targets.
    wrong = _differ(_cells(on_spark), oracle, MEASURED, how="left")
    assert wrong.empty, wrong.to_string()
    # Every kind of computation is compared on cells with data, deadlines with breaches (and pending ones).
    kinds = {t.spec_id: t.kind for t in on_spark.targets.specs}
    measured = on_spark.frame[on_spark.frame["n"] > 0]
    assert {kinds[i] for i in measured["spec_id"]} == set(MetricKind)
    deadlines = measured[[kinds[i] is MetricKind.deadline for i in measured["spec_id"]]]
    assert deadlines["breaches"].sum() > 0
    if which == "fixture":
        assert deadlines["pending"].sum() > 0
