"""Compliance scoring: from a store's operational data to a scorecard a manager can trust and an auditor can retrace.

`read_dataset` reads and validates the data folder, `score_stores` scores
stores against their profiles' effective targets (one row per store x
period x target), `explain_metric` gives the worked calculation of one row.
Heavy libraries (pandas, duckdb, ibis) load only with this package.
"""

from servicekb.compliance.data import Dataset, read_dataset, validate_frames
from servicekb.compliance.deadlines import CalendarError
from servicekb.compliance.explain import ExplainError, explain_metric, render_explanations
from servicekb.compliance.scorecard import COLUMNS, STATUSES, Scorecard, score_stores
from servicekb.compliance.targets import find_profile_timezones
from servicekb.datatables import TABLES, describe_columns

__all__ = [
    "COLUMNS",
    "STATUSES",
    "TABLES",
    "CalendarError",
    "Dataset",
    "ExplainError",
    "Scorecard",
    "describe_columns",
    "explain_metric",
    "find_profile_timezones",
    "read_dataset",
    "render_explanations",
    "score_stores",
    "validate_frames",
]
