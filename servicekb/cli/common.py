"""Helpers shared by the CLI commands: output formats, printing issues, exit codes."""

from __future__ import annotations

import datetime as dt
import json
import sys
from enum import Enum
from pathlib import Path
from typing import Any

import typer

from servicekb.issues import Issue, Level, format_issue, sort_issues, summarize

__all__ = ["OutputFormat", "RootOption", "emit_json", "exit_for", "fail_usage", "find_store_id", "parse_day", "print_issues", "require_store_id", "resolve_root"]


class OutputFormat(str, Enum):
    """Output format of a command whose output is a result."""

    text = "text"
    json = "json"


RootOption = typer.Option(None, "--root", help="Repository root (default: the nearest folder above holding standards/).", show_default=False)


def emit_json(data: Any) -> None:
    """Print data as stable, readable JSON (UTF-8, sorted keys)."""
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True))


def print_issues(issues: list[Issue], files: int, fmt: OutputFormat) -> list[Issue]:
    """Print issues sorted, one per line, then a summary line (inside the object in JSON mode)."""
    ordered = sort_issues(issues)
    summary = summarize(ordered, files)
    if fmt is OutputFormat.json:
        emit_json({"issues": [i.to_dict() for i in ordered], "summary": summary})
    else:
        for issue in ordered:
            typer.echo(format_issue(issue))
        typer.echo(summary)
    return ordered


def exit_for(issues: list[Issue], strict: bool) -> None:
    """Exit 1 when there are errors (or warnings with --strict); notes never fail."""
    if any(i.level is Level.error or (strict and i.level is Level.warning) for i in issues):
        raise typer.Exit(1)


def resolve_root(root: Path | None) -> Path:
    """The repository root to work in."""
    from servicekb.loader import find_root

    return (root or find_root(Path.cwd())).resolve()


def parse_day(value: str | None) -> dt.date | None:
    """A YYYY-MM-DD option value; a malformed one is a usage error (exit 2)."""
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        fail_usage(f"--as-of: {value!r} is not a date (YYYY-MM-DD)")
        raise  # unreachable: fail_usage exits


def find_store_id(arg: str, root: Path, files: dict[str, str]) -> str | None:
    """The store id named by a profile file (relative to the cwd or the root) or by an id; None when neither."""
    by_file = {file: key.split(":", 1)[1] for key, file in files.items() if key.startswith("store:")}
    for candidate in (Path(arg), root / arg):
        if candidate.is_file():
            try:
                rel = candidate.resolve().relative_to(root).as_posix()
            except ValueError:
                continue
            if rel in by_file:
                return by_file[rel]
    return arg if f"store:{arg}" in files else None


def require_store_id(arg: str, root: Path, result, action: str) -> str:
    """The store id `arg` names; otherwise print why (its load errors, or usage) and exit 1 or 2.

    `result` is the `LoadResult` the command loaded; `action` completes
    "nothing to ..." in the message.
    """
    found = find_store_id(arg, root, result.corpus.files)
    if found is not None:
        return found
    errors = [i for i in result.issues if i.file.endswith(f"{Path(arg).stem}.yaml")]
    if not errors:
        fail_usage(f"no store profile {arg!r} (give stores/<id>.yaml or a store id)")
    for issue in sort_issues(errors):
        typer.echo(format_issue(issue), err=True)
    typer.echo(f"error: {arg} does not load; nothing to {action}", err=True)
    raise typer.Exit(1)


def fail_usage(message: str) -> None:
    """A usage error: message on stderr, exit 2."""
    typer.echo(f"error: {message}", err=True)
    sys.exit(2)
