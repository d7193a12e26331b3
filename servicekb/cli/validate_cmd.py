"""`servicekb validate` and `servicekb schemas`."""

from __future__ import annotations

from pathlib import Path

import typer

from servicekb.cli import app
from servicekb.cli.common import (
    MaxIssuesOption,
    OutputFormat,
    RootOption,
    emit_json,
    exit_for,
    fail_usage,
    load_valid_corpus,
    parse_day,
    print_issues,
    resolve_root,
)


@app.command()
def validate(
    paths: list[Path] = typer.Argument(
        None, help="Files or folders to check (default: standards/ and stores/).", show_default=False
    ),
    strict: bool = typer.Option(False, "--strict", help="Fail on warnings too."),
    fmt: OutputFormat = typer.Option(OutputFormat.text, "--format", help="Output format."),
    as_of: str = typer.Option(
        None, "--as-of", help="Judge override expiry on this day, YYYY-MM-DD (default: today).", show_default=False
    ),
    max_issues: int = MaxIssuesOption,
    root: Path = RootOption,
) -> None:
    """Validate standards, catalogues and store profiles; print the issues with their location."""
    from servicekb.validation import validate_repository

    missing = [p for p in paths or [] if not p.exists()]
    if missing:
        fail_usage("no such file or folder: " + ", ".join(p.as_posix() for p in missing))
    result = validate_repository(resolve_root(root), paths or None, today=parse_day(as_of))
    issues = print_issues(result.issues, result.files_checked, fmt, max_issues)
    exit_for(issues, strict)


@app.command()
def schemas(
    check: bool = typer.Option(False, "--check", help="Do not write; exit 1 naming each stale or missing schema file."),
    fmt: OutputFormat = typer.Option(OutputFormat.text, "--format", help="Output format."),
    root: Path = RootOption,
) -> None:
    """Write schemas/<model>.schema.json from the models (or check that they are current)."""
    from servicekb.schemas import check_schemas, write_schemas

    folder = resolve_root(root) / "schemas"
    if check:
        stale = check_schemas(folder)
        if fmt is OutputFormat.json:
            emit_json({"stale": stale})
        else:
            for name in stale:
                typer.echo(f"schemas/{name}: stale: run `servicekb schemas` and commit the result")
            typer.echo("schemas are current" if not stale else f"{len(stale)} schema file(s) stale")
        if stale:
            raise typer.Exit(1)
        return
    written = write_schemas(folder)
    if fmt is OutputFormat.json:
        emit_json({"written": written})
    else:
        for name in written:
            typer.echo(f"wrote schemas/{name}")


@app.command()
def stats(
    fmt: OutputFormat = typer.Option(OutputFormat.text, "--format", help="Output format."),
    root: Path = RootOption,
) -> None:
    """Count, per standard, sections (body / toc-only / truncated), clauses, targets and citations."""
    from servicekb.standard_counts import count_standards

    rows = count_standards(load_valid_corpus(resolve_root(root), "count").corpus)
    if fmt is OutputFormat.json:
        emit_json([r.to_dict() for r in rows])
        return
    header = (
        f"{'standard':<28} {'body':>5} {'toc':>5} {'trunc':>5} {'clauses':>7} {'firm':>5} {'other':>5} {'cites':>5}"
    )
    typer.echo(header)
    for r in rows:
        typer.echo(
            f"{r.standard:<28} {r.sections_body:>5} {r.sections_toc_only:>5} {r.sections_truncated:>5} "
            f"{r.clauses:>7} {r.targets_firm:>5} {r.targets_other:>5} {r.citations:>5}"
        )
    typer.echo(
        "columns: sections with body text, only in the table of contents, where the source breaks off; "
        "clauses; firm and other targets; distinct citations"
    )
