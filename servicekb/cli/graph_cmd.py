"""`servicekb graph check|stats|export|neighbours`."""

from __future__ import annotations

import functools
from collections.abc import Callable
from enum import Enum
from pathlib import Path

import typer

from servicekb.cli import app
from servicekb.cli.common import (
    OutputFormat,
    RootOption,
    emit_json,
    exit_for,
    fail_usage,
    guard_output,
    load_valid_corpus,
    print_issues,
    resolve_root,
    write_output,
)


class ExportFormat(str, Enum):
    """Export formats of `servicekb graph export` (mirrors `servicekb.graph.export.GraphFormat`,
    which lives with networkx and is imported only when the command runs)."""

    graphml = "graphml"
    json = "json"


graph_app = typer.Typer(
    name="graph",
    help="The knowledge graph: conflicts, agreements, citations, structure; stats, export, neighbours.",
    no_args_is_help=True,
)
app.add_typer(graph_app, name="graph")


def _paused(command: Callable) -> Callable:
    """Run a command with the cyclic collector paused, restored when it returns or exits.

    The corpus and the graph live until the command ends: rescanning their
    millions of objects costs seconds per pass on 50,000 clauses and frees
    nothing (reference counting still frees what is dropped).
    """

    @functools.wraps(command)
    def run(*args, **kwargs):
        from servicekb.gcpause import gc_paused

        with gc_paused():
            return command(*args, **kwargs)

    return run


def _load(root: Path | None, action: str):
    """The validated corpus; exit 1 with every located error when the knowledge base has any."""
    return load_valid_corpus(resolve_root(root), action)


def _graph(root: Path | None, action: str):
    from servicekb.graph import build_graph

    result = _load(root, action)
    return result, build_graph(result.corpus)


@graph_app.command("check")
@_paused
def check(
    strict: bool = typer.Option(False, "--strict", help="Fail on warnings too (notes never fail)."),
    fmt: OutputFormat = typer.Option(OutputFormat.text, "--format", help="Output format."),
    root: Path = RootOption,
) -> None:
    """Report conflicts and agreements between targets, citation integrity and structure, each located."""
    from servicekb.graph import build_graph, check_graph
    from servicekb.validation import validate_repository

    # A checking command: the validation errors are its findings too, printed with the graph's.
    result = validate_repository(resolve_root(root))
    graph = build_graph(result.corpus)
    findings = print_issues(
        [*result.issues, *check_graph(graph, result.corpus, result.documents)], result.files_checked, fmt
    )
    exit_for(findings, strict)


@graph_app.command("stats")
@_paused
def stats(
    top: int = typer.Option(10, "--top", min=1, help="How many citations, metrics and related pairs to rank."),
    fmt: OutputFormat = typer.Option(OutputFormat.text, "--format", help="Output format."),
    root: Path = RootOption,
) -> None:
    """Counts by node and edge type, most-cited citations, most-targeted metrics, strongest related clauses."""
    from servicekb.graph.summary import compute_stats

    _, graph = _graph(root, "count")
    result = compute_stats(graph, top)
    if fmt is OutputFormat.json:
        emit_json(result.to_dict())
        return
    typer.echo("nodes: " + ", ".join(f"{k} {v}" for k, v in result.nodes.items()))
    typer.echo("edges: " + ", ".join(f"{k} {v}" for k, v in result.edges.items()))
    typer.echo("most-cited citations (clauses citing):")
    for row in result.most_cited:
        typer.echo(
            f"  {row['clauses']:4d}  {row['citation']}  {row['identifier']} 《{row['title']}》 [{row['status']}]"
        )
    typer.echo("most-targeted metrics (clauses targeting, firm targets):")
    for row in result.most_targeted:
        typer.echo(f"  {row['clauses']:4d} {row['firm_targets']:4d}  {row['metric']}  {row['name']}")
    typer.echo("strongest related clauses (cosine):")
    for row in result.related:
        typer.echo(f"  {row['score']:.2f}  {row['first']} ~ {row['second']}  ({row['terms']})")


@graph_app.command("export")
@_paused
def export(
    fmt: ExportFormat = typer.Option(
        ExportFormat.graphml, "--format", help="graphml (Gephi, yEd) or node-link json (networkx)."
    ),
    output: Path = typer.Option(
        None, "-o", "--output", help="File to write (default: standard output).", show_default=False
    ),
    force: bool = typer.Option(False, "--force", help="Replace the --output file if it exists."),
    root: Path = RootOption,
) -> None:
    """Write the whole graph as GraphML or node-link JSON, without loss."""
    from servicekb.graph.export import GraphFormat, graph_to_text

    if output is not None:
        guard_output(output, resolve_root(root), force=force)
    _, graph = _graph(root, "export")
    text = graph_to_text(graph, GraphFormat(fmt.value))
    if output is None:
        typer.echo(text, nl=False)
        return
    write_output(output, text)
    typer.echo(f"wrote {output}: {graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges", err=True)


def _edge_detail(edge: str, attrs: dict) -> str:
    if edge in ("targets", "overrides"):
        from servicekb.units import format_target

        number = format_target(
            attrs["comparator"], attrs["value"], attrs.get("upper"), attrs["unit"], attrs.get("clock"), "id"
        )
        return f"{number}, {attrs.get('nature', 'override')}, {attrs.get('population', 'all')}"
    if edge == "related-to":
        return f"score {attrs.get('score', 0):.2f}: {attrs.get('terms', '')}"
    if edge == "cites" and "article" in attrs:
        return str(attrs["article"])
    return ""


@graph_app.command("neighbours")
@_paused
def neighbours_cmd(
    ident: str = typer.Argument(
        ...,
        metavar="ID",
        help="A clause, metric, citation, section, standard or store id (or a node id like metric:csi-score).",
    ),
    depth: int = typer.Option(1, "--depth", min=1, max=5, help="How many edges away to look."),
    fmt: OutputFormat = typer.Option(OutputFormat.text, "--format", help="Output format."),
    root: Path = RootOption,
) -> None:
    """What a clause, metric or citation touches: nodes within DEPTH edges, either direction."""
    from servicekb.graph.query import find_nodes, neighbours

    _, graph = _graph(root, "look up")
    matches = find_nodes(graph, ident)
    if not matches:
        fail_usage(f"no clause, metric, citation, section, standard or store {ident!r} in the graph")
    if len(matches) > 1:
        fail_usage(f"{ident!r} is ambiguous: give one of " + ", ".join(matches))
    start = matches[0]
    found = neighbours(graph, start, depth)
    if fmt is OutputFormat.json:
        emit_json({"node": start, "depth": depth, "neighbours": [n.to_dict(graph) for n in found]})
        return
    typer.echo(f"{start}  {_caption(graph.nodes[start])}")
    for n in found:
        arrow = {"->": f"{n.edge}->", "<-": f"<-{n.edge}"}.get(n.direction, f"~{n.edge}~")
        detail = _edge_detail(n.edge, n.attrs)
        via = f"  (via {n.via})" if n.distance > 1 else ""
        typer.echo(
            f"  {n.distance} {arrow:14} {n.node}  {_caption(graph.nodes[n.node])}"
            f"{'  [' + detail + ']' if detail else ''}{via}"
        )


def _caption(data: dict) -> str:
    """What to show next to a node id: the start of a clause's text, otherwise its label."""
    if data["type"] == "clause":
        text = data.get("text", "")
        return text[:30] + ("…" if len(text) > 30 else "")
    return str(data.get("label", ""))
