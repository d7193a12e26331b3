"""The semantics of the scorecard, each pinned on the fixture data (tests/fixtures/compliance)."""

from __future__ import annotations

import dataclasses
import datetime as dt

import numpy as np
import pandas as pd
import pytest
from conftest import FIXTURES

from servicekb.compliance.data import read_dataset
from servicekb.compliance.scorecard import COLUMNS, decide_status, score_stores
from servicekb.compliance.targets import build_targets, find_profile_timezones, find_specs
from servicekb.loader import load_corpus

REPO = FIXTURES / "compliance" / "repo"
DATA = FIXTURES / "compliance" / "data"


@pytest.fixture(scope="module")
def corpus():
    result = load_corpus(REPO)
    assert result.issues == []
    return result.corpus


@pytest.fixture(scope="module")
def dataset(corpus):
    zones, abstract, bad = find_profile_timezones(corpus, dt.date(2026, 1, 1))
    assert bad == [] and zones == {"shop-sh": "Asia/Shanghai", "shop-paris": "Europe/Paris"}
    return read_dataset(DATA, zones, abstract, display="data")


@pytest.fixture(scope="module")
def monthly(corpus, dataset):
    return score_stores(corpus, dataset, ["pa1", "sh1"]).frame


def row(frame: pd.DataFrame, store: str, period: str, metric: str, population: str = "all") -> pd.Series:
    found = frame[
        (frame.store_id == store)
        & (frame.period == period)
        & (frame.metric == metric)
        & (frame.population == population)
    ]
    assert len(found) == 1, (store, period, metric, population)
    return found.iloc[0]


def test_one_row_per_store_period_and_effective_target(monthly):
    assert list(monthly.columns[: len(COLUMNS)]) == COLUMNS
    # 2 stores x 10 months (January to October) x 17 effective targets of ops.yaml.
    assert len(monthly) == 2 * 10 * 17
    assert not monthly.duplicated(["store_id", "period", "metric", "population"]).any()


def test_an_event_belongs_to_the_month_of_its_opening_in_the_store_timezone(monthly):
    # T01 opened 31 Jan 23:30 Shanghai: January. T02 opened 31 Jan 16:30 UTC = 1 Feb 00:30 Shanghai: February.
    assert row(monthly, "sh1", "2026-01", "complaint-first-response-time", "ticket_kind=complaint")["n"] == 3
    assert row(monthly, "sh1", "2026-02", "complaint-first-response-time", "ticket_kind=complaint")["n"] == 1
    # Survey R07 at 31 Jan 23:30 Paris is January; R08 at 31 Jan 23:30 UTC is 1 Feb 00:30 in Paris.
    assert row(monthly, "pa1", "2026-01", "customer-satisfaction")["n"] == 1
    assert row(monthly, "pa1", "2026-02", "customer-satisfaction")["n"] == 2


def test_elapsed_time_is_absolute_across_a_daylight_saving_change(monthly):
    # P03: 01:30 -> 03:30 Paris wall clock on 29 March is one hour (clocks jump at 02:00);
    # the 90th percentile of one value is that value.
    assert row(monthly, "pa1", "2026-03", "complaint-response-p90", "ticket_kind=complaint")["value"] == pytest.approx(
        1.0
    )


def test_a_survey_share_counts_four_and_five_as_satisfied_with_a_wilson_interval(monthly):
    # sh1 January, topic overall (the metric's default): scores 5, 4, 3, 5 -> 3 of 4 satisfied.
    r = row(monthly, "sh1", "2026-01", "customer-satisfaction")
    assert (r["value"], r["n"]) == (75.0, 4)
    assert r["ci_low"] < 75.0 < r["ci_high"]
    assert r["status"] == "inconclusive"
    # The display-topic target reads only display answers: 2 and 4.
    assert row(monthly, "sh1", "2026-01", "customer-satisfaction", "topic=display")[["value", "n"]].tolist() == [
        50.0,
        2,
    ]


@pytest.mark.parametrize(
    ("comparator", "ci", "status"),
    [
        # the whole interval above an at-least target
        (">=", (91, 97), "pass"),
        # the whole interval below it
        (">=", (80, 89), "fail"),
        # the interval straddles the target
        (">=", (85, 95), "inconclusive"),
        # an at-most target is mirrored: the whole interval below passes
        ("<=", (2, 8), "pass"),
        ("<=", (91, 97), "fail"),
        ("<=", (85, 95), "inconclusive"),
        # the lower end exactly on the target passes
        (">=", (90, 96), "pass"),
    ],
)
def test_survey_status_follows_the_interval(comparator, ci, status):
    frame = pd.DataFrame(
        {
            "value": [np.mean(ci)],
            "comparator": [comparator],
            "target": [90.0],
            "target_upper": [np.nan],
            "ci_low": [ci[0]],
            "ci_high": [ci[1]],
            "required": [np.nan],
        }
    )
    assert decide_status(frame, pd.Series(["survey_share"]), np.array([True]), np.array([True]))[0] == status


def test_no_answers_is_no_data(monthly):
    r = row(monthly, "sh1", "2026-05", "customer-satisfaction")
    assert (r["status"], r["n"], r["reason"]) == ("no-data", 0, "no answers")


def test_ratios_are_exact_with_no_interval(monthly):
    # Complaint rate: 3 complaints in January per 400 transactions x 100.
    r = row(monthly, "sh1", "2026-01", "complaint-rate")
    assert (r["value"], r["status"]) == (0.75, "pass") and np.isnan(r["ci_low"])
    # Shrinkage (book - counted) / book: (1,000,000 - 985,000) / 1,000,000 = 1.5 %.
    assert row(monthly, "sh1", "2026-01", "inventory-shrinkage")["value"] == pytest.approx(1.5)
    # Paris February: (500,000 - 480,000) / 500,000 = 4 % > 2 %.
    assert row(monthly, "pa1", "2026-02", "inventory-shrinkage")["status"] == "fail"


@pytest.mark.parametrize(
    ("period", "reason"),
    [
        # February's transactions are empty: the rate is not silently computed on nothing
        ("2026-02", "empty values in 1 row(s)"),
        # March has zero transactions
        ("2026-03", "transactions is 0"),
        # no store_periods row at all for May
        ("2026-05", "no store_periods rows"),
    ],
)
def test_a_ratio_without_a_denominator_is_no_data_with_the_reason(monthly, period, reason):
    r = row(monthly, "sh1", period, "complaint-rate")
    assert (r["status"], r["reason"]) == ("no-data", reason)


def test_a_quarter_is_the_ratio_of_its_totals(corpus, dataset):
    quarterly = score_stores(corpus, dataset, ["pa1", "sh1"], "quarter").frame
    # sh1 Q1 shrinkage: (15,000 + 10,000 + 30,000) / 3,000,000 = 1.83 %.
    assert row(quarterly, "sh1", "2026-Q1", "inventory-shrinkage")["value"] == pytest.approx(100 * 55_000 / 3_000_000)
    # Complaints per 100 transactions over the quarter: February's empty transactions make the quarter no-data.
    assert row(quarterly, "sh1", "2026-Q1", "complaint-rate")["status"] == "no-data"
    # pa1: the quarter's 3 complaints (P01, P02, P03) per its 510 transactions (250 + 260), not a mean of monthly rates.
    assert row(quarterly, "pa1", "2026-Q1", "complaint-rate")["value"] == pytest.approx(100 * 3 / 510)


def test_deadlines_report_attainment_breaches_pending_and_worst_delay(monthly):
    # Feedback in October: T04 late, T06 pending (deadline 3 Nov after the as-of time),
    # T07 unanswered past its deadline.
    r = row(monthly, "sh1", "2026-10", "feedback-resolution-time", "ticket_kind=feedback")
    assert (r["value"], r["n"], r["breaches"], r["pending"], r["status"]) == (0.0, 2, 2, 1, "fail")
    # T07: opened Tue 20 Oct, due Fri 23 Oct, still open at the end of the data (31 Oct):
    # 5 working days late (26-30 Oct).
    assert r["worst_delay"] == 5.0
    assert r["value_unit"] == "percent"


def test_the_required_attainment_comes_from_the_profile_service_level(monthly):
    # baseline.yaml: complaint-first-response-time 50 %. Paris January: 1 of 1 on time.
    r = row(monthly, "sh1", "2026-10", "complaint-first-response-time", "ticket_kind=complaint")
    assert (r["required"], r["value"], r["status"]) == (50.0, 0.0, "fail")
    # Without a service level 100 % is required: one late resolution of three fails January.
    r = row(monthly, "sh1", "2026-01", "complaint-resolution-time", "ticket_kind=complaint")
    assert (r["required"], r["breaches"], r["status"]) == (100.0, 1, "fail")


def test_an_override_applies_in_the_periods_it_is_in_force(monthly):
    # shop-paris relaxes complaint resolution to 72 h until 31 January; February is back to 48 h.
    jan = row(monthly, "pa1", "2026-01", "complaint-resolution-time", "ticket_kind=complaint")
    feb = row(monthly, "pa1", "2026-02", "complaint-resolution-time", "ticket_kind=complaint")
    assert (jan["target"], jan["override"], jan["status"]) == (72.0, "shop-paris overrides[0]", "pass")
    assert (feb["target"], feb["override"], feb["status"]) == (48.0, "", "fail")


def test_the_targets_measured_are_those_the_rows_point_to_numbered_alike(corpus, dataset):
    # Scoring measures the distinct targets of the outer grid before it makes the rows (find_specs).
    from servicekb.compliance.periods import Grid

    stores = dataset.stores[dataset.stores["store_id"].isin(["pa1", "sh1"])]
    zones = ("Asia/Shanghai", "Europe/Paris")
    relaxed = {}
    for first, count in [(672, 10), (672, 1), (673, 1)]:  # 2026-01..10, January (the override expires), February
        grid = Grid(pd.Index(["pa1", "sh1"]), zones, np.array([1, 0]), "month", first, count)
        table = build_targets(corpus, stores, grid, dt.date(2026, 10, 31))
        specs = find_specs(corpus, stores, grid, dt.date(2026, 10, 31))
        assert [t.key for t in specs] == [t.key for t in table.specs]
        assert [t.spec_id for t in specs] == list(range(len(specs)))
        assert set(table.frame["spec_id"]) == set(range(len(specs)))
        relaxed[(first, count)] = any(t.metric.id == "complaint-resolution-time" and t.spec.value == 72 for t in specs)
    # The relaxed January target is a target of its own: measured only when January is on the grid.
    assert relaxed == {(672, 10): True, (672, 1): True, (673, 1): False}


def test_a_count_per_period_is_undecided_while_its_window_is_open(monthly):
    # Training at least once a quarter. sh1: 15 Sep (Q3), 20 Oct (Q4, already met although Q4 is still open).
    assert row(monthly, "sh1", "2026-08", "training-frequency")["status"] == "pass"
    assert row(monthly, "sh1", "2026-10", "training-frequency")["status"] == "pass"
    # sh1 has no session in Q2: April to June fail. pa1 never trains: Q4 is still open at the end of October.
    assert row(monthly, "sh1", "2026-05", "training-frequency")["status"] == "fail"
    open_q4 = row(monthly, "pa1", "2026-10", "training-frequency")
    assert (open_q4["status"], open_q4["value"], open_q4["reason"]) == (
        "inconclusive",
        0.0,
        "the window is still open at the as-of time",
    )


def test_means_and_percentiles(monthly):
    # CSI = mean score x 20: (5 + 4 + 3 + 5) / 4 x 20 = 85.
    assert row(monthly, "sh1", "2026-01", "csi-score")["value"] == pytest.approx(85.0)
    # Sessions of 2 to 4 hours: January attendances 3 h and 3 h; February 1.5 h fails.
    assert row(monthly, "sh1", "2026-01", "training-session-duration")["status"] == "pass"
    assert row(monthly, "sh1", "2026-02", "training-session-duration")["status"] == "fail"
    # 90th percentile of January complaint responses (2 h, 10.5 h, 12 h), interpolated: 10.5 + 0.8 x 1.5 = 11.7 h.
    assert row(monthly, "sh1", "2026-01", "complaint-response-p90", "ticket_kind=complaint")["value"] == pytest.approx(
        11.7
    )


@pytest.mark.parametrize(
    ("metric", "population", "reason"),
    [
        # no definition in the catalogue
        ("guidance-session-duration", "all", "the metric has no definition over the operational data"),
        # the population names a channel, but store_periods has no channel
        (
            "display-cost-share",
            "channels=online",
            "population channels=online cannot be selected in store_periods (no column for it)",
        ),
    ],
)
def test_what_cannot_be_computed_is_reported_not_dropped(monthly, metric, population, reason):
    rows = monthly[(monthly.metric == metric) & (monthly.population == population)]
    assert len(rows) == 20 and set(rows.status) == {"not-computable"} and set(rows.reason) == {reason}


def test_an_implied_population_needs_no_column(monthly):
    # training-coverage's population topic=skills-training is what staff_trained counts.
    assert row(monthly, "sh1", "2026-01", "training-coverage", "topic=skills-training")["value"] == pytest.approx(90.0)


def test_a_ticket_population_topic_selects_the_category(monthly):
    # Only T11 (category vip) counts; T12 took 5 hours but is a sizing question.
    r = row(monthly, "sh1", "2026-01", "consultation-response-time", "ticket_kind=consultation, topic=vip")
    assert (r["n"], r["status"]) == (1, "pass")


def test_an_earlier_as_of_time_turns_breaches_into_pending_and_hides_later_events(corpus, dataset):
    card = score_stores(corpus, dataset, ["pa1", "sh1"], as_of="2026-10-21").frame
    r = row(card, "sh1", "2026-10", "feedback-resolution-time", "ticket_kind=feedback")
    # T07 (opened 20 Oct, due 23 Oct) is pending on 21 Oct; T04 was resolved on 14 Oct, late; T06 opened after 21 Oct.
    assert (r["breaches"], r["pending"], r["n"]) == (1, 1, 1)
    assert card["period"].max() == "2026-10"


def test_the_as_of_time_is_an_instant_even_when_the_clocks_repeat_its_local_hour(corpus, dataset):
    # Paris falls back on 25 October 2026 at 01:00 UTC: the local hour 02:00-03:00 happens twice. An as-of time of
    # 02:30 is the first 02:30 (00:30 UTC); a ticket opened at the second 02:15 (01:15 UTC) comes after it.
    tickets = dataset.tables["tickets"]
    extra = tickets[tickets["ticket_id"] == "P01"].iloc[[0, 0]].copy()
    extra["ticket_id"] = ["P90", "P91"]
    extra["opened_at"] = pd.to_datetime(["2026-10-25 00:15", "2026-10-25 01:15"]).tz_localize("UTC")
    extra["first_response_at"] = extra["resolved_at"] = pd.NaT
    extra.index = [-2, -1]
    more = dataclasses.replace(dataset, tables={**dataset.tables, "tickets": pd.concat([tickets, extra])})
    card = score_stores(corpus, more, ["pa1"], as_of="2026-10-25T02:30:00").frame
    r = row(card, "pa1", "2026-10", "problem-resolution-rate")
    assert (r["n"], r["value"]) == (1, 0.0)


def test_the_periods_are_the_scored_stores_own_whatever_other_stores_data_hold(corpus, dataset):
    # pa1's rows run from January to 30 April 22:30 UTC (1 May in Paris), sh1's to October. Given an as-of
    # time, the grid is still pa1's own months (sh1's later rows do not widen it), as when the as-of time is
    # the end of pa1's data.
    given = score_stores(corpus, dataset, ["pa1"], as_of="2026-12-31").frame
    own = score_stores(corpus, dataset, ["pa1"]).frame
    months = ["2026-01", "2026-02", "2026-03", "2026-04", "2026-05"]
    assert sorted(set(given["period"])) == sorted(set(own["period"])) == months
    # The targets are numbered alike: one spec id per (metric, population, target) in both cards.
    key = ["spec_id", "metric", "population", "target", "comparator"]
    assert given[key].drop_duplicates().equals(own[key].drop_duplicates())


def test_a_store_without_rows_is_scored_on_the_as_of_period_with_no_data(corpus, dataset):
    # sh1's rows removed: the other store's January to October do not make periods for sh1.
    without = dataclasses.replace(
        dataset, tables={name: frame[frame["store_id"] != "sh1"] for name, frame in dataset.tables.items()}
    )
    card = score_stores(corpus, without, ["sh1"], as_of="2026-12-31")
    assert set(card.frame["period"]) == {"2026-12"}
    # Nothing counted: no data, or a count of none while its window is open; never a verdict.
    assert (card.frame["n"] == 0).all()
    assert not card.frame["status"].isin(["pass", "fail"]).any()
    assert len(card.frame) == len(card.frame.drop_duplicates(["metric", "population"]))


def test_an_as_of_beyond_the_calendar_still_scores_what_the_calendar_can_judge(corpus, dataset):
    card = score_stores(corpus, dataset, ["pa1", "sh1"], as_of="2027-02-01T00:00:00Z")
    r = row(card.frame, "sh1", "2026-10", "feedback-resolution-time", "ticket_kind=feedback")
    # T04 answered late in 2026; T06 and T07, unanswered, passed their third working day inside 2026: overdue.
    assert (r["breaches"], r["pending"], r["status"]) == (3, 0, "fail")
    assert card.context.unjudged == {}


@pytest.mark.parametrize(
    ("value", "nature", "status"),
    [
        # a classification threshold ("超过5%的门店列为高风险") met by the figure: a flag, not a fail
        (6.2, "classification", "flagged"),
        (3.1, "classification", "not-flagged"),
        # the same figure against a firm target is pass/fail
        (6.2, "firm", "pass"),
        # nothing measured: no data, whatever the nature
        (np.nan, "classification", "no-data"),
    ],
)
def test_a_classification_threshold_is_a_flag_with_its_figure_never_pass_or_fail(value, nature, status):
    frame = pd.DataFrame(
        {
            "value": [value],
            "comparator": [">"],
            "target": [5.0],
            "target_upper": [np.nan],
            "ci_low": [np.nan],
            "ci_high": [np.nan],
            "required": [np.nan],
        }
    )
    assert (
        decide_status(
            frame, pd.Series(["ratio"]), np.array([True]), np.array([True]), np.array([nature], dtype=object)
        )[0]
        == status
    )
