"""The orders screen: a searchable, filterable list of orders, each opened with its lines and
invoices, and keys that make partial, down-payment, installment and final invoices."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Footer, Input, Static

from tui_billing.billing.order_views import OrderView, list_orders, order_view
from tui_billing.billing.orders import OrderResult
from tui_billing.domain import display
from tui_billing.domain.i18n import N_, _, ngettext, pgettext
from tui_billing.domain.vocabulary import ORDER_STATUSES
from tui_billing.domain.words import word
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
# the kind of an order's invoice (OrderInvoiceView.kind) as the detail shows it
KIND_NAMES = {
    "regular": "invoice",
    "partial": "partial invoice",
    "down_payment": "down payment",
    "installment": "installment",
    "final": "final invoice",
}
DETAIL_WIDTH = 96  # the order detail's box, at most; its tables fit what is left inside


def _marked() -> None:  # pragma: no cover - never called: marks the words for extraction
    pgettext("invoice kind", "invoice")
    pgettext("invoice kind", "partial invoice")
    pgettext("invoice kind", "down payment")
    pgettext("invoice kind", "installment")
    pgettext("invoice kind", "final invoice")


def kind_name(kind: str) -> str:
    english = KIND_NAMES.get(kind)
    return pgettext("invoice kind", english) if english else kind


def state_label(status: str | None) -> str:
    """An order's state in words (None: every state, the filter that shows all)."""
    return word("status", status) if status else _("all states")


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
            N_("Close"),
            id="orders.detail_close",
            tooltip=N_("Back to the list of orders"),
        ),
    ]

    def __init__(self, order: OrderView) -> None:
        super().__init__()
        self.order = order

    def compose(self) -> ComposeResult:
        o = self.order
        with Vertical():
            yield Static(
                " · ".join(
                    (
                        _("Order {code}").format(code=o.code),
                        o.customer_name,
                        day(o.date),
                        state_label(o.status),
                    )
                ),
                classes="title",
                id="head",
                markup=False,
            )
            yield Static(
                _(
                    "Total {total} · invoiced {invoiced} · remaining {remaining} · scheduled "
                    "{scheduled} (net of VAT)"
                ).format(
                    total=_money(o.total),
                    invoiced=_money(o.invoiced),
                    remaining=_money(o.remaining),
                    scheduled=_money(o.scheduled_amount),
                ),
                id="figures",
            )
            yield DataTable(id="lines", cursor_type="row", zebra_stripes=True)
            yield DataTable(id="invoices", cursor_type="row", zebra_stripes=True)

    def _inner_width(self) -> int:
        """The cells inside the box: its border and padding taken off."""
        return min(DETAIL_WIDTH, self.app.size.width) - 6

    def on_mount(self) -> None:
        """The tables fit the box: the line's description takes what the figures leave
        (cut with "…"); on a narrow terminal the invoices' due date and taxable amount
        give way."""
        inner = self._inner_width()
        lines = self.query_one("#lines", DataTable)
        figures = [
            (
                _("Qty"),
                [display.quantity(li.quantity) for li in self.order.lines],
            ),
            (_("Unit price"), [price(li.unit_price) for li in self.order.lines]),
            (_("VAT %"), [display.rate(li.vat_rate) for li in self.order.lines]),
            (_("Amount"), [_money(li.amount) for li in self.order.lines]),
        ]
        locked = [_("locked") if li.locked else "" for li in self.order.lines]
        widths = [max([cell_len(name), *(cell_len(v) for v in values)]) for name, values in figures]
        used = sum(widths) + max((cell_len(t) for t in locked), default=0)
        described = max(12, inner - used - 2 * (len(figures) + 2) - 2)
        lines.add_column(_("Line"), width=described)
        for (name, _values), width in zip(figures, widths, strict=True):
            lines.add_column(Text(name, justify="right"), width=width)
        lines.add_column("")
        for index, li in enumerate(self.order.lines):
            lines.add_row(
                cut(li.description, described),
                *(_figure_text(values[index]) for _name, values in figures),
                locked[index],
                key=str(li.id),
            )
        invoices = self.query_one("#invoices", DataTable)
        wide = inner >= 88
        invoices.add_column(_("Invoice"))
        invoices.add_column(_("Kind"))
        invoices.add_column(_("Date"))
        if wide:
            invoices.add_column(_("Due"))
            invoices.add_column(_("Taxable"))
        invoices.add_column(_("Total"))
        invoices.add_column(_("Status"))
        for inv in self.order.invoices:
            cells: list[Any] = [inv.name, kind_name(inv.kind), day(inv.date)]
            if wide:
                cells += [day(inv.due_date) if inv.due_date else "", _figure(inv.taxable)]
            cells += [_figure(inv.total), word("status", inv.status)]
            invoices.add_row(*cells, key=f"invoice-{inv.id}")
        for item in self.order.scheduled:
            cells = [_("(scheduled)"), kind_name(item.kind), day(item.invoice_date)]
            if wide:  # its amount is net of VAT: under Taxable, none under Total
                cells += ["", _figure(item.amount), ""]
            else:
                cells.append(_figure(item.amount))
            cells.append(_("scheduled"))
            invoices.add_row(*cells, key=f"installment-{item.id}")
        lines.focus()

    def action_close(self) -> None:
        self.dismiss(None)


class OrdersScreen(BillingScreen):
    """Orders: ``/`` search, ``s`` state filter, ``enter`` open; ``p`` partial, ``d`` down
    payment, ``i`` installments, ``f`` final invoice of the order under the cursor."""

    TITLE = N_("Orders")

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
            N_("Search"),
            show=False,  # in ? help: at 80 columns the footer keeps the invoicing keys
            key_display="/",
            id="orders.search",
            tooltip=N_("Search orders by code, customer or description"),
        ),
        Binding(
            "escape",
            "clear_search",
            N_("Clear"),
            show=False,
            id="orders.clear_search",
            tooltip=N_("Clear the search and go back to the list"),
        ),
        Binding(
            "s",
            "cycle_state",
            N_("State"),
            id="orders.cycle_state",
            tooltip=N_("Show only the orders in the next state (all, draft, in progress...)"),
        ),
        Binding(
            "enter",
            "open",
            N_("Open"),
            id="orders.open",
            tooltip=N_("Open the order under the cursor with its lines and invoices"),
        ),
        Binding(
            "p",
            "partial",
            N_("Partial"),
            id="orders.partial",
            tooltip=N_("Partial invoice of the lines not invoiced yet (draft orders)"),
        ),
        Binding(
            "d",
            "down_payment",
            N_("Down pmt"),
            id="orders.down_payment",
            tooltip=N_("Down-payment invoice by amount or percentage (draft, in progress)"),
        ),
        Binding(
            "i",
            "installments",
            N_("Installments"),
            id="orders.installments",
            tooltip=N_("Split what is left into installment invoices (shipped orders)"),
        ),
        Binding(
            "f",
            "final",
            N_("Final"),
            id="orders.final",
            tooltip=N_("Final invoice: the rest, less the down payments; completes the order"),
        ),
        Binding(
            "r",
            "refresh",
            N_("Refresh"),
            show=False,
            id="orders.refresh",
            tooltip=N_("Read the orders again from the database"),
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.title = _(self.TITLE)
        self.state_filter: str | None = None
        self.search_text = ""
        self.orders: list[OrderView] = []
        self._customer_width = 26

    def compose(self) -> ComposeResult:
        yield Input(placeholder=_("search orders (code, customer, description)"), id="search")
        yield Static("", id="status")
        yield DataTable(id="orders", cursor_type="row", zebra_stripes=True)
        yield Static("", id="message")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#orders", DataTable)
        self._columns()
        self.reload()
        table.focus()

    @property
    def wide(self) -> bool:
        """Wide enough for every column; narrower, what was invoiced and the invoices' numbers
        give way (the order's detail shows them), the customer's name takes what is left."""
        return self.app.size.width >= 110

    def _columns(self) -> None:
        table = self.query_one("#orders", DataTable)
        table.clear(columns=True)
        states = max(cell_len(state_label(s)) for s in ORDER_STATUSES)
        figures = (
            (_("Total"), _("Invoiced"), _("Remaining"))
            if self.wide
            else (
                _("Total"),
                _("Remaining"),
            )
        )
        widths = [max(cell_len(name), 10) for name in figures]
        fixed = 8 + 10 + max(states, cell_len(_("State"))) + sum(widths)
        columns = 4 + len(figures) + (1 if self.wide else 0)
        self._customer_width = (
            26 if self.wide else max(12, self.app.size.width - fixed - 2 * columns)
        )
        table.add_column(_("Order"), width=8)
        table.add_column(_("Date"), width=10)
        table.add_column(_("Customer"), width=self._customer_width)
        table.add_column(_("State"), width=max(states, cell_len(_("State"))))
        for name, width in zip(figures, widths, strict=True):
            table.add_column(Text(name, justify="right"), width=width)
        if self.wide:
            table.add_column(_("Invoices"))

    def on_resize(self) -> None:
        if self.is_mounted:
            self._columns()
            self.render_rows()

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
        wide = self.wide
        for o in shown:
            cells: list[Any] = [
                cut(o.code, 8),
                day(o.date),
                cut(o.customer_name, self._customer_width),
                state_label(o.status),
                _figure(o.total),
            ]
            if wide:
                cells.append(_figure(o.invoiced))
            cells.append(_figure(o.remaining))
            if wide:
                cells.append(", ".join(i.name for i in o.invoices))
            table.add_row(*cells, key=o.code)
        codes = [o.code for o in shown]
        if current in codes:
            table.move_cursor(row=codes.index(current))
        values = {
            "shown": display.number(len(shown)),
            "count": display.number(len(self.orders)),
            "state": state_label(self.state_filter),
            "search": self.search_text,
        }
        if self.search_text:
            text = _("Orders: {shown} of {count} · {state} · search '{search}'")
        else:
            text = _("Orders: {shown} of {count} · {state}")
        self.query_one("#status", Static).update(text.format(**values))

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
            self.say(_("no order under the cursor"), error=True)
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
            self.say(_("nothing written"))
            return
        names = ", ".join(
            i["number"] or _("draft #{id}").format(id=i["id"]) for i in result.invoices
        )
        parts = []
        if names:
            parts.append(_("created {names}").format(names=names))
        if result.scheduled:
            parts.append(
                ngettext(
                    "{count} installment scheduled",
                    "{count} installments scheduled",
                    len(result.scheduled),
                ).format(count=display.number(len(result.scheduled)))
            )
        o = result.order
        outcome = _("order {code} is {state}, remaining {remaining}").format(
            code=o.code, state=state_label(o.status), remaining=_money(o.remaining)
        )
        self.say(" · ".join(("; ".join(parts), outcome)) if parts else outcome)

    def action_partial(self) -> None:
        self._form(PartialForm)

    def action_down_payment(self) -> None:
        self._form(DownPaymentForm)

    def action_installments(self) -> None:
        self._form(InstallmentsForm)

    def action_final(self) -> None:
        self._form(FinalForm)


__all__ = ["OrderDetailScreen", "OrdersScreen", "matches"]
