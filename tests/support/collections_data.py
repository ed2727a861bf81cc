"""Creditors, mandates and collections for the SEPA and Ri.Ba. tests and the bench."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from tui_billing.domain.sepa import (
    Collection,
    Creditor,
    Mandate,
    SequenceType,
    make_collection,
    make_creditor,
    make_mandate,
)

CREDITOR_ID = "IT04ZZZ0000012345678903"  # check digits computed by the EPC mod 97-10 rule
CREDITOR_IBAN = "IT60X0542811101000000123456"
DEBTOR_IBAN = "IT87X0306909606100000063287"
PRESENTED_ON = date(2026, 12, 7)  # a Monday
DUE = date(2026, 12, 9)


def creditor() -> Creditor:
    return make_creditor("Rossi Impianti S.r.l.", CREDITOR_ID, CREDITOR_IBAN, "BPPIITRRXXX")


def mandate(
    reference: str = "M-2026-001",
    scheme: str = "CORE",
    iban: str | None = DEBTOR_IBAN,
    bic: str | None = None,
) -> Mandate:
    return make_mandate(reference, date(2026, 1, 10), scheme, "Bianchi Caffè S.n.c.", iban, bic)


def collection(
    number: str = "A/2026/0012",
    amount: str = "122.00",
    due: date = DUE,
    the_mandate: Mandate | None = None,
    sequence: SequenceType = "FRST",
) -> Collection:
    return make_collection(
        number, Decimal(amount), due, the_mandate or mandate(), sequence, f"Fattura {number}"
    )
