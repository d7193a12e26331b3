"""`servicekb ingest`: output, --force, atomic writes, clear errors, and a snapshot per seed.

Set SERVICEKB_UPDATE_SNAPSHOTS=1 to rewrite tests/snapshots/ingest/*.yaml after
an intended change; review the diff before committing it.
"""

from __future__ import annotations

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

RAW = "2025年示例规范_第1页\n已閱讀5頁,還剩3頁未讀\n\n下載本文檔\n\n示例規範第1章投訴處理1.1時限投訴應在24小時內響應(yīng)。\n\n溫馨提示\n\n評論\n"


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
        (None, "demo", "missing-file", 1),  # no such file
        (b"\xff\xfe\x00\x01", "demo", "not-utf8", 1),  # not UTF-8
        (b"", "demo", "empty", 1),  # empty file
        ("温馨提示\n\n评论\n".encode(), "demo", "empty", 1),  # only boilerplate
        (RAW.encode(), "Demo_Norm", "bad-id", 2),  # id not kebab-case: usage error
    ],
)
def test_bad_input_gives_one_clear_line(cli, tmp_path: Path, content: bytes | None, standard_id: str, code: str, exit_code: int) -> None:
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
    assert result.stdout == snapshot.read_text(encoding="utf-8"), f"{snapshot.name} drifted: review, then SERVICEKB_UPDATE_SNAPSHOTS=1"
