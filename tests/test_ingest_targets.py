"""Target proposals (comparator, value, unit, clock), metric mapping, and clause classification."""

from __future__ import annotations

import pytest

from servicekb.ingest import ingest_text
from servicekb.ingest.classify import classify_kind, classify_modality, classify_stage, is_claim
from servicekb.ingest.targets import find_quantities, map_metric, nature_of, parse_number
from servicekb.models import LocalizedText, Metric, MetricCatalogue
from servicekb.types import Clock, Comparator, Direction, Kind, Modality, Stage, TargetNature, Unit

C = Comparator


@pytest.mark.parametrize(
    ("text", "comparator", "value", "upper", "unit", "clock"),
    [
        ("投诉应在24小时内响应", C.le, 24, None, Unit.hour, Clock.calendar),  # 内: inclusive upper bound
        ("满意度应达到90%以上", C.ge, 90, None, Unit.percent, None),  # 达到…以上: inclusive lower bound
        ("投诉率控制在1%以下", C.le, 1, None, Unit.percent, None),  # 以下
        ("损耗应控制在5%以内", C.le, 5, None, Unit.percent, None),  # 以内
        ("响应时间不超过30秒", C.le, 30, None, Unit.second, Clock.calendar),  # 不超过
        ("每次指导不少于30分钟", C.ge, 30, None, Unit.minute, Clock.calendar),  # 不少于
        ("问题解决率不低于95%", C.ge, 95, None, Unit.percent, None),  # 不低于
        ("等待时间超过15分钟的应致歉", C.gt, 15, None, Unit.minute, Clock.calendar),  # 超过: exclusive
        ("3个工作日内给予答复", C.le, 3, None, Unit.working_day, Clock.working_days),  # working days
        ("七日内可申请退货", C.le, 7, None, Unit.day, Clock.calendar),  # Chinese numeral + 日
        ("三天内完成上门", C.le, 3, None, Unit.day, Clock.calendar),  # 天
        ("时长控制在2-4小时", C.between, 2, 4, Unit.hour, Clock.calendar),  # range
        ("应在3至5个工作日办结", C.between, 3, 5, Unit.working_day, Clock.working_days),  # range with 至
        ("指数达到90分以上", C.ge, 90, None, Unit.point, None),  # 分 = points
        ("每季度一次培训", C.ge, 1, None, Unit.per_quarter, None),  # frequency, one by default
        ("每半年至少2次评估", C.ge, 2, None, Unit.per_half_year, None),  # frequency with count
        ("每年一次盘点", C.ge, 1, None, Unit.per_year, None),  # yearly
    ],
)
def test_find_quantities(text: str, comparator: Comparator, value: float, upper: float | None, unit: Unit, clock: Clock | None) -> None:
    (p,) = find_quantities(text)
    assert (p.comparator, p.value, p.upper, p.unit, p.clock) == (comparator, value, upper, unit, clock)
    assert p.quote in text


@pytest.mark.parametrize(
    "text",
    [
        "2025年服装零售行业发展迅速",  # a year is not a target
        "分析客户需求,分类处理",  # 分 in 分析/分类 is not points
        "共有30家门店参与",  # a count without comparator
    ],
)
def test_no_quantity(text: str) -> None:
    assert find_quantities(text) == []


def test_quote_includes_lead_in_verbatim() -> None:
    (p,) = find_quantities("处理流程:投诉处理应在24小时内完成初步响应")
    assert p.quote == "投诉处理应在24小时内"


@pytest.mark.parametrize(("text", "value"), [("24", 24.0), ("2.5", 2.5), ("七", 7.0), ("十五", 15.0), ("两", 2.0), ("x", None)])
def test_parse_number(text: str, value: float | None) -> None:
    assert parse_number(text) == value


UNITS = {
    "complaint-first-response-time": Unit.hour,
    "complaint-resolution-time": Unit.hour,
    "customer-satisfaction": Unit.percent,
    "training-frequency": Unit.per_quarter,
    "service-response-time": Unit.hour,
}


@pytest.mark.parametrize(
    ("sentence", "index", "metric"),
    [
        ("投诉处理应在24小时内完成初步响应,72小时内完成处理。", 0, "complaint-first-response-time"),  # response
        ("投诉处理应在24小时内完成初步响应,72小时内完成处理。", 1, "complaint-resolution-time"),  # subject earlier, action here
        ("客户满意度应达到90%以上。", 0, "customer-satisfaction"),  # percent
        ("培训应每季度一次。", 0, "training-frequency"),  # frequency
        ("门店面积应达到90%以上。", 0, None),  # percent of something not in the catalogue
        ("客户满意度问题应在24小时内回复。", 0, "service-response-time"),  # units must agree: not satisfaction
    ],
)
def test_map_metric(sentence: str, index: int, metric: str | None) -> None:
    proposal = find_quantities(sentence)[index]
    assert map_metric(proposal, sentence, UNITS) == metric


@pytest.mark.parametrize(
    ("context", "advisory", "nature"),
    [
        ("投诉应在24小时内", False, TargetNature.firm),  # plain requirement
        ("例如,我们承诺在24小时内", False, TargetNature.example),  # example
        ("培训周期一般为每季度一次", False, TargetNature.default_term),  # default wording
        ("根据《消费者权益保护法》第24条,消费者有权在七日内", False, TargetNature.legal_right),  # a law
        ("根据《售后服务质量管理办法》,维修需在24小时内", False, TargetNature.firm),  # 办法 is not a law
        ("建议每半年至少2次", True, TargetNature.advice),  # recommendation
    ],
)
def test_nature_of(context: str, advisory: bool, nature: TargetNature) -> None:
    assert nature_of(context, advisory) is nature


@pytest.mark.parametrize(
    ("text", "modality"),
    [
        ("服务人员必须佩戴工牌。", Modality.must),  # 必须
        ("严禁泄露客户信息。", Modality.must),  # 严禁
        ("服务人员应主动问候。", Modality.shall),  # 应
        ("企业需建立反馈机制。", Modality.shall),  # 需
        ("宜设置休息区。", Modality.should),  # 宜
        ("建议定期回访。", Modality.should),  # 建议
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

    return MetricCatalogue(metrics=[metric("customer-satisfaction", Unit.percent), metric("complaint-first-response-time", Unit.hour)])


def _targets(section) -> list:
    """Every target in a section and its subsections, in document order."""
    own = [t for c in section.clauses for t in c.targets]
    return own + [t for sub in section.sections for t in _targets(sub)]


def test_statistics_never_become_targets() -> None:
    raw = "第1章满意度1.1目标根据行业调查报告,客户满意度平均达到90%以上。研究表明,满意度可提升20%以上。客户满意度应达到85%以上。"
    result = ingest_text(raw, "demo", "demo.txt", _catalogue())
    targets = _targets(result.standard.sections[0])
    assert [(t.metric, t.value) for t in targets] == [("customer-satisfaction", 85.0)]
    kinds = [c.kind for c in result.standard.sections[0].sections[0].clauses]
    assert kinds == [Kind.informative, Kind.informative, Kind.requirement]


def test_unmapped_numbers_are_listed_in_the_note_not_targets() -> None:
    raw = "第1章门店1.1要求门店面积应达到90%以上。投诉应在24小时内响应。"
    standard = ingest_text(raw, "demo", "demo.txt", _catalogue()).standard
    assert [t.metric for t in _targets(standard.sections[0])] == ["complaint-first-response-time"]
    assert "demo#1.1.a: >= 90 percent «门店面积应达到90%以上»" in standard.note


def test_without_catalogue_nothing_is_a_target() -> None:
    standard = ingest_text("第1章投诉1.1时限投诉应在24小时内响应。", "demo", "demo.txt").standard
    assert _targets(standard.sections[0]) == []
    assert "<= 24 hour" in standard.note
