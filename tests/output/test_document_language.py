"""A document speaks its customer's language, whatever the operator's: the UI in Italian
does not turn an English invoice, courtesy e-mail or reminder Italian, nor the reverse, and
the numbers and dates keep the document's style. Read back as printed (pypdf)."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

from pypdf import PdfReader

from tests.output.test_pdf import flat, make_doc, pages_text
from tui_billing.domain.i18n import current_language
from tui_billing.output.mail import courtesy_subject_and_body
from tui_billing.output.pdf import render_invoice_pdf
from tui_billing.output.reminder_letter import (
    OverdueInvoice,
    ReminderLetter,
    render_reminder_pdf,
    subject_and_body,
)


def invoice_text(language: str) -> str:
    return flat("\n".join(pages_text(render_invoice_pdf(make_doc(language=language)))))


def letter(language: str) -> ReminderLetter:
    return ReminderLetter(
        level=1,
        date=date(2026, 12, 7),
        language=language,
        company="Manutenzioni Adriatiche S.r.l.",
        company_lines=("Via dell'Industria 42", "60027 Osimo (AN)"),
        customer="Northwind Ltd",
        customer_lines=("1 Harbour Street", "Dover"),
        invoices=(
            OverdueInvoice(
                number="A/2026/0411",
                date=date(2026, 9, 30),
                due_date=date(2026, 10, 30),
                open=Decimal("1234.56"),
                days=38,
                interest=Decimal("12.30"),
            ),
        ),
        iban=None,
    )


def letter_text(language: str) -> str:
    data = render_reminder_pdf(letter(language))
    return flat("\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages))


def test_english_documents_stay_english_under_the_italian_ui(italian) -> None:
    assert current_language() == "it"
    text = invoice_text("en")
    assert "Invoice" in text and "Bill to" in text
    assert "Total € 3,980.48" in text  # the document's number style, not the UI's
    assert "Due date 14/04/2024" in text
    assert "Payment method Bank transfer" in text
    assert "Fattura" not in text and "Totale documento" not in text and "3.980,48" not in text

    subject, body = courtesy_subject_and_body(
        "en", "A/2026/0411", date(2026, 12, 7), "€ 1,234.56", "Manutenzioni", "Northwind Ltd"
    )
    assert subject == "Courtesy copy of invoice no. A/2026/0411 of 2026-12-07"
    assert body.startswith("Dear Northwind Ltd,")
    assert "Gentile" not in body and "Copia di cortesia" not in subject

    reminder = letter_text("en")
    assert "Payment reminder" in reminder and "1,234.56" in reminder
    assert "Sollecito" not in reminder and "1.234,56" not in reminder
    reminder_subject, reminder_body = subject_and_body(letter("en"))
    assert reminder_subject.startswith("Payment reminder - ")
    assert "1,234.56 EUR" in reminder_body


def test_italian_documents_stay_italian_under_the_english_ui() -> None:
    assert current_language() == "en"
    text = invoice_text("it")
    assert "Fattura" in text
    assert "Totale documento € 3.980,48" in text
    assert "Scadenza 14/04/2024" in text
    assert "Modalità di pagamento Bonifico bancario" in text
    assert "Invoice" not in text and "Bill to" not in text and "3,980.48" not in text

    subject, body = courtesy_subject_and_body(
        "it", "A/2026/0411", date(2026, 12, 7), "€ 1.234,56", "Manutenzioni", "Rossi S.r.l."
    )
    assert subject == "Copia di cortesia fattura n. A/2026/0411 del 07/12/2026"
    assert body.startswith("Gentile Rossi S.r.l.,")
    assert "Dear" not in body

    reminder = letter_text("it")
    assert "Sollecito di pagamento" in reminder and "1.234,56" in reminder
    assert "Payment reminder" not in reminder and "1,234.56" not in reminder
