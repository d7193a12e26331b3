"""Propose a typed target for every quantitative commitment of a sentence.

Independent of modal verbs and of the catalogue: every quantity that
`servicekb.quantities` reads becomes a `Proposal`, unless the sentence
reports it as a statistic (then it is `LeftOut`, with the reason). A
proposal carries the catalogue metric when the words around the number name
one and the units agree; otherwise a `SuggestedMetric` (id, Chinese name,
unit, direction) that the curator can accept. Its nature follows the one
rule of `servicekb.binding`; its comparator is the written one, or,
for a bare amount (`8小时到场`), the one the metric's direction implies
(a deadline is an upper bound, a satisfaction rate a lower bound).
Tiered sentences (`市区4小时、郊区8小时`, `一般故障…重大故障…`) give one
proposal per tier with the tier's words as its population.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from servicekb.binding import MUST_WORDS, SHALL_WORDS, is_statistic, nature_in, part_bounds
from servicekb.models import Channel, Population, Severity
from servicekb.quantities import Quantity, find_quantities, parse_number
from servicekb.types import Clock, Comparator, Dimension, Direction, TargetNature, Unit, unit_dimension

__all__ = ["LeftOut", "MetricInfo", "Proposal", "SuggestedMetric", "map_metric", "parse_number", "propose_targets"]


@dataclass(frozen=True)
class MetricInfo:
    """What the proposer needs of a catalogue metric."""

    unit: Unit
    direction: Direction


@dataclass(frozen=True)
class SuggestedMetric:
    """A metric the catalogue lacks, proposed for the curator to accept or rename."""

    id: str
    name_zh: str
    unit: Unit
    direction: Direction


@dataclass(frozen=True)
class Proposal:
    """One proposed target: the numbers, where they apply, how binding, and how sure the proposer is."""

    comparator: Comparator
    value: float
    upper: float | None
    unit: Unit
    clock: Clock | None
    quote: str  # verbatim words of the sentence that state the number
    start: int  # offset of the quantity in the sentence
    end: int
    metric: str | None  # catalogue id, or None (then `suggested` is set)
    suggested: SuggestedMetric | None
    nature: TargetNature
    population: Population = field(default_factory=Population)
    confidence: float = 0.5
    stated: bool = True  # the comparator is written; otherwise read from the metric's direction


@dataclass(frozen=True)
class LeftOut:
    """A number the proposer did not propose, and why (a statistic or a claim)."""

    quote: str
    value: float
    unit: Unit
    reason: str


# --- metric mapping ----------------------------------------------------------

# Tested on the phrase holding the number; first match wins, so specific metrics come first.
_LOCAL_RULES: tuple[tuple[str, str], ...] = (
    ("complaint-rate", r"投诉率"),
    ("problem-resolution-rate", r"解决率"),
    ("csi-score", r"满意度指数|CSI"),
    ("customer-satisfaction", r"满意度|满意率"),
    ("training-coverage", r"覆盖率|培训[^,，;；]*覆盖"),
    ("inventory-shrinkage", r"损耗"),
    ("display-cost-share", r"陈列成本"),
    ("display-zone-traffic-share", r"客流"),
    ("return-request-window", r"无理由退|退货期|退换期|退换货期"),
    ("complaint-first-response-time", r"投诉.*(响应|回复|答复|受理)|(响应|回复|答复|受理).*投诉"),
    ("complaint-resolution-time", r"投诉.*(处理|解决|办结)"),
    ("consultation-response-time", r"咨询.*(响应|回复|答复)|(响应|回复|答复).*咨询"),
    ("feedback-first-response-time", r"反馈.*(响应|回复|答复)"),
    ("feedback-resolution-time", r"反馈.*(处理|解决)"),
    ("repair-response-time", r"(维修|报修|故障).*(响应|上门|到达|到场)"),
    ("repair-completion-time", r"(维修|报修|故障).*(完成|修复|处理|解决)"),
    ("return-exchange-processing-time", r"退换|退货|换货|退款"),
    ("order-processing-time", r"订单.*处理|处理.*订单"),
    ("training-frequency", r"培训"),
    ("training-session-duration", r"培训.*时长|培训"),
    ("customer-maintenance-frequency", r"保养|清洁|(用户|顾客|客户)[^,，;；]*检查"),
    ("qualification-assessment-frequency", r"资质|资格"),
    ("service-evaluation-frequency", r"评估|考核|检查|审核"),
    ("guidance-session-duration", r"指导|讲解|演示"),
    (
        "service-availability-hours",
        r"全天候|服务时间|7[×x*]24|24小时(?:在线|服务|热线|值班|营业|客服|保障|开放|不间断)",
    ),
)
# (metric, subject earlier in the sentence, action in the number's phrase):
# 投诉处理应在24小时内完成初步响应,72小时内完成处理 -> the 72 is a resolution time.
_EVENT_RULES: tuple[tuple[str, str, str], ...] = (
    ("complaint-first-response-time", r"投诉", r"响应|回复|答复|受理"),
    ("complaint-resolution-time", r"投诉", r"处理|解决|办结|完成"),
    ("consultation-response-time", r"咨询", r"响应|回复|答复"),
    ("feedback-first-response-time", r"反馈", r"响应|回复|答复"),
    ("feedback-resolution-time", r"反馈", r"处理|解决|完成"),
    ("repair-response-time", r"维修|报修|故障", r"响应|上门|到达|到场"),
    ("repair-completion-time", r"维修|报修|故障", r"完成|修复|解决|处理"),
    ("return-exchange-processing-time", r"退换|退货|换货|退款", r"处理|完成|办理"),
    ("training-session-duration", r"培训", r"时长|每次"),
    ("training-frequency", r"培训", r"每|次"),
    ("service-evaluation-frequency", r"评估|考核|检查|审核", r"每|次"),
)
# Tested on the whole sentence, last: 七日内发现商品不符合质量要求,有权退货 is a return window.
_SENTENCE_RULES: tuple[tuple[str, str], ...] = (
    ("return-request-window", r"有权(?:要求)?(?:退货|退换|换货)|无理由退"),
    ("service-response-time", r"响应|回复"),
)
_PHRASE = re.compile(r"(?:[^,，;；:：、”|]|”(?!“))+")


def _phrase_of(sentence: str, start: int) -> tuple[int, int]:
    for m in _PHRASE.finditer(sentence):
        if m.start() <= start < m.end():
            return m.start(), m.end()
    return start, start


def map_metric(unit: Unit, start: int, sentence: str, metrics: dict[str, MetricInfo], title: str = "") -> str | None:
    """The catalogue metric named around the number at `start`, when obvious and the units agree.

    `title` is the title of the clause's section: 上门时限 / 市区4小时 names the subject.
    """

    def fits(metric: str) -> bool:
        info = metrics.get(metric)
        return info is not None and unit_dimension(info.unit) is unit_dimension(unit)

    p0, p1 = _phrase_of(sentence, start)
    if p0 == p1:
        return None
    local = sentence[p0:p1]
    for metric, pattern in _LOCAL_RULES:
        if fits(metric) and re.search(pattern, local):
            return metric
    before = title + sentence[:p0]
    for metric, subject, action in _EVENT_RULES:
        if fits(metric) and re.search(subject, before) and re.search(action, local):
            return metric
    for metric, pattern in _SENTENCE_RULES:
        if fits(metric) and re.search(pattern, sentence):
            return metric
    return None


# --- suggested metrics -------------------------------------------------------

_SUBJECTS: tuple[tuple[str, str], ...] = (
    ("投诉", "complaint"),
    ("咨询", "consultation"),
    ("报修", "repair"),
    ("维修", "repair"),
    ("故障", "fault"),
    ("退款", "refund"),
    ("退换", "return"),
    ("退货", "return"),
    ("换货", "exchange"),
    ("发货", "shipping"),
    ("配送", "delivery"),
    ("送货", "delivery"),
    ("安装", "installation"),
    ("上门", "onsite"),
    ("现场", "onsite"),
    ("来电", "call"),
    ("电话", "call"),
    ("热线", "hotline"),
    ("在线", "online"),
    ("工单", "ticket"),
    ("订单", "order"),
    ("回访", "follow-up"),
    ("培训", "training"),
    ("巡检", "inspection"),
    ("巡店", "store-visit"),
    ("评估", "evaluation"),
    ("考核", "assessment"),
    ("检查", "inspection"),
    ("审核", "audit"),
    ("盘点", "stocktake"),
    ("保养", "maintenance"),
    ("清洁", "cleaning"),
    ("保修", "warranty"),
    ("质保", "warranty"),
    ("备件", "spare-part"),
    ("配件", "spare-part"),
    ("满意", "satisfaction"),
    ("好评", "positive-review"),
    ("差评", "negative-review"),
    ("赔偿", "compensation"),
    ("补偿", "compensation"),
    ("会员", "member"),
    ("预约", "appointment"),
    ("排队", "queue"),
    ("等待", "waiting"),
    ("结算", "checkout"),
    ("收银", "checkout"),
    ("反馈", "feedback"),
    ("邮件", "email"),
    ("留言", "message"),
)
_ACTIONS: tuple[tuple[str, str], ...] = (
    ("首次响应", "first-response"),
    ("响应", "response"),
    ("受理", "acceptance"),
    ("接听", "answer"),
    ("回复", "reply"),
    ("答复", "reply"),
    ("到场", "arrival"),
    ("到达", "arrival"),
    ("到店", "arrival"),
    ("上门", "onsite"),
    ("修复", "fix"),
    ("解决", "resolution"),
    ("办结", "closure"),
    ("结案", "closure"),
    ("处理", "handling"),
    ("完成", "completion"),
    ("退回", "refund"),
    ("到账", "refund"),
    ("发出", "dispatch"),
    ("送达", "delivery"),
    ("通知", "notice"),
    ("联系", "contact"),
    ("确认", "confirmation"),
    ("更换", "replacement"),
    ("恢复", "recovery"),
)
_RATE_WORDS: tuple[tuple[str, str], ...] = (
    ("及时率", "on-time-rate"),
    ("准确率", "accuracy-rate"),
    ("合格率", "pass-rate"),
    ("达标率", "compliance-rate"),
    ("完成率", "completion-rate"),
    ("接通率", "answer-rate"),
    ("解决率", "resolution-rate"),
    ("满意度", "satisfaction"),
    ("满意率", "satisfaction-rate"),
    ("好评率", "positive-review-rate"),
    ("返修率", "rework-rate"),
    ("差错率", "error-rate"),
    ("投诉率", "complaint-rate"),
    ("退货率", "return-rate"),
    ("故障率", "failure-rate"),
    ("流失率", "churn-rate"),
    ("覆盖率", "coverage-rate"),
    ("复购率", "repurchase-rate"),
    ("到场率", "arrival-rate"),
    ("回访率", "follow-up-rate"),
    ("放弃率", "abandon-rate"),
    ("一次修复率", "first-time-fix-rate"),
    ("缺货率", "stockout-rate"),
    ("占比", "share"),
)
_LOWER_BETTER_RATES = re.compile(
    r"投诉|差错|错误|返修|损耗|退货|流失|故障|延误|缺货|误差|不合格|放弃|差评|重复|超时|成本|费用"
)
_HIGHER_DURATIONS = re.compile(
    r"培训|指导|讲解|演示|服务时间|保障|营业|保修|质保|无理由|退换货期|退货期|保存|保留|时长|有效期|试用"
)
_STRIP = re.compile(
    r"应当|应该|必须|务必|需要|应|须|需|要|将|在|于|为|是|达到|控制在|保持在|不超过|不得超过|不少于|不低于|至少|最迟|最多|"
    r"不超|超过|低于|高于|以上|以下|以内|之内|确保|保证|承诺|实现|做到|一律|均|并|且|及时|原则上|一般|通常|[:：\s(（)）“”\"]"
)
_DIMENSION_SUFFIX = {
    Dimension.duration: ("time", "时限"),
    Dimension.percent: ("rate", "比率"),
    Dimension.points: ("score", "得分"),
    Dimension.count: ("count", "数量"),
    Dimension.frequency: ("frequency", "频次"),
    Dimension.money: ("amount", "金额"),
    Dimension.ratio: ("ratio", "比值"),
}


def _direction(dim: Dimension, comparator: Comparator, words: str) -> Direction:
    if comparator in (Comparator.ge, Comparator.gt):
        return Direction.higher_is_better
    if comparator in (Comparator.le, Comparator.lt):
        return Direction.lower_is_better
    if dim is Dimension.duration:
        return Direction.higher_is_better if _HIGHER_DURATIONS.search(words) else Direction.lower_is_better
    if dim in (Dimension.percent, Dimension.ratio, Dimension.money):
        # the rate named last before the number decides: 投诉处理回复率 is a reply rate, 投诉率 a complaint rate
        rates = re.findall(r"[\u4e00-\u9fff]{1,4}?(?:率|占比|比例)", words)
        named = rates[-1] if rates else words
        return Direction.lower_is_better if _LOWER_BETTER_RATES.search(named) else Direction.higher_is_better
    return Direction.higher_is_better


def suggest_metric(sentence: str, q: Quantity, name_hint: str = "", title: str = "") -> SuggestedMetric:
    """A metric named from the words around the number: subject, action and dimension.

    `name_hint` is the words a tiered sentence opens with (上门时限:市区4小时、郊区8小时).
    """
    p0, p1 = _phrase_of(sentence, q.start)
    head = name_hint or _STRIP.sub("", sentence[p0 : q.start])[-10:]
    tail = sentence[q.end : p1]
    action = "" if name_hint else next((zh for zh, _ in _ACTIONS if zh in tail), "")
    dim = unit_dimension(q.unit)
    if dim is Dimension.frequency and not name_hint:
        obj = _STRIP.sub("", re.sub(r"^[的地]|[。!！?？]+$", "", tail))[:10]
        head, action = (obj, "") if obj else (head, action)
    if not head and title:  # 上门时限 / ：市区4小时: the section title names it
        head = _STRIP.sub("", title)[-10:]
    words = title + sentence[max(0, p0 - 30) : p1]
    rate_words = sentence[p0 : q.start] or words
    rate = next(((zh, en) for zh, en in _RATE_WORDS if zh in sentence[p0:p1]), None)
    subjects = [en for zh, en in _SUBJECTS if zh in words]
    actions = [en for zh, en in _ACTIONS if zh in sentence[p0:p1]]
    suffix_en, suffix_zh = _DIMENSION_SUFFIX[dim]
    if rate and dim is Dimension.percent:
        parts = subjects[:1] + [rate[1]]
    else:
        parts = subjects[:2] + actions[:1] + [suffix_en]
    seen: list[str] = []
    for part in "-".join(parts).split("-"):
        if part and part not in seen:
            seen.append(part)
    if len(seen) == 1:
        seen.insert(0, "service")
    name = head + action
    if not name:
        name = sentence[max(p0, q.start - 8) : q.start].strip() or "未命名"
    if not re.search(r"(时间|时长|时限|期|率|度|比|频次|次数|数|额|分)$", name):
        name += suffix_zh
    return SuggestedMetric(
        "-".join(seen), name, q.unit, _direction(dim, q.comparator if q.stated else Comparator.eq, rate_words)
    )


# --- population --------------------------------------------------------------

_MAJOR = re.compile(r"重大|严重|紧急|特急|一级|A类|高优先")
_NORMAL = re.compile(r"一般(?:故障|问题|投诉|咨询)|普通|轻微|常规")
_CHANNELS: tuple[tuple[Channel, str], ...] = (
    (Channel.phone, r"电话|热线|来电|400"),
    (Channel.online, r"在线|线上|网上|网络|官网|电商|邮件"),
    (Channel.app, r"APP|App|app|小程序"),
    (Channel.social, r"微信|微博|社交|公众号"),
    (Channel.in_store, r"到店|店内|柜台"),
)
# Filler words before a label; modal words (servicekb.binding's lists) and filler words after it (市区需要4小时).
_LABEL_STRIP = re.compile(
    r"^(?:[的及和与或等并且而]|同时|对于|其中|若|如|在|确保|保证|要求|做到|实现|所有|各类?)+"
    rf"|(?:{MUST_WORDS}|{SHALL_WORDS}|需要|在|于|为|是|可|要|将|控制在|不超过|不少于|[:：\s])+$"
)


def _label(sentence: str, q: Quantity) -> str:
    """The words right before a number in its phrase (市区, 一般故障), without modal and filler words."""
    p0, _ = _phrase_of(sentence, q.start)
    return _LABEL_STRIP.sub("", sentence[p0 : q.start]).strip()


# A scope the words before a number name (省会城市8小时内到场, 急修30分钟内到达, 消防设施每月检查一次),
# as opposed to the metric (满意度不低于90%) or the actor (坐席应在2小时内回电).
_SCOPE_END = re.compile(
    r"(?:订单|商品|故障|维修|急修|工单|会员|宾客|城市|地区|区域|市区|郊区|城区|县市|县|乡镇|山区|海岛|离岛区|网点|医院|楼栋|设施|水箱|"
    r"草坪|电梯|类|级|产品|配件|备件|投诉|咨询|跨城|同城|省内|省外|地级市)$"
)
_METRIC_WORDS = re.compile(r"率|度|时间|时长|时限|得分|评分|分数|成本|占比|比例|周期|金额")
_ANCHOR = re.compile(r"(?:下单|收到|接到|签收|送货|到场|受理|报修|发货|完成|购买|付款)(?:后|起)$|自[^,，]{0,8}起$")


def _scope(sentence: str, q: Quantity) -> str | None:
    """The population a single number applies to, from the words before it, or None."""
    p0, _ = _phrase_of(sentence, q.start)
    cut = max((m.end() for m in re.finditer(r"[,，;；。:：]", sentence[: q.start])), default=0)
    paren = re.search(r"[(（]([^()（）]{1,10})[)）]\s*[|\t]?\s*$", sentence[cut : q.start])
    if paren and not _METRIC_WORDS.search(paren.group(1)):  # 到场时间（市区） | 4小时
        return paren.group(1)
    words = sentence[p0 : q.start]
    words = (
        re.split(r"每(?:个)?(?:月|年|季度|季|半年|周|日|天)", words)[0]
        if unit_dimension(q.unit) is Dimension.frequency
        else words
    )
    label = _LABEL_STRIP.sub("", _ANCHOR.sub("", _LABEL_STRIP.sub("", words).strip())).strip()
    bare = re.sub(r"^(?:客户|顾客|用户|消费者)", "", label)
    generic = bare in (
        "投诉",
        "咨询",
        "维修",
        "故障",
        "订单",
        "商品",
        "产品",
        "配件",
        "门店",
    )  # the metric says as much
    if 2 <= len(label) <= 10 and _SCOPE_END.search(label) and not _METRIC_WORDS.search(label) and not generic:
        return label
    return None


def _population(label: str, phrase: str, tiered: bool, scope: str | None = None) -> Population:
    words = label if tiered else phrase
    severity = Severity.major if _MAJOR.search(words) else Severity.normal if _NORMAL.search(words) else None
    channels = [c for c, pattern in _CHANNELS if re.search(pattern, words)]
    note = label if tiered and label else scope
    return Population(severity=severity, channels=channels[:1], note=note)


def _tiered(sentence: str, found: list[Quantity]) -> bool:
    """Two or more amounts of one unit, each after its own short label: one target per tier."""
    if len(found) < 2 or len({q.unit for q in found}) != 1:
        return False
    labels = [_label(sentence, q) for q in found]
    tails = {_tail_action(sentence, q) for q in found}
    if any(_METRIC_WORDS.search(lab) for lab in labels):  # 首次响应时间…,会话等待…: metrics, not tiers
        return False
    if (
        len({next((zh for zh, _ in _ACTIONS if zh in lab), "") for lab in labels}) > 1
    ):  # 报修响应…,维修到场…: two metrics
        return False
    return all(0 < len(lab) <= 12 for lab in labels) and len(set(labels)) == len(labels) and len(tails) == 1


def _tail_action(sentence: str, q: Quantity) -> str:
    _, p1 = _phrase_of(sentence, q.start)
    return next((zh for zh, _ in _ACTIONS if zh in sentence[q.end : p1]), "")


# --- proposing -----------------------------------------------------------------

_QUOTE_LEAD = 20


def _quote(sentence: str, q: Quantity) -> str:
    """The number's words with the lead-in back to the previous punctuation (at most 20 characters)."""
    left = q.start
    while left > 0 and q.start - left < _QUOTE_LEAD and sentence[left - 1] not in ",，。;；:：、!！?？(（“”-—":
        left -= 1
    right = q.end
    p1 = _phrase_of(sentence, q.start)[1]
    # carry on to the verb that says what the number is about (24小时内响应), a few characters at most
    m = re.match(r"[^,，。;；:：、!！?？()（）“”]{0,8}", sentence[right:p1])
    right += len(m.group(0)) if m else 0
    return sentence[left:right].strip()


_PENALTY = re.compile(
    r"(?:扣除|扣减|扣发)[^,，;；。]{0,8}(?:费|款|金|分)|扣款|扣罚|罚款|违约金|罚金|赔付甲方|向甲方支付"
)
_COMPENSATION = re.compile(r"赔偿|补偿|赔付|返还|退还|优惠券|代金券|红包|补贴|奖励|减免")
_CONDITION_AFTER = re.compile(r"(?:的情况)?(?:时|仍|未|无更新|无人|无响应|还未|还没|没有)")
# hours per month or year have no unit; hours per day do (营业时间每日不少于7小时 is hours a day)
_EVERY_LONG = re.compile(r"每(?:个)?(?:月|年|季度|季|半年|周|星期)(?!次)")
_EVERY_SHORT = re.compile(r"每(?:日|天|周|星期|班|小时)")
_WINDOW_SUBJECT = re.compile(r"退货|退换|换货|无理由|性能故障|质量问题|三包|退款申请|申请退")
_WINDOW_AFTER = re.compile(r"^(?:退货|退换|换货|无理由)|^[^,，;；。]{0,12}?(?:可|出现|发现|享有|有权|内凭|凭)")
_PROCESSING = re.compile(r"^[^,，;；。]{0,4}?(?:完成|办结|到账|返还|退还|处理|回访|答复|回复|办理|上门|联系|送达|发货)")
_FIXED_YUAN = re.compile(r"优惠券|代金券|红包|现金券")
_LEADER_DOTS = re.compile(r"…{2,}|\.{4,}|·{3,}|-{4,}")


def _part(sentence: str, q: Quantity) -> str:
    """The sentence part (between ；and 。, `servicekb.binding.part_bounds`) holding the quantity."""
    start, end = part_bounds(sentence, q.start, q.end)
    return sentence[start:end]


def skip_reason(sentence: str, q: Quantity) -> str | None:
    """Why a quantity is no target although it is not a statistic (the corpus conventions), or None."""
    p0, p1 = _phrase_of(sentence, q.start)
    before, after = sentence[p0 : q.start], sentence[q.end : q.end + 8]
    dim = unit_dimension(q.unit)
    if _LEADER_DOTS.search(sentence):
        return "table-of-contents line"
    if _PENALTY.search(_part(sentence, q)):
        return "penalty"
    if q.unit is Unit.yuan and not _COMPENSATION.search(_part(sentence, q)):
        return "price or amount scope"
    if before.endswith("满分") or re.search(r"满分$", before):
        return "scale"
    if re.match(r"\d{1,2}[:：]\d{2}", after):
        return "time of day"
    if any(m.start() <= q.start and q.end <= m.end() for m in re.finditer(r"按[^,，;；。|]{0,12}计", sentence)):
        return "calculation basis"
    if _CONDITION_AFTER.match(after) or (q.unit is Unit.count and after.startswith("的")):
        return "trigger condition"
    if re.match(r"[\u4e00-\u9fff]{0,4}率", after):  # 72小时修复率, 24小时内回复率不低于95%
        return "number inside a metric name"
    if after.startswith("后") and re.search(r"符合|方可|才|可以", sentence[q.end : p1]):
        return "legal condition"
    if dim is Dimension.duration and _EVERY_LONG.search(before) and "每次" not in before:
        return "compound unit (duration per period)"
    if q.unit is Unit.count and _EVERY_SHORT.search(before):
        return "per-day or per-week frequency"
    return None


def _is_window(sentence: str, q: Quantity) -> bool:
    """Whether the days are a window the customer is given (to return, exchange, claim), not a deadline."""
    if (
        q.unit not in (Unit.day, Unit.working_day)
        or q.comparator is Comparator.between
        or not _WINDOW_SUBJECT.search(_part(sentence, q))
    ):
        return False
    after = sentence[q.end : _phrase_of(sentence, q.start)[1]]
    return bool(_WINDOW_AFTER.search(after) and not _PROCESSING.search(after))


def _comparator(sentence: str, q: Quantity, direction: Direction) -> Comparator:
    """The written comparator, or the one the drafting conventions read from the words around a bare amount."""
    p0, p1 = _phrase_of(sentence, q.start)
    before, after = sentence[max(p0, q.start - 3) : q.start], sentence[q.end : p1]
    dim = unit_dimension(q.unit)
    if _is_window(sentence, q):  # 7日内可退货 / 30天内可无理由退换: the window offered to the customer is at least N
        return Comparator.ge
    if dim is Dimension.duration and (
        before.endswith("提前") or before.endswith("前") or re.match(r"^前", after) and not q.stated
    ):
        if q.comparator in (Comparator.eq, Comparator.le):  # 提前72小时通知, 上门前30分钟: a lead time of at least N
            return Comparator.ge
    if q.stated:
        return q.comparator
    if before.endswith("为期") or after.startswith("后") or (q.unit is Unit.yuan and _FIXED_YUAN.search(after)):
        return Comparator.eq  # 为期5天, 5分钟后再次叫醒, 5元优惠券: a fixed quantity
    if dim is Dimension.frequency:
        return Comparator.ge
    if q.unit is Unit.percent and q.value == 100:
        return Comparator.ge
    return Comparator.le if direction is Direction.lower_is_better else Comparator.ge


def propose_targets(
    sentence: str, metrics: dict[str, MetricInfo] | None = None, title: str = ""
) -> tuple[list[Proposal], list[LeftOut]]:
    """The proposed targets of one sentence, and the numbers left out as statistics.

    `title` is the title of the sentence's section; it helps name the metric.
    """
    metrics = metrics or {}
    found = find_quantities(sentence)
    proposals: list[Proposal] = []
    left_out: list[LeftOut] = []
    kept = []
    for q in found:
        reason = "statistic" if is_statistic(sentence, q.start, q.end) else skip_reason(sentence, q)
        if (
            reason is None
            and not q.stated
            and sentence[q.start : q.end].startswith("每")
            and "次" not in sentence[q.start : q.end]
        ):
            phrase = _phrase_of(sentence, q.start)
            if any(o is not q and phrase[0] <= o.start < phrase[1] for o in found):
                reason = "period of another number"  # 每年抽查不少于网点总数的30%: 每年 belongs to the 30%
        if reason:
            left_out.append(LeftOut(_quote(sentence, q), q.value, q.unit, reason))
        else:
            kept.append(q)
    tiered = _tiered(sentence, kept)
    hint = ""
    if tiered:  # the words before the first tier name the metric: 上门时限:市区4小时、郊区8小时
        first = kept[0]
        label = _label(sentence, first)
        lead = sentence[: sentence.rfind(label, 0, first.start)] if label else ""
        hint = _STRIP.sub("", re.sub(r"^[(（][^)）]*[)）]", "", lead))[-10:] or _STRIP.sub("", title)[-10:]
    for q in kept:
        metric = map_metric(q.unit, q.start, sentence, metrics, title)
        suggested = None if metric else suggest_metric(sentence, q, hint, title)
        direction = metrics[metric].direction if metric else suggested.direction  # type: ignore[union-attr]
        if (
            metric == "return-exchange-processing-time"
            and "return-request-window" in metrics
            and _is_window(sentence, q)
        ):
            metric, direction = "return-request-window", metrics["return-request-window"].direction  # 7日内可退货
        p0, p1 = _phrase_of(sentence, q.start)
        label = _label(sentence, q)
        confidence = 0.5 + (0.25 if q.stated else 0) + (0.15 if metric else 0) - (0.1 if tiered else 0)
        proposals.append(
            Proposal(
                comparator=_comparator(sentence, q, direction),
                value=q.value,
                upper=q.upper,
                unit=q.unit,
                clock=q.clock,
                quote=_quote(sentence, q),
                start=q.start,
                end=q.end,
                metric=metric,
                suggested=suggested,
                nature=nature_in(sentence, q.start, q.end),
                population=_population(label, sentence[p0:p1], tiered, None if tiered else _scope(sentence, q)),
                confidence=round(confidence, 2),
                stated=q.stated,
            )
        )
    return proposals, left_out
