"""Shared fixtures: the repository root and a scratch copy of the mini repository."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"


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
