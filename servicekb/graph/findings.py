"""Findings of the graph analyses and where they live in the YAML files.

A `Finding` is an `Issue` with one more level, `note`: agreements and
differences of scope are worth showing but are not problems, so they never
fail a run, not even with `--strict`. `Locator` turns a clause, target or
catalogue entry into `file:line:col` and a field path.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from servicekb.corpus import Corpus
from servicekb.issues import Issue, format_path
from servicekb.yamlpos import YamlDocument

__all__ = ["Finding", "FindingLevel", "Locator", "format_finding", "sort_findings", "summarize_findings"]


class FindingLevel(str, Enum):
    """How bad a finding is: errors always fail, warnings with --strict, notes never."""

    error = "error"
    warning = "warning"
    note = "note"


@dataclass(frozen=True)
class Finding:
    """One finding at one place; `value` holds the structured detail for `--format json`."""

    file: str
    line: int
    col: int
    code: str
    message: str
    path: str = ""
    level: FindingLevel = FindingLevel.warning
    value: Any = field(default=None, compare=False)

    @classmethod
    def from_issue(cls, issue: Issue) -> Finding:
        """The same finding as a validation issue (errors and warnings map one to one)."""
        return cls(issue.file, issue.line, issue.col, issue.code, issue.message, issue.path, FindingLevel(issue.level.value), issue.value)

    def to_dict(self) -> dict[str, Any]:
        """Plain-data form for `--format json` (same keys as an issue)."""
        issue = Issue(self.file, self.line, self.col, self.code, self.message, self.path, value=self.value)
        return {**issue.to_dict(), "level": self.level.value}


def format_finding(finding: Finding) -> str:
    """`file:line:col: level[code] path: message`, the house error line."""
    path = f" {finding.path}:" if finding.path else ""
    return f"{finding.file}:{finding.line}:{finding.col}: {finding.level.value}[{finding.code}]{path} {finding.message}"


def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
    """Sort by file, line, column, code; drop exact duplicates."""
    unique = {(f.file, f.line, f.col, f.code, f.path, f.message, f.level): f for f in findings}
    return sorted(unique.values(), key=lambda f: (f.file, f.line, f.col, f.code, f.path, f.message))


def summarize_findings(findings: list[Finding]) -> str:
    """One summary line: counts by level."""
    counts = {level: sum(1 for f in findings if f.level is level) for level in FindingLevel}
    return ", ".join(f"{n} {level.value}{'s' * (n != 1)}" for level, n in counts.items())


class Locator:
    """Finds `file:line:col` for clauses and catalogue entries of a loaded corpus."""

    def __init__(self, corpus: Corpus, documents: dict[str, YamlDocument] | None = None):
        self.corpus, self.documents = corpus, documents or {}
        self._catalogue_index: dict[tuple[str, str], int] = {}

    def _at(self, file: str, path: tuple[str | int, ...]) -> tuple[str, int, int, str]:
        doc = self.documents.get(file)
        line, col = doc.locate(path) if doc else (1, 1)
        return file, line, col, format_path(path)

    def clause(self, clause_id: str, *sub: str | int) -> tuple[str, int, int, str]:
        """Where a clause of a standard (or a field under it, e.g. 'targets', 0) is written."""
        entry = self.corpus.clauses[clause_id]
        return self._at(self.corpus.files[entry.standard_id], (*entry.path, *sub))

    def catalogue(self, name: str, item_id: str) -> tuple[str, int, int, str]:
        """Where entry `item_id` of catalogue `name` ('metrics' or 'citations') is written."""
        file = self.corpus.files.get(name, f"standards/{name}.yaml")
        if not self._catalogue_index:
            self._index_catalogues()
        index = self._catalogue_index.get((name, item_id))
        return self._at(file, (name, index, "id") if index is not None else ())

    def _index_catalogues(self) -> None:
        for name in ("metrics", "citations"):
            doc = self.documents.get(self.corpus.files.get(name, ""))
            items = doc.data.get(name) if doc and isinstance(doc.data, dict) else None
            for i, item in enumerate(items if isinstance(items, list) else []):
                if isinstance(item, dict) and isinstance(item.get("id"), str):
                    self._catalogue_index.setdefault((name, item["id"]), i)
