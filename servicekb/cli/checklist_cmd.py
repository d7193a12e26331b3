"""`servicekb checklist`: the printable audit checklist of one store and its answer sheet."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import typer

from servicekb.cli import app
from servicekb.cli.common import RootOption, fail_usage, parse_day, require_store_id, resolve_root


@app.command()
def checklist(
    profile: str = typer.Option(
        ..., "--profile", help="Store profile (stores/<id>.yaml or its id).", show_default=False
    ),
    output: Path = typer.Option(
        Path("."),
        "-o",
        "--output",
        help="Folder to write <id>-checklist.pdf, <id>-answers.csv and <id>-answers.xlsx in (created).",
    ),
    as_of: str = typer.Option(
        None, "--as-of", help="Day the profile is resolved on (YYYY-MM-DD; default today).", show_default=False
    ),
    html: bool = typer.Option(False, "--html", help="Also write the page as <id>-checklist.html (what is printed)."),
    force: bool = typer.Option(False, "--force", help="Replace files that exist."),
    root: Path = RootOption,
) -> None:
    """Write the audit checklist of a store (A4 PDF through headless Chromium) and the matching answer sheet \
(CSV and XLSX).

    The checklist has one line per effective clause an auditor checks: the
    targets measured by audit and the requirements without a figure. Fill in
    the answer sheet, save it as audits.csv (or audits.xlsx) in the data
    folder, and `servicekb score` reads it with the other tables.
    """
    from servicekb.atomic import write_text_atomic
    from servicekb.compliance.checklist import build_checklist, make_answer_sheet, render_checklist_html
    from servicekb.compliance.workbook import write_answer_workbook
    from servicekb.corpus import FileKey
    from servicekb.loader import load_corpus
    from servicekb.pdf import PdfError, print_pdf

    base = resolve_root(root)
    day = parse_day(as_of) or dt.date.today()
    result = load_corpus(base, check=False)
    pid = require_store_id(profile, base, result, "list")
    store = result.corpus.stores[pid]
    if store.abstract:
        fail_usage(f"{pid} is an abstract profile (a baseline): make the checklist of a store profile")
    if output.exists() and not output.is_dir():
        fail_usage(f"--output {output} is not a folder")
    names = {
        "pdf": output / f"{pid}-checklist.pdf",
        "csv": output / f"{pid}-answers.csv",
        "xlsx": output / f"{pid}-answers.xlsx",
    }
    if html:
        names["html"] = output / f"{pid}-checklist.html"
    existing = [p.as_posix() for p in names.values() if p.exists()]
    if existing and not force:
        fail_usage(f"{', '.join(existing)} exist(s): pass --force to replace")
    output.mkdir(parents=True, exist_ok=True)
    items = build_checklist(result.corpus, pid, day)
    if not store.data_store_ids:
        file = result.corpus.files.get(FileKey.store(pid), f"stores/{pid}.yaml")
        typer.echo(
            f"{file}:1:1: warning[profile-without-data] data_store_ids: {pid} names no data store; "
            "store_id is left empty in the answer sheet",
            err=True,
        )
    sheet = make_answer_sheet(items)
    write_text_atomic(names["csv"], sheet.to_csv(index=False, lineterminator="\n"))
    write_answer_workbook(sheet, names["xlsx"])
    page = render_checklist_html(items)
    if html:
        write_text_atomic(names["html"], page)
    try:
        print_pdf(page, names["pdf"])
    except PdfError as exc:
        typer.echo(f"error[pdf-failed] {exc}; the answer sheet is written", err=True)
        raise typer.Exit(1) from None
    typer.echo(
        f"{pid}: {len(items.items)} line(s) to check "
        f"({items.scored_from_data} clause(s) with targets are scored from the data instead)"
    )
    for path in names.values():
        typer.echo(f"wrote {path.as_posix()}")
