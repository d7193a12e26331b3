"""The citations page: every document the standards cite, its verification status, who cites it, and why some are
suspect.
"""

from __future__ import annotations

from collections import Counter

from servicekb.book.markdown import escape_text, label_citation, link_clause, make_link, make_table, make_target
from servicekb.book.page_context import BookContext
from servicekb.book.vocab import CITATION_STATUS
from servicekb.issues import Issue
from servicekb.models import Citation
from servicekb.types import VerificationStatus

__all__ = ["render_citations"]

_TYPES = {
    "national_standard": "国家标准",
    "industry_standard": "行业标准",
    "international_standard": "国际标准",
    "law": "法律",
    "regulation": "法规",
    "report": "报告",
    "document": "文件",
    "theory": "理论",
}

_ORDER = (
    VerificationStatus.suspect,
    VerificationStatus.repealed,
    VerificationStatus.unverified,
    VerificationStatus.verified,
)
_GROUPS = {
    VerificationStatus.suspect: (
        "可疑引用 Suspect",
        "编号与标题对不上，或所引文件并不存在。条款照原文记录引用，不作“更正”；读者不应依赖这些引用。",
    ),
    VerificationStatus.repealed: ("已废止 Repealed", "所引文件已经废止或被替代。"),
    VerificationStatus.unverified: ("未核实 Unverified", "尚未与原文件核对。"),
    VerificationStatus.verified: ("已核实 Verified", "已与原文件核对无误。"),
}


def _explain(ctx: BookContext, finding: Issue, here: str) -> str | None:
    value = finding.value if isinstance(finding.value, dict) else {}
    others = [item for item in value.get("citations", []) if (item["id"] if isinstance(item, dict) else item) != here]
    names = []
    for item in others:
        cid = item["id"] if isinstance(item, dict) else item
        other = ctx.corpus.citations.get(cid)
        if other is not None:
            names.append(make_link(label_citation(cid), escape_text(other.label)))
    if finding.code == "citation-title-conflict":
        return "同一编号在语料中还被冠以其他标题：" + "、".join(names) if names else None
    if finding.code == "citation-shared-title":
        return "同一标题还被用于其他编号的文件：" + "、".join(names) if names else None
    return None


def _entry(ctx: BookContext, c: Citation) -> list[str]:
    head = (
        f"**{escape_text(c.label)}** · "
        f"{escape_text(_TYPES.get(c.type.value, c.type.value))} · "
        f"{escape_text(CITATION_STATUS[c.status])}"
    )
    out = [make_target(label_citation(c.id)), head, ""]
    if c.note:
        out += [f"说明 Note：{escape_text(c.note)}", ""]
    for finding in ctx.citation_findings.get(c.id, []):
        line = _explain(ctx, finding, c.id)
        if line:
            out += [line, ""]
    users = ctx.citers.get(c.id, [])
    out += [
        f"引用条款 Cited by（{len(users)}）：" + ("、".join(link_clause(u) for u in users) if users else "无 none"),
        "",
    ]
    return out


def render_citations(ctx: BookContext) -> str:
    """The citations page, suspect citations first."""
    counts = Counter(c.status for c in ctx.corpus.citations.values())
    summary = [[escape_text(CITATION_STATUS[s]), str(counts[s])] for s in _ORDER]
    out = [
        "# 引用文献 Citations",
        "",
        "标准中引用的法律、标准和文件，按原文记录（编号和标题照录，不作更正），并注明核实状态。",
        "",
        make_table(["核实状态 Status", "数量 Count"], summary),
        "",
    ]
    for status in _ORDER:
        items = sorted((c for c in ctx.corpus.citations.values() if c.status is status), key=lambda c: c.id)
        if not items:
            continue
        title, lead = _GROUPS[status]
        out += [f"## {title}", "", lead, ""]
        for c in items:
            out += _entry(ctx, c)
    return "\n".join(out).rstrip() + "\n"
