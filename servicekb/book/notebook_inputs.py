"""What a notebook's results depend on, as files to watch and one digest.

A notebook names its inputs in its front matter (`servicekb: {reads: [...]}`):
glob patterns of files (`data/sample/*.csv`) and `corpus-numbers`, which
stands for every number the corpus holds that a calculation can use: the
metric catalogue, the store profiles, and each target with the stage, tags
and section of its clause (what selection and merging look at). Editing a
clause's wording changes none of them, so it does not re-run a calculation;
changing a target or a profile does.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

__all__ = ["CORPUS_NUMBERS", "DATA_GLOBS", "describe_inputs", "digest_numbers", "find_data_files"]

CORPUS_NUMBERS = "corpus-numbers"
DATA_GLOBS = ("standards/*.yaml", "stores/*.yaml", "data/**/*.csv", "data/**/*.parquet")
_CORPUS_FILES = ("standards/*.yaml", "stores/*.yaml")


def find_data_files(root: Path, patterns: tuple[str, ...] | list[str]) -> list[Path]:
    """The files matching `patterns` under `root`, sorted."""
    found = {p for pattern in patterns for p in root.glob(pattern) if p.is_file()}
    return sorted(found)


def digest_numbers(root: Path) -> str:
    """A digest of the metrics, the store profiles and every target with what selects it."""
    files = find_data_files(root, _CORPUS_FILES)
    stamp = tuple((p.as_posix(), p.stat().st_mtime_ns, p.stat().st_size) for p in files)
    return _numbers_digest(root.resolve(), stamp)


@lru_cache(maxsize=8)
def _numbers_digest(root: Path, stamp: tuple) -> str:
    # One build asks once per notebook: load the corpus once per state of its files.
    from servicekb.loader import load_corpus

    corpus = load_corpus(root, check=False).corpus
    digest = hashlib.sha256()
    for mid in sorted(corpus.metrics):
        digest.update(corpus.metrics[mid].model_dump_json().encode("utf-8"))
    for sid in sorted(corpus.stores):
        digest.update(corpus.stores[sid].model_dump_json().encode("utf-8"))
    for entry in corpus.iter_clauses():
        c = entry.clause
        if c.targets:
            where = "/".join(s.number for s in entry.sections)
            digest.update(f"{c.id}|{where}|{c.stage.value}|{','.join(c.tags)}|".encode())
            digest.update("".join(t.model_dump_json() for t in c.targets).encode("utf-8"))
    return digest.hexdigest()


def describe_inputs(root: Path, reads: list[str]) -> tuple[list[Path], str]:
    """The files to watch for a notebook reading `reads`, and the digest of what it reads."""
    patterns = [r for r in reads if r != CORPUS_NUMBERS]
    files = find_data_files(root, patterns)
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.relative_to(root).as_posix().encode("utf-8") + b"\0")
        digest.update(path.read_bytes())
    watched = files
    if CORPUS_NUMBERS in reads:
        digest.update(digest_numbers(root).encode("ascii"))
        watched = sorted({*files, *find_data_files(root, _CORPUS_FILES)})
    return watched, digest.hexdigest()[:16]
