"""Shared fixtures: the repository root and a scratch copy of the mini repository."""

from __future__ import annotations

import gc
import shutil
import warnings
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"


def run_in_package_copy(tmp_path: Path, edit, probe: str, *args: str):
    """Copy the package to `tmp_path`, let `edit(package_folder)` change it, run `probe` there (python -c).

    What adding a unit, a kind or a data table touches is shown this way: the probe imports the copy only.
    """
    import os
    import shutil
    import subprocess
    import sys

    package = tmp_path / "servicekb"
    shutil.copytree(ROOT / "servicekb", package, ignore=shutil.ignore_patterns("__pycache__"))
    edit(package)
    env = dict(os.environ, PYTHONPATH=str(tmp_path))
    return subprocess.run(
        [sys.executable, "-c", probe, *args], cwd=tmp_path, env=env, capture_output=True, text=True, check=False
    )


def add_after(path: Path, anchor: str, text: str) -> None:
    """Insert `text` after `anchor` in a file of the copied package (the anchor must be there)."""
    source = path.read_text(encoding="utf-8")
    assert anchor in source, f"{anchor!r} not in {path}"
    path.write_text(source.replace(anchor, anchor + text), encoding="utf-8")


# For probes run in a copy of the package: every cell of measures `m` on the grid of `ctx` that has a value,
# labelled "store period" (the probes print it as JSON for the test to compare).
CELLS_OF_MEASURES = """
def cells_of(m, ctx):
    return {
        f"{store} {label}": float(m.value[s * ctx.grid.count + p])
        for s, store in enumerate(ctx.grid.stores)
        for p, label in enumerate(ctx.grid.labels())
        if m.value[s * ctx.grid.count + p] == m.value[s * ctx.grid.count + p]
    }
"""


@pytest.fixture
def mini_repo(tmp_path: Path) -> Path:
    """A scratch repository holding the valid mini standard and its catalogues."""
    shutil.copytree(FIXTURES / "repo", tmp_path / "repo")
    return tmp_path / "repo"


SEEDS_DIR = ROOT / "sources"


@pytest.fixture(scope="session")
def seeds_present() -> Path:
    """The five source documents the repository carries (sources/); their absence is a failure, not a skip."""
    seeds = sorted(SEEDS_DIR.glob("*.txt"))
    assert len(seeds) == 5, f"expected the five seeds in {SEEDS_DIR}"
    return SEEDS_DIR


@pytest.fixture(scope="session")
def spark():
    """One local Spark session for the whole run (a JVM takes seconds to start); `make test` installs Java, PySpark."""
    from servicekb.compliance.spark import start_spark

    session = start_spark("local[2]", timeout=180)
    yield session
    session.stop()


@pytest.fixture
def spark_sockets():
    """Collect the sockets PySpark 4.0 leaves to the garbage collector, in the test that used them.

    PySpark never closes the local socket a collected result arrives on
    (`pyspark.util.local_connect_and_auth`); collected later, inside another
    test, it would fail that test with an unraisable ResourceWarning.
    """
    yield
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        gc.collect()
