"""Findings with their location: the one currency every check and command trades in.

An `Issue` says where (file, line, column, field path), what (a stable
kebab-case code and a message) and how bad (error or warning). Library code
returns issues; only the CLI prints them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from enum import Enum
from typing import Any

__all__ = [
    "Issue",
    "Level",
    "format_issue",
    "format_path",
    "join_some",
    "limit_issues",
    "short_repr",
    "sort_issues",
    "summarize",
]


class Level(str, Enum):
    """How bad a finding is: errors fail a run, warnings only with --strict, notes never.

    Notes are findings worth showing that are not problems: two standards
    agreeing on a target, a difference of scope, an unverified citation.
    """

    error = "error"
    warning = "warning"
    note = "note"


@dataclass(frozen=True, order=False)
class Issue:
    """One finding at one place."""

    file: str
    line: int
    col: int
    code: str
    message: str
    path: str = ""
    level: Level = Level.error
    value: Any = field(default=None, compare=False)

    def to_dict(self) -> dict[str, Any]:
        """Plain-data form for `--format json`."""
        data = asdict(self)
        data["level"] = self.level.value
        data["value"] = _plain(self.value)
        return data


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return str(value)


def format_path(parts: Iterable[str | int]) -> str:
    """Render a field path: ('sections', 3, 'clauses', 2) -> 'sections[3].clauses[2]'."""
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def short_repr(value: Any, limit: int = 60) -> str:
    """A repr of an offending value, cut to `limit` characters for one-line messages."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def join_some(items: Sequence[str], limit: int) -> str:
    """The first `limit` items for a message, `a, b, c and 4 more` when there are more (the data keeps them all)."""
    more = f" and {len(items) - limit} more" if len(items) > limit else ""
    return ", ".join(items[:limit]) + more


def format_issue(issue: Issue) -> str:
    """`file:line:col: level[code] path: message` — the house error line."""
    where = f"{issue.file}:{issue.line}:{issue.col}"
    path = f" {issue.path}:" if issue.path else ""
    return f"{where}: {issue.level.value}[{issue.code}]{path} {issue.message}"


def sort_issues(issues: Iterable[Issue]) -> list[Issue]:
    """Sort by file, line, column, code; drop exact duplicates."""
    unique = {(i.file, i.line, i.col, i.code, i.path, i.message, i.level): i for i in issues}
    return sorted(unique.values(), key=lambda i: (i.file, i.line, i.col, i.code, i.path, i.message))


def summarize(issues: list[Issue], files: int) -> str:
    """One summary line: counts of errors and warnings over the files checked."""
    errors = sum(1 for i in issues if i.level is Level.error)
    warnings = sum(1 for i in issues if i.level is Level.warning)
    notes = len(issues) - errors - warnings
    noun = "file" if files == 1 else "files"
    line = f"{files} {noun} checked: {errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"
    return line + (f", {notes} note{'s' * (notes != 1)}" if notes else "")


def limit_issues(issues: Iterable[Issue], limit: int) -> tuple[list[Issue], list[str]]:
    """The first `limit` issues (sorted), and one line per code of those left out.

    A run that finds thousands of one kind shows a few of them and
    `… and 5,607 more unknown-store`, so the rest of its report stays readable.
    """
    ordered = sort_issues(issues)
    shown, rest = ordered[: max(limit, 0)], ordered[max(limit, 0) :]
    counts: dict[str, int] = {}
    for issue in rest:
        counts[issue.code] = counts.get(issue.code, 0) + 1
    more = [f"… and {n:,} more {code}" for code, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]
    return shown, more
