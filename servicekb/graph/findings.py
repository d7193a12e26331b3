"""Where the graph analyses' findings live in the YAML files.

The analyses report plain `servicekb.issues.Issue`s (agreements and
differences of scope at level `note`, which never fails a run); `Locator`
turns a clause, target or catalogue entry into `file:line:col` and a field
path.
"""

from __future__ import annotations

from servicekb.corpus import Corpus, FileKey
from servicekb.issues import format_path
from servicekb.yamlpos import YamlDocument

__all__ = ["Locator"]


class Locator:
    """Finds `file:line:col` for clauses and catalogue entries of a loaded corpus."""

    def __init__(self, corpus: Corpus, documents: dict[str, YamlDocument] | None = None):
        self.corpus, self.documents = corpus, documents or {}
        self._catalogue_index: dict[tuple[str, str], int] = {}

    def _at(self, file: str, path: tuple[str | int, ...]) -> tuple[str, int, int, str]:
        doc = self.documents.get(file)
        line, col = doc.locate(path) if doc else (1, 1)
        return file, line, col, format_path(path)

    def clause(self, clause_id: str, *sub: str | int) -> tuple[str, int, int, str]:
        """Where a clause of a standard (or a field under it, e.g. 'targets', 0) is written."""
        entry = self.corpus.clauses[clause_id]
        return self._at(self.corpus.files[FileKey.standard(entry.standard_id)], (*entry.path, *sub))

    def catalogue(self, name: str, item_id: str) -> tuple[str, int, int, str]:
        """Where entry `item_id` of catalogue `name` ('metrics' or 'citations') is written."""
        file = self.corpus.files.get(FileKey.catalogue(name), f"standards/{name}.yaml")
        if not self._catalogue_index:
            self._index_catalogues()
        index = self._catalogue_index.get((name, item_id))
        return self._at(file, (name, index, "id") if index is not None else ())

    def _index_catalogues(self) -> None:
        for name in ("metrics", "citations"):
            doc = self.documents.get(self.corpus.files.get(FileKey.catalogue(name), ""))
            items = doc.data.get(name) if doc and isinstance(doc.data, dict) else None
            for i, item in enumerate(items if isinstance(items, list) else []):
                if isinstance(item, dict) and isinstance(item.get("id"), str):
                    self._catalogue_index.setdefault((name, item["id"]), i)
