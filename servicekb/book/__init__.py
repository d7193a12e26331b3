"""The handbook: generated MyST pages from the corpus, and the strict Jupyter Book build.

`render_pages(corpus)` returns every page of `book/generated/` (deterministic:
same corpus, same bytes), `write_pages` writes only what changed,
`build_book` runs `jupyter-book build . -W -n --keep-going`,
`ensure_vega_bundle` puts the offline chart library in `_static/` and
`ensure_sample` the sample data of the scorecards in `data/sample/`.
"""

from servicekb.book.assets import ensure_vega_bundle
from servicekb.book.build import BuildResult, build_book, write_pages
from servicekb.book.pages import render_pages
from servicekb.book.sample_data import ensure_sample

__all__ = ["BuildResult", "build_book", "ensure_sample", "ensure_vega_bundle", "render_pages", "write_pages"]
