"""The real metric catalogue and store profiles: what is computable, and a clean scorecard on sample data."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import ROOT

from servicekb.compliance.data import validate_frames
from servicekb.compliance.definitions import check_definition, select_rows
from servicekb.compliance.scorecard import score_stores
from servicekb.compliance.synthetic import generate_sample, make_sample_stores
from servicekb.compliance.targets import find_profile_timezones
from servicekb.loader import load_corpus
from servicekb.types import TargetNature

# Quantities the four event tables do not record: a guidance visit's length, the legal return window, daily service
# hours, advice to customers on maintenance, orders, and internal quality evaluations. Auditors measure them (`audits`).
AUDITED = {
    "customer-maintenance-frequency",
    "guidance-session-duration",
    "order-processing-time",
    "qualification-assessment-frequency",
    "return-request-window",
    "service-availability-hours",
    "service-evaluation-frequency",
}


@pytest.fixture(scope="module")
def corpus():
    return load_corpus(ROOT, check=False).corpus


def test_every_definition_in_the_catalogue_is_computable(corpus):
    problems = {mid: check_definition(m) for mid, m in corpus.metrics.items() if check_definition(m)}
    assert problems == {}


def test_every_metric_is_defined_and_the_unrecorded_quantities_come_from_audits(corpus):
    assert {mid for mid, m in corpus.metrics.items() if m.definition is None} == set()
    assert {mid for mid, m in corpus.metrics.items() if m.definition.table.value == "audits"} == AUDITED


def test_every_firm_target_on_a_defined_metric_selects_its_rows(corpus):
    unselectable = []
    for entry in corpus.iter_clauses():
        for t in entry.clause.targets:
            metric = corpus.metrics[t.metric]
            if t.nature is TargetNature.firm and metric.definition is not None:
                sel = select_rows(metric.definition, t.population)
                if isinstance(sel, str):
                    unselectable.append((entry.clause.id, t.metric, sel))
    assert unselectable == []


def test_the_example_profiles_score_sample_data(corpus):
    zones, abstract, bad = find_profile_timezones(corpus, dt.date(2026, 11, 1))
    assert bad == [] and zones
    profiles = [
        (p, zones[p], corpus.stores[p].format is not None and corpus.stores[p].format.value == "online")
        for p in sorted(zones)
    ]
    ds = validate_frames(
        generate_sample(
            make_sample_stores(len(profiles), profiles),
            3,
            seed=5,
            tickets_per_store_month=40,
            surveys_per_store_month=20,
        ),
        zones,
        abstract,
    )
    assert ds.ok and ds.issues() == []
    frame = score_stores(corpus, ds, sorted(ds.stores["store_id"])).frame
    # Every store gets rows; without audit answers the audited metrics have no data, and nothing is not computable.
    assert set(frame["store_id"]) == set(ds.stores["store_id"])
    assert set(frame.loc[frame["metric"].isin(AUDITED), "status"]) == {"no-data"}
    assert "not-computable" not in set(frame["status"])
    assert {"pass", "fail"} <= set(frame["status"])
