"""`servicekb ingest RAW --id ID [-o FILE] [--force|--reingest] [--format text|json]` and
`servicekb ingest --check FILE`.

The first form turns a raw document into a draft standard (YAML, on standard
output or in FILE) and prints the ingest report for the curator (on standard
error as text; with `--format json` one JSON object on standard output that
holds the report and, without `-o`, the draft). The second re-runs the
report's checks on a draft or curated standard file and prints findings in
the house format (exit 1 on errors).

Bad input gives one line on stderr, `path: error[code]: message`, and exit 1
(2 for a usage error such as a malformed id); never a traceback. An existing
output file is only replaced with --force, and only when it is a draft: a
curated standard is never replaced by a draft, except through --reingest,
which keeps the curated file next to it (`<name>.curated-<time>.bak`). No
draft is written into stores/ or sources/, nor one larger than `validate`
accepts. Every write is atomic (a temporary file, then `os.replace`).
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import sys
from pathlib import Path

import typer

from servicekb.atomic import write_text_atomic
from servicekb.cli import app
from servicekb.cli.common import OutputFormat, emit_json, exit_for, print_issues, resolve_root
from servicekb.yamlpos import MAX_BYTES

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
            typer.echo(
                f"standards/{name}: warning[bad-catalogue]: not valid; nothing will map to it "
                "(run `servicekb validate`)",
                err=True,
            )
            loaded.append(None)
    return loaded[0], loaded[1]


def _refuse_protected(output: Path, root: Path) -> None:
    """A draft belongs in standards/ or outside the repository's curated folders; never in stores/ or sources/."""
    target = output.resolve()
    for name in ("stores", "sources"):
        if target.is_relative_to((root / name).resolve()):
            _fail(output, "protected-folder", f"refusing to write a draft standard into {name}/", exit_code=2)


def _curated(path: Path) -> str | None:
    """Why an existing file must not be replaced by a draft (curated, or not recognisably a draft); None for a draft."""
    from servicekb.yamlpos import read_yaml

    if not path.is_file():
        return "is not a file"
    doc, problems = read_yaml(path, path.as_posix())
    if doc is None or problems or not isinstance(doc.data, dict):
        return "is not a readable standard, so it may be curated work"
    status = doc.data.get("status")
    if status not in (None, "draft"):
        return f"is a {status} standard"
    return None


def _read(raw: Path) -> bytes:
    try:
        return raw.read_bytes()
    except FileNotFoundError:
        _fail(raw, "missing-file", "no such file", 2)
    except IsADirectoryError:
        _fail(raw, "not-a-file", "is a directory, expected a text file", 2)
    except OSError as exc:
        _fail(raw, "unreadable", exc.strerror or "cannot be read")
    raise AssertionError("unreachable")


@app.command("ingest")
def ingest(
    raw: Path = typer.Argument(
        ...,
        help="The raw document (UTF-8, UTF-16, GBK/GB18030 or Big5 text); with --check, a standard YAML file.",
        show_default=False,
    ),
    standard_id: str = typer.Option(
        None, "--id", help="Id of the draft standard (kebab-case, the future file name).", show_default=False
    ),
    output: Path = typer.Option(
        None, "-o", "--output", help="Write the draft YAML here (default: standard output).", show_default=False
    ),
    force: bool = typer.Option(False, "--force", help="Replace the output file if it exists and is a draft."),
    reingest: bool = typer.Option(
        False,
        "--reingest",
        help="Replace a curated standard with a fresh draft, keeping the curated file as <name>.curated-<time>.bak.",
    ),
    check: bool = typer.Option(
        False, "--check", help="Re-run the report's checks on a draft or curated standard YAML file instead."
    ),
    fmt: OutputFormat = typer.Option(
        OutputFormat.text, "--format", help="Report as text (on stderr) or one JSON object (on stdout)."
    ),
    root: Path = typer.Option(
        None,
        "--root",
        help="Repository root holding standards/ (default: the nearest folder above).",
        show_default=False,
    ),
) -> None:
    """Clean a raw document, write a draft standard YAML for curation, and report what to look at."""
    if check:
        _check(raw, fmt, root)
        return
    if standard_id is None:
        _fail(raw, "missing-id", "--id is required (the kebab-case id of the draft standard)", exit_code=2)
    if not _KEBAB.match(standard_id) or len(standard_id) > 80:
        _fail(raw, "bad-id", f"--id {standard_id!r} must be kebab-case (a-z, 0-9 and single hyphens)", exit_code=2)
    data = _read(raw)
    from servicekb.ingest.decode import DecodeError, decode_document

    try:
        decoded = decode_document(data)
    except DecodeError as exc:
        _fail(raw, exc.code, exc.message)
    base = resolve_root(root, require_standards=False)
    kept = None
    if output is not None:
        _refuse_protected(output, base)
        if output.exists():
            curated = _curated(output)
            if curated and not reingest:
                _fail(
                    output,
                    "curated",
                    f"{curated}; ingest never replaces it "
                    "(use --reingest to write the draft here and keep the curated file beside it)",
                )
            if not curated and not (force or reingest):
                _fail(output, "exists", "file exists; use --force to replace it")
            kept = curated and output.with_name(f"{output.name}.curated-{dt.datetime.now():%Y%m%dT%H%M%S}.bak")
        if not output.parent.is_dir():
            _fail(output, "no-directory", f"folder {output.parent} does not exist")

    from servicekb.ingest import format_report, ingest_text, render_yaml

    metrics, citations = _load_catalogues(base)
    try:
        result = ingest_text(decoded.text, standard_id, raw.name, metrics, citations, encoding=decoded.encoding)
    except Exception as exc:  # noqa: BLE001 - a bug must reach the user as one line, never a traceback
        _fail(
            raw,
            "internal-error",
            f"ingest failed on this document ({type(exc).__name__}: {exc}); please report it with the file",
        )
    if not result.standard.sections:
        _fail(raw, "empty", "no document text found (empty, or only site boilerplate)")
    rendered = render_yaml(result.standard)
    if len(rendered.encode("utf-8")) > MAX_BYTES:
        _fail(
            raw,
            "too-large",
            f"the draft would be {len(rendered.encode('utf-8')) / 1024 / 1024:.1f} MiB, "
            f"more than the {MAX_BYTES // 1024 // 1024} MiB `servicekb validate` reads; split the document",
        )
    if output is not None:
        try:
            if kept:
                shutil.copy2(output, kept)
                typer.echo(f"{output}: note: the curated file is kept as {kept}", err=True)
            write_text_atomic(output, rendered)
        except OSError as exc:
            _fail(output, "write-failed", f"{exc.strerror or exc}; the previous file, if any, is unchanged")
    report = result.report
    if fmt is OutputFormat.json:
        emit_json(
            {
                "draft": str(output) if output else None,
                "report": report.to_dict(),
                **({} if output else {"yaml": rendered}),
            }
        )
        return
    typer.echo(format_report(report).rstrip("\n"), err=True)
    if output is None:
        sys.stdout.write(rendered)
    else:
        typer.echo(
            f"wrote {output} (draft: curate, then `servicekb ingest --check {output}` and `servicekb validate`)",
            err=True,
        )


def _check(path: Path, fmt: OutputFormat, root: Path | None) -> None:
    """`--check FILE`: the report's checks on a standard file, as located findings."""
    from servicekb.ingest.check import check_standard_file

    base = resolve_root(root, require_standards=False)
    metrics, _ = _load_catalogues(base)
    shown = path
    try:
        shown = path.resolve().relative_to(base)
    except ValueError:
        pass
    if not path.is_file():
        _fail(path, "missing-file", "no such file", 2)
    issues = check_standard_file(path, str(shown), base, metrics)
    print_issues(issues, 1, fmt)
    exit_for(issues, strict=False)
