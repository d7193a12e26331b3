"""Which metric kinds exist: one module each in `servicekb/compliance/kinds/`, named as the kind.

The models validate a metric's `kind` against these names and the schemas
offer them to editors; the registry (`compliance.kinds`) imports these
modules. The names are read from the folder, not imported, so the models
stay below the engine: adding a kind is adding its module (and its tests).
`base.py` and modules starting with `_` are shared code, not kinds.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["KINDS_FOLDER", "kind_module_names"]

KINDS_FOLDER = Path(__file__).resolve().parent / "compliance" / "kinds"


def kind_module_names(folder: Path = KINDS_FOLDER) -> tuple[str, ...]:
    """Names of the kind modules in `folder`, sorted."""
    return tuple(sorted(p.stem for p in folder.glob("*.py") if not p.stem.startswith("_") and p.stem != "base"))
