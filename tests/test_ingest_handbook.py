"""The handbook's curation page shows what `servicekb ingest` really does on its worked example."""

from __future__ import annotations

import re
from pathlib import Path

from typer.testing import CliRunner

from servicekb.cli import _register, app

ROOT = Path(__file__).resolve().parents[1]
PAGE = ROOT / "book" / "curation.md"


def _block(marker: str) -> str:
    m = re.search(rf"% example: {marker}\n```text\n(.*?)\n```", PAGE.read_text(encoding="utf-8"), re.S)
    assert m, f"no '% example: {marker}' block in {PAGE.name}"
    return m.group(1)


def test_the_page_is_in_the_table_of_contents() -> None:
    assert "file: book/curation" in (ROOT / "_toc.yml").read_text(encoding="utf-8")


def test_the_worked_example_report_is_what_ingest_prints(tmp_path: Path) -> None:
    _register()
    raw = tmp_path / "appliance-sla-annex.txt"
    raw.write_text(_block("source") + "\n", encoding="utf-8")
    out = tmp_path / "appliance-sla-annex.yaml"
    # The frozen catalogues of the ingest tests: the page pins ingest, not the growing catalogues.
    result = CliRunner().invoke(
        app,
        [
            "ingest",
            str(raw),
            "--id",
            "appliance-sla-annex",
            "-o",
            str(out),
            "--root",
            str(ROOT / "tests" / "fixtures" / "ingest-root"),
        ],
    )
    assert result.exit_code == 0, result.stderr
    printed = result.stderr.splitlines()[:-1]  # the last line names the temporary output file
    assert printed == _block("report").splitlines()
    check = CliRunner().invoke(
        app, ["ingest", "--check", str(out), "--root", str(ROOT / "tests" / "fixtures" / "ingest-root")]
    )
    assert (
        check.exit_code == 1 and "error[unmapped-metric]" in check.stdout
    )  # the page's step 4 finds what step 3 must fix
