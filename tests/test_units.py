"""The unit table: one entry per unit, read by conversion, strictness, grouping, formatting and the models."""

from __future__ import annotations

import json
import textwrap

import pytest
from conftest import ROOT, add_after, run_in_package_copy

from servicekb.bound import Bound
from servicekb.models import Target
from servicekb.strictness import compare_strictness
from servicekb.types import Clock, Comparator, Direction, Unit
from servicekb.units import (
    UNITS,
    Dimension,
    convert,
    format_number,
    format_quantity,
    format_target,
    name_unit,
    unit_dimension,
)


def test_the_enum_is_the_table():
    # The models' Unit is derived from the table, in its order (the schema's enum order).
    assert [u.value for u in Unit] == [spec.id for spec in UNITS]
    assert unit_dimension(Unit.working_day) is Dimension.duration


@pytest.mark.parametrize(
    ("value", "unit", "to", "expected"),
    [
        (2, Unit.day, Unit.hour, 48),  # calendar durations share one scale
        (90, Unit.second, Unit.minute, 1.5),
        (1, Unit.per_quarter, Unit.per_year, 4),  # frequencies per year
        (3, Unit.working_day, Unit.day, None),  # a working day is no fixed length
        (5, Unit.percent, Unit.point, None),  # other dimensions never convert
    ],
)
def test_convert(value, unit, to, expected):
    assert convert(value, unit, to) == expected


@pytest.mark.parametrize(
    ("bound", "style", "text"),
    [
        (Bound(Comparator.le, 48, None, Unit.hour), "zh", "≤ 48 小时"),
        (Bound(Comparator.between, 2, 4, Unit.hour), "zh", "介于 2–4 小时"),
        (Bound(Comparator.le, 24, None, Unit.hour, Clock.working_days), "zh", "≤ 24 小时（工作时间）"),
        (Bound(Comparator.ge, 0.3, None, Unit.ratio), "zh", "≥ 0.3"),  # a bare ratio has no label
        (Bound(Comparator.ge, 90, None, Unit.percent), "zh-words", "不低于 90 %"),
        (Bound(Comparator.between, 2, 4, Unit.hour), "zh-words", "介于 2 至 4 小时"),
        (Bound(Comparator.le, 3, None, Unit.working_day, Clock.working_days), "en", "<= 3 working days"),
        (Bound(Comparator.le, 8, None, Unit.hour, Clock.working_days), "en", "<= 8 working hours"),
        (Bound(Comparator.between, 2, 4, Unit.hour), "en", "between 2 and 4 h"),
        (Bound(Comparator.le, 24, None, Unit.hour, Clock.working_days), "id", "<= 24 hour (working time)"),
        (Bound(Comparator.between, 2, 4, Unit.per_month), "id", "between 2-4 per_month"),
    ],
)
def test_one_formatter_four_styles(bound, style, text):
    assert bound.format(style) == text


def test_unknown_style_is_refused():
    with pytest.raises(ValueError, match="unknown style"):
        format_target(Comparator.le, 1, None, Unit.hour, style="fr")


@pytest.mark.parametrize(
    ("value", "unit", "digits", "text"),
    [
        (96.25, "percent", 1, "96.2 %"),  # rounded half to even on the binary value, as before
        (12.0, "hour", 2, "12 小时"),
        (0.5, "ratio", 2, "0.5"),
        (3, "per_quarter", None, "3 次/季度"),
        (7, "widgets", None, "7 widgets"),  # a unit the table does not know is written as given
    ],
)
def test_format_quantity(value, unit, digits, text):
    assert format_quantity(value, unit, digits) == text


def test_a_unit_named_on_its_own():
    # After a number a ratio has no label; on its own (a column, the checklist's 实测值以“…”填写) it is 比值.
    assert [name_unit(u) for u in (Unit.hour, Unit.ratio, Unit.per_month)] == ["小时", "比值", "次/月"]


def test_format_number_drops_trailing_zeros():
    assert [format_number(x) for x in (48.0, 2.5, 0.03, -0.0000001)] == ["48", "2.5", "0.03", "0"]


# A new unit, added as one entry of the table in a copy of the package: nothing else is edited.
NEW_UNIT = '    UnitSpec("week", Dimension.duration, CALENDAR_SECONDS, 604800.0, "周", "weeks"),\n'
ANCHOR = '    UnitSpec("day", Dimension.duration, CALENDAR_SECONDS, 86400.0, "天", "days"),\n'

PROBE = textwrap.dedent(
    """
    import json, sys
    import servicekb
    from servicekb.bound import Bound
    from servicekb.checks import check_target
    from servicekb.loader import load_corpus
    from servicekb.models import Override, Target
    from servicekb.schemas import render_schemas
    from servicekb.strictness import compare_strictness
    from servicekb.types import Comparator, Direction, Unit
    from servicekb.units import convert

    root = sys.argv[1]
    week = Target.model_validate(
        {"metric": "complaint-resolution-time", "comparator": "<=", "value": 1, "unit": "week", "quote": "一周内"}
    )
    override = Override.model_validate(
        {"metric": "complaint-resolution-time", "comparator": "<=", "value": 2, "unit": "week"}
    )
    ten_days = Bound(Comparator.le, 10, None, Unit.day)
    metrics = load_corpus(__import__("pathlib").Path(root)).corpus.metrics
    issues = list(check_target(week, metrics, ("targets", 0), lambda *a, **k: a))
    print(json.dumps({
        "package": servicekb.__file__,
        "convert": convert(2, Unit.week, Unit.day),
        "stricter": compare_strictness(week.bound, ten_days, Direction.lower_is_better),
        "looser": compare_strictness(override.bound, ten_days, Direction.lower_is_better),
        "same_interval": week.bound.interval() == Bound(Comparator.le, 7, None, Unit.day).interval(),
        "zh": override.bound.format(), "zh_words": override.bound.format("zh-words"),
        "en": override.bound.format("en"), "id": override.bound.describe(),
        "issues": [list(i[:2]) for i in issues],
        "schema": '"week"' in render_schemas()["store-profile.schema.json"],
    }, ensure_ascii=False))
    """
)


def test_adding_a_unit_is_one_entry_in_one_file(tmp_path):
    done = run_in_package_copy(tmp_path, lambda pkg: add_after(pkg / "units.py", ANCHOR, NEW_UNIT), PROBE, str(ROOT))
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)
    assert found["package"].startswith(str(tmp_path))  # the copy, not the repository's package
    assert found["convert"] == 14
    assert found["stricter"] == -1  # 1 week is stricter than 10 days on a lower-is-better metric
    assert found["looser"] == 1  # 2 weeks is looser
    assert found["same_interval"] is True  # 1 week and 7 days are one requirement for the graph
    assert (found["zh"], found["zh_words"], found["en"], found["id"]) == (
        "≤ 2 周",
        "不超过 2 周",
        "<= 2 weeks",
        "<= 2 week",
    )
    assert found["issues"] == []  # a duration unit fits a duration metric: no unit-mismatch
    assert found["schema"] is True  # `servicekb schemas` would offer it to editors


def test_strictness_reads_the_table_across_units():
    two_days = Target(metric="m", comparator="<=", value=2, unit="day", quote="q")
    forty_hours = Target(metric="m", comparator="<=", value=40, unit="hour", quote="q")
    assert compare_strictness(forty_hours.bound, two_days.bound, Direction.lower_is_better) == -1
