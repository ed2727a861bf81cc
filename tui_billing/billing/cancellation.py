"""Cancelling a contract: the notice rule decides its last day (domain.lifecycle), the
schedule stops there (a period it cuts is billed short, prorated as short periods are),
and the days already invoiced past it are proposed for a credit note, never credited
silently: the operator issues it with ``tui-billing credit`` (billing.credit_notes)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from peewee import Database

from tui_billing.billing.renewals import lifecycle_of
from tui_billing.billing.wording import _, shown
from tui_billing.domain.errors import UserError
from tui_billing.domain.input_rules import check_text
from tui_billing.domain.lifecycle import CancelDecision, decide_cancellation
from tui_billing.domain.pricing import months_measure
from tui_billing.output.interchange_write import bump_revision
from tui_billing.store.models import Contract, Invoice, InvoiceLine
from tui_billing.store.transactions import write_transaction

CENT = Decimal("0.01")


@dataclass(frozen=True, slots=True)
class CreditProposal:
    """Days invoiced past the end on one invoice: what a credit note would take back."""

    invoice: str
    lines: tuple[int, ...]
    amount: Decimal  # net of VAT
    days_from: dt.date
    reason: str

    def command(self) -> str:
        ids = ",".join(str(i) for i in self.lines)
        return (
            f"tui-billing credit {self.invoice} --lines {ids} --amount {self.amount:.2f} "
            f'--reason "{self.reason}"'
        )

    def to_json(self) -> dict[str, object]:
        return {
            "invoice": self.invoice,
            "lines": list(self.lines),
            "amount": f"{self.amount:.2f}",
            "from": self.days_from.isoformat(),
            "command": self.command(),
        }


@dataclass
class Cancellation:
    contract: str
    notice_date: dt.date
    decision: CancelDecision
    credits: list[CreditProposal] = field(default_factory=list)

    def to_json(self) -> dict[str, object]:
        return {
            "contract": self.contract,
            "notice_date": self.notice_date.isoformat(),
            "ends_on": self.decision.ends_on.isoformat(),
            "in_time": self.decision.in_time,
            "term": self.decision.term_of_end,
            "why": self.decision.reason,
            "credit_proposals": [c.to_json() for c in self.credits],
        }


def invoiced_past(contract_id: int, code: str, end: dt.date) -> list[CreditProposal]:
    """The issued invoice lines of the contract whose period runs past ``end``, by invoice:
    the part of each line's amount for the days after it (measured month by month, as a
    short period is)."""
    found: dict[str, tuple[list[int], Decimal]] = {}
    rows = (
        InvoiceLine.select(
            InvoiceLine.id,
            InvoiceLine.period_start,
            InvoiceLine.period_end,
            InvoiceLine.amount,
            Invoice.number,
        )
        .join(Invoice, on=(InvoiceLine.invoice == Invoice.id))
        .where(
            (InvoiceLine.contract == contract_id)
            & Invoice.number.is_null(False)
            & (Invoice.document_type != "credit_note")
            & (InvoiceLine.period_end > end)
            & (InvoiceLine.amount > 0)
        )
        .order_by(Invoice.number, InvoiceLine.id)
        .tuples()
    )
    for line_id, start, last, amount, number in rows:
        if start is None:
            continue
        first_day = max(start, end + dt.timedelta(days=1))
        share = months_measure(first_day, last) / months_measure(start, last)
        part = (amount * Decimal(share.numerator) / Decimal(share.denominator)).quantize(
            CENT, rounding=ROUND_HALF_UP
        )
        ids, total = found.get(number, ([], Decimal(0)))
        ids.append(line_id)
        found[number] = (ids, total + part)
    reason = f"Contratto {code} cessato il {end:%d/%m/%Y}"
    return [
        CreditProposal(number, tuple(ids), total, end + dt.timedelta(days=1), reason)
        for number, (ids, total) in found.items()
        if total > 0
    ]


def cancel_contract(
    db: Database,
    code: str,
    notice: dt.date,
    reason: str | None = None,
    effective: dt.date | None = None,
) -> Cancellation:
    """Record a cancellation notice received on ``notice``: the contract ends where the
    notice rule (or the agreed ``effective`` day) says, and stops billing after it."""
    if reason is not None:
        reason = check_text(reason, "--reason", multiline=False) or None
    with write_transaction(db):
        contract = Contract.get_or_none(Contract.code == code)
        if contract is None:
            raise UserError(_("no contract {code!r}").format(code=code), "CONTRACT")
        if contract.status not in ("active", "suspended", "draft"):
            raise UserError(
                _("{code} is {status}: nothing to cancel").format(
                    code=code, status=shown("status", contract.status)
                ),
                "CONTRACT",
            )
        decision = decide_cancellation(lifecycle_of(contract), notice, effective)
        changes: dict[str, object] = {
            "cancel_notice_date": notice,
            "cancel_reason": reason,
            "cancel_end": decision.ends_on,
        }
        if contract.end_date is None or decision.ends_on <= contract.end_date:
            changes["end_date"] = decision.ends_on  # the schedule stops there
        Contract.update(**changes).where(Contract.id == contract.id).execute()
        bump_revision(contract.id)
        credits = invoiced_past(contract.id, code, decision.ends_on)
    return Cancellation(code, notice, decision, credits)


__all__ = ["Cancellation", "CreditProposal", "cancel_contract", "invoiced_past"]
