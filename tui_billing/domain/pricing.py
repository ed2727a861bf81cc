"""The amount of a line for a period: quantity x unit price x period length / price period.

Ratios are exact: integer (numerator, denominator) pairs on the hot path, Fractions in the
public helpers; the amount is computed with one division at the end and rounded half up.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Context, Decimal
from fractions import Fraction
from math import gcd
from typing import Any, cast

from tui_billing.domain.dates import ONE_DAY, days_in_month, month_index
from tui_billing.domain.frequency import Frequency
from tui_billing.domain.line_prices import unit_price_for
from tui_billing.domain.money import CENT
from tui_billing.domain.periods import Period, RawPeriod, split_period

# Wide enough that quantity x price x a ratio's numerator is exact before the one division.
_EXACT = Context(prec=60, rounding=ROUND_HALF_EVEN)
_mul, _div = _EXACT.multiply, _EXACT.divide


def measure_parts(start: date, end: date) -> tuple[int, int]:
    """``[start, end]`` in months, month by month (days covered / days of that month, summed),
    as a reduced (numerator, denominator): whole months in between count exactly 1."""
    first, last = month_index(start), month_index(end)
    first_length = days_in_month(start.year, start.month)
    if first == last:
        num, den = end.day - start.day + 1, first_length
    else:
        last_length = days_in_month(end.year, end.month)
        head = first_length - start.day + 1
        num = (last - first - 1) * first_length * last_length
        num += head * last_length + end.day * first_length
        den = first_length * last_length
    common = gcd(num, den)
    return num // common, den // common


def months_measure(start: date, end: date) -> Fraction:
    """``[start, end]`` measured month by month (1 Nov - 31 Dec = 2; 10 Feb - 31 Mar 2024 =
    20/29 + 1)."""
    return Fraction(*measure_parts(start, end))


def _compute_ratio(
    start: date,
    end: date,
    nominal_start: date,
    nominal_end: date,
    months: int | None,
    reference_months: int | None,
    reference_days: int | None,
    prorate: bool,
) -> tuple[int, int]:
    """See :func:`ratio_parts`."""
    whole = start == nominal_start and end == nominal_end
    if not whole and not prorate:
        start, end, whole = nominal_start, nominal_end, True
    if reference_days is not None:
        num, den = (end - start).days + 1, reference_days
    elif whole and months is not None:
        num, den = months, reference_months  # type: ignore[assignment]
    else:
        num, den = measure_parts(start, end)
        den *= reference_months  # type: ignore[operator]
    common = gcd(num, den)
    return num // common, den // common


_RATIOS: dict[tuple[Any, ...], tuple[int, int]] = {}
_RATIOS_MAX = 65_536


def ratio_parts(
    start: date,
    end: date,
    nominal_start: date,
    nominal_end: date,
    months: int | None,
    reference_months: int | None,
    reference_days: int | None,
    prorate: bool,
) -> tuple[int, int]:
    """Period length / price-period length as a reduced (numerator, denominator).

    ``months`` is the frequency's length in months (None for days and weeks); the price
    period is ``reference_months`` months or ``reference_days`` days. A whole period of a
    month-based frequency counts its months exactly (February is a month); a short one is
    measured month by month; with a day or week price period everything is measured in
    days; without proration a short period counts as its whole nominal period.
    """
    key = (
        start,
        end,
        nominal_start,
        nominal_end,
        months,
        reference_months,
        reference_days,
        prorate,
    )
    found = _RATIOS.get(key)
    if found is None:
        found = _compute_ratio(*key)
        if len(_RATIOS) >= _RATIOS_MAX:
            _RATIOS.clear()
        _RATIOS[key] = found
    return found


def period_ratio(
    period: Period,
    frequency: Frequency,
    price_period: Frequency | None = None,
    prorate: bool = True,
) -> Fraction:
    """Period length / price-period length (``price_period`` defaults to the frequency)."""
    reference = price_period or frequency
    return Fraction(
        *ratio_parts(
            period.start,
            period.end,
            period.nominal_start,
            period.nominal_end,
            frequency.months,
            reference.months,
            reference.days,
            prorate,
        )
    )


def scaled(quantity: Decimal, unit_price: Decimal, num: int, den: int = 1) -> Decimal:
    """``quantity x unit_price x num / den`` rounded to the cent, half up, computed exactly."""
    value = _mul(quantity, unit_price)
    if num != 1:
        value = _mul(value, num)
    if den != 1:
        value = _div(value, den)
    return value.quantize(CENT, rounding=ROUND_HALF_UP, context=_EXACT)


_PRICED: dict[tuple[Any, ...], tuple[Decimal, Decimal, Decimal]] = {}
_PRICED_MAX = 65_536


def priced(
    quantity: Decimal, unit_price: Decimal, num: int, den: int = 1
) -> tuple[Decimal, Decimal, Decimal]:
    """``(amount, quantity, unit price)`` of an invoice line billing ``quantity`` at
    ``unit_price`` per price period for ``num / den`` price periods: the amount as
    :func:`scaled` computes it, the unit price that of the period (see
    :func:`tui_billing.domain.line_prices.line_price`), so quantity x unit price rounds to
    the amount. Cached: most lines of most contracts bill alike."""
    key = (quantity, unit_price, num, den)
    found = _PRICED.get(key)
    if found is None:
        amount = scaled(quantity, unit_price, num, den)
        found = (amount, *unit_price_for(quantity, unit_price, num, den, amount))
        if len(_PRICED) >= _PRICED_MAX:
            _PRICED.clear()
        _PRICED[key] = found
    return found


def scaled_amount(quantity: Decimal, unit_price: Decimal, ratio: Fraction) -> Decimal:
    """``quantity x unit_price x ratio`` rounded to the cent, half up, computed exactly."""
    return scaled(quantity, unit_price, ratio.numerator, ratio.denominator)


def period_amount(
    quantity: Decimal,
    unit_price: Decimal,
    period: Period,
    frequency: Frequency,
    price_period: Frequency | None = None,
    prorate: bool = True,
) -> Decimal:
    """The amount of a line for ``period``, rounded to the cent half up."""
    reference = price_period or frequency
    num, den = ratio_parts(
        period.start,
        period.end,
        period.nominal_start,
        period.nominal_end,
        frequency.months,
        reference.months,
        reference.days,
        prorate,
    )
    return scaled(quantity, unit_price, num, den)


_PIECES: dict[tuple[Any, ...], tuple[tuple[RawPeriod, int, int], ...]] = {}
_PIECES_MAX = 16_384


def sub_period_ratios(
    period: RawPeriod, frequency: Frequency, price_period: Frequency, prorate: bool = True
) -> tuple[tuple[RawPeriod, int, int], ...]:
    """The period cut into price-period sub-periods, each with its (numerator, denominator).

    Within a whole period a whole sub-period counts exactly one price period; within a
    short one every piece is measured like the period itself, so the pieces add up to it.
    A short period that is not prorated stays one piece (it is billed as a whole period),
    and so does a period no longer than one price period.
    """
    key = (
        period[0],
        period[1],
        period[2],
        period[3],
        frequency.every,
        frequency.unit,
        price_period.every,
        price_period.unit,
        prorate,
    )
    found = _PIECES.get(key)
    if found is None:
        found = _split_ratios(tuple(period), frequency, price_period, prorate)  # type: ignore[arg-type]
        if len(_PIECES) >= _PIECES_MAX:
            _PIECES.clear()
        _PIECES[key] = found
    return found


def _split_ratios(
    period: RawPeriod, frequency: Frequency, price_period: Frequency, prorate: bool
) -> tuple[tuple[RawPeriod, int, int], ...]:
    """See :func:`sub_period_ratios`."""
    start, end, nominal_start, nominal_end = period
    whole = start == nominal_start and end == nominal_end
    months = frequency.months
    reference_months, reference_days = price_period.months, price_period.days
    pieces = split_period(period, price_period) if whole or prorate else []
    if len(pieces) <= 1:
        num, den = ratio_parts(
            start,
            end,
            nominal_start,
            nominal_end,
            months,
            reference_months,
            reference_days,
            prorate,
        )
        return ((period, num, den),)
    result: list[tuple[RawPeriod, int, int]] = []
    for piece in pieces:
        if reference_days is not None:
            num, den = (piece[1] - piece[0]).days + 1, reference_days
        elif whole and months is not None:
            num = month_index(piece[1] + ONE_DAY) - month_index(piece[0])
            den = reference_months  # type: ignore[assignment]
        else:
            num, den = measure_parts(piece[0], piece[1])
            den *= reference_months  # type: ignore[operator]
        common = gcd(num, den)
        result.append((cast(RawPeriod, tuple(piece)), num // common, den // common))
    return tuple(result)


def sub_period_amounts(
    quantity: Decimal,
    unit_price: Decimal,
    period: Period,
    frequency: Frequency,
    price_period: Frequency | None = None,
    prorate: bool = True,
) -> list[tuple[Period, Decimal]]:
    """The period's sub-periods (one invoice line each, ``per_period``) with their amounts."""
    return [
        (Period(*piece), scaled(quantity, unit_price, num, den))
        for piece, num, den in sub_period_ratios(
            period, frequency, price_period or frequency, prorate
        )
    ]


__all__ = [
    "measure_parts",
    "months_measure",
    "period_amount",
    "period_ratio",
    "priced",
    "ratio_parts",
    "scaled",
    "scaled_amount",
    "sub_period_amounts",
    "sub_period_ratios",
]
