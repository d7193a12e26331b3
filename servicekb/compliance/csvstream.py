"""A CSV data file streamed to a Parquet file of text cells, every record keeping its physical line.

A CSV reader that only counts records hides the damage a stray quote does:
`"` opens a field that runs on, newlines and all, until the next quote, and
fifteen tickets become one text cell. Here every record is read with the
line it starts on, one at a time so that a file larger than memory is read
in constant memory: UTF-8 only (refused at the first bad byte, naming the
encoding it looks like), a blank line holds no row, a header name appears
once, and a record that spans lines, holds a whole row in one field, or has
more or fewer fields than the header is reported at its physical line. The
cells are written as text, in batches, to a Parquet file with one column
per header field (`c0`, `c1` ...) and `_row`, the record's position.

`LineMap` turns row positions into physical lines without one number per
row: lines follow rows one to one except after a blank line or a record
spanning lines, so only those jumps are kept.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from servicekb.compliance.parse import make_header_problem

__all__ = ["CsvFile", "LineMap", "stream_csv"]

_BATCH = 200_000


@dataclass(frozen=True)
class LineMap:
    """Row position -> the line a user opens: `first + row`, plus the extra lines after each jump."""

    first: int
    jump_rows: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    jump_extra: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))

    def __call__(self, rows) -> np.ndarray:
        positions = np.asarray(rows, dtype=np.int64)
        out = positions + self.first
        if len(self.jump_rows):
            k = np.searchsorted(self.jump_rows, positions, side="right") - 1
            out = out + np.where(k >= 0, self.jump_extra[np.maximum(k, 0)], 0)
        return out

    def lines(self, n: int) -> int | np.ndarray:
        """The line of row 0 when rows follow lines, otherwise the line of each of `n` rows (small tables)."""
        return self.first if not len(self.jump_rows) else self(np.arange(n))


@dataclass
class CsvFile:
    """What streaming found: the header (None when unreadable), rows, their lines, and the problems."""

    header: list[str] | None
    rows: int = 0
    lines: LineMap = field(default_factory=lambda: LineMap(2))
    problems: list[pd.DataFrame] = field(default_factory=list)


def _decoded(path: Path, table: str, file: str, found: list) -> Iterator[str]:
    """The file's lines as text; stops at the first byte that is not UTF-8 and records where it is."""
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            try:
                yield raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                found.append(_encoding_problem(path, table, file, number, raw, exc))
                return


def _encoding_problem(path: Path, table: str, file: str, line: int, raw: bytes, exc) -> pd.DataFrame:
    from charset_normalizer import from_bytes

    with path.open("rb") as handle:
        head = handle.read(1 << 20)
    guess = from_bytes(head).best()
    looks = (
        f" (it looks like {guess.encoding.upper().replace('_', '-')})"
        if guess is not None and guess.encoding not in ("utf_8", "ascii")
        else ""
    )
    frame = make_header_problem(
        table,
        file,
        "",
        exc.start + 1,
        "not-utf8",
        f"byte 0x{raw[exc.start]:02x} at line {line} is not UTF-8{looks}; save the file as UTF-8",
    )
    frame["line"] = line
    return frame


class _Problems:
    """Row problems gathered while streaming: (row, col, column, code, message)."""

    def __init__(self) -> None:
        self.rows: list[tuple[int, int, str, str, str]] = []

    def frame(self, table: str, file: str, lines: LineMap) -> pd.DataFrame:
        rows = np.array([r[0] for r in self.rows], dtype=np.int64)
        return pd.DataFrame(
            {
                "file": file,
                "line": lines(rows),
                "col": np.array([r[1] for r in self.rows], dtype=np.int64),
                "column": [r[2] for r in self.rows],
                "code": [r[3] for r in self.rows],
                "message": [r[4] for r in self.rows],
                "level": "error",
                "table": table,
                "row": rows,
            }
        )


def _header_problems(header: list[str], header_end: int, table: str, file: str) -> list[pd.DataFrame]:
    """Duplicate names (the second renamed `name.k`) and a header spanning lines."""
    found = []
    seen: dict[str, int] = {}
    for k, name in enumerate(list(header)):
        if name in seen:
            found.append(
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
    if header_end > 1:
        found.append(
            make_header_problem(
                table,
                file,
                "",
                1,
                "multiline-field",
                f"the header spans lines 1-{header_end}: a column name holds a line break (a stray quote?)",
            )
        )
    return found


def stream_csv(path: Path, table: str, file: str, out: Path) -> CsvFile:
    """Stream `path` (shown as `file`) to the Parquet file `out` of text cells; nothing is written when unreadable."""
    encoding: list[pd.DataFrame] = []
    reader = csv.reader(_decoded(path, table, file, encoding), strict=False)
    header: list[str] | None = None
    width = header_end = last = 0
    problems = _Problems()
    jumps: list[tuple[int, int]] = []
    batch: list[list[str]] = []
    writer: pq.ParquetWriter | None = None
    row = 0
    try:
        for record in reader:
            start, last = last + 1, reader.line_num
            if not record or (len(record) == 1 and not record[0].strip()):
                continue  # a blank line holds no row
            if header is None:
                header, header_end = [h.strip() for h in record], last
                width = len(header)
                continue
            extra = start - (header_end + 1 + row)
            if extra != (jumps[-1][1] if jumps else 0):
                jumps.append((row, extra))
            _check(record, row, start, last, width, header, problems)
            batch.append(record if len(record) == width else (record + [""] * width)[:width])
            row += 1
            if len(batch) >= _BATCH:
                writer = _flush(batch, row - len(batch), width, out, writer)
                batch = []
    except csv.Error as exc:
        problem = make_header_problem(table, file, "", 1, "unreadable-file", f"not readable as CSV: {exc}")
        problem["line"] = reader.line_num
        _close(writer, out)
        return CsvFile(None, problems=[problem])
    if encoding:
        _close(writer, out)
        return CsvFile(None, problems=encoding)
    if header is None:
        return CsvFile([], 0, LineMap(2), [])
    found = _header_problems(header, header_end, table, file)
    writer = _flush(batch, row - len(batch), width, out, writer, force=True)
    writer.close()
    lines = LineMap(
        header_end + 1,
        np.array([j[0] for j in jumps], dtype=np.int64),
        np.array([j[1] for j in jumps], dtype=np.int64),
    )
    if problems.rows:
        found.append(problems.frame(table, file, lines))
    return CsvFile(header, row, lines, found)


def _check(
    record: list[str], row: int, start: int, end: int, width: int, header: list[str], problems: _Problems
) -> None:
    """The damage a careful reader doubts: a record over several lines, a row in one field, a ragged row."""
    if end > start:
        problems.rows.append(
            (
                row,
                1,
                "",
                "multiline-field",
                f"this row spans lines {start}-{end}: a field holds a line break (a stray quote?);"
                " the rows inside it are not read as rows",
            )
        )
    elif width > 2:
        hit = next((k for k, cell in enumerate(record) if cell.count(",") >= width - 2), None)
        if hit is not None:
            problems.rows.append(
                (
                    row,
                    hit + 1,
                    str(header[hit]) if hit < width else "",
                    "embedded-row",
                    f"field {hit + 1} holds a whole comma-separated row: a stray quote joined the fields of this line",
                )
            )
    if len(record) != width:
        problems.rows.append((row, 1, "", "ragged-row", f"the row has {len(record)} fields, the header {width}"))


def _flush(
    batch: list[list[str]], first: int, width: int, out: Path, writer: pq.ParquetWriter | None, force: bool = False
) -> pq.ParquetWriter:
    schema = pa.schema([pa.field("_row", pa.int64()), *(pa.field(f"c{k}", pa.string()) for k in range(width))])
    if writer is None:
        writer = pq.ParquetWriter(out, schema)
    if batch or force:
        columns = list(zip(*batch, strict=True)) if batch else [() for _ in range(width)]
        arrays = [pa.array(np.arange(first, first + len(batch), dtype=np.int64))]
        arrays += [pa.array(list(c), pa.string()) for c in columns]
        writer.write_table(pa.Table.from_arrays(arrays, schema=schema))
    return writer


def _close(writer: pq.ParquetWriter | None, out: Path) -> None:
    if writer is not None:
        writer.close()
    out.unlink(missing_ok=True)
