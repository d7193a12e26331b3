"""Review stamps: the lock file round trip (comments kept, atomic), fingerprints, suspect links and
`servicekb review`."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES
from typer.testing import CliRunner

from servicekb.cli import (
    _register,
    app,
    diff_cmd,  # noqa: F401 - registers `diff` and `review` until cli._register imports it
)
from servicekb.loader import load_corpus
from servicekb.review import LOCK_FILE, check_review_links, read_stamps, write_stamps

_register()
runner = CliRunner()

LOCK_WITH_COMMENTS = """\
# Stamps of the alpha standard.
stamps:
  # 1.b was checked against 1.a by the complaints lead
  alpha#1.b:
    alpha#1.a: 0000000000000000  # first review
  zeta#1:
    zeta#2: 1111111111111111
"""


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    shutil.copytree(FIXTURES / "review" / "repo", tmp_path / "repo")
    return tmp_path / "repo"


def _suspects(root: Path) -> list[tuple[str, int, str, str]]:
    loaded = load_corpus(root, check=False)
    return [(i.file, i.line, i.path, i.level.value) for i in check_review_links(root, loaded.corpus, loaded.documents)]


def _edit(root: Path, file: str, old: str, new: str) -> None:
    path = root / file
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_stamps_survive_a_round_trip_with_comments(tree):
    (tree / LOCK_FILE).write_text(LOCK_WITH_COMMENTS, encoding="utf-8")
    write_stamps(
        tree, {"alpha#1.b": {"alpha#1.a": "2222222222222222"}, "beta#1": {"beta#2": "3333333333333333"}, "zeta#1": None}
    )
    text = (tree / LOCK_FILE).read_text(encoding="utf-8")
    assert text == (
        "# Stamps of the alpha standard.\n"
        "stamps:\n"
        "  # 1.b was checked against 1.a by the complaints lead\n"
        "  alpha#1.b:\n"
        "    alpha#1.a: '2222222222222222' # first review\n"
        "  beta#1:\n"
        "    beta#2: '3333333333333333'\n"
    )
    stamps, issues = read_stamps(tree)
    assert issues == [] and stamps.entries == {
        "alpha#1.b": {"alpha#1.a": "2222222222222222"},
        "beta#1": {"beta#2": "3333333333333333"},
    }


def test_a_new_lock_file_explains_itself_and_is_not_loaded_as_a_standard(tree):
    write_stamps(tree, {"alpha#1.b": {"alpha#1.a": "abcdef0123456789"}})
    text = (tree / LOCK_FILE).read_text(encoding="utf-8")
    assert (
        text.startswith("# Review stamps, written by `servicekb review ID`") and "alpha#1.a: abcdef0123456789" in text
    )
    assert load_corpus(tree).issues == []


def test_a_failed_write_leaves_the_old_lock_and_no_temporary_file(tree, monkeypatch):
    (tree / LOCK_FILE).write_text(LOCK_WITH_COMMENTS, encoding="utf-8")

    def refuse(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(OSError):
        write_stamps(tree, {"alpha#1.b": None})
    assert (tree / LOCK_FILE).read_text(encoding="utf-8") == LOCK_WITH_COMMENTS
    # the file lock (.review.lock.lock, git-ignored) stays; no temporary file does
    assert sorted(p.name for p in (tree / "standards").iterdir()) == [
        ".review.lock.lock",
        "alpha.yaml",
        "citations.yaml",
        "metrics.yaml",
        "review.lock",
    ]


@pytest.mark.parametrize(
    "lock, expected",
    [
        ("stamps: [a, b]\n", [("bad-review-lock", 1, "stamps")]),  # a list, not a mapping
        ("stamps:\n  alpha#1.b: 0123\n", [("bad-review-lock", 2, "stamps.alpha#1.b")]),  # a referrer without its links
        ("stamps:\n  alpha#1.b: {x: 1\n", [("yaml-syntax", 3, "")]),  # broken YAML
        ("# nothing stamped yet\n", []),  # an empty lock is no stamps
    ],
)
def test_a_bad_lock_file_is_reported_where_it_is_wrong(tree, lock, expected):
    (tree / LOCK_FILE).write_text(lock, encoding="utf-8")
    _, issues = read_stamps(tree)
    assert [(i.code, i.line, i.path) for i in issues] == expected
    assert all(i.file == "standards/review.lock" for i in issues)


def test_a_referrer_is_suspect_until_reviewed(tree):
    assert _suspects(tree) == []  # no lock file: nothing stamped, nothing suspect
    result = runner.invoke(app, ["review", "alpha#1.b", "--root", str(tree)])
    assert result.exit_code == 0 and "stamped alpha#1.b -> alpha#1.a" in result.output and "(new)" in result.output
    assert _suspects(tree) == []
    _edit(tree, "standards/alpha.yaml", "    text: 投诉应在72小时内解决。\n", "    text: 投诉应在48小时内解决。\n")
    assert _suspects(tree) == [("standards/alpha.yaml", 31, "sections[0].clauses[1].references[0]", "warning")]
    listing = runner.invoke(app, ["review", "--root", str(tree)])
    assert (
        listing.exit_code == 1
        and "warning[suspect-link]" in listing.output
        and "`servicekb review alpha#1.b`" in listing.output
    )
    again = runner.invoke(app, ["review", "alpha#1.b", "--root", str(tree)])
    assert again.exit_code == 0 and "was " in again.output
    assert _suspects(tree) == []


@pytest.mark.parametrize(
    "old, new, suspect",
    [
        (
            "    stage: complaint\n    targets:\n    - metric: complaint-resolution-time",
            "    stage: after-sale\n    targets:\n    - metric: complaint-resolution-time",
            False,
        ),  # the stage is classification
        (
            "provenance: {seed: alpha.txt, quote: 投诉应在72小时内解决}",
            "provenance: {seed: alpha.txt, quote: 投诉应在72小时内}",
            False,
        ),  # provenance is presentation
        ("      quote: 72小时内解决\n", "      quote: 在72小时内解决\n", False),  # a target's quote is presentation
        ("      value: 72\n", "      value: 96\n", True),  # the number is content
        (
            "    modality: shall\n    stage: complaint\n    targets:\n    - metric: complaint-resolution-time",
            "    modality: should\n    stage: complaint\n    targets:\n    - metric: complaint-resolution-time",
            True,
        ),  # so is the modality
        ("    - citation: gb-t-17242\n", "    - {citation: gb-t-17242, article: 第5条}\n", True),  # and what it cites
    ],
)
def test_what_makes_a_referrer_suspect(tree, old, new, suspect):
    assert runner.invoke(app, ["review", "--all", "--root", str(tree)]).exit_code == 0
    _edit(tree, "standards/alpha.yaml", old, new)
    assert bool(_suspects(tree)) is suspect


def test_store_selectors_and_local_clauses_are_links(tree):
    _edit(
        tree,
        "stores/shop.yaml",
        "adopts: [alpha]\n",
        "adopts: [alpha]\ninclude:\n- section: alpha#1\n- clause: alpha#2.a\nlocal_clauses:\n"
        "- {id: shop#1, text: 门店投诉须当日登记。, kind: requirement, modality: must, stage: complaint, "
        "references: [alpha#1.c]}\n",
    )
    listing = runner.invoke(app, ["review", "--root", str(tree)])
    assert "unstamped: shop -> section:alpha#1" in listing.output and "unstamped: shop#1 -> alpha#1.c" in listing.output
    stamped = runner.invoke(app, ["review", "stores/shop.yaml", "--root", str(tree)])
    assert (
        stamped.exit_code == 0
        and "stamped shop -> alpha#2.a" in stamped.output
        and "stamped shop#1 -> alpha#1.c" in stamped.output
    )
    _edit(tree, "standards/alpha.yaml", "    text: 投诉记录应完整保存。\n", "    text: 投诉记录应保存三年。\n")
    assert _suspects(tree) == [
        ("stores/shop.yaml", 7, "include[0].section", "warning"),
        ("stores/shop.yaml", 10, "local_clauses[0].references[0]", "warning"),
    ]


def test_review_all_drops_stamps_of_referrers_that_are_gone(tree):
    (tree / LOCK_FILE).write_text(LOCK_WITH_COMMENTS, encoding="utf-8")
    result = runner.invoke(app, ["review", "--all", "--format", "json", "--root", str(tree)])
    rows = json.loads(result.stdout)["stamps"]
    assert result.exit_code == 0
    assert [(r["referrer"], r["referenced"], r["fingerprint"] is None) for r in rows] == [
        ("alpha#1.b", "alpha#1.a", False),
        ("zeta#1", "zeta#2", True),
    ]
    assert "zeta#1" not in read_stamps(tree)[0].entries


@pytest.mark.parametrize(
    "args, code, words",
    [
        (["review", "alpha#9.z"], 2, "no clause or store profile 'alpha#9.z'"),  # a typo in the id
        (
            ["review", "alpha#1.a"],
            0,
            "alpha#1.a references nothing; nothing to stamp (referred to by alpha#1.b: name those to re-stamp them)",
        ),  # the referenced clause, not the referrer
    ],
)
def test_review_tells_what_it_cannot_do(tree, args, code, words):
    result = runner.invoke(app, [*args, "--root", str(tree)])
    assert result.exit_code == code and words in result.output
    assert not (tree / LOCK_FILE).exists()


def test_review_refuses_a_broken_lock(tree):
    (tree / LOCK_FILE).write_text("stamps: [\n", encoding="utf-8")
    result = runner.invoke(app, ["review", "alpha#1.b", "--root", str(tree)])
    assert result.exit_code == 1 and "standards/review.lock:" in result.output and "cannot be read" in result.output


def test_review_all_lists_only_what_it_changed(tree):
    first = runner.invoke(app, ["review", "--all", "--root", str(tree)])
    assert first.output.splitlines() == [
        "stamped alpha#1.b -> alpha#1.a " + read_stamps(tree)[0].get("alpha#1.b", "alpha#1.a") + " (new)",
        "1 link(s) stamped in standards/review.lock",
    ]
    again = runner.invoke(app, ["review", "--all", "--root", str(tree)])
    assert again.exit_code == 0 and again.output.splitlines() == [
        "1 link(s) stamped in standards/review.lock (1 unchanged)"
    ]


@pytest.mark.parametrize(
    "paths, reported",
    [
        ([], True),  # the whole repository: the lock file is checked too
        (["standards/alpha.yaml"], False),  # one file: only its own issues
    ],
)
def test_validate_reports_a_broken_lock_file(tree, paths, reported):
    (tree / LOCK_FILE).write_text("stamps:\n  alpha#1.b: 0123\n", encoding="utf-8")
    result = runner.invoke(app, ["validate", *[str(tree / p) for p in paths], "--root", str(tree)])
    line = (
        "standards/review.lock:2:14: error[bad-review-lock] stamps.alpha#1.b: "
        "the stamps of 'alpha#1.b' must map referenced ids to fingerprints"
    )
    assert (line in result.output) is reported and result.exit_code == int(reported)
