"""A profile can make an example, default-term or advice number binding for its store, with provenance."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from conftest import ROOT

from servicekb.issues import Level
from servicekb.loader import load_corpus
from servicekb.tailoring import resolve_profile
from servicekb.validation import validate_repository

DAY = dt.date(2026, 11, 1)
PROFILE = """\
id: feedback-shop
name: 反馈示范店
adopts: [retail-guide, retail-sop]
adopt_as_firm:
  - clause: retail-guide#1.5.c
    metric: feedback-first-response-time
    reason: 本店把指南举例的72小时作为承诺
  - clause: retail-sop#1.2.e
    metric: training-frequency
    reason: 每季度培训一次写入门店制度
"""
CHILD = """\
id: feedback-shop-child
name: 反馈示范店分店
extends: feedback-shop
"""
BAD = """\
id: bad-shop
name: 错误示范店
adopts: [retail-guide]
adopt_as_firm:
  - clause: apparel-retail-2025#7.2.h
    metric: complaint-rate
    reason: 未采用服装规范
  - clause: retail-guide#2.3.b
    metric: complaint-first-response-time
    reason: 已经是明确目标
"""


def _repo(tmp_path: Path, **profiles: str) -> Path:
    repo = tmp_path / "repo"
    shutil.copytree(ROOT / "standards", repo / "standards")
    (repo / "stores").mkdir()
    for name, text in profiles.items():
        (repo / "stores" / f"{name.replace('_', '-')}.yaml").write_text(text, encoding="utf-8")
    return repo


def test_an_adopted_example_becomes_the_stores_firm_target(tmp_path):
    corpus = load_corpus(_repo(tmp_path, feedback_shop=PROFILE, feedback_shop_child=CHILD), check=False).corpus
    for store in ("feedback-shop", "feedback-shop-child"):
        eff = resolve_profile(corpus, store, DAY)
        target = next(t for t in eff.sorted_targets() if t.metric == "feedback-first-response-time")
        assert (target.spec.comparator.value, target.spec.value, target.spec.unit.value) == ("<=", 72.0, "hour")
        chosen = [e.candidate for e in target.merge.entries if e.outcome in ("selected", "equal")]
        assert [c.clause_id for c in chosen] == ["retail-guide#1.5.c"]
        assert "feedback-shop 采纳为明确目标" in chosen[0].target.note
        assert eff.find("training-frequency") is not None


def test_without_adoption_the_example_is_not_a_target(tmp_path):
    plain = PROFILE.split("adopt_as_firm:")[0]
    corpus = load_corpus(_repo(tmp_path, feedback_shop=plain), check=False).corpus
    eff = resolve_profile(corpus, "feedback-shop", DAY)
    assert eff.find("feedback-first-response-time") is None
    assert eff.find("training-frequency") is None  # 一般为每季度一次 is a default term


def test_adopting_what_cannot_be_adopted_is_a_located_error(tmp_path):
    repo = _repo(tmp_path, bad_shop=BAD)
    result = validate_repository(repo, today=DAY)
    found = [
        (i.code, i.line, i.path) for i in result.issues if i.file == "stores/bad-shop.yaml" and i.level is Level.error
    ]
    assert found == [
        ("adoption-not-selected", 5, "adopt_as_firm[0].clause"),  # apparel is not adopted
        ("adoption-without-target", 9, "adopt_as_firm[1].metric"),  # 24 h is already firm
    ]


def test_resolve_names_the_adopting_profile_and_its_reason(tmp_path):
    import json

    from typer.testing import CliRunner

    from servicekb.cli import _register, app

    _register()
    repo = _repo(tmp_path, feedback_shop=PROFILE)
    result = CliRunner().invoke(
        app, ["resolve", "feedback-shop", "--format", "json", "--root", str(repo), "--as-of", DAY.isoformat()]
    )
    assert result.exit_code == 0, result.output
    targets = json.loads(result.stdout)["targets"]
    adopted = next(t for t in targets if t["metric"] == "feedback-first-response-time")
    assert adopted["set_by"] == {
        "clause": "retail-guide#1.5.c",
        "source": "retail-guide",
        "adopted_by": "feedback-shop",
        "reason": "本店把指南举例的72小时作为承诺",
    }
    text = CliRunner().invoke(app, ["resolve", "feedback-shop", "--root", str(repo), "--as-of", DAY.isoformat()]).stdout
    assert "adopted as firm by feedback-shop" in text
