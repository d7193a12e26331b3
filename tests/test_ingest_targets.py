"""Target proposals (comparator, value, unit, clock), metric mapping, and clause classification."""

from __future__ import annotations

import pytest

from servicekb.ingest import ingest_text
from servicekb.ingest.classify import classify_kind, classify_modality, classify_stage, is_claim
from servicekb.ingest.targets import MetricInfo, Proposal, propose_targets
from servicekb.models import LocalizedText, Metric, MetricCatalogue, Severity
from servicekb.types import Comparator, Direction, Kind, Modality, Stage, TargetNature, Unit

C = Comparator
N = TargetNature

CATALOGUE = {
    "complaint-first-response-time": MetricInfo(Unit.hour, Direction.lower_is_better),
    "complaint-resolution-time": MetricInfo(Unit.hour, Direction.lower_is_better),
    "customer-satisfaction": MetricInfo(Unit.percent, Direction.higher_is_better),
    "complaint-rate": MetricInfo(Unit.percent, Direction.lower_is_better),
    "training-frequency": MetricInfo(Unit.per_quarter, Direction.higher_is_better),
    "service-response-time": MetricInfo(Unit.hour, Direction.lower_is_better),
    "repair-response-time": MetricInfo(Unit.hour, Direction.lower_is_better),
    "return-request-window": MetricInfo(Unit.day, Direction.higher_is_better),
}


def one(sentence: str, metrics: dict | None = None) -> Proposal:
    proposals, _ = propose_targets(sentence, CATALOGUE if metrics is None else metrics)
    assert len(proposals) == 1, proposals
    return proposals[0]


@pytest.mark.parametrize(
    ("sentence", "comparator", "value", "unit"),
    [
        ("投诉应在24小时内响应。", C.le, 24, Unit.hour),  # a modal verb
        ("8小时到场。", C.le, 8, Unit.hour),  # declarative SLA line: a deadline is an upper bound
        ("故障受理时间:20分钟。", C.le, 20, Unit.minute),  # after a colon
        ("客户满意度:95%。", C.ge, 95, Unit.percent),  # a satisfaction figure is a lower bound
        ("投诉率:1%。", C.le, 1, Unit.percent),  # a complaint rate is an upper bound
        ("提供7×24小时热线服务。", C.ge, 24, Unit.hour),  # round the clock
        ("巡检2次/年。", C.ge, 2, Unit.per_year),  # frequency
    ],
)
def test_every_commitment_is_proposed_without_a_modal_verb(
    sentence: str, comparator: Comparator, value: float, unit: Unit
) -> None:
    p = one(sentence)
    assert (p.comparator, p.value, p.unit) == (comparator, value, unit)
    assert p.quote in sentence


def test_a_metric_outside_the_catalogue_is_proposed_with_a_suggestion() -> None:
    p = one("上门安装应在48小时内完成。")
    assert p.metric is None
    assert p.suggested is not None
    assert p.suggested.unit is Unit.hour and p.suggested.direction is Direction.lower_is_better
    assert "installation" in p.suggested.id and p.suggested.id.endswith("time")
    assert p.suggested.name_zh.startswith("上门安装")


def test_a_catalogue_metric_is_mapped_when_the_words_name_it() -> None:
    proposals, _ = propose_targets("投诉处理应在24小时内完成初步响应,72小时内完成处理。", CATALOGUE)
    assert [p.metric for p in proposals] == ["complaint-first-response-time", "complaint-resolution-time"]
    assert all(p.suggested is None for p in proposals)


def test_units_must_agree_with_the_catalogue_metric() -> None:
    p = one("客户满意度问题应在24小时内回复。")
    assert p.metric == "service-response-time"  # not customer-satisfaction (percent)


@pytest.mark.parametrize(
    ("sentence", "labels", "values"),
    [
        ("上门服务时限:市区4小时、郊区8小时、外县市24小时。", ["市区", "郊区", "外县市"], [4, 8, 24]),
        ("一般故障24小时内修复,重大故障4小时内修复。", ["一般故障", "重大故障"], [24, 4]),
        # the modal words of servicekb.binding are no part of a label (务必 and 应该 were left in)
        ("一般故障务必24小时内修复,重大故障务必4小时内修复。", ["一般故障", "重大故障"], [24, 4]),
        ("一般故障应该24小时内修复,重大故障应该4小时内修复。", ["一般故障", "重大故障"], [24, 4]),
        ("市区需要4小时、郊区需要8小时到场。", ["市区", "郊区"], [4, 8]),  # 需要 is filler here
    ],
)
def test_tiers_give_one_target_each_with_its_population(sentence: str, labels: list[str], values: list[float]) -> None:
    proposals, _ = propose_targets(sentence, CATALOGUE)
    assert [p.population.note for p in proposals] == labels
    assert [p.value for p in proposals] == values
    assert all(p.comparator is C.le for p in proposals)


def test_severity_tier_sets_the_severity() -> None:
    proposals, _ = propose_targets("一般故障24小时内修复,重大故障4小时内修复。", CATALOGUE)
    assert [p.population.severity for p in proposals] == [Severity.normal, Severity.major]


@pytest.mark.parametrize(
    "sentence",
    [
        "数据显示,投诉处理后2周内满意度回升。",  # 数据显示
        "销售额同比增长12%。",  # 同比
        "客户满意度平均达到87.6分。",  # 平均
        "通过优化流程,响应时间缩短了30%。",  # 缩短了
        "某品牌推行标准化后,投诉率下降了15%。",  # a case result
        "76%的消费者认为服务影响购买决策。",  # a share of respondents
        "其中服务投诉占比最高,约65%。",  # 约 + 占比最
    ],
)
def test_statistics_are_left_out_never_proposed(sentence: str) -> None:
    proposals, left_out = propose_targets(sentence, CATALOGUE)
    assert proposals == []
    assert left_out and all(lo.reason == "statistic" for lo in left_out)


def test_a_requirement_after_a_statistic_in_one_sentence_is_proposed() -> None:
    proposals, left_out = propose_targets("数据显示满意度为80%,因此企业应在24小时内响应投诉。", CATALOGUE)
    assert [(p.value, p.unit) for p in proposals] == [(24, Unit.hour)]
    assert [(lo.value, lo.unit) for lo in left_out] == [(80, Unit.percent)]


@pytest.mark.parametrize(
    ("sentence", "nature"),
    [
        ("投诉应在24小时内响应。", N.firm),  # plain requirement
        ("8小时到场。", N.firm),  # declarative service level
        ("例如,我们承诺在24小时内处理订单。", N.example),  # 例如
        ("反馈处理应明确时间节点,如72小时内响应、3个工作日内解决。", N.example),  # 如 covers both
        ("例如,在咨询环节服务人员应做到:响应时间不超过30秒。", N.firm),  # 应 binds again after 例如
        ("如遇重大故障,应在4小时内到场。", N.firm),  # 如遇 is a condition, not an example
        ("培训周期一般为每季度一次。", N.default_term),  # 一般为
        ("退款通常在3个工作日内到账。", N.default_term),  # 通常
        ("建议每半年至少2次回访。", N.advice),  # 建议 without a binding verb
        ("门店宜每月开展一次自查。", N.advice),  # 宜
        ("消费者在购买商品后七日内有权退货。", N.legal_right),  # 有权
        ("我们提供7天无理由退换货服务。", N.legal_right),  # 无理由退换
        ("客户投诉率超过5%的门店应列为高风险区域。", N.classification),  # sorts stores into classes
        ("得分低于60分的门店评为不合格。", N.classification),  # 评为
    ],
)
def test_nature_follows_the_one_rule(sentence: str, nature: TargetNature) -> None:
    proposals, _ = propose_targets(sentence, CATALOGUE)
    assert proposals and {p.nature for p in proposals} == {nature}


@pytest.mark.parametrize(
    ("text", "modality"),
    [
        ("服务人员必须佩戴工牌。", Modality.must),  # 必须
        ("严禁泄露客户信息。", Modality.must),  # 严禁
        ("禁止在店内吸烟。", Modality.must),  # 禁止, as in servicekb.binding
        ("服务人员应主动问候。", Modality.shall),  # 应
        ("企业需建立反馈机制。", Modality.shall),  # 需
        ("宜设置休息区。", Modality.should),  # 宜
        ("建议定期回访。", Modality.should),  # 建议
        ("提倡使用环保包装。", Modality.should),  # 提倡, as in servicekb.binding
        ("客户需要企业提供及时的售后服务。", Modality.none),  # 需要 is "to need", not 需
        ("门店可提供试穿服务。", Modality.may),  # 可
        ("应急预案与响应流程。", Modality.none),  # 应急/响应 are not 应
        ("满足客户需求,可能提升体验。", Modality.none),  # 需求/可能 are not modal
    ],
)
def test_classify_modality(text: str, modality: Modality) -> None:
    assert classify_modality(text) is modality


@pytest.mark.parametrize(
    "text",
    [
        "根据中国服装行业协会发布的《2025年服装零售行业发展趋势报告》,未来五年内行业将增长。",  # 根据…报告
        "数据显示,投诉处理后2周内满意度回升。",  # 数据显示
        "研究表明,具备良好服务意识的员工,其客户满意度提升可达20%以上。",  # 研究表明
        "销售额同比增长12%。",  # 同比
        "客户满意度平均达到87.6分。",  # 平均…分
        "某零售企业通过培训,使投诉率下降12%。",  # a case result
        "标准化接待可提升顾客满意度达30%以上。",  # a claimed effect
    ],
)
def test_claims_are_informative(text: str) -> None:
    assert is_claim(text)
    assert classify_kind(text, classify_modality(text)) is Kind.informative


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("投诉应在24小时内响应。", Kind.requirement),  # shall
        ("建议每季度回访一次。", Kind.recommendation),  # should
        ("客户咨询是指客户通过电话了解产品。", Kind.definition),  # 是指
        ("服务是企业的核心竞争力。", Kind.informative),  # no modal verb
        ("消费者在购买商品后七日内有权退货。", Kind.requirement),  # a legal right binds the business
        ("根据《消费者权益保护法》,企业应依法退货。", Kind.requirement),  # a law is not a statistic
    ],
)
def test_classify_kind(text: str, kind: Kind) -> None:
    assert classify_kind(text, classify_modality(text)) is kind


@pytest.mark.parametrize(
    ("text", "context", "stage"),
    [
        ("投诉应在24小时内响应。", "", Stage.complaint),
        ("退换货需在24小时内处理。", "", Stage.after_sale),
        ("培训应每季度一次。", "", Stage.training),
        ("应保护客户隐私。", "", Stage.data_protection),
        ("应保持整洁。", "产品陈列规范", Stage.display),  # falls back to the section title
        ("应做到最好。", "", Stage.general),
    ],
)
def test_classify_stage(text: str, context: str, stage: Stage) -> None:
    assert classify_stage(text, context) is stage


def _catalogue() -> MetricCatalogue:
    def metric(mid: str, unit: Unit) -> Metric:
        return Metric(id=mid, name=LocalizedText(zh=mid), unit=unit, direction=Direction.higher_is_better)

    return MetricCatalogue(
        metrics=[metric("customer-satisfaction", Unit.percent), metric("complaint-first-response-time", Unit.hour)]
    )


def _targets(section) -> list:
    """Every target in a section and its subsections, in document order."""
    own = [t for c in section.clauses for t in c.targets]
    return own + [t for sub in section.sections for t in _targets(sub)]


def test_statistics_never_become_targets() -> None:
    raw = (
        "第1章满意度1.1目标根据行业调查报告,客户满意度平均达到90%以上。"
        "研究表明,满意度可提升20%以上。客户满意度应达到85%以上。"
    )
    result = ingest_text(raw, "demo", "demo.txt", _catalogue())
    targets = _targets(result.standard.sections[0])
    assert [(t.metric, t.value) for t in targets] == [("customer-satisfaction", 85.0)]
    kinds = [c.kind for c in result.standard.sections[0].sections[0].clauses]
    assert kinds == [Kind.informative, Kind.informative, Kind.requirement]


def test_unmapped_numbers_are_targets_with_a_suggested_metric() -> None:
    raw = "第1章门店1.1要求门店面积应达到90%以上。投诉应在24小时内响应。"
    standard = ingest_text(raw, "demo", "demo.txt", _catalogue()).standard
    targets = _targets(standard.sections[0])
    assert [t.metric for t in targets] == ["unmapped", "complaint-first-response-time"]
    assert targets[0].note and "建议" in targets[0].note
    assert "demo#1.1.a: >= 90 percent «门店面积应达到90%以上»" in standard.note


def test_without_catalogue_every_number_is_still_proposed() -> None:
    standard = ingest_text("第1章投诉1.1时限投诉应在24小时内响应。", "demo", "demo.txt").standard
    assert [(t.metric, t.comparator, t.value) for t in _targets(standard.sections[0])] == [("unmapped", C.le, 24)]


def test_a_declarative_service_level_becomes_a_requirement() -> None:
    standard = ingest_text("第1章时效\n1.1到场\n市区4小时到场。", "demo", "demo.txt").standard
    (clause,) = standard.sections[0].sections[0].clauses
    assert clause.kind is Kind.requirement and len(clause.targets) == 1


@pytest.mark.parametrize(
    ("sentence", "scope"),
    [
        ("到场时间（市区） | 4小时 |", "市区"),  # a table row: the scope in parentheses
        ("省会城市8小时内到场。", "省会城市"),  # a place before the number
        ("急修30分钟内到达现场。", "急修"),  # a class of job
        ("同城订单下单后2小时内送达。", "同城订单"),  # the event anchor 下单后 is not part of the scope
        ("消防设施每月检查一次。", "消防设施"),  # what a frequency applies to
        ("客户满意度不低于90%。", None),  # the metric is no scope
        ("坐席应在2小时内回电。", None),  # nor is the actor
        ("确保投诉在24小时内响应。", None),  # nor the kind of ticket the metric already names
    ],
)
def test_a_single_target_carries_the_scope_its_words_name(sentence: str, scope: str | None) -> None:
    (p,) = propose_targets(sentence, CATALOGUE)[0]
    assert p.population.note == scope


@pytest.mark.parametrize(
    ("sentence", "reason"),
    [
        ("超时的,甲方有权扣除当季服务费的5%。", "penalty"),  # a penalty is no target
        ("保修期外维修收取上门费30元。", "price or amount scope"),  # a price charged to the customer
        ("评分不低于4.6分(满分5分)。", "scale"),  # the 5 of 满分5分
        ("配送日前一天18:00前通知客户。", "time of day"),  # 一天 before a clock time
        ("设备年开机率不低于95%(按每年365天计)。", "calculation basis"),  # the 365
        ("维修超过15天仍未修好的,予以换货。", "trigger condition"),  # a condition, not a commitment
        ("24小时内回复率不低于95%。", "number inside a metric name"),  # the 24 names the metric
        ("员工每月不少于8学时培训。", "compound unit (duration per period)"),  # hours per month
        ("保安每日巡逻不少于4次。", "per-day or per-week frequency"),  # no per-day unit
    ],
)
def test_numbers_that_are_no_targets_are_left_out_with_their_reason(sentence: str, reason: str) -> None:
    proposals, left_out = propose_targets(sentence, CATALOGUE)
    assert reason in [lo.reason for lo in left_out]
    out = {(lo.value, lo.unit) for lo in left_out if lo.reason == reason}
    assert not any((p.value, p.unit) in out for p in proposals)  # what is left out is not also proposed


@pytest.mark.parametrize(
    ("sentence", "comparator", "value"),
    [
        ("顾客自购买之日起7日内可退货。", C.ge, 7),  # a window offered to the customer is at least N
        ("计划内停机需提前72小时通知甲方。", C.ge, 72),  # a lead time
        ("技师应在上门前30分钟电话告知客户。", C.ge, 30),  # 前N分钟
        ("客服专员岗前培训为期5天。", C.eq, 5),  # a fixed duration
        ("5分钟后再次叫醒。", C.eq, 5),  # N后
        ("差评回复率100%。", C.ge, 100),  # 100 % is a floor whatever the words
        ("退款应在7个工作日内完成。", C.le, 7),  # processing stays a deadline
    ],
)
def test_drafting_conventions_give_the_comparator(sentence: str, comparator: Comparator, value: float) -> None:
    p = one(sentence)
    assert (p.comparator, p.value) == (comparator, value)


def test_hours_per_day_are_a_target_hours_per_year_are_not() -> None:
    assert [(p.value, p.unit) for p in propose_targets("网点每日营业时间不少于7小时。", CATALOGUE)[0]] == [
        (7, Unit.hour)
    ]
    assert propose_targets("员工每年接受服务培训不少于24学时。", CATALOGUE)[0] == []
