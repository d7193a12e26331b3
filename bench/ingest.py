"""How well and how fast `servicekb ingest` reads unseen documents. A script, not a test.

Usage: python bench/ingest.py [CORPUS_DIR] [--verbose]
    (default: tests/fixtures/ingest-corpus of the repository)

Prints, over the corpus (`NN-slug.txt` + `NN-slug.expected.yaml`):
- recall and precision of the proposed targets (a match is the same value,
  upper bound, unit and comparator with an overlapping quote), and how many
  matched targets also agree on nature, clock and population;
- the time of the whole process (`python -m servicekb ingest`, interpreter
  start and imports included) on about 10 KB and about 100 KB of raw text made
  of the corpus documents, and the warm in-process time per 100 KB.
Goals (issue 13): recall and precision >= 95 %, at most 1 s per 100 KB.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

GOAL_QUALITY = 0.95
GOAL_SECONDS_PER_100KB = 1.0


def _quality(corpus: Path, verbose: bool) -> None:
    from servicekb.ingest.evaluate import score_document
    from servicekb.loader import load_corpus
    from servicekb.models import MetricCatalogue

    metrics = MetricCatalogue(metrics=list(load_corpus(ROOT, check=False).corpus.metrics.values()))
    expected = proposed = matched = nature = clock = population = 0
    for txt in sorted(corpus.glob("*.txt")):
        exp = txt.with_name(txt.stem + ".expected.yaml")
        if not exp.is_file():
            continue
        s = score_document(txt, exp, metrics)
        expected, proposed, matched = expected + s.expected, proposed + s.proposed, matched + len(s.matched)
        for e, t in s.matched:
            nature += e.nature == t.nature.value
            clock += e.clock == (t.clock.value if t.clock else None)
            got = t.population.note or ""
            population += (e.population is None and not got) or bool(
                e.population and got and (e.population in got or got in e.population)
            )
        if verbose:
            print(f"  {txt.stem}: expected {s.expected}, proposed {s.proposed}, matched {len(s.matched)}")
            for e in s.missed:
                print(f"    missed {e.comparator} {e.value:g} {e.unit} «{e.quote}»")
            for t in s.extra:
                print(f"    extra  {t.comparator.value} {t.value:g} {t.unit.value} «{t.quote}»")
    recall = matched / expected if expected else 1.0
    precision = matched / proposed if proposed else 1.0
    verdict = "ok" if min(recall, precision) >= GOAL_QUALITY else "below goal"
    print(f"corpus {corpus}: {expected} expected targets, {proposed} proposed, {matched} matched")
    print(f"recall {recall:.1%}, precision {precision:.1%} (goal {GOAL_QUALITY:.0%}): {verdict}")
    if matched:
        print(
            f"of the matched: nature {nature / matched:.1%}, clock {clock / matched:.1%}, "
            f"population {population / matched:.1%} agree"
        )


def _sample(corpus: Path, size: int) -> str:
    texts = [p.read_text(encoding="utf-8") for p in sorted(corpus.glob("*.txt"))]
    out, i = [], 0
    while sum(len(t.encode("utf-8")) for t in out) < size:
        out.append(texts[i % len(texts)])
        i += 1
    return "\n".join(out)


def _speed(corpus: Path) -> None:
    from servicekb.ingest import ingest_text, render_yaml

    with tempfile.TemporaryDirectory() as tmp:
        for label, size in (("10 KB", 10_000), ("100 KB", 100_000)):
            raw = Path(tmp) / f"sample-{size}.txt"
            raw.write_text(_sample(corpus, size), encoding="utf-8")
            kb = raw.stat().st_size / 1000
            env = {**os.environ, "PYTHONPATH": str(ROOT)}
            best = cpu = float("inf")
            for _ in range(3):
                before = resource.getrusage(resource.RUSAGE_CHILDREN)
                start = time.perf_counter()
                done = subprocess.run(
                    [
                        sys.executable,
                        "-m",
                        "servicekb",
                        "ingest",
                        str(raw),
                        "--id",
                        "bench",
                        "-o",
                        str(Path(tmp) / "out.yaml"),
                        "--force",
                        "--root",
                        str(ROOT),
                    ],
                    capture_output=True,
                    env=env,
                    check=False,
                )
                best = min(best, time.perf_counter() - start)
                after = resource.getrusage(resource.RUSAGE_CHILDREN)
                cpu = min(cpu, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
                if done.returncode != 0:
                    print(done.stderr.decode("utf-8", "replace"), file=sys.stderr)
                    raise SystemExit(1)
            print(f"whole process on {label} ({kb:.0f} KB): {best:.2f} s wall, {cpu:.2f} s CPU")
        text = _sample(corpus, 100_000)
        kb = len(text.encode("utf-8")) / 1000
        render_yaml(ingest_text(text, "bench", "bench.txt").standard)  # warm up
        start, cpu_start = time.perf_counter(), time.process_time()
        render_yaml(ingest_text(text, "bench", "bench.txt").standard)
        warm, warm_cpu = time.perf_counter() - start, time.process_time() - cpu_start
        print(f"warm in-process: {warm / kb * 100:.2f} s wall, {warm_cpu / kb * 100:.2f} s CPU per 100 KB")
        verdict = "ok" if cpu <= GOAL_SECONDS_PER_100KB else "over goal"
        print(
            f"goal: whole process at most {GOAL_SECONDS_PER_100KB:.1f} s per 100 KB; "
            f"CPU of the 100 KB run {cpu:.2f} s: {verdict}"
        )
        print("(wall times include waiting for a shared CPU; CPU time is what the machine spent on ingest)")


def main() -> int:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    corpus = Path(args[0]) if args else ROOT / "tests" / "fixtures" / "ingest-corpus"
    if not any(corpus.glob("*.txt")):
        print(f"{corpus}: no corpus documents", file=sys.stderr)
        return 1
    _quality(corpus, "--verbose" in sys.argv)
    _speed(corpus)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
