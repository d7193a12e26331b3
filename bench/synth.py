"""Synthetic inputs for the benchmarks (not part of the test run): corpora and operational data.

`write_corpus(folder, n_standards, clauses_per_standard)` writes a repository
layout (standards/*.yaml with the metric and citation catalogues) whose size
and shape resemble the real corpus scaled up: chapters, sections, clauses with
targets on shared metrics, citations and cross-references.

`write_bench_kb(folder)` writes the knowledge base the scoring benchmark
scores against: the repository's standards, sources and store profiles plus
the two benchmark profiles of `bench/profiles/` (a Paris counter in a
daylight-saving zone, and a Suzhou store; both bind the retail guide's
"3个工作日内解决" as a working-day deadline).

`write_operational(folder, tickets, stores, years)` writes tickets,
surveys, store_periods, training and stores as Parquet (one file per
table, one row group per chunk of stores), drawn chunk by chunk with the
sample generator (`servicekb.compliance.synthetic`: seasonality, bad stores,
PRC holidays delaying back-office work, events still open at the end of
the data), so memory stays bounded whatever the size. A finished folder
carries `.bench-manifest.json`; a folder whose manifest matches the
arguments is reused, never regenerated.

Usage:
  python bench/synth.py data --tickets 10M [--stores 200] [--years 5] [-o /work/data/bench/10M]
  python bench/synth.py corpus [FOLDER]
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
DATA_ROOT = Path("/work/data/bench")
# Stores per profile, in this order, round robin; one store in twenty is the Paris counter.
BENCH_PROFILES = ("hz-home-living", "sh-nanjing-road-flagship", "tmall-flagship-online", "bench-suzhou-mall")
PARIS_PROFILE = "bench-paris-boutique"
MANIFEST = ".bench-manifest.json"
METRICS = [
    "customer-satisfaction",
    "complaint-resolution-time",
    "complaint-first-response-time",
    "consultation-response-time",
    "complaint-rate",
    "repair-response-time",
    "inventory-shrinkage",
    "training-coverage",
]
UNITS = {
    "customer-satisfaction": ("percent", ">="),
    "complaint-rate": ("percent", "<="),
    "inventory-shrinkage": ("percent", "<="),
    "training-coverage": ("percent", ">="),
}
WORDS = [
    "客户",
    "投诉",
    "处理",
    "服务",
    "满意度",
    "响应",
    "门店",
    "培训",
    "陈列",
    "库存",
    "售后",
    "维修",
    "退换货",
    "咨询",
    "记录",
    "反馈",
    "质量",
    "流程",
    "标准",
    "人员",
]


def _clause(rng: random.Random, sid: str, number: str, n_clauses_total: int, n_standards: int) -> dict:
    text = "".join(rng.choice(WORDS) for _ in range(12)) + "应在24小时内完成。"
    clause = {
        "id": f"{sid}#{number}",
        "text": text,
        "kind": "requirement",
        "modality": "shall",
        "stage": rng.choice(["complaint", "after-sale", "training", "display", "general"]),
        "tags": [rng.choice(["in-store", "online", "complaint-handling"])],
        "provenance": {"seed": f"{sid}.txt", "quote": text[:20]},
    }
    if rng.random() < 0.3:
        metric = rng.choice(METRICS)
        unit, comp = UNITS.get(metric, ("hour", "<="))
        value = rng.choice([24, 48, 72]) if unit == "hour" else rng.choice([1, 5, 85, 90, 95])
        clause["targets"] = [{"metric": metric, "comparator": comp, "value": value, "unit": unit, "quote": text[-10:]}]
    if rng.random() < 0.2:
        clause["citations"] = [{"citation": f"synthetic-citation-{rng.randrange(50)}"}]
    if rng.random() < 0.1:
        other = rng.randrange(n_standards)
        clause["references"] = [f"synthetic-{other:03d}#1.1.a"]
    return clause


def write_corpus(folder: Path, n_standards: int = 100, clauses_per_standard: int = 500, seed: int = 7) -> int:
    """Write a synthetic corpus under `folder`; return the number of clauses written."""
    rng = random.Random(seed)
    std_dir = folder / "standards"
    std_dir.mkdir(parents=True, exist_ok=True)
    (std_dir / "metrics.yaml").write_text(
        (ROOT / "standards" / "metrics.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    cits = {
        "citations": [
            {
                "id": f"synthetic-citation-{i}",
                "identifier": f"GB/T {10000 + i}-2020",
                "title": f"标准{i}",
                "type": "national_standard",
            }
            for i in range(50)
        ]
    }
    (std_dir / "citations.yaml").write_text(yaml.safe_dump(cits, allow_unicode=True), encoding="utf-8")
    total = 0
    for s in range(n_standards):
        sid = f"synthetic-{s:03d}"
        chapters = []
        per_section = 5
        n_sections = max(1, clauses_per_standard // per_section)
        for c in range(max(1, n_sections // 10)):
            sections = []
            for k in range(10):
                if len(sections) + c * 10 >= n_sections:
                    break
                number = f"{c + 1}.{k + 1}"
                clauses = [_clause(rng, sid, f"{number}.{chr(97 + j)}", total, n_standards) for j in range(per_section)]
                total += len(clauses)
                sections.append({"number": number, "title": {"zh": "章节", "en": "Section"}, "clauses": clauses})
            chapters.append({"number": str(c + 1), "title": {"zh": "章", "en": "Chapter"}, "sections": sections})
        doc = {
            "id": sid,
            "title": {"zh": "合成标准", "en": "Synthetic"},
            "status": "curated",
            "source": {"seed": f"{sid}.txt", "title": "合成"},
            "sections": chapters,
        }
        (std_dir / f"{sid}.yaml").write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return total


def write_bench_kb(folder: Path) -> Path:
    """The benchmark's knowledge base under `folder`: the repository's standards, sources, stores and bench/profiles."""
    for name in ("standards", "sources", "stores"):
        target = folder / name
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(ROOT / name, target)
    for path in sorted((ROOT / "bench" / "profiles").glob("*.yaml")):
        text = path.read_text(encoding="utf-8").replace("../../schemas/", "../schemas/")
        (folder / "stores" / path.name).write_text(text, encoding="utf-8")
    schemas = folder / "schemas"
    if schemas.exists():
        shutil.rmtree(schemas)
    shutil.copytree(ROOT / "schemas", schemas)
    return folder


def parse_count(text: str) -> int:
    """`1M`, `10M`, `100M`, `500k` or a plain number."""
    t = text.strip().upper().replace("_", "")
    factor = {"K": 10**3, "M": 10**6}.get(t[-1:], 1)
    return int(float(t[:-1] if factor > 1 else t) * factor)


def label_count(n: int) -> str:
    """`1M` for 1,000,000, `500k` for 500,000, the number otherwise."""
    if n % 10**6 == 0:
        return f"{n // 10**6}M"
    if n % 10**3 == 0:
        return f"{n // 10**3}k"
    return str(n)


def bench_stores(n: int) -> list[tuple[str, str]]:
    """(store id, profile) of `n` benchmark stores: ids s00001..., never the ids the example profiles claim."""
    out, k = [], 0
    for i in range(n):
        if i % 20 == 7 or (n < 8 and i == n - 1):
            out.append((f"s{i + 1:05d}", PARIS_PROFILE))
        else:
            out.append((f"s{i + 1:05d}", BENCH_PROFILES[k % len(BENCH_PROFILES)]))
            k += 1
    return out


def _arrow_schemas():
    import pyarrow as pa

    ts = pa.timestamp("us", tz="UTC")
    text = pa.string()
    return {
        "tickets": pa.schema(
            [("ticket_id", text), ("store_id", text), ("kind", text), ("severity", text), ("channel", text),
             ("opened_at", ts), ("first_response_at", ts), ("resolved_at", ts), ("in_warranty", pa.bool_()),
             ("category", text)]
        ),
        "surveys": pa.schema(
            [("response_id", text), ("store_id", text), ("answered_at", ts), ("topic", text),
             ("csat_score", pa.int64()), ("nps_score", pa.int64())]
        ),
        "store_periods": pa.schema(
            [("store_id", text), ("period", text)]
            + [(c, pa.float64()) for c in (
                "visitors", "display_zone_visitors", "transactions", "inventory_book_value",
                "inventory_counted_value", "display_cost", "total_cost", "staff_count", "staff_trained")]
        ),
        "training": pa.schema(
            [("employee_id", text), ("store_id", text), ("session_date", pa.date32()), ("hours", pa.float64())]
        ),
        "stores": pa.schema([("store_id", text), ("profile", text)]),
    }  # fmt: skip


def _to_arrow(name: str, frame, schema, first_id: int):
    import numpy as np
    import pandas as pd
    import pyarrow as pa

    frame = frame.copy()
    key = {"tickets": ("ticket_id", "T"), "surveys": ("response_id", "R")}.get(name)
    if key is not None:
        frame[key[0]] = key[1] + pd.Series(np.arange(first_id, first_id + len(frame)), index=frame.index).astype(str)
    if name == "training":
        frame["session_date"] = frame["session_date"].dt.date
    if name == "surveys":
        frame["csat_score"] = frame["csat_score"].astype("int64")
        frame["nps_score"] = frame["nps_score"].astype("int64")
    for col in frame.columns:
        if isinstance(frame[col].dtype, pd.CategoricalDtype):
            frame[col] = frame[col].astype(object).where(frame[col].notna(), None)
    return pa.Table.from_pandas(frame[schema.names], schema=schema, preserve_index=False)


def _manifest(tickets: int, stores: int, years: int, start_year: int, seed: int) -> dict:
    return {"tickets": tickets, "stores": stores, "years": years, "start_year": start_year, "seed": seed, "version": 1}


def find_operational(folder: Path, tickets: int, stores: int, years: int, start_year: int = 2022, seed: int = 7):
    """The manifest of a finished folder generated with these arguments, or None."""
    path = folder / MANIFEST
    if not path.is_file():
        return None
    found = json.loads(path.read_text(encoding="utf-8"))
    wanted = _manifest(tickets, stores, years, start_year, seed)
    return found if all(found.get(k) == v for k, v in wanted.items()) else None


def write_operational(
    folder: Path,
    tickets: int,
    stores: int,
    years: int = 5,
    start_year: int = 2022,
    seed: int = 7,
    chunk_tickets: int = 1_000_000,
    progress=None,
) -> dict:
    """Write about `tickets` tickets (and a tenth as many survey answers) for `stores` stores over `years` years.

    Reuses the folder when its manifest matches; returns the manifest (row counts per table included).
    """
    import pyarrow.parquet as pq

    from servicekb.compliance.synthetic import SampleStore, generate_sample

    found = find_operational(folder, tickets, stores, years, start_year, seed)
    if found is not None:
        return found
    folder.mkdir(parents=True, exist_ok=True)
    (folder / MANIFEST).unlink(missing_ok=True)
    months = 12 * years
    per_cell = tickets / (stores * months)
    per_chunk = max(1, round(chunk_tickets / (per_cell * months)))
    zone = {PARIS_PROFILE: "Europe/Paris"}
    online = {"tmall-flagship-online"}
    everyone = [
        SampleStore(sid, pid, zone.get(pid, "Asia/Shanghai"), pid in online) for sid, pid in bench_stores(stores)
    ]
    schemas = _arrow_schemas()
    writers = {
        name: pq.ParquetWriter(folder / f"{name}.parquet.part", schema, compression="zstd")
        for name, schema in schemas.items()
    }
    counts = dict.fromkeys(schemas, 0)
    t0 = time.perf_counter()
    try:
        for c, lo in enumerate(range(0, stores, per_chunk)):
            part = everyone[lo : lo + per_chunk]
            tables = generate_sample(
                part, months, seed * 100_003 + c, start=f"{start_year}-01",
                tickets_per_store_month=per_cell, surveys_per_store_month=per_cell / 10,
            )  # fmt: skip
            for name, frame in tables.items():
                writers[name].write_table(_to_arrow(name, frame, schemas[name], counts[name] + 1))
                counts[name] += len(frame)
            if progress is not None:
                progress(f"{lo + len(part):,}/{stores:,} stores, {counts['tickets']:,} tickets, "
                         f"{time.perf_counter() - t0:.0f} s")  # fmt: skip
    finally:
        for w in writers.values():
            w.close()
    for name in schemas:
        (folder / f"{name}.parquet.part").replace(folder / f"{name}.parquet")
    manifest = {**_manifest(tickets, stores, years, start_year, seed), "rows": counts}
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=1), encoding="utf-8")
    return manifest


def main() -> None:
    parser = argparse.ArgumentParser(description="Synthetic benchmark inputs.")
    sub = parser.add_subparsers(dest="what", required=True)
    data = sub.add_parser("data", help="operational data as Parquet")
    data.add_argument("--tickets", default="1M", help="1M, 10M, 100M ... (default 1M)")
    data.add_argument("--stores", type=int, default=None, help="default: one store per 50,000 tickets")
    data.add_argument("--years", type=int, default=5)
    data.add_argument("--seed", type=int, default=7)
    data.add_argument("-o", "--out", type=Path, default=None, help="default /work/data/bench/<tickets>")
    corpus = sub.add_parser("corpus", help="a synthetic corpus of standards")
    corpus.add_argument("folder", nargs="?", type=Path, default=Path("/tmp/servicekb-synth"))
    args = parser.parse_args()
    if args.what == "corpus":
        print(f"{write_corpus(args.folder)} clauses written to {args.folder}")
        return
    sys.path.insert(0, str(ROOT))
    n = parse_count(args.tickets)
    stores = args.stores or max(1, n // 50_000)
    out = args.out or DATA_ROOT / label_count(n)
    manifest = write_operational(out, n, stores, args.years, seed=args.seed, progress=print)
    print(f"{out}: {manifest['rows']}")


if __name__ == "__main__":
    main()
