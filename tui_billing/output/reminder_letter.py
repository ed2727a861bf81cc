"""The reminder letter (sollecito di pagamento): its content in Italian or English and its
PDF (fpdf2), one per customer and level, listing the overdue invoices, what is open on
each, the late interest accrued so far and the IBAN to pay to."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from fpdf import FPDF

from tui_billing.domain import display
from tui_billing.domain.money import ZERO
from tui_billing.output.pdf_fonts import FONT_DIR
from tui_billing.output.pdf_labels import format_date, format_iban


@dataclass(frozen=True, slots=True)
class OverdueInvoice:
    number: str
    date: dt.date
    due_date: dt.date
    open: Decimal
    days: int
    interest: Decimal  # accrued so far, whether billed or not


@dataclass(frozen=True, slots=True)
class ReminderLetter:
    """What a reminder says; amounts in euro."""

    level: int
    date: dt.date
    language: str  # it, en
    company: str
    company_lines: tuple[str, ...]
    customer: str
    customer_lines: tuple[str, ...]
    invoices: tuple[OverdueInvoice, ...]
    iban: str | None

    @property
    def open_total(self) -> Decimal:
        return sum((i.open for i in self.invoices), ZERO)

    @property
    def interest_total(self) -> Decimal:
        return sum((i.interest for i in self.invoices), ZERO)


_TEXT = {
    "it": {
        "title": {
            1: "Sollecito di pagamento",
            2: "Secondo sollecito di pagamento",
            3: "Ultimo sollecito di pagamento prima delle azioni di recupero",
        },
        "opening": "Spettabile {customer},\ndalle nostre registrazioni risultano ancora da "
        "saldare le fatture seguenti, scadute:",
        "head": ("Fattura", "Data", "Scadenza", "Giorni", "Da pagare", "Interessi"),
        "total": "Totale",
        "interest": "Interessi di mora maturati al {date}: {amount} EUR (D.Lgs. 231/2002).",
        "pay": "Vi preghiamo di provvedere al pagamento con bonifico sull'IBAN {iban}.",
        "pay_no_iban": "Vi preghiamo di provvedere al pagamento.",
        "closing": {
            1: "Se avete già provveduto, vogliate considerare nullo questo avviso.",
            2: "In mancanza di pagamento saremo costretti a sospendere il servizio.",
            3: "In mancanza di pagamento entro 15 giorni affideremo il recupero del "
            "credito, con addebito delle relative spese.",
        },
        "greeting": "Distinti saluti",
        "subject": "{title} - {company}",
        "body": "Spettabile {customer},\nin allegato il sollecito di pagamento per {count} "
        "fatture scadute, per un totale di {amount} EUR.\n\n{company}\n",
    },
    "en": {
        "title": {
            1: "Payment reminder",
            2: "Second payment reminder",
            3: "Final payment reminder before collection",
        },
        "opening": "Dear {customer},\naccording to our records the following invoices are "
        "overdue and still unpaid:",
        "head": ("Invoice", "Date", "Due", "Days", "Open", "Interest"),
        "total": "Total",
        "interest": "Late-payment interest accrued by {date}: {amount} EUR (D.Lgs. 231/2002).",
        "pay": "Please pay by bank transfer to IBAN {iban}.",
        "pay_no_iban": "Please arrange payment.",
        "closing": {
            1: "If you have already paid, please disregard this reminder.",
            2: "Without payment we will have to suspend the service.",
            3: "Without payment within 15 days we will hand the debt over for "
            "collection, at your expense.",
        },
        "greeting": "Kind regards",
        "subject": "{title} - {company}",
        "body": "Dear {customer},\nattached is a payment reminder for {count} overdue "
        "invoices, {amount} EUR in total.\n\n{company}\n",
    },
}


def _words(language: str) -> dict:
    return _TEXT["it" if language == "it" else "en"]


def money_text(value: Decimal, language: str) -> str:
    """An amount in the letter's language: 1.234,56 / 1,234.56."""
    return display.money(value, style="it" if language == "it" else "en")


def title(letter: ReminderLetter) -> str:
    return _words(letter.language)["title"][letter.level]


def subject_and_body(letter: ReminderLetter) -> tuple[str, str]:
    """The e-mail's subject and text that carry the letter."""
    w = _words(letter.language)
    subject = w["subject"].format(title=title(letter), company=letter.company)
    body = w["body"].format(
        customer=letter.customer,
        count=len(letter.invoices),
        amount=money_text(letter.open_total, letter.language),
        company=letter.company,
    )
    return subject, body


def file_name(letter: ReminderLetter, customer_code: str) -> str:
    word = "sollecito" if letter.language == "it" else "reminder"
    return f"{word}-{letter.level}-{customer_code}-{letter.date.isoformat()}.pdf"


def render_reminder_pdf(letter: ReminderLetter) -> bytes:
    """The letter as a one-page (or longer) A4 PDF."""
    w = _words(letter.language)
    lang = letter.language
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(True, margin=15)
    pdf.add_font("DejaVu", "", str(FONT_DIR / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
    pdf.set_title(title(letter))
    pdf.set_creation_date(dt.datetime.combine(letter.date, dt.time(), dt.UTC))
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 12)
    pdf.cell(0, 6, letter.company, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 9)
    for line in letter.company_lines:
        pdf.cell(0, 5, line, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.set_x(110)
    pdf.set_font("DejaVu", "B", 10)
    pdf.cell(0, 5, letter.customer, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 10)
    for line in letter.customer_lines:
        pdf.set_x(110)
        pdf.cell(0, 5, line, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.cell(0, 5, format_date(letter.date), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    pdf.set_font("DejaVu", "B", 13)
    pdf.cell(0, 8, title(letter), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 10)
    pdf.multi_cell(
        0, 5, w["opening"].format(customer=letter.customer), new_x="LMARGIN", new_y="NEXT"
    )
    pdf.ln(3)
    widths = (40, 25, 25, 18, 32, 30)
    pdf.set_font("DejaVu", "B", 9)
    for width, head in zip(widths, w["head"], strict=True):
        pdf.cell(width, 6, head, border="B", align="L" if width in (40,) else "R")
    pdf.ln()
    pdf.set_font("DejaVu", "", 9)
    for item in letter.invoices:
        cells = (
            item.number,
            format_date(item.date),
            format_date(item.due_date),
            str(item.days),
            money_text(item.open, lang),
            money_text(item.interest, lang),
        )
        for width, text in zip(widths, cells, strict=True):
            pdf.cell(width, 6, text, align="L" if width == 40 else "R")
        pdf.ln()
    pdf.set_font("DejaVu", "B", 9)
    pdf.cell(sum(widths[:4]), 6, w["total"], border="T")
    pdf.cell(widths[4], 6, money_text(letter.open_total, lang), border="T", align="R")
    pdf.cell(widths[5], 6, money_text(letter.interest_total, lang), border="T", align="R")
    pdf.ln(10)
    pdf.set_font("DejaVu", "", 10)
    if letter.interest_total > 0:
        pdf.multi_cell(
            0,
            5,
            w["interest"].format(
                date=format_date(letter.date), amount=money_text(letter.interest_total, lang)
            ),
            new_x="LMARGIN",
            new_y="NEXT",
        )
    pay = w["pay"].format(iban=format_iban(letter.iban)) if letter.iban else w["pay_no_iban"]
    pdf.multi_cell(0, 5, pay, new_x="LMARGIN", new_y="NEXT")
    pdf.multi_cell(0, 5, w["closing"][letter.level], new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.cell(0, 5, w["greeting"], new_x="LMARGIN", new_y="NEXT")
    pdf.cell(0, 5, letter.company, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


__all__ = [
    "OverdueInvoice",
    "ReminderLetter",
    "file_name",
    "money_text",
    "render_reminder_pdf",
    "subject_and_body",
    "title",
]
