"""The invoices screen: the newest invoices, filtered by customer, contract, status and
date, each with its e-invoice state (rejected ones in red, the SdI's errors below the
table); open one, issue a draft, write its PDF or XML, send its courtesy copy, export the
pending e-invoices, read SdI receipts."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, ClassVar

from rich.cells import cell_len
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
from tui_billing.domain.i18n import N_, _, ngettext, pgettext
from tui_billing.domain.vocabulary import INVOICE_STATUSES
from tui_billing.domain.words import word
from tui_billing.tui.forms import parse_optional_date
from tui_billing.tui.screens.base import BillingScreen
from tui_billing.tui.screens.common import cut, day, money
from tui_billing.tui.screens.draft_actions import DraftActions, DraftDeleted
from tui_billing.tui.screens.einvoice_actions import EInvoiceActions, einvoice_state_word
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
    return number or _("draft #{id}").format(id=invoice_id)


# a document type's short mark beside its number in the wide list
TYPE_MARKS = {"credit_note": N_("cn"), "proforma": N_("pf"), "order": N_("ord")}


def _amount(value: Decimal) -> Text:
    """An amount right-aligned in its column, so that the decimals line up."""
    return Text(money(value), justify="right")


class InvoicesScreen(DraftActions, EInvoiceActions, InvoiceActions, BillingScreen):
    """Invoices, newest first."""

    TITLE = N_("Invoices")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", N_("Open"), id="invoices.open", tooltip=N_("Open the invoice")),
        *InvoiceActions.ACTION_BINDINGS,
        *DraftActions.DRAFT_BINDINGS,
        *EInvoiceActions.EINVOICE_BINDINGS,
        Binding(
            "f",
            "edit_filters",
            N_("Filters"),
            show=False,
            id="invoices.filters",
            tooltip=N_("Filter by customer, contract, status and date"),
        ),
        Binding(
            "ctrl+r",
            "reload",
            N_("Reload"),
            show=False,
            id="invoices.reload",
            tooltip=N_("Read the invoices again"),
        ),
        Binding(
            "escape",
            "back",
            N_("Back"),
            show=False,
            id="invoices.back",
            tooltip=N_("Leave the filter fields"),
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.title = _(self.TITLE)
        self._rows: list[InvoiceSummary] = []
        self._states: dict[int, EInvoiceState] = {}
        self._count = 0

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="invoices-bar", classes="bar"):
            yield Input(
                id="inv-customer",
                compact=True,
                placeholder=_("customer"),
                tooltip=_("Invoices of the customers whose code or name contains this"),
            )
            yield Input(
                id="inv-contract",
                compact=True,
                placeholder=_("contract code"),
                tooltip=_("Invoices with a line of this contract (code)"),
            )
            yield Select(
                [(word("status", s), s) for s in INVOICE_STATUSES],
                id="inv-status",
                compact=True,
                prompt=_("any status"),
            )
            yield Label(_("From"), classes="bar-label")
            yield Input(
                id="inv-from",
                compact=True,
                placeholder=_("dd/mm/yyyy"),
                tooltip=_("Dated on or after"),
            )
            yield Label(_("To"), classes="bar-label")
            yield Input(
                id="inv-to",
                compact=True,
                placeholder=_("dd/mm/yyyy"),
                tooltip=_("Dated on or before"),
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

    def _columns(self, rows: list[InvoiceSummary] | None = None) -> None:
        """The columns, sized to the terminal and to what the rows show: the status and
        e-invoice columns as wide as their longest word in the language in use (Italian
        words are longer), the customer's name taking what is left."""
        table = self.query_one(DataTable)
        table.clear(columns=True)
        wide = self.app.size.width >= 100
        statuses = {r.status for r in rows} if rows else {"draft", "issued"}
        states = {s.state for s in self._states.values()} if rows else {"pending"}
        widths = {
            "number": 18 if wide else 12,
            "date": 10,
            "status": max(
                [cell_len(_("Status")), *(cell_len(word("status", s)) for s in statuses)]
            ),
            "einvoice": min(
                15,
                max(
                    [
                        cell_len(pgettext("column", "E-invoice")),
                        *(cell_len(einvoice_state_word(s)) for s in states),
                    ]
                ),
            ),
            "total": 10 if wide else 9,
        }
        if wide:
            widths |= {"taxable": 10, "vat": 9}
        columns = len(widths) + 1
        left = self.app.size.width - sum(widths.values()) - 2 * columns - 2
        table.add_column(_("Invoice"), key="number", width=widths["number"])
        table.add_column(_("Date"), key="date", width=widths["date"])
        table.add_column(_("Customer"), key="customer", width=max(10, left))
        table.add_column(_("Status"), key="status", width=widths["status"])
        table.add_column(pgettext("column", "E-invoice"), key="einvoice", width=widths["einvoice"])
        if wide:
            table.add_column(_("Taxable"), key="taxable", width=widths["taxable"])
            table.add_column(_("VAT"), key="vat", width=widths["vat"])
        table.add_column(_("Total"), key="total", width=widths["total"])

    # --- loading ------------------------------------------------------------------

    def filters(self) -> dict[str, Any]:
        """The filters as typed; raises UserError (marking the field) for a bad date."""
        values: dict[str, Any] = {}
        for name, key in (("inv-customer", "customer_text"), ("inv-contract", "contract")):
            values[key] = self.query_one(f"#{name}", Input).value.strip() or None
        status = self.query_one("#inv-status", Select).value
        values["status"] = None if status is Select.NULL else str(status)
        for name, key, label in (
            ("inv-from", "date_from", _("from date")),
            ("inv-to", "date_to", _("to date")),
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
        self.query_one("#invoices-status", Static).update(_("reading…"))

    def fetch(self, arguments: dict[str, Any]) -> InvoiceList:
        rows, count = invoice_summaries(limit=LIMIT, **arguments)
        return InvoiceList(rows, count, einvoice_states([r.id for r in rows]))

    def show(self, data: InvoiceList) -> None:
        table = self.query_one(DataTable)
        current = self.invoice_id_for_action()
        self._states = data.states
        self._columns(data.rows)
        wide = "taxable" in table.columns
        for inv in data.rows:
            plain = inv.document_type == "invoice" or not wide
            mark = TYPE_MARKS.get(inv.document_type)
            kind = "" if plain else f" ({_(mark) if mark else inv.document_type[:3]})"
            state = data.states.get(inv.id)
            cells = [
                cut(
                    invoice_name(inv.number, inv.id) + kind,
                    table.columns[ColumnKey("number")].width,
                ),
                day(inv.date),
                cut(inv.customer, table.columns[ColumnKey("customer")].width),
                word("status", inv.status),
                Text(
                    cut(
                        einvoice_state_word(state.state), table.columns[ColumnKey("einvoice")].width
                    ),
                    style=STANDING_OUT.get(state.state, ""),
                )
                if state
                else "",
            ]
            if wide:
                cells += [_amount(inv.taxable), _amount(inv.vat)]
            cells.append(_amount(inv.total))
            table.add_row(*cells, key=str(inv.id))
        self._rows = data.rows
        self._states = data.states
        self._count = data.count
        if current is not None and str(current) in table.rows:
            table.move_cursor(row=table.get_row_index(str(current)))
        shown = len(data.rows)
        values = {"count": display.number(data.count), "shown": display.number(shown)}
        if data.count > shown:
            text = ngettext(
                "{count} invoice (the newest {shown} shown)",
                "{count} invoices (the newest {shown} shown)",
                data.count,
            )
        else:
            text = ngettext("{count} invoice", "{count} invoices", data.count)
        self.query_one("#invoices-status", Static).update(text.format(**values))
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
            Text(
                _("SdI rejected {file}: {errors}").format(
                    file=state.file_name, errors="; ".join(state.errors)
                ),
                style="bold red",
            )
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
        self._columns(self._rows or None)
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
