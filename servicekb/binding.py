"""The one written rule for what binds: the nature of a number, read from its wording.

Curation and ingest apply the same rule, and `validate` warns where a curated
target's nature disagrees with it (`nature-disagrees-with-wording`). The
handbook page "如何阅读条款" prints the same table. The first rule that
matches the sentence holding the number wins:

| order | nature | wording | what happens |
|---|---|---|---|
| 1 | classification | a number that sorts stores, staff or products into classes: "超过5%的门店应列为高风险区域" | a flag with the figure that triggered it, never pass/fail |
| 2 | legal_right | a right under a law: 《…法》, 法律规定, 依法, 有权, 法定, 无理由退货 (the statutory term) | shown, not scored; the law binds, not the standard |
| 3 | example | 如/例如/比如/譬如 before the number inside a requirement | shown, not scored; a profile may adopt it as firm |
| 4 | default_term | 一般为/一般在/通常/原则上 | shown, not scored; a profile may adopt it as firm |
| 5 | advice | 建议/宜/鼓励/可 or a clause whose modality is should/may | shown, not scored; a profile may adopt it as firm |
| 6 | firm | everything else in a requirement (应/须/必须/需 or a plain service level) | merged, compared and scored |

Statistics and claims (数据显示, 平均, 同比, 提升了, 案例 results) are never
targets at all: `validate` refuses a firm target on an informative clause.
"""

from __future__ import annotations

import re

from servicekb.types import Modality, TargetNature

__all__ = ["RULES", "read_nature"]

_CLASS_SUBJECT = r"(?:门店|店铺|商户|区域|员工|人员|客户|顾客|供应商|商品|产品|网点)"
_CLASS_VERB = r"(?:列为|列入|划为|划入|定为|评为|视为|认定为|归为|纳入)"
# Each rule reads one scope around the number: the whole sentence, the sentence up to the
# number ("before") or up to the end of its fragment ("upto"), or only the fragment that holds it (一般为 in one fragment does not
# make the next fragment's number a default).
RULES: tuple[tuple[TargetNature, str, re.Pattern[str]], ...] = (
    (TargetNature.classification, "sentence", re.compile(rf"的{_CLASS_SUBJECT}[^,，。;；]{{0,6}}{_CLASS_VERB}")),
    (TargetNature.legal_right, "upto", re.compile(r"《[^》]*(?<!办)法》|法律规定|依法|有权|法定|无理由退")),
    (
        TargetNature.example,
        "before",
        re.compile(r"例如|比如|譬如|诸如|如“|(?<![例比譬诸假])如(?=[\d一二两三四五六七八九十每])|(?:^|[,，:：;；、(（])如(?![果何实期今此下上同])"),
    ),
    (TargetNature.default_term, "fragment", re.compile(r"一般为|一般在|一般不|通常|原则上")),
    (TargetNature.advice, "before", re.compile(r"建议|鼓励|(?<![不应])宜(?![人])")),
)
_SENTENCE_END = "。;；!！?？\n"
_FRAGMENT_END = ",，、:：“”" + _SENTENCE_END


def _scopes(text: str, quote: str) -> dict[str, str]:
    at = text.find(quote)
    if at < 0:
        return {"sentence": quote, "before": quote, "upto": quote, "fragment": quote}
    end = at + len(quote)

    def left(stops: str) -> int:
        return max((text.rfind(ch, 0, at) for ch in stops), default=-1) + 1

    def right(stops: str) -> int:
        ends = [e for e in (text.find(ch, end) for ch in stops) if e >= 0]
        return min(ends) if ends else len(text)

    sentence_start = left(_SENTENCE_END)
    return {
        "sentence": text[sentence_start : right(_SENTENCE_END)],
        "before": text[sentence_start:end],
        "upto": text[sentence_start : right(_FRAGMENT_END)],
        "fragment": text[left(_FRAGMENT_END) : right(_FRAGMENT_END)],
    }


def read_nature(text: str, quote: str, modality: Modality = Modality.shall) -> TargetNature:
    """The nature the rule gives the number that `quote` states inside `text` (a clause of this modality)."""
    scopes = _scopes(text, quote)
    for nature, scope, pattern in RULES:
        if pattern.search(scopes[scope]):
            return nature
    if modality in (Modality.should, Modality.may):
        return TargetNature.advice
    return TargetNature.firm
