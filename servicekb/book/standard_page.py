"""One page per standard: its facts, where its source breaks off, and its sections in document order."""

from __future__ import annotations

from collections import Counter

from servicekb.book.clause_block import render_clause
from servicekb.book.markdown import escape_text, label_standard, make_admonition, make_link, make_table, make_target
from servicekb.book.markers import mark_bilingual, mark_text
from servicekb.book.page_context import BookContext
from servicekb.book.vocab import KIND
from servicekb.corpus import ClauseEntry
from servicekb.models import Section, Standard
from servicekb.models.standard import SectionStatus

__all__ = ["render_standard", "render_standards_index"]

_HEADING_SUFFIX = {
    SectionStatus.body: "",
    SectionStatus.toc_only: "（仅见于目录）",
    SectionStatus.truncated: "（原文中断）",
}


def _facts(std: Standard, entries: list[ClauseEntry]) -> list[str]:
    kinds = Counter(e.clause.kind for e in entries)
    counted = " · ".join(f"{KIND[k]} {kinds[k]}" for k in KIND if kinds[k])
    rows = [
        ["标识 Id", escape_text(std.id)],
        ["状态 Status", "已审校 curated" if std.status.value == "curated" else "草稿 draft（未经人工审校）"],
        ["版本 Edition", escape_text(std.edition or "—")],
        ["适用行业 Industries", escape_text("、".join(std.scope.industries) or "—")],
        ["来源 Source", f"《{escape_text(std.source.title)}》（{escape_text(std.source.seed)}）"],
        ["条款 Clauses", f"{len(entries)}（{escape_text(counted)}）" if entries else "0"],
    ]
    return [make_table(["项目", "内容"], rows), ""]


def _cut_off(std: Standard) -> list[str]:
    cut = std.source.cut_off
    if cut is None:
        return []
    body = [
        f"抓取的原文在第 {escape_text(cut.section)} 节中断，最后的文字是：“{mark_text(cut.quote)}”。"
        "之后的内容本手册不补写；只见于目录的章节标为“仅见于目录”。"
    ]
    return make_admonition("warning", "原文不完整 Source cut off", body)


def _section(ctx: BookContext, std: Standard, sec: Section, depth: int) -> list[str]:
    title = escape_text(sec.title.zh) + (f" · [{escape_text(sec.title.en)}]{{.en}}" if sec.title.en else "")
    out = ["#" * min(depth, 6) + f" {escape_text(sec.number)} {title}{_HEADING_SUFFIX[sec.status]}", ""]
    if sec.status is SectionStatus.toc_only:
        out += ["*仅见于目录 toc-only：原文只在目录中列出本节标题，没有正文。*", ""]
    elif sec.status is SectionStatus.truncated:
        cut = std.source.cut_off
        where = f"，最后的文字：“{mark_text(cut.quote)}”" if cut and cut.section == sec.number else ""
        out += [f"*原文中断 truncated：原文在本节中途中断{where}。*", ""]
    if sec.note:
        out += [f"*{mark_bilingual(sec.note)}*", ""]
    for clause in sec.clauses:
        out += render_clause(ctx, clause)
    for sub in sec.sections:
        out += _section(ctx, std, sub, depth + 1)
    return out


def render_standard(ctx: BookContext, std: Standard) -> str:
    """The page of one standard, every clause anchored by its id."""
    listed = list(ctx.corpus.iter_clauses(std.id))
    out = [make_target(label_standard(std.id)), f"# {escape_text(std.title.zh)}", ""]
    if std.title.en:
        out += [f"[{escape_text(std.title.en)}]{{.en}}", ""]
    out += _facts(std, listed)
    out += _cut_off(std)
    if std.note:
        out += [f"说明 Note：{mark_bilingual(std.note)}", ""]
    for sec in std.sections:
        out += _section(ctx, std, sec, 2)
    return "\n".join(out).rstrip() + "\n"


def render_standards_index(ctx: BookContext) -> str:
    """The chapter page listing every standard."""
    rows = []
    for sid in sorted(ctx.corpus.standards):
        std = ctx.corpus.standards[sid]
        entries = list(ctx.corpus.iter_clauses(sid))
        requirements = sum(1 for e in entries if e.clause.kind.value == "requirement")
        targets = sum(len(e.clause.targets) for e in entries)
        complete = "否，原文中断" if std.source.cut_off else "是"
        english = f"[{escape_text(std.title.en)}]{{.en}}" if std.title.en else ""
        rows.append(
            [
                make_link(label_standard(sid), escape_text(std.title.zh)),
                english,
                str(len(entries)),
                str(requirements),
                str(targets),
                complete,
            ]
        )
    lead = (
        "每项标准一页：章节按原文顺序排列，每条条款以其标识为锚点，附原文引用、"
        "数值目标、引用文献的核实状态、与其他标准的冲突和相关条款。"
    )
    header = ["标准", "Standard", "条款 Clauses", "要求 Requirements", "目标 Targets", "原文完整 Complete"]
    return "\n".join(["# 标准 Standards", "", lead, "", make_table(header, rows), ""])
