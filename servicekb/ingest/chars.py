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


def to_simplified(text: str) -> str:
    """Convert traditional characters to simplified with OpenCC `t2s`, then 著 to 着 where it means 着."""
    return _ZHUO.sub("着", _t2s().convert(text))


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
