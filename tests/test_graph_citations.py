"""Citation integrity on the fixture corpus: title conflicts, shaky citations, repealed laws."""

from __future__ import annotations

from pathlib import Path

import pytest

from servicekb.graph import build_graph, check_graph
from servicekb.loader import load_corpus
from servicekb.models.catalogue import identifier_family

FIXTURE = Path(__file__).parent / "fixtures" / "graph" / "basic"


@pytest.fixture(scope="module")
def findings():
    loaded = load_corpus(FIXTURE, check=False)
    return check_graph(build_graph(loaded.corpus, related=False), loaded.corpus, loaded.documents)


def _line(file: str, needle: str) -> int:
    lines = (FIXTURE / file).read_text(encoding="utf-8").splitlines()
    return next(i for i, text in enumerate(lines, 1) if needle in text)


@pytest.mark.parametrize(
    ("code", "level", "file", "needle", "path", "words"),
    [
        # ISO 9001 and ISO 9001:2015 are one document with two titles
        (
            "citation-title-conflict",
            "warning",
            "standards/citations.yaml",
            "id: iso-9001",
            "citations[2].id",
            ["质量管理体系", "服务质量管理", "ISO 9001"],
        ),
        # a suspect citation, with the clauses leaning on it
        (
            "suspect-citation",
            "warning",
            "standards/citations.yaml",
            "id: iso-9001-2015",
            "citations[3].id",
            ["cited by 1 clause", "beta#6.2.b"],
        ),
        # an unverified one is only a note
        (
            "unverified-citation",
            "note",
            "standards/citations.yaml",
            "id: consumer-rights-protection-law",
            "citations[0].id",
            ["gamma#2.a"],
        ),
        # one title for two identifiers
        (
            "citation-shared-title",
            "note",
            "standards/citations.yaml",
            "id: iso-9001-2015",
            "citations[3].id",
            ["SQM", "ISO 9001:2015"],
        ),
        # a repealed law is reported where the clause cites it
        (
            "repealed-citation",
            "warning",
            "standards/beta.yaml",
            "citation: contract-law",
            "sections[5].clauses[0].citations[0]",
            ["beta#8.a", "repealed"],
        ),
    ],
)
def test_citation_findings(findings, code, level, file, needle, path, words):
    matches = [f for f in findings if f.code == code and f.path == path]
    assert len(matches) == 1, matches
    (f,) = matches
    assert (f.level.value, f.file, f.line) == (level, file, _line(file, needle))
    assert all(w in f.message for w in words)


def test_uncited_unverified_citations_and_verified_ones_are_quiet(findings):
    # sqm-service-quality-management is unverified but no clause cites it
    assert not [
        f for f in findings if f.code == "unverified-citation" and "sqm-service-quality-management" in f.message
    ]


@pytest.mark.parametrize(
    ("identifier", "family"),
    [
        ("ISO 9001", "ISO9001"),
        ("ISO 9001:2015", "ISO9001"),  # the edition is dropped
        ("GB/T 19011-2016", "GB/T19011"),
        ("ISO 20000-1:2018", "ISO20000-1"),  # a part number is kept
        ("GB 4706.1-2017", "GB4706.1"),
    ],
)
def test_identifier_family(identifier, family):
    assert identifier_family(identifier) == family
