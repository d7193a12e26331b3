"""The repository carries its own sources: byte-for-byte copies, listed in a manifest, quoted by the standards."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
import yaml
from conftest import ROOT

from servicekb.loader import load_corpus

SOURCES = ROOT / "sources"
MANIFEST = yaml.safe_load((SOURCES / "manifest.yaml").read_text(encoding="utf-8"))["sources"]


def test_manifest_lists_every_source_file_and_nothing_else():
    listed = sorted(entry["file"] for entry in MANIFEST)
    on_disk = sorted(p.name for p in SOURCES.glob("*.txt"))
    assert listed == on_disk
    assert len(listed) == 5


def test_every_source_is_unchanged_since_it_was_received():
    changed = [
        e["file"] for e in MANIFEST if hashlib.sha256((SOURCES / e["file"]).read_bytes()).hexdigest() != e["sha256"]
    ]
    assert changed == []


def test_every_standard_names_its_source_in_the_manifest():
    corpus = load_corpus(ROOT, check=False).corpus
    by_standard = {e["standard"]: e["file"] for e in MANIFEST}
    assert {sid: std.source.seed for sid, std in corpus.standards.items()} == by_standard


def test_nothing_in_the_repository_reads_outside_it():
    # A clone has nothing beside it: no code, test or build file may reach into the folder above the
    # repository (where the seeds were first handed over). The needles are built so this file holds none.
    above = "shared"
    needles = (f'/ "{above}"', f"../{above}", "parents[" + "2]")
    files = [*ROOT.glob("servicekb/**/*.py"), *ROOT.glob("tests/**/*.py"), *ROOT.glob("bench/*.py"), ROOT / "Makefile"]
    offenders = [
        str(path.relative_to(ROOT))
        for path in files
        if path.name != "test_sources.py" and any(n in path.read_text(encoding="utf-8") for n in needles)
    ]
    assert offenders == []


def test_the_run_does_not_depend_on_jiebas_bytecode(tmp_path):
    # Compiling jieba afresh (as after a copy with new timestamps) must not fail the run under
    # filterwarnings = error: its invalid escape sequences are ignored, in its files only.
    import jieba

    source = (Path(jieba.__file__)).read_text(encoding="utf-8")
    assert "\\." in source  # the escape that made the run fail
    compile(source, str(tmp_path / "site-packages" / "jieba" / "__init__.py"), "exec")


def test_invalid_escapes_elsewhere_still_fail_the_run(tmp_path):
    # The same warning from any other file is still an error under the run's filters.
    with pytest.raises((SyntaxError, DeprecationWarning, SyntaxWarning)):
        compile('x = "\\."', str(tmp_path / "servicekb" / "mine.py"), "exec")


def test_a_standard_whose_source_is_not_in_sources_is_an_error(tmp_path):
    import shutil

    from servicekb.issues import Level

    repo = tmp_path / "repo"
    for folder in ("standards", "stores", "sources"):
        shutil.copytree(ROOT / folder, repo / folder)
    (repo / "sources" / "004_9753c69c31b87c38.txt").unlink()
    found = [(i.file, i.code, i.level, i.path) for i in load_corpus(repo).issues if i.code == "source-not-found"]
    assert found == [("standards/home-furnishing-aftersales.yaml", "source-not-found", Level.error, "source.seed")]
