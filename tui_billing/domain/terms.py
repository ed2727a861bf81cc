"""What the schedule engine reads: a contract's billing terms and its lines, as plain values."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from tui_billing.domain.errors import UserError
from tui_billing.domain.frequency import Frequency
from tui_billing.domain.i18n import _
from tui_billing.domain.vocabulary import (
    ALIGNMENTS,
    CONTRACT_STATUSES,
    LANGUAGES,
    LINE_DISPLAYS,
    TIMINGS,
)

STATUSES = CONTRACT_STATUSES


def check_choice(value: object, choices: tuple[str, ...], path: str | None = None) -> str:
    """Return ``value`` when it is one of ``choices``; else raise UserError naming ``path``."""
    if isinstance(value, str) and value in choices:
        return value
    raise UserError(
        _("must be one of {choices} (got {value})").format(
            choices=", ".join(choices), value=repr(value)
        ),
        path,
    )


@dataclass(frozen=True, slots=True)
class LineTerms:
    """One revenue line of a contract: what it bills, at which price, and when it is valid."""

    key: str
    description: str
    quantity: Decimal
    unit_price: Decimal
    vat_rate: Decimal
    recurring: bool = True
    valid_from: date | None = None
    valid_to: date | None = None
    frequency: Frequency | None = None
    price_period: Frequency | None = None
    article: str | None = None
    vat_nature: str | None = None  # N4...: why the line carries no VAT (None: taxed)


@dataclass(frozen=True, slots=True)
class ContractTerms:
    """A contract as the schedule engine sees it: status, dates, billing settings and lines."""

    code: str
    status: str
    customer: str | None
    start_date: date | None
    end_date: date | None
    frequency: Frequency | None
    alignment: str = "start"
    year_end_cut: bool = False
    timing: str = "advance"
    invoice_offset_days: int = 0
    prorate: bool = True
    line_display: str = "single"
    one_off_with_first: bool = False
    lines: tuple[LineTerms, ...] = ()
    language: str = "en"
    # Indexed, stepped, revenue-based and advance lines (domain.economics.ContractEconomics);
    # None for the plain contracts that are nearly all of them.
    economics: object | None = None

    def line_frequency(self, line: LineTerms) -> Frequency | None:
        """The line's own frequency, else the contract's."""
        return line.frequency if line.frequency is not None else self.frequency

    def line_anchor(self, line: LineTerms) -> date | None:
        """Where the line's schedule is anchored: its ``valid_from``, else the contract start."""
        return line.valid_from if line.valid_from is not None else self.start_date

    def line_window(self, line: LineTerms) -> tuple[date, date | None] | None:
        """The days the line may bill, ``(first, last or None when open)``; None when empty.

        The line's own window ``[valid_from or start_date, valid_to or end_date]``, kept
        inside the contract's ``[start_date, end_date]`` when those are set.
        """
        first = self.line_anchor(line)
        if first is None:
            return None
        if self.start_date is not None and self.start_date > first:
            first = self.start_date
        last = line.valid_to
        if self.end_date is not None and (last is None or self.end_date < last):
            last = self.end_date
        if last is not None and last < first:
            return None
        return first, last


__all__ = [
    "ALIGNMENTS",
    "LANGUAGES",
    "LINE_DISPLAYS",
    "STATUSES",
    "TIMINGS",
    "ContractTerms",
    "LineTerms",
    "check_choice",
]
