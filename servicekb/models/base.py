"""The base model every servicekb model derives from, and small shared parts."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["LocalizedText", "StrictModel"]


class StrictModel(BaseModel):
    """Extra fields are forbidden: a misspelt key is an error, never ignored; `inf`, `nan` and `1e400` are no
    numbers.
    """

    model_config = ConfigDict(extra="forbid", frozen=False, use_enum_values=False, allow_inf_nan=False)


class LocalizedText(StrictModel):
    """A short text in simplified Chinese with an optional English rendering."""

    zh: str = Field(min_length=1, description="Simplified Chinese text.")
    en: str | None = Field(default=None, description="English rendering, for section titles and metric names.")
