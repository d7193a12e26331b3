"""Every generated page of the handbook (`book/generated/`), from a loaded corpus.

Deterministic: the same corpus (and day) gives the same bytes. Returns a
mapping of path (relative to `book/generated/`) -> page text; writing is
the caller's job.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from servicekb.book.catalogue_pages import render_metrics, render_requirements
from servicekb.book.citation_page import render_citations
from servicekb.book.conflict_page import render_conflicts
from servicekb.book.context import BookContext, build_context
from servicekb.book.graph_page import render_graph_page
from servicekb.book.sample import score_sample
from servicekb.book.scorecard_section import render_scorecard
from servicekb.book.standard_page import render_standard, render_standards_index
from servicekb.book.store_page import render_store, render_stores_index
from servicekb.corpus import Corpus

__all__ = ["render_context_pages", "render_pages", "render_store_pages"]


def render_context_pages(ctx: BookContext) -> dict[str, str]:
    """The pages that need only the corpus and its graph."""
    pages = {"standards.md": render_standards_index(ctx)}
    for sid in sorted(ctx.corpus.standards):
        pages[f"standards/{sid}.md"] = render_standard(ctx, ctx.corpus.standards[sid])
    pages["metrics.md"] = render_metrics(ctx)
    pages["requirements.md"] = render_requirements(ctx)
    pages["citations.md"] = render_citations(ctx)
    pages["conflicts.md"] = render_conflicts(ctx)
    pages["graph.md"] = render_graph_page(ctx)
    return pages


def render_store_pages(ctx: BookContext, as_of: dt.date, card=None) -> dict[str, str]:
    """One page per store profile, resolved on `as_of`, with its scorecard from `card`, and the stores chapter page."""
    from servicekb.tailoring import Resolver

    stores = Resolver(ctx.corpus, as_of).resolve_all()
    pages = {"stores.md": render_stores_index(ctx, stores)}
    for sid, eff in stores.items():
        pages[f"stores/{sid}.md"] = render_store(ctx, eff, render_scorecard(ctx, eff, card))
    return pages


def render_pages(corpus: Corpus, root: Path | None = None, as_of: dt.date | None = None) -> dict[str, str]:
    """Every generated page by path relative to `book/generated/`.

    Args:
        corpus: The loaded knowledge base.
        root: The repository root, where the sample data of the store pages lives (none: no scorecards).
        as_of: The day store profiles are resolved on (overrides expire); default today.
    """
    day = as_of or dt.date.today()
    ctx = build_context(corpus)
    pages = render_context_pages(ctx)
    card = score_sample(root, corpus, day) if root is not None and corpus.stores else None
    pages.update(render_store_pages(ctx, day, card))
    return pages
