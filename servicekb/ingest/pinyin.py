"""Pinyin annotations the scraping site inserted after characters: `業(yè)`, `務(wù)`.

An annotation is one toned pinyin syllable in ASCII parentheses directly after
a Chinese character. A tone mark is required, so real parentheses are never
mistaken for one: (2025版), (CSAT), (GB/T 31916-2015), (满分100分), (app).
A *dangling* annotation is the same syllable with only its closing
parenthesis, left behind where the site's decoder swallowed the opening one
together with a damaged character (`響?yīng)`); `servicekb.ingest.mojibake`
handles those.
"""

from __future__ import annotations

import re

__all__ = ["DANGLING_PINYIN", "PINYIN_ANNOTATION", "SYLLABLE", "remove_pinyin"]

_TONED = "āáǎàōóǒòēéěèīíǐìūúǔùǖǘǚǜńňǹḿ"
_LETTER = f"a-zü{_TONED}"
# initial (optional) + final (vowels, optionally n/ng/r); one tone mark somewhere.
SYLLABLE = (
    rf"(?=[{_LETTER}]*[{_TONED}])"
    rf"(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?[aeiouüv{_TONED}]{{1,4}}(?:ng|n|r)?"
)
_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"

# `字(zì)`: annotation after a CJK character (or after the 〔乱码〕 marker's bracket).
PINYIN_ANNOTATION = re.compile(rf"(?<=[{_CJK}〕])\((?:{SYLLABLE})\)")
# `yīng)` without its opening parenthesis.
DANGLING_PINYIN = re.compile(rf"(?:{SYLLABLE})\)")


def remove_pinyin(text: str) -> str:
    """Remove every pinyin annotation that directly follows a Chinese character."""
    return PINYIN_ANNOTATION.sub("", text)
