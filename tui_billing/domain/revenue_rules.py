"""Revenue-based lines (E4) and advance-and-balancing lines (E6): their rules and the
revenue (or consumption) figures they read."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from tui_billing.domain.frequency import Frequency

ONE_DAY = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class RevenueRule:
    """A line billing ``percent`` of the revenue of the previous period; with ``minimum``
    its own price (quantity x unit price for the period) is the guaranteed minimum."""

    percent: Decimal
    minimum: bool = False


@dataclass(frozen=True, slots=True)
class AdvanceRule:
    """A line whose price is an advance; at the end of each ``balance`` period a balancing
    installment bills figure x ``rate`` minus the advances of its periods (or credits it)."""

    balance: Frequency
    rate: Decimal = Decimal(1)


@dataclass(frozen=True, slots=True)
class Figure:
    """A revenue or consumption figure a contract reported for a period."""

    start: date
    end: date
    amount: Decimal


def figure_total(figures: Iterable[Figure], start: date, end: date) -> Decimal | None:
    """The sum of the figures inside ``[start, end]`` when they cover every day of it
    (one figure for the period, or e.g. one per month); None while a day is not covered."""
    inside = sorted(
        (f for f in figures if f.start >= start and f.end <= end), key=lambda f: (f.start, f.end)
    )
    covered = start - ONE_DAY
    total = Decimal(0)
    for figure in inside:
        if figure.start > covered + ONE_DAY:
            return None
        if figure.end <= covered:
            continue  # overlapping figures: the first one counts
        if figure.start <= covered:
            return None  # a figure straddling another: ambiguous
        total += figure.amount
        covered = figure.end
    return total if covered >= end else None


__all__ = ["AdvanceRule", "Figure", "RevenueRule", "figure_total"]
