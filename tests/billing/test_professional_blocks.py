"""The e-invoice blocks of a professional's stored invoice (DatiRitenuta,
DatiCassaPrevidenziale, Ritenuta SI on its lines), on SQLite and PostgreSQL: they agree
with the stored figures, pass the SdI checks and validate against the official schema."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal as D

from tests.support.fatturapa_documents import TODAY, professional_fee
from tests.support.seller import SELLER, write_seller
from tui_billing.billing.professional_rules import apply_professional_rules, einvoice_blocks
from tui_billing.domain.fatturapa import Line, VatSummary
from tui_billing.output.fatturapa_xml import fatturapa_tree, fatturapa_xml
from tui_billing.store.models import Customer, Invoice, InvoiceLine


def _invoice(db, company: dict, *, agent: bool = True) -> Invoice:
    write_seller(db, {**SELLER, **company})
    customer = Customer.create(
        code="ACME", name="ACME S.r.l.", vat_number="00743110157", withholding_agent=agent
    )
    invoice = Invoice.create(customer=customer, date=dt.date(2026, 4, 7), status="draft")
    for position, amount in enumerate(("600.00", "400.00"), start=1):
        InvoiceLine.create(
            invoice=invoice,
            position=position,
            description="Consulenza",
            quantity=1,
            unit_price=D(amount),
            amount=D(amount),
            vat_rate=22,
        )
    InvoiceLine.create(
        invoice=invoice,
        position=3,
        description="Imposta di bollo",
        quantity=1,
        unit_price=D("2.00"),
        amount=D("2.00"),
        vat_rate=0,
        vat_nature="N1",
    )
    apply_professional_rules(db, [invoice.id])
    return Invoice.get_by_id(invoice.id)


def _document(invoice: Invoice):
    withholding, fund = einvoice_blocks(invoice)
    lines = tuple(
        Line(
            li.position,
            li.description,
            li.unit_price,
            li.amount,
            li.vat_rate,
            nature=li.vat_nature,
            withholding=withholding is not None and li.vat_nature != "N1",
        )
        for li in invoice.lines.order_by(InvoiceLine.position)
    )
    summaries = (
        VatSummary(D("22.00"), invoice.taxable, invoice.vat, collectability="I"),
        VatSummary(D("0.00"), D("2.00"), D("0.00"), nature="N1"),
    )
    return dataclasses.replace(
        professional_fee(),
        lines=lines,
        summaries=summaries,
        total=invoice.total,
        withholdings=(withholding,) if withholding else (),
        social_security=(fund,) if fund else (),
    )


def test_inps_rivalsa_and_ritenuta_blocks_validate(db):
    invoice = _invoice(db, {"withholding_kind": "RT01", "contribution_fund": "TC22"})
    withholding, fund = einvoice_blocks(invoice)
    assert (withholding.kind, withholding.amount, withholding.rate, withholding.payment_reason) == (
        "RT01",
        D("208.00"),
        D("20.00"),
        "A",
    )
    assert (
        fund.fund,
        fund.rate,
        fund.amount,
        fund.taxable_base,
        fund.vat_rate,
        fund.withholding,
        fund.nature,
    ) == ("TC22", D("4.00"), D("40.00"), D("1000.00"), D("22.00"), True, None)
    assert (invoice.taxable, invoice.vat, invoice.total, invoice.net_due) == (
        D("1040.00"),
        D("228.80"),
        D("1270.80"),
        D("1062.80"),
    )
    root = fatturapa_tree(_document(invoice))
    assert fatturapa_xml(_document(invoice), TODAY)  # SdI checks and XSD pass
    ns = {}
    general = root.find(".//DatiGeneraliDocumento", ns)
    assert general.findtext("DatiRitenuta/ImportoRitenuta") == "208.00"
    assert general.findtext("DatiRitenuta/CausalePagamento") == "A"
    assert general.findtext("DatiCassaPrevidenziale/ImponibileCassa") == "1000.00"
    assert general.findtext("DatiCassaPrevidenziale/Ritenuta") == "SI"
    assert [li.findtext("Ritenuta") for li in root.iter("DettaglioLinee")] == ["SI", "SI", None]


def test_a_cassa_not_withheld_on_and_a_consumer(db):
    invoice = _invoice(
        db,
        {"withholding_kind": "RT02", "contribution_fund": "TC04", "contribution_rate": "4"},
        agent=False,
    )
    withholding, fund = einvoice_blocks(invoice)
    assert withholding is None  # a consumer withholds nothing
    assert (fund.fund, fund.amount, fund.withholding) == ("TC04", D("40.00"), False)
    assert fatturapa_xml(_document(invoice), TODAY)


def test_no_terms_no_blocks(db):
    invoice = _invoice(db, {})
    assert einvoice_blocks(invoice) == (None, None)
    assert invoice.net_due is None
