"""Store tailoring: resolve a store profile into its effective standard, with provenance.

`resolve_profile(corpus, store_id, as_of)` for one store, `Resolver` for
many (baselines resolved once), `check_profiles` for `servicekb validate`,
`diff_effective` for what a store does differently from its baseline.
"""

from servicekb.strictness import compare_strictness, convert, is_working_time
from servicekb.tailoring.checks import TAILORING_CODES, check_profiles, locate_finding
from servicekb.tailoring.diff import ProfileDiff, TargetChange, diff_effective
from servicekb.tailoring.effective import (
    Candidate,
    EffectiveStandard,
    EffectiveTarget,
    Exclusion,
    Finding,
    Merge,
    MergeEntry,
    OverrideStep,
    SelectedClause,
    TargetKey,
    TargetSpec,
)
from servicekb.tailoring.resolve import Resolver, resolution_epoch, resolve_profile

__all__ = [
    "TAILORING_CODES",
    "Candidate",
    "EffectiveStandard",
    "EffectiveTarget",
    "Exclusion",
    "Finding",
    "Merge",
    "MergeEntry",
    "OverrideStep",
    "ProfileDiff",
    "Resolver",
    "SelectedClause",
    "TargetChange",
    "TargetKey",
    "TargetSpec",
    "check_profiles",
    "compare_strictness",
    "convert",
    "diff_effective",
    "is_working_time",
    "locate_finding",
    "resolution_epoch",
    "resolve_profile",
]
