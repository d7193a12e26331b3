"""The fast block-YAML writer of drafts gives PyYAML's own output for the same data."""

from __future__ import annotations

import pytest
import yaml

from servicekb.ingest.emit import dump_block_yaml

Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class _Literal(Dumper):  # type: ignore[misc, valid-type]
    """What render_yaml asked PyYAML for before: literal blocks for multi-line strings."""


_Literal.add_representer(
    str,
    lambda d, v: d.represent_scalar(
        "tag:yaml.org,2002:str",
        v,
        style="|" if "\n" in v and not any(ln != ln.rstrip() for ln in v.split("\n")) else None,
    ),
)


def pyyaml(data: dict) -> str:
    return yaml.dump(data, Dumper=_Literal, allow_unicode=True, sort_keys=False, width=10**6, default_flow_style=False)


@pytest.mark.parametrize(
    "value",
    [
        "投诉应在24小时内响应。",  # Chinese text: plain
        "1.1",  # number-like: quoted
        ">=",  # indicator first: quoted
        "<=",
        "demo#1.1.a",  # '#' not after a space: plain
        "a: b",  # ': ' quoted
        "yes",  # a YAML 1.1 boolean word: quoted
        "null",
        " leading space",
        "trailing space ",
        "第一行\n第二行",  # literal block
        "行尾空格 \n第二行",  # trailing blank: quoted instead
        "制表\t符\n第二行",  # a tab: quoted instead
        "«P1\t15分钟»",  # tab on one line
        "“引号”与'单引号'",
        "-开头",
        "",
        "~",
        "2025年",
    ],
)
def test_strings_are_written_as_pyyaml_writes_them(value: str) -> None:
    data = {"key": value, "list": [value, {"a": value, "b": [value]}]}
    assert dump_block_yaml(data) == pyyaml(data)
    assert yaml.safe_load(dump_block_yaml(data)) == data


def test_numbers_booleans_and_nesting() -> None:
    data = {"n": 24.0, "i": 3, "f": 0.5, "t": True, "e": [], "d": {}, "nested": [{"x": [{"y": 1.0}]}, [1, 2]]}
    assert dump_block_yaml(data) == pyyaml(data)
