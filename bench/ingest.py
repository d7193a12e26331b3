"""Time `servicekb ingest` on the largest seed (goal: at most 2 s). A script, not a test.

Usage: python bench/ingest.py [SOURCES_DIR]   (default: sources/ of the repository)
Prints the cold time (first run in this process: imports, OpenCC dictionaries)
and the best of five warm runs.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

GOAL_SECONDS = 2.0


def main() -> int:
    root = Path(__file__).resolve().parents[1]
    seeds = Path(sys.argv[1]) if len(sys.argv) > 1 else root / "sources"
    files = sorted(seeds.glob("*.txt"), key=lambda p: p.stat().st_size)
    if not files:
        print(f"{seeds}: no seed files", file=sys.stderr)
        return 1
    largest = files[-1]
    raw = largest.read_text(encoding="utf-8")

    import yaml

    from servicekb.models import CitationCatalogue, MetricCatalogue

    metrics = MetricCatalogue.model_validate(yaml.safe_load((root / "standards" / "metrics.yaml").read_text(encoding="utf-8")))
    citations = CitationCatalogue.model_validate(yaml.safe_load((root / "standards" / "citations.yaml").read_text(encoding="utf-8")))

    start = time.perf_counter()
    from servicekb.ingest import ingest_text, render_yaml

    render_yaml(ingest_text(raw, "bench", largest.name, metrics, citations).standard)
    cold = time.perf_counter() - start
    warm = []
    for _ in range(5):
        start = time.perf_counter()
        render_yaml(ingest_text(raw, "bench", largest.name, metrics, citations).standard)
        warm.append(time.perf_counter() - start)
    best = min(warm)
    verdict = "ok" if cold <= GOAL_SECONDS else "over goal"
    print(f"{largest.name} ({len(raw)} chars): cold {cold:.2f} s, warm best {best:.2f} s, goal {GOAL_SECONDS:.1f} s: {verdict}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
