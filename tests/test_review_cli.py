"""`servicekb diff` and `servicekb review` on a git repository: exit codes, formats, reasons, merge bases, stamps."""

from __future__ import annotations

import json

import pytest
from test_review_git import GitRepo
from typer.testing import CliRunner

from servicekb.cli import (
    _register,
    app,
    diff_cmd,  # noqa: F401 - registers `diff` and `review` until cli._register imports it
)

_register()
runner = CliRunner()
AS_OF = ["--as-of", "2026-01-20"]


@pytest.fixture
def repo(tmp_path) -> GitRepo:
    return GitRepo(tmp_path / "repo")


def _diff(repo: GitRepo, *args: str):
    return runner.invoke(app, ["diff", *args, *AS_OF, "--root", str(repo.path)])


def _loosen(repo: GitRepo, message: str = "Satisfaction 85 %") -> str:
    repo.edit("standards/alpha.yaml", "value: 90, unit: percent", "value: 85, unit: percent")
    return repo.commit(message)


def _break_schema(repo: GitRepo, message: str = "Drop note") -> str:
    repo.edit(
        "schemas/thing.schema.json", '"note": {"anyOf": [{"type": "string"}, {"type": "null"}], "default": null},', ""
    )
    return repo.commit(message)


@pytest.mark.parametrize(
    "change, fail_on, code",
    [
        ("loosen", [], 0),  # reported, not blocked
        ("loosen", ["--fail-on", "loosened"], 1),  # blocked: no reason given
        ("loosen", ["--fail-on", "breaking"], 0),  # a loosening is not a breaking schema change
        ("break", ["--fail-on", "breaking"], 1),
        ("break", ["--fail-on", "loosened", "--fail-on", "breaking"], 1),
        ("break", ["--fail-on", "loosened"], 0),
    ],
)
def test_fail_on_decides_the_exit_code(repo, change, fail_on, code):
    (_loosen if change == "loosen" else _break_schema)(repo)
    result = _diff(repo, "HEAD~1", "HEAD", *fail_on)
    assert result.exit_code == code, result.output
    if code:
        assert "without a stated reason" in result.output and "state why in the commit message, e.g.  " in result.output


@pytest.mark.parametrize(
    "message, code",
    [
        ("Satisfaction 85 %\n\nLoosened-because: customer-satisfaction: 试行一年", 0),  # a trailer naming the metric
        ("Satisfaction 85 %\n\nLoosened-because: alpha#2.a: 原文为85%", 0),  # naming the clause
        ("Satisfaction 85 %\n\nLoosened-because: customer-satisfactoin: 拼错了", 1),  # a typo covers nothing
    ],
)
def test_a_trailer_in_the_commit_unblocks(repo, message, code):
    _loosen(repo, message)
    result = _diff(repo, "HEAD~1", "HEAD", "--fail-on", "loosened")
    assert result.exit_code == code
    if code:
        assert "note: Loosened-because: customer-satisfactoin: covers no change (check the id)" in result.output


def test_the_commit_msg_hook_reads_the_message_being_written(repo, tmp_path):
    repo.edit("standards/alpha.yaml", "value: 90, unit: percent", "value: 85, unit: percent")  # not committed yet
    message = tmp_path / "COMMIT_EDITMSG"
    message.write_text("Satisfaction 85 %\n\n# Loosened-because: commented out by git\n", encoding="utf-8")
    assert _diff(repo, "main", "--merge-base", "--fail-on", "loosened", "--message-file", str(message)).exit_code == 1
    message.write_text("Satisfaction 85 %\n\nLoosened-because: 新门店客流不稳定\n", encoding="utf-8")
    result = _diff(repo, "main", "--merge-base", "--fail-on", "loosened", "--message-file", str(message))
    assert result.exit_code == 0 and "[loosened; Loosened-because: 新门店客流不稳定]" in result.output
    assert "-> working tree" in result.output


def test_merge_base_leaves_out_what_landed_on_main_since(repo):
    repo.git("checkout", "-q", "-b", "feature")
    repo.edit("standards/alpha.yaml", "    text: 投诉记录应完整保存。\n", "    text: 投诉记录应保存三年。\n")
    repo.commit("Keep records three years")
    repo.git("checkout", "-q", "main")
    _loosen(repo)
    plain = json.loads(_diff(repo, "main", "feature", "--format", "json").stdout)
    based = json.loads(_diff(repo, "main", "feature", "--merge-base", "--format", "json").stdout)
    assert {c["subject"] for c in plain["changes"] if c["area"] == "standards"} == {"alpha#1.c", "alpha#2.a"}
    assert {c["subject"] for c in based["changes"] if c["area"] == "standards"} == {"alpha#1.c"}
    assert based["a"]["label"] == "merge-base(main, feature)"


def test_json_and_markdown_carry_the_same_facts(repo):
    _loosen(repo)
    data = json.loads(_diff(repo, "HEAD~1", "HEAD", "--format", "json", "--fail-on", "loosened").stdout)
    assert data["summary"]["targets"] == {"loosened": 1} and data["summary"]["unjustified"] == {"loosened": 1}
    assert [c["kind"] for c in data["blocking"]] == ["target-loosened"] and data["fail_on"] == ["loosened"]
    markdown = _diff(repo, "HEAD~1", "HEAD", "--format", "markdown", "--fail-on", "loosened")
    assert markdown.exit_code == 1
    assert (
        "| target-loosened | `alpha#2.a` | customer-satisfaction [all]: >= 90 percent -> >= 85 percent: loosened "
        "| **loosened, no reason given** | standards/alpha.yaml:56 |" in markdown.output
    )


def test_no_change_says_so(repo):
    result = _diff(repo, "HEAD", "HEAD")
    assert result.exit_code == 0 and "no semantic change" in result.output


def test_a_broken_file_is_not_reported_as_removed(repo):
    repo.edit("standards/alpha.yaml", "    modality: must\n", "    modality: mandatory\n")
    result = _diff(repo, "HEAD")
    assert "standard-unloadable alpha: standards/alpha.yaml does not load in B" in result.output
    assert "standard-removed" not in result.output and "note: B (working tree) has 1 load error(s)" in result.output


@pytest.mark.parametrize(
    "args, words",
    [
        (
            ["no-such-branch"],
            "error: 'no-such-branch' is neither a folder holding standards/ nor a git revision",
        ),  # a typo
        (["HEAD", "--as-of", "soon"], "error: --as-of: 'soon' is not a date"),  # a bad day
        (["HEAD", "--message-file", "/no/such/file"], "error: --message-file /no/such/file"),  # a missing message file
        (
            ["{repo}", "--merge-base"],
            "error: --merge-base needs a git revision, not the folder '{repo}'",
        ),  # a folder has no history
    ],
)
def test_usage_errors_exit_2_without_a_traceback(repo, args, words):
    args, words = [a.replace("{repo}", str(repo.path)) for a in args], words.replace("{repo}", str(repo.path))
    result = runner.invoke(app, ["diff", *args, "--root", str(repo.path)])
    assert result.exit_code == 2 and words in result.output and "Traceback" not in result.output


def test_stamps_travel_with_the_commits(repo):
    assert runner.invoke(app, ["review", "alpha#1.b", "--root", str(repo.path)]).exit_code == 0
    repo.commit("Review 1.b against 1.a")
    reviewed = _diff(repo, "HEAD~1", "HEAD")
    assert "link-reviewed alpha#1.b: alpha#1.b -> alpha#1.a: re-stamped as reviewed" in reviewed.output
    repo.edit("standards/alpha.yaml", "    text: 投诉应在72小时内解决。\n", "    text: 投诉应在48小时内解决。\n")
    repo.commit("Reword 1.a")
    suspect = _diff(repo, "HEAD~1", "HEAD")
    assert (
        "link-suspect alpha#1.b: alpha#1.b -> alpha#1.a: alpha#1.a changed" in suspect.output
        and "; stamped " in suspect.output
    )
    validate = runner.invoke(app, ["validate", "--strict", "--root", str(repo.path)])
    assert validate.exit_code == 1 and "warning[suspect-link] sections[0].clauses[1].references[0]:" in validate.output
    assert runner.invoke(app, ["review", "alpha#1.b", "--root", str(repo.path)]).exit_code == 0
    repo.commit("Re-review 1.b")
    assert (
        "link-reviewed alpha#1.b: alpha#1.b -> alpha#1.a: re-stamped as reviewed"
        in _diff(repo, "HEAD~1", "HEAD").output
    )
    assert runner.invoke(app, ["validate", "--strict", "--root", str(repo.path)]).exit_code == 0
