"""Capture every user-visible output of servicekb into a folder, to compare a refactor before and after.

Run it on the untouched tree, then on the changed one, and compare the two folders:

    PYTHONPATH=$PWD python tools/snapshot_outputs.py /tmp/before
    ... change the code ...
    PYTHONPATH=$PWD python tools/snapshot_outputs.py /tmp/after
    diff -r /tmp/before /tmp/after

What it captures (every command on a fixed day, so that the run is repeatable):
`resolve` of every store profile (table, json, yaml), `graph export` (graphml, json), `graph check` and
`graph stats`, `validate` (text, json), `stats`, `diff` between two fixed commits (text, json, markdown),
`score` of the book's sample data (every store, month and quarter; table, csv, json), `explain` of a few cells,
and the generated markdown of the handbook (`render_pages`, the same pages `servicekb book` writes).
Each output file holds the command's stdout, then its stderr and exit code, so that a changed message or exit
code shows as well.

The sample data is written (when missing) into the repository's `data/sample/`, as `servicekb book` does;
nothing else is written outside the output folder.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DAY = "2026-12-03"
# Two commits of the history whose standards and stores differ: the diff between them is the diff snapshot.
DIFF_FROM, DIFF_TO = "86afab7", "51d967f"


def run(out: Path, name: str, *args: str) -> None:
    """Run `python -m servicekb ARGS` in the repository and store stdout, stderr and exit code as `name`."""
    env = dict(os.environ, PYTHONPATH=str(ROOT), COLUMNS="120", NO_COLOR="1", TERM="dumb")
    done = subprocess.run(
        [sys.executable, "-m", "servicekb", *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    body = done.stdout
    if done.stderr:
        body += "\n--- stderr ---\n" + done.stderr
    body += f"\n--- exit {done.returncode} ---\n"
    path = out / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(body, encoding="utf-8")


def render_book(out: Path, day: dt.date) -> None:
    """The generated pages of the handbook, as `servicekb book --generate-only` would write them."""
    from servicekb.book import ensure_sample, render_pages
    from servicekb.loader import load_corpus

    corpus = load_corpus(ROOT).corpus
    ensure_sample(ROOT, corpus, day)
    for rel, body in sorted(render_pages(corpus, ROOT, day).items()):
        path = out / "book" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(body, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="Folder to write (created).")
    parser.add_argument("--skip-diff", action="store_true", help="Skip the (slow) diff between two commits.")
    args = parser.parse_args()
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    day = dt.date.fromisoformat(DAY)

    render_book(out, day)
    sample = "data/sample"
    profiles = sorted(p.stem for p in (ROOT / "stores").glob("*.yaml"))
    for pid in profiles:
        for fmt in ("table", "json", "yaml"):
            run(out, f"resolve/{pid}.{fmt}", "resolve", f"stores/{pid}.yaml", "--format", fmt, "--as-of", DAY)
    run(
        out,
        "resolve/diff-baseline.table",
        "resolve",
        "stores/sh-nanjing-road-flagship.yaml",
        "--diff",
        "group-baseline",
        "--as-of",
        DAY,
    )
    for fmt in ("graphml", "json"):
        run(out, f"graph/export.{fmt}", "graph", "export", "--format", fmt)
    for fmt in ("text", "json"):
        run(out, f"graph/check.{fmt}", "graph", "check", "--format", fmt)
        run(out, f"validate.{fmt}", "validate", "--format", fmt, "--as-of", DAY)
    run(out, "graph/stats.txt", "graph", "stats")
    run(out, "stats.txt", "stats")
    for period in ("month", "quarter"):
        for fmt in ("table", "csv", "json"):
            run(
                out,
                f"score/all-{period}.{fmt}",
                "score",
                "--all-stores",
                "--data",
                sample,
                "--period",
                period,
                "--format",
                fmt,
            )
    for pid in profiles:
        run(out, f"score/{pid}.csv", "score", "--profile", f"stores/{pid}.yaml", "--data", sample, "--format", "csv")
    card = json.loads((out / "score/all-month.json").read_text(encoding="utf-8").split("\n--- ")[0])
    rows = card.get("rows", []) if isinstance(card, dict) else []
    seen = set()
    for row in rows:
        # One cell per metric, from the first store that has it.
        key = row.get("metric")
        if key in seen or not row.get("profile"):
            continue
        seen.add(key)
        run(
            out,
            f"explain/{row['store_id']}-{row['period']}-{row['metric']}.txt",
            "explain",
            "--profile",
            f"stores/{row['profile']}.yaml",
            "--data",
            sample,
            "--store",
            row["store_id"],
            "--period",
            row["period"],
            "--metric",
            row["metric"],
        )
    if not args.skip_diff:
        for fmt in ("text", "json", "markdown"):
            run(out, f"diff/{DIFF_FROM}-{DIFF_TO}.{fmt}", "diff", DIFF_FROM, DIFF_TO, "--format", fmt, "--as-of", DAY)
    print(f"{sum(1 for p in out.rglob('*') if p.is_file())} files written to {out}")


if __name__ == "__main__":
    main()
