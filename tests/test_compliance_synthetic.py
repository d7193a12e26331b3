"""The synthetic dataset follows the table declarations (servicekb/datatables.py): a column is declared once."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

from servicekb.compliance.data import validate_frames
from servicekb.compliance.synthetic import generate_sample, make_sample_stores, write_sample
from servicekb.datatables import TABLES, ColumnSpec

PROFILES = [("shop-a", "Asia/Shanghai", False), ("shop-b", "Europe/Paris", True)]


def _sample(independent: bool = False) -> dict[str, pd.DataFrame]:
    stores = make_sample_stores(3, PROFILES)
    return generate_sample(
        stores, 2, seed=7, tickets_per_store_month=15, surveys_per_store_month=10, independent=independent
    )


@pytest.mark.parametrize("independent", [False, True])  # one stream for all stores; one stream per store
def test_every_table_has_the_declared_columns_in_the_declared_order(independent):
    for name, frame in _sample(independent).items():
        assert list(frame.columns) == list(TABLES[name].names), name


def test_a_declared_optional_column_appears_empty_without_touching_the_generator(monkeypatch, tmp_path):
    before = _sample()
    extra = ColumnSpec("visit_reason", "text", "Why the customer came.", required=False, nullable=True)
    monkeypatch.setitem(
        TABLES, "surveys", dataclasses.replace(TABLES["surveys"], columns=(*TABLES["surveys"].columns, extra))
    )
    after = _sample()
    surveys = after["surveys"]
    assert (
        list(surveys.columns) == [*before["surveys"].columns, "visit_reason"] and surveys["visit_reason"].isna().all()
    )
    pd.testing.assert_frame_equal(surveys.drop(columns="visit_reason"), before["surveys"])
    # The validation reads the same declaration: the sample with its new column is clean.
    zones = {p: tz for p, tz, _ in PROFILES}
    assert validate_frames(after, zones).issues() == []
    written = write_sample(after, tmp_path, {s.store_id: s.timezone for s in make_sample_stores(3, PROFILES)})
    header, first = (tmp_path / "surveys.csv").read_text(encoding="utf-8").splitlines()[:2]
    assert tmp_path / "surveys.csv" in written
    assert header.endswith(",visit_reason") and first.endswith(",")


def test_a_declared_required_column_the_generator_does_not_draw_is_an_error(monkeypatch):
    needed = ColumnSpec("visit_reason", "text", "Why the customer came.")
    monkeypatch.setitem(
        TABLES, "surveys", dataclasses.replace(TABLES["surveys"], columns=(*TABLES["surveys"].columns, needed))
    )
    with pytest.raises(ValueError, match=r"surveys table does not match its spec: missing \['visit_reason'\]"):
        _sample()
