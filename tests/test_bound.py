"""`Bound`: the one frozen value of a target's numbers, handed out alike by a Target, an Override and resolution."""

from __future__ import annotations

import dataclasses

import pytest

from servicekb.bound import Bound
from servicekb.models import Override, Population, Target
from servicekb.types import Clock, Comparator, Unit

FIELDS = {"comparator": "<=", "value": 24, "unit": "hour", "clock": "calendar"}


def test_target_and_override_give_the_same_bound():
    population = {"ticket_kind": "complaint", "channels": ["phone", "in_store"]}
    target = Target(metric="m", quote="q", population=population, **FIELDS)
    override = Override(metric="m", population=population, **FIELDS)
    assert target.bound == override.bound
    assert target.bound == Bound(Comparator.le, 24, None, Unit.hour, Clock.calendar, Population(**population))


def test_population_is_part_of_the_value():
    complaints = Bound(Comparator.le, 24, None, Unit.hour, None, Population(ticket_kind="complaint"))
    repairs = Bound(Comparator.le, 24, None, Unit.hour, None, Population(ticket_kind="repair"))
    assert complaints != repairs


def test_equal_populations_in_any_channel_order_are_one_key():
    # Channels are a set for the key of a target: one bound, one dict entry.
    a = Bound(Comparator.le, 24, None, Unit.hour, None, Population(channels=["phone", "in_store"]))
    b = Bound(Comparator.le, 24, None, Unit.hour, None, Population(channels=["in_store", "phone"]))
    assert a == b and len({a: 1, b: 2}) == 1


def test_bound_is_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        Bound(Comparator.le, 24, None, Unit.hour).value = 48  # type: ignore[misc]


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        (Bound(Comparator.le, 2, None, Unit.day), Bound(Comparator.le, 48, None, Unit.hour), True),
        # A day on the working-day clock is a working day, never 24 calendar hours (the graph used to group them).
        (Bound(Comparator.le, 1, None, Unit.day, Clock.working_days), Bound(Comparator.le, 24, None, Unit.hour), False),
        (
            Bound(Comparator.le, 1, None, Unit.day, Clock.working_days),
            Bound(Comparator.le, 1, None, Unit.working_day, Clock.working_days),
            True,
        ),
        # Working hours are not calendar hours.
        (Bound(Comparator.le, 8, None, Unit.hour, Clock.working_days), Bound(Comparator.le, 8, None, Unit.hour), False),
    ],
)
def test_interval_reads_units_and_clocks_as_strictness_does(a, b, same):
    assert (a.interval() == b.interval()) is same


def test_plain_data_has_one_key_order_and_floats():
    bound = Bound(Comparator.between, 2, 4, Unit.hour, Clock.working_days, Population(ticket_kind="repair"))
    assert bound.to_plain() == {
        "comparator": "between",
        "value": 2.0,
        "upper": 4.0,
        "unit": "hour",
        "clock": "working_days",
        "population": "ticket_kind=repair",
    }
    assert list(bound.to_plain()) == ["comparator", "value", "upper", "unit", "clock", "population"]
    assert isinstance(bound.to_plain()["value"], float)
    plain = Bound(Comparator.le, 24, None, Unit.hour).to_plain(clock=False)
    assert plain == {"comparator": "<=", "value": 24.0, "upper": None, "unit": "hour", "population": None}
    assert list(Bound(Comparator.le, 24, None, Unit.hour).to_plain(population=False)) == [
        "comparator",
        "value",
        "upper",
        "unit",
        "clock",
    ]
