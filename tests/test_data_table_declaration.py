"""A new operational data table is one declaration in servicekb/datatables.py: read, validated, scored, documented.

The test copies the package, adds one `TableSpec` (deliveries: one row per home delivery, with how late it
arrived) and nothing else, then, in that copy: a catalogue entry reading the new table validates as the YAML
loader validates it, the schema offers the table, the reader finds `deliveries.csv` and reports a bad row
with its file, line and column, the engine scores a mean over the new table per store and local month, and
the README's column list shows it.
"""

from __future__ import annotations

import json

from conftest import CELLS_OF_MEASURES, FIXTURES, add_after, run_in_package_copy

ANCHOR = "TABLES: dict[str, TableSpec] = {\n"
NEW_TABLE = """    "deliveries": TableSpec(
        "deliveries",
        "One row per home delivery.",
        (
            ColumnSpec("delivery_id", "id", "Unique id of the delivery.", unique=True),
            ColumnSpec("store_id", "store", "Store that delivered."),
            ColumnSpec("delivered_at", "timestamp", "When it arrived (store's local time without an offset)."),
            ColumnSpec("minutes_late", "number", "Minutes after the promised window; 0 when on time.", low=0),
        ),
        event_time="delivered_at",
        optional_file=True,
    ),
"""

CSV = """delivery_id,store_id,delivered_at,minutes_late
D1,sh1,2026-01-05T10:00:00,0
D2,sh1,2026-01-20T18:30:00,30
D3,sh1,2026-02-03T09:00:00,12
D4,pa1,2026-01-31T23:30:00,5
"""

PROBE = (
    CELLS_OF_MEASURES
    + r"""
import json, shutil, sys
from pathlib import Path
import datetime as dt
import servicekb
from servicekb.compliance.duckdata import read_folder
from servicekb.compliance.engine import measure_targets
from servicekb.compliance.context import build_context
from servicekb.compliance.targets import ScoredTarget, find_profile_timezones
from servicekb.datatables import describe_columns
from servicekb.loader import load_corpus
from servicekb.models import Metric, Population
from servicekb.schemas import render_schemas
from servicekb.tailoring.effective import TargetSpec
from servicekb.types import Comparator, Unit

fixtures, data, csv = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
metric = Metric.model_validate({
    "id": "delivery-lateness", "name": {"zh": "送货迟到", "en": "Delivery lateness"}, "unit": "minute",
    "direction": "lower_is_better",
    "definition": {"kind": "mean", "table": "deliveries", "column": "minutes_late"},
})
corpus = load_corpus(fixtures / "compliance" / "repo").corpus
zones, abstract, _ = find_profile_timezones(corpus, dt.date(2026, 1, 1))
shutil.copytree(fixtures / "compliance" / "data", data)
(data / "deliveries.csv").write_text(csv, encoding="utf-8")
with read_folder(data, zones, abstract, display="data") as read:
    clean = read.ok
    ctx = build_context(read.relations(), ["pa1", "sh1"], "month")
    spec = TargetSpec(Comparator.le, 10.0, None, Unit.minute, None)
    m = measure_targets(ctx, [ScoredTarget(0, metric, Population(), spec)])[0]
    cells = cells_of(m, ctx)
(data / "deliveries.csv").write_text(csv.replace("D3,sh1,2026-02-03T09:00:00,12", "D3,sh1,2026-02-03T09:00:00,-4"))
with read_folder(data, zones, abstract, display="data") as read:
    bad = [(i.file, i.line, i.col, i.code, i.path) for i in read.issues() if i.level.value == "error"]
schema = json.loads(render_schemas()["metric-catalogue.schema.json"])
print(json.dumps({
    "package": servicekb.__file__,
    "clean": clean,
    "cells": cells,
    "bad": bad,
    "schema": schema["$defs"]["DataTable"]["enum"],
    "documented": sorted({row["table"] for row in describe_columns()}),
}))
"""
)


def test_adding_a_data_table_is_one_declaration(tmp_path):
    done = run_in_package_copy(
        tmp_path,
        lambda pkg: add_after(pkg / "datatables.py", ANCHOR, NEW_TABLE),
        PROBE,
        str(FIXTURES),
        str(tmp_path / "data"),
        CSV,
    )
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)
    assert found["package"].startswith(str(tmp_path))  # the copy, not the repository's package
    assert found["clean"] is True
    # Local months of each store: D4 at 23:30 on 31 January in Paris is January there.
    assert found["cells"] == {"pa1 2026-01": 5.0, "sh1 2026-01": 15.0, "sh1 2026-02": 12.0}
    assert found["bad"] == [["data/deliveries.csv", 4, 4, "negative-amount", "minutes_late"]]
    assert "deliveries" in found["schema"] and "deliveries" in found["documented"]
