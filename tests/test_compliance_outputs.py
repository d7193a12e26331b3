"""What reaches people: stores bound to their data by name, the workbook, audit answers, checklists, bounded reports."""

from __future__ import annotations

import datetime as dt
import io
import shutil
from pathlib import Path

import pandas as pd
import pytest
from conftest import FIXTURES
from typer.testing import CliRunner

from servicekb.cli import _register, app

_register()
runner = CliRunner()
REPO = FIXTURES / "compliance" / "repo"
DATA = FIXTURES / "compliance" / "data"
DEFINED = (
    "  definition: {kind: mean, table: audits, column: measured_value, filters: {metric: guidance-session-duration}}\n"
)
GREETING = """- number: "5"
  title: {zh: 礼仪, en: Etiquette}
  clauses:
  - id: ops#5.a
    text: 员工应主动问候进店顾客。
    kind: requirement
    modality: shall
    stage: etiquette
    provenance: {seed: ops.txt, quote: 员工应主动问候进店顾客}
"""


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """The compliance fixture repository; guidance sessions measured by audit; a greeting clause without a figure."""
    root = tmp_path / "repo"
    shutil.copytree(REPO, root)
    metrics = (root / "standards" / "metrics.yaml").read_text(encoding="utf-8")
    anchor = (
        "- id: guidance-session-duration\n  name: {zh: 指导服务时长, en: Guidance session duration}\n"
        "  unit: minute\n  direction: higher_is_better\n"
    )
    assert anchor in metrics
    (root / "standards" / "metrics.yaml").write_text(metrics.replace(anchor, anchor + DEFINED), encoding="utf-8")
    with (root / "standards" / "ops.yaml").open("a", encoding="utf-8") as fh:
        fh.write(GREETING)
    return root


@pytest.fixture
def data(tmp_path: Path) -> Path:
    shutil.copytree(DATA, tmp_path / "data")
    return tmp_path / "data"


def run(root: Path, *args: str):
    return runner.invoke(app, [*args, "--root", str(root)])


def claim(root: Path, profile: str, ids: list[str]) -> None:
    path = root / "stores" / f"{profile}.yaml"
    path.write_text(path.read_text(encoding="utf-8") + f"data_store_ids: [{', '.join(ids)}]\n", encoding="utf-8")


# --- binding data to stores -------------------------------------------------------------------------------------


def test_a_profile_names_its_data_stores_without_a_stores_table(repo, data):
    (data / "stores.csv").unlink()
    claim(repo, "shop-sh", ["sh1"])
    claim(repo, "shop-paris", ["pa1"])
    result = run(repo, "score", "--profile", "shop-sh", "--data", str(data), "--format", "csv")
    assert result.exit_code == 0, result.output
    assert set(pd.read_csv(io.StringIO(result.stdout))["store_id"]) == {"sh1"}


def test_a_stores_table_contradicting_a_profile_is_a_located_error(repo, data):
    claim(repo, "shop-sh", ["pa1"])  # the table maps pa1 to shop-paris
    result = run(repo, "score", "--all-stores", "--data", str(data))
    assert result.exit_code == 1
    assert (
        f"{data.as_posix()}/stores.csv:3:2: error[store-binding-conflict] profile: "
        "'pa1' is mapped to 'shop-paris' but stores/shop-sh.yaml names it" in result.stderr
    )


def test_a_data_store_claimed_by_two_profiles_is_a_located_error(repo, data):
    claim(repo, "shop-sh", ["sh1"])
    claim(repo, "shop-paris", ["pa1", "sh1"])
    validated = run(repo, "validate")
    assert validated.exit_code == 1
    # Profiles are read in id order: shop-paris claims sh1 first, so shop-sh's claim is the one reported.
    assert (
        "stores/shop-sh.yaml:" in validated.stdout
        and "error[data-id-claimed-twice] data_store_ids[0]: "
        "data store id 'sh1' is already claimed by stores/shop-paris.yaml"
        in validated.stdout
    )
    scored = run(repo, "score", "--profile", "shop-sh", "--data", str(data))
    assert scored.exit_code == 1 and "error[data-id-claimed-twice]" in scored.stderr


def test_a_baseline_cannot_name_data_stores(repo):
    claim(repo, "baseline", ["x1"])
    result = run(repo, "validate")
    assert result.exit_code == 1 and "error[data-ids-on-baseline] data_store_ids:" in result.stdout


def test_a_profile_naming_no_data_is_a_located_error(repo, data):
    (data / "stores.csv").write_text("store_id,profile\npa1,shop-paris\n", encoding="utf-8")
    # sh1's rows now belong to no store (reported, dropped); nothing binds a data store to shop-sh.
    result = run(repo, "score", "--profile", "shop-sh", "--data", str(data), "--drop-invalid")
    assert result.exit_code == 1
    assert (
        "stores/shop-sh.yaml:1:1: error[profile-without-data] data_store_ids: shop-sh names no data store"
        in result.stderr
    )


def test_adding_a_store_profile_changes_no_other_stores_figures(repo, tmp_path):
    claim(repo, "shop-sh", ["s001"])
    claim(repo, "shop-paris", ["s002"])
    assert run(repo, "sample-data", "--stores", "2", "--months", "3", "-o", str(tmp_path / "before")).exit_code == 0
    before = run(repo, "score", "--profile", "shop-sh", "--data", str(tmp_path / "before"), "--format", "csv")
    # A new store profile (sorted first, so a positional assignment would move every store) with a data store of its
    # own.
    (repo / "stores" / "aaa-new.yaml").write_text(
        "id: aaa-new\nname: 新店\nextends: baseline\ndata_store_ids: [s003]\n", encoding="utf-8"
    )
    assert run(repo, "sample-data", "--stores", "3", "--months", "3", "-o", str(tmp_path / "after")).exit_code == 0
    after = run(repo, "score", "--profile", "shop-sh", "--data", str(tmp_path / "after"), "--format", "csv")
    assert before.exit_code == after.exit_code == 0, after.output
    pd.testing.assert_frame_equal(pd.read_csv(io.StringIO(before.stdout)), pd.read_csv(io.StringIO(after.stdout)))
    assert pd.read_csv(tmp_path / "after" / "stores.csv").to_dict("list") == {
        "store_id": ["s001", "s002", "s003"],
        "profile": ["shop-sh", "shop-paris", "aaa-new"],
    }


def test_the_json_export_names_each_store(data):
    import json

    result = run(REPO, "score", "--all-stores", "--data", str(data), "--format", "json")
    stores = json.loads(result.stdout)["stores"]
    assert stores[1] == {
        "profile": "shop-sh",
        "name": "上海测试店",
        "data_store_ids": ["sh1"],
        "first_period": "2026-01",
        "last_period": "2026-10",
        "as_of": "2026-10-31 12:00（Asia/Shanghai）",
    }


# --- the workbook ----------------------------------------------------------------------------------------------------


def test_the_workbook_is_readable_without_help(data, tmp_path):
    from openpyxl import load_workbook

    target = tmp_path / "card.xlsx"
    assert run(REPO, "score", "--all-stores", "--data", str(data), "--format", "xlsx", "-o", str(target)).exit_code == 0
    wb = load_workbook(target)
    assert wb.sheetnames == ["汇总", "pa1", "sh1", "说明"]
    summary = [[c.value for c in row] for row in wb["汇总"].iter_rows()]
    assert summary[0][:6] == ["门店名称", "门店配置", "数据门店", "期间", "截至", "达标"]
    assert summary[2][:5] == ["上海测试店", "shop-sh", "sh1", "2026-01 至 2026-10", "2026-10-31 12:00（Asia/Shanghai）"]
    ws = wb["sh1"]
    header = [c.value for c in ws[1]]
    assert header[:5] == ["期间", "指标", "适用范围", "目标", "实测"] and header[-1] == "条款与来源"
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == f"A1:{ws.cell(1, len(header)).column_letter}171"
    assert all(ws.column_dimensions[c].width >= 8 for c in "ABCDEFGHIJKLM")
    rows = [dict(zip(header, (c.value for c in row), strict=False)) for row in ws.iter_rows(min_row=2)]
    satisfaction = next(
        r for r in rows if r["期间"] == "2026-01" and r["指标"] == "客户满意度" and r["适用范围"] == "全部"
    )
    # 3 of 4 satisfied: 75 %, rounded, with its unit; the interval rounded to one decimal.
    assert (satisfaction["实测"], satisfaction["数值"], satisfaction["95% 区间"], satisfaction["结论"]) == (
        "75 %",
        75,
        "[30.1, 95.4] %",
        "无法判定",
    )
    assert satisfaction["条款与来源"] == "条款 ops#1.a"
    verdict = header.index("结论") + 1
    fills = {
        ws.cell(row=i, column=verdict).value: ws.cell(row=i, column=verdict).fill.fgColor.rgb
        for i in range(2, ws.max_row + 1)
    }
    assert fills["达标"].endswith("C8E6C9") and fills["未达标"].endswith("FFCDD2")
    about = {row[0].value: row[1].value for row in wb["说明"].iter_rows(min_row=2)}
    assert "列：结论" in about and "列：条款与来源" in about and about["数据文件夹"] == data.as_posix()


# --- audits ------------------------------------------------------------------------------------------------------


AUDITS = "store_id,audit_date,clause_id,metric,topic,result,measured_value,auditor,note\n"


def test_audit_answers_make_audited_rows_computable_with_the_audit_as_provenance(repo, data):
    (data / "audits.csv").write_text(
        AUDITS + "sh1,2026-03-12,ops#4.a,guidance-session-duration,,met,45,李娜,\n"
        "sh1,2026-03-20,ops#4.a,guidance-session-duration,,not-met,25,王强,\n"
        "sh1,2026-03-12,ops#5.a,,,not-met,,李娜,未问候\n",
        encoding="utf-8",
    )
    card = run(repo, "score", "--profile", "shop-sh", "--data", str(data), "--format", "csv")
    assert card.exit_code == 0, card.output
    frame = pd.read_csv(io.StringIO(card.stdout))
    guidance = frame[frame.metric == "guidance-session-duration"].set_index("period")
    assert (guidance.loc["2026-03", "value"], guidance.loc["2026-03", "n"], guidance.loc["2026-03", "status"]) == (
        35.0,
        2,
        "pass",
    )
    assert guidance.loc["2026-02", "status"] == "no-data"
    table = run(repo, "score", "--profile", "shop-sh", "--data", str(data)).stdout
    assert (
        "审核条款 1 项：符合 0 · 不符合 1 · 不适用 0" in table
        and "不符合：ops#5.a（2026-03，2026-03-12 李娜） 未问候" in table
    )
    explained = run(
        repo,
        "explain",
        "--profile",
        "shop-sh",
        "--data",
        str(data),
        "--store",
        "sh1",
        "--period",
        "2026-03",
        "--metric",
        "guidance-session-duration",
    )
    assert explained.exit_code == 0, explained.output
    assert (
        f"audit    2026-03-12 by 李娜: measured 45, result met ({data.as_posix()}/audits.csv line 2)"
        in explained.stdout
    )
    assert "value = mean of measured_value = 70 / 2 = 35 minute" in explained.stdout


def test_answers_written_as_on_the_printed_checklist_are_read(repo, data):
    # The checklist prints 符合 / 不符合 / 不适用; an auditor writes what is printed.
    (data / "audits.csv").write_text(AUDITS + "sh1,2026-03-12,ops#5.a,,,不符合,,李娜,未问候\n", encoding="utf-8")
    table = run(repo, "score", "--profile", "shop-sh", "--data", str(data))
    assert table.exit_code == 0, table.output
    assert "审核条款 1 项：符合 0 · 不符合 1 · 不适用 0" in table.stdout


def test_score_never_writes_over_the_data_it_reads(repo, data):
    # A folder `sample-data` wrote (its marker) where an auditor put audits.csv, as the README says.
    from servicekb.compliance.synthetic import SAMPLE_MARKER

    (data / SAMPLE_MARKER).write_text("", encoding="utf-8")
    (data / "audits.csv").write_text(AUDITS + "sh1,2026-03-12,ops#5.a,,,met,,李娜,\n", encoding="utf-8")
    before = {p.name: p.read_bytes() for p in data.iterdir()}
    result = run(
        repo,
        "score",
        "--profile",
        "shop-sh",
        "--data",
        str(data),
        "--format",
        "csv",
        "-o",
        str(data / "audits.csv"),
        "--force",
    )
    assert result.exit_code == 2 and "reads" in result.output
    assert {p.name: p.read_bytes() for p in data.iterdir()} == before


@pytest.mark.parametrize(
    ("row", "where", "code"),
    [
        # a clause the store does not have
        ("sh1,2026-03-12,ops#9.z,,,met,,李娜,", "2:3", "clause-not-in-store"),
        # a metric the store has no target on
        ("sh1,2026-03-12,,nps,,met,8,李娜,", "2:4", "metric-not-in-store"),
        # a result outside met / not-met / not-applicable
        ("sh1,2026-03-12,ops#5.a,,,ok,,李娜,", "2:6", "bad-value"),
        # an audit dated after today
        ("sh1,2099-01-01,ops#5.a,,,met,,李娜,", "2:2", "date-in-future"),
        # a day outside the supported time range is located, never a traceback
        ("sh1,2999-01-01,ops#5.a,,,met,,李娜,", "2:2", "out-of-range-time"),  # outside the supported time range
        # an answer that names nothing
        ("sh1,2026-03-12,,,,met,,李娜,", "2:3", "audit-names-nothing"),
    ],
)
def test_bad_audit_answers_are_located_errors(repo, data, row, where, code):
    (data / "audits.csv").write_text(AUDITS + row + "\n", encoding="utf-8")
    result = run(repo, "score", "--profile", "shop-sh", "--data", str(data))
    assert result.exit_code == 1
    assert f"{data.as_posix()}/audits.csv:{where}: error[{code}]" in result.stderr
    assert "Traceback" not in result.output


def test_the_answer_sheet_can_be_read_back_as_a_workbook(repo, data, tmp_path):
    claim(repo, "shop-sh", ["sh1"])
    out = tmp_path / "audit"
    assert run(repo, "checklist", "--profile", "shop-sh", "-o", str(out)).exit_code == 0
    sheet = pd.read_excel(out / "shop-sh-answers.xlsx", sheet_name="audits", dtype=object)
    sheet = sheet[sheet["metric"] == "guidance-session-duration"].copy()
    sheet["audit_date"], sheet["result"], sheet["measured_value"], sheet["auditor"] = (
        dt.datetime(2026, 3, 12),
        "met",
        40,
        "李娜",
    )
    sheet.to_excel(data / "audits.xlsx", index=False)
    frame = pd.read_csv(
        io.StringIO(run(repo, "score", "--profile", "shop-sh", "--data", str(data), "--format", "csv").stdout)
    )
    assert frame[(frame.metric == "guidance-session-duration") & (frame.period == "2026-03")]["value"].tolist() == [
        40.0
    ]


# --- the checklist ------------------------------------------------------------------------------------------------


def test_the_checklist_is_a_printed_a4_page_with_a_matching_answer_sheet(repo, tmp_path):
    claim(repo, "shop-sh", ["sh1", "sh2"])
    out = tmp_path / "audit"
    result = run(repo, "checklist", "--profile", "stores/shop-sh.yaml", "-o", str(out), "--html")
    assert result.exit_code == 0, result.output
    pdf = (out / "shop-sh-checklist.pdf").read_bytes()
    assert pdf.startswith(b"%PDF") and b"/MediaBox [0 0 594.95996 841.91998]" in pdf  # A4 (210 x 297 mm) in points
    page = (out / "shop-sh-checklist.html").read_text(encoding="utf-8")
    assert "门店审核清单：上海测试店（shop-sh）" in page and "数据门店：sh1、sh2" in page
    # The clause without a figure and the audited target; clauses scored from the data are not listed.
    assert "ops#5.a" in page and "现场核实：应做到条文所述" in page and "指导服务时长 ≥ 30 分钟" in page
    assert "ops#1.a" not in page
    sheet = pd.read_csv(out / "shop-sh-answers.csv", dtype=str, keep_default_na=False)
    assert list(sheet.columns) == [
        "store_id",
        "audit_date",
        "clause_id",
        "metric",
        "topic",
        "result",
        "measured_value",
        "auditor",
        "note",
    ]
    assert sheet[["store_id", "clause_id", "metric"]].values.tolist() == [
        ["sh1", "ops#4.a", "guidance-session-duration"],
        ["sh1", "ops#5.a", ""],
        ["sh2", "ops#4.a", "guidance-session-duration"],
        ["sh2", "ops#5.a", ""],
    ]
    again = run(repo, "checklist", "--profile", "shop-sh", "-o", str(out))
    assert again.exit_code == 2 and "--force" in again.stderr


# --- bounded reports ----------------------------------------------------------------------------------------------


def test_many_problems_of_one_kind_are_counted_and_the_diff_is_still_printed(data):
    rows = "".join(f"X{i},s{i:04d},{'2026-01-05T10:00:00'},overall,5,9\n" for i in range(500))
    (data / "surveys.csv").write_text((data / "surveys.csv").read_text(encoding="utf-8") + rows, encoding="utf-8")
    result = runner.invoke(
        app,
        [
            "diff",
            str(REPO),
            str(REPO),
            "--impact",
            "--data",
            str(data),
            "--all-stores",
            "--max-issues",
            "3",
            "--root",
            str(REPO),
        ],
    )
    assert result.exit_code == 1
    problems = [line for line in result.stderr.splitlines() if "error[unknown-store]" in line]
    assert len(problems) == 3 and "… and 497 more unknown-store" in result.stderr
    assert result.stdout.strip(), "the diff report itself is printed"
