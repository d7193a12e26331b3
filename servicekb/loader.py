"""Loading `standards/` and `stores/` into a `Corpus`, with every problem located.

Each file is parsed with positions (`servicekb.yamlpos`), validated against
its model, and every pydantic error becomes an `Issue` with file, line,
column, field path and a stable code. Cross-file checks run afterwards
(`servicekb.checks`). Nothing here prints.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, ValidationError

from servicekb.checks import check_corpus
from servicekb.corpus import Corpus, FileKey
from servicekb.fieldhelp import allowed_keys, describe_allowed
from servicekb.gcpause import gc_paused
from servicekb.issues import Issue, Level, format_path, short_repr
from servicekb.models import CitationCatalogue, MetricCatalogue, Standard, StoreProfile
from servicekb.yamlpos import YamlDocument, read_yaml

__all__ = ["LoadResult", "classify", "find_root", "load_corpus", "pydantic_issues"]

_NON_FINITE = re.compile(r"^[+-]?\.?(?:inf|infinity|nan)$", re.IGNORECASE)
# pydantic error type -> stable issue code
_CODES = {
    "missing": "missing-field",
    "extra_forbidden": "unknown-field",
    "string_pattern_mismatch": "bad-id",
    "enum": "bad-value",
    "literal_error": "bad-value",
    "string_too_short": "empty-value",
    "string_too_long": "too-long",
    "list_type": "wrong-type",
    "dict_type": "wrong-type",
    "model_type": "wrong-type",
    "model_attributes_type": "wrong-type",
    "string_type": "wrong-type",
    "float_parsing": "wrong-type",
    "float_type": "wrong-type",
    "int_parsing": "wrong-type",
    "bool_parsing": "wrong-type",
    "date_from_datetime_parsing": "wrong-type",
    "date_parsing": "wrong-type",
    "finite_number": "non-finite-number",
}


@dataclass
class LoadResult:
    """A loaded corpus, the issues found, the files checked and their parsed documents."""

    corpus: Corpus
    issues: list[Issue] = field(default_factory=list)
    documents: dict[str, YamlDocument] = field(default_factory=dict)
    reported: set[str] = field(default_factory=set)
    # What did not load: the key it would have been registered under -> its file.
    unloaded: dict[FileKey, str] = field(default_factory=dict)

    def depends_on_unloaded(self, issue: Issue) -> bool:
        """Whether a finding only follows from a file that did not load (a cascade, reported at that file instead)."""
        return depends_on_unloaded(issue, set(self.unloaded))

    def held_back_notes(self) -> list[Issue]:
        """A note at each file that did not load: findings elsewhere that follow from it are held back, not lost."""
        message = "findings in other files that refer to what this file defines are held back until it loads"
        return [
            Issue(file, 1, 1, "findings-held-back", message, level=Level.note)
            for file in sorted(set(self.unloaded.values()))
            if file in self.reported
        ]

    @property
    def files_checked(self) -> int:
        """How many files were checked (and are reported on)."""
        return len(self.reported)


def depends_on_unloaded(issue: Issue, unloaded: set[FileKey]) -> bool:
    """Whether `issue` is a missing reference to something a file that did not load may define."""
    if issue.code != "dangling-reference" or not unloaded:
        return False
    message, value = issue.message, str(issue.value or "")
    if message.startswith("metric "):
        return FileKey.metrics() in unloaded
    if message.startswith("citation "):
        return FileKey.citations() in unloaded
    if message.startswith("profile "):
        return FileKey.store(value) in unloaded
    if message.startswith(("standard ", "clause ", "section ")):
        return FileKey.standard(value.removeprefix("section:").split("#", 1)[0]) in unloaded
    return False


def _file_key(path: Path) -> FileKey:
    """The key a file would be registered under, from its name and folder (its content may not load)."""
    kind = classify(path)
    if kind is MetricCatalogue:
        return FileKey.metrics()
    if kind is CitationCatalogue:
        return FileKey.citations()
    return FileKey.store(path.stem) if kind is StoreProfile else FileKey.standard(path.stem)


def find_root(start: Path) -> Path:
    """The nearest ancestor of `start` holding `standards/`; `start` itself when none does."""
    start = start.resolve()
    for candidate in (start, *start.parents):
        if (candidate / "standards").is_dir():
            return candidate
    return start


def classify(path: Path) -> type[BaseModel]:
    """Which model a file holds, by its name and folder."""
    if path.name == "metrics.yaml":
        return MetricCatalogue
    if path.name == "citations.yaml":
        return CitationCatalogue
    if path.parent.name == "stores":
        return StoreProfile
    return Standard


def pydantic_issues(exc: ValidationError, doc: YamlDocument, model: type[BaseModel] | None = None) -> list[Issue]:
    """Turn a pydantic ValidationError into located issues, one per error.

    With the `model` validated, an unknown field or a value that should have
    been a mapping names the keys allowed there.
    """
    out = []
    for err in exc.errors(include_url=False):
        loc = tuple(err["loc"])
        etype = err["type"]
        code = _CODES.get(etype, etype.replace("_", "-"))
        if etype == "float_parsing" and _NON_FINITE.match(str(err.get("input", "")).strip()):
            code = "non-finite-number"  # `.inf`, `.nan`: YAML's spellings of what no target may be
        if loc and loc[-1] == "comparator" and code == "bad-value":
            code = "bad-comparator"
        on_key = etype == "extra_forbidden"
        line, col = doc.locate(loc, on_key=on_key)
        value = err.get("input")
        if etype == "missing":
            message = f"required field {loc[-1]!r} is missing"
        elif etype == "extra_forbidden":
            message = f"unknown field {loc[-1]!r}" + (describe_allowed(model, loc[:-1]) if model else "")
            value = loc[-1]
        elif etype in ("model_type", "dict_type", "model_attributes_type") and model and allowed_keys(model, loc):
            message = f"expected a mapping with the keys {', '.join(allowed_keys(model, loc))}, got {short_repr(value)}"
        else:
            message = f"{err['msg']}: {short_repr(value)}"
        out.append(
            Issue(file=doc.file, line=line, col=col, code=code, message=message, path=format_path(loc), value=value)
        )
    return out


def _display(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def _leaves(path: Path, real: Path, root: Path) -> bool:
    """Whether `path` lies in the repository but, through a symbolic link, resolves outside it."""
    return _lexical(path).is_relative_to(root) and not real.is_relative_to(root)


def _lexical(path: Path) -> Path:
    """The absolute path as written, `..` folded but links not followed."""
    return Path(os.path.normpath(path.absolute()))


def _linked_folders(folder: Path) -> list[Path]:
    """Symbolic links to folders under `folder` (never descended into by the search for files)."""
    return sorted(q for q in folder.rglob("*") if q.is_symlink() and q.is_dir())


def _expand(paths: Sequence[Path]) -> tuple[list[Path], list[Path]]:
    files, missing = [], []
    for p in paths:
        if p.is_dir():
            # A linked folder is listed as itself, so that one leaving the repository is reported, not skipped silently.
            files.extend(sorted([*(q for q in p.rglob("*.yaml") if q.is_file()), *_linked_folders(p)]))
        elif p.is_file():
            files.append(p)
        else:
            missing.append(p)
    return files, missing


def _model_of(doc: YamlDocument, kind: type[BaseModel]) -> tuple[BaseModel | None, list[Issue]]:
    if not isinstance(doc.data, dict):
        got = type(doc.data).__name__ if doc.data is not None else "nothing"
        got = {"list": "a list", "str": "a text"}.get(got, got)
        return None, [
            Issue(doc.file, *doc.locate(()), "wrong-type", f"expected a mapping of fields at the top, got {got}")
        ]
    try:
        return kind.model_validate(doc.data), []
    except ValidationError as exc:
        return None, pydantic_issues(exc, doc, kind)


def _duplicate(doc: YamlDocument, path: tuple[str | int, ...], what: str, ident: str, first: str) -> Issue:
    line, col = doc.locate(path)
    return Issue(
        doc.file,
        line,
        col,
        "duplicate-id",
        f"{what} id {ident!r} is already defined in {first}",
        format_path(path),
        value=ident,
    )


def _add(corpus: Corpus, model: BaseModel, doc: YamlDocument) -> list[Issue]:
    """Register a validated file's content; report ids defined twice."""
    file, out = doc.file, []
    if isinstance(model, (Standard, StoreProfile)):
        key, table = (
            (FileKey.standard(model.id), corpus.standards)
            if isinstance(model, Standard)
            else (FileKey.store(model.id), corpus.stores)
        )
        if model.id in table:
            out.append(_duplicate(doc, ("id",), type(model).__name__.lower(), model.id, corpus.files[key]))
        else:
            table[model.id] = model
            corpus.files[key] = file
    else:
        key, items, table = (
            (FileKey.metrics(), model.metrics, corpus.metrics)
            if isinstance(model, MetricCatalogue)
            else (FileKey.citations(), model.citations, corpus.citations)
        )
        corpus.files[key] = file
        name = key.kind
        for i, item in enumerate(items):
            if item.id in table:
                out.append(_duplicate(doc, (name, i, "id"), name[:-1], item.id, file))
            else:
                table[item.id] = item
    return out


def load_corpus(root: Path, paths: Sequence[Path] | None = None, *, check: bool = True) -> LoadResult:
    """Load and validate the knowledge base under `root`.

    With `paths`, only those files (or folders) are checked and reported on;
    the rest of `standards/` and `stores/` is still loaded, silently, so that
    references from the checked files resolve.
    """
    with gc_paused():
        return _load(root, paths, check)


def _load(root: Path, paths: Sequence[Path] | None, check: bool) -> LoadResult:
    root = root.resolve()
    defaults = [d for d in (root / "standards", root / "stores") if d.is_dir()]
    files, missing = _expand(list(paths) if paths else defaults)
    issues = [Issue(_display(p, root), 1, 1, "no-such-file", "no such file or folder") for p in missing]
    checked = {p.resolve() for p in files}
    context, _ = _expand(defaults)
    result = LoadResult(corpus=Corpus(), reported={_display(p, root) for p in files})
    seen: set[Path] = set()
    for path in [*files, *context]:
        real = path.resolve()
        if real in seen:
            continue
        seen.add(real)
        reported = real in checked
        file = _display(path, root)
        if _leaves(path, real, root):
            file = _lexical(path).relative_to(root).as_posix()
            # Refused unread: its content must not reach the corpus, the handbook or a message.
            if reported:
                what = "folder" if path.is_dir() else "file"
                issues.append(
                    Issue(
                        file,
                        1,
                        1,
                        "symlink-outside",
                        f"is a symbolic link to a {what} outside the repository; not read",
                    )
                )
            continue
        if path.is_dir():
            continue  # a linked folder inside the repository: its files are there already
        doc, found = read_yaml(path, file)
        model = None
        if doc is not None:
            result.documents[file] = doc
            model, more = _model_of(doc, classify(path))
            found += more
        if model is not None:
            found += _add(result.corpus, model, doc)
        else:
            result.unloaded[_file_key(path)] = file
        if reported:
            issues.extend(found)
    if check:
        folder = root / "sources"
        sources = (
            frozenset(p.name for p in folder.iterdir() if p.is_file() and not p.is_symlink())
            if folder.is_dir()
            else None
        )
        found_by_checks = [
            i for i in check_corpus(result.corpus, result.documents, sources) if i.file in result.reported
        ]
        kept = [i for i in found_by_checks if not result.depends_on_unloaded(i)]
        issues.extend(kept)
        if len(kept) < len(found_by_checks):
            issues.extend(result.held_back_notes())
    result.issues = issues
    return result
