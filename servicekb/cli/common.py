"""Helpers shared by the CLI commands: output formats, printing issues, exit codes."""

from __future__ import annotations

import datetime as dt
import json
import sys
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from servicekb.issues import Issue, Level, format_issue, limit_issues, sort_issues, summarize

if TYPE_CHECKING:
    from servicekb.corpus import CorpusFiles

__all__ = [
    "OutputFormat",
    "RootOption",
    "emit_json",
    "exit_for",
    "fail_usage",
    "find_store_id",
    "guard_output",
    "holds_real_data",
    "load_valid_corpus",
    "parse_day",
    "print_issues",
    "require_store_id",
    "resolve_root",
    "stop_unless_scorable",
    "write_output",
]

# Folders of the repository that hold work people wrote: no command writes there unless it is its own output.
PROTECTED = ("standards", "stores", "sources")


class OutputFormat(str, Enum):
    """Output format of a command whose output is a result."""

    text = "text"
    json = "json"


RootOption = typer.Option(
    None, "--root", help="Repository root (default: the nearest folder above holding standards/).", show_default=False
)
MaxIssuesOption = typer.Option(
    200,
    "--max-issues",
    min=0,
    help="Print at most this many issues, then a count per code of the rest (JSON lists all).",
)


def emit_json(data: Any) -> None:
    """Print data as stable, readable JSON (UTF-8, sorted keys)."""
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True))


def print_issues(issues: list[Issue], files: int, fmt: OutputFormat, limit: int | None = None) -> list[Issue]:
    """Print issues sorted, one per line (at most `limit`, then `… and N more code`), then a summary line.

    The summary counts every issue; JSON lists them all.
    """
    ordered = sort_issues(issues)
    summary = summarize(ordered, files)
    if fmt is OutputFormat.json:
        emit_json({"issues": [i.to_dict() for i in ordered], "summary": summary})
    else:
        shown, more = limit_issues(ordered, len(ordered) if limit is None else limit)
        for issue in shown:
            typer.echo(format_issue(issue))
        for line in more:
            typer.echo(line)
        typer.echo(summary)
    return ordered


def exit_for(issues: list[Issue], strict: bool) -> None:
    """Exit 1 when there are errors (or warnings with --strict); notes never fail."""
    if any(i.level is Level.error or (strict and i.level is Level.warning) for i in issues):
        raise typer.Exit(1)


def resolve_root(root: Path | None, *, require_standards: bool = True) -> Path:
    """The repository root to work in; a missing folder, or one without `standards/`, is a usage error (exit 2)."""
    from servicekb.loader import find_root

    if root is not None and not root.is_dir():
        fail_usage(f"--root {root}: no such folder")
    base = (root or find_root(Path.cwd())).resolve()
    if require_standards and not (base / "standards").is_dir():
        where = f"--root {root}" if root is not None else f"{base} (and no folder above it)"
        fail_usage(f"{where} holds no standards/ folder: give --root, the folder holding standards/ and stores/")
    return base


def load_valid_corpus(root: Path, action: str, *, today: dt.date | None = None):
    """The validated knowledge base (a `LoadResult`); with any error, print them all located and exit 1.

    Every command that reads the corpus goes through here first, so that no
    scorecard, search or graph is ever computed from a broken knowledge base.
    `action` completes "nothing to ..." in the message.
    """
    from servicekb.validation import validate_repository

    result = validate_repository(root, today=today)
    errors = [i for i in result.issues if i.level is Level.error]
    if errors:
        for issue in sort_issues(errors):
            typer.echo(format_issue(issue), err=True)
        typer.echo(
            f"error: the knowledge base has {len(errors)} error(s); nothing to {action}: "
            "fix them first (`servicekb validate` lists every issue)",
            err=True,
        )
        raise typer.Exit(1)
    return result


def holds_real_data(folder: Path) -> bool:
    """Whether `folder` holds operational data tables that `servicekb sample-data` did not write."""
    from servicekb.compliance.synthetic import SAMPLE_MARKER
    from servicekb.datatables import TABLES

    if not folder.is_dir() or (folder / SAMPLE_MARKER).is_file():
        return False
    return any((folder / f"{name}.{ext}").exists() for name in TABLES for ext in ("csv", "parquet"))


def guard_output(
    path: Path,
    root: Path | None,
    *,
    force: bool,
    option: str = "--output",
    own: tuple[str, ...] = (),
    folder: bool = False,
    reads: tuple[Path, ...] = (),
) -> None:
    """Refuse (exit 2) a write that could destroy work; return when `path` may be written.

    Refused: a path inside `standards/`, `stores/` or `sources/` of the
    repository (unless that folder is in `own`: the command's own output),
    a folder holding real operational data (tables not written by
    `sample-data`), anything inside `reads` (what the command reads, even with
    `force`), and, without `force`, an existing file. With `folder`,
    `path` is an output folder; otherwise a file.
    """
    target = path.resolve()
    if root is not None:
        for name in PROTECTED:
            protected = (root / name).resolve()
            if name not in own and (target == protected or target.is_relative_to(protected)):
                fail_usage(
                    f"{option} {path}: refusing to write into {name}/, which holds curated work; "
                    "write the output elsewhere"
                )
    data = target if folder else target.parent
    if holds_real_data(data):
        fail_usage(
            f"{option} {path}: {data} holds operational data not written by `servicekb sample-data`; "
            "refusing to write there"
        )
    for source in reads:
        # Never write over what the command reads (a data folder's tables), not even with --force.
        read = source.resolve()
        if target == read or (read.is_dir() and target.is_relative_to(read)):
            fail_usage(f"{option} {path}: the command reads {source}; write the output outside it")
    if folder:
        if target.exists() and not target.is_dir():
            fail_usage(f"{option} {path} is a file, not a folder")
        return
    if target.is_dir():
        fail_usage(f"{option} {path} is a folder; give a file name")
    if target.exists() and not force:
        fail_usage(f"{option} {path} exists; pass --force to replace it")
    if not target.parent.is_dir():
        fail_usage(f"{option} {path}: cannot write: folder {path.parent} does not exist")


def write_output(path: Path, data: str | bytes) -> None:
    """Write a command's output file atomically (after `guard_output`); a failure is reported, the old file kept."""
    from servicekb.atomic import write_bytes_atomic

    try:
        write_bytes_atomic(path, data.encode("utf-8") if isinstance(data, str) else data)
    except OSError as exc:
        typer.echo(
            f"error: cannot write {path}: {exc.strerror or exc}; the previous file, if any, is unchanged", err=True
        )
        raise typer.Exit(1) from None


def parse_day(value: str | None) -> dt.date | None:
    """A YYYY-MM-DD option value; a malformed one is a usage error (exit 2)."""
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        fail_usage(f"--as-of: {value!r} is not a date (YYYY-MM-DD)")
        raise  # unreachable: fail_usage exits


def find_store_id(arg: str, root: Path, files: CorpusFiles) -> str | None:
    """The store id named by a profile file (relative to the cwd or the root) or by an id; None when neither."""
    from servicekb.corpus import FileKey

    by_file = {file: key.id for key, file in files.items() if key.kind == "store"}
    for candidate in (Path(arg), root / arg):
        if candidate.is_file():
            try:
                rel = candidate.resolve().relative_to(root).as_posix()
            except ValueError:
                continue
            if rel in by_file:
                return by_file[rel]
    return arg if FileKey.store(arg) in files else None


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


def stop_unless_scorable(data) -> None:
    """Exit 1 when read data hold errors that stop scoring; say which invalid rows were dropped otherwise.

    `data` is what a reader returns (DuckDB or Spark): `errors`, `ok`, `invalid_rows`, `rows_read`, `files`.
    """
    if not data.errors:
        return
    invalid = {t: n for t, n in data.invalid_rows.items() if n}
    counted = ", ".join(
        f"{data.files.get(t, t)}: {n} of {data.rows_read.get(t, n)} rows" for t, n in sorted(invalid.items())
    )
    if not data.ok:
        typer.echo(
            f"error: {data.errors} error(s) in the data ({counted or 'whole files'}); "
            "scoring stopped: fix them or pass --drop-invalid",
            err=True,
        )
        raise typer.Exit(1)
    typer.echo(f"note: dropped invalid rows ({counted}); they are not scored", err=True)
