"""Periods of a line: alignments, anchors at month ends, year-end cut, validity window."""

from __future__ import annotations

from itertools import islice

import pytest

from tests.domain.helpers import d
from tui_billing.domain.frequency import Frequency
from tui_billing.domain.periods import Period, generate_periods, line_periods, split_period


def first(
    anchor: str,
    frequency: str | dict,
    count: int,
    alignment: str = "start",
    cut: bool = False,
) -> list[tuple[str, str]]:
    """The first ``count`` periods as (start, end) ISO pairs."""
    periods = generate_periods(d(anchor), Frequency.parse(frequency), alignment, cut)
    return [(p.start.isoformat(), p.end.isoformat()) for p in islice(periods, count)]


def nominal(anchor: str, frequency: str | dict, count: int, alignment: str, cut: bool = False):
    """The first ``count`` nominal periods as (start, end) ISO pairs."""
    periods = generate_periods(d(anchor), Frequency.parse(frequency), alignment, cut)
    return [
        (p.nominal_start.isoformat(), p.nominal_end.isoformat()) for p in islice(periods, count)
    ]


# -- start alignment: anchor + k x frequency, never chained, clamped to the month end --------


def test_anchor_on_31_january_gives_month_ends() -> None:
    assert first("2024-01-31", "monthly", 5) == [
        ("2024-01-31", "2024-02-28"),
        ("2024-02-29", "2024-03-30"),
        ("2024-03-31", "2024-04-29"),
        ("2024-04-30", "2024-05-30"),
        ("2024-05-31", "2024-06-29"),
    ]


def test_anchor_on_30_january() -> None:
    assert first("2023-01-30", "monthly", 4) == [
        ("2023-01-30", "2023-02-27"),
        ("2023-02-28", "2023-03-29"),
        ("2023-03-30", "2023-04-29"),
        ("2023-04-30", "2023-05-29"),
    ]


def test_anchor_on_29_january_in_a_common_and_a_leap_year() -> None:
    assert first("2023-01-29", "monthly", 3) == [
        ("2023-01-29", "2023-02-27"),
        ("2023-02-28", "2023-03-28"),
        ("2023-03-29", "2023-04-28"),
    ]
    assert first("2024-01-29", "monthly", 2) == [
        ("2024-01-29", "2024-02-28"),
        ("2024-02-29", "2024-03-28"),
    ]


def test_anchor_on_29_february() -> None:
    assert first("2024-02-29", "annual", 5) == [
        ("2024-02-29", "2025-02-27"),
        ("2025-02-28", "2026-02-27"),
        ("2026-02-28", "2027-02-27"),
        ("2027-02-28", "2028-02-28"),
        ("2028-02-29", "2029-02-27"),
    ]
    assert first("2024-02-29", "monthly", 3) == [
        ("2024-02-29", "2024-03-28"),
        ("2024-03-29", "2024-04-28"),
        ("2024-04-29", "2024-05-28"),
    ]


def test_quarterly_anchor_on_31_august() -> None:
    assert first("2023-08-31", "quarterly", 4) == [
        ("2023-08-31", "2023-11-29"),
        ("2023-11-30", "2024-02-28"),
        ("2024-02-29", "2024-05-30"),
        ("2024-05-31", "2024-08-30"),
    ]


def test_weeks_and_days() -> None:
    assert first("2024-12-25", "weekly", 2) == [
        ("2024-12-25", "2024-12-31"),
        ("2025-01-01", "2025-01-07"),
    ]
    assert first("2024-02-27", {"every": 2, "unit": "day"}, 2) == [
        ("2024-02-27", "2024-02-28"),
        ("2024-02-29", "2024-03-01"),
    ]


def test_start_alignment_periods_are_whole() -> None:
    periods = list(islice(generate_periods(d("2024-01-31"), Frequency(1, "month")), 12))
    assert all(p.whole for p in periods)


# -- month_end: a first period to the end of the anchor's (N-th) month, then whole months ----


def test_month_end_monthly_from_mid_month() -> None:
    assert first("2024-01-15", "monthly", 3, "month_end") == [
        ("2024-01-15", "2024-01-31"),
        ("2024-02-01", "2024-02-29"),
        ("2024-03-01", "2024-03-31"),
    ]
    assert nominal("2024-01-15", "monthly", 1, "month_end") == [("2024-01-01", "2024-01-31")]


def test_month_end_quarterly_counts_the_anchor_month() -> None:
    assert first("2024-01-15", "quarterly", 3, "month_end") == [
        ("2024-01-15", "2024-03-31"),
        ("2024-04-01", "2024-06-30"),
        ("2024-07-01", "2024-09-30"),
    ]
    assert first("2024-02-01", "quarterly", 2, "month_end") == [
        ("2024-02-01", "2024-04-30"),
        ("2024-05-01", "2024-07-31"),
    ]


def test_month_end_with_weeks_is_start_aligned() -> None:
    assert first("2024-07-03", "weekly", 2, "month_end") == first("2024-07-03", "weekly", 2)


# -- calendar: calendar months, bimesters, quarters, four-month blocks, halves, years --------


@pytest.mark.parametrize(
    ("anchor", "frequency", "expected"),
    [
        ("2024-02-15", "monthly", [("2024-02-15", "2024-02-29"), ("2024-03-01", "2024-03-31")]),
        ("2024-04-10", "bimonthly", [("2024-04-10", "2024-04-30"), ("2024-05-01", "2024-06-30")]),
        ("2024-02-15", "quarterly", [("2024-02-15", "2024-03-31"), ("2024-04-01", "2024-06-30")]),
        (
            "2024-06-01",
            "fourmonthly",
            [
                ("2024-06-01", "2024-08-31"),
                ("2024-09-01", "2024-12-31"),
                ("2025-01-01", "2025-04-30"),
            ],
        ),
        ("2024-03-03", "semiannual", [("2024-03-03", "2024-06-30"), ("2024-07-01", "2024-12-31")]),
        ("2024-06-15", "annual", [("2024-06-15", "2024-12-31"), ("2025-01-01", "2025-12-31")]),
        ("2024-07-03", "weekly", [("2024-07-03", "2024-07-07"), ("2024-07-08", "2024-07-14")]),
    ],
)
def test_calendar_blocks(anchor: str, frequency: str, expected: list[tuple[str, str]]) -> None:
    assert first(anchor, frequency, len(expected), "calendar") == expected


def test_calendar_stub_knows_its_block() -> None:
    assert nominal("2024-02-15", "quarterly", 2, "calendar") == [
        ("2024-01-01", "2024-03-31"),
        ("2024-04-01", "2024-06-30"),
    ]


# -- year_end_cut: never across 31 December; restart anchored on 1 January --------------------


def test_quarterly_from_1_november_cuts_at_year_end() -> None:
    assert first("2024-11-01", "quarterly", 3, cut=True) == [
        ("2024-11-01", "2024-12-31"),
        ("2025-01-01", "2025-03-31"),
        ("2025-04-01", "2025-06-30"),
    ]
    assert first("2024-11-01", "quarterly", 2) == [
        ("2024-11-01", "2025-01-31"),
        ("2025-02-01", "2025-04-30"),
    ]


def test_cut_restarts_on_1_january_for_a_mid_month_anchor() -> None:
    assert first("2024-11-15", "monthly", 4, cut=True) == [
        ("2024-11-15", "2024-12-14"),
        ("2024-12-15", "2024-12-31"),
        ("2025-01-01", "2025-01-31"),
        ("2025-02-01", "2025-02-28"),
    ]


def test_cut_annual_and_weekly() -> None:
    assert first("2024-07-01", "annual", 2, cut=True) == [
        ("2024-07-01", "2024-12-31"),
        ("2025-01-01", "2025-12-31"),
    ]
    assert first("2024-12-25", "weekly", 3, cut=True) == [
        ("2024-12-25", "2024-12-31"),
        ("2025-01-01", "2025-01-07"),
        ("2025-01-08", "2025-01-14"),
    ]


def test_cut_with_month_end_alignment() -> None:
    assert first("2024-11-15", "quarterly", 3, "month_end", cut=True) == [
        ("2024-11-15", "2024-12-31"),
        ("2025-01-01", "2025-03-31"),
        ("2025-04-01", "2025-06-30"),
    ]
    assert nominal("2024-11-15", "quarterly", 1, "month_end", cut=True) == [
        ("2024-11-01", "2025-01-31")
    ]


def test_cut_with_calendar_blocks_that_cross_the_year() -> None:
    every_7_months = {"every": 7, "unit": "month"}
    assert first("2024-10-01", every_7_months, 4, "calendar") == [
        ("2024-10-01", "2025-04-30"),
        ("2025-05-01", "2025-11-30"),
        ("2025-12-01", "2026-06-30"),
        ("2026-07-01", "2027-01-31"),
    ]
    assert first("2024-10-01", every_7_months, 4, "calendar", cut=True) == [
        ("2024-10-01", "2024-12-31"),
        ("2025-01-01", "2025-04-30"),
        ("2025-05-01", "2025-11-30"),
        ("2025-12-01", "2025-12-31"),
    ]


def test_cut_makes_no_difference_to_calendar_quarters() -> None:
    assert first("2024-02-15", "quarterly", 6, "calendar", cut=True) == first(
        "2024-02-15", "quarterly", 6, "calendar"
    )


# -- the validity window -------------------------------------------------------------------


def test_window_cuts_periods_at_its_edges() -> None:
    periods = list(
        line_periods(
            d("2024-01-01"),
            Frequency(1, "month"),
            window_start=d("2024-02-10"),
            window_end=d("2024-05-15"),
        )
    )
    assert [(p.start.isoformat(), p.end.isoformat(), p.whole) for p in periods] == [
        ("2024-02-10", "2024-02-29", False),
        ("2024-03-01", "2024-03-31", True),
        ("2024-04-01", "2024-04-30", True),
        ("2024-05-01", "2024-05-15", False),
    ]
    assert periods[0].nominal_start == d("2024-02-01")


def test_open_ended_periods_stop_at_the_horizon() -> None:
    periods = list(line_periods(d("2024-07-01"), Frequency(3, "month"), horizon=d("2025-07-01")))
    assert [p.start.isoformat() for p in periods] == [
        "2024-07-01",
        "2024-10-01",
        "2025-01-01",
        "2025-04-01",
        "2025-07-01",
    ]


def test_schedule_ends_with_the_calendar() -> None:
    periods = list(generate_periods(d("9999-10-01"), Frequency(1, "month")))
    assert (periods[-1].start, periods[-1].end) == (d("9999-12-01"), d("9999-12-31"))


# -- sub-periods ---------------------------------------------------------------------------


def test_split_a_quarter_into_months() -> None:
    quarter = Period(d("2024-01-31"), d("2024-04-29"), d("2024-01-31"), d("2024-04-29"))
    assert [
        (p.start.isoformat(), p.end.isoformat())
        for p in split_period(quarter, Frequency(1, "month"))
    ] == [
        ("2024-01-31", "2024-02-28"),
        ("2024-02-29", "2024-03-30"),
        ("2024-03-31", "2024-04-29"),
    ]


def test_split_a_stub_follows_its_block() -> None:
    stub = Period(d("2024-02-15"), d("2024-03-31"), d("2024-01-01"), d("2024-03-31"))
    pieces = split_period(stub, Frequency(1, "month"))
    assert [(p.start.isoformat(), p.end.isoformat(), p.whole) for p in pieces] == [
        ("2024-02-15", "2024-02-29", False),
        ("2024-03-01", "2024-03-31", True),
    ]
