"""Every generated page of the handbook (`book/generated/`), from a loaded corpus.

Deterministic: the same corpus (and day) gives the same bytes. Returns a
mapping of path (relative to `book/generated/`) -> page text; writing is
the caller's job.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from servicekb.book.catalogue_pages import render_metric, render_metrics, render_requirements
from servicekb.book.changelog_page import render_changelog
from servicekb.book.citation_page import render_citations
from servicekb.book.conflict_page import render_conflicts
from servicekb.book.page_context import BookContext, build_context
from servicekb.book.profile_reference import render_profile_reference
from servicekb.book.sample_data import score_sample
from servicekb.book.scorecard_section import render_scorecard
from servicekb.book.standard_page import render_standard, render_standards_index
from servicekb.book.store_page import render_store, render_stores_index
from servicekb.book.trace_page import collect_latest, render_trace, render_trace_index
from servicekb.corpus import Corpus, FileKey

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
    pages["profile-reference.md"] = render_profile_reference()
    return pages


def render_store_pages(ctx: BookContext, as_of: dt.date, card=None) -> dict[str, str]:
    """Per store profile (resolved on `as_of`): its page with its scorecard from `card`, its traceability matrix;
    the stores chapter page, and one page per metric (which stores hold a target on it)."""
    from servicekb.tailoring import Resolver

    stores = Resolver(ctx.corpus, as_of).resolve_all()
    pages = {"stores.md": render_stores_index(ctx, stores), "trace.md": render_trace_index(stores)}
    for sid, eff in stores.items():
        pages[f"stores/{sid}.md"] = render_store(ctx, eff, render_scorecard(ctx, eff, card))
        pages[f"trace/{sid}.md"] = render_trace(ctx, eff, collect_latest(card, sid))
    for mid in sorted(ctx.corpus.metrics):
        pages[f"metrics/{mid}.md"] = render_metric(ctx, ctx.corpus.metrics[mid], stores)
    return pages


def read_documents(root: Path, corpus: Corpus) -> dict:
    """The YAML files of the standards by repository path (for the clauses' source lines)."""
    from servicekb.yamlpos import read_yaml

    documents = {}
    for sid in sorted(corpus.standards):
        file = corpus.files.get(FileKey.standard(sid))
        if file and (root / file).is_file():
            doc, _ = read_yaml(root / file, file)
            if doc is not None:
                documents[file] = doc
    return documents


def read_repository(root: Path | None) -> dict[str, str]:
    """Where the repository is published (`repository: {url, branch}` in `_config.yml`), for edit links; empty when
    unknown.
    """
    import yaml

    path = root / "_config.yml" if root is not None else None
    if path is None or not path.is_file():
        return {}
    config = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    repo = config.get("repository") if isinstance(config, dict) else None
    if not isinstance(repo, dict) or not str(repo.get("url") or "").startswith("https://"):
        return {}
    return {"repository_url": str(repo["url"]), "repository_branch": str(repo.get("branch") or "main")}


def render_pages(corpus: Corpus, root: Path | None = None, as_of: dt.date | None = None) -> dict[str, str]:
    """Every generated page by path relative to `book/generated/`.

    Args:
        corpus: The loaded knowledge base.
        root: The repository root, where the sample data of the store pages lives (none: no scorecards).
        as_of: The day store profiles are resolved on (overrides expire); default today.
    """
    day = as_of or dt.date.today()
    ctx = build_context(corpus, read_documents(root, corpus) if root is not None else None, **read_repository(root))
    pages = render_context_pages(ctx)
    card = score_sample(root, corpus, day) if root is not None and corpus.stores else None
    pages.update(render_store_pages(ctx, day, card))
    pages["changelog.md"] = render_changelog(root, day)
    return pages
