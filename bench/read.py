"""Benchmark: read and validate a data folder in DuckDB, out of core (not part of the test run).

Reads the Parquet folders of the score benchmark (`/work/data/bench/<N>/`,
written by `bench/synth.py data --tickets N`: tickets, surveys,
store_periods, training, stores) with `compliance.duckdata.read_folder`,
which runs every validation rule in SQL, and prints, per size, the time of
reading and validating (file scan, type checks, allowed values, ranges,
known stores, unique ids, the zone join) and the peak memory (RSS) of the
process that did it. Each size runs in a fresh process, so one size's
memory does not hide another's. CPU seconds (user + system) are printed
beside the elapsed time: on a shared machine they say more than the clock.

The stores' timezones: profiles whose id names Paris are in Europe/Paris,
the others in Asia/Shanghai (the timestamps of the benchmark data carry
their offset; only timestamps without one go through the zone join).

    python bench/read.py [--sizes 10M 100M] [--memory-limit 2GB] [--data /work/data/bench]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _profiles(folder: Path) -> dict[str, str]:
    import pyarrow.parquet as pq

    stores = folder / "stores.parquet"
    names = set(pq.read_table(stores, columns=["profile"]).column("profile").to_pylist()) if stores.exists() else set()
    return {p: "Europe/Paris" if "paris" in p else "Asia/Shanghai" for p in names}


def measure(folder: Path, memory_limit: str, threads: int | None) -> dict:
    """Read and validate `folder` in this process: seconds, peak RSS, rows and problems."""
    sys.path.insert(0, str(ROOT))
    from servicekb.compliance.duckdata import read_folder

    start = time.perf_counter()
    with read_folder(
        folder, _profiles(folder), display=folder.name, memory_limit=memory_limit, threads=threads
    ) as read:
        seconds = time.perf_counter() - start
        counts = read.count_problems()
        rows = dict(read.rows_read)
        ok = read.ok
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return {
        "seconds": round(seconds, 1),
        "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 1),
        "peak_rss_mb": round(usage.ru_maxrss / 1024),
        "rows": rows,
        "problems": counts,
        "ok": ok,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", default=["10M", "100M"])
    parser.add_argument("--data", type=Path, default=Path("/work/data/bench"))
    parser.add_argument("--memory-limit", default="2GB")
    parser.add_argument("--threads", type=int, default=None)
    parser.add_argument("--one", type=Path, help=argparse.SUPPRESS)  # measure one folder in this process
    args = parser.parse_args()
    if args.one is not None:
        print(json.dumps(measure(args.one, args.memory_limit, args.threads)))
        return
    print(f"read + validate in DuckDB (memory_limit {args.memory_limit}), one fresh process per size")
    print(
        f"{'size':>6} {'tickets':>13} {'rows, all tables':>17} {'seconds':>8} {'CPU s':>7} {'peak RSS':>10}"
        f" {'M rows/s':>9}  ok"
    )
    for size in args.sizes:
        folder = args.data / size
        if not (folder / "tickets.parquet").exists():
            print(f"{size:>6} no data in {folder}: run `python bench/synth.py data --tickets {size} -o {folder}`")
            continue
        cmd = [sys.executable, __file__, "--one", str(folder), "--memory-limit", args.memory_limit]
        if args.threads:
            cmd += ["--threads", str(args.threads)]
        done = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            print(
                f"{size:>6} failed: {done.stderr.strip().splitlines()[-1] if done.stderr.strip() else done.returncode}"
            )
            continue
        result = json.loads(done.stdout.strip().splitlines()[-1])
        total = sum(result["rows"].values())
        rate = total / result["seconds"] / 1e6 if result["seconds"] else 0.0
        print(
            f"{size:>6} {result['rows'].get('tickets', 0):>13,} {total:>17,} {result['seconds']:>8.1f}"
            f" {result['cpu_seconds']:>7.1f} {result['peak_rss_mb']:>7,} MB {rate:>9.2f}  {result['ok']}"
        )
        if result["problems"]:
            print(f"       problems: {result['problems']}")


if __name__ == "__main__":
    main()
