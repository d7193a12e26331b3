"""`servicekb ingest RAW.txt --id ID [-o FILE] [--force]`: a raw scraped document to a draft standard.

Bad input gives one line on stderr, `path: error[code]: message`, and exit 1
(2 for a usage error such as a malformed id); never a traceback. An existing
output file is only replaced with --force, and the replacement is atomic
(a temporary file in the same folder, then `os.replace`).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import typer

from servicekb.atomic import write_text_atomic
from servicekb.cli import app
from servicekb.cli.common import resolve_root

_KEBAB = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def _fail(path: object, code: str, message: str, exit_code: int = 1) -> None:
    typer.echo(f"{path}: error[{code}]: {message}", err=True)
    raise typer.Exit(exit_code)


def _load_catalogues(root: Path):
    """The metric and citation catalogues, or None for each one missing or invalid (read as `validate` reads them)."""
    from pydantic import ValidationError

    from servicekb.models import CitationCatalogue, MetricCatalogue
    from servicekb.yamlpos import read_yaml

    loaded = []
    for name, model in (("metrics.yaml", MetricCatalogue), ("citations.yaml", CitationCatalogue)):
        path = root / "standards" / name
        if not path.is_file():
            typer.echo(f"standards/{name}: warning[no-catalogue]: not found; nothing will map to it", err=True)
            loaded.append(None)
            continue
        doc, problems = read_yaml(path, f"standards/{name}")
        try:
            if doc is None or problems:
                raise ValueError(name)
            loaded.append(model.model_validate(doc.data))
        except (ValueError, ValidationError):
            typer.echo(f"standards/{name}: warning[bad-catalogue]: not valid; nothing will map to it (run `servicekb validate`)", err=True)
            loaded.append(None)
    return loaded[0], loaded[1]


@app.command("ingest")
def ingest(
    raw: Path = typer.Argument(..., help="The raw scraped document (UTF-8 text).", show_default=False),
    standard_id: str = typer.Option(..., "--id", help="Id of the draft standard (kebab-case, the future file name).", show_default=False),
    output: Path = typer.Option(None, "-o", "--output", help="Write the draft YAML here (default: standard output).", show_default=False),
    force: bool = typer.Option(False, "--force", help="Replace the output file if it exists."),
    root: Path = typer.Option(None, "--root", help="Repository root holding standards/ (default: the nearest folder above).", show_default=False),
) -> None:
    """Clean a raw document and write a draft standard YAML for curation."""
    if not _KEBAB.match(standard_id) or len(standard_id) > 80:
        _fail(raw, "bad-id", f"--id {standard_id!r} must be kebab-case (a-z, 0-9 and single hyphens)", exit_code=2)
    try:
        data = raw.read_bytes()
    except FileNotFoundError:
        _fail(raw, "missing-file", "no such file")
    except IsADirectoryError:
        _fail(raw, "not-a-file", "is a directory, expected a text file")
    except OSError as exc:
        _fail(raw, "unreadable", exc.strerror or "cannot be read")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        _fail(raw, "not-utf8", f"not UTF-8 text (invalid byte at offset {exc.start})")
    if not text.strip():
        _fail(raw, "empty", "the file is empty")
    if output is not None:
        if output.exists() and not force:
            _fail(output, "exists", "file exists; use --force to replace it")
        if not output.parent.is_dir():
            _fail(output, "no-directory", f"folder {output.parent} does not exist")

    from servicekb.ingest import ingest_text, render_yaml

    metrics, citations = _load_catalogues(resolve_root(root))
    result = ingest_text(text, standard_id, raw.name, metrics, citations)
    if not result.standard.sections:
        _fail(raw, "empty", "no document text found (empty, or only site boilerplate)")
    rendered = render_yaml(result.standard)
    for note in result.notes:
        typer.echo(f"{raw}: note: {note}", err=True)
    if output is None:
        sys.stdout.write(rendered)
        return
    try:
        write_text_atomic(output, rendered)
    except OSError as exc:
        _fail(output, "write-failed", f"{exc.strerror or exc}; the previous file, if any, is unchanged")
    typer.echo(f"wrote {output} (draft: curate before committing to standards/)", err=True)
