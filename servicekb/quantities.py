"""Read the quantities a Chinese sentence states: number, unit, comparator, clock, and where.

One reader for every layer that must understand a number in the text: ingest
proposes targets from it, and `validate` checks that a curated target's
value, unit and comparator are readable from its verbatim quote.

Comparators follow the PRC drafting convention: 以上 / 以下 / 以内 / 内 / 之内 /
不超过 / 不超 / 最迟 / 不少于 / 不低于 / 至少 / 达到 are inclusive; 超过 / 高于 /
低于 / 少于 are exclusive. A closing word (以上, 以内…) settles the comparator
when the sentence has both (`达到90%以上`). An amount stated without such a
word (`8小时到场`, `故障受理时间:20分钟`, `为2小时`) is read as `==` with
`stated=False`: the comparator is then the curator's (or the proposer's) call.
Frequencies (`每季度一次`, `2次/年`, `半年一次`, `年度评估`) read as "at least"
(`>=`), also with `stated=False` unless 至少 / 不少于 … is written.

Numbers: Arabic (full-width too), Chinese numerals (七, 十五, 两, 一百二十),
半 (半小时 = 0.5 h), 个半 (一个半小时 = 1.5 h). Units: 小时/钟头/h, 分钟/min,
秒/秒钟, 天/日, 工作日 (working-day clock), 自然日/日历天/日历日 (calendar clock),
周/星期 (= 7 days), %/百分之N/个百分点, 分 (points, Arabic numbers only), 元
(万元 too), counts (次/名/人/位/个/家/件/台/项/套/例, only with a comparator word).
Ranges: `2-4小时`, `3至5个工作日`, `90%~95%`. Round the clock: `7×24`, `7*24`,
`24/7`, `全天候`, `24小时值班/值守` read as 24 hours a day (`>=`, calendar clock).
Also 学时 (hours), 工作天 (Taiwanese working days), and frequencies of counted
activities (`每月抽检录音不少于20通`).
Months and years as durations (`3个月内`) have no unit in `servicekb.types`
and are not read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from servicekb.types import Clock, Comparator, Unit

__all__ = ["Quantity", "find_quantities", "parse_number"]


@dataclass(frozen=True)
class Quantity:
    """One quantity as the text states it.

    `start`/`end` span the words that state it in the text given, comparator
    words included (`不超过30秒`, `24小时内`). `stated` is False when no word
    gives the comparator: `comparator` is then the reading by convention
    (`==` for an amount, `>=` for a frequency). `word` is the comparator word
    as printed ('' when none).
    """

    comparator: Comparator
    value: float
    upper: float | None
    unit: Unit
    clock: Clock | None
    start: int
    end: int
    stated: bool = True
    word: str = ""


# --- numbers -----------------------------------------------------------------

_CN_DIGITS = {
    "〇": 0,
    "零": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
_CN_CHARS = "〇零一二两三四五六七八九十百千"
# Full-width digits and signs read as their ASCII forms; one character for one,
# so that offsets in the normalised text are offsets in the original.
_NORMALISE = str.maketrans("０１２３４５６７８９．％～－＊ｘＸｈＨ", "0123456789.%~-*xXhH")


def _parse_cn(text: str) -> int | None:
    total, digit, last_unit, after_zero = 0, None, 10**9, False
    for ch in text:
        if ch in _CN_DIGITS:
            if digit is not None and not after_zero:
                return None  # 一二: two digits in a row are not a numeral
            digit, after_zero = _CN_DIGITS[ch], ch in "〇零"
        elif ch in _CN_UNITS:
            unit = _CN_UNITS[ch]
            if unit >= last_unit:
                return None
            total += (digit if digit is not None else 1) * unit
            digit, last_unit, after_zero = None, unit, False
        else:
            return None
    return total + (digit or 0)


def parse_number(text: str) -> float | None:
    """An Arabic or Chinese numeral (24, 2.5, 七, 十五, 两, 一百二十, 半) as a float, else None."""
    text = text.translate(_NORMALISE).replace(",", "")
    if re.fullmatch(r"\d+(\.\d+)?", text):
        return float(text)
    if text == "半":
        return 0.5
    if not text:
        return None
    value = _parse_cn(text)
    return float(value) if value is not None else None


# --- units -------------------------------------------------------------------

# Unit words, longest first; (unit, clock, factor, counts only with a comparator word).
_UNIT_WORDS: dict[str, tuple[Unit, Clock | None, float]] = {
    "工作日": (Unit.working_day, Clock.working_days, 1),
    "工作天": (Unit.working_day, Clock.working_days, 1),
    "工作小时": (Unit.hour, Clock.working_days, 1),
    "学时": (Unit.hour, Clock.calendar, 1),
    "自然日": (Unit.day, Clock.calendar, 1),
    "自然天": (Unit.day, Clock.calendar, 1),
    "日历天": (Unit.day, Clock.calendar, 1),
    "日历日": (Unit.day, Clock.calendar, 1),
    "小时": (Unit.hour, Clock.calendar, 1),
    "钟头": (Unit.hour, Clock.calendar, 1),
    "分钟": (Unit.minute, Clock.calendar, 1),
    "秒钟": (Unit.second, Clock.calendar, 1),
    "秒": (Unit.second, Clock.calendar, 1),
    "星期": (Unit.day, Clock.calendar, 7),
    "周": (Unit.day, Clock.calendar, 7),
    "天": (Unit.day, Clock.calendar, 1),
    "日": (Unit.day, Clock.calendar, 1),
    "个百分点": (Unit.percent, None, 1),
    "百分点": (Unit.percent, None, 1),
    "%": (Unit.percent, None, 1),
    "万元": (Unit.yuan, None, 10000),
    "元": (Unit.yuan, None, 1),
    "分": (Unit.point, None, 1),
    "h": (Unit.hour, Clock.calendar, 1),
    "H": (Unit.hour, Clock.calendar, 1),
    "min": (Unit.minute, Clock.calendar, 1),
}
_COUNT_WORDS = ("人次", "次", "名", "人", "位", "个", "家", "件", "台", "项", "套", "例", "声", "通", "条")

_UNITS = (
    r"(?:工作日|工作天|工作小时|学时|自然日|自然天|日历天|日历日|小时|钟头|分钟|秒钟|秒|星期|周(?![年岁边末期转])|天|日(?![常期志益])"
    r"|个?百分点|%|万元|元|分(?=[以及或的，,。；;、)）(（\s/|]|$)|[hH](?![A-Za-z])|min(?![A-Za-z])"
    r"|人次|次|名|人|位|个(?![月年星小工自日钟半百])|家|件|台|项|套|例|声|通|条)"
)
_NUM_RE = rf"(?:(?<![\d.A-Za-z])\d+(?:,\d{{3}})*(?:\.\d+)?|(?<![第周期拜同某每单唯其统{_CN_CHARS}])[{_CN_CHARS}]+|半)"
_AMOUNT = re.compile(rf"(?P<num>{_NUM_RE})\s*(?P<half>个半|个)?\s*(?P<unit>{_UNITS})")
_PERCENT_WORDS = re.compile(rf"百分之(?P<num>{_NUM_RE})")
_RANGE = re.compile(
    rf"(?P<low>{_NUM_RE})\s*(?:个)?\s*(?P<unit1>{_UNITS})?\s*(?:-|~|—|–|至|到)\s*"
    rf"(?P<high>{_NUM_RE})\s*(?:个)?\s*(?P<unit>{_UNITS})"
)

# --- comparators -------------------------------------------------------------

_BEFORE: dict[str, Comparator] = {
    "不得超过": Comparator.le,
    "不应超过": Comparator.le,
    "不超过": Comparator.le,
    "不超出": Comparator.le,
    "不超": Comparator.le,
    "不高于": Comparator.le,
    "不多于": Comparator.le,
    "不大于": Comparator.le,
    "不长于": Comparator.le,
    "不晚于": Comparator.le,
    "最多": Comparator.le,
    "最长": Comparator.le,
    "最迟": Comparator.le,
    "最晚": Comparator.le,
    "至多": Comparator.le,
    "控制在": Comparator.le,
    "延长至": Comparator.le,
    "延长到": Comparator.le,
    "放宽至": Comparator.le,
    "放宽到": Comparator.le,
    "延至": Comparator.le,
    "缩短至": Comparator.le,
    "缩短到": Comparator.le,
    "降低至": Comparator.le,
    "降低到": Comparator.le,
    "降至": Comparator.le,
    "压缩至": Comparator.le,
    "压缩到": Comparator.le,
    "≤": Comparator.le,
    "<=": Comparator.le,
    "不得少于": Comparator.ge,
    "不得低于": Comparator.ge,
    "不少于": Comparator.ge,
    "不低于": Comparator.ge,
    "不短于": Comparator.ge,
    "不小于": Comparator.ge,
    "至少": Comparator.ge,
    "最少": Comparator.ge,
    "最低": Comparator.ge,
    "达到": Comparator.ge,
    "提高至": Comparator.ge,
    "提高到": Comparator.ge,
    "提升至": Comparator.ge,
    "提升到": Comparator.ge,
    "≥": Comparator.ge,
    ">=": Comparator.ge,
    "超过": Comparator.gt,
    "超出": Comparator.gt,
    "高于": Comparator.gt,
    "大于": Comparator.gt,
    "多于": Comparator.gt,
    ">": Comparator.gt,
    "低于": Comparator.lt,
    "少于": Comparator.lt,
    "小于": Comparator.lt,
    "短于": Comparator.lt,
    "不足": Comparator.lt,
    "未满": Comparator.lt,
    "<": Comparator.lt,
}
_SINGLE: dict[str, Comparator] = {"达": Comparator.ge, "逾": Comparator.gt}
_AFTER: dict[str, Comparator] = {
    "及以上": Comparator.ge,
    "或以上": Comparator.ge,
    "以上": Comparator.ge,
    "及以下": Comparator.le,
    "或以下": Comparator.le,
    "以下": Comparator.le,
    "以内": Comparator.le,
    "之内": Comparator.le,
    "内": Comparator.le,
}


def _alternation(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


# Words allowed between a comparator and its number: 至少提前3天, 控制在, 最迟于.
_FILLER = r"(?:提前|延迟|在|于|为|到|每次|每单|每人|全年|配备|安排|提供|保留|保持|开展|进行|派出)?"
_PREFIX = re.compile(
    rf"(?:(?P<word>{_alternation(_BEFORE)}){_FILLER}|(?<![到送抵传下表通高长发直])(?P<single>{_alternation(_SINGLE)}))\s*$"
)
_SUFFIX = re.compile(rf"\s*(?:[(（]含[)）])?\s*(?P<word>{_alternation(_AFTER)})(?![容部涵在外])")
_LOOKBACK = 12
_STOP = re.compile(r"[，,。；;：:、！!？?\n“”\"()（）]")

# --- frequencies and round the clock -----------------------------------------

_PERIOD_RE = r"(?:\d+|[一二两三四五六七八九十]+)?个月|季度|季(?!节)|半年|年度|年|月度|月"
_COUNT_RE = rf"(?:{_NUM_RE})"
_FREQ_EVERY = re.compile(
    rf"每(?P<period>{_PERIOD_RE})(?:(?P<alt_sep>或|、|/)(?P<alt>{_PERIOD_RE}))?(?P<cmp0>至少|不少于|不低于|最多|不超过|不多于)?"
    rf"(?P<gap>[\u4e00-\u9fff]{{0,12}}?)(?P<cmp>至少|不少于|不低于|最多|不超过|不多于)?(?P<count>{_COUNT_RE})(?:次|通|条|场|轮|遍|趟|批|期|家|份|户|单)(?P<after>以上|及以上)?"
)
_FREQ_EVERY_BARE = re.compile(rf"每(?P<period>{_PERIOD_RE})(?![\d一二三四五六七八九十两]+[日号天])")
_FREQ_SLASH = re.compile(rf"(?P<count>{_COUNT_RE})\s*次\s*/\s*(?P<period>{_PERIOD_RE})")
_FREQ_PLAIN = re.compile(
    rf"(?<![\d{_CN_CHARS}每])(?:一)?(?P<period>季度|半年|年|月)(?P<cmp>至少|不少于|最多|不超过)?(?P<count>{_COUNT_RE})次(?P<after>以上|及以上)?"
)
_FREQ_ANNUAL = re.compile(
    r"(?<![每\d])(?P<period>年度|季度|月度)(?=(?:评估|考核|审核|检查|培训|盘点|审计|评审|体检|巡检|回访|评价)(?!得分|分数|结果|成绩|报告|等级|优秀))"
)
_ROUND_CLOCK = re.compile(
    r"(?:7|七)\s*[×xX*]\s*24(?:\s*(?:小时|h|H))?|24\s*[×xX*]\s*7|24\s*/\s*7|365\s*[×xX*]\s*24(?:\s*小时)?|全天候"
    r"|24\s*小时(?:值班|值守)"
)


def _period_unit(word: str) -> tuple[Unit, float]:
    """The frequency unit of a period word and the factor its count is multiplied by."""
    if word in ("季度", "季"):
        return Unit.per_quarter, 1
    if word == "半年":
        return Unit.per_half_year, 1
    if word in ("年", "年度"):
        return Unit.per_year, 1
    if word in ("月", "月度", "个月"):
        return Unit.per_month, 1
    months = parse_number(word.removesuffix("个月")) or 1
    return {3: (Unit.per_quarter, 1), 6: (Unit.per_half_year, 1), 12: (Unit.per_year, 1)}.get(
        int(months), (Unit.per_month, 1 / months)
    )


# A text without any of these states no quantity: most sentences are rejected by one search.
_ANY_NUMBER = re.compile(
    rf"[\d０-９每]|全天候|年度|季度|月度|百分之|[{_CN_CHARS}半]+个?半?"
    r"(?:工作|自然|日历|小时|钟头|分钟|秒|星期|周|天|日|次|通|条|名|人|位|家|件|台|项|套|例|声|学时|年|季|月|个)"
)


class _Finder:
    """Collects quantities left to right without reading a character twice."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.norm = text.translate(_NORMALISE)
        self.taken = bytearray(len(text))
        self.found: list[Quantity] = []

    def free(self, start: int, end: int) -> bool:
        return not any(self.taken[start:end])

    def add(self, q: Quantity, start: int | None = None, end: int | None = None) -> None:
        a, b = (q.start if start is None else start), (q.end if end is None else end)
        self.taken[a:b] = b"\x01" * (b - a)
        self.found.append(q)

    def frequencies(self) -> None:
        norm = self.norm
        for m in _FREQ_EVERY.finditer(norm):
            if not self.free(m.start(), m.end()) or _STOP.search(m.group("gap")):
                continue
            count = parse_number(m.group("count"))
            if count is None:
                continue
            comparator, stated, word = self._freq_comparator(m)
            periods = [m.group("period")] + ([m.group("alt")] if m.group("alt") else [])
            for period in periods:
                unit, factor = _period_unit(period)
                self.add(Quantity(comparator, count * factor, None, unit, None, m.start(), m.end(), stated, word))
        for pattern in (_FREQ_SLASH, _FREQ_PLAIN):
            for m in pattern.finditer(norm):
                count = parse_number(m.group("count"))
                if count is None or not self.free(m.start(), m.end()):
                    continue
                comparator, stated, word = (
                    self._freq_comparator(m) if "cmp" in m.re.groupindex else (Comparator.ge, False, "")
                )
                unit, factor = _period_unit(m.group("period"))
                self.add(Quantity(comparator, count * factor, None, unit, None, m.start(), m.end(), stated, word))
        for pattern in (_FREQ_EVERY_BARE, _FREQ_ANNUAL):
            for m in pattern.finditer(norm):
                if self.free(m.start(), m.end()):
                    unit, factor = _period_unit(m.group("period"))
                    self.add(Quantity(Comparator.ge, float(factor), None, unit, None, m.start(), m.end(), False, ""))

    @staticmethod
    def _freq_comparator(m: re.Match) -> tuple[Comparator, bool, str]:
        word = m.group("cmp") or ("cmp0" in m.re.groupindex and m.group("cmp0")) or m.group("after") or ""
        if not word:
            return Comparator.ge, False, ""
        return (Comparator.le if word in ("最多", "不超过", "不多于") else Comparator.ge), True, word

    def round_the_clock(self) -> None:
        for m in _ROUND_CLOCK.finditer(self.norm):
            self.add(
                Quantity(Comparator.ge, 24.0, None, Unit.hour, Clock.calendar, m.start(), m.end(), True, m.group(0))
            )

    def ranges(self) -> None:
        for m in _RANGE.finditer(self.norm):
            if not self.free(m.start(), m.end()):
                continue
            unit_word = m.group("unit")
            low, high = parse_number(m.group("low")), parse_number(m.group("high"))
            if unit_word in _COUNT_WORDS or low is None or high is None or not low < high:
                continue
            if m.group("unit1") and m.group("unit1") != unit_word:  # 24小时至3天: two amounts, not a range
                continue
            unit, clock, factor = _UNIT_WORDS[unit_word.removeprefix("个")]
            end = m.end()
            suffix = _SUFFIX.match(self.norm, end)
            if suffix:  # 3-5个工作日内: the range says it all; keep the closing word in the span
                end = suffix.end()
            self.add(Quantity(Comparator.between, low * factor, high * factor, unit, clock, m.start(), end, True, ""))

    def amounts(self) -> None:
        norm = self.norm
        for m in _AMOUNT.finditer(norm):
            start, end = m.start(), m.end()
            if not self.free(start, end):
                continue
            word = m.group("unit")
            number = m.group("num")
            if word == "日" and norm[max(0, start - 1) : start] == "月":  # 3月1日 is a date
                continue
            if word == "分" and not number[0].isdigit():  # 十分 is an adverb
                continue
            value = parse_number(number)
            if value is None:
                continue
            if m.group("half") == "个半":
                value += 0.5
            is_count = word in _COUNT_WORDS
            unit, clock, factor = (Unit.count, None, 1.0) if is_count else _UNIT_WORDS[word.removeprefix("个")]
            self._add_amount(start, end, value * factor, unit, clock, is_count)

    def _add_amount(self, start: int, end: int, value: float, unit: Unit, clock: Clock | None, is_count: bool) -> None:
        """Add an amount with the comparator its closing or opening word gives (closing first)."""
        norm = self.norm
        comparator, stated, cmp_word = Comparator.eq, False, ""
        suffix = _SUFFIX.match(norm, end)
        if suffix and not (is_count and suffix.group("word") == "内" and not norm[start:end].endswith("声")):
            comparator, stated, cmp_word = _AFTER[suffix.group("word")], True, suffix.group("word")
            end = suffix.end()
        left = self._lookback(start)
        prefix = _PREFIX.search(norm, left, start) if left < start else None
        if prefix:
            pword = prefix.group("word") or prefix.group("single")
            if not stated:
                comparator, stated, cmp_word = {**_BEFORE, **_SINGLE}[pword], True, pword
            start = prefix.start()
        if is_count and not stated:
            return  # 共有30家门店: a count without a comparator word is not a quantity
        self.add(Quantity(comparator, value, None, unit, clock, start, end, stated, cmp_word))

    def percent_words(self) -> None:
        for m in _PERCENT_WORDS.finditer(self.norm):
            value = parse_number(m.group("num"))
            if value is not None and self.free(m.start(), m.end()):
                self._add_amount(m.start(), m.end(), value, Unit.percent, None, is_count=False)

    def _lookback(self, start: int) -> int:
        left = max(0, start - _LOOKBACK)
        stop = None
        for stop in _STOP.finditer(self.norm, left, start):  # noqa: B007 (keeps the last match)
            pass
        return stop.end() if stop else left


def find_quantities(text: str) -> list[Quantity]:
    """Every quantity the text states, in order of position.

    Spans do not overlap, except for alternative periods that share one count
    (`每季度或半年一次` gives a quarterly and a half-yearly frequency).
    """
    if not _ANY_NUMBER.search(text):
        return []
    finder = _Finder(text)
    finder.round_the_clock()
    finder.frequencies()
    finder.ranges()
    finder.percent_words()
    finder.amounts()
    return sorted(finder.found, key=lambda q: (q.start, q.end))
