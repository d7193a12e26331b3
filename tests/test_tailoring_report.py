"""Rendering the effective standard: deterministic text, plain data with units a program can use."""

from __future__ import annotations

import json

from test_tailoring_resolve import COMPLAINT, DAY, make_corpus, resolve, target

from servicekb.tailoring import resolve_profile
from servicekb.tailoring.report import effective_to_dict, render_effective

STORE = {
    "id": "store",
    "adopts": ["alpha", "beta"],
    "overrides": [
        {"metric": "complaint-resolution-time", "population": COMPLAINT, "comparator": "<=", "value": 1, "unit": "day"}
    ],
    "local_clauses": [
        {
            "id": "store#1",
            "text": "贵宾预约须在2小时内确认。",
            "kind": "requirement",
            "modality": "must",
            "stage": "pre-sale",
            "targets": [
                target(
                    "repair-response-time",
                    "<=",
                    90,
                    "minute",
                    {"ticket_kind": "repair", "note": "贵宾上门维修预约确认"},
                )
            ],
        }
    ],
}


def test_rendering_is_deterministic():
    # Same input, same bytes: two independent resolutions render identically.
    first = render_effective(resolve(STORE))
    second = render_effective(resolve_profile(make_corpus(STORE), "store", DAY))
    assert first == second
    assert json.dumps(effective_to_dict(resolve(STORE), make_corpus().metrics), sort_keys=True) == json.dumps(
        effective_to_dict(resolve(STORE), make_corpus().metrics), sort_keys=True
    )


def test_values_are_also_given_in_the_metrics_unit():
    data = effective_to_dict(resolve(STORE), make_corpus().metrics)
    by_metric = {(t["metric"], json.dumps(t["population"], ensure_ascii=False)): t for t in data["targets"]}
    complaint = by_metric[("complaint-resolution-time", json.dumps(COMPLAINT))]
    assert (complaint["value"], complaint["unit"], complaint["in_metric_unit"]) == (
        1,
        "day",
        {"value": 24, "upper": None, "unit": "hour"},
    )
    vip = by_metric[
        (
            "repair-response-time",
            json.dumps({"ticket_kind": "repair", "note": "贵宾上门维修预约确认"}, ensure_ascii=False),
        )
    ]
    assert vip["in_metric_unit"]["value"] == 1.5
    assert vip["set_by"] == {"clause": "store#1", "source": "store"}
    feedback = by_metric[("feedback-resolution-time", json.dumps({"ticket_kind": "feedback"}))]
    assert (feedback["unit"], feedback["in_metric_unit"]) == ("working_day", None)  # working days are not hours


def test_table_lists_merges_and_aligns_chinese_text():
    text = render_effective(resolve(STORE))
    assert "Merges (3)" in text  # complaints, satisfaction, feedback (working days vs hours)
    table = text.split("Provenance")[0]
    rows = [line for line in table.splitlines() if line.startswith("  repair-response-time")]
    assert len(rows) == 2 and "…" in rows[0]  # the long Chinese note is clipped
    # Chinese characters take two columns: the target column still lines up with the header.
    header = next(line for line in text.splitlines() if line.startswith("  metric"))
    for row in rows:
        before = row.split("<=")[0]
        assert sum(2 if ord(ch) > 0x2E80 else 1 for ch in before) == header.index("target")


def test_an_empty_baseline_renders():
    text = render_effective(resolve({"id": "base", "abstract": True}))
    assert "Targets (0)" in text and "Adopts     (nothing)" in text
