"""Properties of the schedule that must hold for any anchor, frequency and settings."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from itertools import islice

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.domain.helpers import contract, line
from tui_billing.domain.coverage import unbilled
from tui_billing.domain.dates import add_months
from tui_billing.domain.economics import ContractEconomics
from tui_billing.domain.economics_rules import LineEconomics
from tui_billing.domain.frequency import Frequency
from tui_billing.domain.line_prices import decimals, rounds_to
from tui_billing.domain.periods import line_periods
from tui_billing.domain.plans import split_plan
from tui_billing.domain.price_rules import PriceRules, StepRule
from tui_billing.domain.pricing import period_ratio, sub_period_ratios
from tui_billing.domain.schedule import (
    contract_installments,
    line_dates_around,
    line_installment_dates,
)
from tui_billing.domain.terms import ContractTerms, LineTerms

anchors = st.dates(min_value=date(1999, 1, 1), max_value=date(2040, 12, 31))
month_anchors = st.builds(date, st.integers(1999, 2040), st.integers(1, 12), st.just(1))
frequencies = st.builds(
    Frequency, st.integers(1, 14), st.sampled_from(["day", "week", "month", "year"])
).filter(lambda f: f.unit != "year" or f.every <= 3)
month_frequencies = st.builds(Frequency, st.integers(1, 14), st.just("month")) | st.builds(
    Frequency, st.integers(1, 2), st.just("year")
)
alignments = st.sampled_from(["start", "month_end", "calendar"])
prices = st.decimals(min_value=Decimal("0"), max_value=Decimal("99999.99"), places=2)


@settings(max_examples=300, deadline=None)
@given(
    anchor=anchors,
    frequency=frequencies,
    alignment=alignments,
    cut=st.booleans(),
    length=st.integers(0, 1500),
    late_start=st.integers(0, 40),
)
def test_periods_are_contiguous_and_cover_the_window_exactly(
    anchor: date, frequency: Frequency, alignment: str, cut: bool, length: int, late_start: int
) -> None:
    window_start = anchor + timedelta(days=late_start)
    window_end = window_start + timedelta(days=length)
    periods = list(
        line_periods(
            anchor,
            frequency,
            alignment=alignment,
            year_end_cut=cut,
            window_start=window_start,
            window_end=window_end,
        )
    )
    assert periods[0].start == window_start
    assert periods[-1].end == window_end
    for before, after in zip(periods, periods[1:], strict=False):
        assert after.start == before.end + timedelta(days=1)
    for period in periods:
        assert period.nominal_start <= period.start <= period.end <= period.nominal_end
        if cut:
            assert period.start.year == period.end.year


@settings(max_examples=200, deadline=None)
@given(anchor=anchors, alignment=alignments, cut=st.booleans(), price=prices)
def test_twelve_monthly_periods_of_a_monthly_price_sum_to_twelve_prices(
    anchor: date, alignment: str, cut: bool, price: Decimal
) -> None:
    start = anchor.replace(day=1) if alignment != "start" or cut else anchor
    terms = contract(
        start.isoformat(),
        "monthly",
        line(unit_price=str(price), price_period="monthly"),
        end=(add_months(start, 12) - timedelta(days=1)).isoformat(),
        alignment=alignment,
        year_end_cut=cut,
    )
    installments = contract_installments(terms, date(2099, 1, 1))
    assert len(installments) == 12
    assert {i.amount for i in installments} == {price}
    assert sum(i.amount for i in installments) == 12 * price


@settings(max_examples=200, deadline=None)
@given(
    anchor=month_anchors,
    frequency=month_frequencies,
    alignment=alignments,
    cut=st.booleans(),
    months=st.integers(1, 36),
)
def test_a_year_from_the_first_of_a_month_measures_its_months_exactly(
    anchor: date, frequency: Frequency, alignment: str, cut: bool, months: int
) -> None:
    window_end = add_months(anchor, months) - timedelta(days=1)
    periods = line_periods(
        anchor, frequency, alignment=alignment, year_end_cut=cut, window_end=window_end
    )
    assert sum(period_ratio(p, frequency, Frequency(1, "month")) for p in periods) == months


@settings(max_examples=200, deadline=None)
@given(
    anchor=anchors,
    frequency=month_frequencies,
    price_period=st.sampled_from(
        [Frequency(1, "month"), Frequency(2, "month"), Frequency(1, "week")]
    ),
    alignment=alignments,
    cut=st.booleans(),
)
def test_sub_periods_add_up_to_their_period(
    anchor: date, frequency: Frequency, price_period: Frequency, alignment: str, cut: bool
) -> None:
    for period in islice(line_periods(anchor, frequency, alignment=alignment, year_end_cut=cut), 4):
        pieces = sub_period_ratios(period, frequency, price_period)
        assert pieces[0][0][0] == period.start
        assert pieces[-1][0][1] == period.end
        for (before, _, _), (after, _, _) in zip(pieces, pieces[1:], strict=False):
            assert after[0] == before[1] + timedelta(days=1)
        total = sum((Fraction(num, den) for _, num, den in pieces), Fraction(0))
        assert total == period_ratio(period, frequency, price_period)


@settings(max_examples=300, deadline=None)
@given(
    total=st.decimals(min_value=Decimal("-100000"), max_value=Decimal("1000000"), places=2),
    count=st.integers(1, 60),
)
def test_a_split_sums_exactly_and_parts_differ_by_at_most_a_cent(
    total: Decimal, count: int
) -> None:
    parts = [p.amount for p in split_plan(total, count, Frequency(1, "month"), date(2024, 1, 31))]
    assert len(parts) == count
    assert sum(parts) == total
    assert max(parts) - min(parts) <= Decimal("0.01")
    assert parts == sorted(parts) or total < 0


@settings(max_examples=200, deadline=None)
@given(
    anchor=anchors,
    frequency=frequencies,
    alignment=alignments,
    cut=st.booleans(),
    timing=st.sampled_from(["advance", "arrears"]),
    offset=st.integers(-20, 20),
    end=st.one_of(st.none(), st.integers(0, 800)),
    horizon=st.integers(0, 800),
)
def test_installments_match_the_billing_dates_of_the_line(
    anchor: date,
    frequency: Frequency,
    alignment: str,
    cut: bool,
    timing: str,
    offset: int,
    end: int | None,
    horizon: int,
) -> None:
    terms = ContractTerms(
        code="K",
        status="active",
        customer="C",
        start_date=anchor,
        end_date=None if end is None else anchor + timedelta(days=end),
        frequency=frequency,
        alignment=alignment,
        year_end_cut=cut,
        timing=timing,
        invoice_offset_days=offset,
        lines=(LineTerms("1", "x", Decimal(1), Decimal(1), Decimal(22)),),
    )
    until = anchor + timedelta(days=horizon)
    installments = contract_installments(terms, until)
    expected = []
    for triple in line_installment_dates(terms, terms.lines[0]):
        if triple[0] > until:
            break
        expected.append(triple)
    assert [(i.invoice_date, i.period_start, i.period_end) for i in installments] == expected
    dates = [i.invoice_date for i in installments]
    assert dates == sorted(dates)


@settings(max_examples=200, deadline=None)
@given(
    anchor=anchors,
    frequency=frequencies,
    alignment=alignments,
    cut=st.booleans(),
    timing=st.sampled_from(["advance", "arrears"]),
    offset=st.integers(-20, 20),
    end=st.one_of(st.none(), st.integers(0, 900)),
    as_of=st.integers(-100, 1200),
)
def test_previous_and_next_billing_dates_match_the_schedule(
    anchor: date,
    frequency: Frequency,
    alignment: str,
    cut: bool,
    timing: str,
    offset: int,
    end: int | None,
    as_of: int,
) -> None:
    terms = ContractTerms(
        code="K",
        status="active",
        customer="C",
        start_date=anchor,
        end_date=None if end is None else anchor + timedelta(days=end),
        frequency=frequency,
        alignment=alignment,
        year_end_cut=cut,
        timing=timing,
        invoice_offset_days=offset,
        lines=(LineTerms("1", "x", Decimal(1), Decimal(1), Decimal(22)),),
    )
    day = anchor + timedelta(days=as_of)
    previous = following = None
    for invoice_date, _, _ in line_installment_dates(terms, terms.lines[0]):
        if invoice_date <= day:
            previous = invoice_date
        else:
            following = invoice_date
            break
    assert line_dates_around(terms, terms.lines[0], day) == (previous, following)


# Every invoice line reads quantity x unit price = amount (half up to the cent), whatever the
# schedule, price period, proration, display, price changes and what was invoiced before.
price_periods = st.sampled_from(
    [
        None,
        Frequency(1, "month"),
        Frequency(3, "month"),
        Frequency(1, "year"),
        Frequency(1, "week"),
        Frequency(1, "day"),
    ]
)
quantities = st.decimals(min_value=Decimal("0"), max_value=Decimal("9999.9999"), places=4)
list_prices = st.decimals(min_value=Decimal("0"), max_value=Decimal("99999.9999"), places=4)


def _assert_lines_add_up(specs) -> None:
    for spec in specs:
        for li in spec.lines:
            assert rounds_to(li.quantity, li.unit_price, li.amount), li
            assert decimals(li.unit_price) <= 8, li
        assert spec.amount == sum((li.amount for li in spec.lines), Decimal("0.00"))


@settings(max_examples=300, deadline=None)
@given(
    anchor=anchors,
    frequency=frequencies,
    price_period=price_periods,
    alignment=alignments,
    cut=st.booleans(),
    prorate=st.booleans(),
    per_period=st.booleans(),
    quantity=quantities,
    price=list_prices,
    late_start=st.integers(0, 40),
    length=st.integers(0, 800),
    step=st.one_of(st.none(), st.integers(1, 700)),
)
def test_every_line_reads_quantity_times_unit_price_equals_amount(
    anchor: date,
    frequency: Frequency,
    price_period: Frequency | None,
    alignment: str,
    cut: bool,
    prorate: bool,
    per_period: bool,
    quantity: Decimal,
    price: Decimal,
    late_start: int,
    length: int,
    step: int | None,
) -> None:
    start = anchor + timedelta(days=late_start)
    terms = ContractTerms(
        code="K",
        status="active",
        customer="C",
        start_date=anchor,
        end_date=start + timedelta(days=length),
        frequency=frequency,
        alignment=alignment,
        year_end_cut=cut,
        prorate=prorate,
        line_display="per_period" if per_period else "single",
        lines=(
            LineTerms(
                "1",
                "Canone",
                quantity,
                price,
                Decimal(22),
                price_period=price_period,
                valid_from=start,
            ),
            LineTerms("2", "Installazione", quantity, price, Decimal(22), recurring=False),
        ),
    )
    if step is not None:  # a step-up of 3.7% part way: lines cut at the new price
        rules = LineEconomics(
            PriceRules(steps=(StepRule(start + timedelta(days=step), percent=Decimal("3.7")),))
        )
        terms = replace(terms, economics=ContractEconomics({"1": rules}))
    far = start + timedelta(days=length + 400)
    specs = contract_installments(terms, far)
    _assert_lines_add_up(specs)
    if specs:  # invoiced up to some installment, then billed monthly: the days left, cut
        billed = [
            (
                li.line_key,
                li.description,
                li.period_start and li.period_start.isoformat(),
                li.period_end and li.period_end.isoformat(),
            )
            for spec in specs[: len(specs) // 2 + 1]
            for li in spec.lines
        ]
        after = replace(terms, frequency=Frequency(1, "month"), alignment="calendar")
        _assert_lines_add_up(unbilled(after, contract_installments(after, far), billed))
