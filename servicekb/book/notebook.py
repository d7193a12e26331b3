"""What the worked calculations (`notebooks/*.md`) show readers: tidy tables and captioned charts.

A manager reads the notebooks' outputs, not their code: tables without the
pandas row numbers and with `—` for a missing value, numbers without
trailing zeros, and every chart drawn by the book's own offline chart
library (`servicekb.book.embed`, the same safe block as the generated
pages) with a Chinese caption under it.
"""

from __future__ import annotations

import html
import math
from typing import Any

from servicekb.book.embed import make_chart_block
from servicekb.book.vocab import format_number

__all__ = ["MISSING", "chart_html", "show_chart", "show_table", "table_html"]

MISSING = "—"


def _cell(value: Any, digits: int) -> str:
    if value is None:
        return MISSING
    try:
        import pandas as pd

        if value is pd.NA or value is pd.NaT:
            return MISSING
    except ImportError:  # pragma: no cover - the book extra installs pandas
        pass
    if isinstance(value, float):
        return MISSING if math.isnan(value) else format_number(value, digits)
    if hasattr(value, "item") and not isinstance(value, str):  # numpy scalars
        return _cell(value.item(), digits)
    text = str(value)
    return MISSING if text in ("", "nan", "NaN", "None", "<NA>", "NaT") else text


def table_html(frame, digits: int = 2, caption: str | None = None) -> str:
    """A frame as an HTML table: no row numbers, `—` for a missing value, column levels joined by ` · `."""
    columns = [
        " · ".join(str(c) for c in col if str(c)) if isinstance(col, tuple) else str(col) for col in frame.columns
    ]
    head = "".join(f"<th>{html.escape(c)}</th>" for c in columns)
    rows = []
    for record in frame.itertuples(index=False, name=None):
        rows.append("<tr>" + "".join(f"<td>{html.escape(_cell(v, digits))}</td>" for v in record) + "</tr>")
    cap = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    return f'<table class="table skb-table">{cap}<thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'


def show_table(frame, digits: int = 2, caption: str | None = None):
    """Display a frame in a notebook as `table_html` does."""
    from IPython.display import HTML

    return HTML(table_html(frame, digits, caption))


def chart_html(name: str, chart, caption: str) -> str:
    """A chart (altair) drawn offline by the book's chart library, with its Chinese caption under it."""
    lines = make_chart_block(name, chart.to_dict(validate=False), renderer="svg")
    start = lines.index("```{raw} html") + 1
    end = len(lines) - 1 - lines[::-1].index("```")
    body = "\n".join(lines[start:end])
    return f'<figure class="skb-figure">{body}<figcaption>{html.escape(caption)}</figcaption></figure>'


def show_chart(name: str, chart, caption: str):
    """Display a chart in a notebook as `chart_html` does."""
    from IPython.display import HTML

    return HTML(chart_html(name, chart, caption))
