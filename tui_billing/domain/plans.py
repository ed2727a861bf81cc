"""Fixed installment plans: a set amount every period, or a total split into N installments."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import NamedTuple

from tui_billing.domain.dates import ONE_DAY
from tui_billing.domain.errors import UserError
from tui_billing.domain.frequency import Frequency
from tui_billing.domain.i18n import _
from tui_billing.domain.money import round_money, split_total
from tui_billing.domain.terms import TIMINGS

#: The most installments a plan may have (a guard against a mistyped count or end date).
MAX_INSTALLMENTS = 10_000


class PlanInstallment(NamedTuple):
    """One installment of a plan: its period, its invoice date and its amount."""

    period_start: date
    period_end: date
    invoice_date: date
    amount: Decimal


def _plan_periods(
    frequency: Frequency, start: date, count: int | None, end: date | None
) -> list[tuple[date, date]]:
    """``count`` periods from ``start`` (start alignment), or those starting up to ``end``,
    the last one then ending on ``end``."""
    if (count is None) == (end is None):
        raise UserError(_("give either a number of installments or an end date"))
    if count is not None and not 1 <= count <= MAX_INSTALLMENTS:
        raise UserError(
            _("the number of installments must be between 1 and {maximum}").format(
                maximum=MAX_INSTALLMENTS
            )
        )
    if end is not None and end < start:
        raise UserError(_("the end date is before the start date"))
    periods: list[tuple[date, date]] = []
    k = 0
    while True:
        period_start = frequency.add(start, k)
        if end is not None and period_start > end:
            break
        period_end = frequency.add(start, k + 1) - ONE_DAY
        if end is not None and period_end > end:
            period_end = end
        periods.append((period_start, period_end))
        k += 1
        if count is not None and k == count:
            break
        if len(periods) > MAX_INSTALLMENTS:
            raise UserError(_("more than {maximum} installments").format(maximum=MAX_INSTALLMENTS))
    return periods


def _invoice_date(period: tuple[date, date], timing: str, offset_days: int) -> date:
    """Period start (advance) or end (arrears), plus the offset."""
    if timing not in TIMINGS:
        raise UserError(_("timing must be one of {choices}").format(choices=", ".join(TIMINGS)))
    day = period[1] if timing == "arrears" else period[0]
    return day + timedelta(days=offset_days)


def recurrence_plan(
    amount: Decimal,
    frequency: Frequency,
    start: date,
    *,
    count: int | None = None,
    end: date | None = None,
    timing: str = "advance",
    offset_days: int = 0,
) -> list[PlanInstallment]:
    """The same ``amount`` every ``frequency`` from ``start``, ``count`` times or until ``end``
    (S0 "Ricorrenza fatturazione"); a last period cut by ``end`` still bills the full amount."""
    if amount < 0:
        raise UserError(_("the installment amount must not be negative"))
    value = round_money(amount)
    return [
        PlanInstallment(s, e, _invoice_date((s, e), timing, offset_days), value)
        for s, e in _plan_periods(frequency, start, count, end)
    ]


def split_plan(
    total: Decimal,
    count: int,
    frequency: Frequency,
    start: date,
    *,
    timing: str = "advance",
    offset_days: int = 0,
) -> list[PlanInstallment]:
    """``total`` split into ``count`` installments every ``frequency`` from ``start``: each
    total/count rounded down to the cent, the leftover cents one each on the last ones."""
    parts = split_total(total, count)
    periods = _plan_periods(frequency, start, count, None)
    return [
        PlanInstallment(s, e, _invoice_date((s, e), timing, offset_days), part)
        for (s, e), part in zip(periods, parts, strict=True)
    ]


__all__ = ["MAX_INSTALLMENTS", "PlanInstallment", "recurrence_plan", "split_plan"]
