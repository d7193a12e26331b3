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

from servicekb.loader import LoadResult, load_corpus

__all__ = ["validate_repository"]


def validate_repository(root: Path, paths: Sequence[Path] | None = None, *, today: dt.date | None = None) -> LoadResult:
    """Load and check the knowledge base; `today` decides which overrides have expired."""
    from servicekb.review.links import check_review_links
    from servicekb.review.stamps import LOCK_FILE
    from servicekb.tailoring.checks import check_profiles

    result = load_corpus(root, paths)
    day = today or dt.date.today()
    result.issues.extend(i for i in check_profiles(result.corpus, result.documents, day) if i.file in result.reported)
    # suspect-link warnings at the referrers; problems of the lock file itself when the whole repository is checked.
    result.issues.extend(i for i in check_review_links(root, result.corpus, result.documents) if i.file in result.reported or (i.file == LOCK_FILE and not paths))
    return result
