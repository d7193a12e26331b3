"""pandas and the DuckDB SQL reference agree on every measured number of every metric kind.

Two datasets: the hand-written fixture (timezone edges, a daylight-saving
change, National Day with its adjusted working Saturday, pending and
overdue events, empty and zero denominators) and a generated one (four
stores, January to November 2026 with their PRC holidays), by month and
by quarter.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from conftest import FIXTURES

from servicekb.compliance.data import read_dataset, validate_frames
from servicekb.compliance.reference import compute_reference
from servicekb.compliance.sample import generate_sample, make_sample_stores
from servicekb.compliance.scorecard import score_stores
from servicekb.compliance.targets import find_profile_timezones
from servicekb.loader import load_corpus
from servicekb.models import MetricKind

REPO = FIXTURES / "compliance" / "repo"
MEASURED = ["value", "n", "ci_low", "ci_high", "breaches", "pending", "worst_delay"]


@pytest.fixture(scope="module")
def setting():
    corpus = load_corpus(REPO).corpus
    zones, abstract, _ = find_profile_timezones(corpus, dt.date(2026, 1, 1))
    return corpus, zones, abstract


def datasets(corpus, zones, abstract):
    fixture = read_dataset(FIXTURES / "compliance" / "data", zones, abstract)
    stores = make_sample_stores(4, [("shop-paris", zones["shop-paris"], False), ("shop-sh", zones["shop-sh"], False)])
    # Eleven months: at the end of December in Paris it is already 2027 in Shanghai, a year the PRC calendar does not know yet.
    generated = validate_frames(
        generate_sample(stores, 11, seed=3, tickets_per_store_month=60, surveys_per_store_month=30), zones, abstract
    )
    return {"fixture": fixture, "generated": generated}


def disagreements(card) -> pd.DataFrame:
    """Rows whose measures differ between the engine and the SQL reference."""
    frame = card.frame[card.frame["status"] != "not-computable"]
    merged = frame.merge(
        compute_reference(card), on=["spec_id", "store_id", "period"], how="left", suffixes=("", "_ref")
    )
    absent = merged["n_ref"].isna().to_numpy()
    bad = np.zeros(len(merged), dtype=bool)
    for col in MEASURED:
        a = merged[col].to_numpy(dtype=np.float64)
        b = merged[f"{col}_ref"].to_numpy(dtype=np.float64)
        if col in ("n", "breaches", "pending"):
            # SQL has no row for a cell without events; the engine counts zero there.
            b = np.where(absent & ~np.isnan(a), 0.0, b)
        bad |= ~np.isclose(a, b, rtol=1e-9, atol=1e-9, equal_nan=True)
    return merged.loc[bad, ["metric", "population", "store_id", "period", *MEASURED, *(f"{c}_ref" for c in MEASURED)]]


@pytest.mark.parametrize("granularity", ["month", "quarter"])
@pytest.mark.parametrize("which", ["fixture", "generated"])
def test_pandas_and_duckdb_agree(setting, which, granularity):
    corpus, zones, abstract = setting
    ds = datasets(corpus, zones, abstract)[which]
    assert ds.ok
    card = score_stores(
        corpus, ds, sorted(set(ds.stores["store_id"]) & set(ds.tables["tickets"]["store_id"].astype(str))), granularity
    )
    wrong = disagreements(card)
    assert wrong.empty, wrong.to_string()
    # The comparison covers every kind of computation, on cells that hold data.
    kinds = {t.spec_id: t.kind for t in card.targets.specs}
    measured = card.frame[card.frame["n"] > 0]
    assert {kinds[i] for i in measured["spec_id"]} == {k for k in MetricKind}
    # ... and deadlines with breaches and with pending events, when the data has them.
    deadlines = measured[[kinds[i] is MetricKind.deadline for i in measured["spec_id"]]]
    assert deadlines["breaches"].sum() > 0
    if which == "fixture":
        assert deadlines["pending"].sum() > 0
