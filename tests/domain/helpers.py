"""Builders for the schedule engine's terms, so each test states only what it is about."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from tui_billing.domain.frequency import Frequency
from tui_billing.domain.terms import ContractTerms, LineTerms


def d(text: str) -> date:
    """A date from ISO text."""
    return date.fromisoformat(text)


def line(
    key: str = "1",
    description: str = "Maintenance",
    quantity: str = "1",
    unit_price: str = "50.00",
    vat_rate: str = "22.00",
    *,
    frequency: str | None = None,
    price_period: str | None = None,
    valid_from: str | None = None,
    valid_to: str | None = None,
    recurring: bool = True,
) -> LineTerms:
    """A contract line; dates as ISO text, frequencies by name."""
    return LineTerms(
        key=key,
        description=description,
        quantity=Decimal(quantity),
        unit_price=Decimal(unit_price),
        vat_rate=Decimal(vat_rate),
        recurring=recurring,
        valid_from=d(valid_from) if valid_from else None,
        valid_to=d(valid_to) if valid_to else None,
        frequency=Frequency.parse(frequency) if frequency else None,
        price_period=Frequency.parse(price_period) if price_period else None,
    )


def contract(
    start: str | None = "2024-07-01",
    frequency: str | dict | None = "monthly",
    *lines: LineTerms,
    end: str | None = None,
    **settings: object,
) -> ContractTerms:
    """An active contract of ACME with the given lines (one default line when none)."""
    return ContractTerms(
        code=str(settings.pop("code", "K-001")),
        status=str(settings.pop("status", "active")),
        customer=settings.pop("customer", "ACME"),  # type: ignore[arg-type]
        start_date=d(start) if start else None,
        end_date=d(end) if end else None,
        frequency=Frequency.parse(frequency) if frequency else None,
        lines=tuple(lines) if lines else (line(),),
        **settings,  # type: ignore[arg-type]
    )


def spans(installments: list) -> list[tuple[str | None, str | None, str]]:
    """(period start, period end, invoice date) of each installment, as ISO text."""
    return [
        (
            i.period_start.isoformat() if i.period_start else None,
            i.period_end.isoformat() if i.period_end else None,
            i.invoice_date.isoformat(),
        )
        for i in installments
    ]
