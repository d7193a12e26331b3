"""Helpers of `servicekb.issues` shared by every message."""

from __future__ import annotations

from servicekb.issues import join_some


def test_join_some_names_the_first_and_counts_the_rest():
    assert join_some([], 3) == ""
    assert join_some(["a", "b", "c"], 3) == "a, b, c"
    assert join_some(["a", "b", "c", "d", "e"], 3) == "a, b, c and 2 more"
