"""Every line of the demo reads quantity x unit price = amount, and every VAT summary adds up
as the e-invoice checks it (SdI 00421-00423), on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from pypdf import PdfReader

from tui_billing.domain.line_prices import decimals, rounds_to
from tui_billing.domain.vat_natures import is_out_of_scope
from tui_billing.output.pdf_labels import ITALIAN
from tui_billing.store.database import open_database
from tui_billing.store.models import ContractLine, Installment, Invoice, InvoiceLine

CENT = Decimal("0.01")


def _money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def test_every_demo_line_and_vat_summary_adds_up(cli, tmp_path) -> None:
    assert cli("--today", "2026-12-06", "demo").code == 0
    db = open_database(cli.target)
    try:
        lines = list(InvoiceLine.select())
        assert len(lines) > 1000
        for li in lines:  # 00423: PrezzoTotale = Quantita x PrezzoUnitario, within a cent
            assert rounds_to(li.quantity, li.unit_price, li.amount), (
                li.invoice_id,
                li.description,
                li.quantity,
                li.unit_price,
                li.amount,
            )
            assert decimals(li.unit_price) <= 8

        by_invoice: dict[int, dict[tuple[Decimal, str | None], Decimal]] = defaultdict(dict)
        for li in lines:
            rows = by_invoice[li.invoice_id]
            key = (li.vat_rate, li.vat_nature)
            rows[key] = rows.get(key, Decimal("0.00")) + li.amount
        for invoice in Invoice.select():
            taxable = vat = out_of_scope = Decimal("0.00")
            for (rate, nature), amount in by_invoice[invoice.id].items():
                # 00422: ImponibileImporto is the sum of that rate's (or nature's) lines;
                # 00421: Imposta = ImponibileImporto x AliquotaIVA / 100, within a cent.
                row_vat = _money(amount * rate / 100) if nature is None else Decimal("0.00")
                assert abs(row_vat - amount * rate / 100) <= Decimal("0.005")
                if is_out_of_scope(nature):
                    out_of_scope += amount
                else:
                    taxable += amount
                    vat += row_vat
            assert (invoice.taxable, invoice.vat, invoice.total) == (
                taxable,
                vat,
                taxable + vat + out_of_scope,
            ), invoice.number

        # A monthly price billed for a quarter shows the quarter's price per unit.
        prices = {str(cl.id): cl.unit_price for cl in ContractLine.select()}
        keys = {
            i.id: [li.get("line") for li in json.loads(i.lines)]
            for i in Installment.select().where(Installment.status == "invoiced")
        }
        quarters = [
            li
            for li in lines
            if li.installment_id
            and li.quantity > 1
            and prices.get(keys[li.installment_id][li.installment_line])
            and li.unit_price == 3 * prices[keys[li.installment_id][li.installment_line]]
        ]
        assert quarters
        sample = quarters[0]
        number = Invoice.get_by_id(sample.invoice_id).number

        # What is not invoiced yet reads the same way.
        for inst in Installment.select().where(Installment.status != "invoiced"):
            for li in json.loads(inst.lines):
                assert rounds_to(
                    Decimal(li["quantity"]), Decimal(li["unit_price"]), Decimal(li["amount"])
                ), li
    finally:
        db.close()

    pdf = tmp_path / "quarter.pdf"
    assert cli("pdf", number, "-o", str(pdf), "--language", "it").code == 0
    text = "".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert ITALIAN.unit_price_text(sample.unit_price) in text
    assert ITALIAN.money(sample.amount) in text
    assert not re.search(r"\dE[-+]?\d", text)  # no number in exponent form
