"""Benchmark of the handbook build (not part of the test run).

Usage: .venv/bin/python bench/book.py [--workdir /tmp/servicekb-bench-book]

Copies the book's sources (configuration, hand-written pages, notebooks,
_static, standards, stores, sample data) into a scratch folder and times,
with `servicekb book` as a user runs it:

1. a cold strict build with notebook execution (no generated pages, no
   Sphinx environment, no execution cache);
2. a rebuild after editing one clause of one standard (the notebooks read
   the standards, so they run again);
3. a rebuild with nothing changed.

Goals from the issue: cold at most 120 s, rebuild at most 30 s (2 cores).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ("_config.yml", "_toc.yml", "_static", "book", "notebooks", "standards", "stores", "data")
EDITED = "standards/retail-sop.yaml"


def _copy(workdir: Path) -> Path:
    root = workdir / "repo"
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    for name in SOURCES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(
                source, root / name, ignore=shutil.ignore_patterns("generated", "_build", ".ipynb_checkpoints")
            )
        elif source.is_file():
            shutil.copy(source, root / name)
    return root


def _timed_book(root: Path) -> float:
    exe = Path(sys.executable).with_name("servicekb")
    start = time.perf_counter()
    proc = subprocess.run([str(exe), "book", "--root", str(root)], capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"the book build failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
    return elapsed


def _edit_one_clause(root: Path) -> None:
    path = root / EDITED
    text = path.read_text(encoding="utf-8")
    marker = "    text: "
    at = text.index(marker) + len(marker)
    end = text.index("\n", at)
    path.write_text(text[:end] + "（基准测试修订）" + text[end:], encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/servicekb-bench-book"))
    args = parser.parse_args()
    root = _copy(args.workdir)
    cold = _timed_book(root)
    _edit_one_clause(root)
    edited = _timed_book(root)
    unchanged = _timed_book(root)
    print(f"cold strict build with execution:  {cold:6.1f} s  (goal <= 120 s)")
    print(f"rebuild after editing one standard: {edited:6.1f} s  (goal <= 30 s)")
    print(f"rebuild with nothing changed:       {unchanged:6.1f} s")


if __name__ == "__main__":
    main()
