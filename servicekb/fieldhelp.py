"""Which keys a YAML mapping may hold at a field path, read from the models.

A validation message that says "unknown field 'clok'" or "Input should be a
valid dictionary or instance of Selector" leaves a consultant guessing; with
the keys the model accepts at that place (`clause, section, stage, tag`) the
fix is obvious. The keys come from the pydantic models themselves, so they
never drift from what is accepted.
"""

from __future__ import annotations

import types
import typing
from typing import Any

from pydantic import BaseModel

__all__ = ["allowed_keys", "describe_allowed"]


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    """The model classes an annotation can hold (through Optional, unions, lists, dicts and Annotated)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _models_in(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType, list, tuple, set, frozenset):
        found: list[type[BaseModel]] = []
        for arg in typing.get_args(annotation):
            found += [m for m in _models_in(arg) if m not in found]
        return found
    if origin is dict:
        args = typing.get_args(annotation)
        return _models_in(args[1]) if len(args) == 2 else []
    return []


def _model_at(model: type[BaseModel], loc: tuple[str | int, ...]) -> type[BaseModel] | None:
    current: type[BaseModel] | None = model
    for part in loc:
        if current is None:
            return None
        if isinstance(part, int):
            continue  # a list index keeps the item model found from the list's annotation
        field = current.model_fields.get(str(part))
        if field is None:
            return None
        models = _models_in(field.annotation)
        current = models[0] if len(models) == 1 else None
    return current


def allowed_keys(model: type[BaseModel], loc: tuple[str | int, ...]) -> list[str]:
    """The keys the mapping at `loc` (a field path under `model`) may hold; empty when it is not one model."""
    found = _model_at(model, loc)
    return sorted(found.model_fields) if found is not None else []


def describe_allowed(model: type[BaseModel], loc: tuple[str | int, ...]) -> str:
    """`; allowed keys: clause, section, stage, tag` for a message, or empty."""
    keys = allowed_keys(model, loc)
    return f"; allowed keys: {', '.join(keys)}" if keys else ""
