"""Reading YAML with positions: plain data plus a way back to `line:col` for any field path.

PyYAML's C parser composes the node tree (fast, with marks); this module
turns it into plain data and answers "where is sections[3].clauses[2]?".
Plain scalars stay strings (`number: 1.1` is the string "1.1"); the
pydantic models coerce them where a number, bool or date is expected, so the
model, not YAML 1.1's guessing, decides types. `null`, `~` and an empty
value are None. Duplicate keys, anchors/aliases, tabs, several documents,
non-UTF-8 bytes, explicit tags (`!!python/...`), empty, oversized and too
deeply nested files are issues,
never exceptions (nesting is capped at `MAX_DEPTH` levels: no curated file
comes near it, and a hostile one cannot exhaust the recursion limit).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from servicekb.issues import Issue, format_path

__all__ = ["MAX_BYTES", "MAX_DEPTH", "YamlDocument", "parse_yaml", "read_yaml"]

MAX_BYTES = 4 * 1024 * 1024
MAX_DEPTH = 40
_NULLS = {"", "~", "null", "Null", "NULL"}
_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_Base):  # type: ignore[misc, valid-type]
    """Composes nodes without YAML 1.1 implicit typing (the models decide types)."""

    def resolve(self, kind, value, implicit):  # noqa: D102 - PyYAML hook
        return "tag:yaml.org,2002:str"


@dataclass
class YamlDocument:
    """Plain data of one YAML file, and its text to find positions again.

    The node tree is dropped after conversion and composed again only when a
    position is asked for: most files have no issue, and keeping a million
    nodes alive makes the whole load slower.
    """

    file: str
    data: Any
    text: str
    _root: yaml.Node | None = field(default=None, repr=False)

    @property
    def root(self) -> yaml.Node | None:
        """The node tree (composed on first use)."""
        if self._root is None:
            loader = _Loader(self.text)
            try:
                self._root = loader.get_single_node()
            finally:
                loader.dispose()
        return self._root

    def locate(self, path: tuple[str | int, ...], on_key: bool = False) -> tuple[int, int]:
        """Line and column (from 1) of the node at `path`, or of its deepest existing ancestor.

        With `on_key`, a mapping entry resolves to its key rather than its value
        (where an unknown or duplicate field is reported).
        """
        node = self.root
        if node is None:
            return (1, 1)
        mark = node.start_mark
        for i, part in enumerate(path):
            last = i == len(path) - 1
            if isinstance(node, yaml.MappingNode):
                for key, value in node.value:
                    if isinstance(key, yaml.ScalarNode) and key.value == str(part):
                        mark = key.start_mark if (last and on_key) else value.start_mark
                        node = value
                        break
                else:
                    break
            elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
                node = node.value[part]
                mark = node.start_mark
            else:
                break
        return (mark.line + 1, mark.column + 1)


def _issue(file: str, line: int, col: int, code: str, message: str) -> Issue:
    return Issue(file=file, line=line, col=col, code=code, message=message)


class _TooDeep(Exception):
    """Nesting deeper than MAX_DEPTH, at a node's mark."""

    def __init__(self, mark) -> None:
        super().__init__("too deep")
        self.mark = mark


def _too_deep(file: str, line: int, col: int) -> Issue:
    return _issue(
        file,
        line,
        col,
        "too-deep",
        f"the YAML nests more than {MAX_DEPTH} levels deep here; no servicekb file needs that",
    )


def _deep_mark(text: str):
    """The mark of the first node nested deeper than MAX_DEPTH, found by scanning events (no recursion)."""
    depth = 0
    for event in yaml.parse(text, Loader=_Base):
        if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                return event.start_mark
        elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            depth -= 1
    return None


_PLAIN_TAGS = frozenset({"tag:yaml.org,2002:str", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"})


def _to_data(node: yaml.Node, file: str, issues: list[Issue], path: tuple[str | int, ...] = ()) -> Any:
    if node.tag not in _PLAIN_TAGS:
        # `!!python/object/apply:...`, `!!int`, `!local`: nothing is constructed from a tag; the file is refused.
        m = node.start_mark
        issues.append(
            Issue(
                file,
                m.line + 1,
                m.column + 1,
                "yaml-tag",
                f"the tag {node.tag!r} is not supported: write the plain value",
                format_path(path),
            )
        )
        return None
    if isinstance(node, yaml.ScalarNode):
        if not node.style and node.value in _NULLS:
            return None
        return node.value
    if len(path) >= MAX_DEPTH:
        raise _TooDeep(node.start_mark)
    if isinstance(node, yaml.SequenceNode):
        return [_to_data(child, file, issues, (*path, i)) for i, child in enumerate(node.value)]
    if isinstance(node, yaml.MappingNode):
        out: dict[str, Any] = {}
        for key, value in node.value:
            line, col = key.start_mark.line + 1, key.start_mark.column + 1
            if not isinstance(key, yaml.ScalarNode):
                issues.append(
                    Issue(file, line, col, "bad-key", "a mapping key must be a plain text", format_path(path))
                )
                continue
            if key.value in out:
                where = format_path((*path, key.value))
                issues.append(
                    Issue(
                        file,
                        line,
                        col,
                        "duplicate-key",
                        f"key {key.value!r} appears twice in this mapping",
                        where,
                        value=key.value,
                    )
                )
                continue
            out[key.value] = _to_data(value, file, issues, (*path, key.value))
        return out
    raise TypeError(f"unexpected YAML node {node!r}")  # pragma: no cover - PyYAML has three node kinds


def _has_alias(text: str) -> bool:
    # Cheap pre-check; the event scan below confirms before reporting.
    return "*" in text or "&" in text


def parse_yaml(text: str, file: str) -> tuple[YamlDocument | None, list[Issue]]:
    """Parse one YAML document from text; return it with every problem found."""
    if not text.strip() or all(not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()):
        return None, [_issue(file, 1, 1, "empty-file", "the file holds no YAML content")]
    for n, ln in enumerate(text.splitlines(), start=1):
        stripped = ln.lstrip(" ")
        if stripped.startswith("\t"):
            col = len(ln) - len(stripped) + 1
            return None, [
                _issue(file, n, col, "tab-indentation", "tabs are not allowed for indentation in YAML; use spaces")
            ]
    try:
        if _has_alias(text):
            for event in yaml.parse(text, Loader=_Base):
                if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                    m = event.start_mark
                    return None, [
                        _issue(
                            file,
                            m.line + 1,
                            m.column + 1,
                            "yaml-alias",
                            "anchors and aliases are not supported: write the value out",
                        )
                    ]
        loader = _Loader(text)
        try:
            root = loader.get_single_node()
        finally:
            loader.dispose()
    except RecursionError:
        mark = _deep_mark(text)
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        return None, [_too_deep(file, line, col)]
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        if "single document" in str(exc.context or ""):
            return None, [
                _issue(
                    file,
                    line,
                    col,
                    "multiple-documents",
                    "the file holds more than one YAML document (`---`); keep one",
                )
            ]
        problem = exc.problem or exc.context or "invalid YAML"
        return None, [_issue(file, line, col, "yaml-syntax", problem)]
    except yaml.reader.ReaderError as exc:
        pos = max(0, min(int(exc.position), len(text)))
        line, col = text.count("\n", 0, pos) + 1, pos - (text.rfind("\n", 0, pos) + 1) + 1
        return None, [
            _issue(
                file,
                line,
                col,
                "yaml-syntax",
                f"character U+{ord(exc.character) if isinstance(exc.character, str) else exc.character:04X} "
                "is not allowed in YAML (a control character)",
            )
        ]
    except yaml.YAMLError as exc:
        return None, [_issue(file, 1, 1, "yaml-syntax", str(exc).splitlines()[0])]
    if root is None:
        return None, [_issue(file, 1, 1, "empty-file", "the file holds no YAML content")]
    issues: list[Issue] = []
    try:
        data = _to_data(root, file, issues)
    except _TooDeep as exc:
        return None, [_too_deep(file, exc.mark.line + 1, exc.mark.column + 1)]
    tagged = [i for i in issues if i.code == "yaml-tag"]
    if tagged:
        return None, tagged
    return YamlDocument(file=file, data=data, text=text), issues


def read_yaml(path: Path, file: str) -> tuple[YamlDocument | None, list[Issue]]:
    """Read and parse a YAML file; unreadable, oversized or non-UTF-8 files give one issue."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return None, [_issue(file, 1, 1, "unreadable-file", exc.strerror or str(exc))]
    if len(raw) > MAX_BYTES:
        size = len(raw) / 1024 / 1024
        return None, [
            _issue(
                file,
                1,
                1,
                "file-too-large",
                f"{size:.1f} MiB is more than the {MAX_BYTES // 1024 // 1024} MiB a YAML file may have; split it",
            )
        ]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        col = exc.start - (before.rfind(b"\n") + 1) + 1
        return None, [
            _issue(file, line, col, "not-utf8", f"byte 0x{raw[exc.start]:02x} is not UTF-8; save the file as UTF-8")
        ]
    if text.startswith("\ufeff"):
        text = text[1:]
    return parse_yaml(text, file)
