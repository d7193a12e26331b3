"""ratio: a summed numerator over a summed denominator (of the same rows, or of another table), times `scale`."""

from __future__ import annotations

import ibis
import numpy as np
from ibis import _

from servicekb.compliance.definitions import parse_expression
from servicekb.compliance.kinds import register
from servicekb.compliance.kinds.base import Kind, count_if, sum_if, zeros
from servicekb.compliance.measures import Measures
from servicekb.compliance.words import format_number
from servicekb.datatables import TABLES

__all__ = ["Ratio", "evaluate"]


def evaluate(plan, text: str, table: str):
    """(value, missing) of a summed expression on a row: `count`, `count(ts)`, `column` or `a - b`."""
    expr = parse_expression(text)
    if expr.form == "count":
        return ibis.literal(1.0), ibis.literal(False)
    if expr.form == "count_set":
        ts = plan.col(expr.columns[0], table)
        return (ts.notnull() & (ts <= _._as_of)).cast("float64"), ibis.literal(False)
    cols = [plan.col(c, table) for c in expr.columns]
    if expr.form == "difference":
        return cols[0] - cols[1], cols[0].isnull() | cols[1].isnull()
    return cols[0], cols[0].isnull()


def _total(value, where):
    """The sum of a value over the rows where `where` holds (a count when the value is a constant 1)."""
    if isinstance(value, ibis.expr.types.Scalar):
        return count_if(where) * value
    return sum_if(value, where)


def _denominator_table(plan) -> str:
    d = plan.definition
    return d.denominator_table.value if d.denominator_table else plan.table


class Ratio(Kind):
    """Exact ratio of totals per cell; any empty value in a summed row leaves the cell without value."""

    name = "ratio"
    title = "两个合计之比 ratio of totals"
    needs = ("numerator", "denominator")
    optional = ("denominator_table",)
    description = "ratio of two totals over the period (numerator rows filtered, denominator possibly another table)"

    def columns(self, definition):
        texts = (
            (definition.numerator,) if definition.denominator_table else (definition.numerator, definition.denominator)
        )
        out = []
        for text in texts:
            expr = parse_expression(text) if text else None
            out += list(expr.columns) if expr else []
        return out

    def reduce(self, plan):
        d, sel = plan.definition, plan.selected()
        num, missing = evaluate(plan, d.numerator, plan.table)
        out = {"num": _total(num, sel & ~missing), "num_missing": count_if(sel & missing)}
        if d.denominator_table is None:
            den, den_missing = evaluate(plan, d.denominator, plan.table)
            out |= {
                "den": _total(den, sel & ~den_missing),
                "den_missing": count_if(sel & den_missing),
                "den_n": count_if(sel),
            }
        return out

    def shown(self, plan, table):
        d = plan.definition
        out = {}
        if table == plan.table:
            value, missing = evaluate(plan, d.numerator, table)
            # ibis.ifelse, not missing.ifelse: `count(ts)` is deferred (it reads the as-of column of the cell).
            out[f"_v_{d.numerator}"] = ibis.ifelse(missing, ibis.null("float64"), value.cast("float64"))
        if table == _denominator_table(plan):
            value, missing = evaluate(plan, d.denominator, table)
            # ibis.ifelse, not missing.ifelse: `count(ts)` is deferred (it reads the as-of column of the cell).
            out[f"_v_{d.denominator}"] = ibis.ifelse(missing, ibis.null("float64"), value.cast("float64"))
        return out

    def reduce_other(self, plan):
        d = plan.definition
        if d.denominator_table is None:
            return {}
        table = d.denominator_table.value
        den, missing = evaluate(plan, d.denominator, table)
        return {table: {"den": _total(den, ~missing), "den_missing": count_if(missing), "den_n": _.count()}}

    def finish(self, plan, found, windows=None):
        d = plan.definition
        numerator, denominator, n = zeros(found["num"]), zeros(found["den"]), zeros(found["den_n"])
        missing = zeros(found["num_missing"]) + zeros(found["den_missing"])
        out = Measures.blank(plan.size)
        ok = (n > 0) & (missing == 0) & (denominator != 0)
        with np.errstate(divide="ignore", invalid="ignore"):
            out.value = np.where(ok, d.scale * numerator / denominator, np.nan)
        out.n = n
        reason = np.where(
            n == 0,
            f"no {_denominator_table(plan)} rows",
            np.where(
                missing > 0,
                "empty values in " + np.char.mod("%d", missing.astype(np.int64)).astype(object) + " row(s)",
                np.where(denominator == 0, f"{d.denominator} is 0", ""),
            ),
        )
        out.reason = reason.astype(object)
        return out

    def explain(self, plan, cell_rows, row, explained):
        from servicekb.compliance.explain import describe_lines, fetch_cell

        d, num = plan.definition, format_number
        numerator, num_missing = _summed_rows(plan, d.numerator, cell_rows)
        plain = d.numerator.strip() == "count" or d.numerator.strip().startswith("count(")
        explained.lines.append(
            ("numerator", f"{_words(d.numerator)}{'' if plain else ' over those rows'} = {num(numerator)}")
        )
        den_name = _denominator_table(plan)
        den_rows = fetch_cell(plan, row, den_name) if den_name != plan.table else cell_rows
        denominator, den_missing = _summed_rows(plan, d.denominator, den_rows)
        if den_name != plan.table:
            file = plan.ctx.relations.files.get(den_name, den_name)
            where = (
                f" over {file}, store_id = {row['store_id']}, {TABLES[den_name].event_time} in {row['period']}: "
                f"{describe_lines(plan.ctx, den_name, den_rows['_row'].to_numpy())}"
            )
        else:
            where = "" if d.denominator.strip() == "count" else " over those rows"
        explained.lines.append(("denominator", f"{_words(d.denominator)}{where} = {num(denominator)}"))
        if num_missing + den_missing:
            explained.lines.append(("missing", f"{num_missing + den_missing} row(s) with an empty value: no value"))
        elif denominator:
            explained.lines.append(
                (
                    "formula",
                    f"value = {num(d.scale)} × {num(numerator)} / {num(denominator)} = "
                    f"{num(d.scale * numerator / denominator)} {row['unit']}",
                )
            )


def _summed_rows(plan, text: str, rows) -> tuple[float, int]:
    """Total and number of missing values of an expression over fetched rows (the `_v_<text>` columns)."""
    values = rows[f"_v_{text}"].to_numpy(dtype=np.float64, na_value=np.nan)
    missing = np.isnan(values)
    return float(values[~missing].sum()), int(missing.sum())


def _words(expr: str) -> str:
    text = expr.strip()
    if text == "count":
        return "number of those rows"
    if text.startswith("count("):
        return f"rows with {text[6:-1].strip()} set by the as-of time"
    return f"sum of {text}"


register(Ratio())
