"""Synthetic corpus generator for the benchmarks (not part of the test run).

`write_corpus(folder, n_standards, clauses_per_standard)` writes a repository
layout (standards/*.yaml with the metric and citation catalogues) whose size
and shape resemble the real corpus scaled up: chapters, sections, clauses with
targets on shared metrics, citations and cross-references.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
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


if __name__ == "__main__":
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/servicekb-synth")
    print(f"{write_corpus(out)} clauses written to {out}")
