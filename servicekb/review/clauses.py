"""Clause changes between two versions of a set of clauses (one standard, or one store's local clauses).

Clauses are matched by id. A clause removed under one id and added under
another with the same text is *renumbered*, and then compared like any
kept clause: moved (same id, other section), reworded (with a character
diff), kind or modality changed, references and citations changed. A
requirement removed or demoted, and a modality weakened (必须 -> 应 -> 宜 -> 可),
carry the concern `loosened`. Target changes are delegated to
`servicekb.review.targets`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from servicekb.models import Clause, Metric
from servicekb.review.changes import Change
from servicekb.review.targets import TargetRef, diff_targets
from servicekb.review.textdiff import char_diff
from servicekb.types import Kind, Modality

__all__ = ["ClauseSet", "diff_clauses"]

Locate = Callable[[str, tuple[str | int, ...]], str | None]

# Strength of the wording, strongest first.
_STRENGTH = {Modality.must: 4, Modality.shall: 3, Modality.should: 2, Modality.may: 1, Modality.none: 0}
_BINDING = {Kind.requirement: 2, Kind.recommendation: 1, Kind.definition: 0, Kind.informative: 0}
# Fields compared one by one below; the rest are listed together as "also changed".
_HANDLED = {"id", "text", "kind", "modality", "targets", "references", "citations"}


@dataclass
class ClauseSet:
    """The clauses of one container at one revision, in document order, with their sections and a locator."""

    clauses: dict[str, Clause] = field(default_factory=dict)
    sections: dict[str, tuple[str, ...]] = field(default_factory=dict)
    locate: Locate = lambda clause_id, path=(): None  # noqa: E731 - a default that locates nothing

    def targets(self) -> list[TargetRef]:
        """Every target, clause by clause."""
        return [TargetRef(cid, i, t) for cid, c in self.clauses.items() for i, t in enumerate(c.targets)]


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _renumbered(removed: list[str], added: list[str], a: ClauseSet, b: ClauseSet) -> dict[str, str]:
    by_text: dict[str, list[str]] = {}
    for cid in added:
        by_text.setdefault(b.clauses[cid].text.strip(), []).append(cid)
    pairs = {}
    for cid in removed:
        same = by_text.get(a.clauses[cid].text.strip())
        if same:
            pairs[cid] = same.pop(0)
    return pairs


class _Maker:
    def __init__(self, area: str, group: str, a: ClauseSet, b: ClauseSet):
        self.area, self.group, self.a, self.b = area, group, a, b

    def __call__(
        self,
        kind: str,
        cid: str,
        summary: str,
        *,
        detail: str | None = None,
        before=None,
        after=None,
        concern: str | None = None,
        old: str | None = None,
        path: tuple = (),
    ) -> Change:
        where = self.b.locate(cid, path) if cid in self.b.clauses else self.a.locate(cid, path)
        subjects = tuple(dict.fromkeys(s for s in (self.group, cid, old) if s))
        return Change(self.area, self.group, kind, cid, summary, detail, before, after, where, concern, subjects)


def _section(numbers: tuple[str, ...]) -> str:
    return numbers[-1] if numbers else "(none)"


def _compare(old_id: str, cid: str, a: ClauseSet, b: ClauseSet, make: _Maker) -> list[Change]:
    ca, cb = a.clauses[old_id], b.clauses[cid]
    out = []
    if old_id != cid:
        out.append(
            make("clause-renumbered", cid, f"{old_id} -> {cid} (same text)", before=old_id, after=cid, old=old_id)
        )
    sa, sb = a.sections.get(old_id, ()), b.sections.get(cid, ())
    if sa != sb:
        out.append(
            make(
                "clause-moved",
                cid,
                f"section {_section(sa)} -> {_section(sb)}",
                before=list(sa),
                after=list(sb),
                old=old_id,
            )
        )
    if ca.text.strip() != cb.text.strip():
        out.append(
            make(
                "clause-reworded",
                cid,
                "text reworded",
                detail=char_diff(ca.text.strip(), cb.text.strip()),
                before=ca.text,
                after=cb.text,
                old=old_id,
                path=("text",),
            )
        )
    if ca.kind is not cb.kind:
        weaker = _BINDING[cb.kind] < _BINDING[ca.kind]
        out.append(
            make(
                "clause-kind-changed",
                cid,
                f"kind {ca.kind.value} -> {cb.kind.value}" + (": no longer binding as before" if weaker else ""),
                before=ca.kind.value,
                after=cb.kind.value,
                concern="loosened" if weaker else None,
                old=old_id,
                path=("kind",),
            )
        )
    if ca.modality is not cb.modality:
        weaker = _STRENGTH[cb.modality] < _STRENGTH[ca.modality]
        binding = cb.kind in (Kind.requirement, Kind.recommendation)
        verdict = "weakened" if weaker else "strengthened"
        out.append(
            make(
                "clause-modality-changed",
                cid,
                f"modality {ca.modality.value} -> {cb.modality.value}: {verdict}",
                before=ca.modality.value,
                after=cb.modality.value,
                concern="loosened" if weaker and binding else None,
                old=old_id,
                path=("modality",),
            )
        )
    gone, new = (
        [r for r in ca.references if r not in cb.references],
        [r for r in cb.references if r not in ca.references],
    )
    if gone or new:
        out.append(
            make(
                "clause-references-changed",
                cid,
                _plus_minus(new, gone),
                before=ca.references,
                after=cb.references,
                old=old_id,
                path=("references",),
            )
        )
    cites_a, cites_b = [_cite(c) for c in ca.citations], [_cite(c) for c in cb.citations]
    gone, new = [c for c in cites_a if c not in cites_b], [c for c in cites_b if c not in cites_a]
    if gone or new:
        out.append(
            make(
                "clause-citations-changed",
                cid,
                "citations " + _plus_minus(new, gone),
                before=cites_a,
                after=cites_b,
                old=old_id,
                path=("citations",),
            )
        )
    others = [name for name in type(cb).model_fields if name not in _HANDLED and getattr(ca, name) != getattr(cb, name)]
    if others:
        out.append(
            make("clause-edited", cid, "also changed: " + ", ".join(others), before=others, after=others, old=old_id)
        )
    return out


def _cite(ref) -> str:
    return ref.citation + (f" {ref.article}" if ref.article else "")


def _plus_minus(new: list[str], gone: list[str]) -> str:
    return ", ".join([*(f"+{r}" for r in new), *(f"-{r}" for r in gone)])


def diff_clauses(
    a: ClauseSet, b: ClauseSet, metrics_a: dict[str, Metric], metrics_b: dict[str, Metric], *, area: str, group: str
) -> list[Change]:
    """Every clause and target change of one container, in document order of the newer version."""
    make = _Maker(area, group, a, b)
    removed = [cid for cid in a.clauses if cid not in b.clauses]
    added = [cid for cid in b.clauses if cid not in a.clauses]
    renumbered = _renumbered(removed, added, a, b)
    old_of = {new: old for old, new in renumbered.items()}
    out = []
    for cid, clause in b.clauses.items():
        if cid in a.clauses or cid in old_of:
            out.extend(_compare(old_of.get(cid, cid), cid, a, b, make))
        else:
            summary = (
                f"{clause.kind.value}, {clause.modality.value}, "
                f"section {_section(b.sections.get(cid, ()))}: {_short(clause.text)}"
            )
            out.append(make("clause-added", cid, summary, after=clause.text))
    for cid in removed:
        if cid in renumbered:
            continue
        clause = a.clauses[cid]
        binding = clause.kind is Kind.requirement
        out.append(
            make(
                "clause-removed",
                cid,
                f"{clause.kind.value}, {clause.modality.value}: {_short(clause.text)}",
                before=clause.text,
                concern="loosened" if binding else None,
            )
        )
    out.extend(
        diff_targets(
            a.targets(), b.targets(), metrics_a, metrics_b, area=area, group=group, locate_a=a.locate, locate_b=b.locate
        )
    )
    # A clause's target changes follow its own changes; removed clauses come last.
    position = {cid: n for n, cid in enumerate(b.clauses)}
    return sorted(out, key=lambda c: position.get(c.subject, len(position)))
