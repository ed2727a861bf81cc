"""The words and number/date formats of invoice PDFs, in Italian and English."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from tui_billing.domain import display

CURRENCY = "€"


@dataclass(frozen=True, slots=True)
class Labels:
    """Every fixed text printed on a document, for one language."""

    language: str  # also the display style of its numbers (1.234,56 / 1,234.56)
    # document titles, by InvoiceDocument.document_type
    invoice: str
    proforma: str
    order: str
    credit_note: str
    draft: str
    not_fiscal: str  # under a pro-forma's title
    courtesy_copy: str  # under the title of the copy e-mailed to the customer
    number: str  # "N." before the document number
    dated: str  # "Fattura N. 12 del 01/02/2024"
    continued: str
    date: str
    due_date: str
    document: str
    customer: str
    vat_number: str
    tax_code: str
    iban: str
    email: str
    phone: str
    contract_ref: str
    order_ref: str
    # lines table
    description: str
    quantity: str
    unit: str
    unit_price: str
    vat_rate: str
    amount: str
    period_from_to: str  # with {start} and {end}
    period_on: str  # with {day}
    period_from: str  # with {start}
    period_to: str  # with {end}
    # summary and totals
    vat_summary: str
    rate: str
    taxable: str
    vat: str
    out_of_scope: str  # the lines out of VAT scope (N1), in the total, not in the taxable
    rate_or_nature: str  # the VAT summary's headers when a row is a VAT nature's
    taxable_or_amount: str
    total: str
    deductions: str
    amount_due: str
    # earlier documents of the order, on its final invoice
    earlier_documents: str
    kind_regular: str
    kind_partial: str
    kind_down_payment: str
    kind_installment: str
    # payment
    payment: str
    payment_method: str
    bank_transfer: str
    sepa_direct_debit: str
    riba: str
    iban_bank_transfer: str
    iban_sepa_direct_debit: str
    iban_riba: str
    notes: str
    page_of: str  # with {page} and {pages}
    # a credit note correcting an invoice: with {number} and {date}
    corrects_whole: str = ""
    corrects_partial: str = ""

    def correction(self, whole: bool, number: str, day: dt.date) -> str:
        """What a credit note corrects: "Nota di credito a storno totale della fattura
        A/2026/0012 del 31/01/2026"."""
        text = self.corrects_whole if whole else self.corrects_partial
        return text.format(number=number, date=format_date(day))

    def kind_name(self, kind: str) -> str:
        """The printed name of an invoice kind: Fattura di acconto, Partial invoice."""
        return getattr(self, f"kind_{kind}", self.kind_regular)

    def title(self, document_type: str, kind: str = "regular") -> str:
        """The document's title: Fattura, Fattura di acconto, Fattura pro forma, Ordine,
        Nota di credito."""
        if document_type == "invoice" and kind == "down_payment":
            return self.kind_down_payment
        return getattr(self, document_type)

    def notices(self, document_type: str, courtesy_copy: bool) -> list[str]:
        """What a document says under its title about its fiscal worth."""
        found = [self.courtesy_copy] if courtesy_copy else []
        if document_type == "proforma":
            found.append(self.not_fiscal)
        return found

    def payment_method_name(self, method: str) -> str:
        """The printed name of a payment method; an unknown code is printed as it is."""
        if method in ("bank_transfer", "sepa_direct_debit", "riba"):
            return getattr(self, method)
        return method

    def iban_label(self, method: str | None) -> str:
        """What the IBAN next to the payment method is for."""
        if method in ("bank_transfer", "sepa_direct_debit", "riba"):
            return getattr(self, f"iban_{method}")
        return self.iban

    def period(self, start: dt.date | None, end: dt.date | None) -> str:
        """The competence period, "Competenza dal 01/01/2024 al 31/03/2024"; empty
        without dates."""
        if start and end:
            if start == end:
                return self.period_on.format(day=format_date(start))
            return self.period_from_to.format(start=format_date(start), end=format_date(end))
        if start:
            return self.period_from.format(start=format_date(start))
        if end:
            return self.period_to.format(end=format_date(end))
        return ""

    def page(self, page: int | str, pages: int | str) -> str:
        return self.page_of.format(page=page, pages=pages)

    def number_text(self, value: Decimal, min_places: int = 2, max_places: int = 2) -> str:
        """``value`` with this language's separators, rounded half up to ``max_places``
        and with trailing zeros dropped down to ``min_places``: 1.234,56 / 1,234.56."""
        return format_number(value, self, min_places, max_places)

    def money(self, value: Decimal) -> str:
        return format_number(value, self, 2, 2)

    def money_with_currency(self, value: Decimal) -> str:
        return f"{CURRENCY} {format_number(value, self, 2, 2)}"

    def quantity_text(self, value: Decimal) -> str:
        return format_number(value, self, 0, 4)

    def unit_price_text(self, value: Decimal) -> str:
        """At least 2 decimals, up to the 8 an invoice line's unit price may have."""
        return format_number(value, self, 2, 8)

    def rate_text(self, value: Decimal) -> str:
        return format_number(value, self, 0, 2) + "%"


def format_number(value: Decimal, labels: Labels, min_places: int = 2, max_places: int = 2) -> str:
    """See :meth:`Labels.number_text`: the display style of the labels' language."""
    return display.number(value, min_places, max_places, style=labels.language)


def format_date(value: date) -> str:
    """dd/mm/yyyy, in both languages."""
    return display.day(value, style="it")


def format_iban(iban: str) -> str:
    """The IBAN in its printed form: groups of four characters ("IT60 X054 2811 ...")."""
    compact = "".join(iban.split()).upper()
    return " ".join(compact[i : i + 4] for i in range(0, len(compact), 4))


ITALIAN = Labels(
    language="it",
    invoice="Fattura",
    proforma="Fattura pro forma",
    order="Ordine",
    credit_note="Nota di credito",
    draft="BOZZA",
    not_fiscal="Documento non valido ai fini fiscali",
    courtesy_copy="Copia di cortesia",
    number="N.",
    dated="del",
    continued="segue",
    date="Data",
    due_date="Scadenza",
    document="Documento",
    customer="Spett.le",
    vat_number="P.IVA",
    tax_code="C.F.",
    iban="IBAN",
    email="E-mail",
    phone="Tel.",
    contract_ref="Rif. contratto",
    order_ref="Rif. ordine",
    description="Descrizione",
    quantity="Q.tà",
    unit="U.M.",
    unit_price="Prezzo unit.",
    vat_rate="IVA",
    amount="Importo",
    period_from_to="Competenza dal {start} al {end}",
    period_on="Competenza del {day}",
    period_from="Competenza dal {start}",
    period_to="Competenza fino al {end}",
    vat_summary="Riepilogo IVA",
    rate="Aliquota",
    taxable="Imponibile",
    vat="IVA",
    out_of_scope="Fuori campo IVA (N1)",
    rate_or_nature="Aliquota/Natura",
    taxable_or_amount="Imponibile/Importo",
    total="Totale documento",
    deductions="A dedurre",
    amount_due="Netto a pagare",
    earlier_documents="Documenti precedenti dell'ordine",
    kind_regular="Fattura",
    kind_partial="Fattura parziale",
    kind_down_payment="Fattura di acconto",
    kind_installment="Fattura rateale",
    payment="Pagamento",
    payment_method="Modalità di pagamento",
    bank_transfer="Bonifico bancario",
    sepa_direct_debit="Addebito diretto SEPA",
    riba="RiBa (ricevuta bancaria)",
    iban_bank_transfer="IBAN per il bonifico",
    iban_sepa_direct_debit="IBAN di addebito",
    iban_riba="Banca d'appoggio (IBAN)",
    notes="Note",
    corrects_whole="Nota di credito a storno totale della fattura {number} del {date}",
    corrects_partial="Nota di credito a storno parziale della fattura {number} del {date}",
    page_of="Pagina {page} di {pages}",
)

ENGLISH = Labels(
    language="en",
    invoice="Invoice",
    proforma="Pro forma invoice",
    order="Order",
    credit_note="Credit note",
    draft="DRAFT",
    not_fiscal="Not valid for tax purposes",
    courtesy_copy="Courtesy copy",
    number="No.",
    dated="dated",
    continued="continued",
    date="Date",
    due_date="Due date",
    document="Document",
    customer="Bill to",
    vat_number="VAT No.",
    tax_code="Tax code",
    iban="IBAN",
    email="E-mail",
    phone="Phone",
    contract_ref="Contract ref.",
    order_ref="Order ref.",
    description="Description",
    quantity="Qty",
    unit="Unit",
    unit_price="Unit price",
    vat_rate="VAT",
    amount="Amount",
    period_from_to="Period from {start} to {end}",
    period_on="Period: {day}",
    period_from="Period from {start}",
    period_to="Period up to {end}",
    vat_summary="VAT summary",
    rate="Rate",
    taxable="Taxable amount",
    vat="VAT",
    out_of_scope="Out of VAT scope",
    rate_or_nature="Rate/Nature",
    taxable_or_amount="Taxable/Amount",
    total="Total",
    deductions="Less",
    amount_due="Amount due",
    earlier_documents="Earlier documents of the order",
    kind_regular="Invoice",
    kind_partial="Partial invoice",
    kind_down_payment="Down-payment invoice",
    kind_installment="Installment invoice",
    payment="Payment",
    payment_method="Payment method",
    bank_transfer="Bank transfer",
    sepa_direct_debit="SEPA direct debit",
    riba="RiBa (Italian bank receipt)",
    iban_bank_transfer="Pay to IBAN",
    iban_sepa_direct_debit="Debit from IBAN",
    iban_riba="Customer bank (IBAN)",
    notes="Notes",
    corrects_whole="Credit note cancelling in full invoice {number} of {date}",
    corrects_partial="Credit note cancelling in part invoice {number} of {date}",
    page_of="Page {page} of {pages}",
)

LABELS: dict[str, Labels] = {"it": ITALIAN, "en": ENGLISH}


def labels_for(language: str) -> Labels:
    """The labels of ``language`` ("it" or "en"); ValueError for any other."""
    try:
        return LABELS[language]
    except KeyError:
        raise ValueError(f"no PDF labels for language {language!r}") from None


__all__ = [
    "CURRENCY",
    "ENGLISH",
    "ITALIAN",
    "LABELS",
    "Labels",
    "format_date",
    "format_iban",
    "format_number",
    "labels_for",
]
