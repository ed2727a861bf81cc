"""Pure economics rules: index variations across bases, price changes, revenue coverage, and
re-pricing that agrees with the schedule engine to the cent."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.domain.helpers import contract, d, line
from tui_billing.domain.economics import ContractEconomics, WaitingSpec
from tui_billing.domain.economics_rules import LineEconomics
from tui_billing.domain.indexation import IndexPoint, IndexSeriesData, MissingIndex, index_variation
from tui_billing.domain.price_rules import (
    IndexRule,
    PriceRules,
    StepRule,
    index_dates,
    price_changes,
)
from tui_billing.domain.revenue_rules import Figure, RevenueRule, figure_total
from tui_billing.domain.schedule import contract_installments


def series(*values: tuple[str, str, str], links=None) -> IndexSeriesData:
    points = {d(m + "-01"): IndexPoint(d(m + "-01"), Decimal(v), b) for m, v, b in values}
    return IndexSeriesData("FOI", "", points, links or {})


def test_variation_in_one_base_rounds_to_one_decimal():
    foi = series(("2024-10", "121.3", "2015"), ("2025-10", "122.6", "2015"))
    var = index_variation(foi, d("2024-10-01"), d("2025-10-01"))
    # (122.6 / 121.3 - 1) x 100 = 1.07172...
    assert (var.coefficient, var.percent) == (None, Decimal("1.1"))


def test_variation_across_bases_chains_links_both_ways():
    links = {("2010", "2015"): Decimal("1.071"), ("2015", "2025"): Decimal("1.2195")}
    foi = series(("2014-01", "107.3", "2010"), ("2026-03", "101.2", "2025"), links=links)
    assert foi.coefficient("2010", "2025") == Decimal("1.071") * Decimal("1.2195")
    assert foi.coefficient("2025", "2015") == 1 / Decimal("1.2195")
    var = index_variation(foi, d("2014-01-01"), d("2026-03-01"))
    # 101.2 x 1.071 x 1.2195 = 132.1787... -> 132.2; (132.2 / 107.3 - 1) x 100 = 23.205 -> 23.2
    assert (var.new_in_old_base, var.percent) == (Decimal("132.2"), Decimal("23.2"))
    with pytest.raises(MissingIndex, match="no linking coefficient from base 2025 to base 2020"):
        foi.coefficient("2020", "2025")


def test_adjustment_dates_follow_the_index_month():
    rule = IndexRule("FOI", Decimal(75), 7, d("2024-05-01"))
    assert index_dates(rule, d("2026-07-01")) == [
        (d("2024-05-01"), d("2025-05-01"), d("2025-07-01")),
        (d("2025-05-01"), d("2026-05-01"), d("2026-07-01")),
    ]
    january = IndexRule("FOI", Decimal(100), 1, d("2024-10-01"))
    assert [s for _, _, s in index_dates(january, d("2027-12-31"))] == [
        d("2026-01-01"),
        d("2027-01-01"),
    ]


def test_adjustments_compound_and_stop_at_the_first_missing_value():
    foi = series(
        ("2023-10", "119.5", "2015"), ("2024-10", "121.3", "2015"), ("2026-10", "124.0", "2015")
    )
    rules = PriceRules(
        IndexRule("FOI", Decimal(100), 1, d("2023-10-01")),
        (StepRule(d("2025-01-01"), amount=Decimal("10")),),
    )
    changes = price_changes(rules, Decimal("1000.00"), {"FOI": foi}, d("2027-01-01"))
    # 2025-01-01: a step +10 (1010.00), then 100% of (121.3/119.5 - 1) = 1.506% -> 1.5%:
    #   1010.00 x 1.015 = 1025.15
    # 2026-01-01: 2025-10 is missing -> stays 1025.15; 2027-01-01 builds on it: stays too.
    assert [(c.start, c.kind, c.new_price) for c in changes] == [
        (d("2025-01-01"), "step", Decimal("1010.00")),
        (d("2025-01-01"), "index", Decimal("1025.15")),
        (d("2026-01-01"), "missing", Decimal("1025.15")),
        (d("2027-01-01"), "missing", Decimal("1025.15")),
    ]
    assert "index FOI 2025-10 is not available" in changes[2].warning


def test_figures_must_cover_every_day_of_the_period():
    q1 = (
        Figure(d("2025-01-01"), d("2025-01-31"), Decimal("100")),
        Figure(d("2025-02-01"), d("2025-02-28"), Decimal("200")),
    )
    assert figure_total(q1, d("2025-01-01"), d("2025-03-31")) is None
    march = q1 + (Figure(d("2025-03-01"), d("2025-03-31"), Decimal("300")),)
    assert figure_total(march, d("2025-01-01"), d("2025-03-31")) == Decimal("600")
    whole = (Figure(d("2025-01-01"), d("2025-03-31"), Decimal("750")),)
    assert figure_total(whole, d("2025-01-01"), d("2025-03-31")) == Decimal("750")


def with_rules(terms, rules: LineEconomics, figures=(), indexes=None):
    return replace(
        terms, economics=ContractEconomics({terms.lines[0].key: rules}, figures, indexes or {})
    )


anchors = st.dates(min_value=date(2023, 1, 1), max_value=date(2026, 12, 31))


@settings(max_examples=150, deadline=None)
@given(
    anchor=anchors,
    frequency=st.sampled_from(
        ["monthly", "bimonthly", "quarterly", "semiannual", "annual", {"every": 2, "unit": "week"}]
    ),
    price_period=st.sampled_from([None, "monthly", "annual", "weekly"]),
    alignment=st.sampled_from(["start", "month_end", "calendar"]),
    cut=st.booleans(),
    prorate=st.booleans(),
    display=st.sampled_from(["single", "per_period"]),
    valid_from=st.one_of(st.none(), anchors),
    end=st.one_of(st.none(), anchors),
)
def test_repricing_at_an_unchanged_price_reproduces_the_engine(
    anchor, frequency, price_period, alignment, cut, prorate, display, valid_from, end
):
    """A step of +0 long before the line starts re-prices every invoice line through the
    economics path: each amount must be the engine's own, to the cent."""
    start = anchor.isoformat()
    plain = contract(
        start,
        frequency,
        line(
            unit_price="1234.57",
            price_period=price_period,
            valid_from=valid_from.isoformat() if valid_from else None,
        ),
        alignment=alignment,
        year_end_cut=cut,
        prorate=prorate,
        line_display=display,
        end=end.isoformat() if end and end >= anchor else None,
    )
    until = date(2028, 1, 1)
    expected = contract_installments(plain, until)
    stepped = with_rules(
        plain, LineEconomics(PriceRules(steps=(StepRule(d("2000-01-01"), amount=Decimal(0)),)))
    )
    got = contract_installments(stepped, until)
    assert [
        (s.key, [(li.period_start, li.period_end, li.amount) for li in s.lines]) for s in got
    ] == [
        (s.key, [(li.period_start, li.period_end, li.amount) for li in s.lines]) for s in expected
    ]
    assert all("step-up from 01/01/2000" in li.description for s in got for li in s.lines)


def test_revenue_line_waits_for_its_figure_and_bills_the_previous_period():
    plain = contract(
        "2025-01-01", "quarterly", line(unit_price="0", description="Royalty"), timing="arrears"
    )
    rules = LineEconomics(revenue=RevenueRule(Decimal("8.5")))
    waiting = contract_installments(with_rules(plain, rules), d("2025-03-31"))
    assert [type(s) for s in waiting] == [WaitingSpec]
    assert "revenue of 01/10/2024-31/12/2024 not reported yet" in waiting[0].reason
    figures = (Figure(d("2024-10-01"), d("2024-12-31"), Decimal("10000.01")),)
    [spec] = contract_installments(with_rules(plain, rules, figures), d("2025-03-31"))
    # 10,000.01 x 8.5% = 850.00085 -> 850.00
    assert type(spec) is not WaitingSpec and spec.amount == Decimal("850.00")
