"""Price index series (ISTAT FOI...) and the variation between two months, across bases.

Each value keeps the base it is expressed in ("2015" for 2015=100). When ISTAT rebases a
series it publishes a linking coefficient K between the old and the new base: an index in
the new base times K is the same index expressed in the old base. A variation between a
month in the old base and one in the new base is computed as ISTAT prescribes: the new
index is brought into the old base (new x K, rounded to one decimal like a published
index), then the variation is (new / old - 1) x 100, rounded to one decimal, half up.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from tui_billing.domain.dates import add_months
from tui_billing.domain.number_text import decimal_text, index_text

TENTH = Decimal("0.1")


def round_tenth(value: Decimal) -> Decimal:
    """``value`` to one decimal, half up (how ISTAT publishes indexes and variations)."""
    return value.quantize(TENTH, rounding=ROUND_HALF_UP)


def month_text(month: date) -> str:
    """``YYYY-MM``: how an index month is written."""
    return f"{month.year:04d}-{month.month:02d}"


def shift_months(month: date, months: int) -> date:
    """The first day of the month ``months`` after (before, if negative) ``month``'s."""
    return add_months(month.replace(day=1), months)


class MissingIndex(Exception):  # a condition, not a failure of the program
    """An index value (or a linking coefficient) needed for a computation is not there."""

    def __init__(self, reason: str, month: date | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.month = month


@dataclass(frozen=True, slots=True)
class IndexPoint:
    """The value of an index series for one month, in its base."""

    month: date
    value: Decimal
    base: str


@dataclass(frozen=True, slots=True)
class IndexSeriesData:
    """One index series: its values by month and the coefficients linking its bases.

    ``links`` maps ``(old_base, new_base)`` to K: an index in ``new_base`` x K is the same
    index in ``old_base``.
    """

    code: str
    name: str = ""
    values: Mapping[date, IndexPoint] = field(default_factory=dict)
    links: Mapping[tuple[str, str], Decimal] = field(default_factory=dict)

    def point(self, month: date) -> IndexPoint:
        """The value of ``month``; raise MissingIndex when it is not there."""
        found = self.values.get(month.replace(day=1))
        if found is None:
            raise MissingIndex(f"index {self.code} {month_text(month)} is not available", month)
        return found

    def coefficient(self, old_base: str, new_base: str) -> Decimal:
        """The factor that expresses an index of ``new_base`` in ``old_base`` (1 for the same
        base), through a chain of links when needed; raise MissingIndex when none links them."""
        if old_base == new_base:
            return Decimal(1)
        # Breadth-first over the links, both ways (a link read backwards divides).
        frontier: list[tuple[str, Decimal]] = [(new_base, Decimal(1))]
        seen = {new_base}
        while frontier:
            base, factor = frontier.pop(0)
            for (old, new), k in self.links.items():
                for there, step in ((old, k), (new, 1 / k)) if base in (old, new) else ():
                    if there == base or there in seen:
                        continue
                    if there == old_base:
                        return factor * step
                    seen.add(there)
                    frontier.append((there, factor * step))
        raise MissingIndex(
            f"index {self.code}: no linking coefficient from base {new_base} to base {old_base}"
        )


@dataclass(frozen=True, slots=True)
class IndexVariation:
    """How the variation of an index between two months was computed, step by step."""

    series: str
    old: IndexPoint
    new: IndexPoint
    coefficient: Decimal | None  # None when both are in the same base
    new_in_old_base: Decimal  # the new index expressed in the old one's base
    percent: Decimal  # the variation in percent, one decimal

    def to_json(self) -> dict[str, str | None]:
        return {
            "series": self.series,
            "base_month": month_text(self.old.month),
            "base_index": index_text(self.old.value),
            "base_index_base": self.old.base,
            "new_month": month_text(self.new.month),
            "new_index": index_text(self.new.value),
            "new_index_base": self.new.base,
            "coefficient": (
                decimal_text(self.coefficient) if self.coefficient is not None else None
            ),
            "new_index_in_base": index_text(self.new_in_old_base),
            "variation_percent": index_text(self.percent),
        }


def index_variation(series: IndexSeriesData, old_month: date, new_month: date) -> IndexVariation:
    """The variation of ``series`` from ``old_month`` to ``new_month``; MissingIndex when a
    value or the coefficient between their bases is missing."""
    old, new = series.point(old_month), series.point(new_month)
    coefficient = None
    converted = new.value
    if old.base != new.base:
        coefficient = series.coefficient(old.base, new.base)
        converted = round_tenth(new.value * coefficient)
    if old.value == 0:
        raise MissingIndex(f"index {series.code} {month_text(old.month)} is zero")
    percent = round_tenth((converted / old.value - 1) * 100)
    return IndexVariation(series.code, old, new, coefficient, converted, percent)


__all__ = [
    "IndexPoint",
    "IndexSeriesData",
    "IndexVariation",
    "MissingIndex",
    "index_variation",
    "month_text",
    "round_tenth",
    "shift_months",
]
