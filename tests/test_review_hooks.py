"""`.pre-commit-hooks.yaml`: each hook, run as pre-commit would run it (entry, args, file names), does its job."""

from __future__ import annotations

import shlex
import shutil

import pytest
import yaml
from conftest import ROOT
from test_review_git import GitRepo
from typer.testing import CliRunner

from servicekb.cli import (
    _register,
    app,
    diff_cmd,  # noqa: F401 - registers `diff` until cli._register imports it
)

_register()
runner = CliRunner()
HOOKS = {h["id"]: h for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))}


def _run(hook_id: str, repo: GitRepo, filenames: list[str] = ()):
    hook = HOOKS[hook_id]
    argv = (
        shlex.split(hook["entry"])
        + list(hook.get("args", []))
        + (list(filenames) if hook.get("pass_filenames", True) else [])
    )
    assert argv[0] == "servicekb"
    return runner.invoke(app, [*argv[1:], "--root", str(repo.path)])


@pytest.fixture
def repo(tmp_path) -> GitRepo:
    repo = GitRepo(tmp_path / "repo")
    shutil.rmtree(repo.path / "schemas")
    shutil.copytree(ROOT / "schemas", repo.path / "schemas")
    repo.commit("Current schemas")
    return repo


def test_every_hook_runs_servicekb_at_a_stage_pre_commit_knows():
    assert set(HOOKS) == {"servicekb-validate", "servicekb-schemas", "servicekb-diff", "servicekb-diff-push"}
    for hook in HOOKS.values():
        assert hook["language"] == "python" and hook["entry"].startswith("servicekb ")
        assert set(hook["stages"]) <= {"pre-commit", "pre-push", "commit-msg", "manual"}


@pytest.mark.parametrize(
    "hook, edit, code",
    [
        ("servicekb-validate", None, 0),  # a clean repository
        ("servicekb-validate", ("    modality: must\n", "    modality: mandatory\n"), 1),  # a bad value
        ("servicekb-schemas", None, 0),  # schemas match the models
    ],
)
def test_validate_and_schema_hooks(repo, hook, edit, code):
    if edit:
        repo.edit("standards/alpha.yaml", *edit)
    assert _run(hook, repo).exit_code == code


def test_the_schema_hook_fails_on_a_stale_schema(repo):
    (repo.path / "schemas" / "standard.schema.json").write_text("{}\n", encoding="utf-8")
    result = _run("servicekb-schemas", repo)
    assert result.exit_code == 1 and "schemas/standard.schema.json: stale" in result.output


@pytest.mark.parametrize(
    "message, code",
    [
        ("Satisfaction 85 %\n", 1),  # no reason: the commit is refused
        ("Satisfaction 85 %\n\nLoosened-because: customer-satisfaction: 新门店客流不稳定\n", 0),  # the reason is stated
    ],
)
def test_the_commit_msg_hook_refuses_an_unexplained_loosening(repo, tmp_path, message, code):
    repo.edit("standards/alpha.yaml", "value: 90, unit: percent", "value: 85, unit: percent")
    editmsg = tmp_path / "COMMIT_EDITMSG"
    editmsg.write_text(message, encoding="utf-8")
    result = _run("servicekb-diff", repo, [str(editmsg)])
    assert result.exit_code == code, result.output


def test_the_push_hook_reads_the_reasons_from_the_commits(repo):
    repo.git("checkout", "-q", "-b", "feature")
    repo.edit("standards/alpha.yaml", "value: 90, unit: percent", "value: 85, unit: percent")
    repo.commit("Satisfaction 85 %")
    assert _run("servicekb-diff-push", repo).exit_code == 1
    repo.edit("standards/alpha.yaml", "text: 门店宜每季度", "text: 门店宜每月")
    repo.commit("Monthly follow-up\n\nLoosened-because: alpha#2.a: 新门店客流不稳定")
    assert _run("servicekb-diff-push", repo).exit_code == 0
