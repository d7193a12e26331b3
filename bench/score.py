"""Scoring benchmark: servicekb on DuckDB, a hand-written DuckDB baseline and pandas, side by side (prints figures).

On the same Parquet data (bench/synth.py: tickets, surveys, store_periods,
training and stores of S stores over 5 years, one in twenty a Paris counter
in a daylight-saving zone; generated once under /work/data/bench/<size> and
reused), in one process and one after the other, for each size:

- the baseline (bench/baseline.sql): one hand-written query, one scan per
  table straight from the files, every target as a conditional aggregate;
- servicekb on DuckDB, when this tree has it: read + validate + score, and
  the scoring alone;
- pandas as servicekb scored until now (read + validate, then score),
  up to --pandas-max tickets.

For each it prints the wall time, what the time includes, the peak resident
memory of the run (reset before each), the ratio to the baseline, and
whether its figures agree with the baseline cell by cell; then the growth of
each time per 10x rows. The knowledge base is the repository's plus the two
benchmark profiles (bench/profiles), so a working-day deadline is scored.

Usage: python bench/score.py [--sizes 1M] [--pandas-max 10M] [--threads N] [--data-root /work/data/bench]
(the default, 1M, takes well under a minute once the data exist; --sizes 1M,10M,100M for the full run)
"""

from __future__ import annotations

import argparse
import ctypes
import datetime as dt
import gc
import os
import platform
import resource
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(ROOT), str(HERE)]

from baseline import compare, load_zones, run_baseline, target_key  # noqa: E402
from synth import DATA_ROOT, label_count, parse_count, write_bench_kb, write_operational  # noqa: E402

AS_OF = "2026-12-31T23:59:59"
YEARS, START_YEAR = 5, 2022


def _peak_gb() -> float:
    """Peak resident memory since the last `_reset_peak` (Linux VmHWM), in GB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024**2
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2


def _rss_gb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024**2
    return float("nan")


def _reset_peak() -> float:
    """Free what can be freed, start measuring the peak again (Linux: /proc/self/clear_refs); the resident GB now."""
    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        pass
    return _rss_gb()


def _machine() -> str:
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024**3
    return f"{model}, {os.cpu_count()} cores, {mem:.0f} GB RAM, Python {platform.python_version()}"


def _cpu() -> float:
    """CPU seconds of this process so far, every thread (user + system)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


@dataclass
class Run:
    """One measured run: who, what the time includes, seconds, peak GB, and the agreement with the baseline."""

    who: str
    includes: str
    seconds: float
    peak_gb: float
    cpu: float = float("nan")
    agreement: str = ""


@dataclass
class Size:
    label: str
    tickets: int
    runs: list[Run] = field(default_factory=list)
    printed: int = 0


def _servicekb_duckdb(corpus, zones, abstract, claims, data: Path, store_ids: list[str]):
    """servicekb on DuckDB as `servicekb score` runs it: (card, read + validate s, (score s, score CPU s)).

    The files are read and validated in DuckDB (`compliance.duckdata`), then the metric-kind registry scores.
    """
    from servicekb.compliance.duckdata import read_folder
    from servicekb.compliance.scorecard import score_stores

    t0 = time.perf_counter()
    with read_folder(data, zones, abstract, claims=claims) as opened:
        if not opened.ok:
            raise SystemExit(f"{data}: the data do not validate ({opened.errors} errors)")
        t_read = time.perf_counter() - t0
        t0, c0 = time.perf_counter(), _cpu()
        card = score_stores(corpus, opened.relations(), store_ids, "month", AS_OF)
        t_score, c_score = time.perf_counter() - t0, _cpu() - c0
    return card, t_read, (t_score, c_score)


def _pandas(corpus, zones, abstract, claims, data: Path, store_ids: list[str]):
    """pandas as servicekb scored until the registry engine: read_dataset, then the numpy interpreter (tests/oracle)."""
    from servicekb.compliance.data import read_dataset

    sys.path.insert(0, str(ROOT / "tests"))
    import oracle

    t0 = time.perf_counter()
    ds = read_dataset(data, zones, abstract, claims=claims)
    t_read = time.perf_counter() - t0
    if not ds.ok:
        raise SystemExit(f"{data}: the data do not validate ({ds.errors} errors)")
    t0, c0 = time.perf_counter(), _cpu()
    measures = oracle.score(ds, corpus, store_ids, "month", AS_OF)
    return measures, t_read, (time.perf_counter() - t0, _cpu() - c0)


def _agreement_text(agreement) -> str:
    text = (
        f"{agreement.agreeing:,} of {agreement.rows:,} scorecard rows agree "
        f"({agreement.values_agreeing:,} of {agreement.values:,} values)"
    )
    if agreement.missing_targets:
        text += f"; targets without a baseline column: {', '.join(agreement.missing_targets)}"
    if agreement.examples:
        text += "; e.g. " + "; ".join(agreement.examples[:3])
    return text


def _num(x: float, width: int) -> str:
    return f"{x:{width}.2f}" if x == x else " " * width


def measure_size(label: str, tickets: int, args, kb: Path, corpus, zones, abstract, claims) -> Size:
    """Every engine on one size; prints as it goes."""
    import pyarrow.parquet as pq

    stores = max(1, tickets // 50_000)
    data = args.data_root / label
    t0 = time.perf_counter()
    manifest = write_operational(data, tickets, stores, YEARS, START_YEAR, progress=None)
    made = time.perf_counter() - t0
    rows = manifest["rows"]
    store_ids = sorted(pq.read_table(data / "stores.parquet").column("store_id").to_pylist())
    zone_of = load_zones(kb, data)
    paris = sum(1 for z in zone_of.values() if z == "Europe/Paris")
    size_gb = sum(p.stat().st_size for p in data.glob("*.parquet")) / 1024**3
    generated = f" (generated now, {made:.0f} s)" if made > 5 else ""
    print(
        f"\n== {label}: {rows['tickets']:,} tickets, {rows['surveys']:,} survey answers, {rows['store_periods']:,} "
        f"store-months, {rows['training']:,} training rows; {stores:,} stores ({paris} in Europe/Paris) x {YEARS} "
        f"years; {size_gb:.2f} GB of Parquet in {data}{generated}"
    )
    print(f"   as of {AS_OF} (each store's local time); load average before: {_load()}")
    print(f"   {'who':<34} {'time includes':<40} {'wall s':>8} {'x base':>7} {'cpu s':>8} {'x base':>7} {'peak GB':>8}")
    size = Size(label, rows["tickets"])

    base_rss, cpu = _reset_peak(), _cpu()
    run = run_baseline(data, zone_of, AS_OF, first_year=START_YEAR - 1, threads=args.threads)
    size.runs.append(
        Run("baseline (hand-written DuckDB SQL)", "read Parquet + score", run.seconds, _peak_gb() - base_rss,
            _cpu() - cpu)
    )  # fmt: skip
    baseline = run.frame
    cells = len(baseline)
    _report(size, len(size.runs))

    base_rss, cpu = _reset_peak(), _cpu()
    card, t_read, (t_score, c_score) = _servicekb_duckdb(corpus, zones, abstract, claims, data, store_ids)
    peak, cpu = _peak_gb() - base_rss, _cpu() - cpu
    keys = {t.spec_id: target_key(t) for t in card.targets.specs}
    rows = card.frame[["spec_id", "store_id", "period", "status"]]
    text = _agreement_text(compare(card.frame, baseline, keys))
    size.runs.append(Run("servicekb on DuckDB", "read + validate in DuckDB + score", t_read + t_score, peak, cpu, text))
    size.runs.append(Run("servicekb on DuckDB", "score only", t_score, float("nan"), c_score))
    del card
    _report(size, len(size.runs))

    if tickets <= args.pandas_max:
        base_rss, cpu = _reset_peak(), _cpu()
        measures, t_read, (t_score, c_score) = _pandas(corpus, zones, abstract, claims, data, store_ids)
        peak, cpu = _peak_gb() - base_rss, _cpu() - cpu
        # The oracle measures every target on every cell; the scorecard's rows are those a store's profile has.
        scored = rows.merge(measures, on=["spec_id", "store_id", "period"], how="left")
        text = _agreement_text(compare(scored, baseline, keys))
        size.runs.append(
            Run("pandas (numpy interpreter)", "read + validate + score", t_read + t_score, peak, cpu, text)
        )
        size.runs.append(Run("pandas (numpy interpreter)", "score only", t_score, float("nan"), c_score))
        del measures, scored
    _report(size, len(size.runs))
    print(f"   {cells:,} store-months in the baseline's result; load average after: {_load()}", flush=True)
    return size


def _report(size: Size, upto: int) -> None:
    """Print the runs of a size not printed yet (up to `upto`), each as soon as it is measured."""
    base, base_cpu = size.runs[0].seconds, size.runs[0].cpu
    for r in size.runs[size.printed : upto]:
        print(
            f"   {r.who:<34} {r.includes:<40} {_num(r.seconds, 8)} {_num(r.seconds / base, 7)} "
            f"{_num(r.cpu, 8)} {_num(r.cpu / base_cpu, 7)} {_num(r.peak_gb, 8)}",
            flush=True,
        )
        if r.agreement:
            print(f"      figures vs baseline: {r.agreement}", flush=True)
    size.printed = max(size.printed, upto)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1M", help="comma-separated ticket counts: 1M, 10M, 100M (default 1M)")
    parser.add_argument("--pandas-max", default="10M", help="largest size pandas is run on (default 10M)")
    parser.add_argument("--threads", type=int, default=None, help="DuckDB threads (default: every core)")
    parser.add_argument("--data-root", type=Path, default=DATA_ROOT, help="where the data are (re)used")
    args = parser.parse_args()
    args.pandas_max = parse_count(args.pandas_max)

    from servicekb.compliance.targets import find_data_claims, find_profile_timezones
    from servicekb.loader import load_corpus

    print(f"machine: {_machine()}; {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC")
    print(
        "wall s: elapsed time; cpu s: CPU time of this process, every thread (steadier than wall time when other "
        "jobs share the cores: see the load averages); peak GB: peak resident memory of the run above what was "
        "resident before it"
    )
    kb = write_bench_kb(args.data_root / "kb")
    corpus = load_corpus(kb, check=False).corpus
    zones, abstract, _ = find_profile_timezones(corpus, dt.date.today())
    claims = find_data_claims(corpus)
    sizes = []
    for text in args.sizes.split(","):
        n = parse_count(text)
        sizes.append(measure_size(label_count(n), n, args, kb, corpus, zones, abstract, claims))
    if len(sizes) > 1:
        print("\n== growth of the time per 10x rows (linear: 10x)")
        for i in range(1, len(sizes)):
            a, b = sizes[i - 1], sizes[i]
            factor = b.tickets / a.tickets
            for ra in a.runs:
                rb = next((r for r in b.runs if (r.who, r.includes) == (ra.who, ra.includes)), None)
                if rb is None or not (ra.seconds == ra.seconds and rb.seconds == rb.seconds):
                    continue
                print(
                    f"   {a.label} -> {b.label} ({factor:.1f}x rows) {ra.who}, {ra.includes}: "
                    f"{rb.seconds / ra.seconds:.1f}x wall, {rb.cpu / ra.cpu:.1f}x cpu"
                )


if __name__ == "__main__":
    main()
