"""The one written rule for what binds: whether a number in a clause is a statistic or a target, and of which nature.

Curation, ingest and `validate` apply this one rule: `servicekb ingest`
proposes targets with it, `validate` warns where a curated target's nature
disagrees with it (`nature-disagrees-with-wording`), and the handbook pages
"怎样读一条条款" and "整理一份新标准" print it. Applied to one quantity in its
sentence, in this order (first match wins):

1. **statistic** (not a target): the sentence reports a figure or a claim —
   数据显示 / 研究表明 / 调查显示 / 同比 / 环比 / 平均 / 提升了 / 增长 / 下降了 /
   某企业 / 案例 / 根据…报告, or "N%的消费者/客户/企业…".
2. **classification**: the number sorts stores, areas or customers into
   classes — 超过5%的门店列为高风险, 低于80分的评为不合格: a flag, never pass/fail.
3. **legal_right**: a consumer's statutory right — 有权 / 享有…权 / 无理由退换 /
   三包 / 法定 in the number's phrase, or 有权 elsewhere in a sentence about
   returning or repairing, or a law (《…法》) cited before such a right.
4. **example**: the number illustrates — 例如 / 比如 / 譬如 / 诸如 / 如 (not
   如果 / 如需 / 如有 …) earlier in the sentence, with no modal verb (应 / 须 …)
   between it and the number.
5. **default_term**: 一般为 / 一般在 / 通常 / 原则上 / 默认 in the number's phrase.
6. **advice**: the sentence recommends (建议 / 宜 / 鼓励 / 推荐 / 提倡 / 倡导,
   `SHOULD_WORDS`) and does not require (应 / 须 / 需 / 必须 / 不得 / 禁止 …,
   `MUST_WORDS` and `SHALL_WORDS`; 需要 is "to need", not 需); 可 is a
   permission, not advice.
7. **firm** otherwise, whether or not a modal verb is written: a declarative
   service-level list ("8小时到场") binds like "应在8小时内到场".

Example, default-term and advice numbers are shown, not scored; a store
profile may adopt one as firm (`adopt_as_firm`). The phrase of a number is its
stretch between commas, semicolons, 、 or quotation marks.
"""

from __future__ import annotations

import re

from servicekb.quantities import find_quantities
from servicekb.types import TargetNature

__all__ = [
    "MUST_WORDS",
    "RIGHT_WORDS",
    "SHALL_WORDS",
    "SHOULD_WORDS",
    "is_statistic",
    "nature_in",
    "part_bounds",
    "read_nature",
]

# The modal and right words, written once as regular-expression alternatives: this rule's "requires"
# and "recommends", ingest's modality and kind (`servicekb.ingest.classify`) and the modal words
# ingest strips from a population label (`servicekb.ingest.targets`) are all built from them.
MUST_WORDS = r"必须|务必|严禁|不得|禁止"
# 需要 is "to need" far more often than "shall" (客户需要…, 是否需要…, 需要转办的工单): not a modal verb.
SHALL_WORDS = r"应当|应该|(?<![响反适对相供效呼])应(?![用急对变答])|(?<![必无])须|(?<![所必])需(?!求|要)"
# 可 is a permission ("消费者可选择退货", "可延长至10天"), not advice: only these words recommend.
SHOULD_WORDS = r"建议|(?<![适便])宜(?!人)|鼓励|推荐|提倡|倡导"
# A consumer's right, stated: 有权…, 享有…权 within one phrase (no comma, semicolon or full stop between).
RIGHT_WORDS = r"有权|享有[^,，。;；]{0,8}权"

_STATISTIC = re.compile(
    r"数据显示|研究表明|调查显示|统计显示|结果显示|研究显示|数据表明|调查表明|报告显示|报告指出|据统计|据调查|统计数据"
    r"|同比|环比|平均(?:达到|为|是|值|约|每)?\d|平均[^,，。;；]{0,10}(?:为|达|是)"
    r"|根据[^,，。;；]{0,40}?(?:报告|调查|调研|统计|数据|研究|经验)"
    r"|(?:提升|提高|增加|增长|降低|减少|缩短|下降|上升|改善)了"
    r"|(?:增长|下降|上升|提升|提高|降低|减少)(?:约|近|超过|达)?[\d一二三四五六七八九十]+(?:\.\d+)?(?:%|个百分点|倍)"
    r"|可(?:提升|提高|增加|降低|减少|缩短)[^,，。;；]{0,12}?\d+(?:\.\d+)?%"
    r"|(?<![\d.])\d+(?:\.\d+)?%的[^,，。;；]{0,12}(?:企业|客户|顾客|消费者|投诉|零售商|门店|用户|受访者|员工|商家)"
    r"|某(?!些|种|项|一|个|类|段|时)[\u4e00-\u9fff]"
    r"|案例|去年|上年|前年|上月|上季度|日均|位列|第\d+名|\d{4}年(?:度)?[^,，。;；]{0,20}(?:达到了|为|达|增长|下降|共|累计)"
    r"|据[^,，。;；]{0,16}(?:评估|统计|调查|测算|报告|监测|数据)"
    r"|从\d+(?:\.\d+)?[^,，。;；\d]{0,4}(?:缩短|降低|提升|提高|增加|下降|减少)(?:至|到)"
    r"|累计(?:完成|服务|销售|接待|处理|达)|共计|共有|约有|大约|左右的(?:客户|顾客|消费者)|(?<!预)约(?=\d)|约为|占比最|比例最"
)
_STATISTIC_AFTER = re.compile(
    r"较上年|较去年|较上月|较上季度|同比|环比|(?:提升|提高|增加|增长|降低|减少|缩短|下降|上升)了"
)
_CLASSIFY = re.compile(
    r"列为|列入|定为|视为|评为|划为|归为|认定为|判定为|标记为|界定为|确定为|评定为|参与[^,，。;；]{0,8}评选|申报|授予"
    r"|纳入[^,，。;；]{0,12}(?:风险|高危|重点|黑名单|预警|不合格|名单|关注)"
)
# In the number's phrase, 三包 and 法定 name the statutory scheme too (三包有效期, 法定期限); in a whole clause
# they do not make it a requirement (法定节假日), so they are no RIGHT_WORDS.
_LEGAL = re.compile(f"{RIGHT_WORDS}|三包|法定")
# The 7-day no-reason return is the statutory right (消保法 art. 25) even when no law is cited;
# a longer no-reason window is the store's own policy.
_SEVEN_DAY_RETURN = re.compile(r"(?:七|7)\s*(?:日|天)[^,，。;；]{0,6}无理由|无理由[^,，。;；]{0,6}(?:七|7)\s*(?:日|天)")
_LAW = re.compile(r"《[^》]*(?:(?<!办)法|规定|条例)》|法律规定|依法|依据[^,，。;；]{0,10}规定")
_RIGHT_ACT = re.compile(r"(?:可以|可)[^,，。;；]{0,14}?(?:申请|要求|选择)?(?:退货|换货|退换|退款|修理|维修|更换)")
_REMEDY = re.compile(r"退货|换货|退换|退款|修理|维修|更换|赔偿")
_EXAMPLE = re.compile(r"例如|比如|譬如|诸如|举例|(?<![例比假譬诸])如(?![果需有遇未不发因此何同实期约下今上意要若此])")
_DEFAULT = re.compile(r"一般为|一般在|一般不|一般情况下|一般(?=[\d一二三四五六七八九十两])|通常|原则上|默认")
_ADVICE = re.compile(SHOULD_WORDS)
_BINDING = re.compile(f"{MUST_WORDS}|{SHALL_WORDS}")
_PHRASE = re.compile(r"[^,，;；、“”]+")


def _phrase(sentence: str, start: int) -> tuple[int, int]:
    """Bounds of the phrase (between commas, semicolons or 、) holding position `start`."""
    for m in _PHRASE.finditer(sentence):
        if m.start() <= start < m.end():
            return m.start(), m.end()
    return start, start


_PART_MARK = re.compile(r"[;；。!！?？]")


def part_bounds(sentence: str, start: int, end: int) -> tuple[int, int]:
    """Bounds of the sentence part holding [start, end): the text between ;；。!！?？ (or the sentence's ends)."""
    part_start = max((m.end() for m in _PART_MARK.finditer(sentence, 0, start)), default=0)
    m = _PART_MARK.search(sentence, end)
    return part_start, m.start() if m else len(sentence)


def _is_classification(sentence: str, start: int, end: int) -> bool:
    """超过5%的门店…列为高风险: a class word follows the number, through 的 or 者, in the same part."""
    cls = _CLASSIFY.search(sentence, end, min(part_bounds(sentence, start, end)[1], end + 30))
    # the class word belongs to the nearest number before it:
    # 每月…一次检查评比,评比得分低于60分的门店列为… is about the 60
    return bool(
        cls and re.search(r"的|者", sentence[end : cls.start()]) and not re.search(r"\d", sentence[end : cls.start()])
    )


def is_statistic(sentence: str, start: int, end: int) -> bool:
    """Whether the number at [start, end) of the sentence reports a figure rather than requires one."""
    if _is_classification(sentence, start, end):  # 超过5%的门店列为高风险 is a threshold, not a share of stores
        return False
    _, part_end = part_bounds(sentence, start, end)
    if _STATISTIC_AFTER.search(sentence, end, part_end):  # 准时率达到96.8%,较上年提升了2.1个百分点
        return True
    _, phrase_end = _phrase(sentence, start)
    # The claim words count from the sentence start up to the end of the number's phrase:
    # "数据显示,投诉处理后2周内满意度回升" is a statistic; a later "应在24小时内" in the
    # same sentence after a modal verb is not.
    before = sentence[:phrase_end]
    m = None
    for m in _STATISTIC.finditer(before):  # noqa: B007 (keeps the last match)
        pass
    if m is None:
        return False
    binding = _BINDING.search(sentence, m.end(), start)
    return binding is None


def nature_in(sentence: str, start: int, end: int) -> TargetNature:
    """The nature of the number at [start, end) of the sentence, by the rule above."""
    p0, p1 = _phrase(sentence, start)
    phrase = sentence[p0:p1]
    if _is_classification(sentence, start, end):
        return TargetNature.classification
    if _LEGAL.search(phrase) or _SEVEN_DAY_RETURN.search(phrase) or ("有权" in sentence and _REMEDY.search(sentence)):
        return TargetNature.legal_right
    part_start, part_end = part_bounds(sentence, start, end)
    part = sentence[part_start:part_end]
    opening = re.match(
        r"[^,，。;；]{0,6}(?:依据|根据|按照)[^,，。;；]*(?:法|规定|条例)", sentence
    )  # governs every part
    if (_LAW.search(part) or opening) and _RIGHT_ACT.search(sentence, p0, part_start + len(part)):
        return TargetNature.legal_right  # a law or regulation invoked, in the same part, for the customer's remedy
    example = None
    for example in _EXAMPLE.finditer(sentence, 0, start):  # noqa: B007 (keeps the last match)
        pass
    if (
        example is not None
        and re.search(r"[)）]", sentence[example.end() : start])
        and re.search(r"[(（]", sentence[: example.start()])
    ):
        example = None  # (如“双11”)首次响应时间不超过90秒: the example is the parenthesis, not the number
    # 如 / 例如 introduces an example up to the end of the sentence, unless a modal verb
    # binds again after it (例如,…服务人员应…:响应时间不超过30秒 is firm).
    if example is not None and not _BINDING.search(sentence, example.end(), start):
        return TargetNature.example
    if _DEFAULT.search(phrase):
        return TargetNature.default_term
    if _ADVICE.search(sentence) and not _BINDING.search(sentence):
        return TargetNature.advice
    return TargetNature.firm


_SENTENCE_END = "。;；!！?？\n"


def read_nature(text: str, quote: str, value: float | None = None) -> TargetNature | None:
    """The nature the rule gives the number `quote` states inside the clause `text` (None: a statistic, or no number).

    The quote is found in the text; the number is the quantity of the quote with
    `value` (its first quantity when none has it), read within its sentence.
    """
    at = text.find(quote)
    if at < 0:
        text, at = quote, 0
    quantities = find_quantities(quote)
    if not quantities:
        return None
    q = next((q for q in quantities if value is not None and q.value == value), quantities[0])
    start = max((text.rfind(ch, 0, at + q.start) for ch in _SENTENCE_END), default=-1) + 1
    ends = [e for e in (text.find(ch, at + q.end) for ch in _SENTENCE_END) if e >= 0]
    sentence = text[start : min(ends) + 1 if ends else len(text)]
    s, e = at + q.start - start, at + q.end - start
    if is_statistic(sentence, s, e):
        return None
    return nature_in(sentence, s, e)
