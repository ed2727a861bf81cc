"""TARGET2 business days and the SEPA direct debit lead time (EPC rulebooks, D-1).

The inter-bank business days of SEPA direct debits are the TARGET2 days: every day but
Saturday, Sunday, 1 January, Good Friday, Easter Monday, 1 May, 25 and 26 December.
Since rulebook 9.0 (November 2016) both the Core and the B2B scheme ask the creditor bank
to send every collection (FRST, RCUR, OOFF, FNAL) at the latest one inter-bank business
day before the due date (D-1).
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache
from typing import Literal

from dateutil.easter import easter

from tui_billing.domain.errors import UserError
from tui_billing.domain.i18n import _

Scheme = Literal["CORE", "B2B"]

# Inter-bank business days between presentation and due date, per scheme (rulebook 9.0+).
LEAD_DAYS: dict[str, int] = {"CORE": 1, "B2B": 1}


@lru_cache(maxsize=64)
def target_closing_days(year: int) -> frozenset[date]:
    """The TARGET2 holidays of ``year`` (weekends are closed too, see ``is_target_day``)."""
    easter_sunday = easter(year)
    return frozenset(
        {
            date(year, 1, 1),
            easter_sunday - timedelta(days=2),  # Good Friday
            easter_sunday + timedelta(days=1),  # Easter Monday
            date(year, 5, 1),
            date(year, 12, 25),
            date(year, 12, 26),
        }
    )


def is_target_day(day: date) -> bool:
    """True when TARGET2 settles on ``day``."""
    return day.weekday() < 5 and day not in target_closing_days(day.year)


def add_target_days(day: date, count: int) -> date:
    """The ``count``-th TARGET2 business day after ``day``."""
    current = day
    for _i in range(count):
        current += timedelta(days=1)
        while not is_target_day(current):
            current += timedelta(days=1)
    return current


def earliest_collection_date(presented_on: date, scheme: Scheme, bank_days: int = 0) -> date:
    """The first due date a collection presented on ``presented_on`` may carry: the scheme's
    lead time in TARGET2 days, plus ``bank_days`` the creditor's bank asks on top."""
    if scheme not in LEAD_DAYS:
        raise UserError(
            _("'{scheme}' is not a SEPA direct debit scheme (CORE or B2B)").format(scheme=scheme),
            "scheme",
        )
    return add_target_days(presented_on, LEAD_DAYS[scheme] + bank_days)


def check_collection_date(
    collection_date: date,
    presented_on: date,
    scheme: Scheme,
    bank_days: int = 0,
    path: str = "collection_date",
) -> date:
    """Refuse a due date that is not a TARGET2 day or comes before the lead time allows."""
    if not is_target_day(collection_date):
        raise UserError(
            _("{day} is not a TARGET2 business day").format(day=collection_date.isoformat()), path
        )
    earliest = earliest_collection_date(presented_on, scheme, bank_days)
    if collection_date < earliest:
        raise UserError(
            _(
                "{day} is too early: a {scheme} collection presented on {presented} "
                "is due on {earliest} at the earliest"
            ).format(
                day=collection_date.isoformat(),
                scheme=scheme,
                presented=presented_on.isoformat(),
                earliest=earliest.isoformat(),
            ),
            path,
        )
    return collection_date
