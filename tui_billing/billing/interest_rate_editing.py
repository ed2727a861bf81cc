"""The legal late-payment rates (D.Lgs. 231/2002) as the operator edits them: one row per
half-year, added or corrected from a form, validated as ``interest-rates set`` and the CSV
import validate them.

Each half-year (1 January - 30 June, 1 July - 31 December) has one rate: adding a half-year
already in the table is refused (it would overlap the one there: edit that instead), and so
is moving a row onto a half-year another row holds. Rows are not deleted: the late
interest already worked out at a half-year's rate would lose its basis.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from peewee import Database

from tui_billing.billing.interest_rates import LegalRate, list_rates, read_rate, store_rates
from tui_billing.billing.record_input import typed_values
from tui_billing.billing.wording import _
from tui_billing.domain.errors import UserError
from tui_billing.domain.legal_rates import half_year_label
from tui_billing.store.models import LegalInterestRate
from tui_billing.store.transactions import write_transaction

PATH = "rate"
FIELDS = ("half_year", "reference_rate", "points")


def search_rates(search: str = "") -> list[LegalRate]:
    """The half-years whose label (``2026-H1``) holds ``search``, newest first."""
    text = search.strip().casefold()
    rates = [r for r in list_rates() if text in half_year_label(r.half_year_start).casefold()]
    return rates[::-1]


def form_values(rate: LegalRate) -> dict[str, Any]:
    return {
        "half_year": half_year_label(rate.half_year_start),
        "reference_rate": f"{rate.reference_rate:.2f}",
        "points": f"{rate.points:.2f}",
    }


def _validated(values: Mapping[str, Any]) -> LegalRate:
    clean = typed_values(values, frozenset({"reference_rate", "points"}))
    unknown = sorted(set(clean) - set(FIELDS))
    if unknown:
        raise UserError(_("unknown field"), f"{PATH}.{unknown[0]}")
    if "half_year" not in clean:
        raise UserError(_("is required"), f"{PATH}.half_year")
    if "reference_rate" not in clean:
        raise UserError(_("is required"), f"{PATH}.reference_rate")
    return read_rate(clean["half_year"], clean["reference_rate"], clean.get("points"), PATH)


def _taken(start: dt.date) -> UserError:
    return UserError(
        _(
            "{half_year_label} is in the table already (one rate per half-year): edit that row"
        ).format(half_year_label=half_year_label(start)),
        f"{PATH}.half_year",
    )


def create_rate(db: Database, values: Mapping[str, Any]) -> LegalRate:
    """Add one half-year's rate; refused when the half-year has one already."""
    rate = _validated(values)
    with write_transaction(db):
        if (
            LegalInterestRate.select()
            .where(LegalInterestRate.half_year_start == rate.half_year_start)
            .exists()
        ):
            raise _taken(rate.half_year_start)
        store_rates([rate])
    return rate


def update_rate(db: Database, half_year_start: dt.date, values: Mapping[str, Any]) -> bool:
    """Correct the row of the half-year starting on ``half_year_start`` (it may move to a
    half-year no other row holds); returns whether anything changed."""
    rate = _validated(values)
    with write_transaction(db):
        row = LegalInterestRate.get_or_none(LegalInterestRate.half_year_start == half_year_start)
        if row is None:
            raise UserError(
                _("no rate for {half_year_label}").format(
                    half_year_label=half_year_label(half_year_start)
                ),
                f"{PATH}.half_year",
            )
        if rate.half_year_start != half_year_start:
            if (
                LegalInterestRate.select()
                .where(LegalInterestRate.half_year_start == rate.half_year_start)
                .exists()
            ):
                raise _taken(rate.half_year_start)
            row.delete_instance()
        return store_rates([rate]) > 0


__all__ = ["create_rate", "form_values", "search_rates", "update_rate"]
