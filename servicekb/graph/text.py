"""Chinese and English word segmentation for related clauses and search (jieba).

Related-clause detection wants content words only (`content_words`); search
wants every word and its sub-words so that a query matches however it is
segmented (`index_words`). Both use jieba's precise mode without HMM: its
dictionary, its DAG of dictionary words and its maximum-probability route.
The route is computed here in a tighter loop than jieba's own (`cut_words`,
2.8 times faster; a test pins that it returns exactly what
`jieba.lcut(text, HMM=False)` returns), because segmentation is most of the
time of building the graph of 50,000 clauses.
"""

from __future__ import annotations

import logging
import re
from functools import cache
from math import log

__all__ = ["STOP_WORDS", "SYNONYMS", "content_words", "cut_words", "index_words", "normalise_word"]

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff"
_TOKEN = re.compile(rf"[{_CJK}]+|[a-z0-9][a-z0-9\-]*")
_CONTENT = re.compile(rf"[{_CJK}]{{2,}}|[a-z][a-z\-]{{2,}}")
# jieba's own block pattern (re_han_default) and its single-letter pattern (re_eng).
_BLOCK = re.compile(r"[\u4E00-\u9FD5a-zA-Z0-9+#&\._%\-]+")
_ASCII = re.compile(r"[a-zA-Z0-9]")

# Function words and connectives that say nothing about a clause's topic.
# Domain words (客户, 服务) are not listed: inverse document frequency
# weighs them down without hiding them. 乱码 is the curation's marker for a
# character the source lost (〔乱码〕), never a topic.
STOP_WORDS = frozenset(
    """
    进行 确保 应当 应该 需要 必须 可以 以及 通过 相关 包括 根据 等等 以上 以下 并且 或者 如果 因此 同时 其中
    对于 关于 能够 一定 所有 这些 那些 我们 他们 其他 具有 作为 为了 由于 不断 并在 从而 以便 按照 之间 方面
    一般 通常 主要 一些 各种 不同 及其 是否 不得 任何 有关 此外 例如 比如 如下 之后 之前 以内 小时 分钟 工作日 乱码
    the and for with from that this are was were into must shall should may within
    """.split()
)

# The standards name the customer differently (客户 in the apparel norms, 顾客
# in the retail guide, 用户 in the home-furnishing manual): one word, or
# clauses would look related only because they come from the same document.
SYNONYMS = {"顾客": "客户", "用户": "客户"}


class _PreciseCut:
    """jieba's precise mode without HMM over its own dictionary."""

    def __init__(self) -> None:
        import jieba

        jieba.setLogLevel(logging.WARNING)
        jieba.initialize()
        self.freq: dict[str, int] = jieba.dt.FREQ
        self.log_total = log(jieba.dt.total)
        self.log_p: dict[str, float] = {}
        # word -> its content-word form, "" when it is not one (the vocabulary repeats a lot)
        self.content: dict[str, str] = {}

    def _log_p(self, word: str) -> float:
        value = self.log_p.get(word)
        if value is None:
            value = self.log_p[word] = log(self.freq.get(word) or 1) - self.log_total
        return value

    def _route(self, block: str) -> list[int]:
        """End index of the best word starting at each position (jieba's `calc` over `get_DAG`)."""
        freq, log_p, n = self.freq, self.log_p, len(block)
        best = [0.0] * (n + 1)
        ends = [0] * n
        for k in range(n - 1, -1, -1):
            score, end = None, k
            i, frag = k, block[k]
            while i < n and frag in freq:
                if freq[frag]:
                    value = log_p.get(frag)
                    if value is None:
                        value = self._log_p(frag)
                    value += best[i + 1]
                    # `>=` because jieba takes max((value, end)): the longer word wins a tie.
                    if score is None or value >= score:
                        score, end = value, i
                i += 1
                frag = block[k : i + 1]
            if score is None:
                score = self._log_p(block[k]) + best[k + 1]
            best[k], ends[k] = score, end
        return ends

    def words(self, text: str) -> list[str]:
        """Words of the text's CJK and alphanumeric blocks; punctuation and spaces are dropped."""
        out: list[str] = []
        for block in _BLOCK.findall(text):
            ends, x, buffer = self._route(block), 0, ""
            while x < len(block):
                y = ends[x] + 1
                word = block[x:y]
                if y - x == 1 and _ASCII.match(word):
                    buffer += word  # jieba joins runs of single letters and digits
                else:
                    if buffer:
                        out.append(buffer)
                        buffer = ""
                    out.append(word)
                x = y
            if buffer:
                out.append(buffer)
        return out


@cache
def _cutter() -> _PreciseCut:
    return _PreciseCut()


def cut_words(text: str) -> list[str]:
    """The words jieba's precise mode (no HMM) finds in `text`, punctuation dropped."""
    return _cutter().words(text)


def normalise_word(word: str) -> str:
    """Lower-case; English plurals lose a trailing s so that 'complaints' finds 'complaint'."""
    word = word.lower()
    if len(word) > 3 and word.isascii() and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def content_words(text: str) -> list[str]:
    """Words that carry a clause's topic: CJK words of two or more characters and English words.

    Single characters and numbers are dropped (的, 在, 24), stop words too,
    and synonyms of 客户 become 客户.
    """
    cutter = _cutter()
    memo = cutter.content
    out = []
    for word in cutter.words(text.lower()):
        content = memo.get(word)
        if content is None:
            is_content = _CONTENT.fullmatch(word) and word not in STOP_WORDS
            content = memo[word] = (SYNONYMS.get(word) or normalise_word(word)) if is_content else ""
        if content:
            out.append(content)
    return out


def index_words(text: str) -> list[str]:
    """Every word of a text and the dictionary words inside it, for the search index.

    jieba's search mode on the precise cut: a word longer than two
    characters also yields its two- and three-character dictionary words, so
    `客户投诉处理` yields 客户, 投诉, 处理 whether or not a query has spaces.
    """
    cutter = _cutter()
    out = []
    for word in cutter.words(text.lower()):
        for size in (2, 3):
            if len(word) > size:
                out.extend(
                    word[i : i + size] for i in range(len(word) - size + 1) if cutter.freq.get(word[i : i + size])
                )
        out.append(word)
    return [normalise_word(w) for w in out if _TOKEN.fullmatch(w)]
