"""Benchmark of the review workflow (prints figures; not part of the test run).

1. `servicekb diff HEAD~1 HEAD` as a whole process on synthetic git repositories of
   5,000 and 50,000 clauses, where the second commit tightens, loosens, rewords and
   removes 1 % of the clauses (goal: 50,000 in at most 30 s, two corpora loaded).
2. The `suspect-link` check of `servicekb validate` on the 50,000-clause corpus,
   without a lock file and with every link stamped (goal: well under 1 s).
3. `servicekb review --all` (stamping every link) on the same corpus.
"""

from __future__ import annotations

import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synth import write_corpus  # noqa: E402

# Runs the CLI with the `diff` and `review` commands registered, whatever `_register` imports.
CLI = (
    "import sys; from servicekb.cli import _register, app; _register(); import servicekb.cli.diff_cmd; "
    "sys.argv[0] = 'servicekb'; app()"
)
GIT_ENV = {
    **os.environ,
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_AUTHOR_NAME": "b",
    "GIT_AUTHOR_EMAIL": "b@b",
    "GIT_COMMITTER_NAME": "b",
    "GIT_COMMITTER_EMAIL": "b@b",
}


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, env=GIT_ENV)


def _cli(*args: str) -> tuple[str, subprocess.CompletedProcess]:
    """Wall and CPU time of one CLI process (CPU time is what a busy machine does not inflate)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", CLI, *args], capture_output=True, text=True, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return f"{wall:.2f} s wall, {cpu:.2f} s CPU", done


def _perturb(folder: Path, share: float, seed: int = 3) -> int:
    """Edit `share` of the clause texts and target values in place (plain text edits, as a person would)."""
    rng = random.Random(seed)
    edits = 0
    for path in sorted((folder / "standards").glob("synthetic-*.yaml")):
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        for i, line in enumerate(lines):
            stripped = line.lstrip()
            if rng.random() >= share:
                continue
            if stripped.startswith("text: "):
                lines[i] = line.replace("应在24小时内完成", "应在12小时内完成")
                edits += 1
            elif stripped.startswith("value: "):
                lines[i] = line.replace("value: ", "value: 1", 1)
                edits += 1
        path.write_text("".join(lines), encoding="utf-8")
    return edits


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        for n_standards in (10, 100):
            repo = Path(tmp) / f"r{n_standards}"
            clauses = write_corpus(repo, n_standards, 500)
            _git(repo, "init", "-q", "-b", "main")
            _git(repo, "add", "-A")
            _git(repo, "commit", "-q", "-m", "A")
            edits = _perturb(repo, 0.01)
            _git(repo, "commit", "-q", "-am", "B")
            took, done = _cli("diff", "HEAD~1", "HEAD", "--format", "json", "--root", str(repo))
            changes = done.stdout.count('"kind":')
            print(
                f"diff {clauses:>6} clauses, {edits} edits -> {changes} changes (whole process): {took}  "
                f"(exit {done.returncode})"
            )
        from servicekb.loader import load_corpus
        from servicekb.review import check_review_links, iter_links

        loaded = load_corpus(repo, check=False)
        links = sum(1 for _ in iter_links(loaded.corpus))
        start = time.perf_counter()
        check_review_links(repo, loaded.corpus, loaded.documents)
        print(f"suspect-link check, {links} links, no lock file: {time.perf_counter() - start:.3f} s")
        took, done = _cli("review", "--all", "--root", str(repo))
        print(f"review --all ({links} links, whole process): {took}  (exit {done.returncode})")
        start = time.perf_counter()
        found = check_review_links(repo, loaded.corpus, loaded.documents)
        print(
            f"suspect-link check, {links} links all stamped: {time.perf_counter() - start:.3f} s ({len(found)} suspect)"
        )


if __name__ == "__main__":
    main()
