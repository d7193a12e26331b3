"""Regression tests of the worked calculations (`notebooks/*.md`) with pytest-notebook.

Each notebook runs against a small fixture repository
(`tests/fixtures/book/notebooks/repo`, its sample data written by
`ensure_sample`), so that curating the real standards never breaks these
tests, and its outputs are compared with the stored ones in
`tests/fixtures/book/notebooks/expected/`. Altair charts carry a random
element id; it is normalised before comparing.

After changing a notebook on purpose, store its new outputs with
`pytest tests/test_notebooks.py --nb-force-regen` and review the diff.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import jupytext
import nbformat
import pytest

from servicekb.book import ensure_sample
from servicekb.loader import load_corpus

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = Path(__file__).parent / "fixtures" / "book" / "notebooks"
NOTEBOOKS = sorted(p.stem for p in (ROOT / "notebooks").glob("*.md"))
RANDOM = (
    # altair's chart element id is a fresh uuid on every run
    ("/cells/*/outputs/*/data/text/html", r"altair-viz-[0-9a-f]{32}", "altair-viz-ID"),
)


@pytest.fixture(scope="module")
def repo(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("notebooks") / "repo"
    shutil.copytree(FIXTURE / "repo", root)
    corpus = load_corpus(root).corpus
    assert ensure_sample(root, corpus, dt.date(2026, 12, 31))
    return root


def _code(nb) -> list[str]:
    return [cell.source for cell in nb.cells if cell.cell_type == "code"]


def test_every_notebook_has_stored_outputs():
    assert NOTEBOOKS, "notebooks/ holds the worked calculations"
    assert sorted(p.stem for p in (FIXTURE / "expected").glob("*.ipynb")) == NOTEBOOKS


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_reproduces_its_stored_outputs(name, repo, nb_regression):
    source = jupytext.read(ROOT / "notebooks" / f"{name}.md")
    expected = FIXTURE / "expected" / f"{name}.ipynb"
    if nb_regression.force_regen:
        nbformat.write(source, expected)
    assert _code(nbformat.read(expected, as_version=4)) == _code(source), (
        f"{name}.md changed: store its outputs with --nb-force-regen"
    )
    nb_regression.exec_cwd = str(repo)
    nb_regression.diff_replace = RANDOM
    nb_regression.check(str(expected))


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_shows_readers_tables_and_captioned_charts_not_code(name):
    """Code hides behind the toggle; tables have no row numbers and no NaN; every chart has a Chinese caption."""
    source = jupytext.read(ROOT / "notebooks" / f"{name}.md")
    for cell in source.cells:
        if cell.cell_type == "code":
            assert "hide-input" in cell.metadata.get("tags", []) or "remove-input" in cell.metadata.get("tags", []), (
                cell.source[:60]
            )
    stored = nbformat.read(FIXTURE / "expected" / f"{name}.ipynb", as_version=4)
    for cell in stored.cells:
        for output in cell.get("outputs", []):
            html = output.get("data", {}).get("text/html", "")
            text = output.get("data", {}).get("text/plain", "") + output.get("text", "")
            assert 'class="dataframe' not in html, "a pandas table with its row numbers"
            assert not re.search(r">\s*(NaN|nan|None|<NA>)\s*<", html) and "NaN" not in text
            if "servicekb-chart" in html:
                caption = re.search(r"<figcaption>(.*?)</figcaption>", html, re.S)
                assert caption and re.search(r"[\u4e00-\u9fff]", caption[1])
            assert "altair-viz" not in html, "charts go through the book's own chart block"
