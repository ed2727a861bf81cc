"""What an invoice PDF prints: plain frozen values, no database, no arithmetic.

The billing layer builds an :class:`InvoiceDocument` from its records; the PDF
renderer (:mod:`tui_billing.output.pdf`) prints exactly what it is given and
computes nothing, so the printed figures are the ones stored on the invoice.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

DOCUMENT_TYPES = ("invoice", "proforma", "order", "credit_note")
PAYMENT_METHODS = ("bank_transfer", "sepa_direct_debit", "riba")
LANGUAGES = ("it", "en")


@dataclass(frozen=True, slots=True)
class Company:
    """The issuer, printed in the header and the footer."""

    name: str
    address: str = ""  # may contain newlines: one printed line each
    vat_number: str | None = None
    tax_code: str | None = None
    iban: str | None = None
    email: str | None = None
    phone: str | None = None
    logo_path: str | None = None  # PNG/JPEG; read once per process and cached
    details: tuple[str, ...] = ()  # printed as given: REA, share capital, PEC


@dataclass(frozen=True, slots=True)
class PartyBlock:
    """The customer ("Spett.le"), printed in the addressee box."""

    name: str
    address: str = ""  # may contain newlines
    vat_number: str | None = None
    tax_code: str | None = None
    email: str | None = None
    details: tuple[str, ...] = ()  # printed as given: SdI code, PEC, split payment


@dataclass(frozen=True, slots=True)
class DocumentLine:
    """One row of the lines table; ``amount`` is printed as given (already rounded)."""

    description: str
    period_start: dt.date | None
    period_end: dt.date | None
    quantity: Decimal
    unit: str | None
    unit_price: Decimal
    amount: Decimal
    vat_rate: Decimal  # percent: Decimal("22")
    vat_nature: str | None = None  # N1: out of VAT scope, printed in place of the rate


@dataclass(frozen=True, slots=True)
class VatSummaryRow:
    """Taxable and VAT of one rate ("riepilogo IVA"); with ``nature`` (N1), the amount of
    the lines of that VAT nature, which carry no VAT."""

    rate: Decimal
    taxable: Decimal
    vat: Decimal
    nature: str | None = None


@dataclass(frozen=True, slots=True)
class EarlierDocument:
    """An earlier invoice of the same order, listed on its final invoice."""

    kind: str  # partial, down_payment, installment, regular
    number: str | None  # None: a draft
    date: dt.date
    total: Decimal


@dataclass(frozen=True, slots=True)
class CorrectedInvoice:
    """The invoice a credit note corrects, named on it (art. 26 DPR 633/72)."""

    number: str
    date: dt.date
    whole: bool  # the note cancels the whole invoice (else a part of it)


@dataclass(frozen=True, slots=True)
class InvoiceDocument:
    """Everything printed on one invoice, pro-forma, order or credit note.

    ``number`` None is a draft: the PDF says "BOZZA" / "DRAFT" instead of a number.
    ``deductions`` are (description, amount) rows printed after the totals, amounts as
    signed by the caller (e.g. -1000.00 for a down payment already invoiced);
    ``amount_due``, when given, is printed after them as "Netto a pagare" / "Amount due".
    ``earlier_documents`` are the invoices of the same order that a final invoice lists.
    ``out_of_scope`` is the amount of the lines out of VAT scope (N1): part of ``total``,
    not of ``taxable``. ``kind`` titles a down-payment invoice as one; a pro-forma and a
    ``courtesy_copy`` say under the title that they are not the fiscal document. ``corrects`` is the
    invoice a credit note corrects.
    """

    number: str | None
    document_type: str
    date: dt.date
    due_date: dt.date | None
    company: Company
    customer: PartyBlock
    lines: tuple[DocumentLine, ...]
    vat_summary: tuple[VatSummaryRow, ...]
    taxable: Decimal
    vat: Decimal
    total: Decimal
    payment_method: str | None = None
    iban: str | None = None
    notes: tuple[str, ...] = ()
    deductions: tuple[tuple[str, Decimal], ...] = ()
    language: str = "it"
    contract_codes: tuple[str, ...] = ()
    order_codes: tuple[str, ...] = ()
    amount_due: Decimal | None = None
    earlier_documents: tuple[EarlierDocument, ...] = ()
    out_of_scope: Decimal = Decimal("0.00")
    kind: str = "regular"  # regular, partial, down_payment, installment, final
    courtesy_copy: bool = False  # the copy e-mailed to the customer: says so on its face
    corrects: CorrectedInvoice | None = None

    def __post_init__(self) -> None:
        if self.document_type not in DOCUMENT_TYPES:
            raise ValueError(f"unknown document type {self.document_type!r}")
        if self.language not in LANGUAGES:
            raise ValueError(f"unknown language {self.language!r}")

    @property
    def is_draft(self) -> bool:
        return self.number is None


__all__ = [
    "DOCUMENT_TYPES",
    "LANGUAGES",
    "PAYMENT_METHODS",
    "Company",
    "CorrectedInvoice",
    "DocumentLine",
    "EarlierDocument",
    "InvoiceDocument",
    "PartyBlock",
    "VatSummaryRow",
]
