"""The registry of metric kinds: a new kind is one module, scored end to end without touching any other file.

The toy kind `max` (the largest value of a column per store and period)
is declared and registered here, in the test module, as a new kind's
module would do; the engine measures it in the same pass as the others,
the scorecard decides its verdict from its declared style, and the worked
explanation reads the same rows.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from conftest import FIXTURES
from ibis import _

from servicekb.compliance.adapter import relations_from_dataset
from servicekb.compliance.context import build_context
from servicekb.compliance.data import read_dataset
from servicekb.compliance.definitions import check_definition
from servicekb.compliance.engine import measure_targets
from servicekb.compliance.kinds import Kind, get_kind, kind_names, register
from servicekb.compliance.kinds.base import zeros
from servicekb.compliance.measures import Measures
from servicekb.compliance.scorecard import decide_status
from servicekb.compliance.targets import ScoredTarget, find_profile_timezones
from servicekb.loader import load_corpus
from servicekb.models import Metric, MetricDefinition, Population
from servicekb.models.catalogue import DataTable
from servicekb.tailoring.effective import TargetSpec
from servicekb.types import Comparator, Unit


class Maximum(Kind):
    """The largest value of `column` over the selected rows of a cell."""

    name = "max"
    needs = ("column",)
    description = "largest value of a column"

    def reduce(self, plan):
        v = plan.col(plan.definition.column)
        keep = plan.selected() & v.notnull()
        return {"n": _.count(where=keep), "top": v.max(where=keep)}

    def finish(self, plan, found, windows=None):
        n = zeros(found["n"])
        out = Measures.blank(plan.size, "no rows")
        out.n, out.value = n, np.where(n > 0, found["top"], np.nan)
        out.reason = np.where(n > 0, "", out.reason).astype(object)
        return out


register(Maximum())


@pytest.fixture(scope="module")
def context():
    corpus = load_corpus(FIXTURES / "compliance" / "repo").corpus
    zones, abstract, _ = find_profile_timezones(corpus, dt.date(2026, 1, 1))
    dataset = read_dataset(FIXTURES / "compliance" / "data", zones, abstract)
    ids = sorted(dataset.stores["store_id"])
    return dataset, build_context(relations_from_dataset(dataset), ids, "month")


def _metric(kind: str, **fields) -> Metric:
    # The catalogue's model only knows the built-in kinds; a new kind's metric is built as the catalogue would hold it.
    definition = MetricDefinition.model_construct(kind=kind, **fields)
    return Metric.model_construct(id="longest-session", unit=Unit.hour, definition=definition)


def test_the_builtin_kinds_are_registered_one_module_each():
    assert {"survey_share", "ratio", "deadline", "mean", "percentile", "count_per_period"} <= set(kind_names())
    assert get_kind("max").verdict == "exact"


def test_a_kind_registered_from_a_test_module_is_scored_end_to_end(context):
    dataset, ctx = context
    metric = _metric("max", table=DataTable.training, column="hours")
    assert check_definition(metric) == []
    spec = TargetSpec(Comparator.ge, 2.0, None, Unit.hour, None)
    measures = measure_targets(ctx, [ScoredTarget(0, metric, Population(), spec)])[0]
    # The figure is the largest session per store and local month, straight from the pandas frame.
    frame = dataset.tables["training"]
    month = frame["session_date"].dt.strftime("%Y-%m")
    expected = frame.groupby([frame["store_id"].astype(str), month])["hours"].max()
    grid = ctx.grid
    got = pd.Series(
        measures.value, index=pd.MultiIndex.from_product([list(grid.stores), grid.labels()]), dtype=np.float64
    )
    assert len(expected) > 0
    pd.testing.assert_series_equal(
        got.dropna().sort_index(), expected.astype(np.float64).sort_index(), check_names=False, check_index_type=False
    )
    # The verdict comes from the kind's declared style (an exact comparison here), decided in one place.
    rows = pd.DataFrame(
        {
            "value": got.dropna().to_numpy(),
            "comparator": ">=",
            "target": 2.0,
            "target_upper": np.nan,
            "ci_low": np.nan,
            "ci_high": np.nan,
            "required": np.nan,
        }
    )
    status = decide_status(rows, pd.Series(["max"] * len(rows)), np.ones(len(rows), bool), np.ones(len(rows), bool))
    assert list(status) == ["pass" if v >= 2.0 else "fail" for v in rows["value"]]


def test_a_kind_missing_a_field_it_needs_is_not_computable(context):
    _, ctx = context
    metric = _metric("max", table=DataTable.training)
    assert check_definition(metric) == ["max needs `column`"]
    spec = TargetSpec(Comparator.ge, 2.0, None, Unit.hour, None)
    measures = measure_targets(ctx, [ScoredTarget(0, metric, Population(), spec)])[0]
    assert not measures.computable
    assert set(measures.reason) == {"definition: max needs `column`"}


def test_an_unregistered_kind_is_reported_not_guessed():
    metric = _metric("median-of-medians", table=DataTable.training, column="hours")
    assert check_definition(metric) == ["no metric kind 'median-of-medians' is registered"]


def test_every_metric_explains_a_cell_with_the_scorecard_figures():
    from servicekb.compliance.explain import explain_metric
    from servicekb.compliance.scorecard import score_stores
    from servicekb.compliance.words import format_number

    corpus = load_corpus(FIXTURES / "compliance" / "repo").corpus
    zones, abstract, _ = find_profile_timezones(corpus, dt.date(2026, 1, 1))
    dataset = read_dataset(FIXTURES / "compliance" / "data", zones, abstract)
    card = score_stores(corpus, dataset, sorted(dataset.stores["store_id"]), "month")
    kinds = {t.spec_id: getattr(t.kind, "value", t.kind) for t in card.targets.specs}
    frame = card.frame.assign(kind=card.frame["spec_id"].map(kinds))
    measured = frame[(frame["n"] > 0) & frame["value"].notna()]
    assert set(measured["kind"]) == {"survey_share", "ratio", "deadline", "mean", "percentile", "count_per_period"}
    # Every metric, not one per kind: the forms of a kind's expressions (`count(ts)`, `a - b`, another table's
    # denominator) each build their own shown columns.
    assert "problem-resolution-rate" in set(measured["metric"])  # a `count(resolved_at)` numerator
    for _metric, rows in measured.groupby("metric"):
        row = rows.iloc[0]
        items = explain_metric(card, row["store_id"], row["period"], row["metric"])
        text = "\n".join(value for item in items for _label, value in item.lines)
        # The worked calculation reaches the scorecard's figure and names the rows it read.
        assert format_number(row["value"]) in text, (row["metric"], text)
        assert " row" in text and row["status"] in text
