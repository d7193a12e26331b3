"""Citations as the sources give them: 《titles》, standard identifiers with years, law articles."""

from __future__ import annotations

import pytest

from servicekb.ingest import ingest_text
from servicekb.ingest.citations import Cited, find_abbreviations, find_citations, resolve_citation
from servicekb.models import Citation, CitationCatalogue, CitationType


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A title with its identifier in parentheses is one citation; spacing normalised.
        ("符合《售后服务管理规范》(GB/T33000-2016)中的标准流程", [("GB/T 33000-2016", "售后服务管理规范", None)]),
        # A national standard without /T.
        ("依据《纺织品安全技术规范》(GB18401-2010)", [("GB 18401-2010", "纺织品安全技术规范", None)]),
        # A dotted standard number.
        ("参照GB4706.1-2017的要求", [("GB 4706.1-2017", None, None)]),
        # Industry standards.
        ("按JGJ59-2011执行,并参考SB/T10401-2006", [("JGJ 59-2011", None, None), ("SB/T 10401-2006", None, None)]),
        # ISO with a part and a year after a colon; ISO without year.
        ("符合ISO20000-1:2018与ISO9001的要求", [("ISO 20000-1:2018", None, None), ("ISO 9001", None, None)]),
        # A law with its article.
        ("根据《消费者权益保护法》第24条,消费者有权退货", [(None, "消费者权益保护法", "第24条")]),
        # An article in Chinese numerals.
        ("依照《产品质量法》第二十六条", [(None, "产品质量法", "第二十六条")]),
        # A plain title.
        ("参考《服务营销理论》", [(None, "服务营销理论", None)]),
    ],
)
def test_find_citations(text: str, expected: list[tuple[str | None, str | None, str | None]]) -> None:
    assert [(c.identifier, c.title, c.article) for c in find_citations(text)] == expected


def test_a_wrong_looking_title_is_kept_as_cited() -> None:
    # GB/T 19011 is an audit guideline, not this title: recorded as cited, never corrected.
    (cited,) = find_citations("依据《服务质量管理体系》(GB/T19011-2016)")
    assert (cited.identifier, cited.title) == ("GB/T 19011-2016", "服务质量管理体系")


def test_title_qualifier_is_kept_for_resolution() -> None:
    (cited,) = find_citations("根据《服务质量监督规范》(2023年修订版),应定期检查")
    assert cited.qualifier == "2023年修订版"


def test_abbreviations() -> None:
    text = "依据《2025年服装零售行业服务标准》(以下简称《服务标准》),产品陈列应规范。根据《服务标准》,应定期盘点。"
    assert find_abbreviations(text) == {"服务标准": "2025年服装零售行业服务标准"}


@pytest.mark.parametrize(
    ("cited", "expected"),
    [
        (Cited("GB/T 33000-2016", "别的标题", None, 0), "gb-t-33000-2016"),  # identifier wins over title
        (Cited(None, "服务质量监督规范", None, 0, "2023年修订版"), "supervision-2023"),  # title with its parenthesis
        (Cited(None, "消费者权益保护法", "第24条", 0), "consumer-law"),  # exact title
        (Cited(None, "不在目录里", None, 0), None),  # unknown: not invented
    ],
)
def test_resolve_citation(cited: Cited, expected: str | None) -> None:
    by_identifier = {"GB/T 33000-2016": "gb-t-33000-2016"}
    by_title = {"服务质量监督规范(2023年修订版)": "supervision-2023", "消费者权益保护法": "consumer-law"}
    assert resolve_citation(cited, by_identifier, by_title) == expected


def _catalogue() -> CitationCatalogue:
    return CitationCatalogue(
        citations=[
            Citation(id="consumer-law", title="消费者权益保护法", type=CitationType.law),
            Citation(id="apparel-service-standard", title="2025年服装零售行业服务标准", type=CitationType.document),
        ]
    )


def test_clause_citations_resolve_through_the_catalogue_and_abbreviations() -> None:
    raw = (
        "第1章退货1.1依据依据《2025年服装零售行业服务标准》(以下简称《服务标准》),应规范退货。"
        "根据《消费者权益保护法》第24条,消费者有权退货。根据《服务标准》,应及时处理。参考《未收录指南》。"
    )
    standard = ingest_text(raw, "demo", "demo.txt", citations=_catalogue()).standard
    clauses = standard.sections[0].sections[0].clauses
    refs = [[(r.citation, r.article) for r in c.citations] for c in clauses]
    assert refs == [
        [("apparel-service-standard", None)],
        [("consumer-law", "第24条")],
        [("apparel-service-standard", None)],
        [],
    ]
    assert "demo#1.1.d: 《未收录指南》" in standard.note


def test_editions_of_one_identifier_cited_with_different_titles_are_flagged_in_the_report() -> None:
    # GB/T 19011-2016 and GB/T 19011-2021 are editions of one document (the graph's identifier family).
    raw = (
        "第1章审核1.1依据《甲规范》(GB/T19011-2016)开展审核。"
        "依据《乙规范》(GB/T19011-2021)记录结果。依据《丙规范》(GB/T20000-2014)编写文件。"
    )
    report = ingest_text(raw, "demo", "demo.txt").report
    conflict = "the same identifier is cited with different titles in this document"
    flagged = {c.cited: conflict in c.checks for c in report.citations}
    assert flagged == {
        "《甲规范》 GB/T 19011-2016": True,
        "《乙规范》 GB/T 19011-2021": True,
        "《丙规范》 GB/T 20000-2014": False,
    }


def test_ingest_does_not_load_the_graph() -> None:
    # The identifier family is shared with the graph through the models, so ingest never imports networkx.
    import subprocess
    import sys

    code = (
        "import sys; from servicekb.ingest import ingest_text; "
        "ingest_text('第1章审核1.1依据《甲规范》(GB/T19011-2016)开展审核。', 'demo', 'demo.txt'); "
        "print('networkx' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
