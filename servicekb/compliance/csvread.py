"""Reading one CSV data file so that no row can be swallowed: every record keeps its physical line.

A CSV reader that only counts records hides the damage a stray quote does:
`"` opens a field that runs on, newlines and all, until the next quote, and
fifteen tickets become one text cell. Here every record is read with the
line it starts on, and whatever a careful reader would doubt is reported
at that line, never silently accepted:

- a record that spans lines (a field holding a line break: a stray quote);
- a field holding a whole delimiter-separated row (a quote that swallowed
  the rest of a line);
- a record with more or fewer fields than the header (ragged);
- a file that is not UTF-8: refused at its first bad byte, naming the
  encoding it looks like (GB18030, Big5 ...), never decoded by guess.

The cells stay text; `compliance.parse` types them. Problems here are
per row (dropped with `--drop-invalid`) or, for the encoding, the file's.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from servicekb.compliance.parse import make_header_problem, make_problems

__all__ = ["CsvTable", "read_csv_table"]


@dataclass
class CsvTable:
    """The text cells of a CSV file (None when it cannot be read), the physical line of each row, and the problems."""

    frame: pd.DataFrame | None
    lines: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    problems: list[pd.DataFrame] = field(default_factory=list)


def _encoding_problem(table: str, file: str, raw: bytes, exc: UnicodeDecodeError) -> pd.DataFrame:
    from charset_normalizer import from_bytes

    before = raw[: exc.start]
    line = before.count(b"\n") + 1
    col = exc.start - (before.rfind(b"\n") + 1) + 1
    guess = from_bytes(raw[: 1 << 20]).best()
    looks = (
        f" (it looks like {guess.encoding.upper().replace('_', '-')})"
        if guess is not None and guess.encoding not in ("utf_8", "ascii")
        else ""
    )
    frame = make_header_problem(
        table,
        file,
        "",
        col,
        "not-utf8",
        f"byte 0x{raw[exc.start]:02x} at line {line} is not UTF-8{looks}; save the file as UTF-8",
    )
    frame["line"] = line
    return frame


def read_csv_table(path: Path, table: str, file: str) -> CsvTable:
    """Read `path` (a `table` shown as `file` in messages) into text cells with their physical lines."""
    raw = path.read_bytes()
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return CsvTable(None, problems=[_encoding_problem(table, file, raw, exc)])
    # A stray quote can make one field of the whole rest of the file: no field-size limit hides that as an exception.
    csv.field_size_limit(max(csv.field_size_limit(), len(text) + 1))
    reader = csv.reader(io.StringIO(text, newline=""), strict=False)
    header: list[str] | None = None
    header_end = 0
    records: list[list[str]] = []
    starts: list[int] = []
    ends: list[int] = []
    last = 0
    try:
        for record in reader:
            start, last = last + 1, reader.line_num
            if not record or (len(record) == 1 and not record[0].strip()):
                continue  # a blank line holds no row
            if header is None:
                header, header_end = record, last
                continue
            records.append(record)
            starts.append(start)
            ends.append(last)
    except csv.Error as exc:
        problem = make_header_problem(table, file, "", 1, "unreadable-file", f"not readable as CSV: {exc}")
        problem["line"] = reader.line_num
        return CsvTable(None, problems=[problem])
    if header is None:
        return CsvTable(pd.DataFrame(), problems=[])
    problems: list[pd.DataFrame] = []
    header = [h.strip() for h in header]
    seen: dict[str, int] = {}
    for k, name in enumerate(list(header)):
        if name in seen:
            problems.append(
                make_header_problem(
                    table,
                    file,
                    name,
                    k + 1,
                    "duplicate-column",
                    f"column {name!r} appears twice in the header (columns {seen[name] + 1} and {k + 1})",
                )
            )
            header[k] = f"{name}.{k + 1}"
        else:
            seen[name] = k
    width = len(header)
    lines = np.asarray(starts, dtype=np.int64)
    if header_end > 1:
        problems.append(
            make_header_problem(
                table,
                file,
                "",
                1,
                "multiline-field",
                f"the header spans lines 1-{header_end}: a column name holds a line break (a stray quote?)",
            )
        )
    spans: list[int] = []
    span_msgs: list[str] = []
    embedded: list[int] = []
    embedded_cols: list[int] = []
    ragged: list[int] = []
    ragged_msgs: list[str] = []
    for i, record in enumerate(records):
        if ends[i] > starts[i]:
            spans.append(i)
            span_msgs.append(
                f"this row spans lines {starts[i]}-{ends[i]}: a field holds a line break (a stray quote?); the rows inside it are not read as rows"
            )
        elif width > 2:
            hit = next((k for k, cell in enumerate(record) if cell.count(",") >= width - 2), None)
            if hit is not None:
                embedded.append(i)
                embedded_cols.append(hit)
        if len(record) != width:
            ragged.append(i)
            ragged_msgs.append(f"the row has {len(record)} fields, the header {width}")
            records[i] = (record + [""] * width)[:width]
    frame = (
        pd.DataFrame(records, columns=header, dtype="str")
        if records
        else pd.DataFrame({c: pd.Series(dtype="str") for c in header})
    )
    if spans:
        problems.append(
            make_problems(
                table, file, lines, pd.Index(spans), "", 1, "multiline-field", pd.Series(span_msgs, index=spans)
            )
        )
    for i, k in zip(embedded, embedded_cols, strict=False):
        problems.append(
            make_problems(
                table,
                file,
                lines,
                pd.Index([i]),
                str(header[k]) if k < width else "",
                k + 1,
                "embedded-row",
                f"field {k + 1} holds a whole comma-separated row: a stray quote joined the fields of this line",
            )
        )
    if ragged:
        problems.append(
            make_problems(
                table, file, lines, pd.Index(ragged), "", 1, "ragged-row", pd.Series(ragged_msgs, index=ragged)
            )
        )
    return CsvTable(frame, lines, problems)
