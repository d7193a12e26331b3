"""Generated handbook pages (`book/generated/`) from a loaded corpus.

Deterministic: the same corpus gives the same bytes. Returns a mapping of
relative path -> page text; writing is the caller's job.
"""

from __future__ import annotations

from servicekb.book.markdown import table, text
from servicekb.corpus import Corpus
from servicekb.models import Clause, Section, Standard, Target
from servicekb.models.standard import SectionStatus

__all__ = ["render_pages"]

_STATUS = {SectionStatus.body: "", SectionStatus.toc_only: "（仅见于目录，原文无正文）", SectionStatus.truncated: "（原文在此处中断）"}
_COMP = {"<=": "≤", "<": "<", ">=": "≥", ">": ">", "==": "=", "between": "介于"}


def _target_row(t: Target, metric_name: str) -> list[str]:
    value = f"{t.value:g}" if t.upper is None else f"{t.value:g}–{t.upper:g}"
    return [text(metric_name), text(_COMP[t.comparator.value]), text(value), text(t.unit.value), text(t.nature.value), text(t.quote)]


def _clause(c: Clause, corpus: Corpus) -> list[str]:
    out = [f"**{text(c.id)}** · {c.kind.value} · {c.modality.value} · {c.stage.value}", "", text(c.text), ""]
    if c.targets:
        rows = []
        for t in c.targets:
            metric = corpus.metrics.get(t.metric)
            rows.append(_target_row(t, metric.name.zh if metric else t.metric))
        out += [table(["指标 Metric", "比较", "目标值", "单位", "性质", "原文"], rows), ""]
    if c.citations:
        cites = []
        for ref in c.citations:
            cit = corpus.citations.get(ref.citation)
            label = (cit.identifier or cit.title or cit.id) if cit else ref.citation
            status = cit.status.value if cit else "unknown"
            cites.append(f"{text(label)}（{status}）")
        out += ["引用：" + "；".join(cites), ""]
    if c.provenance:
        out += [f"> 原文：{text(c.provenance.quote)}", ""]
    return out


def _section(sec: Section, depth: int, corpus: Corpus) -> list[str]:
    title = text(sec.title.zh) + (f" · {text(sec.title.en)}" if sec.title.en else "")
    out = ["#" * min(depth, 6) + f" {text(sec.number)} {title}{_STATUS[sec.status]}", ""]
    if sec.note:
        out += [f"*{text(sec.note)}*", ""]
    for c in sec.clauses:
        out += _clause(c, corpus)
    for sub in sec.sections:
        out += _section(sub, depth + 1, corpus)
    return out


def render_standard(std: Standard, corpus: Corpus) -> str:
    """One page per standard: its sections in order with every clause."""
    out = [f"# {text(std.title.zh)}", ""]
    if std.title.en:
        out += [f"*{text(std.title.en)}*", ""]
    out += [f"来源：{text(std.source.title)}（{text(std.source.seed)}）", ""]
    if std.source.cut_off:
        out += [f"原文在第 {text(std.source.cut_off.section)} 节中断：“{text(std.source.cut_off.quote)}”", ""]
    for sec in std.sections:
        out += _section(sec, 2, corpus)
    return "\n".join(out).rstrip() + "\n"


def render_pages(corpus: Corpus) -> dict[str, str]:
    """Every generated page by path relative to `book/generated/`."""
    pages = {}
    rows = []
    for sid in sorted(corpus.standards):
        std = corpus.standards[sid]
        pages[f"standards/{sid}.md"] = render_standard(std, corpus)
        n = sum(1 for _ in corpus.iter_clauses(sid))
        rows.append([text(std.title.zh), text(std.title.en or ""), str(n)])
    pages["standards.md"] = "# 标准 Standards\n\n" + table(["标准", "Standard", "条款数"], rows) + "\n"
    return pages
