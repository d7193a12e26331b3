"""The `servicekb` command line: formats results and chooses exit codes.

Exit codes: 0 success, 1 findings (errors, or warnings with --strict),
2 usage error. Each command group lives in its own module and registers on
`app`; heavy libraries (pandas, altair, jupyter) are imported inside the
commands that need them so that `servicekb validate` starts fast.
"""

from __future__ import annotations

import typer

app = typer.Typer(
    name="servicekb",
    help="Customer-service standards as validated data, a checked graph and an executable handbook.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _register() -> None:
    # Imported for their side effect of adding commands to `app`.
    from servicekb.cli import (  # noqa: F401
        book_cmd,
        checklist_cmd,
        diff_cmd,
        graph_cmd,
        ingest_cmd,
        resolve_cmd,
        score_cmd,
        search_cmd,
        validate_cmd,
    )


def main() -> None:
    """Console-script entry point."""
    _register()
    app()
