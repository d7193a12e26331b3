"""The handbook: generated MyST pages from the corpus, and the Jupyter Book build."""

from servicekb.book.build import build_book, write_pages
from servicekb.book.pages import render_pages

__all__ = ["build_book", "render_pages", "write_pages"]
