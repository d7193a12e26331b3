"""Validation of one data table in DuckDB SQL, out of core: the one validator of operational data.

For a source view (`compliance.duckread`) this builds the view
`typed_<table>`: per documented column the typed value `v_<column>`, the
cell as written `r_<column>` and the code of its problem `k_<column>` (or
NULL), from one scan of the file. Conversions and checks follow
`TableSpec`: text stripped as Python strips it, timestamps parsed as
pandas' ISO 8601 parser reads them and converted to UTC through the
zone-day table of `compliance.zones` (no per-row zone function), numbers,
booleans, dates and months, allowed values with their aliases, ranges,
known stores, and cross-column rules (`x_<a>__<b>`). `collect_problems`
turns the rows with a problem into the problems table (same codes and
messages the pandas and pandera validation gave), unique keys checked by counting distinct hashes, grouped
only when two ids may be the same. What is checked, and how problems read, is `compliance.checkrules`.
"""

from __future__ import annotations

from servicekb.compliance.checkrules import (
    ESCAPES,
    FALSE,
    NON_FINITE,
    OFFSET,
    PERIOD,
    QUOTE_LIMIT,
    TRUE,
    Template,
    column_codes,
    message,
    required,
    store_message,
    table_rules,
    value_range,
)
from servicekb.compliance.duckread import Source, quote_text
from servicekb.compliance.parse import EARLIEST, LATEST
from servicekb.datatables import TABLES, ColumnSpec

__all__ = [
    "PROBLEMS_TABLE",
    "build_typed_view",
    "build_values_view",
    "collect_problems",
    "create_problems_table",
    "local_day_range",
]

PROBLEMS_TABLE = "problems"
# What Python's str.strip() removes.
_SPACE = quote_text("".join(chr(c) for c in range(0x3001) if chr(c).isspace()))
_ISO = (
    r"^(?P<y>\d{4})(?:-?(?P<mo>\d{1,2})(?:-?(?P<d>\d{1,2}))?)?"
    r"(?:[T ](?P<h>\d{2})(?::?(?P<mi>\d{2})(?::?(?P<s>\d{2})(?:[.,](?P<f>\d+))?)?)?)?$"
)
_TAIL = r"\s*(?:[zZ]|[+-]\d{2}(?::?\d{2})?)$"
_SIGNED = r"(?P<sign>[+-])(?P<hh>\d{2}):?(?P<mm>\d{2})?$"
_NUMBER = r"^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$"
_EARLIEST = f"TIMESTAMP '{EARLIEST:%Y-%m-%d %H:%M:%S}'"
_LATEST = f"TIMESTAMP '{LATEST:%Y-%m-%d %H:%M:%S.%f}'"
_NUMERIC = ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT")
_FLOAT = ("FLOAT", "DOUBLE", "REAL")
_LOCAL_TYPES = ("TIMESTAMP", "TIMESTAMP_NS", "TIMESTAMP_MS", "TIMESTAMP_S", "DATE")


def _in(values) -> str:
    return "(" + ", ".join(quote_text(v) for v in values) + ")"


def _is_number(sql_type: str) -> bool:
    return sql_type in _NUMERIC or sql_type in _FLOAT or sql_type.startswith("DECIMAL")


def _edge(raw: str) -> str:
    """Whether a text cell starts or ends with a space Python's str.strip() removes."""
    return f"(contains({_SPACE}, left({raw}, 1)) OR contains({_SPACE}, right({raw}, 1)))"


def _text(raw: str, sql_type: str, trim: bool = True) -> tuple[str, str]:
    """(stripped text or NULL when empty, empty) of a cell, whatever the file stored.

    `trim` False: the column is known to hold no cell with an edge space (validation counted them), so the
    text is the cell itself.
    """
    if sql_type == "VARCHAR" and not trim:
        text = f"NULLIF({raw}, '')"
        return text, f"({text} IS NULL)"
    if sql_type == "VARCHAR":
        # Trimming only cells that start or end with a space: three times faster than trimming every cell.
        stripped = f"CASE WHEN {_edge(raw)} THEN trim({raw}, {_SPACE}) ELSE {raw} END"
        text = f"NULLIF({stripped}, '')"
        return text, f"({text} IS NULL)"
    empty = f"({raw} IS NULL OR isnan({raw}))" if sql_type in _FLOAT else f"({raw} IS NULL)"
    return f"CASE WHEN NOT {empty} THEN CAST({raw} AS VARCHAR) END", empty


def _naive(raw: str, sql_type: str) -> str:
    """A timestamp cell as a TIMESTAMP (UTC wall clock when the file stores the zone).

    Epoch arithmetic rather than CAST for a zoned one: the cast converts every row through the session's ICU
    zone, which made reading a zoned Parquet column several times slower than reading the file.
    """
    if sql_type.startswith("TIMESTAMP WITH TIME ZONE"):
        return f"make_timestamp(epoch_us({raw}))"
    return f"CAST({raw} AS TIMESTAMP)"


def _parts(text: str) -> str:
    """The parts of an ISO 8601 timestamp as pandas' parser reads them (format='ISO8601'); '' where absent."""
    return f"regexp_extract({text}, {quote_text(_ISO)}, ['y', 'mo', 'd', 'h', 'mi', 's', 'f'])"


def _iso(p: str) -> str:
    """A timestamp from its parts, NULL when they make none (a day 31 in September, hour 24)."""
    return (
        f"CASE WHEN {p}.y <> '' AND ({p}.h = '' OR CAST({p}.h AS INTEGER) < 24) THEN TRY_CAST("
        f"{p}.y || '-' || lpad(coalesce(nullif({p}.mo, ''), '1'), 2, '0') || '-'"
        f" || lpad(coalesce(nullif({p}.d, ''), '1'), 2, '0') || ' ' || coalesce(nullif({p}.h, ''), '00') || ':'"
        f" || coalesce(nullif({p}.mi, ''), '00') || ':' || coalesce(nullif({p}.s, ''), '00') || '.'"
        f" || rpad(left({p}.f, 6), 6, '0') AS TIMESTAMP) END"
    )


def _first_stage(spec_col: ColumnSpec, raw: str, sql_type: str, later: list[str], trim: bool = True) -> list[str]:
    """Columns of the first stage for one documented column (`r_`, `e_`, and what the type needs).

    Expressions on those columns (a timestamp from its parsed parts) are appended to `later`.
    """
    n = spec_col.name
    text, empty = _text(raw, sql_type, trim)
    out = [f"{raw} AS r_{n}", f"{empty} AS e_{n}"]
    kind = spec_col.type
    if kind == "timestamp":
        if sql_type.startswith("TIMESTAMP WITH TIME ZONE"):
            out += [f"{_naive(raw, sql_type)} AS a_{n}", f"NULL::TIMESTAMP AS l_{n}", f"true AS o_{n}"]
            later.append(f"NULL::DATE AS ld_{n}")
        elif sql_type in _LOCAL_TYPES:
            out += [f"NULL::TIMESTAMP AS a_{n}", f"CAST({raw} AS TIMESTAMP) AS l_{n}", f"false AS o_{n}"]
            later.append(f"CAST(l_{n} AS DATE) AS ld_{n}")
        else:
            offset = f"coalesce(regexp_matches({text}, {quote_text(OFFSET)}), false)"
            body = f"CASE WHEN {offset} THEN regexp_replace({text}, {quote_text(_TAIL)}, '') ELSE {text} END"
            sign = f"regexp_extract({text}, {quote_text(_SIGNED)}, ['sign', 'hh', 'mm'])"
            out += [f"{offset} AS o_{n}", f"{_parts(body)} AS p_{n}", f"{sign} AS g_{n}"]
            minutes = (
                f"CASE WHEN g_{n}.sign = '' THEN 0 ELSE (CASE WHEN g_{n}.sign = '-' THEN -1 ELSE 1 END)"
                f" * (CAST(g_{n}.hh AS INTEGER) * 60 + coalesce(TRY_CAST(nullif(g_{n}.mm, '') AS INTEGER), 0)) END"
            )
            later.append(f"CASE WHEN o_{n} THEN {_iso('p_' + n)} - to_minutes({minutes}) END AS a_{n}")
            later.append(f"CASE WHEN NOT o_{n} THEN {_iso('p_' + n)} END AS l_{n}")
            later.append(f"CAST(CASE WHEN NOT o_{n} THEN {_iso('p_' + n)} END AS DATE) AS ld_{n}")
        return out
    if kind in ("number", "integer"):
        if _is_number(sql_type):
            value = f"CAST({raw} AS DOUBLE)"
            out += [f"CASE WHEN NOT {empty} THEN {value} END AS n_{n}", f"false AS m_{n}", f"false AS w_{n}"]
        else:
            named = f"regexp_matches(lower({text}), {quote_text(NON_FINITE)})"
            value = f"CASE WHEN regexp_matches({text}, {quote_text(_NUMBER)}) THEN TRY_CAST({text} AS DOUBLE) END"
            out += [f"{value} AS n_{n}", f"coalesce({named}, false) AS m_{n}", f"NOT {empty} AS w_{n}"]
        return out
    if kind == "bool":
        if sql_type == "BOOLEAN":
            return [*out, f"{raw} AS v_{n}"]
        low = f"lower({text})"
        value = f"CASE WHEN {low} IN {_in(TRUE)} THEN true WHEN {low} IN {_in(FALSE)} THEN false END"
        return [*out, f"{value} AS v_{n}"]
    if kind == "date":
        if sql_type.startswith("TIMESTAMP") or sql_type == "DATE":
            stamp = _naive(raw, sql_type)
            value = f"CAST({stamp} AS DATE)"
        else:
            stamp = f"try_strptime({text}, '%Y-%m-%d')"
            value = f"CAST({stamp} AS DATE)"
        return [*out, f"{stamp} AS s_{n}", f"{value} AS d_{n}"]
    if kind == "enum":
        mapped = text
        if spec_col.aliases:
            cases = " ".join(f"WHEN {quote_text(a)} THEN {quote_text(b)}" for a, b in spec_col.aliases)
            mapped = f"CASE {text} {cases} ELSE {text} END"
        if spec_col.default is not None:
            mapped = f"coalesce({mapped}, {quote_text(spec_col.default)})"
        return [*out, f"{mapped} AS v_{n}"]
    if kind == "id" and sql_type != "VARCHAR":
        return [*out, f"CAST({raw} AS VARCHAR) AS v_{n}"]
    return [*out, f"{text} AS v_{n}"]


def _decide(spec_col: ColumnSpec, checks: dict[str, str]) -> str:
    """The problem code of a cell: the first of the column's codes (`checkrules.column_codes`) whose check holds.

    An empty cell is `missing-value` when a value is required, and has no other problem. A code without a
    check in `checks` cannot occur in the column as the file stores it (a typed column has no wrong type).
    """
    n = spec_col.name
    whens = [f"WHEN e_{n} THEN {quote_text('missing-value') if required(spec_col) else 'NULL'}"]
    whens += [f"WHEN {checks[c]} THEN {quote_text(c)}" for c in column_codes(spec_col) if c in checks]
    return f"CASE {' '.join(whens)} END"


def _second_stage(spec_col: ColumnSpec, k: int, sql_type: str) -> tuple[list[str], str, str]:
    """(the typed value, the problem code) of a column after the zone join, and any join it needs.

    A timestamp the file stores with its zone (Parquet `TIMESTAMP WITH TIME ZONE`) is already UTC: it
    needs no zone join, which keeps the view as cheap to scan as the file itself.
    """
    n = spec_col.name
    kind = spec_col.type
    joins = ""
    values: list[str] = []
    checks: dict[str, str] = {}
    if kind == "timestamp" and sql_type.startswith("TIMESTAMP WITH TIME ZONE"):
        far_aware = f"(a_{n} < {_EARLIEST} OR a_{n} > {_LATEST})"
        values.append(f"CASE WHEN NOT {far_aware} THEN a_{n} END AS v_{n}")
        checks["out-of-range-time"] = f"coalesce({far_aware}, false)"
    elif kind == "timestamp":
        far_local = f"(l_{n} < {_EARLIEST} OR l_{n} > {_LATEST})"
        far_aware = f"(a_{n} < {_EARLIEST} OR a_{n} > {_LATEST})"
        d = f"zd{k}"
        # A plain equality join (a hash join on any engine); local times outside the table find no day.
        joins = f" LEFT JOIN zone_days AS {d} ON {d}.zone = _zone AND {d}.day = ld_{n}"
        local = (
            f"CASE WHEN _zone IS NULL THEN l_{n}"
            f" WHEN {d}.bad_from IS NULL OR l_{n} < {d}.bad_from THEN l_{n} - to_seconds({d}.off_before)"
            f" WHEN l_{n} >= {d}.bad_to THEN l_{n} - to_seconds({d}.off_after) END"
        )
        values.append(
            f"CASE WHEN o_{n} THEN CASE WHEN NOT {far_aware} THEN a_{n} END"
            f" WHEN NOT {far_local} THEN {local} END AS v_{n}"
        )
        checks["out-of-range-time"] = f"coalesce({far_aware}, false) OR coalesce({far_local}, false)"
        checks["bad-local-time"] = f"NOT o_{n} AND l_{n} IS NOT NULL AND _zone IS NOT NULL AND v_{n} IS NULL"
        checks["wrong-type"] = f"v_{n} IS NULL"
    elif kind in ("number", "integer"):
        values.append(f"CASE WHEN NOT (m_{n} OR coalesce(isinf(n_{n}), false)) THEN n_{n} END AS v_{n}")
        checks["non-finite-number"] = f"m_{n} OR coalesce(isinf(n_{n}), false)"
        whole = f" OR v_{n} <> floor(v_{n})" if kind == "integer" else ""
        checks["wrong-type"] = f"(n_{n} IS NULL AND w_{n}){whole}"
    elif kind == "date":
        far = f"(s_{n} < {_EARLIEST} OR s_{n} > {_LATEST})"
        values.append(f"CASE WHEN NOT {far} THEN d_{n} END AS v_{n}")
        checks["out-of-range-time"] = far
        checks["wrong-type"] = f"s_{n} IS NULL"
    elif kind == "bool":
        checks["wrong-type"] = f"v_{n} IS NULL"
    elif kind == "period":
        checks["wrong-type"] = f"NOT regexp_matches(v_{n}, {quote_text(PERIOD)})"
    elif kind == "enum":
        checks["bad-value"] = f"v_{n} NOT IN {_in(spec_col.values)}"
    elif kind == "store":
        checks["unknown-store"] = "NOT _known"
    bounds = value_range(spec_col)
    if bounds is not None:
        checks[bounds.code] = " OR ".join(f"v_{n} {op} {limit!r}" for op, limit in bounds.fails)
    return values, _decide(spec_col, checks), joins


def _stage_one(source: Source, clean: frozenset[str] = frozenset()) -> tuple[list[str], list[str]]:
    """(first-stage columns without the store join, the expressions of the stage after it).

    Columns named in `clean` are text columns validation found without any edge space: read as they are.
    """
    spec = TABLES[source.table]
    position = {c: k for k, c in enumerate(source.columns)}
    first, later = ["_row"], []
    for col in spec.columns:
        if col.name in position:
            k = position[col.name]
            first += _first_stage(col, f"c{k}", source.types[k], later, trim=col.name not in clean)
    return first, later


def _spaced(source: Source) -> list[str]:
    """The documented text columns the file stores as text: those whose cells may need stripping."""
    spec = TABLES[source.table]
    return [
        c.name
        for c in spec.columns
        if c.name in source.columns and source.types[source.columns.index(c.name)] == "VARCHAR"
    ]


def build_typed_view(con, source: Source) -> list[str]:
    """Create `typed_<table>` over `src_<table>`; the documented columns the file has, in spec order.

    The engines read `values_<table>`, made after validation by `build_values_view`.
    `local_<table>`, the stage before the zone join, holds the text, ids and
    local times: the range of local days is read there.
    `sp_<column>` says a text cell has an edge space (validation counts them).
    """
    spec = TABLES[source.table]
    position = {c: k for k, c in enumerate(source.columns)}
    present = [c for c in spec.columns if c.name in position]
    first, later = _stage_one(source)
    first += [f"{_edge(f'c{position[n]}')} AS sp_{n}" for n in _spaced(source)]
    first += _store_columns(source)[0]
    stage1 = f"SELECT {', '.join(first)} FROM {source.view}{_store_columns(source)[1]}"
    values, codes, joins = [], [], ""
    for k, col in enumerate(present):
        more, code, join = _second_stage(col, k, source.types[position[col.name]])
        values += more
        codes.append((col.name, code))
        joins += join
    if later:
        stage1 = f"SELECT s0.*, {', '.join(later)} FROM ({stage1}) AS s0"
    con.execute(f"CREATE OR REPLACE VIEW local_{source.table} AS {stage1}")
    stage2 = f"SELECT s1.*{''.join(', ' + v for v in values)} FROM local_{source.table} AS s1{joins}"
    cross = [
        f"coalesce(v_{r.shown[0]} {r.op} v_{r.shown[1]}, false) AS x_{r.shown[0]}__{r.shown[1]}"
        for r in table_rules(spec, position)
        if r.kind == "order"
    ]
    stage3 = ", ".join([f"{code} AS k_{name}" for name, code in codes] + cross)
    con.execute(
        f"CREATE OR REPLACE VIEW typed_{source.table} AS SELECT s2.*{', ' + stage3 if stage3 else ''}"
        f" FROM ({stage2}) AS s2"
    )
    return [c.name for c in present]


def _keys_view(con, source: Source, clean: frozenset[str]) -> None:
    """Create `keys_<table>`: the key columns straight from the file (no join), what the unique checks group.

    Columns in `clean` hold no cell with an edge space: their ids are the cells as stored.
    """
    spec = TABLES[source.table]
    keys = ["_row"]
    for col in spec.columns:
        if (col.unique or col.name in spec.key) and col.name in source.columns:
            k = source.columns.index(col.name)
            made = _first_stage(col, f"c{k}", source.types[k], [], trim=col.name not in clean)
            keys += [e for e in made if e.endswith((f" AS r_{col.name}", f" AS v_{col.name}"))]
    con.execute(f"CREATE OR REPLACE VIEW keys_{source.table} AS SELECT {', '.join(keys)} FROM {source.view}")


def _store_columns(source: Source) -> tuple[list[str], str]:
    """The known-store columns (`_zone`, `_known`) of the first stage and the join that gives them."""
    spec = TABLES[source.table]
    store = next((c for c in spec.columns if c.type == "store" and c.name in source.columns), None)
    if store is None:
        return ["NULL::VARCHAR AS _zone", "false AS _known"], ""
    k = source.columns.index(store.name)
    text, _ = _text(f"c{k}", source.types[k])
    return ["ks.timezone AS _zone", "ks.store_id IS NOT NULL AS _known"], (
        f" LEFT JOIN known_stores AS ks ON ks.store_id = {text}"
    )


def build_values_view(con, source: Source, clean: frozenset[str] = frozenset()) -> None:
    """Create `values_<table>`: the typed values (`v_<column>`) the engines read, without the problem codes.

    The join with the known stores is kept only when a local time needs the store's zone (the engines join
    the stores they score). `clean`: text columns validation found without an edge space, read as they are
    (`collect_problems` returns them): every scan of the engines then skips stripping those cells.
    """
    spec = TABLES[source.table]
    position = {c: k for k, c in enumerate(source.columns)}
    first, later = _stage_one(source, clean)
    values, joins = [], ""
    for k, col in enumerate(c for c in spec.columns if c.name in position):
        more, _, join = _second_stage(col, k, source.types[position[col.name]])
        values += more
        joins += join
    if joins:
        more, join = _store_columns(source)
        first += more
    else:
        join = ""
    stage = f"SELECT {', '.join(first)} FROM {source.view}{join}"
    if later:
        stage = f"SELECT s0.*, {', '.join(later)} FROM ({stage}) AS s0"
    con.execute(
        f"CREATE OR REPLACE VIEW values_{source.table} AS SELECT s1.*{''.join(', ' + v for v in values)}"
        f" FROM ({stage}) AS s1{joins}"
    )


def local_day_range(con, table: str, present: list[str]) -> tuple[object, object] | None:
    """The first and last local day of the table's timestamps without offset (None when it has none)."""
    spec = TABLES[table]
    cols = [f"l_{c}" for c in present if spec.column(c).type == "timestamp"]
    if not cols:
        return None
    inside = f"BETWEEN {_EARLIEST} AND {_LATEST}"
    low = ", ".join(f"min(CASE WHEN {c} {inside} THEN {c} END)" for c in cols)
    high = ", ".join(f"max(CASE WHEN {c} {inside} THEN {c} END)" for c in cols)
    row = con.execute(f"SELECT least({low}), greatest({high}) FROM local_{table}").fetchone()
    return None if row[0] is None else (row[0], row[1])


def create_problems_table(con) -> None:
    con.execute(
        f"CREATE OR REPLACE TABLE {PROBLEMS_TABLE} (tab VARCHAR, row BIGINT, col INTEGER, column_name VARCHAR,"
        " code VARCHAR, message VARCHAR, ref BIGINT)"
    )


def _shown(raw: str) -> str:
    """The cell as written, quoted for a one-line message (as `checkrules.quote_cells` quotes a pandas column)."""
    text = f"coalesce(CAST({raw} AS VARCHAR), 'None')"
    for char, shown in ESCAPES:
        text = f"replace({text}, chr({ord(char)}), {quote_text(shown)})"
    cut = f"left({text}, {QUOTE_LIMIT - 1}) || '…'"
    mark = quote_text("'")
    return f"({mark} || CASE WHEN length({text}) > {QUOTE_LIMIT} THEN {cut} ELSE {text} END || {mark})"


def _render(template: Template, **fields: str) -> str:
    """A message template as a SQL text expression, each field an expression."""
    parts = []
    for literal, name in template.parts:
        if literal:
            parts.append(quote_text(literal))
        if name is not None:
            parts.append(fields[name])
    return " || ".join(parts) if parts else "''"


def _message(col: ColumnSpec, abstract: set[str]) -> str:
    """The message of the cell problem `k_<column>` of a row."""
    n = col.name
    cell = _shown(f"r_{n}")
    whens = []
    for code in column_codes(col):
        text = _render(message(code, col), cell=cell, zone="_zone")
        if code == "unknown-store" and abstract:
            named = _render(store_message(abstract=True), cell=cell)
            text = f"CASE WHEN v_{n} IN {_in(sorted(abstract))} THEN {named} ELSE {text} END"
        whens.append(f"WHEN {quote_text(code)} THEN {text}")
    return f"CASE k_{n} {' '.join(whens)} END" if whens else "NULL"


def collect_problems(con, source: Source, present: list[str], abstract: set[str]) -> frozenset[str]:
    """Insert every row problem of `typed_<table>` into the problems table: one scan, then one per unique key.

    Returns the text columns without any cell that starts or ends with a space (`build_values_view`).
    """
    spec = TABLES[source.table]
    t = source.table
    position = {c: k + 1 for k, c in enumerate(source.columns)}
    rules = table_rules(spec, position)
    cross = [r for r in rules if r.kind == "order"]
    spaced = _spaced(source)
    flags = [f"k_{n} IS NOT NULL" for n in present] + [f"x_{r.shown[0]}__{r.shown[1]}" for r in cross]
    flags += [f"sp_{n}" for n in spaced]
    clean = frozenset()
    if flags:
        keep = ["_row", "_zone"] + [f"{p}_{n}" for n in present for p in ("r", "v", "k")]
        keep += [f"x_{r.shown[0]}__{r.shown[1]}" for r in cross] + [f"sp_{n}" for n in spaced]
        # With the filter kept above the typed view, each cell is converted once; pushed down, DuckDB inlines
        # the conversions into every check that reads them (measured: 1.6-2x slower on 11M tickets).
        con.execute("SET disabled_optimizers = 'filter_pushdown'")
        try:
            con.execute(
                f"CREATE OR REPLACE TEMP TABLE bad_{t} AS SELECT {', '.join(keep)} FROM typed_{t}"
                f" WHERE {' OR '.join(flags)}"
            )
        finally:
            con.execute("RESET disabled_optimizers")
        parts = [
            f"SELECT {quote_text(t)}, _row, {position[n]}, {quote_text(n)}, k_{n},"
            f" {_message(spec.column(n), abstract)}, NULL FROM bad_{t} WHERE k_{n} IS NOT NULL"
            for n in present
        ]
        for r in cross:
            a, b = r.shown
            text = _render(r.message, cell=_shown("r_" + a), other=_shown("r_" + b))
            parts.append(
                f"SELECT {quote_text(t)}, _row, {position[a]}, {quote_text(a)}, {quote_text(r.code)},"
                f" {text}, NULL FROM bad_{t} WHERE x_{a}__{b}"
            )
        con.execute(f"INSERT INTO {PROBLEMS_TABLE} {' UNION ALL '.join(parts)}")
        if spaced:
            counts = con.execute(f"SELECT {', '.join(f'count_if(sp_{n})' for n in spaced)} FROM bad_{t}").fetchone()
            # count_if of no rows is NULL: no bad row at all, no edge space either.
            clean = frozenset(n for n, count in zip(spaced, counts, strict=True) if not count)
        con.execute(f"DROP TABLE bad_{t}")
    if any(r.kind in ("unique", "key") for r in rules):
        _keys_view(con, source, clean)
    for r in rules:
        if r.kind == "unique":
            n = r.column
            # Proof that no id is given twice: as many distinct hashes as ids (equal ids hash alike). Counting
            # distinct 64-bit hashes stays linear where grouping 100M distinct texts spilled to disk.
            ids, hashes = con.execute(f"SELECT count(v_{n}), count(DISTINCT hash(v_{n})) FROM keys_{t}").fetchone()
            if ids == hashes:
                continue
            # The ids given twice (or sharing a hash), then their rows.
            con.execute(
                f"CREATE OR REPLACE TEMP TABLE dup_{t} AS SELECT v_{n}, min(_row) AS first FROM keys_{t}"
                f" GROUP BY v_{n} HAVING count(*) > 1"
            )
            if con.execute(f"SELECT count(*) FROM dup_{t}").fetchone()[0]:
                con.execute(
                    f"INSERT INTO {PROBLEMS_TABLE} SELECT {quote_text(t)}, t._row, {position[n]}, {quote_text(n)},"
                    f" {quote_text(r.code)}, {_shown('t.r_' + n)}, d.first"
                    f" FROM (SELECT _row, v_{n}, r_{n} FROM keys_{t}) AS t"
                    f" JOIN dup_{t} AS d ON t.v_{n} = d.v_{n} WHERE t._row <> d.first"
                )
            con.execute(f"DROP TABLE dup_{t}")
    for r in rules:
        if r.kind != "key":
            continue
        key = r.shown
        on = " AND ".join(f"t.v_{k} = d.v_{k}" for k in key)
        cells = " || ', ' || ".join(_shown(f"t.r_{k}") for k in key)
        con.execute(
            f"INSERT INTO {PROBLEMS_TABLE} SELECT {quote_text(t)}, t._row, {position[r.column]},"
            f" {quote_text(r.column)}, {quote_text(r.code)}, {_render(r.message, cells=cells)}, NULL"
            f" FROM (SELECT _row, {', '.join(f'v_{k}, r_{k}' for k in key)} FROM keys_{t}) AS t"
            f" JOIN (SELECT {', '.join(f'v_{k}' for k in key)}, min(_row) AS first FROM keys_{t}"
            f" GROUP BY {', '.join(f'v_{k}' for k in key)} HAVING count(*) > 1) AS d ON {on} WHERE t._row <> d.first"
        )
    return clean
