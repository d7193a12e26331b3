"""Character-level helpers: OpenCC simplification and how common a character is."""

from __future__ import annotations

import re
from functools import lru_cache

__all__ = ["is_rare_char", "to_simplified"]


@lru_cache(maxsize=1)
def _t2s():
    # opencc-python-reimplemented, built once; converting is pure.
    from opencc import OpenCC

    return OpenCC("t2s")


# OpenCC `t2s` keeps 著 (a valid simplified character: 著名, 显著) where simplified Chinese writes
# the aspect particle or the verb 着 (随着, 着装). These are the words where 著 always means 着.
_ZHUO = re.compile(
    r"(?:(?<=[随穿朝有据临味本接看带为向沿顺靠等跟试急忙拿持系响])|(?<=存在))著(?![作名称录述书])|著(?=[装手重眼力陆落实想])"
)


@lru_cache(maxsize=1)
def _traditional():
    """Every character whose presence can make `t2s` change a text, or None if unknown.

    Built from OpenCC's own t2s dictionaries (TSCharacters, TSPhrases): a line
    without any of them converts to itself, so it is not converted at all;
    the pure-Python converter is the slowest step of ingest otherwise.
    """
    from importlib.resources import files

    chars: set[str] = set()
    try:
        folder = files("opencc") / "dictionary"
        for name in ("TSCharacters.txt", "TSPhrases.txt"):
            for line in (folder / name).read_text(encoding="utf-8").splitlines():
                key, _, values = line.partition("\t")
                first = values.split(" ")[0] if values else key
                if key != first:
                    chars.update(
                        c for i, c in enumerate(key) if i >= len(first) or first[i] != c or len(key) != len(first)
                    )
    except (OSError, ModuleNotFoundError):
        return None
    return frozenset(chars) or None


def _convert(text: str) -> str:
    triggers = _traditional()
    if triggers is None:
        return _t2s().convert(text)
    if triggers.isdisjoint(text):
        return text
    lines = text.split("\n")
    return "\n".join(line if triggers.isdisjoint(line) else _t2s().convert(line) for line in lines)


def to_simplified(text: str) -> str:
    """Convert traditional characters to simplified with OpenCC `t2s`, then 著 to 着 where it means 着."""
    return _ZHUO.sub("着", _convert(text))


@lru_cache(maxsize=8192)
def is_rare_char(ch: str) -> bool:
    """Whether a CJK character (or private-use code point) is outside everyday text.

    Common means: the simplified form is among the 3,755 level-1 characters of
    GB 2312 (rows 0xB0-0xD7). Mojibake is mostly rare characters and private-use
    code points, real text almost never; the mojibake decoder uses this to
    choose between two readings of the same bytes. Non-CJK characters are never rare.
    """
    code = ord(ch)
    if 0xE000 <= code <= 0xF8FF:
        return True
    if not (0x3400 <= code <= 0x9FFF or 0xF900 <= code <= 0xFAFF):
        return False
    simple = to_simplified(ch)
    try:
        encoded = simple.encode("gb2312")
    except UnicodeEncodeError:
        return True
    return not (len(encoded) == 2 and 0xB0 <= encoded[0] <= 0xD7)
