"""An independent reference: the scorecard's aggregations written as DuckDB SQL.

Given the validated tables, the stores' timezones and as-of times, the
grid's periods and the distinct targets, it recomputes value, n, interval,
breaches, pending and worst delay with SQL only: local periods with
`timezone()`, the PRC working-day calendar as a table with a running
count, Wilson bounds as SQL expressions. It shares the row selection of
`definitions.select_rows` (what a definition means) but none of the
engine's arithmetic, so agreement between the two checks the engine. Used
by the agreement test and `bench/score.py`; needs `duckdb`.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from servicekb.compliance.deadlines import get_known_years, make_deadline_rule
from servicekb.compliance.definitions import parse_expression, select_rows
from servicekb.compliance.periods import get_period_bounds
from servicekb.compliance.scorecard import Scorecard
from servicekb.compliance.stats import Z95
from servicekb.compliance.targets import ScoredTarget
from servicekb.models import MetricKind
from servicekb.types import Unit

__all__ = ["compute_reference"]

_SECONDS = {Unit.second: 1, Unit.minute: 60, Unit.hour: 3600, Unit.day: 86400}
_PER_MONTHS = {Unit.per_month: 1, Unit.per_quarter: 3, Unit.per_half_year: 6, Unit.per_year: 12}
_EVENT = {"tickets": "opened_at", "surveys": "answered_at"}


def _lit(v) -> str:
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    return "'" + str(v).replace("'", "''") + "'"


def _where(sel) -> str:
    parts = [f"t.{c} IN ({', '.join(_lit(v) for v in values)})" for c, values in sel.filters]
    return " AND ".join(parts) or "TRUE"


def _period_sql(local: str, quarter: bool) -> str:
    if quarter:
        return f"CAST(year({local}) AS VARCHAR) || '-Q' || CAST(quarter({local}) AS VARCHAR)"
    return f"strftime({local}, '%Y-%m')"


def _placed(con, name: str, quarter: bool) -> None:
    """A view of a table with its store's tz/as-of, local event time, period and month code, for known stores only."""
    if name in _EVENT:
        col = _EVENT[name]
        local = f"timezone(s.tz, t.{col})"
        keep = f"t.{col} <= s.as_of"
    elif name == "training":
        local, keep = "t.session_date", "strftime(t.session_date, '%Y-%m') <= s.as_of_month_label"
    else:
        local, keep = "CAST(t.period || '-01' AS TIMESTAMP)", "t.period <= s.as_of_month_label"
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE p_{name} AS
        SELECT t.*, s.tz, s.as_of, s.as_of_local, {local} AS ev_local, {_period_sql(local, quarter)} AS pl,
               (year({local}) - 1970) * 12 + month({local}) - 1 AS ev_month
        FROM {name} t JOIN stores s USING (store_id) WHERE {keep}"""
    )


def _calendar(con, first: dt.date, last: dt.date) -> None:
    import chinese_calendar

    lo, hi = get_known_years()
    first, last = max(first, dt.date(lo, 1, 1)), min(last, dt.date(hi, 12, 31))
    days = [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]
    frame = pd.DataFrame({"day": pd.to_datetime(days), "work": [chinese_calendar.is_workday(d) for d in days]})
    con.register("cal_src", frame)
    con.execute(
        "CREATE OR REPLACE TEMP TABLE cal AS SELECT CAST(day AS DATE) AS day, work, SUM(CAST(work AS BIGINT)) OVER (ORDER BY day) AS cum FROM cal_src"
    )


def _expr(text: str, alias: str = "t") -> tuple[str, str]:
    """SQL of a summed expression, and of its missing test."""
    e = parse_expression(text)
    if e.form == "count":
        return "1", "FALSE"
    if e.form == "count_set":
        c = f"{alias}.{e.columns[0]}"
        return f"CASE WHEN {c} IS NOT NULL AND {c} <= {alias}.as_of THEN 1 ELSE 0 END", "FALSE"
    if e.form == "difference":
        a, b = (f"{alias}.{c}" for c in e.columns)
        return f"({a} - {b})", f"({a} IS NULL OR {b} IS NULL)"
    c = f"{alias}.{e.columns[0]}"
    return c, f"{c} IS NULL"


def _survey(t: ScoredTarget, sel) -> str:
    d, z = t.metric.definition, Z95
    return f"""WITH a AS (SELECT store_id, pl, COUNT(*)::DOUBLE AS n, SUM(CASE WHEN t.{d.column} >= {d.threshold} THEN 1 ELSE 0 END)::DOUBLE AS x
        FROM p_{sel.table} t WHERE {_where(sel)} AND t.{d.column} IS NOT NULL GROUP BY ALL),
      w AS (SELECT *, x / n AS p, 1 + {z}*{z}/n AS den FROM a)
    SELECT store_id, pl, {d.scale} * x / n AS value, n,
      {d.scale} * GREATEST(0, ((p + {z}*{z}/(2*n)) / den) - {z} * sqrt(p*(1-p)/n + {z}*{z}/(4*n*n)) / den) AS ci_low,
      {d.scale} * LEAST(1, ((p + {z}*{z}/(2*n)) / den) + {z} * sqrt(p*(1-p)/n + {z}*{z}/(4*n*n)) / den) AS ci_high,
      NULL AS breaches, NULL AS pending, NULL AS worst_delay FROM w"""


def _ratio(t: ScoredTarget, sel) -> str:
    d = t.metric.definition
    num, num_missing = _expr(d.numerator)
    den_table = d.denominator_table.value if d.denominator_table else sel.table
    den, den_missing = _expr(d.denominator)
    den_where = "TRUE" if d.denominator_table else _where(sel)
    return f"""WITH nu AS (SELECT store_id, pl, SUM(CASE WHEN {num_missing} THEN 0 ELSE {num} END) AS num,
          SUM(CASE WHEN {num_missing} THEN 1 ELSE 0 END) AS miss FROM p_{sel.table} t WHERE {_where(sel)} GROUP BY ALL),
      de AS (SELECT store_id, pl, SUM(CASE WHEN {den_missing} THEN 0 ELSE {den} END) AS den,
          SUM(CASE WHEN {den_missing} THEN 1 ELSE 0 END) AS miss, COUNT(*)::DOUBLE AS n FROM p_{den_table} t WHERE {den_where} GROUP BY ALL)
    SELECT de.store_id, de.pl, CASE WHEN de.miss + COALESCE(nu.miss, 0) = 0 AND de.den <> 0 THEN {d.scale} * COALESCE(nu.num, 0) / de.den END AS value,
      de.n, NULL AS ci_low, NULL AS ci_high, NULL AS breaches, NULL AS pending, NULL AS worst_delay
    FROM de LEFT JOIN nu USING (store_id, pl)"""


def _deadline(t: ScoredTarget, sel) -> str:
    d, rule = t.metric.definition, make_deadline_rule(t.spec)
    start, end = f"t.{d.start}", f"t.{d.end}"
    has_end = f"({end} IS NOT NULL AND {end} <= t.as_of)"
    if rule.mode == "working_days":
        n = rule.working_days
        events = f"""SELECT t.store_id, t.pl, {has_end} AS has_end, o.cum AS o_cum, r.cum AS r_cum, a.cum AS a_cum, due.day AS due_day, due.cum AS due_cum,
              CAST(timezone(t.tz, {end}) AS DATE) AS r_day, CAST(t.as_of_local AS DATE) AS a_day
            FROM p_{sel.table} t JOIN cal o ON o.day = CAST(t.ev_local AS DATE)
            LEFT JOIN cal r ON r.day = CAST(timezone(t.tz, {end}) AS DATE)
            JOIN cal a ON a.day = CAST(t.as_of_local AS DATE)
            LEFT JOIN cal due ON {"due.day = o.day" if n == 0 else f"due.cum = o.cum + {n} AND due.work"}
            WHERE {_where(sel)}"""
        late = "(has_end AND due_day IS NOT NULL AND r_day > due_day)"
        overdue = "(NOT has_end AND due_day IS NOT NULL AND a_day > due_day)"
        delay = f"CASE WHEN {late} THEN r_cum - due_cum WHEN {overdue} THEN a_cum - due_cum END"
    else:
        thr = rule.value * _SECONDS[rule.unit]
        if rule.mode == "calendar":
            s_sec, e_sec, now = f"epoch_ns({start}) / 1e9", f"epoch_ns({end}) / 1e9", "epoch_ns(t.as_of) / 1e9"
            joins = ""
        else:
            # Working seconds since the calendar's start: whole working days before, plus today's seconds when today works.
            def work(alias: str, local: str) -> str:
                return f"(({alias}.cum - CAST({alias}.work AS BIGINT)) * 86400 + CASE WHEN {alias}.work THEN epoch({local}) - epoch(CAST(CAST({local} AS DATE) AS TIMESTAMP)) ELSE 0 END)"

            s_sec, e_sec, now = (
                work("cs", "t.ev_local"),
                work("ce", f"timezone(t.tz, {end})"),
                work("cn", "t.as_of_local"),
            )
            joins = f"""JOIN cal cs ON cs.day = CAST(t.ev_local AS DATE) LEFT JOIN cal ce ON ce.day = CAST(timezone(t.tz, {end}) AS DATE)
                JOIN cal cn ON cn.day = CAST(t.as_of_local AS DATE)"""
        op = "<" if rule.strict else "<="
        events = f"""SELECT t.store_id, t.pl, {has_end} AS has_end,
              CASE WHEN {has_end} THEN {e_sec} - {s_sec} ELSE {now} - {s_sec} END AS el
            FROM p_{sel.table} t {joins} WHERE {_where(sel)}"""
        late = f"(has_end AND NOT (el {op} {thr}))"
        overdue = f"(NOT has_end AND NOT (el {op} {thr}))"
        delay = f"CASE WHEN {late} OR {overdue} THEN (el - {thr}) / {_SECONDS[rule.unit]} END"
    decided = f"(has_end OR {overdue})"
    return f"""WITH e AS ({events})
    SELECT store_id, pl,
      CASE WHEN SUM(CASE WHEN {decided} THEN 1 ELSE 0 END) > 0
        THEN 100.0 * SUM(CASE WHEN has_end AND NOT {late} THEN 1 ELSE 0 END) / SUM(CASE WHEN {decided} THEN 1 ELSE 0 END) END AS value,
      SUM(CASE WHEN {decided} THEN 1 ELSE 0 END)::DOUBLE AS n, NULL AS ci_low, NULL AS ci_high,
      SUM(CASE WHEN {late} OR {overdue} THEN 1 ELSE 0 END)::DOUBLE AS breaches,
      SUM(CASE WHEN NOT has_end AND NOT {overdue} THEN 1 ELSE 0 END)::DOUBLE AS pending,
      MAX({delay}) AS worst_delay
    FROM e GROUP BY ALL"""


def _mean(t: ScoredTarget, sel) -> str:
    d = t.metric.definition
    if d.column:
        from servicekb.strictness import convert

        value = f"t.{d.column} * {d.scale} * {convert(1.0, t.metric.unit, t.spec.unit) or 1.0}"
    else:
        end = f"t.{d.end}"
        value = f"CASE WHEN {end} IS NOT NULL AND {end} <= t.as_of THEN (epoch_ns({end}) - epoch_ns(t.{d.start})) / 1e9 * {d.scale} / {_SECONDS.get(t.spec.unit, 3600)} END"
    agg = "AVG(v)" if d.kind is MetricKind.mean else f"quantile_cont(v, {d.percentile / 100.0})"
    return f"""WITH e AS (SELECT store_id, pl, {value} AS v FROM p_{sel.table} t WHERE {_where(sel)})
    SELECT store_id, pl, {agg} AS value, COUNT(v)::DOUBLE AS n, NULL AS ci_low, NULL AS ci_high, NULL AS breaches, NULL AS pending, NULL AS worst_delay
    FROM e WHERE v IS NOT NULL GROUP BY ALL"""


def _count(t: ScoredTarget, sel, quarter: bool) -> str:
    d = t.metric.definition
    width = max(_PER_MONTHS[t.spec.unit], 3 if quarter else 1)
    counted = f"COUNT(DISTINCT t.{d.column})" if d.column else "COUNT(*)"
    return f"""WITH c AS (SELECT store_id, t.ev_month // {width} AS w, {counted}::DOUBLE AS k FROM p_{sel.table} t WHERE {_where(sel)} GROUP BY ALL)
    SELECT g.store_id, g.pl, COALESCE(c.k, 0) * {_PER_MONTHS[t.spec.unit]} / {width} AS value, COALESCE(c.k, 0) AS n,
      NULL AS ci_low, NULL AS ci_high, NULL AS breaches, NULL AS pending, NULL AS worst_delay
    FROM cells g LEFT JOIN c ON c.store_id = g.store_id AND c.w = g.first_month // {width}"""


def compute_reference(card: Scorecard) -> pd.DataFrame:
    """Measures of every computable target on every cell with data, by DuckDB: spec_id, store_id, period, value, n, ...

    Cells with no rows are absent (the scorecard has n = 0 and no value there).
    """
    import duckdb

    ctx = card.context
    grid = ctx.grid
    quarter = grid.granularity == "quarter"
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    zones = [grid.zones[c] for c in grid.tz_codes]
    as_of_local = pd.Series(ctx.as_of_local.view("datetime64[ns]"))
    stores = pd.DataFrame(
        {
            "store_id": list(grid.stores),
            "tz": zones,
            "as_of": pd.Series(ctx.as_of.view("datetime64[ns]")).dt.tz_localize("UTC"),
            "as_of_local": as_of_local,
            "as_of_month_label": as_of_local.dt.strftime("%Y-%m"),
        }
    )
    con.register("stores", stores)
    labels = grid.labels()
    per = 3 if quarter else 1
    cells = pd.DataFrame(
        {
            "store_id": np.repeat(list(grid.stores), grid.count),
            "pl": labels * len(grid.stores),
            "first_month": np.tile((grid.first + np.arange(grid.count)) * per, len(grid.stores)),
        }
    )
    con.register("cells", cells)
    for name, frame in ctx.dataset.tables.items():
        con.register(name, frame)
        _placed(con, name, quarter)
    first_day = get_period_bounds(grid.first, grid.granularity)[0] - dt.timedelta(days=1)
    _calendar(con, first_day, pd.Timestamp(int(ctx.as_of_local.max())).date() + dt.timedelta(days=40))
    out = []
    for t in card.targets.specs:
        d = t.metric.definition
        if d is None:
            continue
        sel = select_rows(d, t.population)
        if isinstance(sel, str) or sel.table not in ctx.dataset.tables:
            continue
        if d.kind is MetricKind.survey_share:
            sql = _survey(t, sel)
        elif d.kind is MetricKind.ratio:
            sql = _ratio(t, sel)
        elif d.kind is MetricKind.deadline:
            if isinstance(make_deadline_rule(t.spec), str):
                continue
            sql = _deadline(t, sel)
        elif d.kind in (MetricKind.mean, MetricKind.percentile):
            sql = _mean(t, sel)
        else:
            sql = _count(t, sel, quarter)
        frame = con.execute(f"SELECT * FROM ({sql}) q WHERE pl IN (SELECT DISTINCT pl FROM cells)").df()
        frame.insert(0, "spec_id", t.spec_id)
        out.append(frame.rename(columns={"pl": "period"}))
    con.close()
    columns = ["spec_id", "store_id", "period", "value", "n", "ci_low", "ci_high", "breaches", "pending", "worst_delay"]
    result = pd.concat(out, ignore_index=True) if out else pd.DataFrame(columns=columns)
    result["store_id"] = result["store_id"].astype(str)
    return result[columns]
