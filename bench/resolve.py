"""Benchmark: resolve 2,000 store profiles that extend a shared region and brand baseline.

Writes a scratch repository (the real standards plus generated profiles:
brand -> region -> 2,000 stores with varied exclusions, extra adoptions,
overrides and local clauses), loads it, and prints:

- the time to load and validate it (for context),
- the time to resolve every profile with one `Resolver` (the target: at most 5 s),
- how many times each baseline was resolved (must be once),
- the time per store when every store resolves its baselines again (no memoisation),
- the time of `check_profiles` over the whole folder.

Usage: .venv/bin/python bench/resolve.py [N_STORES] [FOLDER]
"""

from __future__ import annotations

import datetime as dt
import gc
import shutil
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from servicekb.loader import load_corpus  # noqa: E402
from servicekb.tailoring import Resolver, check_profiles  # noqa: E402
from servicekb.tailoring.resolve import Resolver as _Resolver  # noqa: E402

AS_OF = dt.date(2026, 11, 1)
COMPLAINT = {"ticket_kind": "complaint"}


def _store(i: int) -> dict:
    """One store profile; the variations touch selection, adoption, overrides and local clauses."""
    store: dict = {
        "id": f"store-{i:04d}",
        "name": f"门店{i:04d}",
        "extends": "region",
        "format": ["mall", "street", "outlet", "flagship"][i % 4],
    }
    if i % 4 == 0:
        store["exclude"] = [{"tag": "in-store"}, {"stage": "display"}]
    if i % 7 == 0:
        store["adopts"] = ["home-furnishing-aftersales"]
    overrides = []
    if i % 5 == 0:
        overrides.append(
            {
                "metric": "complaint-resolution-time",
                "population": COMPLAINT,
                "comparator": "<=",
                "value": 12 + i % 24,
                "unit": "hour",
            }
        )
    if i % 13 == 0:
        overrides.append(
            {
                "metric": "customer-satisfaction",
                "comparator": ">=",
                "value": 85,
                "unit": "percent",
                "justification": "新店开业首年。",
                "approver": "区域经理",
                "expires": "2027-06-30",
            }
        )
    if overrides:
        store["overrides"] = overrides
    if i % 10 == 0:
        store["local_clauses"] = [
            {
                "id": f"store-{i:04d}#1",
                "text": "门店咨询须在10分钟内回复。",
                "kind": "requirement",
                "modality": "must",
                "stage": "pre-sale",
                "targets": [
                    {
                        "metric": "consultation-response-time",
                        "comparator": "<=",
                        "value": 10,
                        "unit": "minute",
                        "population": {"ticket_kind": "consultation", "channels": ["phone"]},
                        "quote": "10分钟内回复",
                    }
                ],
            }
        ]
    return store


def write_repo(folder: Path, n_stores: int) -> None:
    """The real standards and a brand -> region -> n stores tree of profiles."""
    shutil.copytree(ROOT / "standards", folder / "standards")
    stores = folder / "stores"
    stores.mkdir()
    brand = {
        "id": "brand",
        "name": "品牌基线",
        "abstract": True,
        "adopts": ["apparel-retail-2025", "retail-guide"],
        "exclude": [{"tag": "statistic"}, {"tag": "research-finding"}],
    }
    region = {
        "id": "region",
        "name": "区域基线",
        "abstract": True,
        "extends": "brand",
        "region": "华东",
        "overrides": [
            {
                "metric": "complaint-first-response-time",
                "population": COMPLAINT,
                "comparator": "<=",
                "value": 12,
                "unit": "hour",
            }
        ],
    }
    for profile in (brand, region, *(_store(i) for i in range(n_stores))):
        (stores / f"{profile['id']}.yaml").write_text(
            yaml.safe_dump(profile, allow_unicode=True, sort_keys=False), encoding="utf-8"
        )


def main(n_stores: int, folder: Path) -> None:
    write_repo(folder, n_stores)
    t0 = time.perf_counter()
    result = load_corpus(folder)
    load_s = time.perf_counter() - t0
    corpus = result.corpus
    errors = [i for i in result.issues if i.level.value == "error"]
    print(f"profiles: {len(corpus.stores)} ({n_stores} stores + brand + region); clauses: {len(corpus.clauses)}")
    print(f"load + validate: {load_s:.2f} s ({len(errors)} errors)")

    calls: Counter[str] = Counter()
    original = _Resolver._resolve_one

    def counting(self, profile, parent):
        calls[profile.id] += 1
        return original(self, profile, parent)

    _Resolver._resolve_one = counting
    try:
        t0 = time.perf_counter()
        resolved = Resolver(corpus, AS_OF).resolve_all()
        shared_s = time.perf_counter() - t0
    finally:
        _Resolver._resolve_one = original
    targets = sum(len(e.targets) for e in resolved.values())
    print(
        f"resolve all {len(resolved)} profiles, baselines shared: {shared_s:.2f} s "
        f"({shared_s / len(resolved) * 1e3:.2f} ms per profile; {targets} effective targets)"
    )
    print(
        f"baseline resolutions: brand {calls['brand']}, region {calls['region']}; "
        f"most for any profile: {max(calls.values())}"
    )

    # For comparison: the same work when every store resolves its baselines again
    # (the clause index is still shared, so only the memoisation differs).
    index = Resolver(corpus, AS_OF).index
    sample = sorted(s for s in corpus.stores if s.startswith("store-"))[:500]
    gc.disable()  # as resolve_all does, so that only the memoisation differs
    t0 = time.perf_counter()
    for sid in sample:
        Resolver(corpus, AS_OF, index=index).resolve(sid)
    alone_s = time.perf_counter() - t0
    gc.enable()
    print(
        f"without sharing baselines, {len(sample)} stores: {alone_s:.2f} s "
        f"({alone_s / len(sample) * 1e3:.2f} ms per store, {alone_s / len(sample) * n_stores:.1f} s for {n_stores})"
    )

    t0 = time.perf_counter()
    issues = check_profiles(corpus, result.documents, AS_OF)
    print(f"check_profiles over the folder: {time.perf_counter() - t0:.2f} s ({len(issues)} findings)")


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    if len(sys.argv) > 2:
        main(n, Path(sys.argv[2]))
    else:
        with tempfile.TemporaryDirectory() as tmp:
            main(n, Path(tmp) / "repo")
