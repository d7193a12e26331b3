"""The store-profile reference page, generated from the JSON Schema of `StoreProfile`.

Every key of a profile and of the objects inside it (selectors, overrides,
populations, local clauses and their targets), its type, whether it is
required, its allowed values, and what it means in Chinese; the English
description of the model field follows as the bilingual half. A key the
schema has and this page cannot explain in Chinese fails the build's tests
(`describe_key` raises), so the reference never lags behind the model.
"""

from __future__ import annotations

from typing import Any

from servicekb.book.markdown import escape_text, make_table
from servicekb.book.vocab import FORMAT, KIND, MODALITY, NATURE, STAGE
from servicekb.models import StoreProfile
from servicekb.types import Kind, Modality, Stage, TargetNature
from servicekb.units import COMPARATOR_WORDS

__all__ = ["KEYS_ZH", "OBJECTS", "describe_key", "render_profile_reference"]

# (object, key) -> what the key means, in Chinese.
KEYS_ZH: dict[tuple[str, str], str] = {
    ("StoreProfile", "id"): "配置标识，小写字母、数字和连字符，与文件名（不含 .yaml）相同。",
    ("StoreProfile", "name"): "门店或基线的名称（简体中文）。",
    ("StoreProfile", "abstract"): "为 true 时是供其他配置继承的基线（品牌、区域），本身不评分。",
    ("StoreProfile", "extends"): "继承的上级配置，如门店继承区域基线、区域继承集团基线（group-baseline）。",
    ("StoreProfile", "format"): "门店业态。",
    ("StoreProfile", "region"): "所在地区或城市。",
    ("StoreProfile", "timezone"): "门店时间戳的时区（IANA 名称，如 Asia/Shanghai）。",
    ("StoreProfile", "opening_hours"): "营业时间，用于按工作时间计时的目标。",
    ("StoreProfile", "adopts"): "采用的标准（标准标识），按优先顺序排列。",
    ("StoreProfile", "include"): "选用的条款；留空表示采用标准中的全部条款。",
    ("StoreProfile", "exclude"): "在选用之后排除的条款；每一项是一个选择器。",
    ("StoreProfile", "overrides"): "门店自己的目标，替换标准中的目标。收紧可直接写；放宽必须写理由、批准人和有效期。",
    ("StoreProfile", "prefer"): "对这些指标不取更严格的目标，而取指定标准的目标（指标 → 标准标识）。",
    ("StoreProfile", "service_levels"): "时限类目标要求按时完成的事件比例（%，指标 → 比例）；不写时为 100。",
    ("StoreProfile", "local_clauses"): "门店自己增加的条款，标识为 <门店标识>#<编号>。",
    (
        "StoreProfile",
        "adopt_as_firm",
    ): "把选用条款中的举例、默认条款或建议值采纳为本店的明确目标（写明理由）；采纳后与其他明确目标一样参与合并和评分。",
    (
        "StoreProfile",
        "data_store_ids",
    ): "运营数据中属于本店的门店标识（如 s002）；数据按这里的标识归属门店，从不按顺序分配。",
    ("Adoption", "clause"): "被采纳数字所在的条款标识（须在本店选用的条款中）。",
    ("Adoption", "metric"): "要采纳的目标的指标标识（该条款上性质为举例、默认条款或建议值的目标）。",
    ("Adoption", "reason"): "本店为什么把这个数字作为承诺（简体中文）。",
    ("Selector", "clause"): "按标识选一条条款。",
    ("Selector", "section"): "选一个章节下的全部条款，写作 <标准标识>#<章节号>。",
    ("Selector", "stage"): "选一个服务阶段的全部条款。",
    ("Selector", "tag"): "选带有这个标签的全部条款。",
    ("Override", "metric"): "要替换其目标的指标标识。",
    ("Override", "population"): "被替换目标的适用范围。",
    ("Override", "comparator"): "新目标的比较方式。",
    ("Override", "value"): "新目标的数值（介于时为下限）。",
    ("Override", "upper"): "介于时的上限。",
    ("Override", "unit"): "数值的单位。",
    ("Override", "clock"): "时限类目标的计时方式：日历时间或工作日。时限目标应写明，以免与原目标的计时方式不一致。",
    ("Override", "justification"): "理由；放宽时必填。",
    ("Override", "approver"): "批准人；放宽时必填。",
    ("Override", "approved_on"): "批准日期（YYYY-MM-DD）。",
    ("Override", "expires"): "最后生效日期（YYYY-MM-DD）；放宽时必填，过期后恢复原目标。",
    ("OpeningHours", "opens"): "开门时间，HH:MM。",
    ("OpeningHours", "closes"): "关门时间，HH:MM。",
    ("Population", "ticket_kind"): "只适用于这一类工单。",
    ("Population", "severity"): "只适用于这一严重程度的工单。",
    ("Population", "channels"): "只适用于这些渠道；留空表示全部渠道。",
    ("Population", "topic"): "调查主题（overall、display 等）或工单类别。",
    ("Population", "in_warranty"): "只适用于保修期内（true）或保修期外（false）的维修。",
    ("Population", "note"): "原文对适用范围的描述（简体中文），上面的字段说不全时使用。",
    ("Clause", "id"): "条款标识 <门店标识>#<编号>。",
    ("Clause", "text"): "条款正文（简体中文）。",
    ("Clause", "summary_en"): "可选的一句英文摘要。",
    ("Clause", "kind"): "条款类型。",
    ("Clause", "modality"): "措辞强度。",
    ("Clause", "stage"): "所属服务阶段。",
    ("Clause", "tags"): "标签（小写字母和连字符），用于选择和搜索。",
    ("Clause", "targets"): "条款中的数值目标。",
    ("Clause", "references"): "本条参照的其他条款。",
    ("Clause", "citations"): "本条引用的文件、标准和法律。",
    ("Clause", "gaps"): "原文似有漏字之处：正文照原文保留，在这里标出漏字位置（after）和说明（note）。",
    ("Gap", "after"): "漏字之前的原文字句（须出现在条款正文中）。",
    ("Gap", "note"): "似乎漏掉了什么、依据是什么（简体中文）。",
    ("Clause", "provenance"): "原文来源（种子文件和原文引用）；标准中的条款必填。",
    ("Target", "metric"): "目标约束的指标（standards/metrics.yaml 中的标识）。",
    ("Target", "comparator"): "实际值与数值的比较方式（介于时用数值和上限）。",
    ("Target", "value"): "目标数值，介于时为下限。",
    ("Target", "upper"): "上限；只在介于时填写。",
    ("Target", "unit"): "数值的单位，须与指标的单位同类。",
    ("Target", "clock"): "时限类目标的计时方式：日历时间或按中国工作日历的工作日。",
    ("Target", "population"): "目标适用的事件范围。",
    ("Target", "nature"): "目标性质：只有明确目标参与比较和评分；分级阈值显示为分级标志；其他只记录原文提到的数字。",
    ("Target", "flag"): "只用于分级阈值：数字达到阈值时门店归入的类别，用条款原话（如“高风险区域”）。",
    ("Target", "quote"): "原文中写出这个数字的原话。",
    ("Target", "note"): "整理者的备注。",
    ("Provenance", "seed"): "原文档的文件名。",
    ("Provenance", "quote"): "原文的一段原话（约 60 字以内）。",
    ("CitationRef", "citation"): "引用文献的标识（standards/citations.yaml）。",
    ("CitationRef", "article"): "所引条文，如“第24条”。",
}

OBJECTS = (
    (
        "StoreProfile",
        "门店配置 Store profile",
        "一个 stores/*.yaml 文件的顶层。"
        "第一行写 `# yaml-language-server: $schema=../schemas/store-profile.schema.json`，"
        "编辑器就能补全和检查这些键。",
    ),
    ("Selector", "选择器 Selector", "include 和 exclude 的每一项：一个映射，写下面四个键中的一个。"),
    ("Override", "覆盖 Override", "overrides 的每一项：替换一个指标在某个适用范围上的目标。"),
    ("Population", "适用范围 Population", "目标适用的事件或回答；不写任何键表示全部。"),
    ("OpeningHours", "营业时间 Opening hours", ""),
    ("Clause", "本店条款 Local clause", "local_clauses 的每一项。"),
    ("Target", "数值目标 Target", "本店条款中 targets 的每一项。"),
    ("CitationRef", "引用 Citation", ""),
    ("Provenance", "来源 Provenance", ""),
)

_ENUM_WORDS: dict[str, dict[str, str]] = {
    "Stage": {s.value: STAGE[s] for s in Stage},
    "Kind": {k.value: KIND[k] for k in Kind},
    "Modality": {m.value: MODALITY[m] for m in Modality},
    "TargetNature": {n.value: NATURE[n] for n in TargetNature},
    "StoreFormat": FORMAT,
    "Comparator": COMPARATOR_WORDS,
    "Clock": {"calendar": "日历时间", "working_days": "工作日"},
    "Severity": {"normal": "一般", "major": "重大"},
    "TicketKind": {
        "consultation": "咨询",
        "complaint": "投诉",
        "feedback": "反馈",
        "repair": "维修",
        "return_exchange": "退换货",
    },
    "Channel": {"in_store": "门店", "phone": "电话", "online": "线上", "app": "App", "social": "社交媒体"},
}

EXAMPLE = """\
# yaml-language-server: $schema=../schemas/store-profile.schema.json
id: hz-west-lake-store
name: 杭州西湖店
extends: region-east-china
format: street
region: 杭州
timezone: Asia/Shanghai
opening_hours: {opens: "10:00", closes: "22:00"}
adopts: [apparel-retail-2025]
exclude:
  - stage: emergency
  - clause: apparel-retail-2025#7.2.h
overrides:
  - metric: complaint-resolution-time
    population: {ticket_kind: complaint}
    comparator: "<="
    value: 24
    unit: hour
    clock: calendar
    justification: 门店设专职客服，投诉当日闭环。
    approver: 区域客服经理
    approved_on: "2026-03-01"
"""


def describe_key(obj: str, key: str) -> str:
    """What `key` of `obj` means, in Chinese; raises KeyError for a key nobody explained yet."""
    return KEYS_ZH[(obj, key)]


def _ref_name(spec: dict[str, Any]) -> str | None:
    ref = spec.get("$ref")
    return ref.rsplit("/", 1)[-1] if isinstance(ref, str) else None


def _type_of(spec: dict[str, Any], defs: dict[str, Any]) -> tuple[str, list[str]]:
    """A short type (`文本`, `列表（选择器）`) and the allowed values of an enum, with Chinese words."""
    if "anyOf" in spec:
        parts = [p for p in spec["anyOf"] if p.get("type") != "null"]
        return _type_of(parts[0], defs) if len(parts) == 1 else ("、".join(_type_of(p, defs)[0] for p in parts), [])
    name = _ref_name(spec)
    if name:
        target = defs.get(name, {})
        if "enum" in target:
            words = _ENUM_WORDS.get(name, {})
            return "取值", [f"`{v}`" + (f" {escape_text(words[v])}" if v in words else "") for v in target["enum"]]
        return f"映射（{name}）", []
    kind = spec.get("type")
    if kind == "array":
        inner, values = _type_of(spec.get("items", {}), defs)
        return f"列表（{inner}）", values
    if kind == "object":
        inner, _ = (
            _type_of(spec.get("additionalProperties", {}), defs)
            if isinstance(spec.get("additionalProperties"), dict)
            else ("值", [])
        )
        return f"映射（键 → {inner}）", []
    if "enum" in spec:
        return "取值", [f"`{v}`" for v in spec["enum"]]
    return {"string": "文本", "number": "数字", "integer": "整数", "boolean": "true 或 false"}.get(
        str(kind), str(kind or "—")
    ), []


def _object(name: str, spec: dict[str, Any], defs: dict[str, Any]) -> list[list[str]]:
    required = set(spec.get("required", []))
    rows = []
    for key in sorted(spec.get("properties", {}), key=lambda k: (k not in required, k)):
        field = spec["properties"][key]
        kind, values = _type_of(field, defs)
        english = field.get("description", "")
        meaning = escape_text(describe_key(name, key)) + (f" [{escape_text(english)}]{{.en}}" if english else "")
        rows.append(
            [f"`{key}`", escape_text(kind), "必填" if key in required else "可选", "；".join(values) or "—", meaning]
        )
    return rows


def render_profile_reference() -> str:
    """The reference page of store-profile keys (from `StoreProfile.model_json_schema()`)."""
    schema = StoreProfile.model_json_schema()
    defs = schema.get("$defs", {})
    out = [
        "# 门店配置参考 Store-profile reference",
        "",
        "门店配置（`stores/*.yaml`）中可以写的每一个键：类型、是否必填、允许的取值和含义。本页由 JSON Schema "
        "（`schemas/store-profile.schema.json`）生成，与 `servicekb validate` 的检查一致；"
        "写错的键会在校验信息中列出该处允许的键。",
        "",
        "## 示例 Example",
        "",
        "```yaml",
        EXAMPLE.rstrip(),
        "```",
        "",
    ]
    for name, title, lead in OBJECTS:
        spec = schema if name == "StoreProfile" else defs.get(name)
        if spec is None:
            continue
        out += [f"## {title}", ""]
        if lead:
            out += [lead, ""]
        out += [make_table(["键", "类型", "必填", "允许值", "含义"], _object(name, spec, defs)), ""]
    return "\n".join(out).rstrip() + "\n"
