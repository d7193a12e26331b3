"""The command line: help everywhere, exit codes 0/1/2, JSON output, no tracebacks."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest
import typer
from conftest import FIXTURES
from typer.testing import CliRunner

from servicekb.cli import _register, app

_register()
runner = CliRunner()


def _commands(group: typer.Typer, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    out = [(*prefix, c.name or c.callback.__name__.replace("_", "-")) for c in group.registered_commands]
    for sub in group.registered_groups:
        out += [(*prefix, sub.name)] + _commands(sub.typer_instance, (*prefix, sub.name))
    return out


@pytest.mark.parametrize("command", _commands(app), ids=lambda c: " ".join(c))
def test_every_command_has_help(command):
    result = runner.invoke(app, [*command, "--help"])
    assert result.exit_code == 0 and "Usage" in result.output


def test_validate_exit_codes_and_messages(mini_repo):
    ok = runner.invoke(app, ["validate", "--root", str(mini_repo)])
    assert ok.exit_code == 0 and "0 errors" in ok.output
    shutil.copy(FIXTURES / "invalid" / "unit-mismatch.yaml", mini_repo / "standards")
    bad = runner.invoke(app, ["validate", "--root", str(mini_repo)])
    assert bad.exit_code == 1
    assert (
        "standards/unit-mismatch.yaml:16:74: error[unit-mismatch] sections[0].clauses[0].targets[0].unit:" in bad.output
    )
    assert bad.output.strip().splitlines()[-1].endswith("1 error, 0 warnings")


def test_strict_fails_on_warnings(mini_repo):
    std = mini_repo / "standards" / "mini.yaml"
    std.write_text(std.read_text(encoding="utf-8").replace("status: curated", "status: draft"), encoding="utf-8")
    assert runner.invoke(app, ["validate", "--root", str(mini_repo)]).exit_code == 0
    strict = runner.invoke(app, ["validate", "--strict", "--root", str(mini_repo)])
    assert strict.exit_code == 1 and "warning[draft-standard]" in strict.output


def test_validate_json(mini_repo):
    shutil.copy(FIXTURES / "invalid" / "dangling-metric.yaml", mini_repo / "standards")
    result = runner.invoke(app, ["validate", "--format", "json", "--root", str(mini_repo)])
    data = json.loads(result.output)
    assert result.exit_code == 1
    assert data["issues"][0] | {"message": None} == {
        "file": "standards/dangling-metric.yaml",
        "line": 16,
        "col": 16,
        "code": "dangling-reference",
        "path": "sections[0].clauses[0].targets[0].metric",
        "level": "error",
        "value": "complaint-reply-speed",
        "message": None,
    }


def test_usage_error_exits_2():
    result = runner.invoke(app, ["validate", "--format", "xml"])
    assert result.exit_code == 2


def test_console_script_runs_without_traceback(mini_repo):
    (mini_repo / "standards" / "broken.yaml").write_bytes(b"\x00\xff\xfe garbage")
    proc = subprocess.run(
        [sys.executable, "-m", "servicekb", "validate", "--root", str(mini_repo)], capture_output=True, text=True
    )
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr + proc.stdout
    assert "standards/broken.yaml:1:2: error[not-utf8]" in proc.stdout


def test_readme_documents_every_data_column():
    # Column names are a public interface: the README lists every one of them.
    from servicekb.compliance import describe_columns

    readme = (FIXTURES.parents[1] / "README.md").read_text(encoding="utf-8")
    missing = [
        f"{r['table']}.{r['column']}"
        for r in describe_columns()
        if f"| `{r['table']}` | `{r['column']}` |" not in readme
    ]
    assert missing == []


def test_validate_bounds_a_flood_of_one_kind_and_counts_the_rest(mini_repo):
    # 300 clauses citing a missing clause: a few are shown, the rest counted, the summary counts all.
    from servicekb.cli import _register, app

    _register()
    clauses = "".join(
        f"  - id: flood#1.c{k}\n    text: 见另一条。\n    kind: informative\n    modality: none\n    stage: general\n"
        f"    references: [flood#9.z]\n    provenance: {{seed: flood.txt, quote: 见另一条}}\n"
        for k in range(300)
    )
    (mini_repo / "standards" / "flood.yaml").write_text(
        "id: flood\ntitle: {zh: 洪水, en: Flood}\nstatus: curated\nsource: {seed: flood.txt, title: 洪水}\n"
        'sections:\n- number: "1"\n  title: {zh: 一, en: One}\n  clauses:\n' + clauses,
        encoding="utf-8",
    )
    result = CliRunner().invoke(app, ["validate", "--root", str(mini_repo), "--max-issues", "5"])
    lines = result.stdout.splitlines()
    assert result.exit_code == 1
    assert sum("error[dangling-reference]" in line for line in lines) == 5
    assert "… and 295 more dangling-reference" in lines
    assert ": 300 errors, 0 warnings" in lines[-1]
