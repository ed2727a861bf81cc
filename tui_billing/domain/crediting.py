"""How much a credit note takes off each line of the invoice it corrects: the whole of what
is left, chosen lines whole, or an amount shared among the lines in proportion to what each
has left (so among the VAT rates in proportion too), never more than is left of a line or
of the invoice. Amounts are in cents, signed as the invoice's lines (a positive line is
credited by a positive share, which the note prints negated)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from tui_billing.domain.allocation import split_in_proportion
from tui_billing.domain.errors import UserError
from tui_billing.domain.i18n import _
from tui_billing.domain.money import from_cents

LINES = "--lines"
AMOUNT = "--amount"


@dataclass(frozen=True, slots=True)
class CreditableLine:
    """One line of the invoice: its id, amount and what earlier notes credited of it."""

    id: int
    amount: int  # cents
    credited: int = 0  # cents, same sign as the amount

    @property
    def left(self) -> int:
        return self.amount - self.credited


def credit_shares(
    invoice: str,
    lines: Sequence[CreditableLine],
    *,
    chosen: Sequence[int] | None = None,
    amount: int | None = None,
) -> dict[int, int]:
    """What to credit of each line (line id -> cents, lines credited nothing left out).

    Without ``chosen`` and ``amount``: every line's rest (the whole invoice, or what is
    left of it). ``chosen`` (line ids): those lines' rests. ``amount`` (cents, net of VAT):
    shared by largest remainder among the (chosen) lines in proportion to what each has
    left. Refuses (UserError naming ``--lines`` or ``--amount``) a line not of the invoice,
    a line with nothing left, an amount not above zero or above what is left."""
    by_id = {line.id: line for line in lines}
    pool = list(lines)
    if chosen is not None:
        if not chosen:
            raise UserError(_("no line ids given"), LINES)
        unknown = [str(i) for i in chosen if i not in by_id]
        if unknown:
            raise UserError(
                _("not a line of {invoice}: {unknown} (its lines: {lines})").format(
                    invoice=invoice,
                    unknown=", ".join(unknown),
                    lines=", ".join(str(i) for i in by_id),
                ),
                LINES,
            )
        done = [str(i) for i in chosen if by_id[i].left == 0]
        if done:
            raise UserError(
                _("line {lines} of {invoice} is already wholly credited").format(
                    lines=", ".join(done), invoice=invoice
                ),
                LINES,
            )
        pool = [by_id[i] for i in dict.fromkeys(chosen)]
    if amount is None:
        shares = {line.id: line.left for line in pool if line.left != 0}
        if not shares:
            raise UserError(
                _("{invoice} is already wholly credited: nothing left to credit").format(
                    invoice=invoice
                ),
                "invoice",
            )
        return shares
    if amount <= 0:
        raise UserError(_("must be more than zero"), AMOUNT)
    left = sum(line.left for line in pool)
    if amount > left:
        template = (
            _("{amount} is more than the {left} left to credit on its chosen lines (net of VAT)")
            if chosen is not None
            else _("{amount} is more than the {left} left to credit on {invoice} (net of VAT)")
        )
        raise UserError(
            template.format(
                amount=from_cents(amount), left=from_cents(max(left, 0)), invoice=invoice
            ),
            AMOUNT,
        )
    weights = {line.id: line.left for line in pool if line.left > 0}
    return {key: cents for key, cents in split_in_proportion(amount, weights).items() if cents}


__all__ = ["AMOUNT", "LINES", "CreditableLine", "credit_shares"]
