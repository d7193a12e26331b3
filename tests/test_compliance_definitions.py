"""Metric definitions as the engine reads them: problems named, populations mapped onto filters."""

from __future__ import annotations

import pytest

from servicekb.compliance.definitions import check_definition, parse_expression, select_rows
from servicekb.models import Metric, MetricDefinition, Population


def metric(**definition) -> Metric:
    return Metric.model_validate(
        {
            "id": "m",
            "name": {"zh": "指标"},
            "unit": "percent",
            "direction": "higher_is_better",
            "definition": definition,
        }
    )


@pytest.mark.parametrize(
    ("definition", "problem"),
    [
        # a deadline without its end column
        ({"kind": "deadline", "table": "tickets", "start": "opened_at"}, "deadline needs `end`"),
        # a filter on a column the table does not have
        (
            {
                "kind": "deadline",
                "table": "tickets",
                "start": "opened_at",
                "end": "resolved_at",
                "filters": {"type": "complaint"},
            },
            "tickets has no column 'type'",
        ),
        # a deadline between columns that are not timestamps
        (
            {"kind": "deadline", "table": "tickets", "start": "opened_at", "end": "kind"},
            "'kind' is not a timestamp column",
        ),
        # an expression the engine does not know
        (
            {"kind": "ratio", "table": "store_periods", "numerator": "visitors * 2", "denominator": "visitors"},
            "is not `count`",
        ),
        # a denominator column missing from its table
        (
            {
                "kind": "ratio",
                "table": "tickets",
                "numerator": "count",
                "denominator_table": "store_periods",
                "denominator": "sales",
            },
            "store_periods has no column 'sales'",
        ),
        # a survey share needs its threshold
        ({"kind": "survey_share", "table": "surveys", "column": "csat_score"}, "survey_share needs `threshold`"),
        # implied values are keyed by population field
        (
            {
                "kind": "ratio",
                "table": "store_periods",
                "numerator": "staff_trained",
                "denominator": "staff_count",
                "implied": {"subject": "x"},
            },
            "'subject' is not a population field",
        ),
    ],
)
def test_definition_problems_are_named(definition, problem):
    assert any(problem in p for p in check_definition(metric(**definition)))


@pytest.mark.parametrize(
    ("text", "form", "columns"),
    [
        ("count", "count", ()),
        ("count(resolved_at)", "count_set", ("resolved_at",)),
        (
            "inventory_book_value - inventory_counted_value",
            "difference",
            ("inventory_book_value", "inventory_counted_value"),
        ),
        ("visitors", "column", ("visitors",)),
    ],
)
def test_expressions(text, form, columns):
    e = parse_expression(text)
    assert (e.form, e.columns) == (form, columns)


SATISFACTION = MetricDefinition.model_validate(
    {
        "kind": "survey_share",
        "table": "surveys",
        "column": "csat_score",
        "threshold": 4,
        "defaults": {"topic": "overall"},
    }
)
COMPLAINTS = MetricDefinition.model_validate(
    {
        "kind": "deadline",
        "table": "tickets",
        "filters": {"kind": "complaint"},
        "start": "opened_at",
        "end": "first_response_at",
    }
)


def test_a_default_applies_until_the_population_says_otherwise():
    assert select_rows(SATISFACTION, Population()).filters == (("topic", ("overall",)),)
    assert select_rows(SATISFACTION, Population(topic="display")).filters == (("topic", ("display",)),)


def test_a_population_narrows_the_metric_filters():
    sel = select_rows(COMPLAINTS, Population(ticket_kind="complaint", severity="major", channels=["phone", "app"]))
    assert sel.filters == (("channel", ("app", "phone")), ("kind", ("complaint",)), ("severity", ("major",)))


def test_a_population_that_contradicts_the_metric_is_not_computable():
    assert "contradicts the metric's filter kind = complaint" in select_rows(
        COMPLAINTS, Population(ticket_kind="repair")
    )


def test_a_population_note_is_not_a_filter():
    assert select_rows(COMPLAINTS, Population(note="门店风险分级")).filters == (("kind", ("complaint",)),)
