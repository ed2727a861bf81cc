"""What is invoiced is never billed again: the schedule of changed terms cut to the days the
invoiced installments left, priced as short periods; removed lines' coverage passing to the
line that replaced them; and, for any billed ranges and any new schedule, what remains
never overlaps them and together with them covers the window."""

from __future__ import annotations

from calendar import monthrange
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.domain.helpers import contract, d, line
from tui_billing.domain.coverage import merge_spans, unbilled, uncovered
from tui_billing.domain.economics import ContractEconomics, WaitingSpec
from tui_billing.domain.economics_rules import LineEconomics
from tui_billing.domain.frequency import Frequency
from tui_billing.domain.installments import InstallmentSpec
from tui_billing.domain.pricing import measure_parts, scaled
from tui_billing.domain.revenue_rules import AdvanceRule, Figure, RevenueRule
from tui_billing.domain.schedule import contract_installments


def invoiced(specs) -> list[tuple]:
    """The billed lines of ``specs`` once invoiced, as installments store them."""
    return [
        (
            li.line_key,
            li.description,
            li.period_start.isoformat() if li.period_start else None,
            li.period_end.isoformat() if li.period_end else None,
        )
        for spec in specs
        for li in spec.lines
    ]


def rows(specs) -> list[tuple]:
    return [
        (
            spec.key,
            [(str(li.period_start), str(li.period_end), str(li.amount)) for li in spec.lines],
        )
        for spec in specs
    ]


MONTHLY_PRICE = line(unit_price="50.00", price_period="monthly")


def test_monthly_invoiced_then_quarterly_bills_only_the_months_left():
    before = contract("2024-01-01", "monthly", MONTHLY_PRICE)
    billed = invoiced(contract_installments(before, d("2024-04-01")))  # Jan-Apr
    after = replace(before, frequency=Frequency.parse("quarterly"))
    left = unbilled(after, contract_installments(after, d("2024-07-01")), billed)
    assert rows(left) == [
        ("2024-05-01/2024-06-30@2024-04-01", [("2024-05-01", "2024-06-30", "100.00")]),
        ("2024-07-01/2024-09-30@2024-07-01", [("2024-07-01", "2024-09-30", "150.00")]),
    ]
    assert left[0].lines[0].description == "Maintenance - period 01/05/2024-30/06/2024"
    assert left[1] == contract_installments(after, d("2024-07-01"))[-1]  # not invoiced: as is


def test_quarterly_invoiced_then_monthly_waits_for_the_first_month_not_invoiced():
    before = contract("2024-01-01", "quarterly", MONTHLY_PRICE)
    billed = invoiced(contract_installments(before, d("2024-04-01")))  # Jan-Jun
    after = replace(before, frequency=Frequency.parse("monthly"))
    left = unbilled(after, contract_installments(after, d("2024-07-01")), billed)
    assert rows(left) == [
        ("2024-07-01/2024-07-31@2024-07-01", [("2024-07-01", "2024-07-31", "50.00")])
    ]


def test_a_later_start_bills_the_rest_of_the_first_new_period_as_a_short_one():
    before = contract("2024-01-01", "monthly", MONTHLY_PRICE)
    billed = invoiced(contract_installments(before, d("2024-03-01")))  # Jan-Mar
    after = replace(before, start_date=d("2024-01-15"))
    left = unbilled(after, contract_installments(after, d("2024-04-15")), billed)
    # 1-14 April of the period 15 March - 14 April: 14/30 of a month
    assert rows(left) == [
        ("2024-04-01/2024-04-14@2024-03-15", [("2024-04-01", "2024-04-14", "23.33")]),
        ("2024-04-15/2024-05-14@2024-04-15", [("2024-04-15", "2024-05-14", "50.00")]),
    ]


def test_an_earlier_start_bills_only_the_new_days():
    before = contract("2024-01-01", "monthly", MONTHLY_PRICE)
    billed = invoiced(contract_installments(before, d("2024-03-01")))
    after = replace(before, start_date=d("2023-12-01"))
    left = unbilled(after, contract_installments(after, d("2024-03-01")), billed)
    assert rows(left) == [
        ("2023-12-01/2023-12-31@2023-12-01", [("2023-12-01", "2023-12-31", "50.00")])
    ]


def test_calendar_alignment_after_start_aligned_months():
    before = contract("2024-01-15", "monthly", MONTHLY_PRICE)
    billed = invoiced(contract_installments(before, d("2024-02-15")))  # 15/1-14/3
    after = replace(before, alignment="calendar")
    left = unbilled(after, contract_installments(after, d("2024-04-01")), billed)
    assert rows(left) == [
        ("2024-03-15/2024-03-31@2024-03-01", [("2024-03-15", "2024-03-31", "27.42")]),  # 17/31
        ("2024-04-01/2024-04-30@2024-04-01", [("2024-04-01", "2024-04-30", "50.00")]),
    ]


def test_a_hole_in_the_invoiced_days_is_billed_alone_and_prorated_without_proration():
    """A remainder is always measured: billed whole it would bill invoiced days again."""
    before = contract("2024-01-01", "monthly", MONTHLY_PRICE, prorate=False)
    months = contract_installments(before, d("2024-03-01"))
    billed = invoiced([months[0], months[2]])  # January and March, not February
    after = replace(before, frequency=Frequency.parse("quarterly"))
    left = unbilled(after, contract_installments(after, d("2024-01-01")), billed)
    assert rows(left) == [
        ("2024-02-01/2024-02-29@2024-01-01", [("2024-02-01", "2024-02-29", "50.00")])
    ]
    cut = contract("2024-01-01", "quarterly", line(unit_price="90.00"), prorate=False)
    half = [("1", "Maintenance", "2024-01-01", "2024-02-14")]
    (spec,) = unbilled(cut, contract_installments(cut, d("2024-01-01")), half)
    # 15/29 of February + March, of a quarter's price: 90 x (15/29 + 1) / 3
    assert spec.lines[0].amount == scaled(Decimal(1), Decimal(90), 15 + 29, 29 * 3)


def test_one_off_lines_are_billed_once_whatever_the_schedule_becomes():
    setup = line("2", "Setup", unit_price="200.00", recurring=False)
    before = contract("2024-01-01", "monthly", MONTHLY_PRICE, setup, one_off_with_first=True)
    billed = invoiced(contract_installments(before, d("2024-01-01")))
    after = replace(before, start_date=d("2024-01-15"))
    left = unbilled(after, contract_installments(after, d("2024-02-15")), billed)
    assert [li.line_key for spec in left for li in spec.lines] == ["1", "1"]
    assert rows(left)[0] == (
        "2024-02-01/2024-02-14@2024-01-15",
        [("2024-02-01", "2024-02-14", "24.14")],
    )  # 14/29


def test_per_period_lines_are_cut_piece_by_piece():
    before = contract("2024-01-01", "monthly", MONTHLY_PRICE)
    billed = invoiced(contract_installments(before, d("2024-01-01")))  # January
    after = replace(before, frequency=Frequency.parse("quarterly"), line_display="per_period")
    (spec,) = unbilled(after, contract_installments(after, d("2024-01-01")), billed)
    assert rows([spec]) == [
        (
            "2024-02-01/2024-03-31@2024-01-01",
            [("2024-02-01", "2024-02-29", "50.00"), ("2024-03-01", "2024-03-31", "50.00")],
        )
    ]


def test_a_line_removed_and_added_back_does_not_bill_its_days_again():
    before = contract("2024-01-01", "quarterly", MONTHLY_PRICE)
    billed = invoiced(contract_installments(before, d("2024-01-01")))  # Q1, line key 1
    again = line("7", unit_price="60.00", price_period="monthly", valid_from="2024-02-10")
    after = replace(before, lines=(again,))
    left = unbilled(after, contract_installments(after, d("2024-05-10")), billed)
    # the new line's first period 10/2-9/5 less what line 1 invoiced: 1/4-9/5 = 1 + 9/31
    assert rows(left) == [
        ("2024-04-01/2024-05-09@2024-02-10", [("2024-04-01", "2024-05-09", "77.42")]),
        ("2024-05-10/2024-08-09@2024-05-10", [("2024-05-10", "2024-08-09", "180.00")]),
    ]
    # the inherited days stay after the new line has invoiced some of its own
    more = billed + invoiced(left[:1])
    left = unbilled(after, contract_installments(after, d("2024-05-10")), more)
    assert [spec.key for spec in left] == ["2024-05-10/2024-08-09@2024-05-10"]


def test_a_line_billed_alongside_keeps_billing_its_own_days():
    one, two = line("1", "Seat"), line("2", "Seat")
    both = contract("2024-01-01", "monthly", one, two)
    billed = invoiced(contract_installments(both, d("2024-03-01")))
    after = replace(both, lines=(two,))  # one seat less
    left = unbilled(after, contract_installments(after, d("2024-04-01")), billed)
    assert rows(left) == [
        ("2024-04-01/2024-04-30@2024-04-01", [("2024-04-01", "2024-04-30", "50.00")])
    ]
    other = replace(both, lines=(line("3", "Hosting"),))  # another service: its own days
    assert len(unbilled(other, contract_installments(other, d("2024-04-01")), billed)) == 4


def test_revenue_lines_bill_their_share_and_waiting_stays_waiting():
    revenue = LineEconomics(revenue=RevenueRule(Decimal(10)))
    figures = (Figure(d("2023-10-01"), d("2023-12-31"), Decimal("9000")),)
    base = contract("2024-01-01", "quarterly", line(unit_price="0"))
    terms = replace(base, economics=ContractEconomics({"1": revenue}, figures))
    half = [("1", "Maintenance", "2024-01-01", "2024-01-31")]
    (spec,) = unbilled(terms, contract_installments(terms, d("2024-01-01")), half)
    # 10% of 9,000 for the quarter, February and March of it: 900 x 2/3
    assert [(str(li.period_start), li.amount) for li in spec.lines] == [
        ("2024-02-01", Decimal("600.00"))
    ]
    waiting = replace(terms, economics=ContractEconomics({"1": revenue}, ()))
    (held,) = unbilled(waiting, contract_installments(waiting, d("2024-01-01")), half)
    assert isinstance(held, WaitingSpec) and held.period_start == d("2024-02-01")


def test_installments_that_come_to_share_a_period_become_one():
    late = line("2", "Extra", frequency="monthly", valid_from="2024-03-01")
    terms = contract("2024-01-01", "quarterly", MONTHLY_PRICE, late)
    billed = [("1", "Maintenance", "2024-01-01", "2024-02-29")]
    specs = [
        InstallmentSpec(
            "2024-01-01/2024-03-31@2024-03-01",
            d("2024-01-01"),
            d("2024-03-31"),
            d("2024-03-01"),
            contract_installments(terms, d("2024-01-01"))[0].lines,
        ),
        *contract_installments(replace(terms, lines=(late,)), d("2024-03-01")),
    ]
    (spec,) = unbilled(terms, specs, billed)
    assert spec.key == "2024-03-01/2024-03-31@2024-03-01"
    assert [li.line_key for li in spec.lines] == ["1", "2"]


def test_nothing_invoiced_gives_the_same_list_back():
    terms = contract("2024-01-01", "monthly")
    specs = contract_installments(terms, d("2024-06-01"))
    assert unbilled(terms, specs, []) is specs
    later = [("1", "Maintenance", "2025-01-01", "2025-01-31")]
    assert unbilled(terms, specs, later) is specs


def test_spans_merge_and_gaps():
    spans = merge_spans(
        [
            (d("2024-03-01"), d("2024-03-31")),
            (d("2024-01-01"), d("2024-01-31")),
            (d("2024-02-01"), d("2024-02-10")),
        ]
    )
    assert spans == [(d("2024-01-01"), d("2024-02-10")), (d("2024-03-01"), d("2024-03-31"))]
    assert uncovered(d("2024-01-15"), d("2024-04-30"), spans) == [
        (d("2024-02-11"), d("2024-02-29")),
        (d("2024-04-01"), d("2024-04-30")),
    ]
    assert uncovered(d("2024-01-02"), d("2024-01-30"), spans) == []


# ---------------------------------------------------------------------------------------
# Property: the remaining periods and the billed ones never overlap and cover the window
# ---------------------------------------------------------------------------------------

starts = st.dates(min_value=date(2023, 1, 1), max_value=date(2025, 12, 31))
frequencies = st.sampled_from(
    [
        "monthly",
        "bimonthly",
        "quarterly",
        "semiannual",
        "annual",
        {"every": 10, "unit": "day"},
        {"every": 2, "unit": "week"},
    ]
)


def _days(start: date, end: date) -> set[int]:
    return set(range(start.toordinal(), end.toordinal() + 1))


@settings(max_examples=300, deadline=None)
@given(
    start=starts,
    length=st.integers(0, 900),
    frequency=frequencies,
    price_period=st.sampled_from([None, "monthly", "weekly"]),
    alignment=st.sampled_from(["start", "month_end", "calendar"]),
    cut=st.booleans(),
    prorate=st.booleans(),
    display=st.sampled_from(["single", "per_period"]),
    billed=st.lists(st.tuples(st.integers(-60, 960), st.integers(0, 120)), max_size=8),
)
def test_what_remains_never_overlaps_what_is_billed_and_with_it_covers_the_window(
    start, length, frequency, price_period, alignment, cut, prorate, display, billed
):
    end = start + timedelta(days=length)
    terms = contract(
        start.isoformat(),
        frequency,
        line(unit_price="123.45", price_period=price_period),
        end=end.isoformat(),
        alignment=alignment,
        year_end_cut=cut,
        prorate=prorate,
        line_display=display,
    )
    ranges = [(start + timedelta(days=a), start + timedelta(days=a + n)) for a, n in billed]
    stored = [("1", "Maintenance", s.isoformat(), e.isoformat()) for s, e in ranges]
    specs = contract_installments(terms, end + timedelta(days=400))
    left = unbilled(terms, specs, stored)

    billed_days = set().union(*(_days(s, e) for s, e in ranges)) if ranges else set()
    window = _days(start, end)
    seen: set[int] = set()
    keys = set()
    for spec in left:
        assert spec.key not in keys
        keys.add(spec.key)
        assert spec.lines
        for li in spec.lines:
            days = _days(li.period_start, li.period_end)
            assert not days & billed_days, (li, ranges)
            assert not days & seen
            seen |= days
            assert li.amount >= 0
            assert spec.period_start <= li.period_start <= li.period_end <= spec.period_end
    assert seen | (billed_days & window) == window

    # a cut line is priced as a short period: measured month by month (or in days)
    original = {(li.period_start, li.period_end): li for s in specs for li in s.lines}
    reference = Frequency.parse(price_period or frequency)
    for spec in left:
        for li in spec.lines:
            if (li.period_start, li.period_end) in original:
                assert li.amount == original[li.period_start, li.period_end].amount
                continue
            if reference.days is not None:
                num, den = (li.period_end - li.period_start).days + 1, reference.days
            else:
                num, den = measure_parts(li.period_start, li.period_end)
                den *= reference.months
            assert li.amount == scaled(Decimal(1), Decimal("123.45"), num, den)


def test_a_balancing_period_that_overlaps_a_balanced_one_is_not_balanced_again():
    advance = LineEconomics(advance=AdvanceRule(Frequency.parse("annual")))
    figures = tuple(
        Figure(date(y, m, 1), date(y, m, monthrange(y, m)[1]), Decimal("100"))
        for y in (2023, 2024, 2025)
        for m in range(1, 13)
    )
    base = contract("2024-01-01", "monthly", line(unit_price="90.00"))
    terms = replace(base, economics=ContractEconomics({"1": advance}, figures))
    billed = invoiced(contract_installments(terms, d("2024-12-31")))
    balances = [
        li
        for s in contract_installments(terms, d("2024-12-31"))
        for li in s.lines
        if li.line_key == "1:balance"
    ]
    assert [(str(li.period_start), li.amount) for li in balances] == [
        ("2024-01-01", Decimal("120.00"))
    ]  # 12 x 100 less 12 x 90
    moved = replace(terms, start_date=d("2023-07-01"))
    left = unbilled(moved, contract_installments(moved, d("2026-06-30")), billed)
    kept = [
        (str(li.period_start), str(li.period_end))
        for s in left
        for li in s.lines
        if li.line_key == "1:balance"
    ]
    # 7/2023-6/2024 and 7/2024-6/2025 reach into 2024, balanced already; 7/2025-6/2026 waits
    assert kept == [("2025-07-01", "2026-06-30")]
    months = [str(li.period_start) for s in left for li in s.lines if li.line_key == "1"]
    assert (
        months[:6]
        == ["2023-07-01", "2023-08-01", "2023-09-01", "2023-10-01", "2023-11-01", "2023-12-01"]
        and months[6] == "2025-01-01"
    )
