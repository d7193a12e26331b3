"""One clause as a block of a standard's page: anchor, kind, text, source, targets, citations, conflicts, see-also."""

from __future__ import annotations

import hashlib
import re

from servicekb.book.markdown import (
    escape_text,
    label_citation,
    label_metric,
    link_clause,
    make_admonition,
    make_link,
    make_table,
    make_target,
)
from servicekb.book.markers import mark_text, strip_markers
from servicekb.book.page_context import BookContext, ClauseNotes
from servicekb.book.vocab import (
    CITATION_STATUS,
    KIND,
    MODALITY,
    NATURE,
    STAGE,
    describe_population,
)
from servicekb.issues import Issue
from servicekb.models import Clause, Target

__all__ = [
    "is_same_population",
    "label_finding",
    "link_metric",
    "make_side_rows",
    "make_target_rows",
    "render_clause",
    "side_target",
]

TARGET_HEADER = ["指标 Metric", "要求 Target", "适用范围 Population", "性质 Nature", "原文 Quote"]


def label_finding(finding: Issue) -> str:
    """A stable label for a target finding: its code, metric and a digest of the clauses involved."""
    value = finding.value if isinstance(finding.value, dict) else {}
    sides = sorted(f"{s['clause']}:{s['target']}:{s['population']}" for s in value.get("sides", []))
    digest = hashlib.sha1("|".join([finding.code, *sides]).encode("utf-8")).hexdigest()[:10]
    return f"{finding.code}-{value.get('metric', 'x')}-{digest}"


def link_metric(ctx: BookContext, metric_id: str) -> str:
    """A link to a metric's catalogue entry, shown by its Chinese name (plain id when not catalogued)."""
    metric = ctx.corpus.metrics.get(metric_id)
    if metric is None:
        return escape_text(metric_id)
    return make_link(label_metric(metric_id), escape_text(metric.name.zh))


def make_target_rows(ctx: BookContext, targets: list[Target]) -> list[list[str]]:
    """Table rows of targets: metric, number, population, nature, quote."""
    return [
        [
            link_metric(ctx, t.metric),
            escape_text(t.bound.format()),
            escape_text(describe_population(t.population)),
            escape_text(NATURE[t.nature]),
            mark_text(t.quote),
        ]
        for t in targets
    ]


def is_same_population(finding: Issue) -> bool:
    """Whether a finding compares targets of one metric on one and the same population.

    Only then can one side be called stricter: for different populations
    (in store vs by phone, installation vs replacement) both rules hold, each
    in its own scope, and the page shows them side by side instead.
    """
    value = finding.value if isinstance(finding.value, dict) else {}
    return finding.code == "target-conflict" and not value.get("relation") and bool(value.get("comparable", True))


def make_side_rows(ctx: BookContext, finding: Issue, here: str | None = None) -> list[list[str]]:
    """One row per clause of a conflict or agreement: clause (this one marked), target, population, quote.

    `更严格` marks a side only when both sides speak of the same population.
    """
    value = finding.value if isinstance(finding.value, dict) else {}
    stricter = set(value.get("stricter", [])) if is_same_population(finding) else set()
    rows = []
    for side in value.get("sides", []):
        t = side_target(ctx, side)
        shown = "本条 this clause" if side["clause"] == here else None
        who = escape_text(shown) if shown else link_clause(side["clause"])
        number = escape_text(t.bound.format()) if t else escape_text(side["target"])
        if side["clause"] in stricter:
            number += " **更严格 stricter**"
        population = escape_text(describe_population(t.population)) if t else escape_text(side["population"])
        rows.append([who, number, population, mark_text(side["quote"])])
    return rows


def side_target(ctx: BookContext, side: dict) -> Target | None:
    """The target a side of a finding points at (its field path ends in `targets[i]`)."""
    entry = ctx.corpus.clauses.get(side["clause"])
    index = re.search(r"targets\[(\d+)\]$", str(side.get("path", "")))
    if entry is None or index is None or int(index[1]) >= len(entry.clause.targets):
        return None
    return entry.clause.targets[int(index[1])]


_CALLOUTS = {
    "conflicts": ("warning", "目标冲突 Conflict", "本条与下列条款对同一指标设定了互相矛盾的目标。"),
    "scopes": (
        "note",
        "适用范围不同 Scope difference",
        "下列条款对同一指标的不同适用范围设定了不同目标，可以同时成立。",
    ),
    "agreements": ("tip", "多项标准一致 Agreement", "下列条款在不同标准中设定了相同的目标。"),
}


def _callouts(ctx: BookContext, clause_id: str, notes: ClauseNotes) -> list[str]:
    out: list[str] = []
    for bucket, (kind, title, lead) in _CALLOUTS.items():
        for finding in getattr(notes, bucket):
            metric = finding.value.get("metric", "") if isinstance(finding.value, dict) else ""
            body = [f"{escape_text(lead)} 指标：{link_metric(ctx, metric)}。", ""]
            body += [
                make_table(
                    ["条款 Clause", "目标 Target", "适用范围 Population", "原文 Quote"],
                    make_side_rows(ctx, finding, clause_id),
                ),
                "",
            ]
            body += [f"详见 {make_link(label_finding(finding), escape_text('冲突与一致 Conflicts and agreements'))}。"]
            out += make_admonition(kind, title, body)
    return out


def _citations(ctx: BookContext, clause: Clause) -> list[str]:
    items = []
    for ref in clause.citations:
        cit = ctx.corpus.citations.get(ref.citation)
        if cit is None:
            items.append(f"- {escape_text(ref.citation)}")
            continue
        article = f" {escape_text(ref.article)}" if ref.article else ""
        items.append(
            f"- {make_link(label_citation(cit.id), escape_text(cit.label))}{article} · "
            f"{escape_text(CITATION_STATUS[cit.status])}"
        )
    return ["引用 Citations：", "", *items, ""] if items else []


def _see_also(notes: ClauseNotes, limit: int) -> list[str]:
    if not notes.related:
        return []
    shown = []
    for r in notes.related[:limit]:
        words = [w for w in (strip_markers(t).strip() for t in r.terms) if w][:3]
        shown.append(link_clause(r.clause) + (f"（{escape_text(' '.join(words))}）" if words else ""))
    return ["参见 See also：" + "；".join(shown), ""]


def render_clause(ctx: BookContext, c: Clause, see_also: int = 5) -> list[str]:
    """The lines of one clause block (of a standard or a store); the block is anchored by the clause id."""
    head = (
        f"**{escape_text(c.id)}** · {escape_text(KIND[c.kind])} · "
        f"{escape_text(MODALITY[c.modality])} · {escape_text(STAGE[c.stage])}"
    )
    if c.tags:
        head += " · " + " ".join(
            f"`{t}`" if t.replace("-", "").isalnum() and t.isascii() else escape_text(t) for t in c.tags
        )
    out = [make_target(c.id), head, "", mark_text(c.text), ""]
    if c.summary_en:
        out += [f"[{escape_text(c.summary_en)}]{{.en}}", ""]
    if c.provenance:
        out += [f"> 原文 Source：“{mark_text(c.provenance.quote)}”（{escape_text(c.provenance.seed)}）", ""]
    for gap in c.gaps:
        out += [f"> 原文缺字：“{escape_text(gap.after)}”之后似有漏字，正文照原文保留。{escape_text(gap.note)}", ""]
    if c.targets:
        out += [make_table(TARGET_HEADER, make_target_rows(ctx, c.targets)), ""]
    out += _citations(ctx, c)
    if c.references:
        out += [
            "参照 References："
            + "、".join(link_clause(r) if r in ctx.corpus.clauses else escape_text(r) for r in c.references),
            "",
        ]
    notes = ctx.get_notes(c.id)
    out += _callouts(ctx, c.id, notes)
    out += _see_also(notes, see_also)
    out += _source(ctx, c.id)
    return out


def _source(ctx: BookContext, clause_id: str) -> list[str]:
    """Where the clause is written: its YAML file (published with the book) and line, and an edit link when the book
    knows its repository.
    """
    where = ctx.locate_clause(clause_id)
    if where is None:
        return []
    file, line = where
    # Clause blocks live on pages three folders below the root (book/generated/<kind>/<id>.md).
    shown = make_link_file(f"../../../{file}", escape_text(f"{file} 第 {line} 行"))
    out = f"源文件 Source：{shown}"
    if ctx.repository_url:
        out += f" · [编辑 Edit](<{ctx.repository_url}/edit/{ctx.repository_branch}/{file}#L{line}>)"
    return [f"[{out}]{{.source-line}}", ""]


def make_link_file(path: str, shown: str) -> str:
    """A link to a repository file (published as a download by the build); `shown` must be markdown."""
    return f"[{shown}](<{path}>)"
