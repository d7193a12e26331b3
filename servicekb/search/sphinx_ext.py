"""Sphinx extension of the handbook's search (listed in `_config.yml`): ship `_search/index.js` with the site.

`servicekb book` writes the index to `book/generated/_extra/_search/index.js`
(`servicekb.search.publish`). This extension adds that folder to
`html_extra_path`, so the file lands at the root of the built site, and
makes the book's root page depend on it: Sphinx skips its final steps
(copying extra files among them) when no page is out of date, so a changed
index alone would otherwise never reach the site.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.config import Config

from servicekb.search.publish import EXTRA_DIR, INDEX_FILE

__all__ = ["setup"]


def _add_extra_path(app: Sphinx, config: Config) -> None:
    if EXTRA_DIR not in config.html_extra_path:
        config.html_extra_path = [*config.html_extra_path, EXTRA_DIR]


def _note_index(app: Sphinx, docname: str, source: list[str]) -> None:
    if docname == app.config.root_doc:
        index = Path(app.confdir) / EXTRA_DIR / INDEX_FILE
        if index.is_file():
            app.env.note_dependency(str(index))


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the configuration and dependency hooks."""
    app.connect("config-inited", _add_extra_path)
    app.connect("source-read", _note_index)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
