"""Changes to store profiles: added, removed, attributes, selection, service levels, overrides, local clauses.

Overrides are matched by metric and population. Whether an override
tightens or relaxes is judged against the target in force before it
(as `servicekb resolve` does, on the day `as_of`); a relaxation added,
loosened or extended carries the concern `loosened`, which the profile
itself justifies when the override records a justification, an approver
and an expiry (the rule tailoring already enforces). An override is
reported as *expired* when its last day falls between A's commit date and
`as_of`: it lapsed since A.
"""

from __future__ import annotations

import datetime as dt

from servicekb.corpus import FileKey
from servicekb.models import Override, Selector, StoreProfile
from servicekb.review.changes import Change
from servicekb.review.clauses import ClauseSet, diff_clauses
from servicekb.review.revisions import Revision
from servicekb.review.stores import StoreViews
from servicekb.review.targets import judge_specs

__all__ = ["diff_profiles", "local_clause_set"]

_ATTRIBUTES = ("name", "abstract", "format", "region", "timezone", "opening_hours", "extends", "prefer")


def local_clause_set(rev: Revision, sid: str) -> ClauseSet:
    """A store's local clauses at a revision."""
    out = ClauseSet()
    store = rev.corpus.stores.get(sid)
    index = {}
    for j, clause in enumerate(store.local_clauses if store else []):
        out.clauses.setdefault(clause.id, clause)
        index.setdefault(clause.id, j)
    out.locate = lambda cid, sub=(): (
        rev.locate(FileKey.store(sid), ("local_clauses", index[cid], *sub)) if cid in index else None
    )
    return out


def _selector(field: str, s: Selector) -> str:
    for name in ("clause", "section", "stage", "tag"):
        value = getattr(s, name)
        if value is not None:
            return f"{field} {name} {value.value if hasattr(value, 'value') else value}"
    return f"{field} (empty)"


def _key(o: Override) -> tuple:
    return (o.metric, o.population.key())


def _label(o: Override) -> str:
    return f"{o.metric} [{o.population.describe()}]"


def _justified(o: Override) -> str | None:
    if o.justification and o.approver and o.expires:
        return f"profile: {o.justification} (approved by {o.approver}, until {o.expires.isoformat()})"
    return None


class _Profile:
    """Changes of one profile present in both revisions."""

    def __init__(self, sid: str, a: Revision, b: Revision, views: StoreViews):
        self.sid, self.a, self.b, self.views = sid, a, b, views
        self.pa, self.pb = a.corpus.stores[sid], b.corpus.stores[sid]
        self.out: list[Change] = []

    def add(
        self,
        kind: str,
        subject: str,
        summary: str,
        path: tuple = (),
        *,
        before=None,
        after=None,
        concern=None,
        justification=None,
        side: int = 1,
        metric: str | None = None,
    ) -> None:
        rev = self.b if side else self.a
        subjects = tuple(s for s in (self.sid, metric) if s)
        change = Change(
            "profiles",
            self.sid,
            kind,
            subject,
            summary,
            None,
            before,
            after,
            rev.locate(FileKey.store(self.sid), path),
            concern,
            subjects,
        )
        self.out.append(change.justified(justification) if justification and concern else change)

    def step(self, index: int):
        """How resolution (under B) judged this profile's override number `index`."""
        eff = self.views.side(1).get(self.sid)
        if eff is None:
            return None
        for target in eff.targets.values():
            for step in target.steps:
                if step.profile == self.sid and step.index == index:
                    return step
        return None

    def attributes(self) -> None:
        changed = [n for n in _ATTRIBUTES if getattr(self.pa, n) != getattr(self.pb, n)]
        if changed:
            parts = [f"{n} {_show(getattr(self.pa, n))} -> {_show(getattr(self.pb, n))}" for n in changed]
            self.add("profile-edited", self.sid, "; ".join(parts), before=changed, after=changed)
        gone = [s for s in self.pa.adopts if s not in self.pb.adopts]
        new = [s for s in self.pb.adopts if s not in self.pa.adopts]
        if gone or new:
            self.add(
                "profile-adopts-changed",
                self.sid,
                ", ".join([*(f"+{s}" for s in new), *(f"-{s}" for s in gone)]),
                ("adopts",),
                before=self.pa.adopts,
                after=self.pb.adopts,
            )
        sel_a = [_selector(f, s) for f in ("include", "exclude") for s in getattr(self.pa, f)]
        sel_b = [_selector(f, s) for f in ("include", "exclude") for s in getattr(self.pb, f)]
        gone, new = [s for s in sel_a if s not in sel_b], [s for s in sel_b if s not in sel_a]
        if gone or new:
            self.add(
                "profile-selection-changed",
                self.sid,
                ", ".join([*(f"+{s}" for s in new), *(f"-{s}" for s in gone)]),
                before=sel_a,
                after=sel_b,
            )

    def service_levels(self) -> None:
        la, lb = self.pa.service_levels, self.pb.service_levels
        for metric in sorted(la.keys() | lb.keys()):
            old, new = la.get(metric, 100.0), lb.get(metric, 100.0)
            if old != new:
                verdict = "loosened" if new < old else "tightened"
                self.add(
                    f"service-level-{verdict}",
                    metric,
                    f"share of events meeting the deadline {old:g}% -> {new:g}%: {verdict}",
                    ("service_levels", metric),
                    before=old,
                    after=new,
                    concern="loosened" if new < old else None,
                    metric=metric,
                )

    def expired(self, date_a: dt.date | None) -> None:
        """Overrides kept with the same last day, which fell between A's commit date and `as_of`."""
        if date_a is None:
            return
        old = {_key(o): o for o in self.pa.overrides}
        for index, ov in enumerate(self.pb.overrides):
            before = old.get(_key(ov))
            if (
                before is None
                or before.expires != ov.expires
                or ov.expires is None
                or not date_a <= ov.expires < self.views.as_of
            ):
                continue
            step, label = self.step(index), _label(ov)
            again = step.before.describe() if step else "the adopted target"
            self.add(
                "override-expired",
                label,
                f"{ov.bound.describe()} lapsed after {ov.expires.isoformat()}, since A; {again} applies again",
                ("overrides", index, "expires"),
                after=ov.expires.isoformat(),
                metric=ov.metric,
            )

    def overrides(self) -> None:
        old = {_key(o): o for o in self.pa.overrides}
        as_of = self.views.as_of
        for index, ov in enumerate(self.pb.overrides):
            path, label, spec = ("overrides", index), _label(ov), ov.bound.describe()
            step = self.step(index)
            judged = f"{step.change} against {step.before.describe()}, {step.status}" if step else "not resolved"
            relaxing = step is not None and step.change == "relaxed"
            expired = f"; expired on {ov.expires.isoformat()}" if ov.expires and ov.expires < as_of else ""
            before = old.pop(_key(ov), None)
            if before is None:
                self.add(
                    "override-added",
                    label,
                    f"{spec} ({judged}){expired}",
                    path,
                    after=spec,
                    concern="loosened" if relaxing else None,
                    justification=_justified(ov),
                    metric=ov.metric,
                )
                continue
            if before.bound != ov.bound:
                metric = self.b.corpus.metrics.get(ov.metric) or self.a.corpus.metrics.get(ov.metric)
                verdict = judge_specs(before.bound, ov.bound, metric.direction if metric else None)
                concern = "loosened" if verdict in ("loosened", "undecidable") else None
                self.add(
                    f"override-{verdict}",
                    label,
                    f"{before.bound.describe()} -> {spec}: {verdict} ({judged}){expired}",
                    path,
                    before=before.bound.describe(),
                    after=spec,
                    concern=concern,
                    justification=_justified(ov),
                    metric=ov.metric,
                )
            if before.expires != ov.expires:
                longer = before.expires is not None and (ov.expires is None or ov.expires > before.expires)
                old_day = before.expires.isoformat() if before.expires else "none"
                new_day = ov.expires.isoformat() if ov.expires else "none"
                word = "extended" if longer else "shortened" if ov.expires and before.expires else "changed"
                self.add(
                    "override-expiry-changed",
                    label,
                    f"expires {old_day} -> {new_day}: {word}{' (a relaxation)' if relaxing else ''}",
                    (*path, "expires"),
                    before=old_day,
                    after=new_day,
                    concern="loosened" if longer and relaxing else None,
                    justification=_justified(ov),
                    metric=ov.metric,
                )
        for ov in old.values():
            index = self.pa.overrides.index(ov)
            self.add(
                "override-removed",
                _label(ov),
                f"{ov.bound.describe()} removed",
                ("overrides", index),
                before=ov.bound.describe(),
                side=0,
                metric=ov.metric,
            )


def _show(value: object) -> str:
    if value is None:
        return "none"
    if hasattr(value, "value"):
        return str(value.value)
    if hasattr(value, "model_dump"):
        return str(value.model_dump(mode="json"))
    return str(value)


def _whole(kind: str, sid: str, store: StoreProfile, rev: Revision) -> Change:
    adopts = ", ".join(store.adopts) or "nothing"
    summary = (
        f"{store.name}{' (abstract)' if store.abstract else ''}: extends {store.extends or 'nothing'}, "
        f"adopts {adopts}, {len(store.overrides)} overrides, {len(store.local_clauses)} local clauses"
    )
    return Change("profiles", sid, kind, sid, summary, location=rev.locate(FileKey.store(sid)), subjects=(sid,))


def diff_profiles(a: Revision, b: Revision, views: StoreViews) -> list[Change]:
    """Every change to the store profiles, profile by profile (in id order)."""
    old, new, out = a.corpus.stores, b.corpus.stores, []
    for sid in sorted(old.keys() | new.keys()):
        if sid not in old:
            out.append(_whole("profile-added", sid, new[sid], b))
        elif sid not in new and b.failed(a.corpus.files[FileKey.store(sid)]):
            file = a.corpus.files[FileKey.store(sid)]
            out.append(
                Change(
                    "profiles",
                    sid,
                    "profile-unloadable",
                    sid,
                    f"{file} does not load in B (run `servicekb validate`); not compared",
                    location=file,
                    subjects=(sid,),
                )
            )
        elif sid not in new:
            out.append(_whole("profile-removed", sid, old[sid], a))
        else:
            profile = _Profile(sid, a, b, views)
            if old[sid] != new[sid]:
                profile.attributes()
                profile.service_levels()
                profile.overrides()
            profile.expired(a.date)
            out.extend(profile.out)
            if old[sid].local_clauses != new[sid].local_clauses:
                out.extend(
                    diff_clauses(
                        local_clause_set(a, sid),
                        local_clause_set(b, sid),
                        a.corpus.metrics,
                        b.corpus.metrics,
                        area="profiles",
                        group=sid,
                    )
                )
    return out
