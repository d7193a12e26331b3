"""The registry of metric kinds: a new kind is one module, scored end to end without touching any other file.

`NEW_KIND` is a whole kind module (`longest`: the largest value of a column
per store and period). One test writes it into a copy of the package and
shows the models, the schema, the registry and the engine take it; the
same code is also registered here as the toy kind `max`, which the engine
measures in the same pass as the others, whose verdict the scorecard
decides from its declared style, and whose worked explanation reads the
same rows.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from conftest import CELLS_OF_MEASURES, FIXTURES, run_in_package_copy

from servicekb.compliance.adapter import relations_from_dataset
from servicekb.compliance.context import build_context
from servicekb.compliance.data import read_dataset
from servicekb.compliance.definitions import check_definition
from servicekb.compliance.engine import measure_targets
from servicekb.compliance.kinds import get_kind, kind_names
from servicekb.compliance.scorecard import decide_status
from servicekb.compliance.targets import ScoredTarget, find_profile_timezones
from servicekb.loader import load_corpus
from servicekb.models import Metric, MetricDefinition, Population
from servicekb.models.catalogue import DataTable
from servicekb.tailoring.effective import TargetSpec
from servicekb.types import Comparator, Unit

# A whole new kind, as its author would add it: this one file in servicekb/compliance/kinds/, nothing else.
NEW_KIND = '''
"""longest: the largest value of a column over the selected rows of a cell."""

import numpy as np

from servicekb.compliance.kinds import register
from servicekb.compliance.kinds.base import Kind, max_if, count_if, zeros
from servicekb.compliance.measures import Measures


class Longest(Kind):
    name = "longest"
    needs = ("column",)
    description = "largest value of a column"

    def reduce(self, plan):
        v = plan.col(plan.definition.column)
        keep = plan.selected() & v.notnull()
        return {"n": count_if(keep), "top": max_if(v, keep)}

    def finish(self, plan, found, windows=None):
        n = zeros(found["n"])
        out = Measures.blank(plan.size, "no rows")
        out.n, out.value = n, np.where(n > 0, found["top"], np.nan)
        out.reason = np.where(n > 0, "", out.reason).astype(object)
        return out


register(Longest())
'''

# The same module's code, registered from here as the toy kind `max` (the largest value of a column per cell).
exec(compile(NEW_KIND.replace('name = "longest"', 'name = "max"'), "<toy kind max>", "exec"), {})


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


KIND_PROBE = (
    CELLS_OF_MEASURES
    + """
import json, sys
from pathlib import Path
import servicekb
from servicekb.compliance.adapter import relations_from_dataset
from servicekb.compliance.context import build_context
from servicekb.compliance.data import read_dataset
from servicekb.compliance.engine import measure_targets
from servicekb.compliance.targets import ScoredTarget, find_profile_timezones
from servicekb.loader import load_corpus
from servicekb.models import Metric, Population
from servicekb.schemas import render_schemas
from servicekb.tailoring.effective import TargetSpec
from servicekb.types import Comparator, Unit

fixtures = Path(sys.argv[1])
# Validated as the catalogue's YAML is, not constructed around the model.
metric = Metric.model_validate({
    "id": "longest-session", "name": {"zh": "最长培训", "en": "Longest session"}, "unit": "hour",
    "direction": "higher_is_better",
    "definition": {"kind": "longest", "table": "training", "column": "hours"},
})
corpus = load_corpus(fixtures / "compliance" / "repo").corpus
zones, abstract, _ = find_profile_timezones(corpus, __import__("datetime").date(2026, 1, 1))
dataset = read_dataset(fixtures / "compliance" / "data", zones, abstract)
ctx = build_context(relations_from_dataset(dataset), sorted(dataset.stores["store_id"]), "month")
spec = TargetSpec(Comparator.ge, 2.0, None, Unit.hour, None)
m = measure_targets(ctx, [ScoredTarget(0, metric, Population(), spec)])[0]
cells = cells_of(m, ctx)
schema = json.loads(render_schemas()["metric-catalogue.schema.json"])
print(json.dumps({
    "package": servicekb.__file__,
    "computable": bool(m.computable),
    "cells": cells,
    "schema": schema["$defs"]["MetricKind"]["enum"],
}))
"""
)


def _add_kind(text: str):
    def edit(package):
        (package / "compliance" / "kinds" / "longest.py").write_text(text, encoding="utf-8")

    return edit


def test_adding_a_kind_is_one_module(tmp_path):
    """Copy the package, add one kind module: the models, the schema, the registry and the engine all take it."""
    import json

    done = run_in_package_copy(tmp_path, _add_kind(NEW_KIND), KIND_PROBE, str(FIXTURES))
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)
    assert found["package"].startswith(str(tmp_path))  # the copy, not the repository's package
    assert "longest" in found["schema"] and found["computable"]
    frame = read_dataset(
        FIXTURES / "compliance" / "data",
        *find_profile_timezones(load_corpus(FIXTURES / "compliance" / "repo").corpus, dt.date(2026, 1, 1))[:2],
    ).tables["training"]
    month = frame["session_date"].dt.strftime("%Y-%m")
    expected = frame.groupby([frame["store_id"].astype(str), month])["hours"].max()
    assert len(expected) > 0
    assert found["cells"] == {f"{s} {p}": float(v) for (s, p), v in expected.items()}


def test_a_kind_module_must_register_the_kind_it_is_named(tmp_path):
    misnamed = NEW_KIND.replace('name = "longest"', 'name = "max_value"')
    probe = "from servicekb.compliance.kinds import kind_names; kind_names()"
    done = run_in_package_copy(tmp_path, _add_kind(misnamed), probe)
    assert done.returncode != 0
    assert "servicekb/compliance/kinds/longest.py registers no kind named 'longest'" in done.stderr
