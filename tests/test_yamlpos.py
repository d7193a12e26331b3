"""YAML reading with positions: plain scalars stay text, positions point at the value or key."""

from __future__ import annotations

import pytest

from servicekb.yamlpos import parse_yaml

DOC = "a: 1\nb:\n  - x: 1.1\n    y: null\n    z:\n    w: 'null'\n"


def test_plain_scalars_stay_text_so_section_numbers_survive():
    doc, issues = parse_yaml(DOC, "f.yaml")
    assert issues == []
    # 1.1 would be a float under YAML 1.1 typing; section numbers must stay as printed
    assert doc.data == {"a": "1", "b": [{"x": "1.1", "y": None, "z": None, "w": "null"}]}


@pytest.mark.parametrize(
    ("path", "on_key", "expected"),
    [
        (("b", 0, "x"), False, (3, 8)),  # the value
        (("b", 0, "y"), True, (4, 5)),  # the key, for unknown fields
        (("b", 0, "missing"), False, (3, 5)),  # deepest existing ancestor
        ((), False, (1, 1)),  # the document
    ],
)
def test_locate(path, on_key, expected):
    doc, _ = parse_yaml(DOC, "f.yaml")
    assert doc.locate(path, on_key=on_key) == expected


def test_duplicate_key_keeps_first_value_and_reports_second():
    doc, issues = parse_yaml("a: 1\nb: 2\na: 3\n", "f.yaml")
    assert doc.data == {"a": "1", "b": "2"}
    assert [(i.code, i.line, i.col, i.path) for i in issues] == [("duplicate-key", 3, 1, "a")]


def test_bom_is_ignored(tmp_path):
    from servicekb.yamlpos import read_yaml

    p = tmp_path / "bom.yaml"
    p.write_bytes("\ufeffa: 1\n".encode("utf-8"))
    doc, issues = read_yaml(p, "bom.yaml")
    assert issues == [] and doc.data == {"a": "1"}
