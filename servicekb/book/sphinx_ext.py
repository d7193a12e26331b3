"""Sphinx extension of the handbook (listed in `_config.yml`): clause anchors and data dependencies.

- A clause's anchor in the HTML is its id verbatim (`retail-guide#6.1.c`,
  `textile-enterprise#一.(一).a`). Docutils would turn the label into an
  ASCII slug, which drops Chinese numbering and makes ids collide; the
  transform below keeps the label itself as the element id, before the
  standard domain records where labels point.
- The book theme prints a page's title as raw text (`<h1>{{ pagetitle }}</h1>`
  in its print header): a standard titled `<script>...` would become code.
  The titles it takes from the environment are escaped after it sets them.
- Notebooks read the corpus and the sample data, not only their own cells.
  A notebook names what it reads in its front matter
  (`servicekb: {reads: [corpus-numbers, data/sample/*.csv]}`, see
  `servicekb.book.notebook_inputs`; all data files when it says nothing). It is
  noted as depending on those files, so an edited file re-reads it, and a
  digest of what it reads is put in a hidden first cell, so that the
  execution cache (keyed on the cells' code) runs it again exactly when its
  code or its inputs changed.
- Every page ends with its build date, the corpus version (a digest of
  `standards/` and `stores/`) and a link to the PDF of the whole handbook.
  When the date or the corpus changes, every page is written again, so that
  no page shows an old stamp.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.transforms import SphinxTransform

from servicekb.book.notebook_inputs import DATA_GLOBS, describe_inputs

__all__ = ["ClauseAnchors", "PDF_NAME", "make_stamp", "read_patterns", "setup"]

PDF_NAME = "servicekb-handbook.pdf"
"""The PDF of the whole handbook, at the root of the HTML output (`servicekb.book.pdf`)."""

CLAUSE_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*#[^\s#]+$")
_FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.S)


class ClauseAnchors(SphinxTransform):
    """Use a clause label verbatim as the HTML id of the block it anchors."""

    # Before docutils' PropagateTargets (260) moves the id to the next block.
    default_priority = 200

    def apply(self, **kwargs: Any) -> None:
        document = self.document
        for node in document.findall(nodes.target):
            names = node.get("names", [])
            if len(names) != 1 or node.get("refuri") or not CLAUSE_ID.match(names[0]):
                continue
            name = names[0]
            if name in document.ids:
                continue
            for old in node["ids"]:
                document.ids.pop(old, None)
            node["ids"] = [name]
            document.ids[name] = node
            document.nameids[name] = name


def _escape_titles(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    for key in ("pagetitle", "root_title"):
        if isinstance(context.get(key), str):
            context[key] = html.escape(context[key])


def _is_notebook(app: Sphinx, docname: str) -> bool:
    return docname.startswith("notebooks/")


def read_patterns(text: str) -> list[str]:
    """What a notebook says it reads (`servicekb.reads` in its front matter); all data files by default."""
    import yaml

    match = _FRONT_MATTER.match(text)
    try:
        meta = yaml.safe_load(match.group(0).strip("-\n")) if match else None
    except yaml.YAMLError:
        meta = None
    reads = (
        meta.get("servicekb", {}).get("reads")
        if isinstance(meta, dict) and isinstance(meta.get("servicekb"), dict)
        else None
    )
    return [str(p) for p in reads] if isinstance(reads, list) else list(DATA_GLOBS)


def _note_data(app: Sphinx, docname: str, source: list[str]) -> None:
    if not _is_notebook(app, docname):
        return
    root = Path(app.srcdir)
    text = source[0]
    files, digest = describe_inputs(root, read_patterns(text))
    for path in files:
        app.env.note_dependency(str(path))
    cell = f"```{{code-cell}} ipython3\n:tags: [remove-cell]\n\n# servicekb data fingerprint {digest}\n```\n\n"
    match = _FRONT_MATTER.match(text)
    at = match.end() if match else 0
    source[0] = text[:at] + "\n" + cell + text[at:]


def make_stamp(root: Path, today: dt.date) -> tuple[str, str]:
    """The build date and the corpus version (first 10 hex digits of the digest of `standards/` and `stores/`)."""
    _, digest = describe_inputs(root, ["standards/*.yaml", "stores/*.yaml"])
    return today.isoformat(), digest[:10]


def _stamp_of(app: Sphinx) -> tuple[str, str]:
    if not hasattr(app, "_servicekb_stamp"):
        app._servicekb_stamp = make_stamp(Path(app.srcdir), dt.date.today())  # type: ignore[attr-defined]
    return app._servicekb_stamp  # type: ignore[attr-defined]


def _outdated(app: Sphinx, env: Any, added: set[str], changed: set[str], removed: set[str]) -> list[str]:
    stamp = _stamp_of(app)
    if getattr(env, "servicekb_stamp", None) != stamp:
        env.servicekb_stamp = stamp
        return sorted(env.found_docs - added - changed)
    return []


def _add_stamp(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    if doctree is None or "body" not in context:
        return
    day, version = _stamp_of(app)
    pdf = context["pathto"](PDF_NAME, 1)
    context["body"] += (
        f'<p class="servicekb-stamp">构建日期 {html.escape(day)} · 语料版本 <code>{html.escape(version)}</code>'
        f' · <a href="{html.escape(pdf)}">下载整本手册（PDF）</a></p>'
    )


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the transform, the notebook hook and the page stamp."""
    app.add_transform(ClauseAnchors)
    app.connect("source-read", _note_data)
    app.connect("env-get-outdated", _outdated)
    # After sphinx-book-theme's own handler (priority 500) has set the titles.
    app.connect("html-page-context", _escape_titles, priority=900)
    app.connect("html-page-context", _add_stamp, priority=910)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
