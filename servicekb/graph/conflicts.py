"""Conflicts, differences of scope and agreements between firm targets on one metric.

Only `firm` targets of clauses of standards take part (examples, advice
and legal rights only record a number the text mentions; store profiles
are tailoring, checked by resolution). Targets are compared per metric,
never across metrics, after bringing units to one scale
(`servicekb.bound`).

- `target-conflict` (warning): clauses set different targets for the same
  population (`Population.key()`), or a narrower population gets a looser
  target than a wider one that also binds it.
- `target-scope-difference` (note): different targets for populations that
  are siblings (in-store vs phone), overlap, or nest with the narrower one
  stricter: each rule can hold, the reader should know both.
- `target-agreement` (note): clauses of two or more standards set the same
  target for the same population and nothing contradicts it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import combinations

import networkx as nx

from servicekb.bound import Interval
from servicekb.corpus import Corpus
from servicekb.graph.build import node_id
from servicekb.graph.findings import Locator
from servicekb.issues import Issue, Level, format_path, join_some
from servicekb.models import Metric, Population, Target
from servicekb.strictness import compare_strictness, incomparable_reason
from servicekb.types import Direction, TargetNature, unit_dimension

__all__ = ["Side", "check_targets", "collect_sides", "relate_populations"]


@dataclass(frozen=True)
class Side:
    """One firm target of one clause, with its interval of acceptable values."""

    clause: str
    standard: str
    index: int
    target: Target
    bound: Interval
    file: str
    path: tuple[str | int, ...]

    def describe(self) -> str:
        """`retail-guide#6.1.c (<= 72 h)`."""
        return f"{self.clause} ({self.target.bound.format('en')})"


def collect_sides(graph: nx.MultiDiGraph, corpus: Corpus, metric: Metric) -> list[Side]:
    """The firm targets of standards' clauses on one metric, read from its `targets` edges."""
    sides = []
    for source, _, data in graph.in_edges(node_id("metric", metric.id), data=True):
        if data.get("type") != "targets" or data.get("nature") != TargetNature.firm.value:
            continue
        node = graph.nodes[source]
        if "standard" not in node:
            continue
        entry = corpus.clauses[node["ref"]]
        target = entry.clause.targets[data["index"]]
        if unit_dimension(target.unit) is unit_dimension(metric.unit):
            path = (*entry.path, "targets", data["index"])
            sides.append(
                Side(node["ref"], node["standard"], data["index"], target, target.bound.interval(), node["file"], path)
            )
    return sorted(sides, key=lambda s: (s.clause, s.index))


def relate_populations(a: Population, b: Population) -> str:
    """How `a` relates to `b`: equal, wider, narrower, overlapping, siblings or described.

    `siblings` are disjoint on some field (in-store vs phone, repair vs
    complaint). `described` means the fields agree and only the notes (the
    scope in the source's words) differ: a machine cannot tell how such
    scopes nest, so they are never read as one inside the other.
    """
    relation = _relate_fields(a, b)
    if relation == "equal" and a.note != b.note:
        return "described"
    return relation


def _relate_fields(a: Population, b: Population) -> str:
    relations = set()
    for field in ("ticket_kind", "severity", "topic", "in_warranty"):
        x, y = getattr(a, field), getattr(b, field)
        if x == y:
            continue
        if x is not None and y is not None:
            return "siblings"
        relations.add("wider" if x is None else "narrower")
    ca, cb = set(a.channels), set(b.channels)
    if ca != cb:
        if ca and cb and not ca & cb:
            return "siblings"
        if not ca or (cb and cb < ca):
            relations.add("wider")
        elif not cb or ca < cb:
            relations.add("narrower")
        else:
            relations.add("overlapping")
    if not relations:
        return "equal"
    return relations.pop() if len(relations) == 1 else "overlapping"


def _positions(sides: list[Side], direction: Direction) -> list[list[Side]]:
    """Sides grouped by equal bounds, strictest first when that can be decided."""
    groups: dict[Interval, list[Side]] = {}
    for side in sides:
        groups.setdefault(side.bound, []).append(side)
    ordered = list(groups.values())
    # Insertion sort with a partial order: a group moves before every group it is stricter than.
    result: list[list[Side]] = []
    for group in ordered:
        at = len(result)
        for i, other in enumerate(result):
            if compare_strictness(group[0].target.bound, other[0].target.bound, direction) == -1:
                at = i
                break
        result.insert(at, group)
    return result


def _names(sides: list[Side], limit: int = 6) -> str:
    """Clause ids for a message; a long list is cut (the JSON value keeps every side)."""
    return join_some([s.clause for s in sides], limit)


def _where(standards: set[str], sides: list[Side]) -> str:
    bounds: dict[str, set[Interval]] = defaultdict(set)
    for side in sides:
        bounds[side.standard].add(side.bound)
    inside = sorted(sid for sid, found in bounds.items() if len(found) > 1)
    parts = []
    if len(standards) > 1:
        parts.append("across " + ", ".join(sorted(standards)))
    if inside:
        parts.append("inside " + ", ".join(inside))
    return " and ".join(parts)


def _stricter(first: list[Side], second: list[Side], direction: Direction) -> tuple[str, bool]:
    order = compare_strictness(first[0].target.bound, second[0].target.bound, direction)
    if order is None:
        return "not directly comparable: " + incomparable_reason(first[0].target.bound, second[0].target.bound), False
    winner = first if order == -1 else second
    why = ""
    if first[0].target.bound.is_working_time != second[0].target.bound.is_working_time:
        why = ", as N working days always span at least N calendar days"
    return f"stricter: {winner[0].target.bound.format('en')} ({_names(winner)}){why}", True


def _side_data(side: Side) -> dict:
    # File and field path, not line and column: a position means composing
    # the YAML node tree of every file again (4 s on 50,000 clauses); the
    # finding itself is located.
    t = side.target
    return {
        "clause": side.clause,
        "standard": side.standard,
        "target": t.bound.format("en"),
        **t.bound.to_plain(clock=False),
        "file": side.file,
        "path": format_path(side.path),
        "quote": t.quote,
    }


def _finding(code: str, level: Level, sides: list[Side], message: str, value: dict, locate: Locator) -> Issue:
    first = min(sides, key=lambda s: (s.file, s.path))
    file, line, col, path = locate.clause(first.clause, "targets", first.index)
    value = {**value, "sides": [_side_data(s) for s in sides]}
    return Issue(file, line, col, code, message, path, level, value)


def _same_population(metric: Metric, sides: list[Side], locate: Locator) -> Iterator[Issue]:
    population = sides[0].target.population.describe()
    standards = {s.standard for s in sides}
    positions = _positions(sides, metric.direction)
    head = f"{metric.id} [{population}]"
    if len(positions) == 1:
        if len(standards) > 1:
            message = (
                f"{head}: {_names(sides)} all set {sides[0].target.bound.format('en')}, "
                f"shared by {len(standards)} standards"
            )
            yield _finding(
                "target-agreement",
                Level.note,
                sides,
                message,
                {"metric": metric.id, "population": population, "standards": sorted(standards)},
                locate,
            )
        return
    listing = "; ".join(f"{p[0].target.bound.format('en')} in {_names(p)}" for p in positions)
    verdict, decided = _stricter(positions[0], positions[1], metric.direction)
    if decided and len(positions) > 2:
        verdict = f"strictest: {positions[0][0].target.bound.format('en')} ({_names(positions[0])})"
    message = f"{head}: conflicting targets for the same population {_where(standards, sides)}: {listing}; {verdict}"
    value = {
        "metric": metric.id,
        "population": population,
        "kind": "conflict",
        "direction": metric.direction.value,
        "stricter": [s.clause for s in positions[0]] if decided else [],
        "comparable": decided,
    }
    yield _finding("target-conflict", Level.warning, sides, message, value, locate)


_SCOPES = {
    "wider": "a stricter target for part of the population",
    "siblings": "the populations are distinct",
    "overlapping": "the populations overlap; where both apply, the stricter target governs",
    "described": "the populations differ only in their notes (the scope in the source's words)",
}


def _across_populations(metric: Metric, a: list[Side], b: list[Side], locate: Locator) -> Iterator[Issue]:
    relation = relate_populations(a[0].target.population, b[0].target.population)
    if relation == "narrower":
        a, b, relation = b, a, "wider"
    pa, pb = a[0].target.population.describe(), b[0].target.population.describe()
    for sa in _positions(a, metric.direction):
        for sb in _positions(b, metric.direction):
            order = compare_strictness(sa[0].target.bound, sb[0].target.bound, metric.direction)
            if order == 0:
                continue
            verdict, _ = _stricter(sa, sb, metric.direction)
            sides = sa + sb
            left = f"{_names(sa)} sets {sa[0].target.bound.format('en')} for [{pa}]"
            right = f"{_names(sb)} sets {sb[0].target.bound.format('en')} for [{pb}]"
            if relation == "wider" and order == -1:
                kind, code, level = "conflict", "target-conflict", Level.warning
                why = (
                    "real conflict: the wider population's target also binds the narrower one, "
                    "which gets a looser target"
                )
            else:
                kind, code, level = "scope", "target-scope-difference", Level.note
                scope = (
                    _SCOPES[relation]
                    if order is not None or relation != "wider"
                    else "a different target for part of the population"
                )
                why = "difference of scope: " + scope
            message = f"{metric.id}: {left}; {right}; {verdict}; {why}"
            value = {
                "metric": metric.id,
                "kind": kind,
                "relation": relation,
                "direction": metric.direction.value,
                "stricter": [s.clause for s in (sa if order == -1 else sb)] if order is not None else [],
                "comparable": order is not None,
            }
            yield _finding(code, level, sides, message, value, locate)


def check_targets(graph: nx.MultiDiGraph, corpus: Corpus, locate: Locator) -> list[Issue]:
    """Conflicts, differences of scope and agreements on every metric of the corpus."""
    findings: list[Issue] = []
    for metric_id in sorted(corpus.metrics):
        metric = corpus.metrics[metric_id]
        groups: dict[tuple, list[Side]] = defaultdict(list)
        for side in collect_sides(graph, corpus, metric):
            groups[side.target.population.key()].append(side)
        for sides in groups.values():
            findings.extend(_same_population(metric, sides, locate))
        # Populations per metric are few (a handful of scopes), so pairs are cheap.
        for (_, a), (_, b) in combinations(sorted(groups.items(), key=lambda kv: repr(kv[0])), 2):
            findings.extend(_across_populations(metric, a, b, locate))
    return findings
