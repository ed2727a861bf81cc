"""The Italian legal rate for late payments in commercial transactions (D.Lgs. 231/2002):
the ECB reference rate of the half-year plus 8 points, and the published values."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from tui_billing.domain.errors import UserError
from tui_billing.domain.i18n import _

LEGAL_POINTS = Decimal("8.00")

# The ECB main refinancing rate in force on the first day of each half-year (the reference
# rate the Ministry of Economy publishes for the half-year): 0.05 % from 10 Sept 2014,
# 0.00 % from 16 March 2016, then 2.50 % (Dec 2022), 4.00 % (June 2023), 4.50 % (Sept 2023),
# 4.25 % (June 2024), 3.15 % (Dec 2024), 2.15 % (June 2025, unchanged at the end of 2025).
PUBLISHED_REFERENCE_RATES: dict[dt.date, Decimal] = {
    dt.date(2015, 1, 1): Decimal("0.05"),
    dt.date(2015, 7, 1): Decimal("0.05"),
    dt.date(2016, 1, 1): Decimal("0.05"),
    **{
        dt.date(year, month, 1): Decimal("0.00")
        for year in range(2016, 2023)
        for month in (1, 7)
        if (year, month) != (2016, 1)
    },
    dt.date(2023, 1, 1): Decimal("2.50"),
    dt.date(2023, 7, 1): Decimal("4.00"),
    dt.date(2024, 1, 1): Decimal("4.50"),
    dt.date(2024, 7, 1): Decimal("4.25"),
    dt.date(2025, 1, 1): Decimal("3.15"),
    dt.date(2025, 7, 1): Decimal("2.15"),
    dt.date(2026, 1, 1): Decimal("2.15"),
}

_HALF = re.compile(r"^(\d{4})\s*[-/ ]?\s*(?:H|S)([12])$", re.IGNORECASE)


def half_year_start(day: dt.date) -> dt.date:
    """The first day of the half-year holding ``day``: 1 January or 1 July."""
    return dt.date(day.year, 1 if day.month <= 6 else 7, 1)


def half_year_end(day: dt.date) -> dt.date:
    """The last day of the half-year holding ``day``: 30 June or 31 December."""
    return dt.date(day.year, 6, 30) if day.month <= 6 else dt.date(day.year, 12, 31)


def half_year_label(start: dt.date) -> str:
    """``2026-H1`` for the half-year starting on 1 January 2026."""
    return f"{start.year}-H{1 if start.month <= 6 else 2}"


def parse_half_year(value: object, path: str | None = None) -> dt.date:
    """A half-year written ``2026-H1`` / ``2026H2`` / ``2026-S1`` or as its first day
    (``2026-01-01``, ``2026-07-01``); returns its first day."""
    text = str(value).strip() if isinstance(value, str | dt.date) else None
    if text is None:
        raise UserError(_("not a half-year (2026-H1 or 2026-07-01)"), path)
    match = _HALF.match(text)
    if match:
        return dt.date(int(match.group(1)), 1 if match.group(2) == "1" else 7, 1)
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise UserError(
            _("not a half-year (2026-H1 or 2026-07-01): {value}").format(value=repr(text)), path
        ) from None
    if (day.month, day.day) not in ((1, 1), (7, 1)):
        raise UserError(
            _("a half-year starts on 1 January or 1 July, not {value}").format(value=text), path
        )
    return day
