"""Careless use of the command line: no command destroys work, reports success on a broken knowledge base, or shows
a traceback.

Each case runs a command as a user would, in a scratch copy of the
compliance fixture (repository and data), and asserts the exit code, the
located message, and that every file that was there before is unchanged
(nothing lost) unless the command was explicitly allowed to replace it.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FIXTURES
from typer.testing import CliRunner

from servicekb.atomic import write_text_atomic
from servicekb.cli import _register, app
from servicekb.review import read_stamps, write_stamps

_register()
REPO = FIXTURES / "compliance" / "repo"
DATA = FIXTURES / "compliance" / "data"
RAW = "示例規範第1章投訴處理1.1時限投訴應在24小時內響應。\n"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    shutil.copytree(REPO, tmp_path / "repo")
    shutil.copytree(DATA, tmp_path / "data")
    (tmp_path / "raw.txt").write_text(RAW, encoding="utf-8")
    return tmp_path / "repo"


def run(repo: Path, *args: str):
    result = CliRunner().invoke(app, [*args, "--root", str(repo)])
    # an exit code, never an exception escaping the command
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert "Traceback" not in result.output
    return result


def _snapshot(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


# --- writes that used to destroy work -------------------------------------------------------------------

REFUSED_WRITES = [
    # the scorecard as CSV over the metric catalogue
    (
        ["score", "--data", "{data}", "--all-stores", "--format", "csv", "-o", "{repo}/standards/metrics.yaml"],
        "refusing to write into standards/",
    ),
    (
        [
            "score",
            "--data",
            "{data}",
            "--all-stores",
            "--format",
            "csv",
            "-o",
            "{repo}/standards/metrics.yaml",
            "--force",
        ],
        "refusing to write into standards/",
    ),
    (["score", "--data", "{data}", "--all-stores", "-o", "{repo}/stores/card.txt"], "refusing to write into stores/"),
    (["score", "--data", "{data}", "--all-stores", "-o", "{repo}/sources/card.txt"], "refusing to write into sources/"),
    # into the folder of real data
    (
        ["score", "--data", "{data}", "--all-stores", "--format", "csv", "-o", "{data}/tickets.csv", "--force"],
        "holds operational data",
    ),
    (["score", "--data", "{data}", "--all-stores", "-o", "{data}/card.txt"], "holds operational data"),
    # an existing file without --force
    (["score", "--data", "{data}", "--all-stores", "-o", "{repo}/../raw.txt"], "exists; pass --force"),
    (
        ["score", "--data", "{data}", "--all-stores", "--format", "xlsx", "-o", "{repo}/standards/card.xlsx"],
        "refusing to write into standards/",
    ),
    # synthetic tables over real data, even with --force
    (["sample-data", "--stores", "2", "--months", "1", "-o", "{data}"], "holds operational data"),
    (["sample-data", "--stores", "2", "--months", "1", "-o", "{data}", "--force"], "holds operational data"),
    (["sample-data", "--stores", "2", "--months", "1", "-o", "{repo}/standards"], "refusing to write into standards/"),
    (["sample-data", "--stores", "2", "--months", "1", "-o", "{repo}/stores"], "refusing to write into stores/"),
    (["graph", "export", "-o", "{repo}/standards/graph.json", "--format", "json"], "refusing to write into standards/"),
    (["graph", "export", "-o", "{repo}/../raw.txt"], "exists; pass --force"),
    (["book", "--generate-only", "--output", "{repo}/standards"], "refusing to write into standards/"),
]


@pytest.mark.parametrize(
    "args, message", REFUSED_WRITES, ids=[f"{a[0]}-{i}" for i, (a, _) in enumerate(REFUSED_WRITES)]
)
def test_a_write_that_would_destroy_work_is_refused_and_changes_nothing(repo, args, message):
    data, top = repo.parent / "data", repo.parent
    before = _snapshot(top)
    result = run(repo, *[a.format(repo=repo, data=data) for a in args])
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert _snapshot(top) == before


def test_score_output_replaces_its_own_file_only_with_force(repo, tmp_path):
    out = tmp_path / "card.csv"
    args = ["score", "--data", str(repo.parent / "data"), "--all-stores", "--format", "csv", "-o", str(out)]
    assert run(repo, *args).exit_code == 0
    out.write_text("edited by hand", encoding="utf-8")
    assert run(repo, *args).exit_code == 2 and out.read_text(encoding="utf-8") == "edited by hand"
    assert run(repo, *args, "--force").exit_code == 0 and out.read_text(encoding="utf-8").startswith("store_id,")
    assert not list(tmp_path.glob(".card.csv.*.tmp"))


def test_sample_data_replaces_its_own_earlier_output_only_with_force(repo, tmp_path):
    args = ["sample-data", "--stores", "2", "--months", "1", "-o", str(tmp_path / "sample")]
    assert run(repo, *args).exit_code == 0
    before = _snapshot(tmp_path / "sample")
    again = run(repo, *args, "--seed", "7")
    assert again.exit_code == 2 and "pass --force" in again.stderr
    assert _snapshot(tmp_path / "sample") == before
    assert run(repo, *args, "--seed", "7", "--force").exit_code == 0


def _curated(repo: Path) -> Path:
    path = repo / "standards" / "ops.yaml"
    assert "status: curated" in path.read_text(encoding="utf-8")
    return path


def test_ingest_never_replaces_a_curated_standard(repo):
    path = _curated(repo)
    before = path.read_bytes()
    result = run(repo, "ingest", str(repo.parent / "raw.txt"), "--id", "ops", "--force", "-o", str(path))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"{path}: error[curated]: is a curated standard")
    assert path.read_bytes() == before


def test_reingest_writes_the_draft_and_keeps_the_curated_file(repo):
    path = _curated(repo)
    before = path.read_bytes()
    result = run(repo, "ingest", str(repo.parent / "raw.txt"), "--id", "ops", "--reingest", "-o", str(path))
    assert result.exit_code == 0, result.output
    kept = list(path.parent.glob("ops.yaml.curated-*.bak"))
    assert len(kept) == 1 and kept[0].read_bytes() == before
    assert "status: draft" in path.read_text(encoding="utf-8")


@pytest.mark.parametrize("folder", ["stores", "sources"])
def test_ingest_refuses_to_write_a_draft_into_stores_or_sources(repo, folder):
    (repo / folder).mkdir(exist_ok=True)
    result = run(repo, "ingest", str(repo.parent / "raw.txt"), "--id", "draft", "-o", str(repo / folder / "draft.yaml"))
    assert result.exit_code == 2 and "error[protected-folder]" in result.stderr
    assert not (repo / folder / "draft.yaml").exists()


def test_ingest_refuses_a_draft_that_validate_would_refuse_as_too_large(repo, monkeypatch, tmp_path):
    monkeypatch.setattr("servicekb.cli.ingest_cmd.MAX_BYTES", 200)
    result = run(repo, "ingest", str(repo.parent / "raw.txt"), "--id", "draft", "-o", str(tmp_path / "draft.yaml"))
    assert result.exit_code == 1 and "error[too-large]" in result.stderr
    assert not (tmp_path / "draft.yaml").exists()


def test_a_killed_writer_leaves_no_temporary_file_behind_the_next_write(tmp_path):
    target = tmp_path / "out.yaml"
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True, check=True
    )
    orphan = tmp_path / f".out.yaml.{dead.stdout.strip()}.abcd.tmp"  # what SIGKILL mid-write leaves
    orphan.write_text("half", encoding="utf-8")
    live = tmp_path / f".out.yaml.{os.getppid()}.efgh.tmp"  # a writer still running: not ours to remove
    live.write_text("busy", encoding="utf-8")
    write_text_atomic(target, "done\n")
    assert target.read_text(encoding="utf-8") == "done\n"
    assert not orphan.exists() and live.exists()


def _stamp(args) -> None:
    root, i, barrier = args
    barrier.wait()
    write_stamps(Path(root), {f"alpha#{i}.a": {"alpha#1.a": f"{i:016x}"}})


def test_concurrent_reviewers_keep_every_stamp(tmp_path):
    shutil.copytree(FIXTURES / "review" / "repo", tmp_path / "repo")
    root = tmp_path / "repo"
    ctx = multiprocessing.get_context("fork")
    barrier = ctx.Barrier(20)
    workers = [ctx.Process(target=_stamp, args=((str(root), i, barrier),)) for i in range(20)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(60)
    assert all(w.exitcode == 0 for w in workers)
    stamps, issues = read_stamps(root)
    assert issues == []
    assert sorted(stamps.entries) == sorted(f"alpha#{i}.a" for i in range(20))


# --- usage errors: exit 2, never "0 files checked" -----------------------------------------------------------


@pytest.mark.parametrize(
    "args, message",
    [
        (["validate", "--root", "/nonexistent-servicekb-root"], "no such folder"),
        (["score", "--data", "x", "--all-stores", "--root", "/nonexistent-servicekb-root"], "no such folder"),
        (["search", "投诉", "--root", "{empty}"], "holds no standards/ folder"),
        (["validate", "--root", "{empty}"], "holds no standards/ folder"),
        (["validate", "{repo}/standards/nope.yaml", "--root", "{repo}"], "no such file or folder"),
    ],
)
def test_a_wrong_path_is_a_usage_error(repo, tmp_path, args, message):
    (tmp_path / "empty").mkdir()
    result = CliRunner().invoke(app, [a.format(repo=repo, empty=tmp_path / "empty") for a in args])
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert "0 files checked" not in result.output


# --- every command that reads the corpus validates it first ---------------------------------------------------

BROKEN = [
    # the metric catalogue reduced to `metrics: [`: the scorecard was "0 rows", exit 0
    ("standards/metrics.yaml", "metrics: [\n", "standards/metrics.yaml:2:1: error[yaml-syntax]"),
    # a syntax error in one standard: 816 rows scored instead of 936, exit 0
    ("standards/ops.yaml", "id: [ops\n", "standards/ops.yaml:2:1: error[yaml-syntax]"),
]
READERS = [
    ["score", "--data", "{data}", "--all-stores"],
    [
        "explain",
        "--profile",
        "shop-sh",
        "--data",
        "{data}",
        "--store",
        "sh1",
        "--period",
        "2026-01",
        "--metric",
        "csi-score",
    ],
    ["sample-data", "--stores", "1", "--months", "1", "-o", "{tmp}/sample"],
    ["resolve", "shop-sh"],
    ["search", "投诉"],
    ["graph", "stats"],
    ["graph", "neighbours", "csi-score"],
    ["graph", "export"],
    ["graph", "check"],
    ["stats"],
    ["book", "--generate-only"],
]


@pytest.mark.parametrize("broken, text, located", BROKEN, ids=["metrics", "standard"])
@pytest.mark.parametrize("args", READERS, ids=[" ".join(a[:2]) for a in READERS])
def test_a_command_reading_a_broken_knowledge_base_exits_1_with_the_located_error(
    repo, tmp_path, broken, text, located, args
):
    (repo / broken).write_text(text, encoding="utf-8")
    before = _snapshot(repo)
    result = run(repo, *[a.format(data=repo.parent / "data", tmp=tmp_path) for a in args])
    assert result.exit_code == 1, result.output
    assert located in result.output
    if args[:2] != ["graph", "check"]:  # a checking command: its findings are its result
        assert "rows:" not in result.stdout and "clause" not in result.stdout.split("\n")[0]  # no result printed
    assert _snapshot(repo) == before  # nothing generated from it
    assert not (tmp_path / "sample").exists()


def test_diff_impact_refuses_to_score_a_broken_revision(repo):
    after = repo.parent / "after"
    shutil.copytree(repo, after)
    (after / "standards" / "metrics.yaml").write_text("metrics: [\n", encoding="utf-8")
    result = run(repo, "diff", str(repo), str(after), "--impact", "--data", str(repo.parent / "data"), "--all-stores")
    assert result.exit_code == 1, result.output
    assert "standards/metrics.yaml:2:1: error[yaml-syntax]" in result.stderr
    assert "the impact was not scored" in result.stderr


def test_score_with_hostile_data_is_located_and_never_a_traceback(repo):
    tickets = repo.parent / "data" / "tickets.csv"
    lines = tickets.read_text(encoding="utf-8").split("\n")
    lines[2] = lines[2].replace("2026-01-31T16:30:00Z", "9999-12-31T23:59:59")
    lines[3] = lines[3].replace("feedback", '"feedback', 1)
    tickets.write_text("\n".join(lines), encoding="utf-8")
    result = run(repo, "score", "--data", str(repo.parent / "data"), "--all-stores")
    assert result.exit_code == 1
    assert "tickets.csv:3:6: error[out-of-range-time] opened_at" in result.stderr
    assert "tickets.csv:4:1: error[multiline-field]" in result.stderr
    dropped = run(repo, "score", "--data", str(repo.parent / "data"), "--all-stores", "--drop-invalid")
    assert dropped.exit_code == 0
    assert "tickets.csv: 2 of 3 rows" in dropped.stderr
