"""The conflicts-and-agreements page: where standards set different or equal targets for one metric.

Honest labels: a side is called `更严格` only when both sides set a target
for the same metric and the same population. Targets for different
populations (in store vs by phone, installation vs replacement) are shown
side by side as a difference of scope, each rule holding in its own scope;
a wider population's target that also binds a narrower one is a conflict,
but neither side is "stricter" in general. Every summary is a Chinese
sentence built from the targets, never the graph's English message.
"""

from __future__ import annotations

from servicekb.book.clause_block import is_same_population, label_finding, link_metric, make_side_rows, side_target
from servicekb.book.markdown import escape_text, link_clause, make_table, make_target
from servicekb.book.markers import mark_text
from servicekb.book.page_context import BookContext
from servicekb.book.vocab import describe_population
from servicekb.issues import Issue
from servicekb.models import Target

__all__ = ["describe_finding", "render_conflicts"]

_SECTIONS = (
    (
        "target-conflict",
        "目标冲突 Conflicts",
        "同一指标、同一适用范围却设定了互相矛盾的目标（或较宽范围的目标也约束较窄范围，而较窄范围的目标更宽松）。"
        "只有适用范围相同时才标出“更严格”的一方；采用多项标准的门店按更严格的目标执行，除非门店配置另有指定。",
    ),
    (
        "target-scope-difference",
        "适用范围不同 Scope differences",
        "同一指标对不同的适用范围（如门店与电话、安装与更换）设定了不同目标。两条规定各管各的范围，并不矛盾，"
        "也不比较哪一条“更严格”：下表把两者并排列出，读者应同时知道。",
    ),
    ("target-agreement", "多项标准一致 Agreements", "两项或更多标准为同一指标、同一适用范围设定了相同的目标。"),
)

_RELATIONS = {
    "wider": "一方的适用范围包含另一方",
    "siblings": "适用范围互不重叠",
    "overlapping": "适用范围部分重叠",
    "described": "适用范围只在原文描述上不同",
}


def _words(t: Target) -> str:
    return t.bound.format("zh-words")


def _sides(ctx: BookContext, finding: Issue) -> list[tuple[dict, Target | None]]:
    value = finding.value if isinstance(finding.value, dict) else {}
    return [(side, side_target(ctx, side)) for side in value.get("sides", [])]


def describe_finding(ctx: BookContext, finding: Issue) -> str:
    """One Chinese sentence (markdown, escaped) that says what a finding means for a reader."""
    value = finding.value if isinstance(finding.value, dict) else {}
    sides = [(s, t) for s, t in _sides(ctx, finding) if t is not None]
    if not sides:
        return ""
    listing = "；".join(
        f"{link_clause(s['clause'])} 要求{escape_text(_words(t))}（{escape_text(describe_population(t.population))}）"
        for s, t in sides
    )
    if finding.code == "target-agreement":
        standards = len({s["standard"] for s, _ in sides})
        return f"{standards} 项标准对同一适用范围都要求{escape_text(_words(sides[0][1]))}：{listing}。"
    if finding.code == "target-scope-difference":
        return (
            f"{listing}。{escape_text(_RELATIONS.get(value.get('relation', ''), '适用范围不同'))}，"
            "两条规定各自适用，不比较严格程度。"
        )
    if is_same_population(finding):
        stricter = [t for s, t in sides if s["clause"] in set(value.get("stricter", []))]
        tail = f"更严格的是{escape_text(_words(stricter[0]))}；两条同时适用时按更严格的执行。" if stricter else ""
        return f"同一适用范围内目标不同：{listing}。{tail}"
    if value.get("relation"):
        return (
            f"{listing}。较宽范围的目标同样约束较窄的范围，而较窄范围写的目标反而更宽松："
            "在较窄的范围内两条规定不能同时满足，需要核对原文。"
        )
    return f"{listing}。计时方式或单位不同，无法直接比较哪一条更严格，需要核对原文。"


def _side_by_side(ctx: BookContext, finding: Issue) -> str:
    """The sides as columns: clause, population, target and quote read across."""
    sides = _sides(ctx, finding)
    header = ["", *[f"范围 {i + 1}" for i in range(len(sides))]]
    rows = [
        [
            "适用范围",
            *[
                f"**{escape_text(describe_population(t.population))}**" if t else escape_text(s["population"])
                for s, t in sides
            ],
        ],
        ["目标", *[escape_text(t.bound.format()) if t else escape_text(s["target"]) for s, t in sides]],
        ["条款", *[link_clause(s["clause"]) for s, _ in sides]],
        ["原文", *[mark_text(s["quote"]) for s, _ in sides]],
    ]
    return make_table(header, rows)


def _block(ctx: BookContext, finding: Issue) -> list[str]:
    value = finding.value if isinstance(finding.value, dict) else {}
    head = f"**{link_metric(ctx, value.get('metric', ''))}**"
    if finding.code == "target-scope-difference" or (finding.code == "target-conflict" and value.get("relation")):
        head += f" · {escape_text(_RELATIONS.get(value.get('relation', ''), '适用范围不同'))}"
        table = _side_by_side(ctx, finding)
    else:
        table = make_table(
            ["条款 Clause", "目标 Target", "适用范围 Population", "原文 Quote"], make_side_rows(ctx, finding)
        )
    return [make_target(label_finding(finding)), head, "", describe_finding(ctx, finding), "", table, ""]


def render_conflicts(ctx: BookContext) -> str:
    """Every conflict, difference of scope and agreement between targets, each anchored for the clause callouts."""
    out = [
        "# 冲突与一致 Conflicts and agreements",
        "",
        "由知识图谱比较所有标准中的明确目标得出（单位先换算到同一尺度；工作日与日历小时不能直接比较）。"
        "每个条款页上的提示框链接到这里，这里的每个条款也链接回去。",
        "",
    ]
    counts = []
    for code, title, _ in _SECTIONS:
        counts.append([escape_text(title), str(len(ctx.select_findings(code)))])
    out += [make_table(["类别", "数量"], counts), ""]
    for code, title, lead in _SECTIONS:
        findings = ctx.select_findings(code)
        out += [f"## {title}", "", lead, ""]
        if not findings:
            out += ["没有。", ""]
        for finding in findings:
            out += _block(ctx, finding)
    return "\n".join(out).rstrip() + "\n"
