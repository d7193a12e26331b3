"""Local time on the engine (fixed offsets and (zone, UTC day) joins) equals zoneinfo, DST included."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from servicekb.compliance.ibisio import frame_table, run
from servicekb.compliance.localtime import build_zone_offsets

# Paris (DST at 01:00 UTC), Shanghai (no change), Lord Howe (30-minute DST shift), Kathmandu (+05:45, fixed).
ZONES = ("Asia/Kathmandu", "Asia/Shanghai", "Australia/Lord_Howe", "Europe/Paris")


@pytest.mark.parametrize(
    "around",
    [
        "2026-03-29T01:00:00",  # Paris springs forward
        "2026-10-25T01:00:00",  # Paris falls back: the local hour 02:00-03:00 happens twice
        "2026-04-04T15:00:00",  # Lord Howe falls back half an hour
        "2026-10-03T15:30:00",  # Lord Howe springs forward half an hour
        "2026-06-30T23:59:59",  # a month boundary
        "1986-05-03T18:00:00",  # Shanghai's daylight saving of 1986 starts
        "2148-10-27T01:00:00",  # far in the future: Paris falls back (the rule, projected)
    ],
)
# DuckDB adds the offset as integer microseconds, any other engine as an interval: both must be right.
@pytest.mark.parametrize("engine", ["duckdb", "another"])
def test_local_time_matches_zoneinfo_around_offset_changes(around, engine):
    centre = pd.Timestamp(around)
    # Every 7 minutes and 13 seconds over six hours either side: instants fall between a day's start and its
    # change, not only on them.
    stamps = pd.date_range(centre - pd.Timedelta(hours=6), centre + pd.Timedelta(hours=6), freq="433s")
    offsets = build_zone_offsets(ZONES, stamps[0].value, stamps[-1].value)
    # Zones without a change from the first instant on get a fixed offset; the others go through the day table.
    # (Shanghai kept daylight saving until 1991, Kathmandu moved to +05:45 in 1986: fixed only after that.)
    if centre.year > 1991:
        assert offsets.fixed[ZONES.index("Asia/Shanghai")] == 8 * 3600
        assert offsets.fixed[ZONES.index("Asia/Kathmandu")] == 5 * 3600 + 45 * 60
    rows = pd.DataFrame(
        {
            "ts": np.tile(stamps.to_numpy(dtype="datetime64[us]"), len(ZONES)),
            "_zone": np.repeat(np.arange(len(ZONES), dtype=np.int64), len(stamps)),
        }
    )
    rows["_fixed"] = pd.array([offsets.fixed.get(int(z)) for z in rows["_zone"]], dtype="Int64")
    table = frame_table(rows)
    got = run(offsets.localize(table, "ts", "local", engine).order_by(["_zone", "ts"]))
    expected = np.concatenate(
        [
            stamps.tz_localize("UTC").tz_convert(zone).tz_localize(None).to_numpy(dtype="datetime64[us]")
            for zone in ZONES
        ]
    )
    assert (got["local"].to_numpy(dtype="datetime64[us]") == expected).all()


def test_every_timestamp_a_kind_localizes_is_not_before_its_tables_event_time():
    # The day table starts at the scored data's first event time: a table's other timestamp columns must be
    # validated as not coming before its event time, or their local times could fall before the table.
    from servicekb.datatables import TABLES

    for name, spec in TABLES.items():
        for column in spec.columns:
            if column.type == "timestamp" and column.name != spec.event_time:
                assert (column.name, spec.event_time) in spec.not_before, (name, column.name)


def test_the_day_table_spans_the_scored_instants_and_a_zone_changing_only_later_is_fixed():
    first, last = pd.Timestamp("2026-01-10").value, pd.Timestamp("2026-02-10").value
    # Paris moves to summer time on 29 March 2026: over January and February its offset is one hour.
    offsets = build_zone_offsets(("Asia/Shanghai", "Europe/Paris"), first, last)
    assert offsets.fixed == {0: 8 * 3600, 1: 3600} and offsets.days.empty
    offsets = build_zone_offsets(("Asia/Shanghai", "Europe/Paris"), first, pd.Timestamp("2026-04-01").value)
    assert offsets.fixed == {0: 8 * 3600}
    # Two days of margin either side, no more: a table as long as the scored span, not as the supported range.
    days = pd.to_datetime(offsets.days["day"].astype(str))
    assert (days.min(), days.max()) == (pd.Timestamp("2026-01-08"), pd.Timestamp("2026-04-03"))
