"""The handbook's words: re-exported from `servicekb.vocab`, their one home (shared with the scorecard outputs)."""

from servicekb.vocab import *  # noqa: F403
from servicekb.vocab import __all__  # noqa: F401
