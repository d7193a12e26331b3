"""`servicekb search`: the handbook's ranking on the command line."""

from __future__ import annotations

from pathlib import Path

import typer

from servicekb.cli import app
from servicekb.cli.common import (
    OutputFormat,
    RootOption,
    emit_json,
    fail_usage,
    find_store_id,
    load_valid_corpus,
    parse_day,
    resolve_root,
)


@app.command("search")
def search(
    query: str = typer.Argument(
        ..., help="A question or words, Chinese (traditional or simplified, spaced or not) or English."
    ),
    standard: str = typer.Option(None, "--standard", help="Only clauses of this standard.", show_default=False),
    metric: str = typer.Option(
        None, "--metric", help="Only clauses with a target on this metric (and the metric).", show_default=False
    ),
    stage: str = typer.Option(None, "--stage", help="Only clauses of this lifecycle stage.", show_default=False),
    store: str = typer.Option(
        None,
        "--store",
        help="Only the clauses in this store's effective standard (id or stores/X.yaml).",
        show_default=False,
    ),
    as_of: str = typer.Option(
        None, "--as-of", help="Day the store's profile is resolved on (YYYY-MM-DD; default today).", show_default=False
    ),
    limit: int = typer.Option(20, "--limit", min=0, help="Most results to show (0: all)."),
    fmt: OutputFormat = typer.Option(OutputFormat.text, "--format", help="Output format."),
    root: Path = RootOption,
) -> None:
    """Ranked search over clauses, metrics and citations: id, section, snippet with the matched words in 【】, \
targets."""
    from servicekb.gcpause import gc_paused
    from servicekb.search import SearchIndex, build_index
    from servicekb.types import Stage

    if not query.strip():
        fail_usage("the query is empty")
    base = resolve_root(root)
    day = parse_day(as_of)
    with gc_paused():
        # as every command that reads the corpus: never a search over a broken knowledge base
        corpus = load_valid_corpus(base, "search", today=day).corpus
        if standard and standard not in corpus.standards:
            fail_usage(f"no standard {standard!r}; known: {', '.join(sorted(corpus.standards))}")
        if metric and metric not in corpus.metrics:
            fail_usage(f"no metric {metric!r} in the metric catalogue")
        if stage and stage not in {s.value for s in Stage}:
            fail_usage(f"no stage {stage!r}; known: {', '.join(s.value for s in Stage)}")
        store_id = None
        if store:
            store_id = find_store_id(store, base, corpus.files)
            if store_id is None:
                fail_usage(f"no store profile {store!r} (give stores/<id>.yaml or a store id)")
        index = SearchIndex(build_index(corpus, day))
        hits = index.search(query, standard=standard, metric=metric, stage=stage, store=store_id, limit=limit or None)
    if fmt is OutputFormat.json:
        emit_json({"query": query, "terms": index.terms(query), "hits": [h.to_dict() for h in hits]})
        return
    for h in hits:
        where = f"[{h.section} {h.section_title}]" if h.type == "clause" else f"[{h.type}]"
        typer.echo(f"{h.id}  {where}  {h.snippet}")
        if h.targets:
            typer.echo("    目标 targets: " + "；".join(h.targets))
    if not hits:
        typer.echo("no results" + ("" if index.terms(query) else " (the query has no words to search for)"))
        return
    typer.echo(
        f"{len(hits)} result{'s' * (len(hits) != 1)}"
        + (" (use --limit 0 for all)" if limit and len(hits) == limit else "")
    )
