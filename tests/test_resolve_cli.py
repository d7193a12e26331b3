"""`servicekb resolve`: table, JSON and YAML output, --as-of, --diff, exit codes, located findings."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml
from conftest import FIXTURES
from typer.testing import CliRunner

from servicekb.cli import (
    _register,
    app,
    resolve_cmd,  # noqa: F401 - registers `resolve` until cli/__init__ does
)

_register()
runner = CliRunner()
REPO = FIXTURES / "stores" / "repo"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    shutil.copytree(REPO, tmp_path / "repo")
    return tmp_path / "repo"


def run(repo: Path, *args: str):
    return runner.invoke(app, ["resolve", *args, "--root", str(repo)])


def test_table_says_where_every_number_comes_from(repo):
    result = run(repo, "stores/shop.yaml", "--as-of", "2026-01-01")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Chain      brand -> region -> shop" in out
    # Each number with the clause that set it, the others it beat, and the override that changed it.
    assert "complaint-resolution-time  ticket_kind=complaint  <= 24 hour" in out
    assert "selected  beta#1.a   <= 48 hour  beta" in out
    assert "looser    alpha#1.a  <= 72 hour  alpha" in out
    assert "override region overrides[0]: tightened <= 48 hour -> <= 24 hour: applied" in out
    assert "approved by 区域经理 张伟 on 2026-01-05, until 2026-06-30" in out
    assert "1 by brand exclude[0] (tag statistic): beta#1.d" in out
    assert result.stderr == ""


def test_a_profile_can_be_named_by_id_or_by_path(repo, monkeypatch):
    by_id = run(repo, "shop", "--as-of", "2026-01-01", "--format", "json")
    monkeypatch.chdir(repo)
    by_path = run(repo, "stores/shop.yaml", "--as-of", "2026-01-01", "--format", "json")
    assert by_id.exit_code == by_path.exit_code == 0
    assert json.loads(by_id.stdout) == json.loads(by_path.stdout)


def test_json_carries_provenance_for_the_compliance_engine(repo):
    result = run(repo, "shop", "--as-of", "2026-01-01", "--format", "json")
    data = json.loads(result.stdout)
    targets = {(t["metric"], json.dumps(t["population"])): t for t in data["targets"]}
    sat = targets[("customer-satisfaction", "{}")]
    assert (sat["comparator"], sat["value"], sat["unit"]) == (">=", 88, "percent")
    assert sat["set_by"] == {"override": "shop overrides[0]"}
    step = sat["overrides"][0]
    assert (step["change"], step["status"], step["from"], step["approver"], step["expires"]) == (
        "relaxed",
        "applied",
        ">= 90 percent",
        "区域经理 张伟",
        "2026-06-30",
    )
    assert [(c["clause"], c["outcome"]) for c in sat["merge"]["candidates"]] == [
        ("beta#1.b", "looser"),
        ("alpha#1.b", "selected"),
    ]
    repair = targets[("repair-response-time", json.dumps({"ticket_kind": "repair"}))]
    assert repair["set_by"] == {"clause": "beta#1.c", "source": "beta"}
    assert data["issues"] == []


def test_yaml_output_is_the_same_data(repo):
    as_yaml = yaml.safe_load(run(repo, "shop", "--as-of", "2026-01-01", "--format", "yaml").stdout)
    as_json = json.loads(run(repo, "shop", "--as-of", "2026-01-01", "--format", "json").stdout)
    assert as_yaml == as_json


@pytest.mark.parametrize(
    ("as_of", "target", "warning"),
    [
        ("2026-06-30", ">= 88 percent", False),  # the approved relaxation is in force on its last day
        ("2026-07-01", ">= 90 percent", True),  # lapsed: the standard's number is back, with a warning
    ],
)
def test_as_of_decides_whether_a_relaxation_has_lapsed(repo, as_of, target, warning):
    result = run(repo, "shop", "--as-of", as_of)
    assert result.exit_code == 0
    assert f"customer-satisfaction      all                    {target}" in result.stdout
    lapsed = "stores/shop.yaml:19:14: warning[lapsed-relaxation] overrides[0].expires:"
    assert (lapsed in result.stderr) is warning


def test_strict_fails_on_warnings(repo):
    assert run(repo, "shop", "--as-of", "2026-07-01", "--strict").exit_code == 1


def test_an_unapproved_relaxation_fails_with_its_location(repo):
    shutil.copy(FIXTURES / "stores" / "invalid" / "unapproved-relaxation.yaml", repo / "stores")
    result = run(repo, "unapproved-relaxation", "--as-of", "2026-01-01")
    assert result.exit_code == 1
    assert "stores/unapproved-relaxation.yaml:6:5: error[unapproved-relaxation] overrides[0]:" in result.stderr
    # the knowledge base is validated first: nothing is resolved from a profile with an error
    assert result.stdout == ""
    assert "nothing to resolve" in result.stderr


def test_findings_of_the_baseline_are_shown_with_the_store(repo):
    shutil.copy(FIXTURES / "stores" / "invalid" / "unapproved-relaxation.yaml", repo / "stores")
    (repo / "stores" / "child.yaml").write_text(
        "id: child\nname: 分店\nextends: unapproved-relaxation\n", encoding="utf-8"
    )
    result = run(repo, "child", "--as-of", "2026-01-01")
    assert result.exit_code == 1
    assert "stores/unapproved-relaxation.yaml:6:5: error[unapproved-relaxation]" in result.stderr


def test_diff_shows_what_the_store_does_differently(repo):
    result = run(repo, "shop", "--diff", "brand", "--as-of", "2026-01-01")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "shop compared with brand"
    assert "  adopts: + alpha" in lines
    assert "    - beta#二.(一).1" in lines  # excluded by the store (tag in-store)
    rows = {
        line.split()[0]: line.split()
        for line in lines
        if line.startswith("    ") and not line.strip().startswith(("+", "-", "metric"))
    }
    # 88 % is a relaxation of alpha's 90 %, but stricter than the brand's 85 %: compared with the brand, tightened.
    assert rows["customer-satisfaction"][2:8] == [">=", "85", "percent", ">=", "88", "percent"]
    assert "tightened" in rows["customer-satisfaction"]
    assert "tightened" in rows["complaint-resolution-time"]


def test_diff_as_json(repo):
    data = json.loads(
        run(repo, "shop", "--diff", "stores/region.yaml", "--as-of", "2026-01-01", "--format", "json").stdout
    )
    assert data["baseline"] == "region"
    assert [(t["metric"], t["change"], t["baseline"], t["store"]) for t in data["targets"]] == [
        ("customer-satisfaction", "tightened", ">= 85 percent", ">= 88 percent")
    ]
    assert data["clauses_added"] == ["alpha#1.a", "alpha#1.b"]
    # The other way round, the brand is looser than the store on complaints.
    back = json.loads(run(repo, "brand", "--diff", "shop", "--as-of", "2026-01-01", "--format", "json").stdout)
    assert ("complaint-resolution-time", "relaxed", "<= 24 hour", "<= 48 hour") in [
        (t["metric"], t["change"], t["baseline"], t["store"]) for t in back["targets"]
    ]


def test_a_profile_identical_to_its_baseline_has_no_differences(repo):
    (repo / "stores" / "twin.yaml").write_text("id: twin\nname: 同款店\nextends: region\n", encoding="utf-8")
    result = run(repo, "twin", "--diff", "region", "--as-of", "2026-01-01")
    # Only the name differs, which is no tailoring.
    assert result.stdout.splitlines() == ["twin compared with region", "  no differences"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nosuch"], "no store profile 'nosuch'"),  # neither a file nor an id
        (["shop", "--as-of", "2026-13-01"], "is not a date"),  # month 13
        (["shop", "--diff", "nosuch"], "no store profile 'nosuch'"),
    ],
)
def test_usage_errors_exit_2_without_traceback(repo, args, message):
    result = run(repo, *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_a_profile_that_does_not_load_reports_why(repo):
    (repo / "stores" / "broken.yaml").write_text("id: broken\nname: 坏店\nadopts: alpha\n", encoding="utf-8")
    result = run(repo, "stores/broken.yaml")
    assert result.exit_code == 1
    assert "stores/broken.yaml:3:9: error[wrong-type] adopts:" in result.stderr
    assert "Traceback" not in result.output


def test_help_names_the_formats():
    result = runner.invoke(app, ["resolve", "--help"])
    assert result.exit_code == 0
    assert "table" in result.output and "--as-of" in result.output and "--diff" in result.output
