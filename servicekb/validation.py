"""Everything `servicekb validate` checks, in one call.

Loading (`servicekb.loader`) checks files and references; the analyses add
what needs more than one file's worth of meaning: store profiles resolved on
a given day (tailoring). This module sits above both so that the loader never
depends on an analysis.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from servicekb.corpus import FileKey
from servicekb.loader import LoadResult, load_corpus

__all__ = ["validate_repository"]


def _profiles_on_unloaded(result: LoadResult) -> set[str]:
    """Files of the store profiles whose resolution rests on a file that did not load.

    Their tailoring findings would be cascades.
    """
    if not result.unloaded:
        return set()
    if FileKey.metrics() in result.unloaded:
        return {result.corpus.files[FileKey.store(sid)] for sid in result.corpus.stores}
    shaken: set[str] = set()
    for sid, store in result.corpus.stores.items():
        chain, seen = store, set()
        while chain is not None and chain.id not in seen:
            seen.add(chain.id)
            if any(FileKey.standard(std) in result.unloaded for std in chain.adopts) or (
                chain.extends and FileKey.store(chain.extends) in result.unloaded
            ):
                shaken.add(result.corpus.files[FileKey.store(sid)])
                break
            chain = result.corpus.stores.get(chain.extends) if chain.extends else None
    return shaken


def validate_repository(root: Path, paths: Sequence[Path] | None = None, *, today: dt.date | None = None) -> LoadResult:
    """Load and check the knowledge base; `today` decides which overrides have expired."""
    from servicekb.review.links import check_review_links
    from servicekb.review.stamps import LOCK_FILE
    from servicekb.tailoring.checks import check_profiles

    result = load_corpus(root, paths)
    day = today or dt.date.today()
    shaken = _profiles_on_unloaded(result)
    tailoring = [i for i in check_profiles(result.corpus, result.documents, day) if i.file in result.reported]
    kept = [i for i in tailoring if i.file not in shaken and not result.depends_on_unloaded(i)]
    result.issues.extend(kept)
    if len(kept) < len(tailoring):
        result.issues.extend(n for n in result.held_back_notes() if n not in result.issues)
    # suspect-link warnings at the referrers; problems of the lock file itself when the whole repository is checked.
    result.issues.extend(
        i
        for i in check_review_links(root, result.corpus, result.documents)
        if i.file in result.reported or (i.file == LOCK_FILE and not paths)
    )
    return result
