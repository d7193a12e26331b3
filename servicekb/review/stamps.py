"""The review lock file `standards/review.lock`: which version of a referenced clause each referrer was reviewed
against.

```yaml
stamps:
  retail-guide#3.3.a:                  # a clause that references others
    retail-guide#3.2.a: 3f2a9c1d0b7e4a65
  store:tmall-flagship-online:         # a store profile's selectors
    section:apparel-retail-2025#3.4.3: 9e01c2d3a4b5c6d7
```

One lock file rather than a field on the models keeps the curated YAML
free of machine-written hashes and gives one file to write atomically.
The file has no `.yaml` suffix so that the loader, which reads every
`standards/*.yaml` as a standard, leaves it alone (like `poetry.lock`).
Reading uses the fast position-aware parser; writing goes through
ruamel.yaml round-trip so that comments people add survive, under a file
lock (`standards/.review.lock.lock`) held from reading the current stamps to
replacing the file, so that concurrent writers never lose each other's stamps.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from servicekb.atomic import write_text_atomic
from servicekb.gcpause import gc_paused
from servicekb.issues import Issue, format_path
from servicekb.yamlpos import YamlDocument, read_yaml

__all__ = ["LOCK_FILE", "Stamps", "read_stamps", "write_stamps"]

LOCK_FILE = "standards/review.lock"

_HEADER = """\
Review stamps, written by `servicekb review ID`: for every clause or store
profile that references a clause (or a section), the fingerprint of what it
referenced when a person last reviewed the link. `servicekb validate` warns
(suspect-link) when the referenced content no longer has that fingerprint.
Comments are kept when the file is rewritten.
"""


@dataclass
class Stamps:
    """Stamps by referrer (`<clause id>` or `store:<id>`), each mapping a referenced key to its fingerprint."""

    entries: dict[str, dict[str, str]] = field(default_factory=dict)
    document: YamlDocument | None = field(default=None, repr=False)

    def get(self, referrer: str, referenced: str) -> str | None:
        """The fingerprint recorded for one link, if any."""
        return self.entries.get(referrer, {}).get(referenced)

    def locate(self, referrer: str, referenced: str | None = None) -> tuple[int, int]:
        """Line and column of a stamp in the lock file."""
        path: tuple[str, ...] = ("stamps", referrer) + ((referenced,) if referenced else ())
        return self.document.locate(path) if self.document else (1, 1)


def _bad(doc: YamlDocument, path: tuple[str, ...], message: str) -> Issue:
    line, col = doc.locate(path)
    return Issue(LOCK_FILE, line, col, "bad-review-lock", message, format_path(path))


def _parse(doc: YamlDocument) -> tuple[dict[str, dict[str, str]], list[Issue]]:
    data, issues, entries = doc.data, [], {}
    if not isinstance(data, dict) or set(data) - {"stamps"}:
        return {}, [_bad(doc, (), "the lock file holds one mapping, `stamps:`")]
    stamps = data.get("stamps") or {}
    if not isinstance(stamps, dict):
        return {}, [_bad(doc, ("stamps",), "`stamps` must map referrers to their stamps")]
    for referrer, links in stamps.items():
        if not isinstance(links, dict) or not all(isinstance(v, str) for v in links.values()):
            issues.append(
                _bad(doc, ("stamps", referrer), f"the stamps of {referrer!r} must map referenced ids to fingerprints")
            )
            continue
        entries[referrer] = dict(links)
    return entries, issues


def read_stamps(root: Path) -> tuple[Stamps, list[Issue]]:
    """Read `standards/review.lock` under `root`; no file means no stamps."""
    path = root / LOCK_FILE
    if not path.is_file():
        return Stamps(), []
    doc, issues = read_yaml(path, LOCK_FILE)
    if doc is None:
        # An empty lock file is a lock file with no stamps yet.
        return Stamps(), [i for i in issues if i.code != "empty-file"]
    entries, more = _parse(doc)
    return Stamps(entries, doc), issues + more


def _round_trip(strings_only: bool):
    from ruamel.yaml import YAML, ScalarNode
    from ruamel.yaml.resolver import VersionedResolver
    from ruamel.yaml.tag import Tag

    class TextResolver(VersionedResolver):
        """Reads every plain scalar as text, as `servicekb.yamlpos` does."""

        def resolve(self, kind, value, implicit):  # noqa: D102 - ruamel hook
            if kind is ScalarNode and implicit[0]:
                return Tag(suffix="tag:yaml.org,2002:str")
            return super().resolve(kind, value, implicit)

    yaml = YAML()
    if strings_only:
        # A fingerprint such as 12e4567890123456 must not come back as a float.
        yaml.Resolver = TextResolver
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def _update(table, referrer: str, links: Mapping[str, str]) -> None:
    from ruamel.yaml.comments import CommentedMap

    current = table.get(referrer)
    if not isinstance(current, CommentedMap):
        table[referrer] = CommentedMap(sorted(links.items()))
        return
    # Update in place so that comments on the entries that stay are kept.
    for key in [k for k in current if k not in links]:
        del current[key]
    for key, value in links.items():
        current[key] = value
    _sort(current)


def _sort(table) -> None:
    """Order a mapping by key in one pass; comments travel with their keys."""
    for key in sorted(table, key=str):
        table.move_to_end(key)


def write_stamps(root: Path, changes: Mapping[str, Mapping[str, str] | None]) -> Path:
    """Set (or, with None, remove) the stamps of some referrers in the lock file; write it atomically.

    Returns:
        The path of the lock file.
    """
    from filelock import FileLock

    path = root / LOCK_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    # Read, change and replace under one lock: two reviewers stamping at once both keep their stamps.
    with FileLock(path.with_name(f".{path.name}.lock")), gc_paused():
        write_text_atomic(path, _render(path, changes))
    return path


def _render(path: Path, changes: Mapping[str, Mapping[str, str] | None]) -> str:
    """The lock file's new text: the current one (comments included) with the changes applied."""
    from ruamel.yaml.comments import CommentedMap

    data = _round_trip(strings_only=True).load(path.read_text(encoding="utf-8")) if path.is_file() else None
    if not isinstance(data, CommentedMap):
        data = CommentedMap()
        data.yaml_set_start_comment(_HEADER)
    if not isinstance(data.get("stamps"), CommentedMap):
        data["stamps"] = CommentedMap()
    table = data["stamps"]
    for referrer, links in changes.items():
        if links is None or not links:
            table.pop(referrer, None)
        else:
            _update(table, referrer, links)
    _sort(table)
    buffer = io.StringIO()
    # The default resolver quotes what another reader could take for a number.
    _round_trip(strings_only=False).dump(data, buffer)
    return buffer.getvalue()
