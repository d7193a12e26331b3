"""`servicekb diff --impact`: the same data scored under both revisions, status changes listed store by store.

The data (`tests/fixtures/review/data`) holds three complaints of store s001:
resolved in 30 h and 60 h in January, in 20 h in February. Under the
72-hour target both months pass; under 48 hours January fails.
"""

from __future__ import annotations

import json

import pytest
from conftest import FIXTURES
from test_review_git import GitRepo
from typer.testing import CliRunner

from servicekb.cli import (
    _register,
    app,
    diff_cmd,  # noqa: F401 - registers `diff` until cli._register imports it
)
from servicekb.review import open_revision
from servicekb.review.impact import ImpactError, score_impact

_register()
runner = CliRunner()
DATA = FIXTURES / "review" / "data"


@pytest.fixture
def repo(tmp_path) -> GitRepo:
    repo = GitRepo(tmp_path / "repo")
    repo.edit("standards/alpha.yaml", "      value: 72\n", "      value: 48\n")
    repo.commit("Complaints resolved in 48 h")
    return repo


def test_a_tightened_target_fails_a_month_that_passed(repo):
    impact = score_impact(open_revision(repo.path, "HEAD~1"), open_revision(repo.path, "HEAD"), DATA, profile="shop")
    assert impact.ok and impact.rows[0] == impact.rows[1] > 0
    assert [(c.kind, c.group, c.subject, c.summary) for c in impact.changes] == [
        (
            "impact-status-changed",
            "s001",
            "complaint-resolution-time [ticket_kind=complaint]",
            "target <= 72 hour -> <= 48 hour: 1 of 2 periods change status: 1 pass -> fail (2026-01)",
        )
    ]


def test_a_target_dropped_is_no_longer_scored(repo):
    repo.edit(
        "standards/alpha.yaml",
        "      value: 48\n      unit: hour\n      clock: calendar\n      population: {ticket_kind: complaint}\n",
        "      value: 48\n      unit: hour\n      clock: calendar\n      population: {ticket_kind: complaint}\n"
        "      nature: example\n",
    )
    repo.commit("48 h was only an example")
    impact = score_impact(open_revision(repo.path, "HEAD~1"), open_revision(repo.path, "HEAD"), DATA, profile="shop")
    assert [(c.kind, c.summary) for c in impact.changes] == [
        ("impact-target-removed", "<= 48 hour no longer scored: 2 periods (1 fail, 1 pass under A)")
    ]


def test_the_cli_adds_the_impact_to_the_report(repo):
    result = runner.invoke(
        app, ["diff", "HEAD~1", "HEAD", "--impact", "--data", str(DATA), "--all-stores", "--root", str(repo.path)]
    )
    assert result.exit_code == 0
    assert (
        "impact on the data (scored under A and under B)\n  s001\n"
        "    impact-status-changed complaint-resolution-time [ticket_kind=complaint]: target <= 72 hour -> <= 48 hour"
        in result.output
    )
    assert "1 store(s) of the data change status" in result.output
    data = runner.invoke(
        app,
        [
            "diff",
            "HEAD~1",
            "HEAD",
            "--impact",
            "--data",
            str(DATA),
            "--all-stores",
            "--format",
            "json",
            "--root",
            str(repo.path),
        ],
    )
    impact = [c for c in json.loads(data.stdout)["changes"] if c["area"] == "impact"]
    assert [(c["group"], c["before"], c["after"]) for c in impact] == [("s001", {"pass": 1}, {"fail": 1})]


@pytest.mark.parametrize(
    "args, words",
    [
        (["--impact"], "--impact needs --data DIR and either --profile P or --all-stores"),  # no data
        (
            ["--impact", "--data", str(DATA)],
            "--impact needs --data DIR and either --profile P or --all-stores",
        ),  # neither profile nor all
        (
            ["--data", str(DATA), "--all-stores"],
            "--data, --profile and --all-stores go with --impact",
        ),  # forgot --impact
        (
            ["--impact", "--data", str(DATA), "--profile", "nowhere"],
            "no store profile 'nowhere' in either revision",
        ),  # a typo
        (["--impact", "--data", "/no/such/folder", "--all-stores"], "--data /no/such/folder is not a folder"),
    ],
)
def test_impact_usage_errors(repo, args, words):
    result = runner.invoke(app, ["diff", "HEAD~1", "HEAD", *args, "--root", str(repo.path)])
    assert result.exit_code == 2 and words in result.output


def test_bad_data_is_reported_and_not_scored(repo, tmp_path):
    bad = tmp_path / "data"
    bad.mkdir()
    (bad / "stores.csv").write_text((DATA / "stores.csv").read_text(encoding="utf-8"), encoding="utf-8")
    (bad / "tickets.csv").write_text(
        (DATA / "tickets.csv").read_text(encoding="utf-8").replace("2026-01-06T16:00:00", "yesterday"), encoding="utf-8"
    )
    result = runner.invoke(
        app, ["diff", "HEAD~1", "HEAD", "--impact", "--data", str(bad), "--all-stores", "--root", str(repo.path)]
    )
    assert result.exit_code == 1 and "tickets.csv:2:" in result.output and "the impact was not scored" in result.output


def test_an_abstract_profile_cannot_be_scored(repo):
    repo.edit("stores/shop.yaml", "format: mall\n", "format: mall\nabstract: true\n")
    repo.commit("shop becomes a baseline")
    with pytest.raises(ImpactError, match="shop is an abstract profile"):
        score_impact(open_revision(repo.path, "HEAD~1"), open_revision(repo.path, "HEAD"), DATA, profile="shop")


def test_stores_of_a_profile_that_became_abstract_are_no_longer_scored(repo):
    repo.edit("stores/shop.yaml", "format: mall\n", "format: mall\nabstract: true\n")
    repo.commit("shop becomes a baseline")
    impact = score_impact(open_revision(repo.path, "HEAD~1"), open_revision(repo.path, "HEAD"), DATA)
    assert impact.rows[1] == 0 and {c.kind for c in impact.changes} == {"impact-target-removed"}
