"""Cross-file checks on a loaded corpus: ids, references, units, ranges, structure.

Each check yields located `Issue`s; `check_corpus` runs them all. Checks on
store profiles that need resolution (relaxations, lapsed overrides) live
with tailoring; here are the ones any file must pass to be loaded sensibly.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import PurePosixPath

from servicekb.binding import read_nature
from servicekb.corpus import Corpus, FileKey, iter_sections, qualified_number
from servicekb.issues import Issue, Level, format_path
from servicekb.models import Clause, Metric, Standard, StandardStatus, StoreProfile
from servicekb.models.standard import Section, SectionStatus, TargetFields
from servicekb.quotes import check_quote
from servicekb.types import Clock, Comparator, Dimension, Kind, TargetNature, Unit, unit_dimension
from servicekb.yamlpos import YamlDocument

__all__ = ["check_corpus", "check_target"]

Path_ = tuple[str | int, ...]


class _Reporter:
    """Builds issues located in one file."""

    def __init__(self, file: str, doc: YamlDocument | None):
        self.file, self.doc = file, doc

    def __call__(
        self,
        path: Path_,
        code: str,
        message: str,
        value: object = None,
        level: Level = Level.error,
        on_key: bool = False,
    ) -> Issue:
        line, col = self.doc.locate(path, on_key=on_key) if self.doc else (1, 1)
        return Issue(self.file, line, col, code, message, format_path(path), level, value)


def check_target(target: TargetFields, metrics: dict[str, Metric], path: Path_, report: _Reporter) -> Iterator[Issue]:
    """Metric exists, unit fits the metric, comparator has its bounds, values are in range (a clause's target or a
    store's override alike)."""
    metric = metrics.get(target.metric)
    if metric is None:
        yield report(
            (*path, "metric"),
            "dangling-reference",
            f"metric {target.metric!r} is not in the metric catalogue",
            target.metric,
        )
    elif unit_dimension(target.unit) is not unit_dimension(metric.unit):
        yield report(
            (*path, "unit"),
            "unit-mismatch",
            f"unit {target.unit.value!r} ({unit_dimension(target.unit).value}) does not fit metric {metric.id!r} "
            f"measured in {metric.unit.value!r} ({unit_dimension(metric.unit).value})",
            target.unit.value,
        )
    if target.comparator is Comparator.between and target.upper is None:
        yield report((*path, "comparator"), "bad-comparator", "`between` needs an `upper` bound", "between")
    elif target.comparator is not Comparator.between and target.upper is not None:
        yield report(
            (*path, "upper"),
            "bad-comparator",
            f"`upper` is only for `between`, not {target.comparator.value!r}",
            target.upper,
        )
    elif target.upper is not None and target.upper <= target.value:
        yield report(
            (*path, "upper"),
            "out-of-range",
            f"upper bound {target.upper:g} is not above the lower bound {target.value:g}",
            target.upper,
        )
    dim = unit_dimension(target.unit)
    for field in ("value", "upper"):
        v = getattr(target, field)
        if v is None:
            continue
        if dim is Dimension.percent and not 0 <= v <= 100:
            yield report((*path, field), "out-of-range", f"a percentage must lie between 0 and 100, got {v:g}", v)
        elif v < 0:
            yield report((*path, field), "out-of-range", f"a {dim.value} cannot be negative, got {v:g}", v)
    if target.clock is not None and dim is not Dimension.duration:
        yield report(
            (*path, "clock"),
            "clock-mismatch",
            f"a clock only applies to durations, not to {target.unit.value!r}",
            target.clock.value,
        )
    if target.unit is Unit.working_day and target.clock is Clock.calendar:
        yield report(
            (*path, "clock"), "clock-mismatch", "working days are counted on the `working_days` clock", "calendar"
        )


def _check_clause(
    clause: Clause,
    owner: str,
    corpus: Corpus,
    path: Path_,
    report: _Reporter,
    seed: str | None,
    chain: tuple[Section, ...] = (),
) -> Iterator[Issue]:
    if not clause.id.startswith(owner + "#"):
        yield report((*path, "id"), "bad-clause-id", f"clause id must start with {owner + '#'!r}", clause.id)
    elif chain and not _fits_section(clause.id.split("#", 1)[1], qualified_number(chain)):
        number = qualified_number(chain)
        yield report(
            (*path, "id"),
            "clause-section-mismatch",
            f"a clause of section {number!r} has an id `{owner}#{number}.<letter or item number>`",
            clause.id,
        )
    if seed is not None:
        if clause.provenance is None:
            yield report(
                path,
                "missing-provenance",
                "a clause of a standard needs provenance (seed and verbatim quote)",
                clause.id,
            )
        elif clause.provenance.seed != seed:
            yield report(
                (*path, "provenance", "seed"),
                "provenance-mismatch",
                f"the standard's source is {seed!r}",
                clause.provenance.seed,
            )
    for k, gap in enumerate(clause.gaps):
        if gap.after not in clause.text:
            yield report(
                (*path, "gaps", k, "after"),
                "gap-not-in-text",
                "a gap is flagged after words of the clause text; these words do not occur in it",
                gap.after,
            )
    for k, ref in enumerate(clause.references):
        if ref not in corpus.clauses and not _is_local(ref, corpus):
            yield report((*path, "references", k), "dangling-reference", f"clause {ref!r} does not exist", ref)
        elif ref == clause.id:
            yield report((*path, "references", k), "self-reference", "a clause cannot refer to itself", ref)
    for k, cit in enumerate(clause.citations):
        if cit.citation not in corpus.citations:
            yield report(
                (*path, "citations", k, "citation"),
                "dangling-reference",
                f"citation {cit.citation!r} is not in the citation catalogue",
                cit.citation,
            )
    for k, target in enumerate(clause.targets):
        tpath = (*path, "targets", k)
        shape = list(check_target(target, corpus.metrics, tpath, report))
        yield from shape
        if target.nature is TargetNature.firm and clause.kind in (Kind.informative, Kind.definition):
            yield report(
                (*tpath, "nature"),
                "target-on-informative",
                f"a clause of kind {clause.kind.value!r} cannot carry a firm target: "
                "statistics and claims are never targets",
                clause.kind.value,
            )
        if target.nature is TargetNature.classification and not target.flag:
            yield report(
                (*tpath, "nature"),
                "classification-without-flag",
                "a classification threshold names the class it sorts stores into (`flag`, e.g. 高风险区域)",
                target.nature.value,
            )
        elif target.flag and target.nature is not TargetNature.classification:
            yield report(
                (*tpath, "flag"),
                "flag-without-classification",
                f"only a `classification` threshold raises a flag; this target is {target.nature.value!r}",
                target.flag,
            )
        elif target.flag and target.flag not in clause.text:
            yield report(
                (*tpath, "flag"),
                "flag-not-in-text",
                "the flag is the clause's own words for the class; it does not occur in the clause text",
                target.flag,
            )
        ruled = read_nature(clause.text, target.quote, target.value)
        if ruled is not None and ruled is not target.nature:
            yield report(
                (*tpath, "nature"),
                "nature-disagrees-with-wording",
                f"the wording around {target.quote!r} makes this number {ruled.value!r} "
                f"by the rule for what binds (servicekb.binding), not {target.nature.value!r}",
                target.nature.value,
                Level.warning,
            )
        # A target already wrong in itself (bad bounds, wrong unit for its metric) gets that one error, not a second.
        mismatch = None if shape else check_quote(target, corpus.metrics.get(target.metric))
        if mismatch is not None:
            yield report((*tpath, mismatch.field), mismatch.code, mismatch.message, getattr(target, mismatch.field))


def _fits_section(local: str, number: str) -> bool:
    """`1.1.a` fits section 1.1; `一.(二).1` fits 一.(二): the section's number, a dot, one more segment (a letter or
    item number).
    """
    rest = local.removeprefix(number + ".")
    return rest != local and rest != "" and "." not in rest


def _is_local(ref: str, corpus: Corpus) -> bool:
    owner = ref.split("#", 1)[0]
    store = corpus.stores.get(owner)
    return store is not None and any(c.id == ref for c in store.local_clauses)


def _check_standard(std: Standard, corpus: Corpus, report: _Reporter) -> Iterator[Issue]:
    if PurePosixPath(report.file).stem != std.id:
        yield report(
            ("id",), "id-mismatch", f"standard id must equal the file name {PurePosixPath(report.file).stem!r}", std.id
        )
    if std.status is StandardStatus.draft:
        yield report(
            ("status",),
            "draft-standard",
            "this standard is a draft: curate it and set `status: curated`",
            "draft",
            Level.warning,
        )
    siblings: dict[tuple, set[str]] = {}
    for sec, chain, path in iter_sections(std.sections):
        numbers = siblings.setdefault(path[:-2], set())
        if sec.number in numbers:
            yield report(
                (*path, "number"),
                "duplicate-section",
                f"section {sec.number!r} appears twice at this level",
                sec.number,
            )
        numbers.add(sec.number)
        if sec.status is SectionStatus.body and not sec.clauses and not sec.sections:
            yield report(
                path,
                "empty-section",
                f"section {sec.number!r} is marked as having body text but holds no clause",
                sec.number,
            )
        if sec.status is SectionStatus.toc_only and sec.clauses:
            yield report(
                (*path, "clauses"),
                "toc-only-with-clauses",
                f"section {sec.number!r} is only in the table of contents; it cannot hold clauses",
                sec.number,
            )
        if sec.title.en is None and std.status is StandardStatus.curated:
            yield report(
                (*path, "title"),
                "missing-english-title",
                "a curated section needs a short English title",
                sec.title.zh,
                Level.warning,
            )
        for j, clause in enumerate(sec.clauses):
            yield from _check_clause(clause, std.id, corpus, (*path, "clauses", j), report, std.source.seed, chain)


def _check_store(store: StoreProfile, corpus: Corpus, report: _Reporter) -> Iterator[Issue]:
    if PurePosixPath(report.file).stem != store.id:
        yield report(
            ("id",), "id-mismatch", f"store id must equal the file name {PurePosixPath(report.file).stem!r}", store.id
        )
    if store.extends is not None and store.extends not in corpus.stores:
        yield report(("extends",), "dangling-reference", f"profile {store.extends!r} does not exist", store.extends)
    for k, sid in enumerate(store.adopts):
        if sid not in corpus.standards:
            yield report(("adopts", k), "dangling-reference", f"standard {sid!r} does not exist", sid)
    for metric, sid in store.prefer.items():
        if metric not in corpus.metrics:
            yield report(
                ("prefer", metric),
                "dangling-reference",
                f"metric {metric!r} is not in the metric catalogue",
                metric,
                on_key=True,
            )
        if sid not in corpus.standards:
            yield report(("prefer", metric), "dangling-reference", f"standard {sid!r} does not exist", sid)
    for k, override in enumerate(store.overrides):
        yield from check_target(
            override,
            corpus.metrics,
            ("overrides", k),
            report,
        )
    for j, clause in enumerate(store.local_clauses):
        yield from _check_clause(clause, store.id, corpus, ("local_clauses", j), report, None)


def _check_duplicate_clauses(corpus: Corpus, documents: dict[str, YamlDocument]) -> Iterator[Issue]:
    first: dict[str, str] = {}
    for entry in corpus.iter_clauses():
        cid = entry.clause.id
        file = corpus.files[FileKey.standard(entry.standard_id)]
        if cid in first:
            yield _Reporter(file, documents.get(file))(
                (*entry.path, "id"), "duplicate-id", f"clause id {cid!r} is already used in {first[cid]}", cid
            )
        else:
            first[cid] = file


def _check_data_store_ids(corpus: Corpus, documents: dict[str, YamlDocument]) -> Iterator[Issue]:
    """A data store id belongs to one store profile; a baseline is never scored, so it names none."""
    first: dict[str, str] = {}
    for sid in sorted(corpus.stores):
        store = corpus.stores[sid]
        file = corpus.files[FileKey.store(sid)]
        report = _Reporter(file, documents.get(file))
        if store.abstract and store.data_store_ids:
            yield report(
                ("data_store_ids",),
                "data-ids-on-baseline",
                "an abstract profile (a baseline) is never scored: "
                "name the data store ids in the store profiles that extend it",
                store.data_store_ids[0],
            )
            continue
        for k, data_id in enumerate(store.data_store_ids):
            if data_id in first:
                owner = first[data_id]
                where = "earlier in this list" if owner == sid else f"by {corpus.files[FileKey.store(owner)]}"
                yield report(
                    ("data_store_ids", k),
                    "data-id-claimed-twice",
                    f"data store id {data_id!r} is already claimed {where}: "
                    "one data store is scored against one profile",
                    data_id,
                )
            else:
                first[data_id] = sid


def check_corpus(
    corpus: Corpus, documents: dict[str, YamlDocument], sources: frozenset[str] | None = None
) -> list[Issue]:
    """Run every cross-file check; return the issues (unsorted).

    `sources` are the file names in the repository's `sources/` (None when it
    has no such folder): a standard must name one of them as its source.
    """
    issues = list(_check_duplicate_clauses(corpus, documents))
    issues.extend(_check_data_store_ids(corpus, documents))
    for sid, std in corpus.standards.items():
        file = corpus.files[FileKey.standard(sid)]
        report = _Reporter(file, documents.get(file))
        issues.extend(_check_standard(std, corpus, report))
        if sources is not None and std.source.seed not in sources:
            level = Level.error if std.status is StandardStatus.curated else Level.warning
            message = (
                "the source document is not in sources/: copy the raw file there "
                "byte for byte and list it in sources/manifest.yaml"
            )
            issues.append(report(("source", "seed"), "source-not-found", message, std.source.seed, level))
    for sid, store in corpus.stores.items():
        file = corpus.files[FileKey.store(sid)]
        issues.extend(_check_store(store, corpus, _Reporter(file, documents.get(file))))
    return issues
