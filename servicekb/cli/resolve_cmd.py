"""`servicekb resolve`: the effective standard of a store, with where every number comes from."""

from __future__ import annotations

import datetime as dt
from enum import Enum
from pathlib import Path

import typer

from servicekb.cli import app
from servicekb.cli.common import (
    RootOption,
    emit_json,
    exit_for,
    load_valid_corpus,
    parse_day,
    require_store_id,
    resolve_root,
)


class ResolveFormat(str, Enum):
    """Output format of `servicekb resolve`."""

    table = "table"
    json = "json"
    yaml = "yaml"


@app.command()
def resolve(
    profile: str = typer.Argument(
        ..., help="Store profile: a file such as stores/<id>.yaml, or a store id.", show_default=False
    ),
    fmt: ResolveFormat = typer.Option(ResolveFormat.table, "--format", help="Output format."),
    as_of: str = typer.Option(
        None,
        "--as-of",
        help="Day on which overrides are judged for expiry (YYYY-MM-DD; default today).",
        show_default=False,
    ),
    diff: str = typer.Option(
        None,
        "--diff",
        metavar="BASELINE",
        help="Show only what the store does differently from this profile (file or id).",
        show_default=False,
    ),
    strict: bool = typer.Option(False, "--strict", help="Fail on warnings too."),
    root: Path = RootOption,
) -> None:
    """Resolve a store profile into its effective standard: clauses, targets and their provenance."""
    import yaml

    from servicekb.corpus import FileKey
    from servicekb.issues import Level, format_issue, sort_issues
    from servicekb.tailoring import TAILORING_CODES, Resolver, diff_effective, locate_finding
    from servicekb.tailoring.report import diff_to_dict, effective_to_dict, render_diff, render_effective

    day = parse_day(as_of) or dt.date.today()
    base = resolve_root(root)
    result = load_valid_corpus(base, "resolve", today=day)
    corpus = result.corpus
    store_id = require_store_id(profile, base, result, "resolve")
    baseline_id = require_store_id(diff, base, result, "compare with") if diff is not None else None

    resolver = Resolver(corpus, day)
    eff = resolver.resolve(store_id)
    chain_files = {corpus.files[FileKey.store(pid)] for pid in eff.chain}
    # Tailoring findings are recomputed here for --as-of; the loader's copies are for today.
    # Review-link warnings belong to `servicekb validate` and `servicekb review`, not to a resolution.
    issues = [
        i for i in result.issues if i.file in chain_files and i.code not in TAILORING_CODES and i.code != "suspect-link"
    ]
    issues += [locate_finding(f, corpus, result.documents) for f in eff.all_findings()]
    if diff is not None:
        other = resolver.resolve(baseline_id)
        issues += [locate_finding(f, corpus, result.documents) for f in other.all_findings()]
    issues = sort_issues(issues)
    elsewhere = sum(1 for i in result.issues if i.level is Level.error and i.file not in chain_files)

    if diff is not None:
        changes = diff_effective(eff, other, corpus.metrics)
        data, text = diff_to_dict(changes), render_diff(changes) if fmt is ResolveFormat.table else None
    else:
        data = effective_to_dict(eff, corpus.metrics)
        text = render_effective(eff) if fmt is ResolveFormat.table else None
    if fmt is ResolveFormat.table:
        typer.echo(text)
        for issue in issues:
            typer.echo(format_issue(issue), err=True)
    else:
        data["issues"] = [i.to_dict() for i in issues]
        if fmt is ResolveFormat.json:
            emit_json(data)
        else:
            typer.echo(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=120), nl=False)
    if elsewhere:
        typer.echo(
            f"note: {elsewhere} error(s) in other files of the knowledge base; run `servicekb validate`", err=True
        )
    exit_for(issues, strict)
