"""The model's public surface and documentation: every field described, extras forbidden."""

from __future__ import annotations

import pytest
from pydantic import BaseModel, ValidationError

import servicekb.models as models
from servicekb.types import Unit, unit_dimension

PUBLIC = [
    "Adoption",
    "Channel",
    "Citation",
    "CitationCatalogue",
    "CitationRef",
    "CitationType",
    "Clause",
    "CutOff",
    "DataTable",
    "Gap",
    "LocalizedText",
    "Metric",
    "MetricCatalogue",
    "MetricDefinition",
    "MetricKind",
    "OpeningHours",
    "Override",
    "Population",
    "Provenance",
    "Scope",
    "Section",
    "SectionStatus",
    "Selector",
    "Severity",
    "Source",
    "Standard",
    "StandardStatus",
    "StoreFormat",
    "StoreProfile",
    "StrictModel",
    "Target",
    "TargetFields",
    "TicketKind",
]


def test_public_names_are_pinned():
    # Removing or renaming a public model is a breaking change for every YAML file and schema.
    assert sorted(models.__all__) == sorted(PUBLIC)


MODELS = [
    getattr(models, n)
    for n in PUBLIC
    if isinstance(getattr(models, n), type) and issubclass(getattr(models, n), BaseModel)
]


@pytest.mark.parametrize("model", MODELS, ids=[m.__name__ for m in MODELS])
def test_every_field_has_a_description(model):
    # Descriptions feed the JSON Schemas (editor hints) and the handbook.
    missing = [name for name, f in model.model_fields.items() if not f.description]
    assert missing == []


@pytest.mark.parametrize("model", MODELS, ids=[m.__name__ for m in MODELS])
def test_extra_fields_are_forbidden(model):
    assert model.model_config.get("extra") == "forbid"


def test_target_rejects_unknown_field():
    with pytest.raises(ValidationError) as exc:
        models.Target(metric="x", comparator="<=", value=1, unit="hour", quote="q", colour="red")
    assert exc.value.errors()[0]["type"] == "extra_forbidden"


def test_every_unit_has_a_dimension():
    assert all(unit_dimension(u) for u in Unit)


def test_population_key_ignores_channel_order():
    a = models.Population(channels=["phone", "online"])
    b = models.Population(channels=["online", "phone"])
    assert a.key() == b.key() and a.key() != models.Population().key()


def test_a_citation_is_labelled_as_cited_and_the_label_is_no_field():
    def cite(**fields):
        return models.Citation(id="gb-t-33000-2016", type="national_standard", **fields)

    both = cite(identifier="GB/T 33000-2016", title="售后服务管理规范")
    assert both.label == "GB/T 33000-2016 《售后服务管理规范》"
    assert cite(identifier="ISO 9001").label == "ISO 9001"
    assert cite(title="消费者权益保护法").label == "《消费者权益保护法》"
    assert cite().label == "gb-t-33000-2016"
    # a property: neither the YAML a model dumps nor its JSON Schema holds it
    assert "label" not in both.model_dump() and "label" not in models.Citation.model_json_schema()["properties"]
