"""Block-style YAML of plain data (dicts, lists, strings, numbers, booleans), fast.

PyYAML's representer spends most of ingest's time on a large draft (tens of
thousands of scalars, each represented and resolved in Python). The drafts'
data is simple, so this writes the block layout itself, in PyYAML's own
layout (`default_flow_style=False`, indentless sequences, `allow_unicode`, no
line folding), and asks PyYAML only about a string that is not plainly safe
(a number-like `'1.1'`, `'>='`, a string with `: `); multi-line strings are
literal blocks (`|-`) when their lines have no trailing blanks. The output is
PyYAML's for the same data: the ingest snapshots pin it.
"""

from __future__ import annotations

import re

import yaml

__all__ = ["dump_block_yaml"]

# A string PyYAML writes plain: it starts with a letter or a CJK character that is no indicator,
# has no ': ' or ' #', no quote or control characters, and cannot be read as another type.
_SAFE = re.compile(r"[A-Za-z\u4e00-\u9fff\u3400-\u4dbf][^\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff\"'\\#:]*")
_UNPRINTABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufeff\t]")
_NOT_PLAIN_WORDS = re.compile(r"(?i:y|yes|n|no|true|false|on|off|null|~)")
_Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def _scalar(value: str) -> str:
    if (
        _SAFE.fullmatch(value)
        and value == value.strip()
        and not _NOT_PLAIN_WORDS.fullmatch(value)
        and not value.endswith(":")
    ):
        return value
    text = yaml.dump(value, Dumper=_Dumper, allow_unicode=True, width=10**6, default_flow_style=False)
    return text[:-5] if text.endswith("\n...\n") else text.rstrip("\n")


def _literal(value: str, indent: str) -> str | None:
    """A multi-line string as a literal block, or None when PyYAML would quote it."""
    lines = value.split("\n")
    if (
        any(line != line.rstrip() for line in lines)
        or value.startswith((" ", "\t"))
        or "\r" in value
        or _UNPRINTABLE.search(value)
    ):
        return None
    if value.endswith("\n"):
        return None  # chomping indicators other than `-` are left to PyYAML
    body = "\n".join(f"{indent}  {line}" if line else "" for line in lines)
    return "|-\n" + body


def _value(value, indent: str) -> str:
    """The text after `key:` (with its leading space or newline)."""
    if isinstance(value, dict):
        return "\n" + _mapping(value, indent + "  ") if value else " {}"
    if isinstance(value, list):
        return "\n" + _sequence(value, indent) if value else " []"
    if isinstance(value, str) and "\n" in value:
        block = _literal(value, indent)
        return " " + (block if block is not None else _scalar(value))
    return " " + _atom(value)


def _atom(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return yaml.dump(value, Dumper=_Dumper).split("\n", 1)[0]
    return _scalar(str(value))


def _mapping(data: dict, indent: str) -> str:
    return "\n".join(f"{indent}{_scalar(str(k))}:{_value(v, indent)}" for k, v in data.items())


def _sequence(items: list, indent: str) -> str:
    out = []
    for item in items:
        if isinstance(item, dict) and item:
            first, *rest = item.items()
            head = f"{indent}- {_scalar(str(first[0]))}:{_value(first[1], indent + '  ')}"
            tail = [f"{indent}  {_scalar(str(k))}:{_value(v, indent + '  ')}" for k, v in rest]
            out.append("\n".join([head, *tail]))
        elif isinstance(item, list) and item:
            inner = _sequence(item, indent + "  ")
            out.append(f"{indent}- " + inner[len(indent) + 2 :])
        else:
            out.append(f"{indent}-{_value(item, indent)}")
    return "\n".join(out)


def dump_block_yaml(data: dict) -> str:
    """The mapping as block YAML, ending in a newline."""
    return _mapping(data, "") + "\n"
