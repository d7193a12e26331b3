"""The graph page: an interactive view of the knowledge graph that stays readable with a thousand nodes.

Layout, deterministic and without randomness: clauses sit on an outer
circle in document order, one arc per standard; citations and metrics sit
on inner rings, each near the clauses that use it (ordered by the circular
mean angle of those clauses, then spaced evenly); store profiles sit in the
middle. Sections are not drawn: the arcs already show the documents'
order. Related clauses of two standards become chords across the circle.

The chart (altair) zooms and pans, highlights one standard chosen in a
list, filters edge types by clicking the legend, shows a clause's text on
hover and opens its page on click.
"""

from __future__ import annotations

import math
import posixpath
from collections import defaultdict
from typing import Any

from servicekb.book.context import BookContext
from servicekb.book.embed import make_chart_block
from servicekb.book.markdown import escape_text, make_table
from servicekb.graph.stats import compute_stats

__all__ = ["layout_graph", "make_graph_chart", "render_graph_page"]

GAP = 0.06
RINGS = {"clause": 1.0, "citation": 0.72, "metric": 0.45, "store": 0.15}
EDGES = ("related-to", "refers-to", "targets", "cites", "adopts", "overrides", "extends")
PAGE = "book/generated/graph"
_TYPES_ZH = {"standard": "标准", "clause": "条款", "metric": "指标", "citation": "引用文献", "store": "门店", "section": "章节"}


def _href(doc: str, anchor: str | None = None) -> str:
    """A link from the graph page to `doc` (a docname), with an anchor."""
    rel = posixpath.relpath(doc, posixpath.dirname(PAGE)) + ".html"
    return rel + (f"#{anchor}" if anchor else "")


def _point(angle: float, radius: float) -> tuple[float, float]:
    return round(radius * math.cos(angle), 4), round(radius * math.sin(angle), 4)


def _mean_angle(angles: list[float]) -> float:
    return math.atan2(sum(math.sin(a) for a in angles), sum(math.cos(a) for a in angles)) % (2 * math.pi)


def _clause_angles(ctx: BookContext) -> tuple[dict[str, float], dict[str, tuple[float, float]]]:
    entries = list(ctx.corpus.iter_clauses())
    standards = sorted(ctx.corpus.standards)
    usable = 2 * math.pi - GAP * len(standards)
    step = usable / max(1, len(entries))
    angles, arcs = {}, {}
    at = GAP / 2
    for sid in standards:
        start = at
        for e in (e for e in entries if e.standard_id == sid):
            angles[e.clause.id] = at
            at += step
        arcs[sid] = (start, at)
        at += GAP
    return angles, arcs


def _ring(ids: list[str], users: dict[str, list[float]]) -> dict[str, float]:
    ordered = sorted(ids, key=lambda i: (_mean_angle(users[i]) if users.get(i) else 7.0, i))
    step = 2 * math.pi / max(1, len(ordered))
    return {ident: k * step + step / 2 for k, ident in enumerate(ordered)}


def layout_graph(ctx: BookContext) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Nodes (id, type, label, x, y, standard, href) and edges (type, x, y, x2, y2, standards) to draw."""
    graph, corpus = ctx.graph, ctx.corpus
    angles, arcs = _clause_angles(ctx)
    users: dict[str, list[float]] = defaultdict(list)
    for u, v, data in graph.edges(data=True):
        if data.get("type") in ("targets", "cites") and graph.nodes[u]["ref"] in angles:
            users[v].append(angles[graph.nodes[u]["ref"]])
    nodes: dict[str, dict[str, Any]] = {}
    for cid, angle in angles.items():
        entry = corpus.clauses[cid]
        x, y = _point(angle, RINGS["clause"])
        nodes[f"clause:{cid}"] = {"id": cid, "type": "clause", "label": entry.clause.text[:80], "x": x, "y": y, "size": _SIZES["clause"],
                                  "group": corpus.standards[entry.standard_id].title.zh,
                                  "standard": entry.standard_id, "href": _href(f"book/generated/standards/{entry.standard_id}", cid)}
    for kind, doc, prefix in (("citation", "book/generated/citations", "citation-"), ("metric", "book/generated/metrics", "metric-")):
        ids = sorted(n for n, d in graph.nodes(data=True) if d["type"] == kind)
        for node, angle in _ring(ids, users).items():
            data = graph.nodes[node]
            x, y = _point(angle, RINGS[kind])
            nodes[node] = {"id": data["ref"], "type": kind, "label": str(data.get("label", ""))[:80], "x": x, "y": y,
                           "size": _SIZES[kind], "group": _GROUPS[kind],
                           "standard": "", "href": _href(doc, prefix + data["ref"])}
    stores = sorted(n for n, d in graph.nodes(data=True) if d["type"] == "store")
    for k, node in enumerate(stores):
        x, y = _point(2 * math.pi * k / max(1, len(stores)), RINGS["store"] if len(stores) > 1 else 0.0)
        data = graph.nodes[node]
        nodes[node] = {"id": data["ref"], "type": "store", "label": str(data.get("label", "")), "x": x, "y": y, "standard": "",
                       "size": _SIZES["store"], "group": _GROUPS["store"],
                       "href": _href(f"book/generated/stores/{data['ref']}")}
    for sid, (start, end) in arcs.items():
        x, y = _point((start + end) / 2, 1.2)
        nodes[f"standard:{sid}"] = {"id": sid, "type": "standard", "label": corpus.standards[sid].title.zh, "x": x, "y": y,
                                    "standard": sid, "href": _href(f"book/generated/standards/{sid}")}
    edges = []
    for u, v, data in graph.edges(data=True):
        kind = data.get("type")
        if kind not in EDGES or u not in nodes or v not in nodes:
            continue
        a, b = nodes[u], nodes[v]
        edges.append({"type": kind, "x": a["x"], "y": a["y"], "x2": b["x"], "y2": b["y"], "s1": a["standard"], "s2": b["standard"]})
    edges.sort(key=lambda e: (EDGES.index(e["type"]), e["x"], e["y"], e["x2"], e["y2"]))
    return sorted(nodes.values(), key=lambda n: (n["type"], n["id"])), edges


_GROUPS = {"citation": "引用文献 citation", "metric": "指标 metric", "store": "门店 store"}
_SIZES = {"clause": 28, "citation": 45, "metric": 110, "store": 160}
_SHAPES = {"clause": "circle", "citation": "diamond", "metric": "square", "store": "triangle-up"}
_COLORS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22", "#7f7f7f"]


def make_graph_chart(ctx: BookContext, nodes: list[dict[str, Any]], edges: list[dict[str, Any]]):
    """The layered altair chart of the laid-out graph."""
    import altair as alt

    standards = sorted(ctx.corpus.standards)
    names = [ctx.corpus.standards[s].title.zh for s in standards]
    choose = alt.param(name="standard", value="all", bind=alt.binding_select(options=["all", *standards], labels=["全部 all", *names], name="标准 Standard "))
    legend = alt.selection_point(fields=["type"], bind="legend")
    zoom = alt.selection_interval(bind="scales")
    axis = alt.Axis(labels=False, ticks=False, grid=False, domain=False, title=None)
    x = alt.X("x:Q", axis=axis, scale=alt.Scale(domain=[-1.45, 1.45]))
    y = alt.Y("y:Q", axis=axis, scale=alt.Scale(domain=[-1.45, 1.45]))
    picked = "standard == 'all' || datum.s1 == standard || datum.s2 == standard"
    lines = alt.Chart(alt.Data(values=edges)).mark_rule(strokeWidth=0.7).encode(
        x=x, y=y, x2="x2:Q", y2="y2:Q",
        color=alt.Color("type:N", title="关系 Edge (点击筛选 click to filter)", scale=alt.Scale(domain=list(EDGES), range=["#8a8a8a", "#9467bd", "#2ca02c", "#ff7f0e", "#d62728", "#e377c2", "#17becf"]),
                        legend=alt.Legend(orient="bottom", columns=4)),
        # Both tests in one vega-lite predicate: the legend's edge types and the chosen standard.
        opacity={"condition": {"test": {"and": [{"param": legend.name}, picked]}, "value": 0.22}, "value": 0.02},
    ).add_params(legend)
    groups = [*names, *_GROUPS.values()]
    points = alt.Chart(alt.Data(values=[n for n in nodes if n["type"] != "standard"])).mark_point(filled=True).encode(
        x=x, y=y,
        color=alt.Color("group:N", title="节点 Node", scale=alt.Scale(domain=groups, range=_COLORS[: len(names)] + ["#444444", "#000000", "#aa0000"]),
                        legend=alt.Legend(orient="bottom", columns=2)),
        shape=alt.Shape("type:N", legend=None, scale=alt.Scale(domain=list(_SHAPES), range=list(_SHAPES.values()))),
        size=alt.Size("size:Q", legend=None, scale=None),
        opacity=alt.when("standard == 'all' || datum.standard == standard || datum.standard == ''").then(alt.value(0.95)).otherwise(alt.value(0.1)),
        tooltip=[alt.Tooltip("id:N", title="标识 Id"), alt.Tooltip("group:N", title="所属 Group"), alt.Tooltip("label:N", title="内容 Text")],
        href="href:N",
    ).add_params(zoom, choose)
    labels = alt.Chart(alt.Data(values=[n for n in nodes if n["type"] == "standard"])).mark_text(fontSize=12, fontWeight="bold").encode(
        x=x, y=y, text="label:N", href="href:N")
    chart = alt.layer(lines, points, labels).resolve_scale(color="independent").properties(width=640, height=640)
    return chart.configure_view(stroke=None)


def render_graph_page(ctx: BookContext) -> str:
    """The graph page: counts, how to read the view, and the view itself."""
    stats = compute_stats(ctx.graph, top=10)
    nodes, edges = layout_graph(ctx)
    chart = make_graph_chart(ctx, nodes, edges)
    counts = [[escape_text(f"{_TYPES_ZH.get(k, k)} {k}"), str(v)] for k, v in stats.nodes.items()]
    counts += [[escape_text(f"关系 {k}"), str(v)] for k, v in stats.edges.items()]
    out = ["# 知识图谱 Graph", "",
           "标准、条款、指标、引用文献和门店配置之间的关系。外圈是全部条款（每段圆弧一项标准，按原文顺序），"
           "内圈是引用文献和指标（靠近引用它们的条款），中心是门店配置；跨越圆心的弦连接不同标准中内容相关的条款。", "",
           "用法：滚轮缩放、拖动平移；在“标准”列表中选一项标准突出显示；点击图例中的关系类型只看这一类；"
           "鼠标停在节点上显示内容，点击打开该条款、指标或文献所在的页面。", ""]
    out += make_chart_block("graph", chart.to_dict(validate=False))
    out += ["## 规模 Size", "", make_table(["类型 Type", "数量 Count"], counts), ""]
    return "\n".join(out).rstrip() + "\n"
