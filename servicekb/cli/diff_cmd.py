"""`servicekb diff` (what a change does, semantically) and `servicekb review` (re-stamp links after a human looked)."""

from __future__ import annotations

import datetime as dt
from enum import Enum
from pathlib import Path

import typer

from servicekb.cli import app
from servicekb.cli.common import OutputFormat, RootOption, emit_json, fail_usage, parse_day, resolve_root


class DiffFormat(str, Enum):
    """Output format of `servicekb diff`."""

    text = "text"
    markdown = "markdown"
    json = "json"


class FailOn(str, Enum):
    """Concerns that make `servicekb diff` exit 1 unless a reason is stated."""

    loosened = "loosened"
    breaking = "breaking"


def _read_message(path: Path) -> str:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        fail_usage(f"--message-file {path}: {getattr(exc, 'strerror', None) or exc}")
        raise  # unreachable: fail_usage exits
    # git drops comment lines from the message it records; so do we.
    return "\n".join(line for line in text.splitlines() if not line.startswith("#"))


@app.command()
def diff(
    a: str = typer.Argument(..., help="Before: a git revision (main, HEAD~1, a tag) or a folder holding standards/."),
    b: str = typer.Argument(
        None, help="After: a git revision or a folder (default: the working tree).", show_default=False
    ),
    fmt: DiffFormat = typer.Option(
        DiffFormat.text, "--format", help="text for a terminal, markdown for a pull-request comment, json for tools."
    ),
    fail_on: list[FailOn] = typer.Option(
        None,
        "--fail-on",
        help=(
            "Exit 1 when a loosened target (or requirement) or a breaking schema change has no stated reason; "
            "repeatable."
        ),
        show_default=False,
    ),
    merge_base: bool = typer.Option(
        False,
        "--merge-base",
        help="Compare from the merge base of A and B (of A and HEAD when B is a folder), like `git diff --merge-base`.",
    ),
    message_file: Path = typer.Option(
        None,
        "--message-file",
        help=(
            "Also read Loosened-because: / Breaking-because: trailers from this file "
            "(the commit message being written, in a commit-msg hook)."
        ),
        show_default=False,
    ),
    as_of: str = typer.Option(
        None,
        "--as-of",
        help="Day on which store profiles are resolved and overrides judged for expiry (YYYY-MM-DD; default today).",
        show_default=False,
    ),
    impact: bool = typer.Option(
        False,
        "--impact",
        help="Also score --data under both revisions and list the stores whose status changes, metric by metric.",
    ),
    data: Path = typer.Option(
        None, "--data", help="With --impact: the data folder (as for `servicekb score`).", show_default=False
    ),
    profile: str = typer.Option(
        None,
        "--profile",
        help="With --impact: score the stores of this profile (id or stores/<id>.yaml).",
        show_default=False,
    ),
    all_stores: bool = typer.Option(
        False, "--all-stores", help="With --impact: score every store in the data against its own profile."
    ),
    max_issues: int = typer.Option(
        20, "--max-issues", min=0, help="With --impact: print at most this many data problems, then a count per kind."
    ),
    root: Path = RootOption,
) -> None:
    """Report what changed between two revisions: clauses, targets, metrics, citations, profiles, stores, links, \
schemas."""
    from servicekb.review import (
        RevisionError,
        commit_messages,
        diff_revisions,
        find_merge_base,
        open_revision,
        parse_justifications,
    )
    from servicekb.review.report import diff_to_dict, render_markdown, render_text

    day = parse_day(as_of) or dt.date.today()
    if not impact and (data is not None or profile is not None or all_stores):
        fail_usage("--data, --profile and --all-stores go with --impact")
    if impact and (data is None or (profile is None) == (not all_stores)):
        fail_usage("--impact needs --data DIR and either --profile P or --all-stores")
    base = resolve_root(root)
    b_spec = b if b is not None else str(base)
    working_tree = Path(b_spec).is_dir()
    messages = [_read_message(message_file)] if message_file is not None else []
    try:
        label_a = a
        if merge_base:
            if Path(a).is_dir():
                raise RevisionError(f"--merge-base needs a git revision, not the folder {a!r}")
            other = "HEAD" if working_tree else b_spec
            a = find_merge_base(base, a, other)
            label_a = f"merge-base({label_a}, {other})"
        rev_a = open_revision(base, a)
        rev_a.label = label_a
        rev_b = open_revision(base, b_spec)
        if b is None:
            rev_b.label = "working tree"
        if rev_a.commit is not None:
            # Commits between A and B (or A and HEAD when B is this working tree) may state reasons.
            upto = rev_b.commit or ("HEAD" if Path(b_spec).resolve() == base else None)
            if upto is not None:
                messages += commit_messages(base, rev_a.commit, upto)
    except RevisionError as exc:
        fail_usage(str(exc))
        return
    concerns = frozenset(f.value for f in fail_on or [])
    result = diff_revisions(rev_a, rev_b, day, parse_justifications(messages), concerns)
    impact_failed = False
    if impact:
        # Scored as `servicekb score` does by default: each period with the profiles of its last day.
        impact_failed = not _add_impact(result, data, profile, max_issues)
    if fmt is DiffFormat.json:
        emit_json(diff_to_dict(result))
    elif fmt is DiffFormat.markdown:
        typer.echo(render_markdown(result), nl=False)
    else:
        typer.echo(render_text(result))
    if result.blocking or impact_failed:
        raise typer.Exit(1)


def _add_impact(result, data: Path, profile: str | None, max_issues: int) -> bool:
    """Score the data under both revisions and add the status changes to the result; False when the data cannot be
    scored.

    Data problems go to stderr, at most `max_issues` of them and a count of
    the rest per kind; the diff report itself is printed either way.
    """
    from servicekb.compliance import CalendarError
    from servicekb.issues import Level, format_issue, limit_issues
    from servicekb.review.changes import sort_changes
    from servicekb.review.impact import ImpactError, score_impact

    if not data.is_dir():
        fail_usage(f"--data {data} is not a folder")
    # Scoring a broken knowledge base would report made-up changes: both sides must validate first.
    broken = [(rev, i) for rev in (result.a, result.b) for i in rev.issues if i.level is Level.error]
    if broken:
        for rev, issue in broken:
            typer.echo(f"{rev.label}: {format_issue(issue)}", err=True)
        typer.echo(
            f"error: {len(broken)} error(s) in the knowledge base; the impact was not scored: fix them first", err=True
        )
        raise typer.Exit(1)
    name = Path(profile).stem if profile is not None and profile.endswith(".yaml") else profile
    try:
        found = score_impact(result.a, result.b, data, profile=name)
    except ImpactError as exc:
        fail_usage(str(exc))
        return
    except CalendarError as exc:
        typer.echo(f"error[calendar-out-of-range] {exc}", err=True)
        raise typer.Exit(1) from None
    shown, more = limit_issues(found.issues, max_issues)
    for issue in shown:
        typer.echo(format_issue(issue), err=True)
    for line in more:
        typer.echo(line, err=True)
    if not found.ok:
        errors = sum(1 for i in found.issues if i.level is Level.error)
        typer.echo(
            f"error: {errors:,} error(s) in the data; the impact was not scored (the diff below is complete)", err=True
        )
        return False
    result.changes = sort_changes([*result.changes, *found.changes])
    return True


def _referrers(ids: list[str], corpus) -> list[str]:
    """Referrer keys named by clause ids, store ids or store profile paths; exit 2 on an unknown name."""
    from servicekb.review.links import STORE_PREFIX

    local = {c.id: sid for sid, s in corpus.stores.items() for c in s.local_clauses}
    out = []
    for name in ids:
        store = Path(name).stem if name.endswith(".yaml") else name.removeprefix(STORE_PREFIX)
        if name in corpus.clauses or name in local:
            out.append(name)
        elif store in corpus.stores:
            out.append(f"{STORE_PREFIX}{store}")
            out.extend(c.id for c in corpus.stores[store].local_clauses if c.references)
        else:
            fail_usage(f"no clause or store profile {name!r} (give a clause id, a store id or stores/<id>.yaml)")
    return list(dict.fromkeys(out))


def _status(corpus, documents, stamps, fmt: OutputFormat) -> None:
    from servicekb.issues import format_issue
    from servicekb.review.links import check_suspect_links, link_states, referrer_name

    states = [s for s in link_states(corpus, stamps) if s.state in ("suspect", "unstamped")]
    suspects = check_suspect_links(corpus, documents, stamps)
    unstamped = [s for s in states if s.state == "unstamped"]
    if fmt is OutputFormat.json:
        emit_json(
            {
                "suspect": [i.to_dict() for i in suspects],
                "unstamped": [
                    {"referrer": referrer_name(s.link.referrer), "referenced": s.link.referenced, "current": s.current}
                    for s in unstamped
                ],
            }
        )
    else:
        for issue in suspects:
            typer.echo(format_issue(issue))
        for s in unstamped:
            typer.echo(
                f"unstamped: {referrer_name(s.link.referrer)} -> {s.link.referenced} "
                f"(never reviewed; `servicekb review {referrer_name(s.link.referrer)}` stamps it)"
            )
        typer.echo(f"{len(suspects)} suspect link(s), {len(unstamped)} never stamped")
    if suspects:
        raise typer.Exit(1)


@app.command()
def review(
    ids: list[str] = typer.Argument(
        None,
        help="Clause ids or store profiles (id or stores/<id>.yaml) whose links a person has reviewed.",
        show_default=False,
    ),
    all_links: bool = typer.Option(
        False, "--all", help="Stamp every link as reviewed (first adoption) and drop stamps of referrers that are gone."
    ),
    fmt: OutputFormat = typer.Option(OutputFormat.text, "--format", help="Output format."),
    root: Path = RootOption,
) -> None:
    """Re-stamp links as reviewed in standards/review.lock; without ID, list suspect and never-stamped links."""
    from servicekb.issues import format_issue
    from servicekb.loader import load_corpus
    from servicekb.review.links import Fingerprints, iter_links, referrer_name, restamp
    from servicekb.review.stamps import LOCK_FILE, read_stamps, write_stamps

    base = resolve_root(root)
    loaded = load_corpus(base, check=False)
    corpus = loaded.corpus
    stamps, lock_issues = read_stamps(base)
    if lock_issues:
        for issue in lock_issues:
            typer.echo(format_issue(issue), err=True)
        typer.echo(
            f"error: {LOCK_FILE} cannot be read; fix it (or delete it and run `servicekb review --all`)", err=True
        )
        raise typer.Exit(1)
    if not ids and not all_links:
        _status(corpus, loaded.documents, stamps, fmt)
        return
    prints = Fingerprints(corpus)
    links = list(iter_links(corpus))
    wanted = sorted({link.referrer for link in links}) if all_links else _referrers(ids, corpus)
    fresh = restamp(corpus, wanted, prints)
    changes: dict[str, dict[str, str] | None] = {r: (fresh[r] or None) for r in wanted}
    if all_links:
        changes.update({r: None for r in stamps.entries if r not in fresh})
    dangling = [link for link in links if link.referrer in fresh and prints(link.referenced) is None]
    rows = []
    for referrer, new in sorted(changes.items()):
        old = stamps.entries.get(referrer, {})
        for referenced, print_ in sorted((new or {}).items()):
            rows.append(
                {
                    "referrer": referrer_name(referrer),
                    "referenced": referenced,
                    "fingerprint": print_,
                    "previous": old.get(referenced),
                }
            )
        for referenced in sorted(set(old) - set(new or {})):
            rows.append(
                {
                    "referrer": referrer_name(referrer),
                    "referenced": referenced,
                    "fingerprint": None,
                    "previous": old[referenced],
                }
            )
    if any(changes[r] != (stamps.entries.get(r) or None) for r in changes):
        write_stamps(base, changes)
    if fmt is OutputFormat.json:
        emit_json(
            {
                "lock": LOCK_FILE,
                "stamps": rows,
                "dangling": [{"referrer": referrer_name(x.referrer), "referenced": x.referenced} for x in dangling],
            }
        )
        return
    # With --all, only what changed is listed line by line; unchanged stamps are counted.
    shown = [r for r in rows if not all_links or r["previous"] != r["fingerprint"]]
    for row in shown:
        if row["fingerprint"] is None:
            typer.echo(f"dropped {row['referrer']} -> {row['referenced']} (no longer referenced)")
        else:
            was = (
                "new"
                if row["previous"] is None
                else "unchanged"
                if row["previous"] == row["fingerprint"]
                else f"was {row['previous']}"
            )
            typer.echo(f"stamped {row['referrer']} -> {row['referenced']} {row['fingerprint']} ({was})")
    for link in dangling:
        typer.echo(f"not stamped {referrer_name(link.referrer)} -> {link.referenced}: it does not exist", err=True)
    for referrer in wanted:
        if not fresh[referrer] and referrer not in {x.referrer for x in dangling}:
            users = sorted({referrer_name(x.referrer) for x in links if x.referenced == referrer})
            hint = f" (referred to by {', '.join(users)}: name those to re-stamp them)" if users else ""
            typer.echo(f"{referrer_name(referrer)} references nothing; nothing to stamp{hint}")
    unchanged = len(rows) - len(shown)
    typer.echo(
        f"{sum(1 for r in rows if r['fingerprint'])} link(s) stamped in {LOCK_FILE}"
        + (f" ({unchanged} unchanged)" if unchanged else "")
    )
