"""Rendering a `DiffResult` as text (terminal), markdown (pull-request comment) or plain data (JSON).

All three carry the same facts in the same order: which revisions, what
did not load, the changes by area and group, a summary, and what
`--fail-on` blocks with the trailer that would unblock it.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from servicekb.issues import Level
from servicekb.review.changes import AREAS, Change
from servicekb.review.justify import CONCERNS
from servicekb.review.revisions import Revision
from servicekb.review.semantic import DiffResult

__all__ = ["diff_to_dict", "render_markdown", "render_text", "summarize_diff"]

_TITLES = {
    "standards": "standards",
    "metrics": "metrics (catalogue)",
    "citations": "citations (catalogue)",
    "profiles": "store profiles",
    "stores": "stores' effective standards (what the change does to each scorecard)",
    "impact": "impact on the data (scored under A and under B)",
    "links": "links to changed clauses",
    "schemas": "schemas",
}


def _revision(rev: Revision) -> dict[str, Any]:
    return {"label": rev.label, "commit": rev.commit, "date": rev.date.isoformat() if rev.date else None}


def _describe(rev: Revision) -> str:
    if rev.commit is None:
        return rev.label if rev.label == "working tree" else f"{rev.label} (folder)"
    return f"{rev.label} ({rev.commit[:10]}, {rev.date.isoformat() if rev.date else '?'})"


def _errors(rev: Revision) -> int:
    return sum(1 for i in rev.issues if i.level is Level.error)


def summarize_diff(result: DiffResult) -> dict[str, Any]:
    """Counts a reviewer reads first: changes per area, target verdicts, clause moves, schema verdicts, links,
    stores."""
    kinds = Counter(c.kind for c in result.changes)
    areas = Counter(c.area for c in result.changes)
    concerns = Counter(c.concern for c in result.changes if c.concern)
    return {
        "changes": len(result.changes),
        "areas": {a: areas[a] for a in AREAS if areas[a]},
        "targets": {
            v: kinds[f"target-{v}"]
            for v in (
                "tightened",
                "loosened",
                "undecidable",
                "rescoped",
                "restated",
                "unit-changed",
                "added",
                "dropped",
                "moved",
            )
            if kinds[f"target-{v}"]
        },
        "clauses": {
            v: kinds[f"clause-{v}"]
            for v in ("added", "removed", "moved", "renumbered", "reworded", "modality-changed", "kind-changed")
            if kinds[f"clause-{v}"]
        },
        "schemas": {
            "breaking": sum(1 for c in result.changes if c.area == "schemas" and c.concern == "breaking"),
            "compatible": sum(1 for c in result.changes if c.area == "schemas" and not c.concern),
        },
        "stores_affected": len({c.group for c in result.changes if c.area == "stores"}),
        "stores_changing_status": len({c.group for c in result.changes if c.area == "impact"}),
        "suspect_links": kinds["link-suspect"],
        "concerns": {k: concerns[k] for k in CONCERNS if concerns[k]},
        "unjustified": {
            k: sum(1 for c in result.changes if c.concern == k and not c.justification) for k in CONCERNS if concerns[k]
        },
    }


def _summary_line(s: dict[str, Any]) -> str:
    parts = [f"{s['changes']} change{'s' * (s['changes'] != 1)}"]
    if s["targets"]:
        parts.append("targets " + ", ".join(f"{n} {k}" for k, n in s["targets"].items()))
    if s["clauses"]:
        parts.append("clauses " + ", ".join(f"{n} {k}" for k, n in s["clauses"].items()))
    if s["schemas"]["breaking"] or s["schemas"]["compatible"]:
        parts.append(f"schemas {s['schemas']['breaking']} breaking, {s['schemas']['compatible']} compatible")
    if s["stores_affected"]:
        parts.append(f"{s['stores_affected']} store(s) affected")
    if s["stores_changing_status"]:
        parts.append(f"{s['stores_changing_status']} store(s) of the data change status")
    if s["suspect_links"]:
        parts.append(f"{s['suspect_links']} suspect link(s)")
    for concern, n in s["concerns"].items():
        parts.append(f"{n} {concern} ({s['unjustified'][concern]} without a stated reason)")
    return "; ".join(parts)


def _flag(change: Change) -> str:
    if not change.concern:
        return ""
    if change.justification:
        return f"  [{change.concern}; {change.justification}]"
    return f"  [{change.concern}: no reason given]"


def _grouped(changes: list[Change]) -> list[tuple[str, list[tuple[str, list[Change]]]]]:
    out: list[tuple[str, list[tuple[str, list[Change]]]]] = []
    for change in changes:
        if not out or out[-1][0] != change.area:
            out.append((change.area, []))
        groups = out[-1][1]
        if not groups or groups[-1][0] != change.group:
            groups.append((change.group, []))
        groups[-1][1].append(change)
    return out


def _notes(result: DiffResult) -> list[str]:
    notes = []
    for side, rev in (("A", result.a), ("B", result.b)):
        n = _errors(rev)
        if n:
            notes.append(
                f"{side} ({rev.label}) has {n} load error(s): files that do not load are left out; "
                "run `servicekb validate`"
            )
    for j in result.unmatched:
        notes.append(f"{CONCERNS[j.concern]}: {j.subject}: covers no change (check the id)")
    return notes


def _hint(change: Change) -> str:
    subject = change.subject if change.subject in change.subjects else change.group
    return f"{CONCERNS[change.concern]}: {subject}: <why>"


def render_text(result: DiffResult) -> str:
    """The report for a terminal."""
    lines = [
        f"servicekb diff {_describe(result.a)} -> {_describe(result.b)}; "
        f"stores resolved as of {result.as_of.isoformat()}"
    ]
    lines += [f"note: {n}" for n in _notes(result)]
    if not result.changes:
        lines.append("no semantic change")
    for area, groups in _grouped(result.changes):
        lines.append("")
        lines.append(_TITLES.get(area, area))
        for group, changes in groups:
            lines.append(f"  {group}")
            for c in changes:
                where = f"  ({c.location})" if c.location else ""
                lines.append(f"    {c.kind} {c.subject}: {c.summary}{_flag(c)}{where}")
                if c.detail:
                    lines.append(f"        {c.detail}")
    lines.append("")
    lines.append("summary: " + _summary_line(summarize_diff(result)))
    blocked = result.blocking
    if blocked:
        lines.append(
            f"blocked by --fail-on {','.join(sorted(result.fail_on))}: "
            f"{len(blocked)} change(s) without a stated reason:"
        )
        for c in blocked:
            lines.append(f"  {c.location or c.group}: {c.kind} {c.subject}: {c.summary}")
        lines.append("state why in the commit message, e.g.  " + _hint(blocked[0]))
    return "\n".join(lines)


def _cell(text: str | None) -> str:
    return (text or "").replace("|", "\\|").replace("\n", " ")


def render_markdown(result: DiffResult) -> str:
    """The report as a pull-request comment: a summary, then one table per area."""
    s = summarize_diff(result)
    lines = [
        f"## servicekb diff `{_describe(result.a)}` → `{_describe(result.b)}`",
        "",
        f"**Summary:** {_summary_line(s)}",
        "",
    ]
    lines += [f"> **Note:** {_cell(n)}" for n in _notes(result)]
    blocked = result.blocking
    if blocked:
        lines += [
            f"> **Blocked** (`--fail-on {','.join(sorted(result.fail_on))}`): "
            f"{len(blocked)} change(s) without a stated reason; add a trailer such as `{_hint(blocked[0])}`",
            "",
        ]
    for area, groups in _grouped(result.changes):
        lines += [f"### {_TITLES.get(area, area)}", ""]
        for group, changes in groups:
            lines += [f"#### `{group}`", "", "| change | subject | what | concern | where |", "|---|---|---|---|---|"]
            for c in changes:
                what = _cell(c.summary) + (f"<br>`{_cell(c.detail)}`" if c.detail else "")
                concern = (
                    ""
                    if not c.concern
                    else (
                        f"{c.concern}: {_cell(c.justification)}"
                        if c.justification
                        else f"**{c.concern}, no reason given**"
                    )
                )
                lines.append(f"| {c.kind} | `{_cell(c.subject)}` | {what} | {concern} | {_cell(c.location)} |")
            lines.append("")
    if not result.changes:
        lines.append("No semantic change.")
    return "\n".join(lines).rstrip() + "\n"


def diff_to_dict(result: DiffResult) -> dict[str, Any]:
    """Plain data for `--format json`."""
    return {
        "a": _revision(result.a),
        "b": _revision(result.b),
        "as_of": result.as_of.isoformat(),
        "load_errors": {"a": _errors(result.a), "b": _errors(result.b)},
        "changes": [c.to_dict() for c in result.changes],
        "summary": summarize_diff(result),
        "fail_on": sorted(result.fail_on),
        "blocking": [c.to_dict() for c in result.blocking],
        "justifications": [
            {"concern": j.concern, "subject": j.subject, "reason": j.reason} for j in result.justifications
        ],
        "unmatched_justifications": [
            {"concern": j.concern, "subject": j.subject, "reason": j.reason} for j in result.unmatched
        ],
    }
