"""Imposta di bollo (DPR 642/1972, Tariffa allegato A, art. 13) on a document without VAT,
and the amount a customer pays under split payment (art. 17-ter DPR 633/72), as pure rules.

The bollo is 2.00 EUR when the amounts of a document's lines without VAT that require it
exceed 77.47 EUR. Which natures require it is one list, ``fatturapa_checks.BOLLO_NATURES``
(N1, N2.1, N2.2, N3.5, N3.6, N4): the lines out of the scope of VAT, not subject, exempt
(art. 10) and the non-taxable operations of declarations of intent; exports, intra-EU
supplies (art. 15 DPR 642/72 Tabella B, art. 66 DL 331/93), margin schemes and reverse
charge do not (their VAT is, or will be, paid).
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from tui_billing.domain.fatturapa_checks import BOLLO_AMOUNT, BOLLO_NATURES, BOLLO_THRESHOLD

# The line a company that charges the bollo adds to the document: out of VAT scope (N1,
# art. 15 DPR 633/72, a reimbursement of an expense in the customer's name).
STAMP_DUTY_LINE = "Imposta di bollo"
STAMP_DUTY_NATURE = "N1"
STAMP_DUTY_NOTE = "Imposta di bollo assolta in modo virtuale ai sensi del D.M. 17/06/2014"
SPLIT_PAYMENT_NOTE = "Scissione dei pagamenti - art. 17-ter DPR 633/72"


def stamp_duty(lines: Iterable[tuple[Decimal, str | None]]) -> Decimal | None:
    """The bollo of a document with lines (amount, nature): 2.00 when the amounts of the
    natures in ``BOLLO_NATURES`` exceed 77.47 (in absolute value: a credit note too), else
    None. The document's own bollo line is not among ``lines``."""
    return stamp_duty_on(
        sum((amount for amount, nature in lines if nature in BOLLO_NATURES), Decimal(0))
    )


def stamp_duty_on(subject: Decimal) -> Decimal | None:
    """The bollo of a document whose lines of the natures that require it sum to
    ``subject``: 2.00 above 77.47 (in absolute value), else None."""
    return BOLLO_AMOUNT if abs(subject) > BOLLO_THRESHOLD else None


def amount_due(total: Decimal, vat: Decimal, split_payment: bool) -> Decimal:
    """What the customer pays: the total, less the VAT it pays to the State itself under
    split payment."""
    return total - vat if split_payment else total


def owed_amount(
    total: Decimal, vat: Decimal, net_due: Decimal | None, split_payment: bool
) -> Decimal:
    """What the customer pays of a document (a credit note: what it takes off, negative):
    its stored net to pay when it has one (withholding taken off), else the amount due."""
    return net_due if net_due is not None else amount_due(total, vat, split_payment)


__all__ = [
    "SPLIT_PAYMENT_NOTE",
    "owed_amount",
    "STAMP_DUTY_LINE",
    "STAMP_DUTY_NATURE",
    "STAMP_DUTY_NOTE",
    "amount_due",
    "stamp_duty",
    "stamp_duty_on",
]
