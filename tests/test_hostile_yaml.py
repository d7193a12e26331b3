"""Hostile YAML and store profiles: every case gives its stable code at its place, and nothing is lost or executed.

Each case writes one hostile file into a scratch copy of the mini repository
and loads it. It must give exactly the expected code at the expected line
and column, no traceback, no other file's content lost (the valid standard
still loads), and nothing constructed or run from the file.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from servicekb.issues import Level
from servicekb.loader import load_corpus
from servicekb.validation import validate_repository
from servicekb.yamlpos import MAX_BYTES

STORE = "id: shop\nname: 门店\nadopts: [mini]\n"
OVERRIDE = """\
id: shop
name: 门店
adopts: [mini]
overrides:
- metric: complaint-resolution-time
  population: {{ticket_kind: complaint}}
  comparator: "<="
  value: {value}
  unit: hour
  clock: calendar
  justification: 人手不足。
  approver: 区域经理
  approved_on: {approved}
  expires: {expires}
"""


def _override(value: str = "96", approved: str = '"2026-01-01"', expires: str = '"2027-06-30"') -> str:
    return OVERRIDE.format(value=value, approved=approved, expires=expires)


def _target(value: str, extra: str = "") -> str:
    return (
        "id: evil\ntitle: {zh: 标准}\nstatus: curated\nsource: {seed: mini.txt, title: 标准}\nsections:\n"
        '- number: "1"\n  title: {zh: 投诉}\n  clauses:\n  - id: evil#1.a\n    text: 投诉应在72小时内解决。\n'
        "    kind: requirement\n    modality: shall\n    stage: complaint\n    targets:\n"
        f'    - {{metric: complaint-resolution-time, comparator: "<=", value: {value}{extra}, unit: hour, '
        "clock: calendar, population: {ticket_kind: complaint}, quote: 72小时内解决}\n"
        "    provenance: {seed: mini.txt, quote: 投诉应在72小时内解决}\n"
    )


CASES = [
    # --- structure: limits that used to crash or that a parser could be made to explode on
    (
        "standards/deep.yaml",
        "a: " + "{b: " * 990 + "1" + "}" * 990,
        "too-deep",
        1,
        160,
    ),  # 990 flow mappings: was a RecursionError
    ("standards/deep.yaml", "a: " + "[" * 990 + "]" * 990, "too-deep", 1, 43),  # 990 flow sequences
    (
        "standards/deep.yaml",
        "a:\n" + "".join(" " * (2 * i) + "- \n" for i in range(300)),
        "too-deep",
        41,
        79,
    ),  # block nesting
    (
        "standards/bomb.yaml",
        "a: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b]\n",
        "yaml-alias",
        1,
        4,
    ),  # billion laughs starts with an anchor
    ("standards/big.yaml", "a: " + "x" * (MAX_BYTES + 1), "file-too-large", 1, 1),
    ("standards/two.yaml", "id: a\n---\nid: b\n", "multiple-documents", 2, 1),
    ("standards/tab.yaml", "id: a\ntitle:\n\tzh: x\n", "tab-indentation", 3, 1),
    ("standards/dup.yaml", "id: a\nid: b\n", "duplicate-key", 2, 1),
    ("standards/key.yaml", "id: a\n? [x]\n: 2\n", "bad-key", 2, 3),
    ("standards/syntax.yaml", "id: [a\n", "yaml-syntax", 2, 1),
    ("standards/nul.yaml", 'id: "x\x00"\n', "yaml-syntax", 1, 7),  # a control character, located
    ("standards/list.yaml", "- a\n- b\n", "wrong-type", 1, 1),
    ("standards/empty.yaml", "", "empty-file", 1, 1),
    # --- tags: nothing is ever constructed from a tag
    ("standards/tag.yaml", 'id: !!python/object/apply:os.system ["touch pwned-by-yaml"]\n', "yaml-tag", 1, 5),
    ("standards/tag.yaml", "id: !!python/name:os.system\n", "yaml-tag", 1, 5),
    ("standards/tag.yaml", "id: !local 1\n", "yaml-tag", 1, 5),
    ("standards/tag.yaml", "id: !!int 3\n", "yaml-tag", 1, 5),
    ("standards/tag.yaml", "id: !!binary aGk=\n", "yaml-tag", 1, 5),
    # --- numbers: non-finite values produced wrong verdicts
    ("standards/evil.yaml", _target("nan"), "non-finite-number", 15, 68),
    ("standards/evil.yaml", _target(".inf"), "non-finite-number", 15, 68),
    ("standards/evil.yaml", _target("-inf"), "non-finite-number", 15, 68),
    ("standards/evil.yaml", _target("1e400"), "non-finite-number", 15, 68),
    ("standards/evil.yaml", _target("NaN"), "non-finite-number", 15, 68),
    ("stores/shop.yaml", _override(value="nan"), "non-finite-number", 8, 10),
    ("stores/shop.yaml", _override(value="1e400"), "non-finite-number", 8, 10),
    ("stores/shop.yaml", STORE + "service_levels: {complaint-resolution-time: inf}\n", "non-finite-number", 4, 45),
    # --- dates: only a written day; never a Unix timestamp, never a raw pydantic code
    ("stores/shop.yaml", _override(expires="1830211200"), "bad-date", 14, 12),
    ("stores/shop.yaml", _override(expires="20270630"), "bad-date", 14, 12),
    ("stores/shop.yaml", _override(expires="2027-06-30T00:00:00"), "bad-date", 14, 12),
    ("stores/shop.yaml", _override(expires="2027-13-01"), "bad-date", 14, 12),
    ("stores/shop.yaml", _override(approved="1767225600"), "bad-date", 13, 16),
    ("stores/shop.yaml", _override(expires="30.06.2027"), "bad-date", 14, 12),
]


@pytest.mark.parametrize(
    ("name", "text", "code", "line", "col"), CASES, ids=[f"{c[2]}-{i}" for i, c in enumerate(CASES)]
)
def test_hostile_file_gives_its_code_at_its_place_and_loses_nothing(mini_repo, name, text, code, line, col):
    path = mini_repo / name
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(text.encode("utf-8"))
    cwd = os.getcwd()
    os.chdir(mini_repo)  # a tag that ran would write here
    try:
        result = validate_repository(mini_repo)
    finally:
        os.chdir(cwd)
    errors = [(i.file, i.code, i.line, i.col) for i in result.issues if i.level is Level.error]
    # the finding itself, first, and nothing in any other file
    assert errors[0] == (name, code, line, col)
    assert {e[0] for e in errors} == {name}
    # nothing lost: the other standard still loads, whole
    assert set(result.corpus.clauses) >= {"mini#1.a", "mini#1.b"}
    # nothing executed
    assert not any("pwned" in p.name for p in mini_repo.rglob("*"))


def test_a_non_finite_target_never_reaches_the_corpus(mini_repo):
    (mini_repo / "standards" / "evil.yaml").write_text(_target("nan"), encoding="utf-8")
    assert "evil" not in load_corpus(mini_repo).corpus.standards


def _outside(tmp_path: Path) -> Path:
    secret = tmp_path / "outside" / "secret.yaml"
    secret.parent.mkdir()
    secret.write_text("id: leaked\ntitle: {zh: SECRET-VALUE-9f3}\n", encoding="utf-8")
    return secret


def test_a_symlink_to_a_file_outside_the_repository_is_refused_unread(mini_repo, tmp_path):
    secret = _outside(tmp_path)
    (mini_repo / "standards" / "linked.yaml").symlink_to(secret)
    result = validate_repository(mini_repo)
    assert [(i.file, i.code, i.line, i.col) for i in result.issues] == [
        ("standards/linked.yaml", "symlink-outside", 1, 1)
    ]
    assert "leaked" not in result.corpus.standards
    assert not any("SECRET-VALUE" in (i.message + str(i.value)) for i in result.issues)


def test_a_symlinked_folder_leaving_the_repository_is_refused_unread(mini_repo, tmp_path):
    secret = _outside(tmp_path)
    (mini_repo / "standards" / "more").symlink_to(secret.parent, target_is_directory=True)
    result = validate_repository(mini_repo)
    assert [(i.file, i.code) for i in result.issues] == [("standards/more", "symlink-outside")]
    assert "leaked" not in result.corpus.standards


def test_a_symlink_inside_the_repository_is_read(mini_repo):
    (mini_repo / "stores").mkdir()
    (mini_repo / "shop.yaml").write_text(STORE, encoding="utf-8")
    (mini_repo / "stores" / "shop.yaml").symlink_to(mini_repo / "shop.yaml")
    result = validate_repository(mini_repo)
    assert "shop" in result.corpus.stores


@pytest.mark.parametrize(
    ("broken", "text", "code", "line"),
    [
        # the metric catalogue reduced to `metrics: [`: one error there, not one per target everywhere
        ("standards/metrics.yaml", "metrics: [\n", "yaml-syntax", 2),
        # a standard with a syntax error: the stores adopting it are not flooded with errors
        ("standards/mini.yaml", "id: [mini\n", "yaml-syntax", 2),
        # the citation catalogue with a wrong type
        ("standards/citations.yaml", "citations: 3\n", "wrong-type", 1),
    ],
)
def test_one_broken_file_does_not_cascade_into_errors_in_others(mini_repo, broken, text, code, line):
    (mini_repo / "stores").mkdir()
    (mini_repo / "stores" / "shop.yaml").write_text(STORE, encoding="utf-8")
    (mini_repo / broken).write_text(text, encoding="utf-8")
    result = validate_repository(mini_repo)
    errors = [(i.file, i.code, i.line) for i in result.issues if i.level is Level.error]
    assert errors == [(broken, code, line)]
    # not silent: the broken file says that findings elsewhere are held back
    assert [(i.file, i.code) for i in result.issues if i.level is Level.note] == [(broken, "findings-held-back")]
