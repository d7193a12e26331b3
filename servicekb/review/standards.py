"""Standard-level changes: standards added or removed, their metadata, their sections, and their clauses.

A standard added or removed is one change with its counts (the reviewer
reads the new file itself); a kept standard is compared section by section
(added, removed, status such as toc-only -> body, title) and clause by
clause (`servicekb.review.clauses`).
"""

from __future__ import annotations

from servicekb.corpus import FileKey, iter_sections
from servicekb.models import Section, Standard
from servicekb.review.changes import Change
from servicekb.review.clauses import ClauseSet, diff_clauses
from servicekb.review.revisions import Revision
from servicekb.types import Kind, TargetNature

__all__ = ["clause_set", "diff_standards"]

_META = ("title", "status", "edition", "scope", "source", "note")


def clause_set(rev: Revision, standard_id: str) -> ClauseSet:
    """The clauses of one standard at a revision, with their section numbers and a locator."""
    out = ClauseSet()
    paths: dict[str, tuple[str | int, ...]] = {}
    for entry in rev.corpus.iter_clauses(standard_id):
        cid = entry.clause.id
        if cid in out.clauses:
            continue
        out.clauses[cid] = entry.clause
        out.sections[cid] = tuple(s.number for s in entry.sections)
        paths[cid] = entry.path
    out.locate = lambda cid, sub=(): (
        rev.locate(FileKey.standard(standard_id), (*paths[cid], *sub)) if cid in paths else None
    )
    return out


def _sections(std: Standard) -> dict[tuple[str, ...], tuple[Section, tuple]]:
    return {tuple(s.number for s in chain): (sec, path) for sec, chain, path in iter_sections(std.sections)}


def _counts(std: Standard) -> str:
    sections = clauses = firm = required = 0
    for sec, _, _ in iter_sections(std.sections):
        sections += 1
        clauses += len(sec.clauses)
        required += sum(1 for c in sec.clauses if c.kind is Kind.requirement)
        firm += sum(1 for c in sec.clauses for t in c.targets if t.nature is TargetNature.firm)
    return f"{sections} sections, {clauses} clauses ({required} requirements), {firm} firm targets"


def _number(key: tuple[str, ...]) -> str:
    """The section number as selectors write it: `1.2` as printed, or the chain `一.(一)` when numbering restarts."""
    if len(key) == 1 or key[-1].startswith(key[-2]):
        return key[-1]
    return ".".join(key)


def _diff_sections(sid: str, a: Revision, b: Revision) -> list[Change]:
    before, after = _sections(a.corpus.standards[sid]), _sections(b.corpus.standards[sid])
    out = []
    for key, (sec, path) in after.items():
        subject = f"{sid}#{_number(key)}"
        old = before.get(key, (None,))[0]
        if old is None:
            found = [("section-added", f"{sec.title.zh} ({sec.status.value})", None, sec.status.value)]
        else:
            found = []
            if old.status is not sec.status:
                found.append(
                    (
                        "section-status-changed",
                        f"{old.status.value} -> {sec.status.value}",
                        old.status.value,
                        sec.status.value,
                    )
                )
            if old.title != sec.title:
                found.append(("section-retitled", f"{old.title.zh} -> {sec.title.zh}", old.title.zh, sec.title.zh))
        for kind, summary, was, now in found:
            # Located only when there is something to report: locating composes the file's node tree.
            out.append(
                Change(
                    "standards",
                    sid,
                    kind,
                    subject,
                    summary,
                    before=was,
                    after=now,
                    location=b.locate(FileKey.standard(sid), path),
                    subjects=(sid,),
                )
            )
    for key, (sec, path) in before.items():
        if key not in after:
            out.append(
                Change(
                    "standards",
                    sid,
                    "section-removed",
                    f"{sid}#{_number(key)}",
                    f"{sec.title.zh} ({sec.status.value})",
                    before=sec.status.value,
                    location=a.locate(FileKey.standard(sid), path),
                    subjects=(sid,),
                )
            )
    return out


def _diff_meta(sid: str, a: Standard, b: Standard, where: str | None) -> list[Change]:
    changed = [name for name in _META if getattr(a, name) != getattr(b, name)]
    if not changed:
        return []
    parts = []
    for name in changed:
        old, new = getattr(a, name), getattr(b, name)
        if name == "title":
            old, new = old.zh, new.zh
        parts.append(f"{name} {_plain(old)} -> {_plain(new)}" if name in ("title", "status", "edition") else name)
    return [
        Change(
            "standards",
            sid,
            "standard-edited",
            sid,
            "; ".join(parts),
            before=changed,
            after=changed,
            location=where,
            subjects=(sid,),
        )
    ]


def _plain(value: object) -> str:
    return value.value if hasattr(value, "value") else str(value)


def diff_standards(a: Revision, b: Revision) -> list[Change]:
    """Every change to the standards, standard by standard (in id order)."""
    out = []
    old, new = a.corpus.standards, b.corpus.standards
    for sid in sorted(old.keys() | new.keys()):
        if sid not in old:
            out.append(
                Change(
                    "standards",
                    sid,
                    "standard-added",
                    sid,
                    f"{new[sid].title.zh}: {_counts(new[sid])}",
                    location=b.locate(FileKey.standard(sid)),
                    subjects=(sid,),
                )
            )
            continue
        file = a.corpus.files[FileKey.standard(sid)]
        if sid not in new and b.failed(file):
            out.append(
                Change(
                    "standards",
                    sid,
                    "standard-unloadable",
                    sid,
                    f"{file} does not load in B (run `servicekb validate`); not compared",
                    location=file,
                    subjects=(sid,),
                )
            )
            continue
        if sid not in new:
            binding = any(c.kind is Kind.requirement for s, _, _ in iter_sections(old[sid].sections) for c in s.clauses)
            out.append(
                Change(
                    "standards",
                    sid,
                    "standard-removed",
                    sid,
                    f"{old[sid].title.zh}: {_counts(old[sid])}",
                    location=a.locate(FileKey.standard(sid)),
                    concern="loosened" if binding else None,
                    subjects=(sid,),
                )
            )
            continue
        if old[sid] == new[sid]:
            continue
        out.extend(_diff_meta(sid, old[sid], new[sid], b.locate(FileKey.standard(sid))))
        out.extend(_diff_sections(sid, a, b))
        out.extend(
            diff_clauses(
                clause_set(a, sid), clause_set(b, sid), a.corpus.metrics, b.corpus.metrics, area="standards", group=sid
            )
        )
    return out
