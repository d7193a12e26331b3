"""Compatibility: the synthetic dataset generator moved to `servicekb.compliance.synthetic`.

Kept only until the imports in book/sample.py, cli/score_cmd.py, bench/score.py and
tests/test_compliance_agreement.py name the new module; then delete this file.
"""

from servicekb.compliance.synthetic import (
    SAMPLE_MARKER,
    SampleStore,
    generate_sample,
    make_claimed_stores,
    make_sample_stores,
    write_sample,
)

__all__ = [
    "SAMPLE_MARKER",
    "SampleStore",
    "generate_sample",
    "make_claimed_stores",
    "make_sample_stores",
    "write_sample",
]
