"""JSON Schema export of the models: `schemas/<model>.schema.json`, deterministic bytes.

Editors use these through the `# yaml-language-server: $schema=` line at the
top of every YAML file; CI fails when they are stale.
"""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel

from servicekb.atomic import write_text_atomic
from servicekb.models import CitationCatalogue, MetricCatalogue, Standard, StoreProfile

__all__ = ["SCHEMA_MODELS", "check_schemas", "render_schemas", "write_schemas"]

SCHEMA_MODELS: dict[str, type[BaseModel]] = {
    "standard.schema.json": Standard,
    "metric-catalogue.schema.json": MetricCatalogue,
    "citation-catalogue.schema.json": CitationCatalogue,
    "store-profile.schema.json": StoreProfile,
}


def _render(name: str, model: type[BaseModel]) -> str:
    schema = model.model_json_schema()
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://servicekb.example/schemas/{name}",
        **schema,
    }
    return json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def render_schemas() -> dict[str, str]:
    """Every schema file name with its exact text."""
    return {name: _render(name, model) for name, model in SCHEMA_MODELS.items()}


def write_schemas(folder: Path) -> list[str]:
    """Write the schema files that differ (atomically); return the names written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in render_schemas().items():
        target = folder / name
        if target.exists() and target.read_text(encoding="utf-8") == text:
            continue
        write_text_atomic(target, text)
        written.append(name)
    return written


def check_schemas(folder: Path) -> list[str]:
    """Names of schema files that are missing or differ from the models."""
    stale = []
    for name, text in render_schemas().items():
        target = folder / name
        if not target.exists() or target.read_text(encoding="utf-8") != text:
            stale.append(name)
    return stale
