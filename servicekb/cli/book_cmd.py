"""`servicekb book`: generate the handbook pages and build the book."""

from __future__ import annotations

from pathlib import Path

import typer

from servicekb.cli import app
from servicekb.cli.common import RootOption, guard_output, load_valid_corpus, resolve_root


@app.command()
def book(
    generate_only: bool = typer.Option(False, "--generate-only", help="Write book/generated/ without building."),
    pdf: bool = typer.Option(
        True, "--pdf/--no-pdf", help="Also print the whole handbook to one PDF (needs Debian's Chromium)."
    ),
    all_files: bool = typer.Option(False, "--all", help="Rebuild every page (after changing _static/)."),
    output: Path = typer.Option(
        None, "--output", help="Build into OUTPUT/_build/html instead of the repository's _build/.", show_default=False
    ),
    root: Path = RootOption,
) -> None:
    """Write book/generated/ from the corpus and build the handbook strictly (warnings are errors)."""
    import datetime as dt

    from servicekb.book import build_book, ensure_sample, ensure_vega_bundle, render_pages, write_pages
    from servicekb.search import write_search_index

    base = resolve_root(root)
    if output is not None:
        guard_output(output, base, force=True, option="--output", folder=True)
    # The same checks as `servicekb validate`: a profile with an unapproved
    # relaxation must not reach the handbook either.
    today = dt.date.today()
    result = load_valid_corpus(base, "publish", today=today)
    if ensure_vega_bundle(base):
        typer.echo("_static/vega-bundle.js written (offline charts)")
        all_files = True
    if ensure_sample(base, result.corpus, today):
        typer.echo("data/sample written (the sample data of the store pages and notebooks)")
    changed = write_pages(render_pages(result.corpus, base, today), base / "book" / "generated")
    typer.echo(f"book/generated: {len(changed)} page(s) written")
    if write_search_index(result.corpus, base, today):
        typer.echo("book/generated/_extra/_search/index.js written (the search index)")
    if generate_only:
        return
    built = build_book(base, all_files=all_files, output=output)
    if built.returncode != 0:
        typer.echo(built.log[-8000:], err=True)
        typer.echo("the book build failed (warnings count as errors)", err=True)
        raise typer.Exit(1)
    if pdf:
        from servicekb.book.pdf import build_pdf

        typer.echo(build_pdf(built.index.parent).message)
    typer.echo(f"handbook: {built.index}")
