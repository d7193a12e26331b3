"""The registry of metric kinds: one module per kind, each registering one `Kind`.

A new kind is one module that subclasses `Kind` and calls `register`; the
engine, the scorecard's verdicts, the definitions check and the worked
explanations find it here by its name (the `kind` of a metric definition).
"""

from __future__ import annotations

from servicekb.compliance.kinds.base import Explained, Kind, Plan

__all__ = ["Explained", "Kind", "Plan", "get_kind", "kind_names", "register"]

_KINDS: dict[str, Kind] = {}


def register(kind: Kind) -> Kind:
    """Add a kind to the registry (replacing one of the same name) and return it."""
    _KINDS[kind.name] = kind
    return kind


def get_kind(name) -> Kind | None:
    """The kind registered under `name` (a `MetricKind` or its value), None when unknown."""
    _load_builtin()
    return _KINDS.get(getattr(name, "value", name))


def kind_names() -> list[str]:
    """Names of every registered kind."""
    _load_builtin()
    return sorted(_KINDS)


_loaded = False


def _load_builtin() -> None:
    global _loaded
    if not _loaded:
        _loaded = True
        from servicekb.compliance.kinds import (  # noqa: F401
            count_per_period,
            deadline,
            mean,
            percentile,
            ratio,
            survey_share,
        )
