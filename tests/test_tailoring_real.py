"""The example profiles in stores/ on the real standards: they load clean and resolve as their comments say."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import ROOT

from servicekb.issues import format_issue
from servicekb.loader import load_corpus
from servicekb.models import Population
from servicekb.tailoring import TAILORING_CODES, Resolver, check_profiles

AS_OF = dt.date(2026, 11, 1)
REPAIR = Population.model_validate({"ticket_kind": "repair"})
COMPLAINT = Population.model_validate({"ticket_kind": "complaint"})


@pytest.fixture(scope="module")
def loaded():
    return load_corpus(ROOT)


@pytest.fixture(scope="module")
def resolved(loaded):
    return Resolver(loaded.corpus, AS_OF).resolve_all()


def test_the_example_profiles_exist(loaded):
    assert {
        "group-baseline",
        "region-east-china",
        "sh-nanjing-road-flagship",
        "hz-home-living",
        "tmall-flagship-online",
    } <= set(loaded.corpus.stores)


def test_the_stores_load_and_resolve_without_errors(loaded):
    issues = [i for i in loaded.issues if i.file.startswith("stores/") and i.code not in TAILORING_CODES]
    issues += [i for i in check_profiles(loaded.corpus, loaded.documents, AS_OF) if i.level.value == "error"]
    assert [format_issue(i) for i in issues] == []


def test_the_example_profiles_have_no_tailoring_warning(loaded):
    # Shipped examples are clean under `validate --strict`; lapsed relaxations are shown by the fixtures.
    assert [(i.file, i.code, i.path) for i in check_profiles(loaded.corpus, loaded.documents, AS_OF)] == []


def test_the_apparel_flagship_merges_the_apparel_norms_with_the_retail_guide(resolved):
    eff = resolved["sh-nanjing-road-flagship"]
    assert set(eff.adopts) == {"apparel-retail-2025", "retail-guide"}
    target = eff.find("complaint-resolution-time", COMPLAINT)
    assert {c.source for c in target.merge.candidates} == {"apparel-retail-2025", "retail-guide"}
    assert target.merge in eff.merges()
    assert (target.override.profile, target.override.change) == ("sh-nanjing-road-flagship", "tightened")
    assert eff.find("complaint-first-response-time", COMPLAINT).override.profile == "region-east-china"
    assert any(sc.local for sc in eff.clauses.values())


def test_the_home_furnishing_store_relaxes_a_metric_it_really_targets(resolved):
    eff = resolved["hz-home-living"]
    assert set(eff.adopts) == {"home-furnishing-aftersales", "retail-guide"}
    response = eff.find("repair-response-time", REPAIR)
    assert response.merge.winner.source == "home-furnishing-aftersales"
    step = response.steps[-1]
    assert (step.profile, step.change, step.status) == ("hz-home-living", "relaxed", "applied")
    assert response.spec == step.spec
    completion = eff.find("repair-completion-time", REPAIR)
    assert completion.spec == completion.merge.winner.spec  # the manual's own number applies


def test_the_online_shop_has_no_in_store_clause(resolved, loaded):
    eff = resolved["tmall-flagship-online"]
    assert eff.format.value == "online"
    in_store = {
        cid
        for cid, entry in loaded.corpus.clauses.items()
        if "in-store" in entry.clause.tags and entry.standard_id in eff.adopts
    }
    assert in_store and in_store.isdisjoint(eff.clauses)
    assert not any(sc.clause.stage.value == "display" for sc in eff.clauses.values())
