"""The conflicts-and-agreements page: where standards set different or equal targets for one metric."""

from __future__ import annotations

from servicekb.book.clause_block import label_finding, link_metric, make_side_rows
from servicekb.book.context import BookContext
from servicekb.book.markdown import escape_text, make_table, make_target
from servicekb.issues import Issue

__all__ = ["render_conflicts"]

_SECTIONS = (
    ("target-conflict", "目标冲突 Conflicts",
     "同一指标、同一适用范围（或较宽范围的目标也约束较窄范围）却设定了互相矛盾的目标。采用多项标准的门店按更严格的目标执行，除非门店配置另有指定。"),
    ("target-scope-difference", "适用范围不同 Scope differences",
     "同一指标对不同适用范围（如门店与电话、一般与重大投诉）设定了不同目标：各自成立，读者应同时知道。"),
    ("target-agreement", "多项标准一致 Agreements",
     "两项或更多标准为同一指标、同一适用范围设定了相同的目标。"),
)

_RELATIONS = {"wider": "一方范围更宽", "narrower": "一方范围更窄", "siblings": "范围互不重叠", "overlapping": "范围部分重叠", "described": "范围仅以原文描述区分"}


def _block(ctx: BookContext, finding: Issue) -> list[str]:
    value = finding.value if isinstance(finding.value, dict) else {}
    head = f"**{link_metric(ctx, value.get('metric', ''))}**"
    if value.get("relation"):
        head += f" · {escape_text(_RELATIONS.get(value['relation'], value['relation']))}"
    if finding.code != "target-agreement" and value.get("comparable") is False:
        head += " · 无法直接比较严格程度"
    out = [make_target(label_finding(finding)), head, "", make_table(["条款 Clause", "目标 Target", "适用范围 Population", "原文 Quote"], make_side_rows(ctx, finding)), ""]
    out += [f"*{escape_text(finding.message)}*", ""]
    return out


def render_conflicts(ctx: BookContext) -> str:
    """Every conflict, difference of scope and agreement between targets, each anchored for the clause callouts."""
    out = ["# 冲突与一致 Conflicts and agreements", "",
           "由知识图谱比较所有标准中的明确目标得出（单位先换算到同一尺度；工作日与日历小时不能直接比较）。"
           "每个条款页上的提示框链接到这里，这里的每个条款也链接回去。", ""]
    counts = []
    for code, title, _ in _SECTIONS:
        counts.append([escape_text(title), str(len(ctx.select_findings(code)))])
    out += [make_table(["类别 Kind", "数量 Count"], counts), ""]
    for code, title, lead in _SECTIONS:
        findings = ctx.select_findings(code)
        out += [f"## {title}", "", lead, ""]
        if not findings:
            out += ["没有。", ""]
        for finding in findings:
            out += _block(ctx, finding)
    return "\n".join(out).rstrip() + "\n"
