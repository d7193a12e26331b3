"""Benchmark of `servicekb validate` (prints figures; not part of the test run).

1. The real corpus, as a whole process including interpreter start (goal: at most 1 s wall).
2. Synthetic corpora of 5,000 and 50,000 clauses (goal: 50,000 in at most 10 s, growth close to linear).
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synth import write_corpus  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
EXE = Path(sys.executable).with_name("servicekb")


def _wall(args: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([str(EXE), *args], capture_output=True, check=False)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    real = _wall(["validate", "--root", str(ROOT)], 5)
    print(f"validate real corpus (whole process, median of 5): {real:.2f} s  (goal <= 1 s)")
    figures = {}
    with tempfile.TemporaryDirectory() as tmp:
        for n_standards in (10, 100):
            folder = Path(tmp) / f"c{n_standards}"
            clauses = write_corpus(folder, n_standards, 500)
            figures[clauses] = _wall(["validate", "--root", str(folder)], 1)
            print(f"validate {clauses:>6} synthetic clauses (whole process): {figures[clauses]:.2f} s")
    small, large = figures[5000], figures[50000]
    print(f"growth 5,000 -> 50,000 clauses: x{large / small:.1f} for x10 the clauses (goal: 50,000 <= 10 s)")


if __name__ == "__main__":
    main()
