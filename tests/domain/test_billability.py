"""Why a contract cannot be billed (A3)."""

from __future__ import annotations

from dataclasses import replace

from tests.domain.helpers import contract, line
from tui_billing.domain.billability import why_not_billable


def test_a_complete_active_contract_is_billable() -> None:
    assert why_not_billable(contract()) == []


def test_every_reason_is_given() -> None:
    terms = replace(
        contract(None, None, status="draft", customer=None),
        lines=(),
    )
    assert why_not_billable(terms) == [
        "the contract is not active (status: draft)",
        "no customer",
        "no lines",
        "no start date",
    ]


def test_line_problems_name_the_line() -> None:
    broken = replace(line("7", "Hosting"), unit_price=None, quantity=None)  # type: ignore[arg-type]
    terms = contract(
        "2024-01-01",
        None,
        broken,
        line("8", "Support", valid_from="2024-05-01", valid_to="2024-04-01", frequency="monthly"),
        line("9", "Setup", recurring=False),
    )
    assert why_not_billable(terms) == [
        "line 1 (Hosting): no unit price",
        "line 1 (Hosting): no quantity",
        "line 1 (Hosting): no billing frequency",
        "line 2 (Support): valid to is before valid from",
    ]


def test_dates_and_settings_are_checked() -> None:
    terms = contract(
        "2024-05-01",
        "monthly",
        line("1", valid_from="2025-01-01"),
        end="2024-04-30",
        alignment="weekly",
    )
    assert why_not_billable(terms) == [
        "the end date is before the start date",
        "unknown alignment 'weekly'",
        "line 1 (Maintenance): valid from is after the contract's end",
    ]


def test_a_start_date_is_not_needed_when_every_line_has_one() -> None:
    terms = contract(None, "monthly", line(valid_from="2024-01-01"))
    assert why_not_billable(terms) == []
