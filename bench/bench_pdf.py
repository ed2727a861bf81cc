"""Invoice PDF rendering speed: N one-page invoices in one process, then one invoice of
200 lines. Prints the first-document time (font parsing included), invoices/s and the
per-document time.

    python bench/bench_pdf.py [-n 500]
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tui_billing.output.invoice_document import (
    Company,
    DocumentLine,
    InvoiceDocument,
    PartyBlock,
    VatSummaryRow,
)
from tui_billing.output.pdf import render_invoice_pdf

COMPANY = Company(
    name="Manutenzioni Adriatiche S.r.l.",
    address="Via dell'Industria 42\n60027 Osimo (AN)",
    vat_number="IT01234567890",
    tax_code="01234567890",
    iban="IT60X0542811101000000123456",
    email="amministrazione@manutenzioni-adriatiche.it",
    phone="+39 071 1234567",
    logo_path=None,
)
CENT = Decimal("0.01")


def invoice(i: int, lines: int) -> InvoiceDocument:
    customer = PartyBlock(
        name=f"Cliente {i} di Nicolò Bianchi & C. s.n.c.",
        address=f"Corso Garibaldi {i % 300 + 1}\n61121 Pesaro (PU)",
        vat_number=f"IT{i:011d}",
        tax_code=f"{i:011d}",
        email=f"fatture{i}@example.it",
    )
    start = date(2024, 1, 1) + timedelta(days=i % 60)
    rows = []
    for n in range(lines):
        quantity = Decimal(1 + n % 3)
        price = Decimal(120 + 7 * ((i + n) % 50)) + Decimal("0.50")
        rows.append(
            DocumentLine(
                description=f"Canone di manutenzione impianto n. {n + 1} – verifica periodica",
                period_start=start,
                period_end=start + timedelta(days=89),
                quantity=quantity,
                unit="mesi",
                unit_price=price,
                amount=(quantity * price).quantize(CENT),
                vat_rate=Decimal(22),
            )
        )
    taxable = sum((row.amount for row in rows), Decimal(0))
    vat = (taxable * Decimal("0.22")).quantize(CENT)
    return InvoiceDocument(
        number=f"2024/{i:05d}",
        document_type="invoice",
        date=start,
        due_date=start + timedelta(days=30),
        company=COMPANY,
        customer=customer,
        lines=tuple(rows),
        vat_summary=(VatSummaryRow(Decimal(22), taxable, vat),),
        taxable=taxable,
        vat=vat,
        total=taxable + vat,
        payment_method="bank_transfer",
        iban=COMPANY.iban,
        notes=("Pagamento a 30 giorni data fattura.",),
        language="it",
        contract_codes=(f"CTR-{i:05d}",),
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("-n", type=int, default=500, help="one-page invoices to render")
    args = parser.parse_args()
    docs = [invoice(i, 3 + i % 5) for i in range(args.n + 1)]

    t0 = time.perf_counter()
    first = render_invoice_pdf(docs[0])
    first_s = time.perf_counter() - t0

    t0 = time.perf_counter()
    size = 0
    for doc in docs[1:]:
        size += len(render_invoice_pdf(doc))
    elapsed = time.perf_counter() - t0

    long_doc = invoice(9999, 200)
    t0 = time.perf_counter()
    long_pdf = render_invoice_pdf(long_doc)
    long_s = time.perf_counter() - t0

    print(f"first invoice (fonts parsed): {first_s * 1000:.1f} ms, {len(first)} bytes")
    print(f"one-page invoices: {args.n} in {elapsed:.2f} s = {args.n / elapsed:.1f} invoices/s")
    print(f"per invoice: {elapsed / args.n * 1000:.2f} ms, {size / args.n / 1024:.1f} KiB average")
    print(f"200-line invoice: {long_s * 1000:.1f} ms, {len(long_pdf) / 1024:.1f} KiB")


if __name__ == "__main__":
    main()
