"""One invoice opened: its header, lines, VAT summary and totals; issue, PDF, mail."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, ClassVar

from rich.markup import escape
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Static

from tui_billing.billing.einvoices import EInvoiceState, einvoice_states
from tui_billing.billing.invoice_views import invoice_document, invoice_json
from tui_billing.domain import display
from tui_billing.domain.i18n import N_, _, current_language
from tui_billing.domain.vat_natures import VAT_NATURES
from tui_billing.domain.words import word
from tui_billing.tui.forms import format_rate
from tui_billing.tui.screens.base import BillingScreen
from tui_billing.tui.screens.common import cut, day, money
from tui_billing.tui.screens.draft_actions import DraftActions, DraftDeleted
from tui_billing.tui.screens.einvoice_actions import einvoice_state_text
from tui_billing.tui.screens.invoice_actions import InvoiceActions, InvoiceChanged, PdfDialog

__all__ = ["InvoiceScreen", "PdfDialog"]


def _credit_text(data: dict[str, Any]) -> str:
    """What the invoice corrects, or which credit notes took what off it."""
    corrects = data.get("corrects")
    if corrects:
        return "\n" + _("corrects {number} of {date}").format(
            number=corrects["number"], date=day(dt.date.fromisoformat(corrects["date"]))
        )
    notes = data.get("credited_by") or []
    if not notes:
        return ""
    return "\n" + _("credited {amount} by {notes}").format(
        amount=money(Decimal(data["credited"])),
        notes=", ".join(f"{n['number']} ({money(Decimal(n['credited']))})" for n in notes),
    )


def _einvoice_text(state: EInvoiceState | None) -> str:
    """The e-invoice state and file; a rejection's SdI errors in red."""
    if state is None:
        return ""
    text = (
        "\n"
        + _("e-invoice {state}").format(state=escape(einvoice_state_text(state)))
        + (f" · {escape(state.file_name)}" if state.file_name else "")
    )
    for error in state.errors:
        text += f"\n[bold red]SdI: {escape(error)}[/]"
    return text


class InvoiceScreen(DraftActions, InvoiceActions, BillingScreen):
    """An invoice with its lines."""

    TITLE = N_("Invoice")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "escape,q", "back", N_("Back"), id="invoice.back", tooltip=N_("Back to the invoices")
        ),
        *InvoiceActions.ACTION_BINDINGS,
        *DraftActions.DRAFT_BINDINGS,
    ]

    def __init__(self, invoice_id: int) -> None:
        super().__init__()
        self.title = _(self.TITLE)
        self.invoice_id = invoice_id

    def compose_body(self) -> ComposeResult:
        yield Static(_("reading…"), id="invoice-head")
        yield DataTable(id="invoice-lines", cursor_type="row", zebra_stripes=True)
        yield Static("", id="invoice-totals")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column(_("Description"), width=max(16, self.app.size.width - 55))
        table.add_column(_("Period"), width=21)
        table.add_columns(_("Qty"), _("Amount"), _("VAT%"))
        table.focus()
        self.refresh_data()

    def fetch(self, arguments: None) -> tuple[dict[str, Any], Any]:
        data = invoice_json(self.invoice_id)
        data["einvoice"] = einvoice_states([self.invoice_id]).get(self.invoice_id)
        return data, invoice_document(self.invoice_id, self.app.config.company)

    def show_error(self, text: str) -> None:
        self.query_one("#invoice-head", Static).update(text)

    def show(self, data: tuple[dict[str, Any], Any]) -> None:
        head = self.query_one("#invoice-head", Static)
        d, doc = data
        name = d["number"] or _("draft #{id}").format(id=d["id"])
        self.sub_title = None
        first = [
            f"[b]{escape(name)}[/b] {word('document type', d['document_type'])}",
            word("status", d["status"]),
            _("dated {date}").format(date=day(doc.date)),
        ]
        if doc.due_date:
            first.append(_("due {date}").format(date=day(doc.due_date)))
        second = [f"{escape(doc.customer.name)} ({escape(d['customer'])})"]
        if d["contracts"]:
            second.append(_("contracts {codes}").format(codes=", ".join(d["contracts"])))
        if d["orders"]:
            second.append(_("orders {codes}").format(codes=", ".join(d["orders"])))
        head.update(
            " · ".join(first)
            + "\n"
            + " · ".join(second)
            + _credit_text(d)
            + _einvoice_text(d.get("einvoice"))
        )
        table = self.query_one(DataTable)
        table.clear()
        for line in doc.lines:
            period = ""
            if line.period_start or line.period_end:
                period = (
                    f"{day(line.period_start) if line.period_start else ''}-"
                    f"{day(line.period_end) if line.period_end else ''}"
                )
            table.add_row(
                cut(line.description, table.ordered_columns[0].width),
                period,
                display.quantity(line.quantity),
                money(line.amount),
                line.vat_nature or format_rate(line.vat_rate),
            )
        nature_language = "it" if current_language() == "it" else "en"
        vat = " · ".join(
            f"{VAT_NATURES[r.nature].label(nature_language)}: {money(r.taxable)}"
            if r.nature
            else _("VAT {rate}% on {taxable}: {vat}").format(
                rate=format_rate(r.rate), taxable=money(r.taxable), vat=money(r.vat)
            )
            for r in doc.vat_summary
        )
        withheld = "".join(  # a professional's ritenuta, and what the customer pays
            f"\n{text}: {money(amount)}" for text, amount in doc.deductions
        )
        if doc.deductions and doc.amount_due is not None:
            net = _("Net to pay {amount}").format(amount=money(doc.amount_due))
            withheld += f"\n[b]{net}[/b]"
        totals = [
            _("Taxable {amount}").format(amount=money(doc.taxable)),
            _("VAT {amount}").format(amount=money(doc.vat)),
        ]
        if doc.out_of_scope:
            totals.append(_("Out of VAT scope {amount}").format(amount=money(doc.out_of_scope)))
        totals.append(_("Total {amount}").format(amount=money(doc.total)))
        self.query_one("#invoice-totals", Static).update(
            f"{vat}\n[b]{' · '.join(totals)}[/b]{withheld}"
        )

    def invoice_id_for_action(self) -> int | None:
        return self.invoice_id

    def on_invoice_changed(self, message: InvoiceChanged) -> None:
        self.app.notify(
            message.text,
            severity="information" if message.ok else "error",
            timeout=6 if message.ok else 10,
        )
        if message.ok:
            self.refresh_data()

    def on_draft_deleted(self, message: DraftDeleted) -> None:
        """The draft is gone: back to where it was opened from, which reads again."""
        self.app.notify(
            message.text,
            severity="information" if message.ok else "error",
            timeout=6 if message.ok else 10,
        )
        if message.ok:
            self.app.pop_screen()

    def action_back(self) -> None:
        self.app.pop_screen()
