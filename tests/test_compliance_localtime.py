"""Local time on the engine (fixed offsets and (zone, 15-minute bucket) joins) equals zoneinfo, DST included."""

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
    ],
)
def test_local_time_matches_zoneinfo_around_offset_changes(around):
    centre = pd.Timestamp(around)
    # Every 7 minutes and 13 seconds over six hours either side, so instants fall inside buckets, not only on them.
    stamps = pd.date_range(centre - pd.Timedelta(hours=6), centre + pd.Timedelta(hours=6), freq="433s")
    offsets = build_zone_offsets(ZONES, stamps[0].value, stamps[-1].value)
    # Zones without a change over the span get a fixed offset; the others go through the bucket table.
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
    got = run(offsets.localize(table, "ts", "local").order_by(["_zone", "ts"]))
    expected = np.concatenate(
        [
            stamps.tz_localize("UTC").tz_convert(zone).tz_localize(None).to_numpy(dtype="datetime64[us]")
            for zone in ZONES
        ]
    )
    assert (got["local"].to_numpy(dtype="datetime64[us]") == expected).all()
