"""What is due to be collected by the bank: issued invoices paid by SEPA direct debit or
Ri.Ba., open and not presented yet, each with the mandate that collects it; and what was
presented in which file, with each collection's state."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from peewee import JOIN, fn

from tui_billing.billing.payments import (
    PAYABLE_STATUSES,
    credited_among,
    credited_totals,
    not_returned,
    paid_amounts,
)
from tui_billing.billing.wording import english, said
from tui_billing.domain.i18n import N_
from tui_billing.domain.money import ZERO, from_cents
from tui_billing.domain.stamp_duty import owed_amount
from tui_billing.store.database import stored_date
from tui_billing.store.models import (
    Collection,
    CollectionFile,
    Customer,
    Invoice,
    InvoiceLine,
    Mandate,
    Payment,
)

# Payment method of the invoice -> the kind of file that collects it.
KINDS = {"sdd": "sepa_direct_debit", "riba": "riba"}


@dataclass(frozen=True, slots=True)
class StoredMandate:
    """A mandate as stored (its values were checked when it was entered)."""

    id: int
    reference: str
    customer_id: int
    contract_id: int | None
    signed_on: dt.date
    scheme: str
    iban: str
    bic: str | None
    status: str
    suspended_reason: str | None


_MANDATE_COLUMNS = (
    Mandate.id,
    Mandate.reference,
    Mandate.customer,
    Mandate.contract,
    Mandate.signed_on,
    Mandate.scheme,
    Mandate.iban,
    Mandate.bic,
    Mandate.status,
    Mandate.suspended_reason,
)


@dataclass(frozen=True, slots=True)
class DueCollection:
    """An invoice to present: its open amount (the amount due less credit notes and
    payments; net of VAT under split payment), due date, and what collects it. ``problem``
    says why it cannot be presented now (no mandate, mandate suspended, no IBAN)."""

    kind: str  # sdd, riba
    invoice_id: int
    number: str
    customer_id: int
    customer: str
    customer_name: str
    date: dt.date
    due_date: dt.date
    amount: Decimal
    iban: str | None
    mandate: StoredMandate | None = None
    problem: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "invoice": self.number,
            "id": self.invoice_id,
            "customer": self.customer,
            "date": self.date.isoformat(),
            "due_date": self.due_date.isoformat(),
            "amount": f"{self.amount:.2f}",
            "mandate": self.mandate.reference if self.mandate else None,
            "scheme": self.mandate.scheme if self.mandate else None,
            "problem": None if self.problem is None else english(self.problem),
        }


def due_collections(
    kind: str | None = None, due_from: dt.date | None = None, due_to: dt.date | None = None
) -> list[DueCollection]:
    """The invoices of ``kind`` (sdd, riba; None: both) due in the range, open and not in
    a presented file, by due date and number."""
    methods = [KINDS[kind]] if kind else list(KINDS.values())
    presented = Collection.select(Collection.invoice).where(Collection.status == "presented")
    query = (
        Invoice.select(
            Invoice.id,
            Invoice.number,
            Invoice.customer,
            Customer.code,
            Customer.name,
            Invoice.date,
            Invoice.due_date,
            Invoice.total,
            Invoice.vat,
            Invoice.split_payment,
            Invoice.net_due,
            Invoice.payment_method,
            Invoice.iban,
            Customer.iban,
        )
        .join(Customer)
        .where(
            Invoice.status.in_(PAYABLE_STATUSES),
            Invoice.document_type == "invoice",
            Invoice.payment_method.in_(methods),
            Invoice.due_date.is_null(False),
            Invoice.id.not_in(presented),
        )
    )
    if due_from is not None:
        query = query.where(Invoice.due_date >= due_from)
    if due_to is not None:
        query = query.where(Invoice.due_date <= due_to)
    # plain driver rows, the few dates and amounts converted here: peewee's per-column
    # conversion of 13 columns was a second for 50,000 invoices
    rows = list(Invoice._meta.database.execute(query.order_by(Invoice.due_date, Invoice.number)))
    candidates = query.select(Invoice.id)  # a subquery: no list of 50,000 parameters
    paid = _sums(
        Payment.select(Payment.invoice, fn.SUM(Payment.amount))
        .where(
            Payment.invoice.in_(candidates),
            not_returned(),
        )
        .group_by(Payment.invoice),
        Payment.amount,
    )
    credited = credited_among(candidates)
    mandates = _mandates_of(rows, candidates) if "sepa_direct_debit" in methods else {}
    result = []
    for (
        iid,
        number,
        customer_id,
        code,
        name,
        date,
        due,
        total,
        vat,
        split,
        net,
        method,
        invoice_iban,
        customer_iban,
    ) in rows:
        open_amount = max(
            ZERO,
            owed_amount(
                from_cents(total),
                from_cents(vat),
                None if net is None else from_cents(net),
                bool(split),
            )
            - credited.get(iid, ZERO)
            - paid.get(iid, ZERO),
        )
        if open_amount <= 0:
            continue
        kind_of = "sdd" if method == "sepa_direct_debit" else "riba"
        mandate = mandates.get(iid)
        problem: str | None = None
        if kind_of == "sdd":
            if mandate is None:
                problem = said(N_("no mandate"))
            elif mandate.status != "active":
                problem = said(
                    N_("mandate {reference} suspended: {reason}"),
                    reference=mandate.reference,
                    reason=mandate.suspended_reason,
                )
        elif not (invoice_iban or customer_iban):
            problem = said(N_("no IBAN of the debtor's bank"))
        result.append(
            DueCollection(
                kind_of,
                iid,
                number,
                customer_id,
                code,
                name,
                stored_date(date),
                stored_date(due),
                open_amount,
                invoice_iban or customer_iban,
                mandate,
                problem,
            )
        )
    return result


def _sums(query: Any, money: Any) -> dict[int, Decimal]:
    return {key: money.from_scaled(total) for key, total in query.tuples()}


def _mandates_of(rows: list[tuple[Any, ...]], candidates: Any) -> dict[int, StoredMandate]:
    """The mandate of each invoice: its contract's own when every contract of the invoice
    has the same one, else its customer's (an active one before a suspended one)."""
    by_contract: dict[int, list[StoredMandate]] = {}
    by_customer: dict[int, list[StoredMandate]] = {}
    query = Mandate.select(*_MANDATE_COLUMNS).order_by(Mandate.status, Mandate.id)
    for (
        mid,
        reference,
        customer_id,
        contract_id,
        signed_on,
        scheme,
        iban,
        bic,
        status,
        reason,
    ) in Mandate._meta.database.execute(query):  # active first
        mandate = StoredMandate(
            mid,
            reference,
            customer_id,
            contract_id,
            stored_date(signed_on),
            scheme,
            iban,
            bic,
            status,
            reason,
        )
        if mandate.contract_id is not None:
            by_contract.setdefault(mandate.contract_id, []).append(mandate)
        else:
            by_customer.setdefault(mandate.customer_id, []).append(mandate)
    contracts: dict[int, set[int | None]] = {}
    if by_contract:
        for invoice_id, contract_id in (
            InvoiceLine.select(InvoiceLine.invoice, InvoiceLine.contract)
            .where(InvoiceLine.invoice.in_(candidates))
            .distinct()
            .tuples()
        ):
            contracts.setdefault(invoice_id, set()).add(contract_id)
    found: dict[int, StoredMandate] = {}
    for row in rows:
        invoice_id, customer_id = row[0], row[2]
        own = {
            by_contract[c][0].id: by_contract[c][0]
            for c in contracts.get(invoice_id, ())
            if c in by_contract
        }
        if len(own) == 1:
            found[invoice_id] = next(iter(own.values()))
        elif customer_id in by_customer:
            found[invoice_id] = by_customer[customer_id][0]
    return found


@dataclass(frozen=True, slots=True)
class LastCollected:
    reference: str
    iban: str


def last_collections(mandate_ids: Iterable[int]) -> dict[int, LastCollected]:
    """The reference and debtor IBAN the last collection of each mandate went out with."""
    wanted = set(mandate_ids)
    latest = (
        Collection.select(fn.MAX(Collection.id))
        .where(Collection.mandate.is_null(False))
        .group_by(Collection.mandate)
    )
    return {
        mandate_id: LastCollected(reference, iban)
        for mandate_id, reference, iban in (
            Collection.select(
                Collection.mandate, Collection.mandate_reference, Collection.debtor_iban
            )
            .where(Collection.id.in_(latest))
            .tuples()
        )
        if mandate_id in wanted
    }


def presented_files() -> list[dict[str, Any]]:
    """Every file presented, newest first: id, kind, message id, dates, count and total."""
    return [
        {
            "id": f.id,
            "kind": f.kind,
            "message_id": f.message_id,
            "created_at": f.created_at.isoformat(),
            "presented_on": f.presented_on.isoformat(),
            "scheme": f.scheme,
            "count": f.count,
            "total": f"{f.total:.2f}",
        }
        for f in CollectionFile.select(
            CollectionFile.id,
            CollectionFile.kind,
            CollectionFile.message_id,
            CollectionFile.created_at,
            CollectionFile.presented_on,
            CollectionFile.scheme,
            CollectionFile.count,
            CollectionFile.total,
        ).order_by(CollectionFile.id.desc())
    ]


def presented_collections(limit: int | None = None) -> list[dict[str, Any]]:
    """Each invoice presented, newest first, with its file and state: presented (waiting
    for the money), paid (nothing left open) or returned."""
    query = (
        Collection.select(
            Collection.id,
            Invoice.id,
            Invoice.number,
            Customer.code,
            CollectionFile.id,
            CollectionFile.kind,
            CollectionFile.message_id,
            Collection.amount,
            Collection.due_date,
            Collection.sequence_type,
            Collection.mandate_reference,
            Collection.status,
        )
        .join(Invoice)
        .join(Customer)
        .switch(Collection)
        .join(CollectionFile, JOIN.INNER)
        .order_by(Collection.id.desc())
    )
    if limit is not None:
        query = query.limit(limit)
    rows = list(query.tuples())
    invoice_ids = [r[1] for r in rows]
    paid = paid_amounts(invoice_ids)
    credited = credited_totals(invoice_ids)
    out = []
    for (
        cid,
        iid,
        number,
        customer,
        file_id,
        kind,
        message_id,
        amount,
        due,
        sequence,
        reference,
        status,
    ) in rows:
        settled = paid.get(iid, ZERO) + credited.get(iid, ZERO) >= amount
        state = "paid" if status == "presented" and settled else status
        out.append(
            {
                "id": cid,
                "invoice": number,
                "customer": customer,
                "file": file_id,
                "kind": kind,
                "message_id": message_id,
                "amount": f"{amount:.2f}",
                "collection_date": due.isoformat(),
                "sequence_type": sequence,
                "mandate": reference,
                "state": state,
            }
        )
    return out


__all__ = [
    "DueCollection",
    "StoredMandate",
    "KINDS",
    "due_collections",
    "last_collections",
    "presented_collections",
    "presented_files",
]
