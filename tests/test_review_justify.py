"""Reasons for loosening and breaking changes: trailer parsing, what a trailer covers, what blocks."""

from __future__ import annotations

import pytest

from servicekb.review.changes import Change
from servicekb.review.justify import Justification, apply_justifications, blocking, parse_justifications, unmatched

LOOSENED = Change(
    "standards",
    "alpha",
    "target-loosened",
    "alpha#2.a",
    "s",
    concern="loosened",
    subjects=("alpha", "alpha#2.a", "customer-satisfaction"),
)
BREAKING = Change(
    "schemas",
    "thing.schema.json",
    "schema-field-removed",
    "Thing.note",
    "s",
    concern="breaking",
    subjects=("thing.schema.json", "thing", "Thing", "Thing.note"),
)
PLAIN = Change("standards", "alpha", "target-tightened", "alpha#1.a", "s", subjects=("alpha", "alpha#1.a"))


@pytest.mark.parametrize(
    "message, expected",
    [
        # a subject, then the reason
        (
            "Lower it\n\nLoosened-because: customer-satisfaction: 客流不稳定",
            [Justification("loosened", "customer-satisfaction", "客流不稳定")],
        ),
        # a clause id as subject keeps its '#'
        ("x\n\nLoosened-because: alpha#2.a: 原文有误", [Justification("loosened", "alpha#2.a", "原文有误")]),
        # no subject: the reason covers every change of its kind (a full-width colon is part of the reason)
        ("x\n\nLoosened-because: 整体改版：见 PR 描述", [Justification("loosened", None, "整体改版：见 PR 描述")]),
        # key in any case, several trailers, both kinds
        (
            "x\n\nloosened-BECAUSE: *: 全部\nBreaking-because: thing.schema.json: 字段改名",
            [Justification("loosened", "*", "全部"), Justification("breaking", "thing.schema.json", "字段改名")],
        ),
        # a URL is not a subject
        (
            "x\n\nBreaking-because: https://example.com/adr/7",
            [Justification("breaking", None, "https://example.com/adr/7")],
        ),
        # a mention in the body that is not a trailer line
        ("We never write Loosened-because: inline", []),
    ],
)
def test_trailers_are_parsed(message, expected):
    assert parse_justifications([message]) == expected


@pytest.mark.parametrize(
    "trailer, covered",
    [
        (Justification("loosened", "customer-satisfaction", "r"), ["alpha#2.a"]),  # the metric
        (Justification("loosened", "alpha#2.a", "r"), ["alpha#2.a"]),  # the clause
        (Justification("loosened", "alpha", "r"), ["alpha#2.a"]),  # the standard
        (Justification("loosened", None, "r"), ["alpha#2.a"]),  # everything loosened, nothing breaking
        (Justification("breaking", "thing", "r"), ["Thing.note"]),  # a schema file without its suffix
        (Justification("breaking", "Thing.note", "r"), ["Thing.note"]),  # one schema path
        (Justification("loosened", "thing", "r"), []),  # the wrong concern covers nothing
        (Justification("loosened", "alpha#1.a", "r"), []),  # a clause that was not loosened
    ],
)
def test_what_a_trailer_covers(trailer, covered):
    changes = apply_justifications([LOOSENED, BREAKING, PLAIN], [trailer])
    assert [c.subject for c in changes if c.justification] == covered
    assert [c.subject for c in blocking(changes, {"loosened", "breaking"})] == [
        s for s in ("alpha#2.a", "Thing.note") if s not in covered
    ]


def test_a_trailer_naming_nothing_is_reported():
    trailers = [Justification("loosened", "customer-satisfactoin", "typo"), Justification("loosened", None, "blanket")]
    assert unmatched([LOOSENED], trailers) == [trailers[0]]


def test_a_profile_justification_is_kept():
    own = LOOSENED.justified("profile: 驻店主管值守")
    assert (
        apply_justifications([own], [Justification("loosened", None, "trailer")])[0].justification
        == "profile: 驻店主管值守"
    )
