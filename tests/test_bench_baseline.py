"""The benchmark's hand-written DuckDB baseline (bench/baseline.sql) gives servicekb's figures, cell by cell.

bench/score.py compares servicekb's speed with that query; the comparison
is only fair while the query computes the same thing. A small dataset from
the benchmark's own generator (eight stores over 2026, one of them a Paris
counter across both daylight-saving changes, PRC holidays, events still
open at the as-of time) is scored by servicekb and by the baseline, and
every measured number of every scored target must agree, the working-day
deadline included.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from servicekb.compliance.data import read_dataset
from servicekb.compliance.scorecard import score_stores
from servicekb.compliance.targets import find_data_claims, find_profile_timezones
from servicekb.loader import load_corpus

BENCH = Path(__file__).resolve().parents[1] / "bench"
sys.path.insert(0, str(BENCH))

from baseline import compare, load_zones, run_baseline, target_key  # noqa: E402
from synth import write_bench_kb, write_operational  # noqa: E402

AS_OF = "2026-12-31T23:59:59"


@pytest.fixture(scope="module")
def scored(tmp_path_factory):
    root = tmp_path_factory.mktemp("bench")
    kb = write_bench_kb(root / "kb")
    data = root / "data"
    write_operational(data, tickets=12_000, stores=8, years=1, start_year=2026, seed=11)
    corpus = load_corpus(kb, check=False).corpus
    zones, abstract, _ = find_profile_timezones(corpus, dt.date(2026, 12, 31))
    ds = read_dataset(data, zones, abstract, claims=find_data_claims(corpus))
    assert ds.ok, ds.issues(limit=5)
    stores = sorted(pq.read_table(data / "stores.parquet").column("store_id").to_pylist())
    card = score_stores(corpus, ds, stores, "month", AS_OF)
    zone_of = load_zones(kb, data)
    base = run_baseline(data, zone_of, AS_OF, first_year=2025)
    keys = {t.spec_id: target_key(t) for t in card.targets.specs}
    return card, base.frame, keys, zone_of


def test_every_scored_figure_agrees(scored):
    card, base, keys, _ = scored
    agreement = compare(card.frame, base, keys)
    assert not agreement.missing_targets, f"targets the baseline does not compute: {agreement.missing_targets}"
    assert agreement.rows > 1000
    assert agreement.agreeing == agreement.rows, agreement.examples
    assert agreement.values_agreeing == agreement.values


def test_the_hard_cases_are_in_the_data(scored):
    """The agreement covers a working-day deadline with breaches and pending events, and the Paris store."""
    card, _, keys, zone_of = scored
    frame = card.frame
    working = frame[frame["spec_id"].map(keys).eq("feedback-resolution-time <= 3 working_day")]
    assert working["n"].sum() > 100
    assert working["breaches"].sum() > 0
    assert working["pending"].sum() > 0
    paris = [s for s, z in zone_of.items() if z == "Europe/Paris"]
    assert paris and frame["store_id"].isin(paris).any()
    assert working["store_id"].isin(paris).any()
    # Overdue events: breaches that are still open push the worst delay of some cells past the deadline.
    assert (frame["worst_delay"] > 0).any()


def test_a_wrong_figure_is_caught(scored):
    """The comparison is not vacuous: one changed number is one disagreeing row."""
    card, base, keys, _ = scored
    spoiled = card.frame.copy()
    row = spoiled.index[(spoiled["n"] > 0) & spoiled["value"].notna()][0]
    spoiled.loc[row, "value"] += 0.5
    agreement = compare(spoiled, base, keys)
    assert agreement.rows - agreement.agreeing == 1
