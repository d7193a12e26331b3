"""Validation: one invalid fixture per failure mode, each pinned to code, line, column and field path."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT

from servicekb.issues import Level, format_issue
from servicekb.loader import load_corpus
from servicekb.validation import validate_repository
from servicekb.yamlpos import MAX_BYTES

INVALID = FIXTURES / "invalid"

CASES = [
    # fixture, code, line, col, field path
    ("unknown-field", "unknown-field", 15, 5, "sections[0].clauses[0].colour"),  # misspelt key is never ignored
    ("missing-field", "missing-field", 9, 5, "sections[0].clauses[0].kind"),  # points at the clause lacking it
    ("bad-comparator", "bad-comparator", 16, 55, "sections[0].clauses[0].targets[0].comparator"),  # '=<' typo
    ("between-without-upper", "bad-comparator", 16, 55, "sections[0].clauses[0].targets[0].comparator"),
    ("percent-out-of-range", "out-of-range", 16, 64, "sections[0].clauses[0].targets[0].value"),  # 120 %
    ("negative-duration", "out-of-range", 16, 68, "sections[0].clauses[0].targets[0].value"),  # -4 h
    ("unit-mismatch", "unit-mismatch", 16, 74, "sections[0].clauses[0].targets[0].unit"),  # hours on a percentage
    ("dangling-metric", "dangling-reference", 16, 16, "sections[0].clauses[0].targets[0].metric"),
    ("dangling-clause", "dangling-reference", 15, 18, "sections[0].clauses[0].references[0]"),
    ("dangling-citation", "dangling-reference", 16, 17, "sections[0].clauses[0].citations[0].citation"),
    ("duplicate-key", "duplicate-key", 15, 5, "sections[0].clauses[0].stage"),  # second 'stage:'
    ("duplicate-clause-id", "duplicate-id", 15, 9, "sections[0].clauses[1].id"),
    ("id-mismatch", "id-mismatch", 1, 5, "id"),  # id differs from the file name
    ("empty-section", "empty-section", 15, 3, "sections[1]"),  # body section with no clause
    ("bad-clause-id", "bad-clause-id", 9, 9, "sections[0].clauses[0].id"),  # clause of another standard's id
    ("yaml-syntax", "yaml-syntax", 16, 1, ""),  # unclosed flow list
    ("tab-indentation", "tab-indentation", 15, 1, ""),
    ("list-root", "wrong-type", 1, 1, ""),  # a list where a mapping is expected
    ("bad-id", "bad-id", 1, 5, "id"),  # not kebab-case
    (
        "target-on-informative",
        "target-on-informative",
        16,
        7,
        "sections[0].clauses[0].targets[0].nature",
    ),  # a statistic as a target
    ("toc-only-with-clauses", "toc-only-with-clauses", 10, 3, "sections[0].clauses"),  # invented clauses
    ("wrong-type-value", "wrong-type", 16, 68, "sections[0].clauses[0].targets[0].value"),  # 七十二 is not a number
    ("bad-enum", "bad-value", 11, 11, "sections[0].clauses[0].kind"),
    ("multiple-documents", "multiple-documents", 15, 1, ""),
    ("yaml-alias", "yaml-alias", 13, 12, ""),
    ("duplicate-section", "duplicate-section", 15, 11, "sections[1].number"),
    (
        "clock-mismatch",
        "clock-mismatch",
        16,
        97,
        "sections[0].clauses[0].targets[0].clock",
    ),  # working days on a calendar clock
    (
        "quote-value-mismatch",
        "quote-value-mismatch",
        16,
        68,
        "sections[0].clauses[0].targets[0].value",
    ),  # 48 under a quote saying 24
    (
        "quote-unit-mismatch",
        "quote-unit-mismatch",
        16,
        78,
        "sections[0].clauses[0].targets[0].unit",
    ),  # minutes under 24小时
    (
        "quote-comparator-mismatch",
        "quote-comparator-mismatch",
        16,
        55,
        "sections[0].clauses[0].targets[0].comparator",
    ),  # >= under 内
    (
        "quote-without-number",
        "quote-without-number",
        16,
        108,
        "sections[0].clauses[0].targets[0].quote",
    ),  # 及时 states no number
    (
        "clause-section-mismatch",
        "clause-section-mismatch",
        9,
        9,
        "sections[0].clauses[0].id",
    ),  # #99.99.a inside section 1
    (
        "gap-not-in-text",
        "gap-not-in-text",
        15,
        15,
        "sections[0].clauses[0].gaps[0].after",
    ),  # a gap flagged after words the text lacks
    ("classification-without-flag", "classification-without-flag", 16, 90, "sections[0].clauses[0].targets[0].nature"),
]


def _validate(repo: Path, name: str, data: bytes | None = None) -> list:
    target = repo / "standards" / f"{name}.yaml"
    if data is None:
        shutil.copy(INVALID / f"{name}.yaml", target)
    else:
        target.write_bytes(data)
    return [i for i in load_corpus(repo).issues if i.file == f"standards/{name}.yaml"]


def test_every_invalid_fixture_has_a_case():
    assert {p.stem for p in INVALID.glob("*.yaml")} == {c[0] for c in CASES}


@pytest.mark.parametrize(("name", "code", "line", "col", "path"), CASES, ids=[c[0] for c in CASES])
def test_invalid_fixture_reports_code_line_and_path(mini_repo, name, code, line, col, path):
    errors = [i for i in _validate(mini_repo, name) if i.level is Level.error]
    assert [(i.code, i.line, i.col, i.path) for i in errors] == [(code, line, col, path)]


@pytest.mark.parametrize(
    ("data", "code", "line", "col"),
    [
        (b"id: x\ntitle: caf\xe9\n", "not-utf8", 2, 11),  # Latin-1 byte in line 2
        (b"", "empty-file", 1, 1),
        (b"# only a comment\n\n", "empty-file", 1, 1),
        (b"a: " + b"x" * (MAX_BYTES + 1), "file-too-large", 1, 1),  # a 4 MiB+ file
    ],
    ids=["non-utf8", "empty", "comment-only", "too-large"],
)
def test_unreadable_files_give_one_clear_issue(mini_repo, data, code, line, col):
    issues = _validate(mini_repo, "broken", data)
    assert [(i.code, i.line, i.col) for i in issues] == [(code, line, col)]


def test_five_megabyte_standard_is_one_issue_not_a_crash(mini_repo):
    text = (INVALID.parent / "repo" / "standards" / "mini.yaml").read_text(encoding="utf-8")
    big = text + "# " + "长" * (5 * 1024 * 1024 // 3) + "\n"
    issues = _validate(mini_repo, "mini", big.encode("utf-8"))
    assert [i.code for i in issues] == ["file-too-large"]


def test_all_issues_of_a_run_are_reported_sorted(mini_repo):
    for name in ("unknown-field", "dangling-metric", "empty-section"):
        shutil.copy(INVALID / f"{name}.yaml", mini_repo / "standards")
    issues = [i for i in load_corpus(mini_repo).issues if i.level is Level.error]
    assert {i.file for i in issues} == {
        f"standards/{n}.yaml" for n in ("unknown-field", "dangling-metric", "empty-section")
    }
    lines = [format_issue(i) for i in sorted(issues, key=lambda i: (i.file, i.line, i.col))]
    assert lines[0].startswith("standards/dangling-metric.yaml:16:16: error[dangling-reference]")


def test_valid_mini_repo_has_no_issue(mini_repo):
    result = load_corpus(mini_repo)
    assert result.issues == []
    assert set(result.corpus.clauses) == {"mini#1.a", "mini#1.b"}


def test_explicit_path_checks_only_that_file_but_resolves_against_the_rest(mini_repo):
    shutil.copy(INVALID / "dangling-metric.yaml", mini_repo / "standards")
    result = load_corpus(mini_repo, [mini_repo / "standards" / "mini.yaml"])
    assert result.issues == [] and result.files_checked == 1


def test_missing_path_is_reported(mini_repo):
    issues = load_corpus(mini_repo, [mini_repo / "nope.yaml"]).issues
    assert [i.code for i in issues] == ["no-such-file"]


def test_real_corpus_is_clean_even_under_strict():
    # No error and no warning in standards/ and stores/: `validate --strict` passes on the corpus.
    result = validate_repository(ROOT, today=dt.date(2026, 11, 22))
    assert [(i.file, i.code, i.level) for i in result.issues] == []
    assert len(result.corpus.standards) == 5 and result.corpus.metrics and result.corpus.stores
