"""A store's handbook page: who its scorecard is about, stable when other profiles come and go, audited clauses, no
orphans.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from servicekb.book import ensure_sample, render_pages
from servicekb.book.build import remove_orphan_html
from servicekb.book.markdown import escape_text
from servicekb.loader import load_corpus

FIXTURE = Path(__file__).parent / "fixtures" / "book" / "notebooks" / "repo"
DAY = dt.date(2026, 12, 31)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    shutil.copytree(FIXTURE, root)
    return root


def _pages(root: Path) -> dict[str, str]:
    corpus = load_corpus(root).corpus
    ensure_sample(root, corpus, DAY)
    return render_pages(corpus, root, DAY)


def _scorecard(page: str) -> str:
    return page[page.index("## 评分卡 Scorecard") : page.index("## 每个数字的来源")]


def test_a_store_page_names_the_store_its_data_ids_the_period_and_the_as_of_time(repo):
    page = _pages(repo)["stores/flagship.md"]
    card = _scorecard(page)
    # The sample covers the twelve complete months before the build day (never the page's future).
    for label, shown in (
        ("门店", "旗舰店（flagship）"),
        ("数据门店", "s001、s004"),
        ("期间", "2025-12 至 2026-11"),
        ("截至", "2026-11-30 23:59（Asia/Shanghai）"),
    ):
        assert f"| {label} | {escape_text(shown)} |" in card
    assert (
        f"**数据门店 s001 · {escape_text('2026-11')}**" in card
        and f"**数据门店 s004 · {escape_text('2026-11')}**" in card
    )


def test_adding_a_store_profile_leaves_every_other_store_page_as_it_was(repo):
    before = _pages(repo)
    # Sorted before the others: an assignment by position would hand every data store to another profile.
    (repo / "stores" / "aaa-new.yaml").write_text(
        "id: aaa-new\nname: 新店\nextends: baseline\ndata_store_ids: [s007]\n", encoding="utf-8"
    )
    after = _pages(repo)
    for name in ("flagship", "mall", "online"):
        assert after[f"stores/{name}.md"] == before[f"stores/{name}.md"], name
    assert "s007" in _scorecard(after["stores/aaa-new.md"])


def test_audited_clauses_appear_on_the_store_page(repo):
    _pages(repo)
    (repo / "data" / "sample" / "audits.csv").write_text(
        "store_id,audit_date,clause_id,metric,topic,result,measured_value,auditor,note\ns001,2026-11-05,guide#1.a,,,not-met,,李娜,投诉登记不全\n",
        encoding="utf-8",
    )
    page = _pages(repo)["stores/flagship.md"]
    section = page[page.index("### 审核条款 Audited clauses") :]
    row = next(line for line in section.splitlines() if line.startswith("| s001 |"))
    assert [c.strip() for c in row.strip("|").split("|")][3:] == [
        "不符合",
        escape_text("2026-11-05"),
        "李娜",
        "投诉登记不全",
    ]
    assert "guide" in row
    # The answers are the consultant's: regenerating the sample data keeps them.
    assert (repo / "data" / "sample" / "audits.csv").is_file()


def test_the_built_page_of_a_deleted_profile_is_removed(tmp_path):
    root, html = tmp_path / "repo", tmp_path / "repo" / "_build" / "html"
    (root / "book" / "generated" / "stores").mkdir(parents=True)
    (root / "book" / "generated" / "stores" / "kept.md").write_text("# kept\n", encoding="utf-8")
    (html / "book" / "generated" / "stores").mkdir(parents=True)
    for name in ("kept", "deleted"):
        (html / "book" / "generated" / "stores" / f"{name}.html").write_text("<html></html>", encoding="utf-8")
    assert remove_orphan_html(root, html) == ["stores/deleted.md"]
    assert sorted(p.name for p in (html / "book" / "generated" / "stores").iterdir()) == ["kept.html"]
