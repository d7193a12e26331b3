"""Classification thresholds are measured like targets but reported as flags, never as pass or fail."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest
from conftest import FIXTURES, ROOT

from servicekb.compliance.data import read_dataset
from servicekb.compliance.scorecard import score_stores
from servicekb.compliance.targets import find_profile_timezones
from servicekb.loader import load_corpus

CLAUSE = """
- number: "9"
  title: {zh: 分级, en: Classification}
  clauses:
  - id: ops#9.a
    text: 投诉率超过THRESHOLD%的门店应列为重点整改门店。
    kind: requirement
    modality: shall
    stage: monitoring
    targets:
    - {metric: complaint-rate, comparator: ">", value: THRESHOLD, unit: percent, nature: classification,
       flag: 重点整改门店, quote: 投诉率超过THRESHOLD%的门店应列为重点整改门店}
    provenance: {seed: ops.txt, quote: 投诉率超过THRESHOLD%的门店应列为重点整改门店}
"""


def _score(tmp_path, threshold: str):
    repo = tmp_path / "repo"
    shutil.copytree(FIXTURES / "compliance" / "repo", repo)
    ops = repo / "standards" / "ops.yaml"
    ops.write_text(ops.read_text(encoding="utf-8") + CLAUSE.replace("THRESHOLD", threshold), encoding="utf-8")
    result = load_corpus(repo)
    assert [i for i in result.issues if i.level.value == "error"] == []
    zones, abstract, _ = find_profile_timezones(result.corpus, dt.date(2026, 1, 1))
    data = read_dataset(FIXTURES / "compliance" / "data", zones, abstract, display="data")
    return score_stores(result.corpus, data, ["pa1", "sh1"]).frame


@pytest.mark.parametrize(("threshold", "expected"), [("0.01", "flagged"), ("99", "not-flagged")])
def test_a_classification_threshold_is_a_flag(tmp_path, threshold, expected):
    frame = _score(tmp_path, threshold)
    flags = frame[frame["role"] == "flag"]
    measured = flags[flags["value"].notna()]
    assert len(measured) > 0
    assert set(measured["status"]) == {expected}
    assert set(flags["status"]) <= {"flagged", "not-flagged", "no-data", "not-computable", "inconclusive"}
    assert set(flags["flag"]) == {"重点整改门店"} and set(flags["clause_ids"]) == {"ops#9.a"}
    # The ordinary complaint-rate target of ops#3.a keeps its pass/fail verdicts beside the flag.
    targets = frame[(frame["role"] == "target") & (frame["metric"] == "complaint-rate")]
    assert set(targets["status"]) & {"pass", "fail"} and not set(targets["status"]) & {"flagged", "not-flagged"}


def test_a_flag_and_the_target_on_the_same_figure_read_the_same_value(tmp_path):
    frame = _score(tmp_path, "3")
    keys = ["store_id", "period"]
    flag = frame[frame["role"] == "flag"].set_index(keys)["value"]
    target = frame[(frame["role"] == "target") & (frame["metric"] == "complaint-rate")].set_index(keys)["value"]
    assert flag.dropna().equals(target.loc[flag.dropna().index])


def test_score_shows_a_flag_by_its_class_never_as_pass_or_fail(tmp_path):
    from typer.testing import CliRunner

    from servicekb.cli import _register, app

    _register()
    data = tmp_path / "data"
    runner = CliRunner()
    made = runner.invoke(app, ["sample-data", "-o", str(data), "--months", "2", "--root", str(ROOT)])
    assert made.exit_code == 0, made.output
    result = runner.invoke(
        app, ["score", "--profile", "stores/sh-nanjing-road-flagship.yaml", "--data", str(data), "--root", str(ROOT)]
    )
    flag_lines = [line for line in result.output.splitlines() if "高风险区域" in line]
    assert flag_lines and all("列为“高风险区域”" in line for line in flag_lines)
    assert not any(word in line for line in flag_lines for word in ("达标", "未达标"))
