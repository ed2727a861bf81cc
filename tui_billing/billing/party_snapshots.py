"""What an issued document keeps of its parties: the seller and the buyer as they were
when it was numbered, written in the transaction that numbers it. Its PDF (and e-invoice)
read them back, so editing a customer or the company later never changes it."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from peewee import Database, chunked

from tui_billing.domain.number_formats import numbering_class
from tui_billing.domain.parties import (
    BUYER_SNAPSHOT_FIELDS,
    COMPANY_FIELDS,
    refuse_incomplete_seller,
    snapshot_text,
)
from tui_billing.store.company_row import company_values
from tui_billing.store.models import Customer, Invoice, PartySnapshot

_CHUNK = 1000


def refuse_without_seller(document_types: Sequence[str]) -> None:
    """Fiscal documents (invoices, credit notes) are not issued without a complete seller;
    pro-formas and order documents are."""
    if any(numbering_class(t) == "fiscal" for t in set(document_types)):
        refuse_incomplete_seller(company_values())


def buyer_values(customer: Customer) -> dict[str, Any]:
    return {key: getattr(customer, key) for key in BUYER_SNAPSHOT_FIELDS}


def _snapshot_id(values: dict[str, Any], known: dict[str, int]) -> int:
    digest, text = snapshot_text(values)
    if digest not in known:
        row = PartySnapshot.get_or_none(PartySnapshot.digest == digest)
        known[digest] = row.id if row else PartySnapshot.create(digest=digest, data=text).id
    return known[digest]


def snapshot_parties(db: Database, invoice_ids: Sequence[int]) -> None:
    """Record the current seller and buyer on these just-issued documents (inside the
    caller's write transaction)."""
    if not invoice_ids:
        return
    known: dict[str, int] = {}
    seller = company_values()
    seller_id = (
        None
        if seller is None
        else _snapshot_id({key: seller[key] for key in COMPANY_FIELDS}, known)
    )
    by_customer: dict[int, list[int]] = {}
    for chunk in chunked(list(invoice_ids), _CHUNK):
        for iid, customer_id in (
            Invoice.select(Invoice.id, Invoice.customer).where(Invoice.id.in_(list(chunk))).tuples()
        ):
            by_customer.setdefault(customer_id, []).append(iid)
    rows: list[tuple[Any, int, int]] = []
    for chunk in chunked(list(by_customer), _CHUNK):
        for customer in Customer.select().where(Customer.id.in_(list(chunk))):
            buyer_id = _snapshot_id(buyer_values(customer), known)
            rows.extend((seller_id, buyer_id, iid) for iid in by_customer[customer.id])
    p = db.param
    db.cursor().executemany(
        f"UPDATE invoice SET seller_snapshot_id = {p}, buyer_snapshot_id = {p} WHERE id = {p}", rows
    )


def snapshot_of(snapshot_id: int | None) -> dict[str, Any] | None:
    """A stored party, as it was; None for a document without one (a draft)."""
    if snapshot_id is None:
        return None
    text = PartySnapshot.select(PartySnapshot.data).where(PartySnapshot.id == snapshot_id).scalar()
    return None if text is None else json.loads(text)


def parties_json(
    invoice_ids: Sequence[int],
) -> dict[int, tuple[dict[str, Any] | None, dict[str, Any]]]:
    """(seller, buyer) of each document as ``invoices --json`` shows them: an issued one's
    as it was issued, a draft's as they are now (money as text)."""
    rows: list[tuple[int, int | None, int | None, int]] = []
    for chunk in chunked(list(invoice_ids), _CHUNK):
        rows.extend(
            Invoice.select(
                Invoice.id, Invoice.seller_snapshot, Invoice.buyer_snapshot, Invoice.customer
            )
            .where(Invoice.id.in_(list(chunk)))
            .tuples()
        )
    kept: dict[int, dict[str, Any]] = {}
    wanted = sorted({s for _, seller, buyer, _ in rows for s in (seller, buyer) if s})
    for chunk in chunked(wanted, _CHUNK):
        for sid, text in (
            PartySnapshot.select(PartySnapshot.id, PartySnapshot.data)
            .where(PartySnapshot.id.in_(list(chunk)))
            .tuples()
        ):
            kept[sid] = json.loads(text)
    current: dict[int, dict[str, Any]] = {}
    drafts = sorted({customer for _, _, buyer, customer in rows if buyer is None})
    for chunk in chunked(drafts, _CHUNK):
        for customer in Customer.select().where(Customer.id.in_(list(chunk))):
            current[customer.id] = buyer_values(customer)
    company = company_values()
    seller_now = None if company is None else json.loads(snapshot_text(company)[1])
    return {
        iid: (kept[seller] if seller else seller_now, kept[buyer] if buyer else current[customer])
        for iid, seller, buyer, customer in rows
    }


__all__ = [
    "buyer_values",
    "parties_json",
    "refuse_without_seller",
    "snapshot_of",
    "snapshot_parties",
]
