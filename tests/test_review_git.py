"""Loading revisions: git commits, folders, merge bases, commit messages, and the errors a user can make.

`GitRepo` (also used by the other review tests) builds a temporary git
repository from `tests/fixtures/review/repo` and commits edits to it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import FIXTURES

import servicekb.review
from servicekb.corpus import FileKey
from servicekb.review import RevisionError, commit_messages, find_merge_base, open_revision

REVIEW = FIXTURES / "review" / "repo"
DAY = "2026-01-10T12:00:00+08:00"


class GitRepo:
    """A scratch git repository holding the review fixture, committed as `base` on branch main."""

    def __init__(self, path: Path):
        shutil.copytree(REVIEW, path)
        self.path = path
        self.git("init", "-q", "-b", "main")
        self.commit("Base: alpha, catalogues, one store, one schema")

    def git(self, *args: str, date: str = DAY) -> str:
        env = {
            **os.environ,
            "GIT_CONFIG_GLOBAL": os.devnull,
            "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_AUTHOR_NAME": "Reviewer",
            "GIT_AUTHOR_EMAIL": "reviewer@example.com",
            "GIT_COMMITTER_NAME": "Reviewer",
            "GIT_COMMITTER_EMAIL": "reviewer@example.com",
            "GIT_AUTHOR_DATE": date,
            "GIT_COMMITTER_DATE": date,
        }
        done = subprocess.run(["git", "-C", str(self.path), *args], capture_output=True, text=True, env=env, check=True)
        return done.stdout.strip()

    def edit(self, file: str, old: str, new: str) -> None:
        """Replace `old` (which must occur exactly once) by `new` in a file."""
        target = self.path / file
        text = target.read_text(encoding="utf-8")
        assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {file}"
        target.write_text(text.replace(old, new), encoding="utf-8")

    def commit(self, message: str, date: str = DAY) -> str:
        """Commit everything; return the commit id."""
        self.git("add", "-A")
        self.git("commit", "-q", "--allow-empty", "-m", message, date=date)
        return self.git("rev-parse", "HEAD")


@pytest.fixture
def repo(tmp_path: Path) -> GitRepo:
    return GitRepo(tmp_path / "repo")


def test_a_commit_loads_as_it_was_committed(repo):
    base = repo.git("rev-parse", "HEAD")
    repo.edit("standards/alpha.yaml", "客户满意度应达到90%以上。\n", "客户满意度应达到95%以上。\n")
    repo.commit("Reword 2.a")
    repo.edit("standards/alpha.yaml", "客户满意度应达到95%以上。\n", "客户满意度应达到99%以上。\n")  # uncommitted
    old, head, tree = (
        open_revision(repo.path, base),
        open_revision(repo.path, "HEAD"),
        open_revision(repo.path, str(repo.path)),
    )
    texts = [r.corpus.clauses["alpha#2.a"].clause.text for r in (old, head, tree)]
    assert texts == ["客户满意度应达到90%以上。", "客户满意度应达到95%以上。", "客户满意度应达到99%以上。"]
    assert old.commit == base and old.date.isoformat() == "2026-01-10" and tree.commit is None
    assert sorted(old.schemas) == ["thing.schema.json"] and old.issues == []
    # Locations point into the revision's own files, for the report.
    assert (
        head.locate(FileKey.standard("alpha"), ("sections", 1, "clauses", 0)) == "standards/alpha.yaml:50"
    )  # the line of `- id: alpha#2.a`


def test_a_revision_without_stores_or_schemas_loads(repo):
    shutil.rmtree(repo.path / "stores")
    shutil.rmtree(repo.path / "schemas")
    repo.commit("Only standards")
    rev = open_revision(repo.path, "HEAD")
    assert rev.corpus.stores == {} and rev.schemas == {} and "alpha" in rev.corpus.standards


def test_a_file_that_does_not_load_is_an_issue_of_the_revision(repo):
    repo.edit("standards/alpha.yaml", "    modality: must\n", "    modality: mandatory\n")
    repo.commit("Break alpha")
    rev = open_revision(repo.path, "HEAD")
    assert rev.failed("standards/alpha.yaml") and "alpha" not in rev.corpus.standards


@pytest.mark.parametrize(
    "spec, message",
    [
        ("no-such-branch", "is neither a folder holding standards/ nor a git revision"),  # a typo in a branch name
        ("HEAD~5", "is neither a folder holding standards/ nor a git revision"),  # older than the first commit
    ],
)
def test_a_bad_revision_is_a_revision_error(repo, spec, message):
    with pytest.raises(RevisionError, match=message):
        open_revision(repo.path, spec)


def test_a_folder_without_standards_is_refused(repo, tmp_path):
    (tmp_path / "empty").mkdir()
    with pytest.raises(RevisionError, match="holds no standards/"):
        open_revision(repo.path, str(tmp_path / "empty"))


def test_a_folder_outside_git_is_a_revision(tmp_path):
    shutil.copytree(REVIEW, tmp_path / "plain")
    rev = open_revision(tmp_path, str(tmp_path / "plain"))
    assert "alpha" in rev.corpus.standards and rev.commit is None


def test_merge_base_and_messages_of_a_branch(repo):
    base = repo.git("rev-parse", "HEAD")
    repo.git("checkout", "-q", "-b", "feature")
    repo.edit("standards/alpha.yaml", "text: 门店宜每季度", "text: 门店宜每月")
    repo.commit("Monthly follow-up\n\nLoosened-because: alpha#2.b: 试点")
    repo.git("checkout", "-q", "main")
    repo.edit("standards/alpha.yaml", "投诉记录应完整保存。", "投诉记录应完整保存三年。")
    repo.commit("Keep records three years")
    assert find_merge_base(repo.path, "main", "feature") == base
    assert commit_messages(repo.path, base, "feature") == ["Monthly follow-up\n\nLoosened-because: alpha#2.b: 试点"]
    with pytest.raises(RevisionError, match="neither a folder"):
        find_merge_base(repo.path, "main", "nope")


def test_every_public_name_of_the_package_resolves():
    assert sorted(servicekb.review.__all__) == sorted(dir(servicekb.review))
    assert all(getattr(servicekb.review, name) is not None for name in servicekb.review.__all__)
    with pytest.raises(AttributeError):
        servicekb.review.no_such_name  # noqa: B018 - the attribute access is the test
