"""Bank details from contract and customer to the printed invoice, on SQLite and
PostgreSQL: the method, and the IBAN that goes with it, read back from the real PDF."""

from __future__ import annotations

import datetime as dt
import io

from pypdf import PdfReader

from tui_billing.billing.invoice_views import invoice_document, list_invoices
from tui_billing.billing.invoicing import create_invoices
from tui_billing.billing.materialize import materialize
from tui_billing.config import CompanySettings
from tui_billing.output.interchange_write import import_data
from tui_billing.output.pdf import render_invoice_pdf
from tui_billing.store.models import Installment, Invoice, InvoiceLine

COMPANY = CompanySettings(name="Manutenzioni Adriatiche S.r.l.", iban="IT60X0542811101000000123456")
CUSTOMER_IBAN = "DE89370400440532013000"


def contract(code: str, **bank) -> dict:
    return {
        "code": code,
        "customer": "ACME",
        "status": "active",
        "start_date": "2025-01-01",
        "frequency": "annual",
        **bank,
        "lines": [{"description": "Canone", "unit_price": "100.00", "vat_rate": "22.00"}],
    }


def printed(invoice_id: int) -> str:
    data = render_invoice_pdf(invoice_document(invoice_id, COMPANY))
    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).split())


def test_method_and_iban_on_the_invoice_and_its_pdf(db):
    import_data(
        db,
        {
            "customers": [
                {
                    "code": "ACME",
                    "name": "ACME S.r.l.",
                    "iban": CUSTOMER_IBAN,
                    "payment_method": "bank_transfer",
                }
            ],
            "contracts": [
                contract("K-SDD", payment_method="sepa_direct_debit", cost_centre="CC-01"),
                contract("K-RIBA", payment_method="riba", iban="IT71 X030 6909 6061 0000 0063 187"),
                contract("K-BT"),
            ],
        },
    )
    materialize(db, dt.date(2025, 1, 1))
    ids = [i.id for i in Installment.select().order_by(Installment.id)]
    create_invoices(db, ids, status="issued")
    invoices = {i.lines[0].contract.code: i for i in Invoice.select()}
    assert {k: (i.payment_method, i.iban) for k, i in invoices.items()} == {
        "K-SDD": ("sepa_direct_debit", CUSTOMER_IBAN),
        "K-RIBA": ("riba", "IT71X0306909606100000063187"),
        "K-BT": ("bank_transfer", CUSTOMER_IBAN),
    }
    sdd = printed(invoices["K-SDD"].id)
    assert "Addebito diretto SEPA" in sdd and "IBAN di addebito DE89 3704 0044 0532 0130 00" in sdd
    riba = printed(invoices["K-RIBA"].id)
    assert "RiBa (ricevuta bancaria)" in riba
    assert "Banca d'appoggio (IBAN) IT71 X030 6909 6061 0000 0063 187" in riba
    # A bank transfer is paid to the company's account, never to the customer's own.
    transfer = printed(invoices["K-BT"].id)
    assert "Bonifico bancario" in transfer
    assert "IBAN per il bonifico IT60 X054 2811 1010 0000 0123 456" in transfer
    assert "DE89" not in transfer
    # E8: the cost centre goes onto the contract's invoice lines and into invoices --json.
    assert [
        li.cost_centre
        for li in InvoiceLine.select().where(InvoiceLine.invoice == invoices["K-SDD"].id)
    ] == ["CC-01"]
    lines = [li for inv in list_invoices() for li in inv["lines"]]
    assert sorted((li["contract"], li["cost_centre"]) for li in lines) == [
        ("K-BT", None),
        ("K-RIBA", None),
        ("K-SDD", "CC-01"),
    ]
