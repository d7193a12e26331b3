"""The scorecard as an Excel workbook a store manager opens without help (openpyxl).

Sheets: `汇总` (one line per data store: who, period, as-of, verdict
counts), `审核条款` (clause audits, when there are any), one sheet per data store (one row per period x target, Chinese
headers, rounded figures with units, coloured verdicts, frozen header,
filters, widths, clause ids and provenance in the last column) and `说明`
(what each column means, how a verdict is decided, where the data came from).
"""

from __future__ import annotations

import re
from pathlib import Path

from servicekb.compliance.audits import list_clause_audits
from servicekb.compliance.readable import describe_stores, make_readable_rows
from servicekb.compliance.scorecard import Scorecard
from servicekb.vocab import AUDIT_RESULT, VERDICT

__all__ = ["STORE_COLUMNS", "write_answer_workbook", "write_workbook"]

# (header, readable column, width, what it means) of a store sheet, in order; provenance last.
STORE_COLUMNS = [
    ("期间", "period", 10, "月份 YYYY-MM 或季度 YYYY-Qn（门店所在时区）。"),
    ("指标", "metric_zh", 26, "指标的中文名称。"),
    ("适用范围", "population_zh", 18, "目标适用的事件范围，例如“投诉”“投诉 · 重大”；“全部”表示不限。"),
    ("目标", "target_text", 20, "门店适用的目标（取自条款，或门店配置的覆盖）。"),
    ("实测", "value_text", 16, "实测值，带单位；时限类指标为按时完成的比例。百分比保留一位小数，其余两位。"),
    ("数值", "value", 10, "实测值的数字（已四舍五入，单位见“实测”列），便于排序和筛选。"),
    ("要求比例", "required_text", 10, "时限类指标要求按时完成的比例（门店配置的 service_levels，未给出时为 100 %）。"),
    ("样本 n", "n", 8, "参与计算的事件、答卷或记录数（时限类为已判定的事件数，不含尚未到期的事件）。"),
    ("95% 区间", "interval_text", 16, "满意度等调查比例的 95 % Wilson 置信区间。"),
    ("结论", "verdict", 10, "达标、未达标、无法判定（区间跨过目标，或统计窗口未结束）、无数据、无法计算。"),
    ("说明", "reason", 36, "没有结论时的原因。"),
    ("指标 id", "metric", 30, "指标在 standards/metrics.yaml 中的 id，可用于 servicekb explain --metric。"),
    ("条款与来源", "provenance", 60, "目标来自哪些条款（条款 id），以及门店配置的覆盖（配置与序号）。"),
]

_FILL = {
    "pass": "C8E6C9",
    "fail": "FFCDD2",
    "inconclusive": "FFF59D",
    "no-data": "ECEFF1",
    "not-computable": "CFD8DC",
    "flagged": "FFAB91",
    "not-flagged": "C8E6C9",
}
_META = {"data": "数据文件夹", "profile": "门店配置"}
# The verdicts the summary sheet counts, one column each, in the words of `servicekb.vocab`.
_COUNTED = [(s, VERDICT[s]) for s in ("pass", "fail", "inconclusive", "no-data", "not-computable")]


def _sheet_name(store: str, used: set[str]) -> str:
    base = re.sub(r"[\[\]:*?/\\]", "_", store)[:31] or "store"
    name, k = base, 2
    while name.lower() in used:
        suffix = f"~{k}"
        name, k = base[: 31 - len(suffix)] + suffix, k + 1
    used.add(name.lower())
    return name


def _header(ws, headers: list[str], widths: list[int]) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    ws.append(headers)
    for i, width in enumerate(widths, start=1):
        cell = ws.cell(row=1, column=i)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDE3EA")
        cell.alignment = Alignment(vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A2"


def write_workbook(card: Scorecard, path: Path, meta: dict[str, str] | None = None) -> None:
    """Write the workbook to `path` (the caller decides whether an existing file may be replaced)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, PatternFill
    from openpyxl.utils import get_column_letter

    rows = make_readable_rows(card)
    identities = describe_stores(card)
    wb = Workbook()
    summary = wb.active
    summary.title = "汇总"
    heads = ["门店名称", "门店配置", "数据门店", "期间", "截至", *[label for _, label in _COUNTED], "行数", "工作表"]
    _header(summary, heads, [28, 28, 12, 22, 30, 8, 8, 10, 8, 10, 8, 14])
    used = {"汇总", "说明", "审核条款"}
    for ident in identities:
        for store in ident.data_ids:
            mine = rows[rows["store_id"] == store]
            sheet = _sheet_name(store, used)
            counts = mine["status"].value_counts()
            summary.append(
                [
                    ident.name,
                    ident.profile,
                    store,
                    ident.span,
                    ident.as_of,
                    *[int(counts.get(s, 0)) for s, _ in _COUNTED],
                    len(mine),
                    sheet,
                ]
            )
            ws = wb.create_sheet(sheet)
            _header(ws, [h for h, _, _, _ in STORE_COLUMNS], [w for _, _, w, _ in STORE_COLUMNS])
            verdict_col = [c for _, c, _, _ in STORE_COLUMNS].index("verdict") + 1
            for r in mine.itertuples(index=False):
                ws.append(
                    [None if c == "value" and r.value != r.value else getattr(r, c) for _, c, _, _ in STORE_COLUMNS]
                )
                cell = ws.cell(row=ws.max_row, column=verdict_col)
                cell.fill = PatternFill("solid", fgColor=_FILL.get(r.status, "FFFFFF"))
            last = get_column_letter(len(STORE_COLUMNS))
            ws.auto_filter.ref = f"A1:{last}{max(ws.max_row, 1)}"
            for row in ws.iter_rows(min_row=2, min_col=len(STORE_COLUMNS), max_col=len(STORE_COLUMNS)):
                row[0].alignment = Alignment(wrap_text=True, vertical="top")
    summary.auto_filter.ref = f"A1:{get_column_letter(len(heads))}{max(summary.max_row, 1)}"
    audits = list_clause_audits(card)
    if not audits.empty:
        ws = wb.create_sheet("审核条款")
        _header(
            ws,
            ["数据门店", "期间", "条款", "结果", "审核日期", "审核人", "备注", "答卷行号"],
            [12, 10, 30, 10, 12, 16, 40, 10],
        )
        for r in audits.itertuples(index=False):
            ws.append(
                [
                    r.store_id,
                    r.period,
                    r.clause_id,
                    AUDIT_RESULT.get(r.result, r.result),
                    r.audit_date,
                    r.auditor,
                    r.note,
                    r.line,
                ]
            )
            ws.cell(row=ws.max_row, column=4).fill = PatternFill(
                "solid", fgColor={"met": _FILL["pass"], "not-met": _FILL["fail"]}.get(r.result, _FILL["no-data"])
            )
        ws.auto_filter.ref = f"A1:H{ws.max_row}"
    about = wb.create_sheet("说明")
    _header(about, ["项目", "说明"], [22, 100])
    for key, value in (meta or {}).items():
        about.append([_META.get(key, key), value])
    about.append(["截至", card.as_of.isoformat() if card.as_of is not None and str(card.as_of) != "NaT" else "—"])
    about.append(["评分周期", "月" if card.context.grid.granularity == "month" else "季度"])
    about.append(["工作表", "“汇总”每个数据门店一行；每个数据门店一张工作表，每个期间 × 目标一行；本表说明各列含义。"])
    for header, _, _, what in STORE_COLUMNS:
        about.append([f"列：{header}", what])
    about.append(
        [
            "结论怎么判定",
            "调查比例：95 % 置信区间整体在目标一侧为达标，整体在另一侧为未达标，否则无法判定。"
            "时限类：按时比例达到要求比例为达标。其余指标按实测值直接比较。",
        ]
    )
    about.append(
        [
            "复核",
            "servicekb explain --profile … --data … --store 数据门店 --period 期间 --metric 指标id "
            "给出任一行的完整计算过程。",
        ]
    )
    for row in about.iter_rows(min_row=2, min_col=2, max_col=2):
        row[0].alignment = Alignment(wrap_text=True, vertical="top")
    _save(wb, path)


def write_answer_workbook(sheet, path: Path) -> None:
    """The audit answer sheet as a workbook: the `audits` columns as headers (read back by `score`), a list for
    `result`."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.worksheet.datavalidation import DataValidation

    from servicekb.datatables import AUDIT_RESULTS, TABLES

    wb = Workbook()
    ws = wb.active
    ws.title = "audits"
    spec = TABLES["audits"]
    _header(ws, list(sheet.columns), [14 if c.name != "clause_id" else 30 for c in spec.columns])
    for i, col in enumerate(spec.columns, start=1):
        ws.cell(row=1, column=i).comment = Comment(col.description, "servicekb")
    for row in sheet.itertuples(index=False):
        ws.append([v if v != "" else None for v in row])
    last = max(ws.max_row, 2)
    result = DataValidation(type="list", formula1='"' + ",".join(AUDIT_RESULTS) + '"', allow_blank=True)
    col = list(sheet.columns).index("result") + 1
    from openpyxl.utils import get_column_letter

    result.add(f"{get_column_letter(col)}2:{get_column_letter(col)}{last}")
    ws.add_data_validation(result)
    date = DataValidation(type="date", operator="greaterThan", formula1="36526", allow_blank=True)
    dcol = get_column_letter(list(sheet.columns).index("audit_date") + 1)
    date.add(f"{dcol}2:{dcol}{last}")
    ws.add_data_validation(date)
    for r in range(2, last + 1):
        ws[f"{dcol}{r}"].number_format = "yyyy-mm-dd"
    about = wb.create_sheet("说明")
    _header(about, ["列", "说明"], [18, 90])
    for c in spec.columns:
        about.append([c.name, c.description])
    about.append(
        [
            "",
            "每行一项审核结果：result 只能是 "
            + "、".join(AUDIT_RESULTS)
            + "；没有审核的行请删除。表头（第一行）不要改，servicekb score 按列名读取。",
        ]
    )
    _save(wb, path)


def _save(wb, path: Path) -> None:
    """Saved beside the target and moved over it: a reader sees the old workbook or the new one."""
    from servicekb.atomic import write_file_atomic

    write_file_atomic(path, lambda tmp: wb.save(tmp))
