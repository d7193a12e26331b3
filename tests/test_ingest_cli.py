"""`servicekb ingest`: output, --force, atomic writes, clear errors, and a snapshot per seed.

Set SERVICEKB_UPDATE_SNAPSHOTS=1 to rewrite tests/snapshots/ingest/*.yaml after
an intended change; review the diff before committing it.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from servicekb.cli import app
from servicekb.models import Standard

ROOT = Path(__file__).resolve().parents[1]
SEEDS_DIR = ROOT / "sources"
SEEDS = sorted(SEEDS_DIR.glob("*.txt"))
SNAPSHOTS = ROOT / "tests" / "snapshots" / "ingest"
UPDATE = os.environ.get("SERVICEKB_UPDATE_SNAPSHOTS") == "1"
needs_seeds = pytest.mark.usefixtures("seeds_present")

RAW = (
    "2025年示例规范_第1页\n已閱讀5頁,還剩3頁未讀\n\n下載本文檔\n\n"
    "示例規範第1章投訴處理1.1時限投訴應在24小時內響應(yīng)。\n\n溫馨提示\n\n評論\n"
)


@pytest.fixture(scope="module")
def cli():
    """The real `servicekb` app with the ingest command (and the others, so it stays a command group)."""
    from servicekb.cli import _register

    _register()
    import servicekb.cli.ingest_cmd  # noqa: F401

    return app


def run(cli, *args: str):
    # A frozen copy of the catalogues: the snapshots pin ingest, not the growing catalogues.
    return CliRunner().invoke(cli, ["ingest", *args, "--root", str(ROOT / "tests" / "fixtures" / "ingest-root")])


@pytest.fixture()
def raw_file(tmp_path: Path) -> Path:
    path = tmp_path / "raw.txt"
    path.write_text(RAW, encoding="utf-8")
    return path


def test_stdout_is_a_valid_draft(cli, raw_file: Path) -> None:
    result = run(cli, str(raw_file), "--id", "demo-norm")
    assert result.exit_code == 0, result.stderr
    first, _, rest = result.stdout.partition("\n")
    assert first == "# yaml-language-server: $schema=../schemas/standard.schema.json"
    standard = Standard.model_validate(yaml.safe_load(rest))
    assert standard.status.value == "draft"
    assert standard.id == "demo-norm"
    assert standard.sections[0].sections[0].clauses[0].text == "投诉应在24小时内响应。"


def test_output_file_is_written(cli, raw_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "demo-norm.yaml"
    result = run(cli, str(raw_file), "--id", "demo-norm", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert out.read_text(encoding="utf-8").startswith("# yaml-language-server:")


def test_existing_file_is_not_overwritten_without_force(cli, raw_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "demo-norm.yaml"
    out.write_text("curated: true\n", encoding="utf-8")
    result = run(cli, str(raw_file), "--id", "demo-norm", "-o", str(out))
    assert result.exit_code == 1
    assert result.stderr.strip() == f"{out}: error[exists]: file exists; use --force to replace it"
    assert out.read_text(encoding="utf-8") == "curated: true\n"


def test_force_replaces_and_leaves_no_temporary_file(cli, raw_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "demo-norm.yaml"
    out.write_text("curated: true\n", encoding="utf-8")
    result = run(cli, str(raw_file), "--id", "demo-norm", "-o", str(out), "--force")
    assert result.exit_code == 0, result.stderr
    assert "id: demo-norm" in out.read_text(encoding="utf-8")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["demo-norm.yaml", "raw.txt"]


def test_failed_write_keeps_the_old_file(cli, raw_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "demo-norm.yaml"
    out.write_text("curated: true\n", encoding="utf-8")

    def broken_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    result = run(cli, str(raw_file), "--id", "demo-norm", "-o", str(out), "--force")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"{out}: error[write-failed]: disk full")
    assert out.read_text(encoding="utf-8") == "curated: true\n"  # never half-written
    assert sorted(p.name for p in tmp_path.iterdir()) == ["demo-norm.yaml", "raw.txt"]  # temp file removed


@pytest.mark.parametrize(
    ("content", "standard_id", "code", "exit_code"),
    [
        (None, "demo", "missing-file", 2),  # no such file: a usage error, as in score and validate
        (bytes(range(32)) * 64, "demo", "binary", 1),  # control bytes: not a text document
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 16, "demo", "binary", 1),  # an image
        (b"", "demo", "empty", 1),  # empty file
        ("温馨提示\n\n评论\n".encode(), "demo", "empty", 1),  # only boilerplate
        (RAW.encode(), "Demo_Norm", "bad-id", 2),  # id not kebab-case: usage error
    ],
)
def test_bad_input_gives_one_clear_line(
    cli, tmp_path: Path, content: bytes | None, standard_id: str, code: str, exit_code: int
) -> None:
    raw = tmp_path / "raw.txt"
    if content is not None:
        raw.write_bytes(content)
    result = run(cli, str(raw), "--id", standard_id)
    assert result.exit_code == exit_code
    assert result.stderr.startswith(f"{raw}: error[{code}]: ")
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_missing_id_is_a_usage_error(cli, raw_file: Path) -> None:
    result = CliRunner().invoke(cli, ["ingest", str(raw_file)])
    assert result.exit_code == 2


@needs_seeds
def test_output_is_deterministic(cli) -> None:
    seed = str(SEEDS[0])
    first = run(cli, seed, "--id", "seed-a")
    second = run(cli, seed, "--id", "seed-a")
    assert first.exit_code == 0, first.stderr
    assert first.stdout == second.stdout


@needs_seeds
@pytest.mark.parametrize("seed", SEEDS, ids=[p.stem for p in SEEDS])
def test_seed_snapshot(cli, seed: Path) -> None:
    standard_id = "seed-" + seed.stem.replace("_", "-")
    result = run(cli, str(seed), "--id", standard_id)
    assert result.exit_code == 0, result.stderr
    Standard.model_validate(yaml.safe_load(result.stdout))
    snapshot = SNAPSHOTS / f"{seed.stem}.yaml"
    if UPDATE:
        snapshot.parent.mkdir(parents=True, exist_ok=True)
        snapshot.write_text(result.stdout, encoding="utf-8", newline="\n")
    assert snapshot.is_file(), f"no snapshot: run with SERVICEKB_UPDATE_SNAPSHOTS=1 to create {snapshot}"
    assert result.stdout == snapshot.read_text(encoding="utf-8"), (
        f"{snapshot.name} drifted: review, then SERVICEKB_UPDATE_SNAPSHOTS=1"
    )


TEXT = "售后服务规范\n第一章 总则\n第一条 客户投诉应在24小时内响应。\n第二条 退款应在7个工作日内完成。\n"


@pytest.mark.parametrize(
    ("encoding", "name"),
    [
        ("gbk", "GB18030/GBK"),  # mainland Windows exports
        ("gb18030", "GB18030/GBK"),
        ("utf-16", "UTF-16"),  # with BOM
        ("utf-16-le", "UTF-16LE"),  # without BOM
    ],
)
def test_legacy_encodings_are_detected_and_named(cli, tmp_path: Path, encoding: str, name: str) -> None:
    raw = tmp_path / "raw.txt"
    raw.write_bytes(TEXT.encode(encoding))
    result = run(cli, str(raw), "--id", "demo", "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["report"]["encoding"] == name
    assert [(t["comparator"], t["value"], t["unit"]) for t in data["report"]["targets"]] == [
        ("<=", 24, "hour"),
        ("<=", 7, "working_day"),
    ]


def test_big5_traditional_text_is_decoded_and_simplified(cli, tmp_path: Path) -> None:
    raw = tmp_path / "raw.txt"
    raw.write_bytes("售後服務規範\n第一章 總則\n第一條 客戶投訴應在24小時內響應。\n".encode("big5"))
    result = run(cli, str(raw), "--id", "demo")
    assert result.exit_code == 0, result.stderr
    assert "客户投诉应在24小时内响应。" in result.stdout
    assert "Big5" in result.stderr


def test_a_file_over_the_limit_is_refused_with_its_size(cli, tmp_path: Path) -> None:
    raw = tmp_path / "raw.txt"
    raw.write_bytes(("投诉应在24小时内响应。" * 700_000).encode())  # about 21 MB
    result = run(cli, str(raw), "--id", "demo")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"{raw}: error[too-large]: 21.")
    assert "Traceback" not in result.stderr


def test_only_a_table_of_contents_gives_an_empty_draft_and_says_so(cli, tmp_path: Path) -> None:
    raw = tmp_path / "raw.txt"
    raw.write_text("服务手册\n第1章 总则\n1.1 目的\n1.2 范围\n第2章 流程\n2.1 接待\n", encoding="utf-8")
    result = run(cli, str(raw), "--id", "demo", "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["report"]["targets"] == []
    Standard.model_validate(yaml.safe_load(data["yaml"]))


def test_a_document_without_numbers_proposes_nothing(cli, tmp_path: Path) -> None:
    raw = tmp_path / "raw.txt"
    raw.write_text(
        "服务守则\n一、礼仪\n服务人员应主动问候,礼貌待客。\n二、沟通\n耐心倾听顾客意见。\n", encoding="utf-8"
    )
    result = run(cli, str(raw), "--id", "demo")
    assert result.exit_code == 0, result.stderr
    assert "targets:" not in result.stdout
    assert "0 targets proposed" in result.stderr


def test_report_lists_unmapped_metrics_and_statistics(cli, tmp_path: Path) -> None:
    raw = tmp_path / "raw.txt"
    raw.write_text("服务规范\n1 时效\n上门安装应在48小时内完成。数据显示,满意度平均为87%。\n", encoding="utf-8")
    result = run(cli, str(raw), "--id", "demo", "--format", "json")
    report = json.loads(result.stdout)["report"]
    assert [t["metric"] for t in report["targets"]] == ["unmapped"]
    assert report["unmapped"][0]["unit"] == "hour" and report["unmapped"][0]["clauses"] == ["demo#1.a"]
    assert [(s["value"], s["unit"]) for s in report["statistics"]] == [(87, "percent")]


def test_check_reruns_the_report_on_a_draft(cli, tmp_path: Path) -> None:
    raw = tmp_path / "raw.txt"
    raw.write_text("服务规范\n1 时效\n上门安装应在48小时内完成。\n", encoding="utf-8")
    draft = tmp_path / "demo.yaml"
    assert run(cli, str(raw), "--id", "demo", "-o", str(draft)).exit_code == 0
    result = run(cli, "--check", str(draft))
    assert result.exit_code == 1
    (line,) = [ln for ln in result.stdout.splitlines() if "error[" in ln]
    assert "error[unmapped-metric] sections[0].clauses[0].targets[0].metric:" in line
    assert line.startswith(f"{draft}:") and line.split(":")[1].isdigit()


def test_check_finds_a_value_its_quote_does_not_state(cli, tmp_path: Path) -> None:
    raw = tmp_path / "raw.txt"
    raw.write_text("服务规范\n1 时效\n投诉应在24小时内响应。\n", encoding="utf-8")
    draft = tmp_path / "demo.yaml"
    assert run(cli, str(raw), "--id", "demo", "-o", str(draft)).exit_code == 0
    edited = draft.read_text(encoding="utf-8").replace("value: 24.0", "value: 48.0")
    draft.write_text(edited, encoding="utf-8")
    result = run(cli, "--check", str(draft), "--format", "json")
    codes = [(i["code"], i["path"]) for i in json.loads(result.stdout)["issues"] if i["level"] == "error"]
    assert ("quote-mismatch", "sections[0].clauses[0].targets[0].quote") in codes
    assert result.exit_code == 1


def test_check_of_the_curated_standards_finds_no_unmapped_metric(cli) -> None:
    for path in sorted((ROOT / "standards").glob("*.yaml")):
        if path.name in ("metrics.yaml", "citations.yaml"):
            continue
        result = CliRunner().invoke(cli, ["ingest", "--check", str(path), "--root", str(ROOT), "--format", "json"])
        assert result.exit_code in (0, 1), result.output
        issues = json.loads(result.stdout)["issues"]
        assert [
            i for i in issues if i["code"] in ("unmapped-metric", "quote-not-in-source", "quote-not-in-clause")
        ] == []


def test_an_unexpected_failure_is_one_line_not_a_traceback(
    cli, raw_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import servicekb.ingest

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(servicekb.ingest, "ingest_text", broken)
    result = run(cli, str(raw_file), "--id", "demo")
    assert result.exit_code == 1
    assert (
        result.stderr.strip()
        == f"{raw_file}: error[internal-error]: ingest failed on this document (RuntimeError: boom); "
        "please report it with the file"
    )


def test_short_gbk_with_full_width_digits_is_read(cli, tmp_path: Path) -> None:
    # charset-normalizer gives up on such a text; the everyday-character check reads it as GBK.
    raw = tmp_path / "raw.txt"
    raw.write_bytes("物业服务标准\n一、响应\n１．报修响应≤１５分钟，维修到场≤３０分钟。\n".encode("gbk"))
    result = run(cli, str(raw), "--id", "demo", "--format", "json")
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)["report"]
    assert report["encoding"] == "GB18030/GBK"
    assert [(t["metric"], t["value"], t["unit"]) for t in report["targets"]] == [
        ("repair-response-time", 15, "minute"),
        ("repair-response-time", 30, "minute"),
    ]


def test_check_of_a_file_that_does_not_exist_is_a_usage_error(cli, tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.yaml"
    result = run(cli, "--check", str(missing))
    assert result.exit_code == 2
    assert result.stderr.strip() == f"{missing}: error[missing-file]: no such file"
