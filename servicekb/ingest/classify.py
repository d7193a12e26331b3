"""Classify a clause from its wording: modality, kind, lifecycle stage, and claims.

Modality follows the modal verb (必须/不得/禁止 must, 应/需/须 shall, 宜/建议/提倡
should, 可 may), from the word lists of `servicekb.binding`. A sentence that
reports a statistic or a claim (根据…报告, 数据显示, 研究表明, 同比, 平均…分,
"可提升满意度达25%", case results of 某企业) is `informative`: its numbers
describe, they never require.
"""

from __future__ import annotations

import re

from servicekb.binding import MUST_WORDS, RIGHT_WORDS, SHALL_WORDS, SHOULD_WORDS
from servicekb.types import Kind, Modality, Stage

__all__ = ["classify_kind", "classify_modality", "classify_stage", "is_claim"]

# The modal words are the rule's (servicekb.binding), so that modality and nature never disagree on a word.
_MUST = re.compile(MUST_WORDS)
_SHALL = re.compile(SHALL_WORDS)
_SHOULD = re.compile(SHOULD_WORDS)
_MAY = re.compile(r"可以|(?<![不认许])可(?![能靠持视控行追信见观口塑])")

_CLAIM = re.compile(
    r"数据显示|研究表明|调查显示|统计显示|结果显示|研究显示|数据表明|调查表明|同比|环比"
    r"|根据[^,。;]{0,40}?(报告|调查|调研|统计|数据|研究|经验)"
    r"|平均[^,。;]{0,12}?\d+(\.\d+)?分"
    r"|(提升|提高|增加|增长|降低|减少|缩短|下降|上升)[^,。;]{0,16}?\d+(\.\d+)?%"
    r"|\d+(\.\d+)?%的[^,。;]{0,12}(企业|客户|顾客|消费者|投诉|零售商|门店)"
    r"|某(企业|品牌|公司|超市|零售|门店|商场|家居|服装|纺织|连锁)"
    r"|案例(显示|表明)"
)
_DEFINITION = re.compile(r"是指|指的是|定义为|所谓")
_RIGHT = re.compile(RIGHT_WORDS)

# First match wins: the more specific stages come first.
_STAGES: tuple[tuple[Stage, str], ...] = (
    (Stage.complaint, r"投诉|纠纷"),
    (Stage.emergency, r"应急|突发|事故|危机"),
    (Stage.data_protection, r"隐私|个人信息|信息安全|数据安全|加密|保密"),
    (Stage.after_sale, r"售后|退换|退货|换货|退款|维修|保修|报修|安装|三包"),
    (Stage.feedback, r"反馈|意见|回访"),
    (Stage.training, r"培训|培养|考核"),
    (Stage.inventory, r"库存|盘点|补货"),
    (Stage.display, r"陈列|展示|展架"),
    (Stage.etiquette, r"礼仪|着装|仪容|仪表|微笑|礼貌"),
    (Stage.communication, r"沟通|语言|话术|用语"),
    (Stage.relationship, r"忠诚|会员|关系维护|积分|复购"),
    (Stage.monitoring, r"监督|监控|评估|检查|审计|指标|满意度调查"),
    (Stage.sale, r"销售|结算|交易|收银|成交|促销"),
    (Stage.pre_sale, r"咨询|接待|导购|迎宾|讲解"),
    (Stage.improvement, r"改进|优化|创新"),
)
_STAGE_PATTERNS = tuple((stage, re.compile(pattern)) for stage, pattern in _STAGES)


def classify_modality(text: str) -> Modality:
    """The strongest modal verb in the text (must > shall > should > may), or none."""
    for modality, pattern in (
        (Modality.must, _MUST),
        (Modality.shall, _SHALL),
        (Modality.should, _SHOULD),
        (Modality.may, _MAY),
    ):
        if pattern.search(text):
            return modality
    return Modality.none


def is_claim(text: str) -> bool:
    """Whether the text reports a statistic, a study or a case result."""
    return bool(_CLAIM.search(text))


def classify_kind(text: str, modality: Modality) -> Kind:
    """Kind of a clause: claims are informative whatever their wording."""
    if is_claim(text):
        return Kind.informative
    if _DEFINITION.search(text):
        return Kind.definition
    if _RIGHT.search(text):  # a consumer's legal right binds the business whatever the verb
        return Kind.requirement
    if modality in (Modality.must, Modality.shall):
        return Kind.requirement
    if modality in (Modality.should, Modality.may):
        return Kind.recommendation
    return Kind.informative


def classify_stage(text: str, context: str = "") -> Stage:
    """Lifecycle stage from keywords of the clause, else of its section titles, else general."""
    for source in (text, context):
        for stage, pattern in _STAGE_PATTERNS:
            if pattern.search(source):
                return stage
    return Stage.general
