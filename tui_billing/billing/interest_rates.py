"""The table of legal late-payment rates (ECB reference rate of each half-year + points):
listing, setting one half-year, importing a CSV file, all or nothing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from peewee import Database

from tui_billing.billing.wording import _
from tui_billing.domain.errors import UserError
from tui_billing.domain.legal_rates import LEGAL_POINTS, half_year_label, parse_half_year
from tui_billing.domain.money import parse_decimal
from tui_billing.output.csv_import import plain_number, sniff_rows
from tui_billing.store.models import Contract, LegalInterestRate
from tui_billing.store.transactions import write_transaction


@dataclass(frozen=True, slots=True)
class LegalRate:
    half_year_start: dt.date
    reference_rate: Decimal
    points: Decimal

    @property
    def rate(self) -> Decimal:
        return self.reference_rate + self.points

    def to_json(self) -> dict[str, Any]:
        return {
            "half_year": half_year_label(self.half_year_start),
            "from": self.half_year_start.isoformat(),
            "reference_rate": f"{self.reference_rate:.2f}",
            "points": f"{self.points:.2f}",
            "rate": f"{self.rate:.2f}",
        }


def list_rates() -> list[LegalRate]:
    """Every half-year in the table, oldest first."""
    return [
        LegalRate(r.half_year_start, r.reference_rate, r.points)
        for r in LegalInterestRate.select().order_by(LegalInterestRate.half_year_start)
    ]


def read_rate(half_year: Any, reference_rate: Any, points: Any, where: str = "") -> LegalRate:
    """One half-year's rates as given (``2026-H1`` or its first day; points default 8),
    each refusal naming its field (``where.reference_rate``)."""

    def at(key: str) -> str:
        return f"{where}.{key}" if where else key

    return LegalRate(
        parse_half_year(half_year, at("half_year")),
        _check(reference_rate, at("reference_rate"), upper=100),
        _check(points if points is not None else LEGAL_POINTS, at("points"), upper=100),
    )


def _check(value: Any, path: str, *, upper: int) -> Decimal:
    rate = parse_decimal(value, path, places=2, allow_negative=True)
    if not -upper <= rate <= upper:
        raise UserError(
            _("must be a percentage between -{upper} and {upper}").format(upper=upper), path
        )
    return rate


def store_rates(rows: list[LegalRate]) -> int:
    """Write the half-years (inside a write transaction); returns how many changed."""
    existing = {r.half_year_start: r for r in LegalInterestRate.select()}
    changed = 0
    for rate in rows:
        row = existing.get(rate.half_year_start)
        if row is None:
            LegalInterestRate.create(
                half_year_start=rate.half_year_start,
                reference_rate=rate.reference_rate,
                points=rate.points,
            )
        elif (row.reference_rate, row.points) != (rate.reference_rate, rate.points):
            row.reference_rate, row.points = rate.reference_rate, rate.points
            row.save()
        else:
            continue
        changed += 1
    if changed:  # pending late interest at the legal rate is recomputed
        Contract.update(revision=Contract.revision + 1).where(
            Contract.late_interest == "legal"
        ).execute()
    return changed


def set_rate(db: Database, half_year: Any, reference_rate: Any, points: Any = None) -> LegalRate:
    """Set (or correct) one half-year's reference rate and points (default 8)."""
    rate = read_rate(half_year, reference_rate, points)
    with write_transaction(db):
        store_rates([rate])
    return rate


def import_rates(db: Database, text: str, source: str) -> int:
    """A CSV with columns half_year (2026-H1 or 2026-01-01), reference_rate and optionally
    points (default 8); returns the half-years added or changed."""
    rows = sniff_rows(text, source, ("half_year", "reference_rate"))
    rates: dict[dt.date, LegalRate] = {}
    for number, row in enumerate(rows, start=2):

        def at(column: str, number: int = number) -> str:
            return f"{source} row {number}, column {column}"

        start = parse_half_year(row.get("half_year", ""), at("half_year"))
        if start in rates:
            raise UserError(
                _("{half_year_label} is listed twice").format(
                    half_year_label=half_year_label(start)
                ),
                at("half_year"),
            )
        points = row.get("points") or str(LEGAL_POINTS)
        rates[start] = LegalRate(
            start,
            _check(plain_number(row.get("reference_rate", "")), at("reference_rate"), upper=100),
            _check(plain_number(points), at("points"), upper=100),
        )
    if not rates:
        raise UserError(_("holds no rates"), source)
    with write_transaction(db):
        return store_rates(list(rates.values()))


__all__ = ["LegalRate", "import_rates", "list_rates", "read_rate", "set_rate", "store_rates"]
