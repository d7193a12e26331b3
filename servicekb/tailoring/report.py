"""Rendering effective standards and profile diffs: plain data (for JSON/YAML) and a readable table.

Deterministic output: same input, same bytes. Nothing here prints.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from servicekb.bound import Bound
from servicekb.models import Metric, Population
from servicekb.strictness import convert
from servicekb.tailoring.diff import ProfileDiff
from servicekb.tailoring.effective import EffectiveStandard, EffectiveTarget, Merge, OverrideStep

__all__ = ["diff_to_dict", "effective_to_dict", "render_diff", "render_effective"]


def _population(pop: Population) -> dict[str, Any]:
    return pop.model_dump(mode="json", exclude_defaults=True)


def _spec(spec: Bound, metric: Metric | None) -> dict[str, Any]:
    data = spec.to_plain(population=False)
    if metric is not None and spec.unit is not metric.unit:
        value = convert(spec.value, spec.unit, metric.unit)
        upper = convert(spec.upper, spec.unit, metric.unit) if spec.upper is not None else None
        # Working days do not convert to hours; the compliance engine counts them on the calendar.
        data["in_metric_unit"] = (
            {"value": value, "upper": upper, "unit": metric.unit.value} if value is not None else None
        )
    return data


def _step(step: OverrideStep) -> dict[str, Any]:
    ov = step.override
    return {
        "profile": step.profile,
        "override": f"overrides[{step.index}]",
        "change": step.change,
        "status": step.status,
        "from": step.before.describe(),
        "to": step.spec.describe(),
        "justification": ov.justification,
        "approver": ov.approver,
        "approved_on": ov.approved_on.isoformat() if ov.approved_on else None,
        "expires": ov.expires.isoformat() if ov.expires else None,
        "note": step.note,
    }


def _merge(merge: Merge) -> dict[str, Any]:
    return {
        "rule": merge.rule,
        "preferred": merge.preferred,
        "note": merge.note,
        "candidates": [
            {
                "clause": e.candidate.clause_id,
                "source": e.candidate.source,
                "local": e.candidate.local,
                "target": e.candidate.spec.describe(),
                "outcome": e.outcome,
                "quote": e.candidate.target.quote,
            }
            for e in merge.entries
        ],
    }


def _target(t: EffectiveTarget, metric: Metric | None) -> dict[str, Any]:
    ov = t.override
    return {
        "metric": t.metric,
        "population": _population(t.population),
        "target": t.spec.describe(),
        **_spec(t.spec, metric),
        "set_by": {"override": f"{ov.profile} overrides[{ov.index}]"} if ov else _set_by_clause(t),
        "merge": _merge(t.merge),
        "overrides": [_step(s) for s in t.steps],
    }


def effective_to_dict(eff: EffectiveStandard, metrics: dict[str, Metric]) -> dict[str, Any]:
    """The effective standard as plain data: attributes, clauses, targets with provenance, merges."""
    return {
        "store": eff.id,
        "name": eff.name,
        "abstract": eff.profile.abstract,
        "chain": list(eff.chain),
        "as_of": eff.as_of.isoformat(),
        "format": eff.format.value if eff.format else None,
        "region": eff.region,
        "timezone": eff.timezone,
        "opening_hours": eff.opening_hours.model_dump() if eff.opening_hours else None,
        "adopts": list(eff.adopts),
        "prefer": dict(sorted(eff.prefer.items())),
        "service_levels": dict(sorted(eff.service_levels.items())),
        "clauses": sorted(eff.clauses),
        "local_clauses": sorted(cid for cid, sc in eff.clauses.items() if sc.local),
        "excluded": [
            {"clause": cid, "profile": ex.profile, "by": ex.selector} for cid, ex in sorted(eff.excluded.items())
        ],
        "targets": [_target(t, metrics.get(t.metric)) for t in eff.sorted_targets()],
        "merges": [
            {
                "metric": m.metric,
                "population": _population(m.population),
                "target": m.winner.spec.describe(),
                **_merge(m),
            }
            for m in eff.merges()
        ],
    }


def diff_to_dict(diff: ProfileDiff) -> dict[str, Any]:
    """A profile diff as plain data."""
    return {
        "store": diff.store,
        "baseline": diff.baseline,
        "attributes": [{"field": name, "baseline": _plain(a), "store": _plain(b)} for name, a, b in diff.attributes],
        "adopts_added": list(diff.adopts_added),
        "adopts_removed": list(diff.adopts_removed),
        "clauses_added": list(diff.clauses_added),
        "clauses_removed": list(diff.clauses_removed),
        "targets": [
            {
                "metric": c.metric,
                "population": _population(c.population),
                "change": c.change,
                "baseline": c.before.spec.describe() if c.before else None,
                "store": c.after.spec.describe() if c.after else None,
                "store_set_by": _origin(c.after) if c.after else None,
            }
            for c in diff.targets
        ],
    }


def _plain(value: Any) -> Any:
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json")
    return value.value if hasattr(value, "value") else value


def _attribute_text(value: Any) -> str:
    if value is None:
        return "-"
    if hasattr(value, "opens"):
        return f"{value.opens}-{value.closes}"
    return str(_plain(value))


def _set_by_clause(t: EffectiveTarget) -> dict:
    winner = t.merge.winner
    out = {"clause": winner.clause_id, "source": winner.source}
    if winner.adopted_by:
        out |= {"adopted_by": winner.adopted_by, "reason": winner.adoption_reason}
    return out


def _origin(t: EffectiveTarget) -> str:
    ov = t.override
    if ov:
        return f"{ov.profile} overrides[{ov.index}] ({ov.change})"
    n = len(t.merge.entries)
    winner = t.merge.winner
    adopted = f" (adopted as firm by {winner.adopted_by}: {winner.adoption_reason})" if winner.adopted_by else ""
    return winner.clause_id + adopted + (f" ({t.merge.rule} of {n})" if n > 1 else "")


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _clip(text: str, limit: int = 44) -> str:
    """Cut a cell to `limit` display columns (CJK characters take two)."""
    if _width(text) <= limit:
        return text
    out = ""
    for ch in text:
        if _width(out + ch) > limit - 1:
            break
        out += ch
    return out + "…"


def _table(rows: list[list[str]], indent: str = "  ") -> list[str]:
    widths = [max(_width(r[i]) for r in rows) for i in range(len(rows[0]))]
    return [
        indent + "  ".join(cell + " " * (w - _width(cell)) for cell, w in zip(row, widths, strict=False)).rstrip()
        for row in rows
    ]


def _attributes(eff: EffectiveStandard) -> str:
    hours = f"{eff.opening_hours.opens}-{eff.opening_hours.closes}" if eff.opening_hours else None
    parts = [
        eff.format.value if eff.format else None,
        eff.region,
        eff.timezone,
        hours,
        "abstract baseline" if eff.profile.abstract else None,
    ]
    return " · ".join(p for p in parts if p)


def _provenance(t: EffectiveTarget) -> list[str]:
    lines = [f"  {t.metric} [{t.population.describe()}] = {t.spec.describe()}"]
    # The selected candidate first, the others in precedence order.
    entries = sorted(t.merge.entries, key=lambda e: e.outcome != "selected")
    rows = [
        [
            e.outcome,
            e.candidate.clause_id,
            e.candidate.spec.describe(),
            "local clause" if e.candidate.local else e.candidate.source,
        ]
        for e in entries
    ]
    lines += _table(rows, "    ")
    if t.merge.rule not in ("only", "stricter") or t.merge.note:
        lines.append(
            f"    rule: {t.merge.rule}"
            + (f" ({t.merge.preferred})" if t.merge.preferred else "")
            + (f"; {t.merge.note}" if t.merge.note else "")
        )
    for s in t.steps:
        ov = s.override
        lines.append(
            f"    override {s.profile} overrides[{s.index}]: {s.change} "
            f"{s.before.describe()} -> {s.spec.describe()}: {s.status}"
        )
        if ov.approver or ov.expires or ov.justification:
            approved = f" on {ov.approved_on.isoformat()}" if ov.approved_on else ""
            until = f", until {ov.expires.isoformat()}" if ov.expires else ""
            lines.append(
                f"      approved by {ov.approver or '(nobody)'}{approved}{until}"
                + (f": {ov.justification}" if ov.justification else "")
            )
        if s.note:
            lines.append(f"      {s.note}")
    return lines


def render_effective(eff: EffectiveStandard) -> str:
    """The effective standard as text: summary, targets table, provenance of each number, merges, exclusions."""
    local = sum(1 for sc in eff.clauses.values() if sc.local)
    out = [
        f"Store      {eff.id} — {eff.name}",
        f"Chain      {' -> '.join(eff.chain)}",
        f"Attributes {_attributes(eff)}",
        f"Adopts     {', '.join(eff.adopts) or '(nothing)'}",
        f"As of      {eff.as_of.isoformat()}",
        f"Clauses    {len(eff.clauses)} selected ({len(eff.clauses) - local} from standards, {local} local), "
        f"{len(eff.excluded)} excluded",
        "",
        f"Targets ({len(eff.targets)})",
    ]
    targets = eff.sorted_targets()
    if targets:
        out += _table(
            [
                ["metric", "population", "target", "set by"],
                *[[t.metric, _clip(t.population.describe()), t.spec.describe(), _origin(t)] for t in targets],
            ]
        )
        out += ["", "Provenance"]
        for t in targets:
            out += _provenance(t)
    merges = eff.merges()
    out += ["", f"Merges ({len(merges)})"]
    for m in merges:
        others = ", ".join(
            f"{e.candidate.clause_id} {e.candidate.spec.describe()} {e.outcome}"
            for e in m.entries
            if e.candidate is not m.winner
        )
        out.append(
            f"  {m.metric} [{m.population.describe()}]: {m.rule}: {m.winner.spec.describe()} "
            f"from {m.winner.clause_id}; {others}"
        )
    groups: dict[tuple[str, str], list[str]] = {}
    for cid, ex in sorted(eff.excluded.items()):
        groups.setdefault((ex.profile, f"{ex.path[0]}[{ex.path[1]}]" if len(ex.path) > 1 else ex.path[0]), []).append(
            cid
        )
    out += ["", f"Excluded ({len(eff.excluded)})"]
    for (profile, where), ids in sorted(groups.items()):
        sample = ", ".join(ids[:4]) + (", …" if len(ids) > 4 else "")
        out.append(f"  {len(ids)} by {profile} {where} ({eff.excluded[ids[0]].selector}): {sample}")
    return "\n".join(out)


def _clause_lines(sign: str, ids: tuple[str, ...], limit: int = 12) -> list[str]:
    """One line per clause, or one per source when a source brings many (a whole adopted standard)."""
    groups: dict[str, list[str]] = {}
    for cid in ids:
        groups.setdefault(cid.split("#", 1)[0], []).append(cid)
    out = []
    for source, members in groups.items():
        if len(members) > limit:
            out.append(f"    {sign} {len(members)} clauses of {source} ({members[0]} … {members[-1]})")
        else:
            out += [f"    {sign} {cid}" for cid in members]
    return out


def render_diff(diff: ProfileDiff) -> str:
    """What a store does differently from its baseline, as text."""
    out = [f"{diff.store} compared with {diff.baseline}"]
    if diff.empty:
        return "\n".join([*out, "  no differences"])
    for name, a, b in diff.attributes:
        out.append(f"  {name}: {_attribute_text(a)} -> {_attribute_text(b)}")
    out += [f"  adopts: + {sid}" for sid in diff.adopts_added] + [f"  adopts: - {sid}" for sid in diff.adopts_removed]
    if diff.clauses_added or diff.clauses_removed:
        out.append(f"  clauses: {len(diff.clauses_added)} added, {len(diff.clauses_removed)} removed")
        out += _clause_lines("+", diff.clauses_added) + _clause_lines("-", diff.clauses_removed)
    if diff.targets:
        out.append(f"  targets: {len(diff.targets)} differ")
        rows = [
            [
                c.metric,
                _clip(c.population.describe()),
                c.before.spec.describe() if c.before else "-",
                c.after.spec.describe() if c.after else "-",
                c.change,
                _origin(c.after) if c.after else "",
            ]
            for c in diff.targets
        ]
        out += _table([["metric", "population", "baseline", "store", "change", "store's target set by"], *rows], "    ")
    return "\n".join(out)
