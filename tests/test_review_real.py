"""The review workflow on the real knowledge base: it loads, its links resolve, and one real edit is named exactly."""

from __future__ import annotations

import datetime as dt
import shutil

import yaml
from conftest import ROOT

from servicekb.review import diff_revisions, iter_links, link_states, open_revision, read_stamps
from servicekb.tailoring import Resolver

DAY = dt.date(2026, 6, 1)


def _copy(tmp_path, name: str):
    for folder in ("standards", "stores", "schemas"):
        shutil.copytree(ROOT / folder, tmp_path / name / folder)
    return tmp_path / name


def test_the_real_corpus_compared_with_itself_has_no_change():
    rev = open_revision(ROOT, str(ROOT))
    result = diff_revisions(rev, rev, DAY)
    assert [i for i in rev.issues if i.level.value == "error"] == [] and result.changes == []


def test_every_real_link_resolves():
    rev = open_revision(ROOT, str(ROOT))
    states = link_states(rev.corpus, read_stamps(ROOT)[0])
    assert states and not [s.link for s in states if s.state == "dangling"]
    assert {s.link.referrer for s in states} >= {"store:tmall-flagship-online"}  # its section selectors
    assert len(states) == len(list(iter_links(rev.corpus)))


def test_a_real_tightening_is_named_once_and_reaches_the_stores_that_adopt_it(tmp_path):
    before, after = _copy(tmp_path, "a"), _copy(tmp_path, "b")
    path = after / "standards" / "apparel-retail-2025.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    rev_a = open_revision(tmp_path, str(before))
    entry = next(
        e
        for e in rev_a.corpus.iter_clauses("apparel-retail-2025")
        if any(t.metric == "complaint-resolution-time" and t.nature.value == "firm" for t in e.clause.targets)
    )
    node = data
    for part in entry.path:
        node = node[part]
    target = next(t for t in node["targets"] if t["metric"] == "complaint-resolution-time")
    target.update(value=1, unit="hour", clock="calendar")
    # Rewritten by another YAML writer: formatting and order of keys are not changes.
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=True), encoding="utf-8")
    result = diff_revisions(rev_a, open_revision(tmp_path, str(after)), DAY)
    assert [(c.kind, c.subject) for c in result.changes if c.area == "standards"] == [
        ("target-tightened", entry.clause.id)
    ]
    adopting = {
        sid
        for sid, eff in Resolver(rev_a.corpus, DAY).resolve_all().items()
        if entry.clause.id in eff.clauses and not rev_a.corpus.stores[sid].abstract
    }
    assert adopting and {c.group for c in result.changes if c.area == "stores"} == adopting
    assert all(c.kind == "store-target-tightened" for c in result.changes if c.area == "stores")
