"""Tailoring checks: one invalid profile per bad-input case, each pinned to code, line, column and field path."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES

from servicekb.issues import Level, format_issue, sort_issues
from servicekb.loader import load_corpus
from servicekb.tailoring import TAILORING_CODES, check_profiles

STORES = FIXTURES / "stores"
TODAY = dt.date(2026, 1, 1)

# Profiles that only make sense together with another fixture.
PARTNERS = {"extends-cycle": ["extends-cycle-partner"]}

CASES = [
    # fixture, code, level, line, col, field path
    ("unknown-standard", "dangling-reference", Level.error, 6, 5, "adopts[1]"),  # adopts a standard that does not exist
    (
        "unknown-clause",
        "dangling-reference",
        Level.error,
        7,
        13,
        "exclude[1].clause",
    ),  # a clause id that does not exist
    (
        "unknown-clause-standard",
        "dangling-reference",
        Level.error,
        6,
        13,
        "exclude[0].clause",
    ),  # a clause of a missing standard
    (
        "unknown-section",
        "dangling-reference",
        Level.error,
        7,
        14,
        "include[1].section",
    ),  # a section number that does not exist
    (
        "ambiguous-section",
        "ambiguous-section",
        Level.error,
        6,
        14,
        "exclude[0].section",
    ),  # (一) numbers a section in every chapter
    (
        "not-adopted-clause",
        "not-adopted",
        Level.error,
        7,
        13,
        "include[1].clause",
    ),  # a clause of a standard not adopted
    ("bad-selector", "bad-selector", Level.error, 6, 5, "exclude[0]"),  # a selector with two criteria
    ("selector-matches-nothing", "selector-matches-nothing", Level.warning, 6, 10, "exclude[0].tag"),  # misspelt tag
    (
        "cannot-reinclude",
        "selector-matches-nothing",
        Level.warning,
        7,
        13,
        "include[1].clause",
    ),  # the baseline excluded it
    (
        "override-untargeted",
        "override-untargeted",
        Level.error,
        6,
        5,
        "overrides[0]",
    ),  # a metric the store does not target
    (
        "override-wrong-population",
        "override-untargeted",
        Level.error,
        6,
        5,
        "overrides[0]",
    ),  # targeted, but for complaints only
    ("unapproved-relaxation", "unapproved-relaxation", Level.error, 6, 5, "overrides[0]"),  # no approver, no expiry
    (
        "relaxation-without-expiry",
        "unapproved-relaxation",
        Level.error,
        6,
        5,
        "overrides[0]",
    ),  # approved but open-ended
    (
        "lapsed-relaxation",
        "lapsed-relaxation",
        Level.warning,
        14,
        14,
        "overrides[0].expires",
    ),  # expired: the standard applies again
    (
        "expired-tightening",
        "expired-tightening",
        Level.warning,
        11,
        14,
        "overrides[0].expires",
    ),  # expired, harmless, reported
    (
        "duplicate-override",
        "duplicate-override",
        Level.error,
        10,
        5,
        "overrides[1]",
    ),  # the same metric overridden twice
    (
        "bad-override-dates",
        "bad-override-dates",
        Level.error,
        12,
        18,
        "overrides[0].approved_on",
    ),  # approved after it expires
    ("extends-cycle", "extends-cycle", Level.error, 5, 10, "extends"),  # a extends b extends a
    ("excludes-everything", "empty-selection", Level.error, 6, 3, "exclude"),  # nothing left to comply with
    (
        "prefer-not-adopted",
        "prefer-not-adopted",
        Level.error,
        6,
        3,
        "prefer.complaint-resolution-time",
    ),  # prefers a standard it does not adopt
    (
        "prefer-unused",
        "prefer-unused",
        Level.warning,
        8,
        3,
        "prefer.repair-response-time",
    ),  # the preferred standard has no such target
    ("incomparable-targets", "incomparable-targets", Level.warning, 5, 3, "adopts"),  # 3 working days vs 96 hours
    ("bad-timezone", "bad-timezone", Level.error, 5, 11, "timezone"),  # Beijing time is Asia/Shanghai
    ("bad-opening-hours", "bad-opening-hours", Level.error, 7, 11, "opening_hours.closes"),  # closes before it opens
]


def scratch_repo(tmp_path: Path, *fixtures: str) -> Path:
    """The fixture repository with the given invalid profiles added to its stores/."""
    repo = tmp_path / "repo"
    shutil.copytree(STORES / "repo", repo)
    for name in fixtures:
        for stem in (name, *PARTNERS.get(name, [])):
            shutil.copy(STORES / "invalid" / f"{stem}.yaml", repo / "stores" / f"{stem}.yaml")
    return repo


def findings_for(repo: Path, today: dt.date = TODAY) -> list:
    """What `servicekb validate` reports: the loader's checks plus the tailoring checks."""
    result = load_corpus(repo)
    # The tailoring checks are pinned to TODAY here, whatever the loader used.
    issues = [i for i in result.issues if i.code not in TAILORING_CODES]
    return sort_issues(issues + check_profiles(result.corpus, result.documents, today))


def test_the_fixture_repository_is_clean(tmp_path):
    assert [format_issue(i) for i in findings_for(scratch_repo(tmp_path))] == []


@pytest.mark.parametrize(("fixture", "code", "level", "line", "col", "path"), CASES, ids=[c[0] for c in CASES])
def test_each_bad_profile_gives_one_located_finding(tmp_path, fixture, code, level, line, col, path):
    issues = [i for i in findings_for(scratch_repo(tmp_path, fixture)) if i.file == f"stores/{fixture}.yaml"]
    assert [(i.code, i.level, i.line, i.col, i.path) for i in issues] == [(code, level, line, col, path)]
    assert issues[0].message  # says what is wrong in words


def test_every_bad_profile_is_reported_in_one_run(tmp_path):
    # Like `servicekb validate` on the whole folder: every problem, none hiding another.
    repo = scratch_repo(tmp_path, *(c[0] for c in CASES))
    found = {(i.file, i.code, i.path) for i in findings_for(repo)}
    assert {(f"stores/{c[0]}.yaml", c[1], c[5]) for c in CASES} <= found


def test_both_profiles_of_a_cycle_are_reported(tmp_path):
    issues = findings_for(scratch_repo(tmp_path, "extends-cycle"))
    assert [(i.file, i.code) for i in issues] == [
        ("stores/extends-cycle-partner.yaml", "extends-cycle"),
        ("stores/extends-cycle.yaml", "extends-cycle"),
    ]
    assert "extends-cycle -> extends-cycle-partner -> extends-cycle" in issues[1].message


@pytest.mark.parametrize(
    ("today", "codes"),
    [
        (dt.date(2025, 6, 30), []),  # the relaxation is still in force on its last day
        (dt.date(2025, 7, 1), ["lapsed-relaxation"]),  # the day after, it has lapsed
    ],
)
def test_lapsing_depends_on_the_day_of_the_check(tmp_path, today, codes):
    issues = findings_for(scratch_repo(tmp_path, "lapsed-relaxation"), today)
    assert [i.code for i in issues] == codes


def test_baseline_problems_are_reported_once_in_the_baseline_file(tmp_path):
    # Two stores on a baseline with a bad override: one finding, in the baseline's file.
    repo = scratch_repo(tmp_path, "unapproved-relaxation")
    for n in (1, 2):
        (repo / "stores" / f"child-{n}.yaml").write_text(
            f"id: child-{n}\nname: 分店{n}\nextends: unapproved-relaxation\n", encoding="utf-8"
        )
    issues = findings_for(repo)
    assert [(i.file, i.code) for i in issues] == [("stores/unapproved-relaxation.yaml", "unapproved-relaxation")]
