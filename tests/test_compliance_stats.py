"""The 95 % Wilson interval against published values, and its worked steps."""

from __future__ import annotations

import numpy as np
import pytest

from servicekb.compliance.stats import compute_wilson, explain_wilson


@pytest.mark.parametrize(
    ("x", "n", "low", "high"),
    [
        # Newcombe (1998), Statistics in Medicine 17, table I, method 3: 81/263
        (81, 263, 0.2553, 0.3662),
        # ... 15/148
        (15, 148, 0.0624, 0.1605),
        # ... 0/20: the interval starts at 0 and is not degenerate
        (0, 20, 0.0, 0.1611),
        # ... 1/29
        (1, 29, 0.0061, 0.1718),
    ],
)
def test_wilson_matches_published_intervals(x, n, low, high):
    lo, hi = compute_wilson(np.array([x]), np.array([n]))
    assert (round(float(lo[0]), 4), round(float(hi[0]), 4)) == (low, high)


def test_no_answers_give_no_interval():
    lo, hi = compute_wilson(np.array([0]), np.array([0]))
    assert np.isnan(lo[0]) and np.isnan(hi[0])


def test_more_answers_narrow_the_interval_around_the_same_share():
    lo, hi = compute_wilson(np.array([9, 90, 900]), np.array([10, 100, 1000]))
    widths = hi - lo
    assert widths[0] > widths[1] > widths[2]
    assert np.all((lo < 0.9) & (0.9 < hi))


def test_worked_steps_give_the_same_interval():
    steps = explain_wilson(190, 212)
    lo, hi = compute_wilson(np.array([190]), np.array([212]))
    assert (steps.low, steps.high) == pytest.approx((lo[0], hi[0]))
    assert steps.centre - steps.half_width == pytest.approx(steps.low)
