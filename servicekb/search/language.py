"""The language of search: folding text, the curated synonyms and ignored words, and cutting text into terms.

One algorithm cuts a query into terms on both surfaces (this module for the
command line, `_static/servicekb-search.js` in the handbook), so the rules
are deliberately small:

1. Fold: Unicode NFKC (full-width to half-width), traditional characters to
   simplified (OpenCC's t2s, one character at a time, so the browser can do
   the same with the table shipped in the index), lower case.
2. Chinese: every vocabulary word (2 to `MAX_WORD` characters) that occurs
   in a run of Chinese characters is a term. The vocabulary is every word
   jieba finds in the corpus (with its dictionary sub-words), every synonym
   and every ignored word, so `客户投诉处理` gives 客户, 投诉, 处理 and
   投诉处理 however it is spaced.
3. English: runs of letters and digits, a plural `s` dropped (`ies` -> `y`).
4. A word of a synonym group becomes the group's name; an ignored word
   (question words, particles) is dropped.

The synonym and ignore lists are data: `language.yaml` next to this module.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources

__all__ = [
    "DURATION_TERM",
    "MAX_WORD",
    "Language",
    "count_durations",
    "cut_terms",
    "fold_text",
    "iter_words",
    "load_language",
    "make_fold_table",
    "parse_language",
]

MAX_WORD = 8
HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_PIECES = re.compile(rf"[{HAN}]+|[a-z0-9]+")
_HAN_RUN = re.compile(rf"[{HAN}]+")
# A number with a unit of time ("24小时", "3个工作日", "七日内", "30秒"): the text states a time limit.
# Years are left out: "2025年" dates a document, it limits nothing.
_DURATION = re.compile(r"(?:\d+(?:\.\d+)?|[一二两三四五六七八九十百]+)\s*个?(?:秒|分钟|小时|工作日|天|日|周|星期|月)")
DURATION_TERM = "时限"


@cache
def make_fold_table() -> dict[str, str]:
    """Traditional character -> simplified character, from OpenCC's t2s conversion of each CJK character."""
    import opencc

    chars = [chr(c) for c in range(0x3400, 0xA000)]
    converted = opencc.OpenCC("t2s").convert("\n".join(chars)).split("\n")
    return {a: b for a, b in zip(chars, converted, strict=True) if a != b and len(b) == 1}


def fold_text(text: str, table: dict[str, str] | None = None) -> str:
    """NFKC, traditional folded to simplified, lower case: the form both text and queries are matched in."""
    table = make_fold_table() if table is None else table
    text = unicodedata.normalize("NFKC", text)
    return "".join(table.get(ch, ch) for ch in text).lower()


def normalise_english(word: str) -> str:
    """An English word without its plural: 'complaints' -> 'complaint', 'enquiries' -> 'enquiry'."""
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss") and word.isascii() and not word.isdigit():
        return word[:-3] + "y" if len(word) > 4 and word.endswith("ies") else word[:-1]
    return word


@dataclass(frozen=True)
class Language:
    """Synonym groups (word -> group name), ignored words and the vocabulary Chinese runs are cut with."""

    concept: dict[str, str]
    ignore: frozenset[str]
    groups: dict[str, tuple[str, ...]]

    def canonical(self, word: str) -> str | None:
        """The term a word stands for: its group's name, itself, or None for an ignored word."""
        if word in self.ignore:
            return None
        return self.concept.get(word, word)

    def surfaces(self) -> set[str]:
        """Every Chinese word the language itself knows (synonyms and ignored words)."""
        return {w for w in (*self.concept, *self.ignore) if _HAN_RUN.fullmatch(w)}


def _normalise_entry(word: str) -> str:
    folded = fold_text(str(word)).strip()
    return normalise_english(folded) if folded.isascii() else folded


def parse_language(raw: dict) -> Language:
    """The language from the data of `language.yaml`; ValueError when a word is in two groups or both kept and
    ignored."""
    concept: dict[str, str] = {}
    groups: dict[str, tuple[str, ...]] = {}
    for group in raw.get("synonyms") or []:
        words = [_normalise_entry(w) for w in group]
        name = words[0]
        for word in words:
            if word in concept and concept[word] != name:
                raise ValueError(f"language.yaml: {word!r} is in two synonym groups ({concept[word]!r} and {name!r})")
            concept[word] = name
        groups[name] = tuple(dict.fromkeys(words))
    ignore = frozenset(_normalise_entry(w) for w in raw.get("ignore") or [])
    clash = sorted(ignore & set(concept))
    if clash:
        raise ValueError(f"language.yaml: ignored words are also synonyms: {', '.join(clash)}")
    return Language(concept, ignore, groups)


@cache
def load_language() -> Language:
    """The curated synonyms and ignored words of `language.yaml`, next to this module."""
    import yaml

    text = resources.files("servicekb.search").joinpath("language.yaml").read_text(encoding="utf-8")
    return parse_language(yaml.safe_load(text))


def iter_words(folded: str, vocabulary: set[str] | frozenset[str]) -> Iterator[str]:
    """Every word of folded text in order of position: vocabulary words inside Chinese runs, English words.

    Chinese: at each start, every vocabulary word of 2..MAX_WORD characters;
    English and digits: each run, its plural `s` dropped.
    """
    for piece in _PIECES.findall(folded):
        if piece[0].isascii():
            yield normalise_english(piece)
            continue
        n = len(piece)
        for i in range(n - 1):
            for j in range(i + 2, min(n, i + MAX_WORD) + 1):
                word = piece[i:j]
                if word in vocabulary:
                    yield word


def cut_terms(folded: str, vocabulary: set[str] | frozenset[str], language: Language) -> list[str]:
    """The terms of folded text: its words, synonyms named by their group, ignored words dropped (repeats kept)."""
    out = []
    for word in iter_words(folded, vocabulary):
        term = language.canonical(word)
        if term:
            out.append(term)
    return out


def count_durations(folded: str) -> int:
    """How many times folded text states a duration (clause side only: a question asks with 多久, 几天 ...)."""
    return len(_DURATION.findall(folded))


def han_runs(text: str) -> Iterable[str]:
    """The runs of Chinese characters of a text."""
    return _HAN_RUN.findall(text)
