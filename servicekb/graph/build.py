"""Building the knowledge graph: a networkx multi-digraph from a loaded corpus.

Nodes are standards, sections, clauses, metrics, citations and store
profiles; edges are typed (`contains`, `targets`, `cites`, `refers-to`,
`related-to`, `adopts`, `overrides`, `extends`). Every attribute is a plain
scalar (str, int, float, bool; never None, never a list) so that GraphML
and node-link JSON both carry the graph without loss.

Node ids are `<type>:<id>` (`clause:retail-guide#6.1.c`, `metric:csi-score`)
because a section and a clause may share a number; the bare id is the `ref`
attribute (not `id`, which node-link JSON uses for the node id). Edges are
keyed `<type>` or `<type>:<index>` (a clause may target one metric twice).
"""

from __future__ import annotations

from enum import Enum
from typing import Any

import networkx as nx

from servicekb.corpus import Corpus, FileKey, iter_sections
from servicekb.gcpause import gc_paused
from servicekb.issues import format_path
from servicekb.models import Clause, Section, Standard, StoreProfile

__all__ = [
    "EDGE_TYPES",
    "NODE_TYPES",
    "build_graph",
    "node_id",
    "section_key",
]

NODE_TYPES = ("standard", "section", "clause", "metric", "citation", "store")
EDGE_TYPES = ("contains", "targets", "cites", "refers-to", "related-to", "adopts", "overrides", "extends")


def node_id(kind: str, ident: str) -> str:
    """The graph node id of an object: `<type>:<id>`."""
    return f"{kind}:{ident}"


def _plain(**attrs: Any) -> dict[str, Any]:
    """Drop None, turn enums into their values and lists into space-joined text."""
    out = {}
    for key, value in attrs.items():
        if value is None:
            continue
        if isinstance(value, Enum):
            value = value.value
        elif isinstance(value, (list, tuple)):
            value = " ".join(v.value if isinstance(v, Enum) else str(v) for v in value)
        out[key] = value
    return out


def section_key(number: str, parent: str | None) -> str:
    """A section's id inside its standard: `1.2` stays `1.2`; `(一)` under `二` becomes `二.(一)`."""
    if parent is None or number.startswith(parent + "."):
        return number
    return f"{parent}.{number}"


def _add_clause(graph: nx.MultiDiGraph, clause: Clause, owner: dict[str, Any], path: tuple, file: str) -> str:
    cid = node_id("clause", clause.id)
    # Built by hand rather than with _plain: this runs once per clause (50,000 in the benchmark).
    attrs = {
        "type": "clause",
        "ref": clause.id,
        "label": clause.id,
        "text": clause.text,
        "kind": clause.kind.value,
        "modality": clause.modality.value,
        "stage": clause.stage.value,
        "file": file,
        "path": format_path(path),
        **owner,
    }
    if clause.summary_en:
        attrs["summary_en"] = clause.summary_en
    if clause.tags:
        attrs["tags"] = " ".join(clause.tags)
    if clause.provenance:
        attrs["seed"] = clause.provenance.seed
    graph.add_node(cid, **attrs)
    for i, t in enumerate(clause.targets):
        pop = t.population
        graph.add_edge(
            cid,
            node_id("metric", t.metric),
            key=f"targets:{i}",
            **_plain(
                type="targets",
                index=i,
                **t.bound.to_plain(population=False),  # the population follows, with its fields
                nature=t.nature,
                quote=t.quote,
                population=pop.describe(),
                ticket_kind=pop.ticket_kind,
                severity=pop.severity,
                channels=pop.channels or None,
                topic=pop.topic,
                in_warranty=pop.in_warranty,
                population_note=pop.note,
            ),
        )
    return cid


def _add_standard(graph: nx.MultiDiGraph, std: Standard, file: str) -> None:
    sid = node_id("standard", std.id)
    graph.add_node(
        sid,
        **_plain(
            type="standard",
            ref=std.id,
            label=std.title.zh,
            title=std.title.zh,
            title_en=std.title.en,
            status=std.status,
            edition=std.edition,
            seed=std.source.seed,
            industries=std.scope.industries,
            file=file,
        ),
    )
    keys: dict[int, str] = {}
    for sec, chain, path in iter_sections(std.sections):
        parent: Section | None = chain[-2] if len(chain) > 1 else None
        key = section_key(sec.number, keys[id(parent)] if parent is not None else None)
        keys[id(sec)] = key
        secid = node_id("section", f"{std.id}#{key}")
        graph.add_node(
            secid,
            **_plain(
                type="section",
                ref=f"{std.id}#{key}",
                label=f"{key} {sec.title.zh}",
                number=sec.number,
                title=sec.title.zh,
                title_en=sec.title.en,
                status=sec.status,
                standard=std.id,
                file=file,
                path=format_path(path),
            ),
        )
        up = node_id("section", f"{std.id}#{keys[id(parent)]}") if parent is not None else sid
        graph.add_edge(up, secid, key="contains", type="contains")
        for j, clause in enumerate(sec.clauses):
            cid = _add_clause(
                graph, clause, {"standard": std.id, "section": f"{std.id}#{key}"}, (*path, "clauses", j), file
            )
            graph.add_edge(secid, cid, key="contains", type="contains")


def _add_store(graph: nx.MultiDiGraph, store: StoreProfile, file: str) -> None:
    sid = node_id("store", store.id)
    graph.add_node(
        sid,
        **_plain(
            type="store",
            ref=store.id,
            label=store.name,
            name=store.name,
            abstract=store.abstract,
            format=store.format,
            region=store.region,
            file=file,
        ),
    )
    if store.extends:
        graph.add_edge(sid, node_id("store", store.extends), key="extends", type="extends")
    for k, std in enumerate(store.adopts):
        graph.add_edge(sid, node_id("standard", std), key="adopts", type="adopts", rank=k)
    for k, o in enumerate(store.overrides):
        graph.add_edge(
            sid,
            node_id("metric", o.metric),
            key=f"overrides:{k}",
            **_plain(
                type="overrides",
                index=k,
                **o.bound.to_plain(),
                justification=o.justification,
                approver=o.approver,
                expires=o.expires.isoformat() if o.expires else None,
            ),
        )
    for j, clause in enumerate(store.local_clauses):
        cid = _add_clause(graph, clause, {"store": store.id}, ("local_clauses", j), file)
        graph.add_edge(sid, cid, key="contains", type="contains")


def _add_links(graph: nx.MultiDiGraph, clauses: list[Clause]) -> None:
    """References and citations, only towards nodes that exist (dangling ones are `validate` findings)."""
    for clause in clauses:
        cid = node_id("clause", clause.id)
        for k, ref in enumerate(clause.references):
            target = node_id("clause", ref)
            if target in graph and target != cid:
                graph.add_edge(cid, target, key=f"refers-to:{k}", type="refers-to", index=k)
        for k, cit in enumerate(clause.citations):
            target = node_id("citation", cit.citation)
            if target in graph:
                graph.add_edge(cid, target, key=f"cites:{k}", **_plain(type="cites", index=k, article=cit.article))


def build_graph(corpus: Corpus, *, related: bool = True, threshold: float | None = None) -> nx.MultiDiGraph:
    """Build the knowledge graph of a corpus.

    Args:
        corpus: The loaded knowledge base.
        related: Also compute `related-to` edges between clauses of different standards.
        threshold: Similarity above which clauses are related (default: `related.THRESHOLD`).
    """
    with gc_paused():
        graph = nx.MultiDiGraph(name="servicekb")
        for mid, m in corpus.metrics.items():
            graph.add_node(
                node_id("metric", mid),
                **_plain(
                    type="metric",
                    ref=mid,
                    label=m.name.zh,
                    name=m.name.zh,
                    name_en=m.name.en,
                    unit=m.unit,
                    direction=m.direction,
                    description=m.description,
                    file=corpus.files.get(FileKey.metrics()),
                ),
            )
        for cit_id, c in corpus.citations.items():
            graph.add_node(
                node_id("citation", cit_id),
                **_plain(
                    type="citation",
                    ref=cit_id,
                    label=c.identifier or c.title or cit_id,
                    identifier=c.identifier,
                    title=c.title,
                    citation_type=c.type,
                    status=c.status,
                    note=c.note,
                    file=corpus.files.get(FileKey.citations()),
                ),
            )
        for sid in sorted(corpus.standards):
            _add_standard(graph, corpus.standards[sid], corpus.files.get(FileKey.standard(sid), ""))
        for sid in sorted(corpus.stores):
            _add_store(graph, corpus.stores[sid], corpus.files.get(FileKey.store(sid), ""))
        # Edges towards a metric, standard or store that is not defined would
        # create attribute-less nodes; they are dangling references, reported
        # by validate, and dropped here.
        for n in [n for n, d in graph.nodes(data=True) if "type" not in d]:
            graph.remove_node(n)
        clauses = [e.clause for e in corpus.iter_clauses()] + [
            c for s in corpus.stores.values() for c in s.local_clauses
        ]
        _add_links(graph, clauses)
        if related:
            from servicekb.graph.related import THRESHOLD, find_related

            for pair in find_related(corpus, THRESHOLD if threshold is None else threshold):
                graph.add_edge(
                    node_id("clause", pair.first),
                    node_id("clause", pair.second),
                    key="related-to",
                    type="related-to",
                    score=round(pair.score, 4),
                    terms=" ".join(pair.terms),
                )
        return graph
