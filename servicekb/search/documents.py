"""What can be found: every clause, metric and citation of a corpus as a search document.

A document carries what a hit shows (id, standard, section, text, targets
in words) and its searchable fields, each with a weight: the clause text
counts fully, its targets in words ("投诉首次响应时间 ≤ 24 小时") and its
English summary almost as much, tags, stage and section titles little, so
that the clause that says a thing outranks the clauses that merely sit
under a title saying it. `KIND_BOOST` ranks, for the same words, a
requirement with a firm target above informative text and statistics.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from servicekb.book.vocab import STAGE
from servicekb.corpus import ClauseEntry, Corpus
from servicekb.types import Kind, TargetNature

__all__ = ["FIELD_WEIGHTS", "KIND_BOOST", "SearchDocument", "clause_page", "collect_documents", "describe_target"]

# How much a word counts in each field (BM25F weights).
FIELD_WEIGHTS = {
    "text": 1.0,
    "summary": 1.0,
    "targets": 0.8,
    "tags": 0.4,
    "stage": 0.3,
    "titles": 0.3,
}

# Score multiplier by what a document is: a rule with a firm number answers a manager's question best.
KIND_BOOST = {
    "requirement-target": 1.6,
    "requirement": 1.25,
    "recommendation": 1.1,
    "definition": 0.9,
    "informative": 0.7,
    "statistics": 0.7,
    "metric": 0.6,
    "citation": 0.5,
    "store": 0.5,
}


@dataclass
class SearchDocument:
    """One thing a search can return, and where it lives in the handbook."""

    id: str
    type: str
    boost: str
    text: str
    page: str
    anchor: str
    standard: str = ""
    section: str = ""
    section_title: str = ""
    stage: str = ""
    kind: str = ""
    summary: str = ""
    metrics: list[str] = field(default_factory=list)
    targets: list[str] = field(default_factory=list)
    fields: dict[str, str] = field(default_factory=dict)


def clause_page(standard_id: str) -> str:
    """The handbook page (relative to the book's root) that holds a standard's clauses."""
    return f"book/generated/standards/{standard_id}.html"


def describe_target(corpus: Corpus, metric: str, number: str) -> str:
    """A target in words: the metric's Chinese name and the number (`投诉首次响应时间 ≤ 24 小时`)."""
    entry = corpus.metrics.get(metric)
    if entry is None:
        return f"{metric} {number}"
    return f"{entry.name.zh} {number}"


def _boost(entry: ClauseEntry) -> str:
    clause = entry.clause
    firm = any(t.nature is TargetNature.firm for t in clause.targets)
    if clause.kind is Kind.requirement:
        # A number given as an example (如72小时内响应) still answers "how long".
        return "requirement-target" if clause.targets else "requirement"
    if clause.targets and not firm and clause.kind is Kind.informative:
        return "statistics"
    return clause.kind.value


def _clause_document(corpus: Corpus, entry: ClauseEntry) -> SearchDocument:
    c = entry.clause
    targets = [describe_target(corpus, t.metric, t.bound.format()) for t in c.targets]
    english = [corpus.metrics[t.metric].name.en or "" for t in c.targets if t.metric in corpus.metrics]
    titles = [p for s in entry.sections for p in (s.title.zh, s.title.en or "")]
    return SearchDocument(
        id=c.id,
        type="clause",
        boost=_boost(entry),
        text=c.text,
        page=clause_page(entry.standard_id),
        anchor=c.id,
        standard=entry.standard_id,
        section=entry.section.number,
        section_title=entry.section.title.zh,
        stage=c.stage.value,
        kind=c.kind.value,
        summary=c.summary_en or "",
        metrics=sorted({t.metric for t in c.targets}),
        targets=targets,
        fields={
            "text": c.text,
            "summary": c.summary_en or "",
            "targets": " ".join(targets + english),
            "tags": " ".join(t.replace("-", " ") for t in c.tags),
            "stage": f"{STAGE[c.stage]} {c.stage.value.replace('-', ' ')}",
            "titles": " ".join(p for p in titles if p),
        },
    )


def collect_documents(corpus: Corpus) -> list[SearchDocument]:
    """Every clause (document order, standards by id), every metric and citation of the catalogues, every store page."""
    docs = [_clause_document(corpus, e) for e in corpus.iter_clauses()]
    for mid in sorted(corpus.metrics):
        m = corpus.metrics[mid]
        docs.append(
            SearchDocument(
                id=mid,
                type="metric",
                boost="metric",
                text=f"{m.name.zh}：{m.description or ''}".rstrip("："),
                page="book/generated/metrics.html",
                anchor=f"metric-{mid}",
                summary=m.name.en or "",
                metrics=[mid],
                fields={
                    "text": f"{m.name.zh} {m.description or ''}",
                    "summary": m.name.en or "",
                    "tags": mid.replace("-", " "),
                },
            )
        )
    for cid in sorted(corpus.citations):
        cit = corpus.citations[cid]
        shown = cit.label
        docs.append(
            SearchDocument(
                id=cid,
                type="citation",
                boost="citation",
                text=shown,
                page="book/generated/citations.html",
                anchor=f"citation-{cid}",
                fields={"text": shown},
            )
        )
    for sid in sorted(corpus.stores):
        store = corpus.stores[sid]
        about = " ".join(p for p in (store.region or "", store.format.value if store.format else "") if p)
        docs.append(
            SearchDocument(
                id=sid,
                type="store",
                boost="store",
                text=f"{store.name}（{sid}）" + (f" {about}" if about else ""),
                page=f"book/generated/stores/{sid}.html",
                anchor=f"store-{sid}",
                fields={"text": f"{store.name} {about}", "tags": sid.replace("-", " "), "stage": "门店 store"},
            )
        )
    return docs
