"""What a contract should bill, from its terms alone (schedule.contract_installments): each
way its lines are put into installments, with exact amounts."""

from __future__ import annotations

from decimal import Decimal

from tests.domain.helpers import contract, d, line
from tui_billing.domain.schedule import contract_installments


def figures(terms: object, until: str) -> list[tuple[str, Decimal, list[tuple]]]:
    """(key, amount, [(line key, quantity, unit price, amount, VAT rate)]) per installment."""
    return [
        (
            spec.key,
            spec.amount,
            [
                (li.line_key, li.quantity, li.unit_price, li.amount, li.vat_rate)
                for li in spec.lines
            ],
        )
        for spec in contract_installments(terms, d(until))  # type: ignore[arg-type]
    ]


def test_lines_on_the_contract_schedule_share_one_installment_per_period():
    terms = contract(
        "2024-07-01",
        "monthly",
        line("1", "Hosting", unit_price="50.00"),
        line("2", "Backup", "3", "9.995", "10.00"),
    )
    month = [
        ("1", Decimal("1"), Decimal("50.00"), Decimal("50.00"), Decimal("22.00")),
        # 3 x 9.995 = 29.985, half up
        ("2", Decimal("3"), Decimal("9.995"), Decimal("29.99"), Decimal("10.00")),
    ]
    assert figures(terms, "2024-08-01") == [
        ("2024-07-01/2024-07-31@2024-07-01", Decimal("79.99"), month),
        ("2024-08-01/2024-08-31@2024-08-01", Decimal("79.99"), month),
    ]


def test_a_line_on_its_own_schedule_bills_in_installments_of_its_own():
    terms = contract(
        "2024-07-01",
        "monthly",
        line("1", "Hosting", unit_price="50.00"),
        line("2", "Audit", unit_price="300.00", frequency="quarterly"),
    )
    hosting = ("1", Decimal("1"), Decimal("50.00"), Decimal("50.00"), Decimal("22.00"))
    assert figures(terms, "2024-08-01") == [
        ("2024-07-01/2024-07-31@2024-07-01", Decimal("50.00"), [hosting]),
        (
            "2024-07-01/2024-09-30@2024-07-01",
            Decimal("300.00"),
            [("2", Decimal("1"), Decimal("300.00"), Decimal("300.00"), Decimal("22.00"))],
        ),
        ("2024-08-01/2024-08-31@2024-08-01", Decimal("50.00"), [hosting]),
    ]


def test_per_period_display_splits_a_quarter_into_its_months():
    terms = contract(
        "2024-07-01",
        "quarterly",
        line("1", "Hosting", unit_price="50.00", price_period="monthly"),
        line_display="per_period",
    )
    [(key, amount, lines)] = figures(terms, "2024-07-01")
    assert (key, amount) == ("2024-07-01/2024-09-30@2024-07-01", Decimal("150.00"))
    assert lines == [("1", Decimal("1"), Decimal("50.00"), Decimal("50.00"), Decimal("22.00"))] * 3
    [spec] = contract_installments(terms, d("2024-07-01"))
    assert [(li.period_start, li.period_end) for li in spec.lines] == [
        (d("2024-07-01"), d("2024-07-31")),
        (d("2024-08-01"), d("2024-08-31")),
        (d("2024-09-01"), d("2024-09-30")),
    ]


def test_a_one_off_line_bills_once_on_its_own_date_between_the_periods():
    terms = contract(
        "2024-07-01",
        "monthly",
        line("1", "Hosting", unit_price="50.00"),
        line("2", "Setup", "2", "200.00", recurring=False, valid_from="2024-07-15"),
    )
    assert [(key, amount) for key, amount, _ in figures(terms, "2024-08-01")] == [
        ("2024-07-01/2024-07-31@2024-07-01", Decimal("50.00")),
        ("once@2024-07-15", Decimal("400.00")),
        ("2024-08-01/2024-08-31@2024-08-01", Decimal("50.00")),
    ]
    assert figures(terms, "2024-07-14")[-1][0] == "2024-07-01/2024-07-31@2024-07-01"


def test_a_one_off_line_riding_with_the_first_installment_adds_to_its_amount():
    terms = contract(
        "2024-07-01",
        "monthly",
        line("1", "Hosting", unit_price="50.00"),
        line("2", "Setup", "2", "200.00", "10.00", recurring=False),
        one_off_with_first=True,
    )
    assert figures(terms, "2024-08-01") == [
        (
            "2024-07-01/2024-07-31@2024-07-01",
            Decimal("450.00"),
            [
                ("1", Decimal("1"), Decimal("50.00"), Decimal("50.00"), Decimal("22.00")),
                ("2", Decimal("2"), Decimal("200.00"), Decimal("400.00"), Decimal("10.00")),
            ],
        ),
        (
            "2024-08-01/2024-08-31@2024-08-01",
            Decimal("50.00"),
            [("1", Decimal("1"), Decimal("50.00"), Decimal("50.00"), Decimal("22.00"))],
        ),
    ]


def test_the_last_period_cut_short_by_the_end_date_is_priced_by_its_days():
    terms = contract(
        "2024-07-16", "monthly", line("1", "Hosting", unit_price="31.00"), end="2024-09-10"
    )
    # 16/08-10/09: 16 of August's 31 days and 10 of September's 30: 31 x (16/31 + 10/30)
    # = 26.333..., half up.
    assert [(key, amount) for key, amount, _ in figures(terms, "2024-12-01")] == [
        ("2024-07-16/2024-08-15@2024-07-16", Decimal("31.00")),
        ("2024-08-16/2024-09-10@2024-08-16", Decimal("26.33")),
    ]


def test_nothing_for_a_contract_that_is_not_active():
    assert figures(contract("2024-07-01", "monthly", status="suspended"), "2025-01-01") == []
