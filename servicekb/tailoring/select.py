"""Clause selection: an index of the corpus for selectors, and what one profile's include/exclude select.

A profile selects from a *pool*: the clauses its baseline kept plus the
clauses of the standards it newly adopts. `include`, when given, keeps only
what it matches; `exclude` then removes what it matches. Selectors are
inherited: a brand's `exclude: tag statistic` also applies to a standard a
store adopts further down. So a store can narrow its baseline but never
re-include a clause the baseline excluded (as in OSCAL profiles): that
exclusion must move down the chain. A profile's own local clauses are not
subject to its own or its baseline's selectors, only to its descendants'.

A section selector `<standard>#<number>` takes the number as printed
(`3.1`) or, where printed numbers repeat within a standard (`(一)` under
every chapter), the dotted chain (`一.(一)`), the way clause ids write it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from servicekb.corpus import Corpus, iter_sections
from servicekb.issues import Level
from servicekb.models import Clause, Section, Selector, StoreProfile
from servicekb.tailoring.effective import Candidate, Exclusion, Finding, SelectedClause
from servicekb.types import Stage, TargetNature

__all__ = ["ClauseIndex", "Rule", "Selection", "describe_selector", "select_clauses", "wrap_clause"]

_FIELDS = ("clause", "section", "stage", "tag")

Rule = tuple[str, str, int, Selector]
"""(profile id, `include` or `exclude`, index, selector): a selector with where it is written."""


def wrap_clause(clause: Clause, source: str, local: bool, order: int) -> SelectedClause:
    """Wrap a clause with its source and its firm targets as merge candidates."""
    cands = tuple(
        Candidate(clause.id, source, local, order, t) for t in clause.targets if t.nature is TargetNature.firm
    )
    return SelectedClause(clause, source, local, order, cands)


class ClauseIndex:
    """Every clause of the corpus by id, standard, stage, tag and section; built once per corpus."""

    def __init__(self, corpus: Corpus):
        self.entries: dict[str, SelectedClause] = {}
        self.by_standard: dict[str, list[str]] = {}
        self.by_stage: dict[Stage, set[str]] = {}
        self.by_tag: dict[str, set[str]] = {}
        for order, entry in enumerate(corpus.iter_clauses()):
            cid, sid = entry.clause.id, entry.standard_id
            if cid in self.entries:
                continue
            self.entries[cid] = wrap_clause(entry.clause, sid, False, order)
            self.by_standard.setdefault(sid, []).append(cid)
            self.by_stage.setdefault(entry.clause.stage, set()).add(cid)
            for tag in entry.clause.tags:
                self.by_tag.setdefault(tag, set()).add(cid)
        # standard -> printed number -> (dotted chain, clause ids) of every section so numbered
        self._printed: dict[str, dict[str, list[tuple[str, frozenset[str]]]]] = {}
        # standard -> dotted chain of numbers -> clause ids of that section and its subsections
        self._chained: dict[str, dict[str, frozenset[str]]] = {}
        for sid, std in corpus.standards.items():
            printed, chained = self._printed.setdefault(sid, {}), self._chained.setdefault(sid, {})
            for sec, chain, _ in iter_sections(std.sections):
                dotted = ".".join(s.number for s in chain)
                ids = frozenset(_subtree(sec))
                printed.setdefault(sec.number, []).append((dotted, ids))
                chained.setdefault(dotted, ids)

    def find_sections(self, sid: str, ref: str) -> list[tuple[str, frozenset[str]]] | None:
        """The sections `ref` names in a standard (printed number first, else dotted chain); None for an unknown
        standard.
        """
        if sid not in self._printed:
            return None
        if ref in self._printed[sid]:
            return self._printed[sid][ref]
        ids = self._chained[sid].get(ref)
        return [(ref, ids)] if ids is not None else []


def _subtree(section: Section) -> Iterator[str]:
    for clause in section.clauses:
        yield clause.id
    for sub in section.sections:
        yield from _subtree(sub)


def describe_selector(selector: Selector) -> str:
    """`tag in-store`, `clause retail-guide#2.3.b` ..."""
    parts = [
        f"{name} {getattr(selector, name).value if name == 'stage' else getattr(selector, name)}"
        for name in _FIELDS
        if getattr(selector, name) is not None
    ]
    return ", ".join(parts) or "(empty selector)"


@dataclass
class Selection:
    """The outcome of one profile's selection step."""

    pool: dict[str, SelectedClause]
    local_pool: dict[str, SelectedClause]
    excluded: dict[str, Exclusion]
    removed: set[str]
    added: set[str]
    rules: tuple[Rule, ...]
    findings: list[Finding]


def _match(selector: Selector, index: ClauseIndex, local_pool: dict[str, SelectedClause]) -> set[str]:
    """Clause ids the selector names, among the corpus and the local clauses of the chain."""
    if selector.clause is not None:
        return {selector.clause}
    if selector.section is not None:
        sid, ref = selector.section.split("#", 1)
        sets = index.find_sections(sid, ref) or []
        return set(sets[0][1]) if len(sets) == 1 else set()
    if selector.stage is not None:
        local = {cid for cid, sc in local_pool.items() if sc.clause.stage is selector.stage}
        return index.by_stage.get(selector.stage, set()) | local
    local = {cid for cid, sc in local_pool.items() if selector.tag in sc.clause.tags}
    return index.by_tag.get(selector.tag, set()) | local


def _check_selector(
    profile: StoreProfile,
    path: tuple,
    selector: Selector,
    index: ClauseIndex,
    adopts: tuple[str, ...],
    pools: tuple[dict, dict],
    excluded: dict,
    known: set[str],
) -> list[Finding]:
    """Problems of one selector: shape, unknown ids, standards not adopted, nothing matched."""
    pid, include = profile.id, path[0] == "include"
    pool, local_pool = pools
    given = [name for name in _FIELDS if getattr(selector, name) is not None]
    if len(given) != 1:
        what = "none" if not given else " and ".join(given)
        return [
            Finding(
                pid,
                path,
                "bad-selector",
                f"a selector names exactly one of clause, section, stage, tag; this one gives {what}",
                given,
            )
        ]
    name = given[0]
    value = getattr(selector, name)
    value = value.value if name == "stage" else value
    here = (*path, name)
    if name in ("clause", "section"):
        sid, ref = value.split("#", 1)
        local_owner = sid in known
        if index.find_sections(sid, "") is None and not local_owner:
            return [Finding(pid, here, "dangling-reference", f"standard {sid!r} does not exist", value)]
        if name == "clause" and sid == pid:
            return [
                Finding(
                    pid,
                    here,
                    "selector-matches-nothing",
                    f"{path[0]} {value}: a profile's own local clauses are not subject to its selectors; "
                    "remove the clause instead",
                    value,
                    Level.warning,
                )
            ]
        if name == "clause" and value not in index.entries and value not in pool and value not in excluded:
            where = (
                f"among the local clauses of store {sid!r} in this profile's chain"
                if local_owner
                else f"in standard {sid!r}"
            )
            return [Finding(pid, here, "dangling-reference", f"clause {value!r} does not exist {where}", value)]
        if name == "section":
            sets = index.find_sections(sid, ref)
            if not sets:
                return [
                    Finding(
                        pid, here, "dangling-reference", f"section {ref!r} does not exist in standard {sid!r}", value
                    )
                ]
            if len(sets) > 1:
                options = ", ".join(f"{sid}#{chain}" for chain, _ in sets)
                return [
                    Finding(
                        pid,
                        here,
                        "ambiguous-section",
                        f"{ref!r} numbers {len(sets)} sections of {sid!r}; write the chain of numbers: {options}",
                        value,
                    )
                ]
        if not local_owner and sid not in adopts:
            level = Level.error if include else Level.warning
            return [
                Finding(
                    pid,
                    here,
                    "not-adopted",
                    f"standard {sid!r} is not adopted by this profile (adopts: {', '.join(adopts) or 'nothing'})",
                    value,
                    level,
                )
            ]
    matched = _match(selector, index, local_pool)
    # A baseline's stage or tag selector also reaches standards its stores adopt later.
    if matched & pool.keys() or (profile.abstract and name in ("stage", "tag") and matched):
        return []
    if name == "clause" and value in excluded:
        ex = excluded[value]
        reason = (
            f"it was excluded by profile {ex.profile!r} ({ex.selector}); "
            "a profile cannot re-include what its baseline excluded"
        )
    else:
        reason = "no selected clause of the adopted standards matches it"
    return [
        Finding(
            pid,
            here,
            "selector-matches-nothing",
            f"{path[0]} {describe_selector(selector)} has no effect: {reason}",
            value,
            Level.warning,
        )
    ]


def _apply_rules(
    ids: set[str], rules: Sequence[Rule], index: ClauseIndex, local_pool: dict[str, SelectedClause]
) -> dict[str, Exclusion]:
    """Which of `ids` the rules remove, and why: each profile's includes keep their union, then excludes remove."""
    removed: dict[str, Exclusion] = {}
    if not ids or not rules:
        return removed
    includes: dict[str, set[str]] = {}
    for pid, kind, _, sel in rules:
        if kind == "include":
            includes.setdefault(pid, set()).update(_match(sel, index, local_pool))
    for pid, keep in includes.items():
        why = Exclusion(pid, ("include",), "not matched by include")
        removed.update(dict.fromkeys(ids - keep - removed.keys(), why))
    for pid, kind, k, sel in rules:
        if kind == "exclude":
            why = Exclusion(pid, ("exclude", k), describe_selector(sel))
            removed.update(dict.fromkeys((_match(sel, index, local_pool) & ids) - removed.keys(), why))
    return removed


def select_clauses(
    profile: StoreProfile,
    index: ClauseIndex,
    parent_pool: dict[str, SelectedClause],
    parent_local_pool: dict[str, SelectedClause],
    parent_excluded: dict[str, Exclusion],
    inherited: tuple[Rule, ...],
    new_standards: Iterable[str],
    adopts: tuple[str, ...],
    known_stores: set[str],
) -> Selection:
    """Apply one profile's adoptions, include, exclude and local clauses to its baseline's clauses."""
    pool = dict(parent_pool)
    local_pool = dict(parent_local_pool)
    excluded = dict(parent_excluded)
    fresh = {cid for sid in new_standards for cid in index.by_standard.get(sid, ()) if cid not in pool}
    # The baseline's selectors also reach the standards adopted further down the chain.
    upstream = _apply_rules(fresh, inherited, index, {})
    excluded.update(upstream)
    added = fresh - upstream.keys()
    for cid in sorted(added, key=lambda c: index.entries[c].order):
        pool[cid] = index.entries[cid]
    findings: list[Finding] = []
    own: list[Rule] = []
    for kind in ("include", "exclude"):
        for k, sel in enumerate(getattr(profile, kind)):
            findings += _check_selector(
                profile, (kind, k), sel, index, adopts, (pool, local_pool), excluded, known_stores
            )
            own.append((profile.id, kind, k, sel))
    before = len(pool)
    removed = _apply_rules(set(pool) if own else set(), own, index, local_pool)
    for cid, why in removed.items():
        del pool[cid]
        local_pool.pop(cid, None)
        excluded[cid] = why
    if before and not pool:
        where = ("exclude",) if profile.exclude else ("include",)
        findings.append(
            Finding(
                profile.id,
                where,
                "empty-selection",
                f"the selection removes every one of the {before} clauses it selects from",
                before,
            )
        )
    for j, clause in enumerate(profile.local_clauses):
        if clause.id not in pool:
            pool[clause.id] = local_pool[clause.id] = wrap_clause(clause, profile.id, True, j)
            added.add(clause.id)
    return Selection(pool, local_pool, excluded, set(removed), added, (*inherited, *own), findings)
