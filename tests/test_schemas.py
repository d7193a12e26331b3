"""JSON Schemas: committed, current, deterministic, and usable by editors on the real files."""

from __future__ import annotations

import json
import shutil

import jsonschema
import pytest
import yaml
from conftest import ROOT

from servicekb.schemas import SCHEMA_MODELS, check_schemas, render_schemas, write_schemas


def test_committed_schemas_are_current():
    # Fails when a model changed without `servicekb schemas` being run and committed.
    assert check_schemas(ROOT / "schemas") == []


def test_rendering_is_deterministic():
    assert render_schemas() == render_schemas()


def test_check_names_the_stale_file(tmp_path):
    shutil.copytree(ROOT / "schemas", tmp_path / "schemas")
    (tmp_path / "schemas" / "standard.schema.json").write_text("{}\n", encoding="utf-8")
    assert check_schemas(tmp_path / "schemas") == ["standard.schema.json"]
    assert write_schemas(tmp_path / "schemas") == ["standard.schema.json"]
    assert check_schemas(tmp_path / "schemas") == []


YAML_FILES = sorted([*(ROOT / "standards").glob("*.yaml"), *(ROOT / "stores").glob("*.yaml")])


@pytest.mark.parametrize("path", YAML_FILES, ids=[p.name for p in YAML_FILES])
def test_real_files_name_their_schema_and_pass_it(path):
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# yaml-language-server: $schema=../schemas/")
    name = first.rsplit("/", 1)[1]
    assert name in SCHEMA_MODELS
    schema = json.loads((ROOT / "schemas" / name).read_text(encoding="utf-8"))
    # What an editor does: check the YAML (with YAML 1.1 typing) against the schema.
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    errors = sorted(jsonschema.Draft202012Validator(schema).iter_errors(data), key=lambda e: list(e.path))
    assert [f"{list(e.path)}: {e.message}" for e in errors][:5] == []
