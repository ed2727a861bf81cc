"""A contract's installment plan: a fixed amount per installment and a number of them."""

from decimal import Decimal

from tests.domain.helpers import contract, d, line
from tui_billing.domain.contract_plan import plan_end, with_plan
from tui_billing.domain.schedule import contract_installments


def amounts(terms, until="2026-12-31"):
    return [(str(s.period_start), str(s.amount)) for s in contract_installments(terms, d(until))]


def test_amount_replaces_the_recurring_prices_and_one_offs_stay():
    terms = contract(
        "2024-07-01",
        "quarterly",
        line("1", "Canone", unit_price="40.00"),
        line("2", "Extra", unit_price="5.00"),
        line("3", "Setup", unit_price="300.00", recurring=False),
    )
    planned = with_plan(terms, Decimal("150.00"), None)
    assert [li.key for li in planned.lines] == ["1", "3"]  # bills as the first recurring line
    assert planned.lines[0].unit_price == Decimal("150.00")
    specs = contract_installments(planned, d("2024-10-01"))
    assert [(str(s.period_start), str(s.amount)) for s in specs] == [
        ("None", "300.00"),
        ("2024-07-01", "150.00"),
        ("2024-10-01", "150.00"),
    ]
    plan_line = specs[1].lines[0]
    assert (plan_line.description.startswith("Canone"), plan_line.vat_rate) == (
        True,
        Decimal("22.00"),
    )


def test_count_ends_the_contract_after_that_many_periods():
    terms = contract("2024-01-31", "monthly")
    assert plan_end(terms, 3) == d("2024-04-29")  # 31 Jan, 29 Feb, 31 Mar: anchored periods
    assert [s for s, _ in amounts(with_plan(terms, None, 3))] == [
        "2024-01-31",
        "2024-02-29",
        "2024-03-31",
    ]


def test_count_with_calendar_alignment_counts_the_stub():
    terms = contract("2024-11-10", "quarterly", alignment="calendar", prorate=True)
    planned = with_plan(terms, Decimal("90.00"), 2)
    assert planned.end_date == d("2025-03-31")
    # the stub 10 Nov - 31 Dec is prorated month by month: (21/30 + 1) / 3 of 90
    assert amounts(planned) == [("2024-11-10", "51.00"), ("2025-01-01", "90.00")]
    assert amounts(
        with_plan(terms.__class__(**{**_fields(terms), "prorate": False}), Decimal("90.00"), 2)
    ) == [("2024-11-10", "90.00"), ("2025-01-01", "90.00")]


def test_an_earlier_contract_end_wins_and_nothing_set_changes_nothing():
    terms = contract("2024-01-01", "monthly", end="2024-02-29")
    assert with_plan(terms, None, 12).end_date == d("2024-02-29")
    assert with_plan(terms, None, None) is terms


def _fields(terms):
    return {name: getattr(terms, name) for name in terms.__slots__}
