"""`servicekb ingest --check FILE`: the ingest report's checks, re-run on a draft or curated standard.

Each finding is an `Issue` located at its field (file:line:col, field path,
stable code):

- `unmapped-metric` (error): a target still has `metric: unmapped` or a
  metric the catalogue lacks.
- `quote-not-in-clause` (error): a target's quote is not words of its clause.
- `quote-not-in-source` (error): a quote (target or provenance) is not in the
  cleaned source document in `sources/` (checked when the source is there).
- `quote-mismatch` (error): the quote does not state the target's value and
  unit (read by `servicekb.quantities`), or states another comparator.
- `statistic-as-target` (warning): the quote reports a statistic or claim.
- `nature-differs` (note): the written rule gives another nature.
- `number-without-target` (note): the clause states a commitment no target
  records (the curator may have decided so; shown, never an error).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from pydantic import ValidationError

from servicekb.binding import is_statistic, nature_in
from servicekb.ingest.clean import clean_text
from servicekb.ingest.draft import UNMAPPED
from servicekb.ingest.targets import MetricInfo, propose_targets
from servicekb.issues import Issue, Level, format_path
from servicekb.loader import pydantic_issues
from servicekb.models import Clause, MetricCatalogue, Section, Standard, Target
from servicekb.quantities import find_quantities
from servicekb.yamlpos import YamlDocument, read_yaml

__all__ = ["check_standard", "check_standard_file"]


def check_standard_file(path: Path, shown: str, root: Path, metrics: MetricCatalogue | None) -> list[Issue]:
    """Read a standard YAML file and check it; reading and model errors are issues too."""
    doc, problems = read_yaml(path, shown)
    if doc is None or problems:
        return problems
    try:
        standard = Standard.model_validate(doc.data)
    except ValidationError as exc:
        return pydantic_issues(exc, doc)
    source = root / "sources" / standard.source.seed
    cleaned = _cleaned(source) if source.is_file() else None
    return check_standard(standard, doc, metrics, cleaned)


@cache
def _cleaned(path: Path) -> str | None:
    try:
        return clean_text(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        return None


def _walk(sections: list[Section], path: tuple):
    for i, section in enumerate(sections):
        here = (*path, "sections", i)
        for j, clause in enumerate(section.clauses):
            yield (*here, "clauses", j), clause
        yield from _walk(section.sections, here)


def check_standard(
    standard: Standard, doc: YamlDocument, metrics: MetricCatalogue | None, source: str | None
) -> list[Issue]:
    """Every finding of the ingest checks on one standard."""
    known = {m.id: MetricInfo(m.unit, m.direction) for m in metrics.metrics} if metrics else {}
    issues: list[Issue] = []

    def issue(path: tuple, code: str, message: str, level: Level = Level.error, value=None) -> None:
        line, col = doc.locate(path)
        issues.append(Issue(doc.file, line, col, code, message, format_path(path), level, value))

    for path, clause in _walk(standard.sections, ()):
        if source is not None and clause.provenance and clause.provenance.quote not in source:
            issue(
                (*path, "provenance", "quote"),
                "quote-not-in-source",
                f"not in the cleaned source {standard.source.seed}",
                value=clause.provenance.quote,
            )
        for k, target in enumerate(clause.targets):
            _check_target(clause, target, (*path, "targets", k), known, source, standard.source.seed, issue)
        _uncovered(clause, path, known, issue)
    return issues


def _check_target(
    clause: Clause, t: Target, path: tuple, known: dict[str, MetricInfo], source: str | None, seed: str, issue
) -> None:
    if t.metric == UNMAPPED or (known and t.metric not in known):
        issue(
            (*path, "metric"),
            "unmapped-metric",
            f"metric {t.metric!r} is not in standards/metrics.yaml: map it or add the metric",
            value=t.metric,
        )
    if source is not None and t.quote not in source:
        issue((*path, "quote"), "quote-not-in-source", f"not in the cleaned source {seed}", value=t.quote)
    where = clause.text.find(t.quote)
    if where < 0:
        issue((*path, "quote"), "quote-not-in-clause", "the quote is not words of its clause", value=t.quote)
    found = [q for q in find_quantities(t.quote) if q.value == t.value and q.upper == t.upper and q.unit is t.unit]
    if not found:
        issue((*path, "quote"), "quote-mismatch", f"the quote does not state {t.value:g} {t.unit.value}", value=t.quote)
    elif all(q.stated and q.comparator is not t.comparator for q in found):
        issue(
            (*path, "comparator"),
            "quote-mismatch",
            f"the quote states {found[0].comparator.value}, the target {t.comparator.value}",
            value=t.quote,
        )
    if where >= 0 and found:
        q = found[0]
        start, end = where + q.start, where + q.end
        if is_statistic(clause.text, start, end):
            issue(
                (*path, "quote"),
                "statistic-as-target",
                "the sentence reports a statistic or a claim, not a requirement",
                Level.warning,
                t.quote,
            )
        rule = nature_in(clause.text, start, end)
        if rule is not t.nature:
            issue(
                (*path, "nature"),
                "nature-differs",
                f"the written rule reads {rule.value}, the target says {t.nature.value}",
                Level.note,
                t.quote,
            )


def _uncovered(clause: Clause, path: tuple, known: dict[str, MetricInfo], issue) -> None:
    proposals, _ = propose_targets(clause.text, known)
    for p in proposals:
        if not any(t.value == p.value and t.unit is p.unit for t in clause.targets):
            issue(
                (*path, "text"),
                "number-without-target",
                f"states {p.comparator.value} {p.value:g} {p.unit.value} («{p.quote}») with no target",
                Level.note,
                p.quote,
            )
