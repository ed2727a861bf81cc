"""The orders screen: a searchable, filterable list of orders, each opened with its lines and
invoices, and keys that make partial, down-payment, installment and final invoices."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Footer, Input, Static

from tui_billing.billing.order_views import KIND_NAMES, OrderView, list_orders, order_view
from tui_billing.billing.orders import OrderResult
from tui_billing.domain import display
from tui_billing.domain.vocabulary import ORDER_STATUSES
from tui_billing.tui.errors import error_text
from tui_billing.tui.screens.base import BillingScreen
from tui_billing.tui.screens.common import cut, day, money, price
from tui_billing.tui.screens.order_forms import (
    DownPaymentForm,
    FinalForm,
    InstallmentsForm,
    OrderForm,
    PartialForm,
)

STATE_FILTERS: tuple[str | None, ...] = (None, *ORDER_STATUSES)
STATE_LABELS = {
    "draft": "draft",
    "in_progress": "in progress",
    "shipped": "shipped",
    "completed": "completed",
    "cancelled": "cancelled",
}


def _money(value: Any) -> str:
    return money(value)


def _figure(value: Any) -> Text:
    return Text(_money(value), justify="right")


def _figure_text(value: str) -> Text:
    return Text(value, justify="right")


def matches(order: OrderView, text: str) -> bool:
    """Whether the search text occurs in the order's code, customer or description."""
    needle = text.strip().casefold()
    if not needle:
        return True
    haystack = " ".join(
        (order.code, order.customer, order.customer_name, order.description or "")
    ).casefold()
    return all(word in haystack for word in needle.split())


class OrderDetailScreen(ModalScreen[None]):
    """One order: its figures, its lines (locked ones marked) and its invoices."""

    DEFAULT_CSS = """
    OrderDetailScreen { align: center middle; }
    OrderDetailScreen > Vertical {
        width: 96; max-width: 100%; height: 90%; padding: 1 2;
        border: round $accent; background: $surface;
    }
    OrderDetailScreen .title { text-style: bold; }
    OrderDetailScreen DataTable { height: auto; max-height: 14; margin-top: 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "escape,q",
            "close",
            "Close",
            id="orders.detail_close",
            tooltip="Back to the list of orders",
        ),
    ]

    def __init__(self, order: OrderView) -> None:
        super().__init__()
        self.order = order

    def compose(self) -> ComposeResult:
        o = self.order
        with Vertical():
            yield Static(
                f"Order {o.code} · {o.customer_name} · {day(o.date)} · "
                f"{STATE_LABELS.get(o.status, o.status)}",
                classes="title",
                id="head",
            )
            yield Static(
                f"Total {_money(o.total)} · invoiced {_money(o.invoiced)} · "
                f"remaining {_money(o.remaining)} · scheduled "
                f"{_money(o.scheduled_amount)} (net of VAT)",
                id="figures",
            )
            yield DataTable(id="lines", cursor_type="row", zebra_stripes=True)
            yield DataTable(id="invoices", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        lines = self.query_one("#lines", DataTable)
        lines.add_column("Line", width=36)
        for name in ("Qty", "Unit price", "VAT %", "Amount"):
            lines.add_column(Text(name, justify="right"))
        lines.add_column("")
        for li in self.order.lines:
            lines.add_row(
                cut(li.description, 36),
                _figure_text(display.quantity(li.quantity)),
                _figure_text(price(li.unit_price)),
                _figure_text(display.rate(li.vat_rate)),
                _figure(li.amount),
                "locked" if li.locked else "",
                key=str(li.id),
            )
        invoices = self.query_one("#invoices", DataTable)
        invoices.add_columns("Invoice", "Kind", "Date", "Due", "Taxable", "Total", "Status")
        for inv in self.order.invoices:
            invoices.add_row(
                inv.name,
                KIND_NAMES.get(inv.kind, inv.kind),
                day(inv.date),
                day(inv.due_date) if inv.due_date else "",
                _figure(inv.taxable),
                _figure(inv.total),
                inv.status,
                key=f"invoice-{inv.id}",
            )
        for item in self.order.scheduled:
            invoices.add_row(
                "(scheduled)",
                KIND_NAMES.get(item.kind, item.kind),
                day(item.invoice_date),
                "",
                _figure(item.amount),
                "",
                "scheduled",
                key=f"installment-{item.id}",
            )
        lines.focus()

    def action_close(self) -> None:
        self.dismiss(None)


class OrdersScreen(BillingScreen):
    """Orders: ``/`` search, ``s`` state filter, ``enter`` open; ``p`` partial, ``d`` down
    payment, ``i`` installments, ``f`` final invoice of the order under the cursor."""

    TITLE = "Orders"

    DEFAULT_CSS = """
    OrdersScreen #search { display: none; }
    OrdersScreen #search.visible { display: block; }
    OrdersScreen #status { height: 1; padding: 0 1; }
    OrdersScreen #message { height: auto; padding: 0 1; }
    OrdersScreen #message.error { color: $error; }
    OrdersScreen DataTable { height: 1fr; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "slash",
            "search",
            "Search",
            show=False,  # in ? help: at 80 columns the footer keeps the invoicing keys
            key_display="/",
            id="orders.search",
            tooltip="Search orders by code, customer or description",
        ),
        Binding(
            "escape",
            "clear_search",
            "Clear",
            show=False,
            id="orders.clear_search",
            tooltip="Clear the search and go back to the list",
        ),
        Binding(
            "s",
            "cycle_state",
            "State",
            id="orders.cycle_state",
            tooltip="Show only the orders in the next state (all, draft, in progress...)",
        ),
        Binding(
            "enter",
            "open",
            "Open",
            id="orders.open",
            tooltip="Open the order under the cursor with its lines and invoices",
        ),
        Binding(
            "p",
            "partial",
            "Partial",
            id="orders.partial",
            tooltip="Partial invoice of the lines not invoiced yet (draft orders)",
        ),
        Binding(
            "d",
            "down_payment",
            "Down pmt",
            id="orders.down_payment",
            tooltip="Down-payment invoice by amount or percentage (draft, in progress)",
        ),
        Binding(
            "i",
            "installments",
            "Installments",
            id="orders.installments",
            tooltip="Split what is left into installment invoices (shipped orders)",
        ),
        Binding(
            "f",
            "final",
            "Final",
            id="orders.final",
            tooltip="Final invoice: the rest, less the down payments; completes the order",
        ),
        Binding(
            "r",
            "refresh",
            "Refresh",
            show=False,
            id="orders.refresh",
            tooltip="Read the orders again from the database",
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.state_filter: str | None = None
        self.search_text = ""
        self.orders: list[OrderView] = []

    def compose(self) -> ComposeResult:
        yield Input(placeholder="search orders (code, customer, description)", id="search")
        yield Static("", id="status")
        yield DataTable(id="orders", cursor_type="row", zebra_stripes=True)
        yield Static("", id="message")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#orders", DataTable)
        table.add_column("Order")
        table.add_column("Date")
        table.add_column("Customer", width=26)
        table.add_column("State")
        for name in ("Total", "Invoiced", "Remaining"):
            table.add_column(Text(name, justify="right"))
        table.add_column("Invoices")
        self.reload()
        table.focus()

    # -- the list -------------------------------------------------------------------------

    @property
    def table(self) -> DataTable:
        return self.query_one("#orders", DataTable)

    def reload(self) -> None:
        """Read the orders again from the database, then show them."""
        self.refresh_data()

    def fetch(self, arguments: None) -> list[OrderView]:
        return list_orders()

    def show(self, data: list[OrderView]) -> None:
        self.orders = data
        self.render_rows()

    def render_rows(self) -> None:
        """Show the orders that pass the state filter and the search (the cursor stays on
        its order when it is still shown)."""
        current = self.current_code()
        shown = [
            o
            for o in self.orders
            if (self.state_filter is None or o.status == self.state_filter)
            and matches(o, self.search_text)
        ]
        table = self.table
        table.clear()
        for o in shown:
            table.add_row(
                o.code,
                day(o.date),
                cut(o.customer_name, 26),
                STATE_LABELS.get(o.status, o.status),
                _figure(o.total),
                _figure(o.invoiced),
                _figure(o.remaining),
                ", ".join(i.name for i in o.invoices),
                key=o.code,
            )
        codes = [o.code for o in shown]
        if current in codes:
            table.move_cursor(row=codes.index(current))
        state = STATE_LABELS.get(self.state_filter or "", "all states")
        search = f" · search {self.search_text!r}" if self.search_text else ""
        self.query_one("#status", Static).update(
            f"Orders: {len(shown)} of {len(self.orders)} · {state}{search}"
        )

    def current_code(self) -> str | None:
        table = self.table
        if not table.row_count:
            return None
        try:
            key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
        except Exception:  # no row under the cursor
            return None
        return str(key.value) if key and key.value is not None else None

    def say(self, text: str, *, error: bool = False) -> None:
        message = self.query_one("#message", Static)
        message.update(text)
        message.set_class(error, "error")

    # -- search and filter ----------------------------------------------------------------

    def action_search(self) -> None:
        search = self.query_one("#search", Input)
        search.add_class("visible")
        search.focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "search":
            self.search_text = event.value
            self.render_rows()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "search":
            self.table.focus()

    def action_clear_search(self) -> None:
        search = self.query_one("#search", Input)
        if search.has_focus or self.search_text:
            search.value = ""
            self.search_text = ""
            search.remove_class("visible")
            self.table.focus()
            self.render_rows()

    def action_cycle_state(self) -> None:
        index = STATE_FILTERS.index(self.state_filter)
        self.state_filter = STATE_FILTERS[(index + 1) % len(STATE_FILTERS)]
        self.render_rows()

    def action_refresh(self) -> None:
        self.reload()
        self.say("")

    # -- opening and invoicing ------------------------------------------------------------

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.data_table.id == "orders":
            event.stop()
            self.action_open()

    def _chosen(self) -> str | None:
        code = self.current_code()
        if code is None:
            self.say("no order under the cursor", error=True)
        return code

    def action_open(self) -> None:
        code = self._chosen()
        if code is not None:
            self._open_in_worker(code)

    @work(thread=True, exclusive=True, exit_on_error=False, group="orders-open")
    def _open_in_worker(self, code: str) -> None:
        """Read the order in a thread, then open its detail (or say why not)."""
        db = self.app.db
        try:
            view = order_view(code)
        except Exception as exc:  # shown as a message
            self.app.call_from_thread(self.say, error_text(exc), error=True)
        else:
            self.app.call_from_thread(self.app.push_screen, OrderDetailScreen(view))
        finally:
            db.close()

    def _form(self, form_class: type[OrderForm]) -> None:
        code = self._chosen()
        if code is None:
            return
        self.app.push_screen(
            form_class(code, self.app.today),
            self._done,
        )

    def _done(self, result: OrderResult | None) -> None:
        self.reload()
        if result is None:
            self.say("nothing written")
            return
        names = ", ".join(i["number"] or f"draft #{i['id']}" for i in result.invoices)
        scheduled = (
            f"{display.count(len(result.scheduled), 'installment')} scheduled"
            if result.scheduled
            else ""
        )
        done = "; ".join(part for part in (names and f"created {names}", scheduled) if part)
        o = result.order
        self.say(
            f"{done} · order {o.code} is {STATE_LABELS.get(o.status, o.status)}, "
            f"remaining {_money(o.remaining)}"
        )

    def action_partial(self) -> None:
        self._form(PartialForm)

    def action_down_payment(self) -> None:
        self._form(DownPaymentForm)

    def action_installments(self) -> None:
        self._form(InstallmentsForm)

    def action_final(self) -> None:
        self._form(FinalForm)


__all__ = ["OrderDetailScreen", "OrdersScreen", "matches"]
