"""Scorecard outputs: an aligned text table, CSV, JSON and an Excel workbook.

Every format carries the same rows and the public columns of
`scorecard.COLUMNS`; numbers are rounded to 6 decimals and missing values
are empty (CSV, Excel) or null (JSON), so the outputs are deterministic.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np
import pandas as pd

from servicekb.compliance.scorecard import COLUMNS, Scorecard

__all__ = ["render_csv", "render_json", "render_table", "summarize_card", "write_xlsx"]


def _public(card: Scorecard) -> pd.DataFrame:
    frame = card.frame[COLUMNS].copy()
    numbers = frame.select_dtypes("number").columns
    frame[numbers] = frame[numbers].round(6)
    return frame


def summarize_card(card: Scorecard) -> str:
    """`48 rows: 20 pass, 5 fail, ... (as of ...)`."""
    counts = ", ".join(f"{n} {s}" for s, n in card.counts().items() if n)
    as_of = card.as_of.isoformat() if card.as_of is not pd.NaT else "—"
    return f"{len(card.frame)} rows: {counts or 'nothing scored'} (as of {as_of})"


def _fmt(x: float, digits: int = 2) -> str:
    if pd.isna(x):
        return ""
    return f"{x:.{digits}f}".rstrip("0").rstrip(".") if not float(x).is_integer() else f"{int(x)}"


def render_table(card: Scorecard) -> str:
    """An aligned text table, one line per row, and a summary line."""
    f = card.frame
    if f.empty:
        return summarize_card(card) + "\n"
    target = np.where(
        f["comparator"] == "between",
        "between " + f["target"].map(_fmt) + "-" + f["target_upper"].map(_fmt),
        f["comparator"] + " " + f["target"].map(_fmt),
    ) + " " + f["unit"]
    value = np.where(f["value"].isna(), "", f["value"].map(_fmt) + np.where(f["value_unit"] == "percent", " %", " " + f["value_unit"]))
    interval = np.where(f["ci_low"].isna(), "", "[" + f["ci_low"].map(_fmt) + ", " + f["ci_high"].map(_fmt) + "]")
    late = np.where(f["breaches"].isna(), "", f["breaches"].map(_fmt) + "/" + f["pending"].map(_fmt))
    table = pd.DataFrame(
        {
            "store": f["store_id"],
            "period": f["period"],
            "metric": f["metric"],
            "population": f["population"].str.slice(0, 40),
            "target": target,
            "value": value,
            "n": f["n"].map(_fmt),
            "95% interval": interval,
            "breach/pend": late,
            "status": f["status"],
        }
    )
    return table.to_string(index=False) + "\n" + summarize_card(card) + "\n"


def render_csv(card: Scorecard) -> str:
    """CSV with the public columns."""
    buf = io.StringIO()
    _public(card).to_csv(buf, index=False, lineterminator="\n")
    return buf.getvalue()


def render_json(card: Scorecard, meta: dict | None = None) -> str:
    """JSON: meta, status counts and the rows (null for missing values)."""
    frame = _public(card).astype(object).where(lambda d: d.notna(), None)
    data = {
        **(meta or {}),
        "as_of": card.as_of.isoformat() if card.as_of is not pd.NaT else None,
        "period": card.context.grid.granularity,
        "summary": card.counts(),
        "rows": frame.to_dict(orient="records"),
    }
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def write_xlsx(card: Scorecard, path: Path, meta: dict | None = None) -> None:
    """An Excel workbook: sheet `scorecard` (the rows) and sheet `about` (as-of, period, counts, meta)."""
    about = pd.DataFrame(
        [("as_of", card.as_of.isoformat() if card.as_of is not pd.NaT else ""), ("period", card.context.grid.granularity)]
        + [(k, str(v)) for k, v in (meta or {}).items()]
        + [(f"rows {s}", n) for s, n in card.counts().items()],
        columns=["item", "value"],
    )
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        _public(card).to_excel(writer, sheet_name="scorecard", index=False)
        about.to_excel(writer, sheet_name="about", index=False)
