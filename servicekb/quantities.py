"""Quantities stated in Chinese text (temporary adapter over the ingest parser; replaced by the moved parser)."""

from __future__ import annotations

from dataclasses import dataclass

from servicekb.types import Clock, Comparator, Unit

__all__ = ["Quantity", "find_quantities"]


@dataclass(frozen=True)
class Quantity:
    """A number with its unit and comparator, and its span in the text."""

    comparator: Comparator
    value: float
    upper: float | None
    unit: Unit
    clock: Clock | None
    start: int
    end: int


def find_quantities(text: str) -> list[Quantity]:
    """Every target-like quantity of the text, in order."""
    from servicekb.ingest.targets import find_quantities as _find

    out = []
    for p in _find(text):
        left = text.find(p.quote, max(0, p.start - 17))
        end = left + len(p.quote) if left >= 0 else p.start
        out.append(Quantity(p.comparator, p.value, p.upper, p.unit, p.clock, p.start, end))
    return out
