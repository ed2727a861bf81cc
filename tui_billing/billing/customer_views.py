"""Customers as lists show them: code, name, city, tax ids, SdI code or PEC, whether
archived; searched by code or name; and a customer's SEPA mandates."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Any

from peewee import JOIN

from tui_billing.domain.parties import vat_text
from tui_billing.store.models import Contract, Customer, Mandate


@dataclass(frozen=True)
class CustomerRow:
    code: str
    name: str
    city: str | None
    province: str | None
    country: str
    vat_number: str | None  # with its country prefix
    tax_code: str | None
    sdi_code: str | None
    pec: str | None
    email: str | None
    public_administration: bool
    payment_method: str
    archived: bool

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def matches(code: str, name: str, search: str | None) -> bool:
    """Whether ``search`` occurs in the code or the name, regardless of case."""
    needle = (search or "").strip().casefold()
    return not needle or needle in code.casefold() or needle in name.casefold()


def list_customers(search: str | None = None, *, archived: bool = False) -> list[CustomerRow]:
    """The customers ordered by code whose code or name holds ``search``; the archived
    ones too when ``archived``."""
    query = Customer.select().order_by(Customer.code)
    if not archived:
        query = query.where(Customer.archived == False)  # noqa: E712
    return [
        CustomerRow(
            code=c.code,
            name=c.name,
            city=c.city,
            province=c.province,
            country=c.country,
            vat_number=vat_text({"vat_country": c.vat_country, "vat_number": c.vat_number}),
            tax_code=c.tax_code,
            sdi_code=c.sdi_code,
            pec=c.pec,
            email=c.email,
            public_administration=c.public_administration,
            payment_method=c.payment_method,
            archived=c.archived,
        )
        for c in query
        if matches(c.code, c.name, search)
    ]


@dataclass(frozen=True)
class MandateRow:
    reference: str
    signed_on: dt.date
    scheme: str
    iban: str
    contract: str | None  # None: for all the customer's contracts
    status: str


def customer_mandates(code: str) -> list[MandateRow]:
    """The SEPA mandates the customer ``code`` signed, oldest first."""
    rows = (
        Mandate.select(Mandate, Contract.code)
        .join(Customer, on=Mandate.customer == Customer.id)
        .switch(Mandate)
        .join(Contract, join_type=JOIN.LEFT_OUTER, on=Mandate.contract == Contract.id)
        .where(Customer.code == code)
        .order_by(Mandate.signed_on, Mandate.id)
    )
    return [
        MandateRow(
            m.reference,
            m.signed_on,
            m.scheme,
            m.iban,
            m.contract.code if m.contract is not None else None,
            m.status,
        )
        for m in rows
    ]


__all__ = ["CustomerRow", "MandateRow", "customer_mandates", "list_customers", "matches"]
