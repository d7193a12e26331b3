"""The registry of metric kinds: one module per kind, each registering one `Kind`.

A new kind is one module in this folder, named as the kind, that subclasses
`Kind` and calls `register`; the models accept its name (`servicekb.kindnames`),
and the engine, the scorecard's verdicts, the definitions check and the
worked explanations find it here by its name (the `kind` of a metric definition).
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
    """Import every kind module of this folder (`servicekb.kindnames`); each must register the kind it is named."""
    global _loaded
    if not _loaded:
        _loaded = True
        import importlib

        from servicekb.kindnames import kind_module_names

        for name in kind_module_names():
            importlib.import_module(f"{__name__}.{name}")
            if name not in _KINDS:
                raise RuntimeError(f"servicekb/compliance/kinds/{name}.py registers no kind named {name!r}")
