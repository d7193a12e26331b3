"""Loading the knowledge base as it is at a git revision or in a directory.

A revision is read with `git archive` (only `standards/`, `stores/` and
`schemas/`) into a temporary folder, loaded with `load_corpus`, and the
folder is removed: what stays in memory is the corpus, its parsed
documents (for line numbers), the committed JSON schemas, the review stamps
and, for commits, the date. Nothing here compares or prints.
"""

from __future__ import annotations

import datetime as dt
import io
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from servicekb.corpus import Corpus, FileKey
from servicekb.issues import Issue, Level
from servicekb.loader import load_corpus
from servicekb.review.stamps import Stamps, read_stamps
from servicekb.yamlpos import YamlDocument

__all__ = ["Revision", "RevisionError", "commit_messages", "find_merge_base", "open_revision"]

# The folders a revision is made of; everything else in the tree is ignored.
_FOLDERS = ("standards", "stores", "schemas")


class RevisionError(Exception):
    """A revision that cannot be read: not a directory, not a commit, or git missing."""


@dataclass
class Revision:
    """The knowledge base at one revision (a commit or a directory)."""

    label: str
    corpus: Corpus
    documents: dict[str, YamlDocument]
    issues: list[Issue]
    schemas: dict[str, str]
    stamps: Stamps
    commit: str | None = None
    date: dt.date | None = None
    folder: Path | None = field(default=None, repr=False)

    def failed(self, file: str) -> bool:
        """Whether a file of this revision has load errors (then it is missing from the corpus, not removed)."""
        return any(i.file == file and i.level is Level.error for i in self.issues)

    def locate(self, key: FileKey, path: tuple[str | int, ...] = ()) -> str | None:
        """`file:line` of a field of the file registered under `key` (a standard, a store profile, a catalogue)."""
        file = self.corpus.files.get(key)
        if file is None:
            return None
        doc = self.documents.get(file)
        line = doc.locate(path)[0] if doc else 1
        return f"{file}:{line}"


def _git(repo: Path, *args: str, binary: bool = False) -> str | bytes:
    try:
        done = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, check=False)
    except FileNotFoundError as exc:
        raise RevisionError("git is not installed") from exc
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise RevisionError(message[-1] if message else f"git {args[0]} failed")
    return done.stdout if binary else done.stdout.decode("utf-8", "replace")


def _resolve_commit(repo: Path, rev: str) -> str:
    try:
        return str(_git(repo, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}")).strip()
    except RevisionError as exc:
        raise RevisionError(f"{rev!r} is neither a folder holding standards/ nor a git revision of {repo}") from exc


def find_merge_base(repo: Path, a: str, b: str) -> str:
    """The best common ancestor of two revisions (as `git merge-base`)."""
    ca, cb = _resolve_commit(repo, a), _resolve_commit(repo, b)
    try:
        return str(_git(repo, "merge-base", ca, cb)).strip()
    except RevisionError as exc:
        raise RevisionError(f"{a!r} and {b!r} have no common ancestor") from exc


def commit_messages(repo: Path, a: str, b: str) -> list[str]:
    """The full messages of the commits reachable from `b` but not from `a` (`git log a..b`)."""
    out = str(_git(repo, "log", "--format=%B%x00", f"{_resolve_commit(repo, a)}..{_resolve_commit(repo, b)}"))
    return [m.strip() for m in out.split("\x00") if m.strip()]


def _extract(repo: Path, commit: str, into: Path) -> None:
    listing = str(_git(repo, "ls-tree", "--name-only", commit)).splitlines()
    present = [name for name in _FOLDERS if name in listing]
    if not present:
        return
    archive = _git(repo, "archive", "--format=tar", commit, "--", *present, binary=True)
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        # The `data` filter refuses links and paths leaving the folder.
        tar.extractall(into, filter="data")


def _load(folder: Path, label: str, commit: str | None, date: dt.date | None) -> Revision:
    result = load_corpus(folder, check=False)
    schemas = {}
    schema_dir = folder / "schemas"
    if schema_dir.is_dir():
        schemas = {p.name: p.read_text(encoding="utf-8") for p in sorted(schema_dir.glob("*.json"))}
    stamps, stamp_issues = read_stamps(folder)
    issues = [*result.issues, *stamp_issues]
    return Revision(label, result.corpus, result.documents, issues, schemas, stamps, commit, date, folder)


def _is_tree(path: Path) -> bool:
    return path.is_dir() and (path / "standards").is_dir()


def open_revision(repo: Path, spec: str) -> Revision:
    """Load the knowledge base at `spec`: a folder holding `standards/`, else a git revision of `repo`.

    Raises:
        RevisionError: when `spec` is neither.
    """
    path = Path(spec)
    if _is_tree(path):
        return _load(path.resolve(), spec, None, None)
    if path.is_dir():
        raise RevisionError(f"folder {spec!r} holds no standards/")
    commit = _resolve_commit(repo, spec)
    stamp = str(_git(repo, "show", "-s", "--format=%cs", commit)).strip()
    with tempfile.TemporaryDirectory(prefix="servicekb-rev-") as tmp:
        _extract(repo, commit, Path(tmp))
        rev = _load(Path(tmp), spec, commit, dt.date.fromisoformat(stamp))
    rev.folder = None
    return rev
