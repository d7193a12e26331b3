"""Schema changes judged compatible or breaking, node by node, and on the real models' schemas."""

from __future__ import annotations

import json

import pytest

from servicekb.review.schemadiff import diff_schemas
from servicekb.schemas import render_schemas

OPTIONAL_STR = {"anyOf": [{"type": "string"}, {"type": "null"}], "default": None}


def _schema(properties: dict, required: list[str] = (), defs: dict | None = None, closed: bool = True) -> str:
    data = {"title": "Thing", "type": "object", "properties": properties, "required": list(required)}
    if closed:
        data["additionalProperties"] = False
    if defs:
        data["$defs"] = defs
    return json.dumps(data)


def _diff(before: str, after: str) -> list[tuple[str, str, str | None]]:
    return [(c.kind, c.subject, c.concern) for c in diff_schemas({"t.schema.json": before}, {"t.schema.json": after})]


@pytest.mark.parametrize(
    "before, after, expected",
    [
        # an optional field added: old files stay valid
        (
            _schema({"a": {"type": "string"}}),
            _schema({"a": {"type": "string"}, "b": OPTIONAL_STR}),
            [("schema-field-added", "Thing.b", None)],
        ),
        # a new required field: old files lack it
        (
            _schema({"a": {"type": "string"}}, ["a"]),
            _schema({"a": {"type": "string"}, "b": {"type": "string"}}, ["a", "b"]),
            [("schema-field-added", "Thing.b", "breaking")],
        ),
        # a field removed while unknown fields are refused
        (
            _schema({"a": {"type": "string"}, "b": OPTIONAL_STR}),
            _schema({"a": {"type": "string"}}),
            [("schema-field-removed", "Thing.b", "breaking")],
        ),
        # a field removed where unknown fields are allowed: old files stay valid
        (
            _schema({"a": {"type": "string"}, "b": OPTIONAL_STR}, closed=False),
            _schema({"a": {"type": "string"}}, closed=False),
            [("schema-field-removed", "Thing.b", None)],
        ),
        # an existing field made required
        (
            _schema({"a": OPTIONAL_STR}),
            _schema({"a": OPTIONAL_STR}, ["a"]),
            [("schema-field-required", "Thing.a", "breaking")],
        ),
        # a required field made optional
        (
            _schema({"a": {"type": "string"}}, ["a"]),
            _schema({"a": {"type": "string"}}),
            [("schema-field-optional", "Thing.a", None)],
        ),
        # null no longer accepted: narrowed
        (
            _schema({"a": OPTIONAL_STR}),
            _schema({"a": {"type": "string", "default": None}}),
            [("schema-type-narrowed", "Thing.a", "breaking")],
        ),
        # integer -> number accepts more: widened
        (
            _schema({"a": {"type": "integer"}}),
            _schema({"a": {"type": "number"}}),
            [("schema-type-widened", "Thing.a", None)],
        ),
        # string -> integer: neither accepts the other
        (
            _schema({"a": {"type": "string"}}),
            _schema({"a": {"type": "integer"}}),
            [("schema-type-changed", "Thing.a", "breaking")],
        ),
        # enum value removed / added
        (
            _schema({"a": {"enum": ["x", "y"], "type": "string"}}),
            _schema({"a": {"enum": ["x"], "type": "string"}}),
            [("schema-enum-removed", "Thing.a", "breaking")],
        ),
        (
            _schema({"a": {"enum": ["x"], "type": "string"}}),
            _schema({"a": {"enum": ["x", "y"], "type": "string"}}),
            [("schema-enum-added", "Thing.a", None)],
        ),
        # bounds: a shorter maximum tightens, a lower minimum loosens
        (
            _schema({"a": {"maxLength": 80, "type": "string"}}),
            _schema({"a": {"maxLength": 60, "type": "string"}}),
            [("schema-bound-tightened", "Thing.a", "breaking")],
        ),
        (
            _schema({"a": {"minLength": 2, "type": "string"}}),
            _schema({"a": {"minLength": 1, "type": "string"}}),
            [("schema-bound-loosened", "Thing.a", None)],
        ),
        # a pattern added cannot be judged: breaking
        (
            _schema({"a": {"type": "string"}}),
            _schema({"a": {"pattern": "^[a-z]+$", "type": "string"}}),
            [("schema-pattern-changed", "Thing.a", "breaking")],
        ),
        # list items are compared too
        (
            _schema({"a": {"items": {"type": "string"}, "type": "array"}}),
            _schema({"a": {"items": {"type": "integer"}, "type": "array"}}),
            [("schema-type-changed", "Thing.a[]", "breaking")],
        ),
        # a definition is compared once, under its own name
        (
            _schema(
                {"p": {"$ref": "#/$defs/Part"}},
                defs={
                    "Part": {"type": "object", "properties": {"k": {"type": "string"}}, "additionalProperties": False}
                },
            ),
            _schema(
                {"p": {"$ref": "#/$defs/Part"}},
                defs={"Part": {"type": "object", "properties": {}, "additionalProperties": False}},
            ),
            [("schema-field-removed", "Part.k", "breaking")],
        ),
        # a definition renamed is followed through the reference
        (
            _schema(
                {"p": {"$ref": "#/$defs/Part"}},
                defs={"Part": {"type": "object", "properties": {"k": {"type": "string"}}}},
            ),
            _schema(
                {"p": {"$ref": "#/$defs/Piece"}},
                defs={"Piece": {"type": "object", "properties": {"k": {"type": "integer"}}}},
            ),
            [("schema-type-changed", "Thing.p.k", "breaking")],
        ),
        # descriptions and titles are documentation
        (
            _schema({"a": {"type": "string", "description": "old"}}),
            _schema({"a": {"type": "string", "description": "new"}}),
            [],
        ),
    ],
)
def test_each_schema_change_is_judged(before, after, expected):
    assert _diff(before, after) == expected


def test_schema_files_added_removed_and_unreadable():
    a = {"old.schema.json": "{}", "same.schema.json": "{}", "bad.schema.json": "{}"}
    b = {"new.schema.json": "{}", "same.schema.json": "{}", "bad.schema.json": "not json"}
    got = [(c.kind, c.subject, c.concern) for c in diff_schemas(a, b)]
    assert got == [
        ("schema-unreadable", "bad.schema.json", "breaking"),
        ("schema-added", "new.schema.json", None),
        ("schema-removed", "old.schema.json", "breaking"),
    ]


def test_a_new_optional_model_field_is_compatible_in_the_real_schemas():
    schemas = render_schemas()
    data = json.loads(schemas["standard.schema.json"])
    data["$defs"]["Clause"]["properties"]["reviewed"] = {
        "additionalProperties": {"type": "string"},
        "type": "object",
        "description": "Stamps.",
    }
    after = {**schemas, "standard.schema.json": json.dumps(data)}
    assert [(c.kind, c.subject, c.concern) for c in diff_schemas(schemas, after)] == [
        ("schema-field-added", "Clause.reviewed", None)
    ]


def test_removing_a_real_required_field_is_breaking():
    schemas = render_schemas()
    data = json.loads(schemas["metric-catalogue.schema.json"])
    del data["$defs"]["Metric"]["properties"]["direction"]
    data["$defs"]["Metric"]["required"].remove("direction")
    after = {**schemas, "metric-catalogue.schema.json": json.dumps(data)}
    assert [(c.kind, c.subject, c.concern) for c in diff_schemas(schemas, after)] == [
        ("schema-field-removed", "Metric.direction", "breaking")
    ]
