"""Which profile scores which data store: the profiles' `data_store_ids` and the optional `stores` table.

Named explicitly, never by order. A profile's `data_store_ids` bind those
data stores to it; the `stores` table (validated like every table, in
`compliance.duckcheck`) binds more. A row of the table naming a profile
that does not exist or is abstract is `unknown-profile`; a row that maps a
claimed id to another profile is `store-binding-conflict`. Without either,
a store id equal to a profile id is scored against that profile.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping

import numpy as np
import pandas as pd

from servicekb.compliance.checkrules import ABSTRACT_PROFILE
from servicekb.compliance.parse import make_problems

__all__ = ["bind_stores"]


def bind_stores(
    rows: pd.DataFrame | None,
    file: str,
    line_of: Callable,
    profile_col: int,
    profiles: Mapping[str, str],
    abstract: Collection[str],
    claims: Mapping[str, str],
) -> tuple[pd.DataFrame, list[pd.DataFrame]]:
    """The store map (store_id, profile, timezone) and the problems of the `stores` table's rows.

    `rows`: the table's typed rows (`_row`, `store_id`, `profile`; None when
    there is no table), `line_of` turns row positions into lines and
    `profile_col` is the position of the `profile` column in the file.
    """
    bound = {s: p for s, p in claims.items() if p in profiles}
    if rows is None:
        ids = sorted(set(bound) | {p for p in profiles if p not in claims})
        prof = [bound.get(i, i) for i in ids]
        return pd.DataFrame({"store_id": ids, "profile": prof, "timezone": [profiles[p] for p in prof]}), []
    rows = rows.set_index("_row")
    lines = line_of(np.arange(int(rows.index.max()) + 1)) if len(rows) else 2
    found = []
    profile = rows["profile"]
    known = profile.isin(list(profiles)) | profile.isna()
    bad = rows.index[~known.to_numpy()]
    if len(bad):
        names = profile.loc[bad].astype("str")
        why = names.map(lambda p: ABSTRACT_PROFILE if p in abstract else "is not a profile in stores/")
        found.append(
            make_problems(
                "stores", file, lines, bad, "profile", profile_col, "unknown-profile", "'" + names + "' " + why
            )
        )
    ids, names = rows["store_id"].astype("str"), profile.astype("str")
    owner = ids.map(lambda s: claims.get(s, ""))
    clash = rows["store_id"].notna() & profile.notna() & (owner != "") & (owner != names)
    if clash.any():
        where = rows.index[clash.to_numpy()]
        msg = (
            "'"
            + ids[clash]
            + "' is mapped to '"
            + names[clash]
            + "' but stores/"
            + owner[clash]
            + ".yaml names it in data_store_ids: one data store, one profile"
        )
        found.append(make_problems("stores", file, lines, where, "profile", profile_col, "store-binding-conflict", msg))
    good = rows.loc[known & ~clash & profile.notna() & rows["store_id"].notna()].drop_duplicates("store_id")
    table = dict(zip(good["store_id"].astype("str"), good["profile"].astype("str"), strict=False))
    merged = {**table, **bound}
    stores = pd.DataFrame({"store_id": sorted(merged), "profile": [merged[s] for s in sorted(merged)]})
    stores["timezone"] = stores["profile"].map(dict(profiles))
    return stores, found
