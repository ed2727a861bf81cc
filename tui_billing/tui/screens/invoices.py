"""The invoices screen: the newest invoices, filtered by customer, contract, status and
date, each with its e-invoice state (rejected ones in red, the SdI's errors below the
table); open one, issue a draft, write its PDF or XML, send its courtesy copy, export the
pending e-invoices, read SdI receipts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widgets import DataTable, Input, Label, Select, Static
from textual.widgets.data_table import ColumnKey

from tui_billing.billing.einvoices import EInvoiceState, einvoice_states
from tui_billing.billing.invoice_views import InvoiceSummary, invoice_summaries
from tui_billing.domain import display
from tui_billing.domain.errors import UserError
from tui_billing.domain.vocabulary import INVOICE_STATUSES
from tui_billing.tui.forms import parse_optional_date
from tui_billing.tui.screens.base import BillingScreen
from tui_billing.tui.screens.common import cut, day, money
from tui_billing.tui.screens.draft_actions import DraftActions, DraftDeleted
from tui_billing.tui.screens.einvoice_actions import EInvoiceActions
from tui_billing.tui.screens.invoice_actions import InvoiceActions, InvoiceChanged

LIMIT = 1000  # invoices listed; narrow the filters for older ones


@dataclass
class InvoiceList:
    """What the screen read: the newest invoices, how many match, their e-invoice states."""

    rows: list[InvoiceSummary]
    count: int
    states: dict[int, EInvoiceState]


STANDING_OUT = {"rejected": "bold red", "refused": "bold red", "not_delivered": "yellow"}


def invoice_name(number: str | None, invoice_id: int) -> str:
    return number or f"draft #{invoice_id}"


class InvoicesScreen(DraftActions, EInvoiceActions, InvoiceActions, BillingScreen):
    """Invoices, newest first."""

    TITLE = "Invoices"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", "Open", id="invoices.open", tooltip="Open the invoice"),
        *InvoiceActions.ACTION_BINDINGS,
        *DraftActions.DRAFT_BINDINGS,
        *EInvoiceActions.EINVOICE_BINDINGS,
        Binding(
            "f",
            "edit_filters",
            "Filters",
            show=False,
            id="invoices.filters",
            tooltip="Filter by customer, contract, status and date",
        ),
        Binding(
            "ctrl+r",
            "reload",
            "Reload",
            show=False,
            id="invoices.reload",
            tooltip="Read the invoices again",
        ),
        Binding(
            "escape",
            "back",
            "Back",
            show=False,
            id="invoices.back",
            tooltip="Leave the filter fields",
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._rows: list[InvoiceSummary] = []
        self._states: dict[int, EInvoiceState] = {}
        self._count = 0

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="invoices-bar", classes="bar"):
            yield Input(
                id="inv-customer",
                compact=True,
                placeholder="customer",
                tooltip="Invoices of the customers whose code or name contains this",
            )
            yield Input(
                id="inv-contract",
                compact=True,
                placeholder="contract code",
                tooltip="Invoices with a line of this contract (code)",
            )
            yield Select(
                [(s, s) for s in INVOICE_STATUSES],
                id="inv-status",
                compact=True,
                prompt="any status",
            )
            yield Label("From", classes="bar-label")
            yield Input(
                id="inv-from", compact=True, placeholder="dd/mm/yyyy", tooltip="Dated on or after"
            )
            yield Label("To", classes="bar-label")
            yield Input(
                id="inv-to", compact=True, placeholder="dd/mm/yyyy", tooltip="Dated on or before"
            )
        yield DataTable(id="invoices-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="invoices-sdi", classes="status")
        yield Static("", id="invoices-status", classes="status")

    def on_mount(self) -> None:
        self._columns()
        self.set_focus(self.query_one(DataTable))

    def on_screen_resume(self) -> None:
        """Shown (first, back from an invoice, or from another screen): read again."""
        self.refresh_data()

    def _columns(self) -> None:
        table = self.query_one(DataTable)
        table.clear(columns=True)
        wide = self.app.size.width >= 100
        table.add_column("Invoice", key="number", width=18 if wide else 14)
        table.add_column("Date", key="date", width=10)
        table.add_column(
            "Customer", key="customer", width=max(12, self.app.size.width - (106 if wide else 78))
        )
        table.add_column("Status", key="status", width=9)
        table.add_column("E-invoice", key="einvoice", width=14)
        if wide:
            table.add_column("Taxable", key="taxable", width=10)
            table.add_column("VAT", key="vat", width=9)
        table.add_column("Total", key="total", width=10)

    # --- loading ------------------------------------------------------------------

    def filters(self) -> dict[str, Any]:
        """The filters as typed; raises UserError (marking the field) for a bad date."""
        values: dict[str, Any] = {}
        for name, key in (("inv-customer", "customer_text"), ("inv-contract", "contract")):
            values[key] = self.query_one(f"#{name}", Input).value.strip() or None
        status = self.query_one("#inv-status", Select).value
        values["status"] = None if status is Select.NULL else str(status)
        for name, key, label in (
            ("inv-from", "date_from", "from date"),
            ("inv-to", "date_to", "to date"),
        ):
            field = self.query_one(f"#{name}", Input)
            try:
                values[key] = parse_optional_date(field.value, label)
                field.remove_class("-refused")
            except UserError:
                field.add_class("-refused")
                raise
        return values

    def load_arguments(self) -> dict[str, Any]:
        return self.filters()

    def loading_started(self) -> None:
        self.query_one("#invoices-status", Static).update("reading…")

    def fetch(self, arguments: dict[str, Any]) -> InvoiceList:
        rows, count = invoice_summaries(limit=LIMIT, **arguments)
        return InvoiceList(rows, count, einvoice_states([r.id for r in rows]))

    def show(self, data: InvoiceList) -> None:
        table = self.query_one(DataTable)
        current = self.invoice_id_for_action()
        table.clear()
        wide = "taxable" in table.columns
        for inv in data.rows:
            plain = inv.document_type == "invoice" or not wide
            kind = "" if plain else f" ({inv.document_type[:3]})"
            state = data.states.get(inv.id)
            cells = [
                invoice_name(inv.number, inv.id) + kind,
                day(inv.date),
                cut(inv.customer, table.columns[ColumnKey("customer")].width),
                inv.status,
                Text(state.state, style=STANDING_OUT.get(state.state, "")) if state else "",
            ]
            if wide:
                cells += [money(inv.taxable), money(inv.vat)]
            cells.append(money(inv.total))
            table.add_row(*cells, key=str(inv.id))
        self._rows = data.rows
        self._states = data.states
        self._count = data.count
        if current is not None and str(current) in table.rows:
            table.move_cursor(row=table.get_row_index(str(current)))
        shown = len(data.rows)
        more = f" (the newest {shown:,} shown)" if data.count > shown else ""
        counted = display.count(data.count, "invoice")
        self.query_one("#invoices-status", Static).update(f"{counted}{more}")
        self._show_sdi_errors()

    @on(DataTable.RowHighlighted, "#invoices-table")
    def _show_sdi_errors(self) -> None:
        """Under the table: the SdI's errors of the highlighted document, when rejected."""
        invoice_id = self.invoice_id_for_action()
        state = self._states.get(invoice_id) if invoice_id is not None else None
        line = self.query_one("#invoices-sdi", Static)
        if state is None or not state.errors:
            line.update("")
            return
        line.update(
            Text(f"SdI rejected {state.file_name}: " + "; ".join(state.errors), style="bold red")
        )

    @on(Input.Submitted, "#invoices-bar Input")
    def _filter_submitted(self) -> None:
        self.refresh_data()
        self.set_focus(self.query_one(DataTable))

    @on(Select.Changed, "#inv-status")
    def _status_changed(self) -> None:
        if self.is_mounted:
            self.refresh_data()

    def on_resize(self) -> None:
        self._columns()
        if self._rows:
            self.show(InvoiceList(self._rows, self._count, self._states))

    # --- actions ------------------------------------------------------------------

    def invoice_id_for_action(self) -> int | None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return int(key) if key is not None else None

    @on(DataTable.RowSelected, "#invoices-table")
    def action_open(self) -> None:
        from tui_billing.tui.screens.invoice import InvoiceScreen

        invoice_id = self.invoice_id_for_action()
        if invoice_id is not None:
            self.app.push_screen(InvoiceScreen(invoice_id))

    def on_invoice_changed(self, message: InvoiceChanged) -> None:
        self.app.notify(
            message.text,
            severity="information" if message.ok else "error",
            timeout=6 if message.ok else 10,
        )
        if message.ok:
            self.refresh_data()

    def on_draft_deleted(self, message: DraftDeleted) -> None:
        self.app.notify(
            message.text,
            severity="information" if message.ok else "error",
            timeout=6 if message.ok else 10,
        )
        if message.ok:
            self.refresh_data()

    def action_edit_filters(self) -> None:
        self.set_focus(self.query_one("#inv-customer", Input))

    def action_reload(self) -> None:
        self.refresh_data()

    def action_back(self) -> None:
        self.set_focus(self.query_one(DataTable))
