"""The handbook's sample data (`data/sample/`) and its scorecard.

The store pages and the notebooks score the example stores on one
synthetic dataset: one sample store per data store id the profiles claim
(`data_store_ids`), each drawn from its own random stream, so that adding a
profile leaves the other stores' rows alone. Its months are the twelve
complete months before the build day, so that no sample lies in the future
of the page that shows it. It is written when it is missing, when the claims
changed, or when its months are no longer the twelve before the build month;
the same profiles and month give the same bytes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from servicekb.corpus import Corpus

__all__ = ["SAMPLE_FOLDER", "SampleSpec", "ensure_sample", "load_sample", "sample_as_of", "sample_spec", "score_sample"]

SAMPLE_FOLDER = "data/sample"


@dataclass(frozen=True)
class SampleSpec:
    """The arguments of the sample data (those of `servicekb sample-data`)."""

    stores: int = 6
    months: int = 12
    seed: int = 0
    start: str = "2026-01"
    tickets_per_month: float = 120.0


def sample_spec(day: dt.date, months: int = 12) -> SampleSpec:
    """The sample of a build on `day`: the `months` complete months before `day`'s month."""
    index = day.year * 12 + day.month - 1 - months
    return SampleSpec(months=months, start=f"{index // 12:04d}-{index % 12 + 1:02d}")


def sample_as_of(root: Path) -> dt.date | None:
    """The last day of the sample's last month (the day its numbers speak for); None without sample data."""
    periods = _written_periods(root / SAMPLE_FOLDER)
    if not periods:
        return None
    year, month = (int(x) for x in max(periods).split("-"))
    first_next = dt.date(year + month // 12, month % 12 + 1, 1)
    return first_next - dt.timedelta(days=1)


def _written_periods(folder: Path) -> set[str]:
    import csv

    path = folder / "store_periods.csv"
    if not path.is_file():
        return set()
    with path.open(encoding="utf-8", newline="") as fh:
        return {row.get("period", "") for row in csv.DictReader(fh)} - {""}


def _expected_periods(spec: SampleSpec) -> set[str]:
    year, month = (int(x) for x in spec.start.split("-"))
    index = year * 12 + month - 1
    return {f"{(index + i) // 12:04d}-{(index + i) % 12 + 1:02d}" for i in range(spec.months)}


def _assignment(corpus: Corpus, day: dt.date, spec: SampleSpec):
    """The sample stores: exactly the data store ids the store profiles claim (`data_store_ids`), never assigned by
    order.
    """
    from servicekb.compliance import find_profile_timezones
    from servicekb.compliance.synthetic import make_claimed_stores
    from servicekb.compliance.targets import find_data_claims

    zones, abstract, _ = find_profile_timezones(corpus, day)
    online = {p: corpus.stores[p].format is not None and corpus.stores[p].format.value == "online" for p in zones}
    claims = {s: p for s, p in find_data_claims(corpus).items() if p in zones}
    chosen = make_claimed_stores([(p, zones[p], online[p]) for p in sorted(zones)], claims)
    return chosen, zones, abstract, claims


def _written_assignment(folder: Path) -> dict[str, str] | None:
    import csv

    path = folder / "stores.csv"
    if not path.is_file():
        return None
    with path.open(encoding="utf-8", newline="") as fh:
        return {row.get("store_id", ""): row.get("profile", "") for row in csv.DictReader(fh)}


def ensure_sample(root: Path, corpus: Corpus, day: dt.date, spec: SampleSpec | None = None) -> bool:
    """Write `data/sample/` under `root` when missing or out of step with the profiles or the build month; True when
    written.

    Args:
        root: The repository root.
        corpus: The loaded knowledge base (its store profiles).
        day: The build day: the sample covers the complete months before it (`sample_spec`).
        spec: Other arguments of the sample, for tests.
    """
    from servicekb.compliance.synthetic import generate_sample, write_sample

    spec = spec or sample_spec(day)
    chosen, _, _, _ = _assignment(corpus, day, spec)
    if not chosen:
        return False
    folder = root / SAMPLE_FOLDER
    if _written_assignment(folder) == {s.store_id: s.profile for s in chosen} and _written_periods(
        folder
    ) == _expected_periods(spec):
        return False
    for name in ("tickets", "surveys", "store_periods", "training", "stores"):
        # Generated tables only: answer sheets (audits.csv) put here by hand stay.
        (folder / f"{name}.csv").unlink(missing_ok=True)
    # Each store drawn from its own stream: a new profile leaves every other store's rows as they were.
    tables = generate_sample(chosen, spec.months, spec.seed, spec.start, spec.tickets_per_month, independent=True)
    write_sample(tables, folder, {s.store_id: s.timezone for s in chosen}, "csv")
    return True


def load_sample(root: Path, corpus: Corpus, day: dt.date):
    """The validated sample dataset (`compliance.Dataset`), or None when there is none."""
    from servicekb.compliance import read_dataset

    folder = root / SAMPLE_FOLDER
    if not (folder / "stores.csv").is_file():
        return None
    _, zones, abstract, claims = _assignment(corpus, day, SampleSpec())
    return read_dataset(folder, zones, abstract, display=SAMPLE_FOLDER, claims=claims)


def score_sample(root: Path, corpus: Corpus, day: dt.date, granularity: str = "month"):
    """The scorecard (`compliance.Scorecard`) of every store of the sample data, or None without usable data."""
    from servicekb.compliance import score_stores
    from servicekb.compliance.audits import check_audits

    dataset = load_sample(root, corpus, day)
    if dataset is not None:
        dataset = check_audits(dataset, corpus, day)
    if dataset is None or not dataset.ok:
        return None
    stores = sorted(dataset.stores["store_id"].astype(str))
    # Judged at the end of the sample's last month, not at the last event of any store: a store added to the
    # sample must not move the as-of time (and so the pending deadlines) of the others.
    end = sample_as_of(root) or day
    return score_stores(corpus, dataset, stores, granularity, end.isoformat())
