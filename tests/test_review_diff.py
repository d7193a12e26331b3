"""The semantic diff on a git history: one commit per kind of change, each diffed against its parent.

The history (built once per module from `tests/fixtures/review/repo`) walks
through every change the review workflow must name: reworded, moved,
renumbered, weakened, added and removed clauses; targets tightened,
loosened, restated in another unit, undecidable, rescoped, added and
dropped; metric definitions and directions; citation status; store
overrides added, loosened, removed and expired; and schema changes, both
compatible and breaking.
"""

from __future__ import annotations

import datetime as dt
from functools import cache

import pytest
from test_review_git import GitRepo

from servicekb.review import diff_revisions, open_revision, parse_justifications
from servicekb.review.revisions import commit_messages

BEFORE_EXPIRY = dt.date(2026, 1, 20)
AFTER_EXPIRY = dt.date(2100, 1, 1)

CLAUSE_1C = """\
  - id: alpha#1.c
    text: 投诉记录应完整保存。
    kind: requirement
    modality: shall
    stage: complaint
    provenance: {seed: alpha.txt, quote: 投诉记录应完整保存}
"""
CLAUSE_2D = """\
  - id: alpha#2.d
    text: 重大投诉应在24小时内解决。
    kind: requirement
    modality: shall
    stage: complaint
    targets:
    - {metric: complaint-resolution-time, comparator: "<=", value: 24, unit: hour, clock: calendar, \
population: {ticket_kind: complaint, severity: major}, quote: 24小时内解决}
    provenance: {seed: alpha.txt, quote: 重大投诉应在24小时内解决}
"""
OVERRIDE_24H = """\
- metric: complaint-resolution-time
  population: {ticket_kind: complaint}
  comparator: "<="
  value: 24
  unit: hour
  clock: calendar
"""
A, S, M, C, P, X = (
    "standards/alpha.yaml",
    "standards/alpha.yaml",
    "standards/metrics.yaml",
    "standards/citations.yaml",
    "stores/shop.yaml",
    "schemas/thing.schema.json",
)

# (step, commit message, edits as (file, old, new); old None appends new to the file)
STEPS = [
    (
        "tighten",
        "Complaints resolved in 48 h",
        [
            (A, "    text: 投诉应在72小时内解决。\n", "    text: 投诉应在48小时内解决。\n"),
            (A, "      value: 72\n", "      value: 48\n"),
        ],
    ),
    ("loosen", "Satisfaction 85 %", [(S, "value: 90, unit: percent", "value: 85, unit: percent")]),
    (
        "loosen-justified",
        "Satisfaction 80 %\n\nLoosened-because: customer-satisfaction: 新门店客流不稳定，试行一年",
        [(S, "value: 85, unit: percent", "value: 80, unit: percent")],
    ),
    ("unit", "48 hours are 2 days", [(A, "      value: 48\n      unit: hour\n", "      value: 2\n      unit: day\n")]),
    (
        "working-days",
        "Count working days",
        [(A, "      unit: day\n      clock: calendar\n", "      unit: working_day\n      clock: working_days\n")],
    ),
    (
        "undecidable",
        "Back to calendar hours",
        [
            (
                A,
                "      value: 2\n      unit: working_day\n      clock: working_days\n",
                "      value: 72\n      unit: hour\n      clock: calendar\n",
            )
        ],
    ),
    ("move", "Records belong to section 2", [(A, CLAUSE_1C, ""), (A, None, CLAUSE_1C)]),
    ("renumber", "Renumber 2.b", [(A, "  - id: alpha#2.b\n", "  - id: alpha#2.c\n")]),
    ("weaken", "Follow-up is optional", [(A, "    modality: should\n", "    modality: may\n")]),
    ("add", "Major complaints in 24 h", [(A, None, CLAUSE_2D)]),
    ("remove", "Drop 2.d again", [(A, CLAUSE_2D, "")]),
    (
        "rescope",
        "Satisfaction is the overall survey",
        [
            (
                S,
                "{metric: customer-satisfaction, comparator",
                "{metric: customer-satisfaction, population: {topic: overall}, comparator",
            )
        ],
    ),
    ("definition", "Resolution ends when closed", [(M, "end: resolved_at", "end: closed_at")]),
    ("direction", "Flip satisfaction", [(M, "direction: higher_is_better", "direction: lower_is_better")]),
    ("citation", "GB/T 17242 title looks wrong", [(C, None, "  status: suspect\n  note: 标准号与标题不符\n")]),
    ("override-add", "Shop resolves in 24 h", [(P, "overrides:\n", "overrides:\n" + OVERRIDE_24H)]),
    ("override-loosen", "Shop first response 20 h", [(P, "  value: 12\n", "  value: 20\n")]),
    ("override-remove", "Shop drops its 24 h", [(P, OVERRIDE_24H, "")]),
    (
        "schema-compatible",
        "Parts get a colour",
        [(X, '"kind": {"enum": ["a", "b"]', '"color": {"type": "string"},\n        "kind": {"enum": ["a", "b", "c"]')],
    ),
    (
        "schema-breaking",
        "Owner required, note gone, sizes always given",
        [
            (
                X,
                '"note": {"anyOf": [{"type": "string"}, {"type": "null"}], "default": null},',
                '"owner": {"type": "string"},',
            ),
            (X, '"required": ["id"]', '"required": ["id", "owner"]'),
            (
                X,
                '"size": {"anyOf": [{"type": "integer"}, {"type": "null"}], "default": null}',
                '"size": {"type": "integer"}',
            ),
        ],
    ),
    (
        "schema-justified",
        "Shorter ids\n\nBreaking-because: thing.schema.json: 编号统一为60字符以内",
        [(X, '"maxLength": 80', '"maxLength": 60')],
    ),
]


@pytest.fixture(scope="module")
def history(tmp_path_factory) -> tuple[GitRepo, dict[str, tuple[str, str]]]:
    """The repository and, per step, (parent commit, commit)."""
    repo = GitRepo(tmp_path_factory.mktemp("history") / "repo")
    parent, commits = repo.git("rev-parse", "HEAD"), {}
    for name, message, edits in STEPS:
        for file, old, new in edits:
            if old is None:
                with (repo.path / file).open("a", encoding="utf-8") as fh:
                    fh.write(new)
            else:
                repo.edit(file, old, new)
        sha = repo.commit(message)
        commits[name], parent = (parent, sha), sha
    return repo, commits


@cache
def _revision(path: str, sha: str):
    from pathlib import Path

    return open_revision(Path(path), sha)


def run_diff(history, step: str, as_of: dt.date = BEFORE_EXPIRY):
    repo, commits = history
    a, b = commits[step]
    messages = commit_messages(repo.path, a, b)
    return diff_revisions(
        _revision(str(repo.path), a), _revision(str(repo.path), b), as_of, parse_justifications(messages)
    )


def _find(result, kind: str, subject: str):
    found = [c for c in result.changes if c.kind == kind and c.subject == subject]
    assert found, f"no {kind} {subject}; got {[(c.kind, c.subject, c.summary) for c in result.changes]}"
    return found[0]


@pytest.mark.parametrize(
    "step, kind, subject, words, concern",
    [
        # the text's character diff: only the number changed
        ("tighten", "clause-reworded", "alpha#1.a", "投诉应在[-72-]{+48+}小时内解决。", None),
        # an at-most deadline made shorter is tightened
        (
            "tighten",
            "target-tightened",
            "alpha#1.a",
            "complaint-resolution-time [ticket_kind=complaint]: <= 72 hour -> <= 48 hour: tightened",
            None,
        ),
        # the store adopting alpha sees it in its effective standard
        (
            "tighten",
            "store-target-tightened",
            "shop",
            "complaint-resolution-time [ticket_kind=complaint]: <= 72 hour -> <= 48 hour (from alpha#1.a): tightened",
            None,
        ),
        # alpha#1.b references alpha#1.a, which changed: suspect
        ("tighten", "link-suspect", "alpha#1.b", "alpha#1.a changed", None),
        # an at-least share made lower is loosened
        (
            "loosen",
            "target-loosened",
            "alpha#2.a",
            "customer-satisfaction [all]: >= 90 percent -> >= 85 percent: loosened",
            "loosened",
        ),
        # the same number in another unit is restated, and the unit change is named
        ("unit", "target-unit-changed", "alpha#1.a", "<= 48 hour -> <= 2 day: restated (unit hour -> day)", None),
        # 2 working days last at least 2 calendar days: loosened
        (
            "working-days",
            "target-loosened",
            "alpha#1.a",
            "<= 2 day -> <= 2 working_day: loosened (unit day -> working_day; clock calendar -> working_days)",
            "loosened",
        ),
        # 72 calendar hours against 2 working days (48 h or more): cannot tell, counted as a possible loosening
        ("undecidable", "target-undecidable", "alpha#1.a", "<= 2 working_day -> <= 72 hour: undecidable", "loosened"),
        # same id, other section
        ("move", "clause-moved", "alpha#1.c", "section 1 -> 2", None),
        # same text, other id
        ("renumber", "clause-renumbered", "alpha#2.c", "alpha#2.b -> alpha#2.c (same text)", None),
        # 宜 -> 可 on a recommendation is a weakening
        ("weaken", "clause-modality-changed", "alpha#2.c", "modality should -> may: weakened", "loosened"),
        ("add", "clause-added", "alpha#2.d", "requirement, shall, section 2: 重大投诉应在24小时内解决。", None),
        (
            "add",
            "target-added",
            "alpha#2.d",
            "complaint-resolution-time [ticket_kind=complaint, severity=major]: <= 24 hour new",
            None,
        ),
        ("add", "store-target-added", "shop", "none -> <= 24 hour (from alpha#2.d): added", None),
        # a requirement removed, and its firm target with it
        ("remove", "clause-removed", "alpha#2.d", "requirement, shall: 重大投诉应在24小时内解决。", "loosened"),
        ("remove", "target-dropped", "alpha#2.d", "<= 24 hour dropped", "loosened"),
        # the population changed: cannot tell whether that loosens
        ("rescope", "target-rescoped", "alpha#2.a", "population [all] -> [topic=overall]", "loosened"),
        # the metric feeds the shop's scorecard and one alpha target
        (
            "definition",
            "metric-definition-changed",
            "complaint-resolution-time",
            "definition changed; affects scorecards of shop; firm targets in alpha (1)",
            None,
        ),
        (
            "direction",
            "metric-direction-changed",
            "customer-satisfaction",
            "direction higher_is_better -> lower_is_better: every target on it changes meaning",
            "loosened",
        ),
        (
            "citation",
            "citation-status-changed",
            "gb-t-17242",
            "GB/T 17242-1998 《投诉处理指南》: unverified -> suspect (标准号与标题不符); cited by alpha#1.a",
            None,
        ),
        # judged against the target in force before it, as resolution does
        (
            "override-add",
            "override-added",
            "complaint-resolution-time [ticket_kind=complaint]",
            "<= 24 hour (tightened against <= 72 hour, applied)",
            None,
        ),
        (
            "override-add",
            "store-target-tightened",
            "shop",
            "<= 72 hour -> <= 24 hour (override in shop): tightened",
            None,
        ),
        (
            "override-loosen",
            "override-loosened",
            "complaint-first-response-time [ticket_kind=complaint, severity=major]",
            "<= 12 hour -> <= 20 hour: loosened",
            "loosened",
        ),
        (
            "override-remove",
            "override-removed",
            "complaint-resolution-time [ticket_kind=complaint]",
            "<= 24 hour removed",
            None,
        ),
        (
            "override-remove",
            "store-target-loosened",
            "shop",
            "<= 24 hour -> <= 72 hour (from alpha#1.a): loosened",
            None,
        ),
        ("schema-compatible", "schema-field-added", "Part.color", "optional field added: compatible", None),
        ("schema-compatible", "schema-enum-added", "Part.kind", "values added: c: compatible", None),
        ("schema-breaking", "schema-field-added", "Thing.owner", "new required field: breaking", "breaking"),
        (
            "schema-breaking",
            "schema-field-removed",
            "Thing.note",
            "field removed (unknown fields are refused): breaking",
            "breaking",
        ),
        ("schema-breaking", "schema-type-narrowed", "Part.size", "type integer|null -> integer: breaking", "breaking"),
        ("schema-justified", "schema-bound-tightened", "Thing.id", "maxLength 80 -> 60: breaking", "breaking"),
    ],
)
def test_each_kind_of_change_is_named(history, step, kind, subject, words, concern):
    change = _find(run_diff(history, step), kind, subject)
    assert words in change.summary + " " + (change.detail or "")
    assert change.concern == concern


@pytest.mark.parametrize(
    "step, kinds",
    [
        ("tighten", {"clause-reworded", "target-tightened"}),  # the quote still says 72: not a change of meaning
        ("move", {"clause-moved"}),  # nothing else about the clause changed
        ("renumber", {"clause-renumbered"}),  # not removed and added
        ("rescope", {"target-rescoped"}),  # not dropped and added
    ],
)
def test_a_change_is_named_once_and_nothing_else(history, step, kinds):
    assert {c.kind for c in run_diff(history, step).changes if c.area == "standards"} == kinds


@pytest.mark.parametrize(
    "step, justification",
    [
        # a trailer in the commit message naming the metric
        ("loosen-justified", "Loosened-because: 新门店客流不稳定，试行一年"),
        # the override's own justification, approver and expiry
        ("override-loosen", "profile: 驻店主管值守。 (approved by 区域经理, until 2099-12-31)"),
        # a trailer naming the schema file
        ("schema-justified", "Breaking-because: 编号统一为60字符以内"),
    ],
)
def test_a_stated_reason_justifies(history, step, justification):
    result = run_diff(history, step)
    concerned = [c for c in result.changes if c.concern]
    assert concerned and all(c.justification == justification for c in concerned)
    assert result.blocking == []


def test_an_unjustified_loosening_blocks_only_when_asked(history):
    result = run_diff(history, "loosen")
    assert result.blocking == []  # no --fail-on
    result.fail_on = frozenset({"breaking"})
    assert result.blocking == []
    result.fail_on = frozenset({"loosened"})
    assert [(c.kind, c.subject) for c in result.blocking] == [("target-loosened", "alpha#2.a")]


@pytest.mark.parametrize(
    "as_of, expired",
    [
        (BEFORE_EXPIRY, []),  # still in force
        (
            AFTER_EXPIRY,
            ["complaint-first-response-time [ticket_kind=complaint, severity=major]"],
        ),  # lapsed between A's commit and as-of
    ],
)
def test_an_override_that_lapsed_since_a_is_reported(history, as_of, expired):
    result = run_diff(history, "tighten", as_of)
    assert [c.subject for c in result.changes if c.kind == "override-expired"] == expired


def test_locations_point_at_the_changed_lines(history):
    repo, commits = history
    change = _find(run_diff(history, "loosen"), "target-loosened", "alpha#2.a")
    file, line = change.location.rsplit(":", 1)
    committed = repo.git("show", f"{commits['loosen'][1]}:{file}").splitlines()
    assert file == "standards/alpha.yaml" and "value: 85" in committed[int(line) - 1]
