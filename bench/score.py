"""Benchmark of the compliance engine against DuckDB SQL (prints figures; not part of the test run).

Builds about 10 million tickets and 1 million survey answers for 2,000 stores
over 12 months (numpy, in memory), validates them, computes the full
scorecard with servicekb (pandas) and the same aggregations with DuckDB SQL
(`servicekb.compliance.reference`) in the same run, checks that both agree
cell by cell, and prints both times, their ratio and the peak memory.
Goals: servicekb within 2x of DuckDB; peak memory at most 4 GB.

Usage: .venv/bin/python bench/score.py [--stores 2000] [--months 12] [--tickets 10000000] [--surveys 1000000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import resource
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
_MEASURED = ["value", "n", "ci_low", "ci_high", "breaches", "pending", "worst_delay"]


def _peak_gb() -> float:
    """Peak resident memory since the last `_reset_peak` (Linux VmHWM), in GB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024**2
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2


def _reset_peak() -> None:
    """Start measuring the peak again from the current resident memory (Linux: /proc/self/clear_refs)."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        pass


def _disagreements(card, ref) -> int:
    frame = card.frame[card.frame["status"] != "not-computable"]
    merged = frame.merge(ref, on=["spec_id", "store_id", "period"], how="left", suffixes=("", "_ref"))
    bad = np.zeros(len(merged), dtype=bool)
    for col in _MEASURED:
        a = merged[col].to_numpy(dtype=np.float64)
        b = merged[f"{col}_ref"].to_numpy(dtype=np.float64)
        # Cells without any row are absent from the SQL result: there the scorecard has n = 0 and nothing else.
        absent = np.isnan(merged["n_ref"].to_numpy(dtype=np.float64))
        b = np.where(absent & (col in ("n", "breaches", "pending")), np.where(np.isnan(a), np.nan, 0.0), b)
        bad |= ~np.isclose(a, b, rtol=1e-9, atol=1e-9, equal_nan=True)
    return int(bad.sum())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stores", type=int, default=2000)
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--tickets", type=int, default=10_000_000)
    parser.add_argument("--surveys", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    from servicekb.compliance.data import validate_frames
    from servicekb.compliance.reference import compute_reference
    from servicekb.compliance.sample import generate_sample, make_sample_stores
    from servicekb.compliance.scorecard import score_stores
    from servicekb.compliance.targets import find_profile_timezones
    from servicekb.loader import load_corpus

    corpus = load_corpus(ROOT, check=False).corpus
    zones, abstract, _ = find_profile_timezones(corpus, dt.date.today())
    profiles = [
        (p, zones[p], corpus.stores[p].format is not None and corpus.stores[p].format.value == "online")
        for p in sorted(zones)
    ]
    cells = args.stores * args.months
    t0 = time.perf_counter()
    tables = generate_sample(
        make_sample_stores(args.stores, profiles), args.months, args.seed,
        tickets_per_store_month=args.tickets / cells, surveys_per_store_month=args.surveys / cells,
    )  # fmt: skip
    t_gen = time.perf_counter() - t0
    print(
        f"generated {len(tables['tickets']):,} tickets, {len(tables['surveys']):,} survey answers, {len(tables['training']):,} training rows for {args.stores:,} stores x {args.months} months in {t_gen:.1f} s"
    )

    print(f"peak memory while generating: {_peak_gb():.2f} GB")
    _reset_peak()
    t0 = time.perf_counter()
    ds = validate_frames(tables, zones, abstract)
    t_valid = time.perf_counter() - t0
    print(f"validation (types, pandera rules): {t_valid:.1f} s, {ds.errors} errors")
    del tables

    stores = sorted(ds.stores["store_id"])
    t0 = time.perf_counter()
    card = score_stores(corpus, ds, stores, "month")
    t_pandas = time.perf_counter() - t0
    print(f"servicekb scorecard (placement + every target): {t_pandas:.2f} s, {len(card.frame):,} rows {card.counts()}")
    peak_servicekb = _peak_gb()
    _reset_peak()

    t0 = time.perf_counter()
    ref = compute_reference(card)
    t_duck = time.perf_counter() - t0
    print(f"DuckDB SQL, same aggregations (placement + every target): {t_duck:.2f} s, {len(ref):,} cells")

    wrong = _disagreements(card, ref)
    print(f"agreement: {'all cells agree' if wrong == 0 else f'{wrong} rows DISAGREE'}")
    print(f"ratio servicekb / DuckDB: {t_pandas / t_duck:.2f}  (goal <= 2)")
    print(f"peak memory, validation + scoring (the generated frames included): {peak_servicekb:.2f} GB  (goal <= 4 GB)")
    print(f"peak memory, DuckDB reference: {_peak_gb():.2f} GB")


if __name__ == "__main__":
    main()
