"""Changes to the shared catalogues: metrics (definition, unit, direction, names) and citations (status, identity).

A metric's definition decides every score computed on it, so a definition
change names the scorecards it affects: the stores whose effective standard
targets the metric, and the standards holding firm targets on it. A
direction change flips the meaning of every target on the metric and
carries the concern `loosened`. A citation's verification status change
names the clauses that cite it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from servicekb.corpus import Corpus, FileKey
from servicekb.issues import join_some
from servicekb.models import Metric
from servicekb.review.changes import Change
from servicekb.review.revisions import Revision
from servicekb.types import TargetNature

__all__ = ["diff_citations", "diff_metrics"]

StoresOf = Callable[[str], list[str]]


def _change(area: str, ident: str, kind: str, summary: str, location: str | None, **fields: Any) -> Change:
    """A change to one entry of a catalogue (or to the catalogue itself), grouped under and about its id."""
    return Change(area, ident, kind, ident, summary, location=location, subjects=(ident,), **fields)


def _unloadable(name: str, a: Revision) -> Change:
    file = a.corpus.files[FileKey.catalogue(name)]
    return _change(
        name, name, "catalogue-unloadable", f"{file} does not load in B (run `servicekb validate`); not compared", file
    )


def _targeting(corpus: Corpus) -> dict[str, dict[str, int]]:
    """Firm targets per metric per standard."""
    counts: dict[str, dict[str, int]] = {}
    for entry in corpus.iter_clauses():
        for t in entry.clause.targets:
            if t.nature is TargetNature.firm:
                per = counts.setdefault(t.metric, {})
                per[entry.standard_id] = per.get(entry.standard_id, 0) + 1
    return counts


def _affects(metric: str, targeting: dict[str, dict[str, int]], stores_of: StoresOf) -> str:
    stores = stores_of(metric)
    standards = targeting.get(metric, {})
    held = join_some([f"{sid} ({n})" for sid, n in sorted(standards.items())], 5) or "no standard"
    cards = f"scorecards of {join_some(stores, 5)}" if stores else "no store scorecard"
    return f"affects {cards}; firm targets in {held}"


def _set_fields(definition) -> dict:
    """The fields of a definition that differ from their defaults, in model order."""
    fields = type(definition).model_fields
    data = definition.model_dump(mode="json")
    return {k: v for k, v in data.items() if v != fields[k].get_default(call_default_factory=True)}


def _definition_fields(a: Metric, b: Metric) -> list[str]:
    if a.definition is None or b.definition is None:
        shown = _set_fields(b.definition or a.definition)
        return [f"{k}: {v!r}" for k, v in shown.items()]
    da, db = a.definition.model_dump(mode="json"), b.definition.model_dump(mode="json")
    return [f"{k}: {da.get(k)!r} -> {db.get(k)!r}" for k in sorted(da.keys() | db.keys()) if da.get(k) != db.get(k)]


def _metric_changes(mid: str, a: Metric, b: Metric, rev: Revision, affects: Callable[[str], str]) -> list[Change]:
    where = rev.locate(FileKey.metrics(), ("metrics", next(i for i, m in enumerate(rev.corpus.metrics) if m == mid)))
    make = lambda kind, summary, before=None, after=None, concern=None, detail=None: _change(  # noqa: E731
        "metrics", mid, kind, summary, where, detail=detail, before=before, after=after, concern=concern
    )
    out = []
    if a.direction is not b.direction:
        out.append(
            make(
                "metric-direction-changed",
                f"direction {a.direction.value} -> {b.direction.value}: every target on it changes meaning; "
                f"{affects(mid)}",
                a.direction.value,
                b.direction.value,
                "loosened",
            )
        )
    if a.unit is not b.unit:
        out.append(
            make(
                "metric-unit-changed",
                f"unit {a.unit.value} -> {b.unit.value}; {affects(mid)}",
                a.unit.value,
                b.unit.value,
            )
        )
    if a.definition != b.definition:
        fields = _definition_fields(a, b)
        what = (
            "definition added"
            if a.definition is None
            else "definition removed"
            if b.definition is None
            else "definition changed"
        )
        out.append(
            make(
                "metric-definition-changed",
                f"{what}; {affects(mid)}",
                a.definition and a.definition.model_dump(mode="json"),
                b.definition and b.definition.model_dump(mode="json"),
                detail="; ".join(fields),
            )
        )
    if a.name != b.name or a.description != b.description:
        out.append(
            make(
                "metric-renamed" if a.name != b.name else "metric-edited",
                f"{a.name.zh} -> {b.name.zh}" if a.name != b.name else "description changed",
                a.name.zh,
                b.name.zh,
            )
        )
    return out


def _changed_ids(name: str, old: dict, new: dict, a: Revision, b: Revision) -> list[str] | Change:
    """Ids whose entry differs between two catalogues, sorted; a Change when `b`'s catalogue failed to load.

    `name`: `metrics` or `citations`, the catalogue (and its file key).
    """
    if not new and old and b.failed(a.corpus.files.get(FileKey.catalogue(name), "")):
        return _unloadable(name, a)
    return sorted(i for i in old.keys() | new.keys() if old.get(i) != new.get(i))


def diff_metrics(a: Revision, b: Revision, stores_of: StoresOf) -> list[Change]:
    """Metric catalogue changes, in id order; `stores_of(metric)` names the stores targeting it in `b`."""
    old, new, out = a.corpus.metrics, b.corpus.metrics, []
    changed = _changed_ids("metrics", old, new, a, b)
    if isinstance(changed, Change):
        return [changed]
    if not changed:
        return []
    held_a, held_b = _targeting(a.corpus), _targeting(b.corpus)
    for mid in changed:
        if mid not in old:
            out.append(
                _change(
                    "metrics",
                    mid,
                    "metric-added",
                    f"{new[mid].name.zh} ({new[mid].unit.value}, {new[mid].direction.value})",
                    b.locate(FileKey.metrics()),
                )
            )
        elif mid not in new:
            out.append(
                _change(
                    "metrics",
                    mid,
                    "metric-removed",
                    f"{old[mid].name.zh}; {_affects(mid, held_a, stores_of)}",
                    a.locate(FileKey.metrics()),
                )
            )
        else:
            out.extend(_metric_changes(mid, old[mid], new[mid], b, lambda m: _affects(m, held_b, stores_of)))
    return out


def _citing(corpus: Corpus) -> dict[str, list[str]]:
    """Clause ids citing each citation, in document order."""
    out: dict[str, list[str]] = {}
    for entry in corpus.iter_clauses():
        for ref in dict.fromkeys(c.citation for c in entry.clause.citations):
            out.setdefault(ref, []).append(entry.clause.id)
    return out


def diff_citations(a: Revision, b: Revision) -> list[Change]:
    """Citation catalogue changes, in id order, each naming the clauses that cite it."""
    old, new, out = a.corpus.citations, b.corpus.citations, []
    changed = _changed_ids("citations", old, new, a, b)
    if isinstance(changed, Change):
        return [changed]
    if not changed:
        return []
    citing_a, citing_b = _citing(a.corpus), _citing(b.corpus)
    for cid in changed:
        corpus = b.corpus if cid in new else a.corpus
        users = (citing_b if cid in new else citing_a).get(cid, [])
        cited = f"cited by {join_some(users, 5)}" if users else "cited by no clause"
        index = next((i for i, c in enumerate(corpus.citations) if c == cid), 0)
        where = (b if cid in new else a).locate(FileKey.citations(), ("citations", index))
        if cid not in old:
            out.append(
                _change(
                    "citations",
                    cid,
                    "citation-added",
                    f"{new[cid].label} ({new[cid].status.value}); {cited}",
                    where,
                )
            )
            continue
        if cid not in new:
            out.append(
                _change(
                    "citations",
                    cid,
                    "citation-removed",
                    f"{old[cid].label}; {cited}",
                    where,
                )
            )
            continue
        ca, cb = old[cid], new[cid]
        if ca.status is not cb.status:
            note = f" ({cb.note})" if cb.note else ""
            out.append(
                _change(
                    "citations",
                    cid,
                    "citation-status-changed",
                    f"{cb.label}: {ca.status.value} -> {cb.status.value}{note}; {cited}",
                    where,
                    before=ca.status.value,
                    after=cb.status.value,
                )
            )
        fields = [f for f in ("identifier", "title", "type") if getattr(ca, f) != getattr(cb, f)]
        if fields:
            out.append(
                _change(
                    "citations",
                    cid,
                    "citation-edited",
                    f"{ca.label} -> {cb.label} ({', '.join(fields)}); {cited}",
                    where,
                    before=ca.label,
                    after=cb.label,
                )
            )
        elif ca.note != cb.note and ca.status is cb.status:
            out.append(
                _change(
                    "citations",
                    cid,
                    "citation-edited",
                    f"note changed; {cited}",
                    where,
                    before=ca.note,
                    after=cb.note,
                )
            )
    return out
