"""Changes to the committed JSON Schemas (`schemas/*.schema.json`), each judged compatible or breaking.

Breaking means a file valid under the old schema may be invalid under the
new one: a field removed (the models forbid unknown fields), a new required
field, a field made required, a type narrowed, enum values removed, a
bound tightened, a pattern added or changed (undecidable, so breaking).
Compatible means every old file stays valid: an optional field added, a
type widened, enum values added, a bound loosened or dropped. Defaults that
change are listed as compatible (files stay valid, omitted fields read
differently). Titles and descriptions are documentation and ignored.

Definitions (`$defs`, one per model) are compared once each, by name; a
`$ref` that points to another name is followed and compared structurally.
"""

from __future__ import annotations

import json
from typing import Any

from servicekb.review.changes import Change

__all__ = ["diff_schemas"]

_LOWER = ("minLength", "minimum", "exclusiveMinimum", "minItems", "minProperties")
_UPPER = ("maxLength", "maximum", "exclusiveMaximum", "maxItems", "maxProperties")
Finding = tuple[str, str, str, bool]  # path, kind, message, breaking


class _Context:
    def __init__(self, defs_a: dict, defs_b: dict):
        self.defs_a, self.defs_b = defs_a, defs_b
        self.visiting: set[tuple[str, str]] = set()


def _variants(node: dict) -> list[dict]:
    for key in ("anyOf", "oneOf"):
        if isinstance(node.get(key), list):
            return [v for v in node[key] if isinstance(v, dict)]
    return [node]


def _kind(node: dict) -> set[str]:
    if "$ref" in node:
        return {"ref"}
    if "type" in node:
        types = node["type"] if isinstance(node["type"], list) else [node["type"]]
        return set(map(str, types))
    if "enum" in node or "const" in node:
        return {"enum"}
    return {"any"}


def _accepts(a: set[str], b: set[str]) -> bool:
    """Whether type set `b` accepts everything `a` does."""
    if "any" in b:
        return True
    return all(t in b or (t == "integer" and "number" in b) for t in a)


def _show(types: set[str]) -> str:
    return "|".join(sorted(types))


def _ref_name(node: dict) -> str:
    return str(node.get("$ref", "")).rsplit("/", 1)[-1]


def _compare(a: dict, b: dict, path: str, ctx: _Context) -> list[Finding]:
    va, vb = _variants(a), _variants(b)
    ka = set().union(*(_kind(v) for v in va)) if va else {"any"}
    kb = set().union(*(_kind(v) for v in vb)) if vb else {"any"}
    out: list[Finding] = []
    if ka != kb:
        if _accepts(ka, kb):
            out.append((path, "schema-type-widened", f"type {_show(ka)} -> {_show(kb)}", False))
        elif _accepts(kb, ka):
            out.append((path, "schema-type-narrowed", f"type {_show(ka)} -> {_show(kb)}", True))
        else:
            out.append((path, "schema-type-changed", f"type {_show(ka)} -> {_show(kb)}", True))
    for x in va:
        for y in vb:
            if _kind(x) == _kind(y) and _kind(x) != {"null"}:
                out.extend(_details(x, y, path, ctx))
                break
    if a.get("default") != b.get("default") and ("default" in a or "default" in b):
        out.append((path, "schema-default-changed", f"default {a.get('default')!r} -> {b.get('default')!r}", False))
    return out


def _details(a: dict, b: dict, path: str, ctx: _Context) -> list[Finding]:
    if "$ref" in a and "$ref" in b:
        na, nb = _ref_name(a), _ref_name(b)
        if na == nb or (na, nb) in ctx.visiting:
            return []  # the definition itself is compared once, under its own name
        ctx.visiting.add((na, nb))
        return _compare(ctx.defs_a.get(na, {}), ctx.defs_b.get(nb, {}), path, ctx)
    out = _properties(a, b, path, ctx)
    if isinstance(a.get("items"), dict) and isinstance(b.get("items"), dict):
        out += _compare(a["items"], b["items"], f"{path}[]", ctx)
    out += _additional(a, b, path, ctx)
    out += _enum(a, b, path)
    out += _bounds(a, b, path)
    if a.get("pattern") != b.get("pattern") and "pattern" in b:
        out.append((path, "schema-pattern-changed", f"pattern {a.get('pattern')!r} -> {b['pattern']!r}", True))
    elif "pattern" in a and "pattern" not in b:
        out.append((path, "schema-pattern-removed", f"pattern {a['pattern']!r} removed", False))
    if a.get("format") != b.get("format"):
        out.append((path, "schema-format-changed", f"format {a.get('format')!r} -> {b.get('format')!r}", "format" in b))
    return out


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def _properties(a: dict, b: dict, path: str, ctx: _Context) -> list[Finding]:
    pa, pb = a.get("properties") or {}, b.get("properties") or {}
    ra, rb = set(a.get("required") or []), set(b.get("required") or [])
    closed = b.get("additionalProperties") is False
    out: list[Finding] = []
    for name in sorted(pa.keys() - pb.keys()):
        out.append(
            (
                _join(path, name),
                "schema-field-removed",
                "field removed" + (" (unknown fields are refused)" if closed else ""),
                closed,
            )
        )
    for name in sorted(pb.keys() - pa.keys()):
        if name in rb:
            out.append((_join(path, name), "schema-field-added", "new required field", True))
        else:
            out.append((_join(path, name), "schema-field-added", "optional field added", False))
    for name in sorted(pa.keys() & pb.keys()):
        here = _join(path, name)
        if name in rb and name not in ra:
            out.append((here, "schema-field-required", "field now required", True))
        elif name in ra and name not in rb:
            out.append((here, "schema-field-optional", "field now optional", False))
        out.extend(_compare(pa[name], pb[name], here, ctx))
    return out


def _additional(a: dict, b: dict, path: str, ctx: _Context) -> list[Finding]:
    xa, xb = a.get("additionalProperties", True), b.get("additionalProperties", True)
    if isinstance(xa, dict) and isinstance(xb, dict):
        return _compare(xa, xb, f"{path}.*", ctx)
    if xa is not False and xb is False:
        return [(path, "schema-closed", "unknown fields now refused", True)]
    if xa is False and xb is not False:
        return [(path, "schema-opened", "unknown fields now allowed", False)]
    return []


def _enum(a: dict, b: dict, path: str) -> list[Finding]:
    if "enum" not in a or "enum" not in b:
        return []
    gone = [v for v in a["enum"] if v not in b["enum"]]
    new = [v for v in b["enum"] if v not in a["enum"]]
    out: list[Finding] = []
    if gone:
        out.append((path, "schema-enum-removed", "values removed: " + ", ".join(map(str, gone)), True))
    if new:
        out.append((path, "schema-enum-added", "values added: " + ", ".join(map(str, new)), False))
    return out


def _bounds(a: dict, b: dict, path: str) -> list[Finding]:
    out: list[Finding] = []
    for key in (*_LOWER, *_UPPER):
        old, new = a.get(key), b.get(key)
        if old == new:
            continue
        lower = key in _LOWER
        if new is None:
            tighter = False
        elif old is None:
            tighter = True
        else:
            tighter = new > old if lower else new < old
        kind = "schema-bound-tightened" if tighter else "schema-bound-loosened"
        out.append((path, kind, f"{key} {old!r} -> {new!r}", tighter))
    return out


def _parse(text: str) -> dict[str, Any] | None:
    try:
        data = json.loads(text)
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


def _compare_files(a: dict, b: dict) -> list[Finding]:
    defs_a, defs_b = a.get("$defs") or {}, b.get("$defs") or {}
    ctx = _Context(defs_a, defs_b)
    root = str(b.get("title") or a.get("title") or "")
    out = _compare(
        {k: v for k, v in a.items() if k != "$defs"}, {k: v for k, v in b.items() if k != "$defs"}, root, ctx
    )
    for name in sorted(defs_a.keys() & defs_b.keys()):
        out.extend(_compare(defs_a[name], defs_b[name], name, ctx))
    return out


def diff_schemas(a: dict[str, str], b: dict[str, str]) -> list[Change]:
    """Schema changes between two sets of schema files (name -> JSON text), file by file."""
    out = []
    for name in sorted(a.keys() | b.keys()):
        subjects = (name, name.removesuffix(".schema.json"))
        where = f"schemas/{name}"
        if name not in a:
            out.append(
                Change(
                    "schemas", name, "schema-added", name, "new schema: compatible", location=where, subjects=subjects
                )
            )
            continue
        if name not in b:
            out.append(
                Change(
                    "schemas",
                    name,
                    "schema-removed",
                    name,
                    "schema removed: breaking",
                    location=where,
                    concern="breaking",
                    subjects=subjects,
                )
            )
            continue
        if a[name] == b[name]:
            continue
        da, db = _parse(a[name]), _parse(b[name])
        if da is None or db is None:
            out.append(
                Change(
                    "schemas",
                    name,
                    "schema-unreadable",
                    name,
                    f"not a JSON object in {'A' if da is None else 'B'}: breaking",
                    location=where,
                    concern="breaking",
                    subjects=subjects,
                )
            )
            continue
        for path, kind, message, breaking in _compare_files(da, db):
            verdict = "breaking" if breaking else "compatible"
            out.append(
                Change(
                    "schemas",
                    name,
                    kind,
                    path,
                    f"{message}: {verdict}",
                    before=None,
                    after=verdict,
                    location=where,
                    concern="breaking" if breaking else None,
                    subjects=(*subjects, path.split(".")[0], path),
                )
            )
    return out
