"""The registry engine (Ibis on DuckDB) and the numpy oracle (tests/oracle) agree on every measured number.

The oracle is the interpreter that scored servicekb before the registry:
its own placement of rows with zoneinfo, its own deadline arithmetic. Two
datasets: the hand-written fixture (timezone edges, a daylight-saving
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
from oracle import MEASURED, score

from servicekb.compliance.data import read_dataset, validate_frames
from servicekb.compliance.scorecard import score_stores
from servicekb.compliance.synthetic import generate_sample, make_sample_stores
from servicekb.compliance.targets import find_profile_timezones
from servicekb.loader import load_corpus
from servicekb.models import MetricKind

REPO = FIXTURES / "compliance" / "repo"


@pytest.fixture(scope="module")
def setting():
    corpus = load_corpus(REPO).corpus
    zones, abstract, _ = find_profile_timezones(corpus, dt.date(2026, 1, 1))
    return corpus, zones, abstract


def datasets(corpus, zones, abstract):
    fixture = read_dataset(FIXTURES / "compliance" / "data", zones, abstract)
    stores = make_sample_stores(4, [("shop-paris", zones["shop-paris"], False), ("shop-sh", zones["shop-sh"], False)])
    # Eleven months: at the end of December in Paris it is already 2027 in Shanghai,
    # a year the PRC calendar does not know yet.
    frames = generate_sample(stores, 11, seed=3, tickets_per_store_month=60, surveys_per_store_month=30)
    # Engines hold timestamps to the microsecond (the Relations contract): give both the same instants.
    for frame in frames.values():
        for column in frame.columns:
            if pd.api.types.is_datetime64_any_dtype(frame[column]):
                frame[column] = frame[column].dt.floor("us")
    generated = validate_frames(frames, zones, abstract)
    return {"fixture": fixture, "generated": generated}


def disagreements(card, ds, corpus, granularity) -> pd.DataFrame:
    """Cells (target x store x period) whose measures differ between the engine and the oracle."""
    oracle = score(ds, corpus, sorted(set(card.frame["store_id"])), granularity)
    merged = card.frame.merge(oracle, on=["spec_id", "store_id", "period"], how="left", suffixes=("", "_ref"))
    assert not merged["n_ref"].isna().any(), "the oracle has no figure for some cells"
    bad = np.zeros(len(merged), dtype=bool)
    for col in MEASURED:
        a = merged[col].to_numpy(dtype=np.float64)
        b = merged[f"{col}_ref"].to_numpy(dtype=np.float64)
        bad |= ~np.isclose(a, b, rtol=1e-9, atol=1e-9, equal_nan=True)
    # Reasons, computability and finality of every cell agree too (they decide no-data and inconclusive).
    grid = card.context.grid
    mine = pd.concat(
        [
            pd.DataFrame(
                {
                    "spec_id": spec_id,
                    "store_id": np.repeat(list(grid.stores), grid.count),
                    "period": grid.labels() * len(grid.stores),
                    "settled_mine": m.settled,
                    "reason_mine": m.reason,
                    "computable_mine": m.computable,
                }
            )
            for spec_id, m in card.measures.items()
        ]
    )
    merged = merged.merge(mine, on=["spec_id", "store_id", "period"], how="left")
    for col, ref in (("settled", "settled"), ("reason", "reason_ref"), ("computable", "computable")):
        bad |= merged[ref].to_numpy() != merged[f"{col}_mine"].to_numpy()
    return merged.loc[bad, ["metric", "population", "store_id", "period", *MEASURED, *(f"{c}_ref" for c in MEASURED)]]


@pytest.mark.parametrize("granularity", ["month", "quarter"])
@pytest.mark.parametrize("which", ["fixture", "generated"])
def test_the_registry_engine_and_the_oracle_agree(setting, which, granularity):
    corpus, zones, abstract = setting
    ds = datasets(corpus, zones, abstract)[which]
    assert ds.ok
    card = score_stores(
        corpus, ds, sorted(set(ds.stores["store_id"]) & set(ds.tables["tickets"]["store_id"].astype(str))), granularity
    )
    wrong = disagreements(card, ds, corpus, granularity)
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
