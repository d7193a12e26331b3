"""Audit answers (`audits` table) checked against the store they are about, and read back for people.

The table's own rules (types, allowed results) are those of every table
(`compliance.validate`). What needs the knowledge base is checked here: an
answer must name a clause the store's effective standard has, or a metric
the store has a target on (`clause-not-in-store`, `metric-not-in-store`),
at least one of the two (`audit-names-nothing`), and it cannot be dated
after today (`date-in-future`). Problems join the dataset's problems, so
they stop scoring, or drop their rows with `--drop-invalid`, like any other.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from servicekb.compliance.data import Dataset
from servicekb.compliance.parse import PROBLEM_COLUMNS, make_problems
from servicekb.corpus import Corpus
from servicekb.issues import Level

__all__ = ["check_audits", "list_clause_audits"]


def _store_scope(corpus: Corpus, profiles: list[str], day: dt.date) -> dict[str, tuple[set[str], set[str]]]:
    """Profile -> (effective clause ids, metrics it has a target on), resolved on `day`."""
    from servicekb.tailoring import Resolver

    resolver = Resolver(corpus, day)
    out = {}
    for pid in profiles:
        eff = resolver.resolve(pid)
        out[pid] = (set(eff.clauses), {t.metric for t in eff.sorted_targets()})
    return out


def check_audits(dataset: Dataset, corpus: Corpus, today: dt.date) -> Dataset:
    """Add the problems of the audit answers to `dataset` (dropping their rows when it drops invalid rows)."""
    frame = dataset.tables.get("audits")
    if frame is None or frame.empty:
        return dataset
    file, first = dataset.files["audits"], dataset.first_line.get("audits", 2)
    position = {c: i + 1 for i, c in enumerate(dataset.columns.get("audits", ()))}
    profile_of = dict(zip(dataset.stores["store_id"].astype(str), dataset.stores["profile"].astype(str), strict=False))
    store = frame["store_id"].astype("str")
    profile = store.map(profile_of)
    scope = _store_scope(corpus, sorted(set(profile.dropna())), today)
    clause = frame["clause_id"].astype("str").where(frame["clause_id"].notna(), "")
    metric = frame["metric"].astype("str").where(frame["metric"].notna(), "")
    known = profile.notna().to_numpy()
    has_clause = np.array(
        [scope[p][0].__contains__(c) if k and c else True for p, c, k in zip(profile, clause, known, strict=False)]
    )
    has_metric = np.array(
        [scope[p][1].__contains__(m) if k and m else True for p, m, k in zip(profile, metric, known, strict=False)]
    )
    found = []

    def add(mask: np.ndarray, column: str, code: str, messages) -> None:
        if mask.any():
            rows = frame.index[mask]
            msg = messages[mask] if isinstance(messages, pd.Series) else messages
            found.append(
                make_problems("audits", file, first, pd.Index(rows), column, position.get(column, 1), code, msg)
            )

    shown_store = "'" + store + "' (" + profile.fillna("?") + ")"
    add(
        ~has_clause,
        "clause_id",
        "clause-not-in-store",
        "'" + clause + "' is not a clause of " + shown_store + ": answer only the clauses of its checklist",
    )
    add(
        ~has_metric,
        "metric",
        "metric-not-in-store",
        "'" + metric + "' is not a metric " + shown_store + " has a target on",
    )
    add(
        ((clause == "") & (metric == "")).to_numpy(),
        "clause_id",
        "audit-names-nothing",
        "neither clause_id nor metric is given: say what was checked",
    )
    dates = frame["audit_date"]
    future = (dates.notna() & (dates > pd.Timestamp(today))).to_numpy()
    add(
        future,
        "audit_date",
        "date-in-future",
        "'"
        + dates.dt.strftime("%Y-%m-%d").fillna("")
        + f"' is after today ({today.isoformat()}): an audit is recorded once done",
    )
    if not found:
        return dataset
    more = pd.concat(found, ignore_index=True)
    # `row` is the position in the file, the index of the typed frame.
    dataset.problems = pd.concat([p for p in (dataset.problems, more) if len(p)], ignore_index=True)[PROBLEM_COLUMNS]
    bad = more.loc[more["level"] == Level.error.value, "row"].unique()
    dataset.invalid_rows["audits"] = int(
        dataset.problems.loc[
            (dataset.problems["table"] == "audits")
            & (dataset.problems["row"] >= 0)
            & (dataset.problems["level"] == Level.error.value),
            "row",
        ].nunique()
    )
    if dataset.dropped:
        dataset.tables["audits"] = frame.drop(index=[r for r in bad if r in frame.index])
    return dataset


def list_clause_audits(card) -> pd.DataFrame:
    """The clause answers of the scored stores (no figure): store, period, clause, result, date, auditor, file line."""
    from servicekb.compliance.context import run

    ctx = card.context
    cols = ["store_id", "period", "clause_id", "result", "audit_date", "auditor", "note", "line"]
    if ctx.table("audits") is None or not len(ctx.grid.stores):
        return pd.DataFrame(columns=cols)
    q = ctx.base("audits")
    q = q.filter(q["clause_id"].notnull() & q["metric"].isnull())
    f = run(q.order_by("_row"))
    labels = ctx.grid.labels()
    note = f["note"].astype("str").where(f["note"].notna(), "").to_numpy() if "note" in f else ""
    out = pd.DataFrame(
        {
            "store_id": np.asarray(ctx.grid.stores)[f["_s"].to_numpy(dtype=np.int64)] if len(f) else [],
            "period": [labels[i] for i in f["_p"]],
            "clause_id": f["clause_id"].astype("str").to_numpy(),
            "result": f["result"].astype("str").to_numpy(),
            "audit_date": pd.to_datetime(f["audit_date"]).dt.strftime("%Y-%m-%d").to_numpy(),
            "auditor": f["auditor"].astype("str").to_numpy(),
            "note": note,
            "line": [ctx.dataset.line("audits", int(i)) for i in f["_row"]],
        },
        columns=cols,
    )
    return out.sort_values(["store_id", "period", "clause_id", "audit_date"], kind="stable").reset_index(drop=True)
