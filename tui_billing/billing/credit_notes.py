"""Credit notes that correct an issued invoice (art. 26 DPR 633/72: an issued invoice is
never deleted or edited; a credit note takes back all or part of it).

The note is issued at once, in the invoice's series with the next fiscal number (credit
notes continue the invoices' sequence, ``numbering``), dated on or after the invoice and
after the last document of its sequence. Each of its lines credits one line of the invoice
(``credits_line``): the whole invoice, chosen lines, or a taxable amount shared among the
lines in proportion to what each has left (``domain.crediting``), never more than is left
of a line or of the invoice. Amounts are negative, as on every credit note; VAT is computed
per rate on the note's own lines.

With ``rebill`` the contract installment lines the note credits in full no longer count as
billed: each is marked ``"rebilled_by": <note id>`` in its installment's stored lines, which
``billing.billed`` and ``billing.late_interest`` pass over, so materializing bills those
days (and one-off lines, and late charges) again on a new installment. Without it they stay
billed. Either way the invoice's contracts are recomputed, as after a payment: late interest
runs on what is left open.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from peewee import Database, fn

from tui_billing.billing.credited import credited_lines
from tui_billing.billing.numbering import NumberOrderError, assign_numbers
from tui_billing.billing.party_snapshots import refuse_without_seller, snapshot_parties
from tui_billing.billing.payments import PAYABLE_STATUSES, payments_changed
from tui_billing.billing.professional_rules import stored_fields
from tui_billing.billing.wording import _, dated, shown
from tui_billing.domain.crediting import AMOUNT, CreditableLine, credit_shares
from tui_billing.domain.errors import UserError
from tui_billing.domain.money import CENT, ZERO, from_cents, parse_decimal, to_cents
from tui_billing.domain.professional import ProfessionalTerms, professional_amounts, proportional
from tui_billing.domain.stored_lines import REBILLED, decode_lines, encode_dicts
from tui_billing.domain.vat import vat_summary_rows
from tui_billing.domain.vat_natures import is_out_of_scope
from tui_billing.output.csv_import import plain_number
from tui_billing.store.models import Installment, Invoice, InvoiceLine, utc_now
from tui_billing.store.transactions import write_transaction

DATE = "--date"
REBILL = "--rebill"


@dataclass(frozen=True, slots=True)
class CreditNote:
    """A credit note issued (or, previewed, the one that would be)."""

    id: int
    number: str
    date: dt.date
    corrects: str  # the invoice's number
    corrects_date: dt.date
    corrects_total: Decimal
    whole: bool  # the whole invoice, at once
    lines: int
    taxable: Decimal  # negative, as on the note
    vat: Decimal
    total: Decimal
    rebilled: int  # installment lines made billable again

    def question(self) -> str:
        """The confirmation asked before issuing it."""
        if self.whole:
            text = _(
                "Issue credit note for {invoice} ({total}), number {number}? "
                "Whole: {amount} with VAT."
            )
        else:
            text = _(
                "Issue credit note for {invoice} ({total}), number {number}? "
                "Partial: {amount} with VAT."
            )
        return text.format(
            invoice=self.corrects,
            total=_it(self.corrects_total),
            number=self.number,
            amount=_it(-self.total),
        )


def _it(value: Decimal) -> str:
    """``1.234,50``: the amounts an Italian office reads."""
    return f"{value:,.2f}".translate(str.maketrans(",.", ".,"))


class _Preview(Exception):
    """Ends a preview's transaction, carrying what it would have issued."""

    def __init__(self, note: CreditNote) -> None:
        super().__init__("preview")
        self.note = note


def _invoice(number: str) -> Invoice:
    """The invoice to credit, by number (a draft, which has none, by its id)."""
    text = (number or "").strip()
    invoice = Invoice.get_or_none(Invoice.number == text) if text else None
    digits = text.removeprefix("#")
    if invoice is None and digits.isdigit():
        invoice = Invoice.get_or_none((Invoice.id == int(digits)) & Invoice.number.is_null())
    if invoice is None:
        raise UserError(_("no invoice numbered {text!r}").format(text=text), "invoice")
    if invoice.status == "draft" or invoice.number is None:
        raise UserError(
            _("draft #{invoice_id} is not issued: delete or edit it instead").format(
                invoice_id=invoice.id
            ),
            "invoice",
        )
    if invoice.document_type == "credit_note":
        raise UserError(
            _("{text} is a credit note: a credit note cannot be credited").format(text=text),
            "invoice",
        )
    if invoice.document_type != "invoice" or invoice.status not in PAYABLE_STATUSES:
        raise UserError(
            _("{text} is a {document_type} ({status}): only issued invoices are credited").format(
                text=text,
                document_type=shown("document type", invoice.document_type),
                status=shown("status", invoice.status),
            ),
            "invoice",
        )
    return invoice


def parse_line_ids(text: str | Sequence[Any] | None) -> list[int] | None:
    """``"12,13"`` (or a list) as line ids; None or empty text: none chosen."""
    if text is None:
        return None
    parts = text.replace(" ", ",").split(",") if isinstance(text, str) else list(text)
    ids = []
    for part in parts:
        value = str(part).strip()
        if not value:
            continue
        if not value.isdigit():
            raise UserError(_("not a line id: {value!r}").format(value=value), "--lines")
        ids.append(int(value))
    if not ids:
        return None if isinstance(text, str) and not text.strip() else []
    return ids


def _amount(value: Any) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    text = plain_number(str(value).strip().replace(" ", ""))  # 1.234,50 as 1234.50
    return to_cents(parse_decimal(text, AMOUNT, allow_negative=True, places=2))


def _note_line(line: InvoiceLine, share: int) -> dict[str, Any]:
    """The note's line crediting ``share`` cents of ``line``: the line's own quantity and
    price negated when it is credited whole and they give its amount, else 1 x the share."""
    amount = from_cents(-share)
    quantity, unit, price = Decimal(1), None, amount
    if share == to_cents(line.amount):
        exact = (line.quantity * line.unit_price).quantize(CENT, rounding=ROUND_HALF_UP)
        if exact == line.amount:
            quantity, unit, price = line.quantity, line.unit, -line.unit_price
    return {
        "description": line.description,
        "contract": line.contract_id,
        "period_start": line.period_start,
        "period_end": line.period_end,
        "quantity": quantity,
        "unit": unit,
        "unit_price": price,
        "amount": amount,
        "vat_rate": line.vat_rate,
        "vat_nature": line.vat_nature,
        "cost_centre": line.cost_centre,
        "credits_line": line.id,
    }


def _totals(rows: list[dict[str, Any]]) -> tuple[Decimal, Decimal, Decimal]:
    taxable = vat = outside = ZERO
    for _unused, nature, amount, tax in vat_summary_rows(
        (r["amount"], r["vat_rate"], r["vat_nature"]) for r in rows
    ):
        if is_out_of_scope(nature):
            outside += amount
        else:
            taxable += amount
            vat += tax
    return taxable, vat, taxable + vat + outside


def _rebill(
    db: Database,
    note_id: int,
    lines: Sequence[InvoiceLine],
    shares: dict[int, int],
    left: dict[int, int],
) -> int:
    """Mark the installment lines the note credits in full as billable again; returns how
    many. Their contracts are recomputed (their revision bumped by the caller)."""
    by_installment: dict[int, list[int]] = {}
    for line in lines:
        if (
            line.id in shares
            and shares[line.id] == left[line.id]
            and line.installment_id is not None
            and line.installment_line is not None
        ):
            by_installment.setdefault(line.installment_id, []).append(line.installment_line)
    marked = 0
    for installment in Installment.select().where(Installment.id.in_(list(by_installment))):
        if installment.contract_id is None:
            continue  # an order's installment: orders are not billed by schedule
        stored = decode_lines(installment.lines)
        for index in by_installment[installment.id]:
            if 0 <= index < len(stored) and REBILLED not in stored[index]:
                stored[index][REBILLED] = note_id
                marked += 1
        Installment.update(lines=encode_dicts(stored)).where(
            Installment.id == installment.id
        ).execute()
    return marked


def _reversal(
    invoice: Invoice, rows: Sequence[InvoiceLine], note_rows: list[dict[str, Any]], *, closes: bool
) -> dict[str, Any]:
    """A professional's figures on the note, in proportion to the fees it credits: its
    contribution, withholding base and withholding are the invoice's x credited fees /
    the invoice's fees; the note that credits all that is left takes back exactly what is
    left of them. Empty for an invoice without them."""
    if invoice.contribution is None and invoice.withholding is None:
        return {}
    fees = sum((r.amount for r in rows if not is_out_of_scope(r.vat_nature)), ZERO)
    part = sum((r["amount"] for r in note_rows if not is_out_of_scope(r["vat_nature"])), ZERO)
    earlier = (
        Invoice.select(
            fn.SUM(Invoice.contribution),
            fn.SUM(Invoice.withholding_base),
            fn.SUM(Invoice.withholding),
        )
        .where(Invoice.corrects == invoice.id)
        .tuples()
        .first()
    ) or (None,) * 3
    figures: list[Decimal | None] = []
    for value, taken in zip(
        (invoice.contribution, invoice.withholding_base, invoice.withholding), earlier, strict=True
    ):
        if value is None:
            figures.append(None)
        elif closes:  # what is left of it, exactly
            figures.append(-(value + (from_cents(taken) if taken else ZERO)))
        else:
            figures.append(proportional(value, part, fees))
    contribution, withholding_base, withholding = figures
    terms = ProfessionalTerms(
        withholding_kind=invoice.withholding_kind,
        withholding_rate=invoice.withholding_rate or ZERO,
        withholding_reason=invoice.withholding_reason or "A",
        contribution_fund=invoice.contribution_fund,
        contribution_rate=invoice.contribution_rate or ZERO,
        contribution_withheld=bool(invoice.contribution_withheld),
    )
    amounts = professional_amounts(
        ((r["amount"], r["vat_rate"], r["vat_nature"]) for r in note_rows),
        terms,
        withholding_agent=invoice.withholding is not None,
        split_payment=bool(invoice.split_payment),
        contribution=contribution,
        withholding=withholding,
        withholding_base=withholding_base,
        contribution_vat=(invoice.contribution_vat_rate, invoice.contribution_vat_nature)
        if invoice.contribution is not None and invoice.contribution_vat_rate is not None
        else None,
    )
    return stored_fields(terms, amounts)


def credit_invoice(
    db: Database,
    invoice: str,
    *,
    today: dt.date,
    lines: Any = None,
    amount: Any = None,
    reason: str | None = None,
    date: dt.date | None = None,
    rebill: bool = False,
    preview: bool = False,
) -> CreditNote:
    """Issue a credit note for the invoice numbered ``invoice``: the whole of what is left
    (neither ``lines`` nor ``amount``), chosen lines (ids, or text ``"12,13"``), or a taxable
    ``amount`` (among the chosen lines, or all). ``date`` defaults to ``today``. With
    ``preview`` nothing is written: the note it would issue is returned (its number too).
    Refuses (UserError naming the field, nothing written) what cannot be credited."""
    chosen = parse_line_ids(lines)
    cents = _amount(amount)
    if rebill and cents is not None:
        raise UserError(
            _(
                "an amount credits no line in full, so nothing is billed again: credit "
                "whole lines (--lines) or the whole invoice"
            ),
            REBILL,
        )
    try:
        with write_transaction(db):
            note = _issue(
                db,
                invoice,
                today=today,
                chosen=chosen,
                cents=cents,
                reason=reason,
                date=date,
                rebill=rebill,
            )
            if preview:
                raise _Preview(note)
    except _Preview as done:
        return done.note
    return note


def _issue(
    db: Database,
    number: str,
    *,
    today: dt.date,
    chosen: list[int] | None,
    cents: int | None,
    reason: str | None,
    date: dt.date | None,
    rebill: bool,
) -> CreditNote:
    invoice = _invoice(number)
    date = date or today
    if date < invoice.date:
        raise UserError(
            _("{date} is before the date of {invoice} ({invoice_date})").format(
                date=dated(date), invoice=invoice.number, invoice_date=dated(invoice.date)
            ),
            DATE,
        )
    rows = list(
        InvoiceLine.select()
        .where(InvoiceLine.invoice == invoice.id)
        .order_by(InvoiceLine.position, InvoiceLine.id)
    )
    credited = credited_lines([invoice.id])
    creditable = [
        CreditableLine(r.id, to_cents(r.amount), to_cents(credited.get(r.id, ZERO))) for r in rows
    ]
    shares = credit_shares(invoice.number or "", creditable, chosen=chosen, amount=cents)
    left = {line.id: line.left for line in creditable}
    note_rows = [_note_line(r, shares[r.id]) for r in rows if r.id in shares]
    taxable, vat, total = _totals(note_rows)
    professional = _reversal(
        invoice,
        rows,
        note_rows,
        closes=all(shares.get(line.id, 0) == line.left for line in creditable),
    )
    if professional:  # the contribution and its VAT join the note's totals
        taxable, vat, total = (
            professional.pop("taxable"),
            professional.pop("vat"),
            professional.pop("total"),
        )
    refuse_without_seller(["credit_note"])
    try:
        [issued] = assign_numbers(db, [(invoice.series, date, "credit_note")])
    except NumberOrderError as exc:
        raise UserError(exc.message, DATE) from None
    note = Invoice.create(
        series=invoice.series,
        year=issued.year,
        seq=issued.seq,
        number=issued.number,
        numbering=issued.numbering,
        status="issued",
        document_type="credit_note",
        kind="regular",
        date=date,
        due_date=None,
        customer=invoice.customer_id,
        language=invoice.language,
        payment_method=invoice.payment_method,
        iban=invoice.iban,
        taxable=taxable,
        vat=vat,
        total=total,
        split_payment=invoice.split_payment,
        notes=(reason or "").strip() or None,
        issued_at=utc_now(),
        corrects=invoice.id,
        **professional,
    )
    if not professional and invoice.split_payment:  # the customer never owed the VAT
        Invoice.update(net_due=total - vat).where(Invoice.id == note.id).execute()
    InvoiceLine.insert_many(
        [
            {"invoice": note.id, "position": position, **row}
            for position, row in enumerate(note_rows, start=1)
        ]
    ).execute()
    snapshot_parties(db, [note.id])  # the seller and buyer as they are at its issue
    rebilled = 0
    if rebill:
        rebilled = _rebill(db, note.id, rows, shares, left)
        if not rebilled:
            raise UserError(
                _(
                    "no line it credits in full bills a contract installment of {invoice}: "
                    "nothing to bill again"
                ).format(invoice=invoice.number),
                REBILL,
            )
    payments_changed([invoice.id])  # its contracts recomputed: late interest, what is due
    whole = -total == invoice.total  # as its PDF says (billing.invoice_views)
    return CreditNote(
        id=note.id,
        number=issued.number,
        date=date,
        corrects=invoice.number or "",  # an issued invoice's: never None
        corrects_date=invoice.date,
        corrects_total=invoice.total,
        whole=whole,
        lines=len(note_rows),
        taxable=taxable,
        vat=vat,
        total=total,
        rebilled=rebilled,
    )


__all__ = ["REBILLED", "CreditNote", "credit_invoice", "parse_line_ids"]
