"""Why a contract cannot be billed: the reasons an operator must fix, or that it has
invoiced all it ever will; empty when billable."""

from __future__ import annotations

from collections.abc import Sequence

from tui_billing.domain.billing_dates import next_billing_dates
from tui_billing.domain.coverage import BilledLine
from tui_billing.domain.i18n import N_, _
from tui_billing.domain.terms import ALIGNMENTS, LINE_DISPLAYS, TIMINGS, ContractTerms
from tui_billing.domain.words import word

#: The reason of a contract that could bill but has invoiced all it ever will.
#: English here (compare with ``_(NOTHING_LEFT)``); the reasons come in the language in use.
NOTHING_LEFT = N_("nothing left to bill: every line is invoiced to its end")

_UNKNOWN_SETTING = {
    "alignment": N_("unknown alignment '{value}'"),
    "timing": N_("unknown timing '{value}'"),
    "line display": N_("unknown line display '{value}'"),
}


def nothing_left() -> str:
    """The reason :data:`NOTHING_LEFT` as :func:`why_not_billable` gives it now."""
    return _(NOTHING_LEFT)


def why_not_billable(terms: ContractTerms, billed: Sequence[BilledLine] | None = None) -> list[str]:
    """Every reason ``terms`` cannot produce invoices, in the language in use; ``[]`` when
    it can.

    With ``billed`` (the lines of the contract's invoiced installments), a contract
    that could bill but whose every line is invoiced to its end says so: nothing left.
    """
    reasons: list[str] = []
    if terms.status != "active":
        reasons.append(
            _("the contract is not active (status: {status})").format(
                status=word("status", terms.status)
            )
        )
    if not terms.customer:
        reasons.append(_("no customer"))
    if not terms.lines:
        reasons.append(_("no lines"))
    if terms.start_date is None and (
        not terms.lines or any(line.valid_from is None for line in terms.lines)
    ):
        reasons.append(_("no start date"))
    if terms.start_date and terms.end_date and terms.end_date < terms.start_date:
        reasons.append(_("the end date is before the start date"))
    for value, choices, what in (
        (terms.alignment, ALIGNMENTS, "alignment"),
        (terms.timing, TIMINGS, "timing"),
        (terms.line_display, LINE_DISPLAYS, "line display"),
    ):
        if value not in choices:
            reasons.append(_(_UNKNOWN_SETTING[what]).format(value=value))
    for number, line in enumerate(terms.lines, 1):
        name = {"number": number, "description": line.description or line.key}
        if line.unit_price is None:
            reasons.append(_("line {number} ({description}): no unit price").format(**name))
        if line.quantity is None or line.quantity == 0:
            reasons.append(_("line {number} ({description}): no quantity").format(**name))
        if line.vat_rate is None:
            reasons.append(_("line {number} ({description}): no VAT rate").format(**name))
        if line.recurring and terms.line_frequency(line) is None:
            reasons.append(_("line {number} ({description}): no billing frequency").format(**name))
        if line.valid_from and line.valid_to and line.valid_to < line.valid_from:
            reasons.append(
                _("line {number} ({description}): valid to is before valid from").format(**name)
            )
        elif line.valid_from and terms.end_date and line.valid_from > terms.end_date:
            reasons.append(
                _("line {number} ({description}): valid from is after the contract's end").format(
                    **name
                )
            )
        elif line.valid_to and terms.start_date and line.valid_to < terms.start_date:
            reasons.append(
                _("line {number} ({description}): valid to is before the contract's start").format(
                    **name
                )
            )
    if billed and not reasons and not any(next_billing_dates(terms, billed).values()):
        reasons.append(_(NOTHING_LEFT))
    return reasons


__all__ = ["NOTHING_LEFT", "nothing_left", "why_not_billable"]
