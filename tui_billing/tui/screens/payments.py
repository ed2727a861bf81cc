"""The payments screen: open items with their days overdue, and a form that records a
payment, each field checked as it is typed; from here a returned collection is recorded
(a dialog), the reminders due are sent, and the payments recorded are listed (and one
recorded by mistake deleted)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import ClassVar

from textual import getters, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, DataTable, Footer, Input, Label, Select, Static
from textual.widgets.data_table import ColumnKey

from tui_billing.billing.payments import (
    Balance,
    open_items,
    payment_form_errors,
    record_payment,
)
from tui_billing.billing.returns import Recorded
from tui_billing.domain.errors import UserError
from tui_billing.domain.typed_input import parse_amount, parse_day
from tui_billing.domain.vocabulary import PAYMENT_METHODS
from tui_billing.tui.app_base import BillingAppBase
from tui_billing.tui.errors import error_text
from tui_billing.tui.screens.base import BillingScreen
from tui_billing.tui.screens.collecting import return_text, send_reminders_text
from tui_billing.tui.screens.common import cut, day, money
from tui_billing.tui.screens.return_dialog import ReturnDialog

__all__ = ["PaymentsScreen"]

_FIELDS = ("invoice", "amount", "date")
_METHOD_NAMES = {
    "bank_transfer": "Bank transfer",
    "sepa_direct_debit": "SEPA direct debit",
    "riba": "RiBa",
    "cash": "Cash",
    "card": "Card",
}


def _money(value: Decimal) -> str:
    return money(value)


class PaymentsScreen(BillingScreen):
    """Open items (oldest due first) and the form that records a payment against one."""

    TITLE = "Payments"
    app = getters.app(BillingAppBase)  # self.app: the BillingApp, its state typed

    DEFAULT_CSS = """
    PaymentsScreen { layout: vertical; }
    PaymentsScreen #payments-title { padding: 0 1; text-style: bold; }
    PaymentsScreen #open-items { height: 1fr; }
    PaymentsScreen #payment-form { height: auto; border-top: solid $primary; padding: 0 1; }
    PaymentsScreen #payment-form Horizontal { height: auto; }
    PaymentsScreen #payment-form Input { width: 1fr; }
    PaymentsScreen #payment-form #pay-invoice { width: 1fr; }
    PaymentsScreen #payment-form #pay-amount { width: 16; }
    PaymentsScreen #payment-form #pay-date { width: 16; }
    PaymentsScreen #payment-form #pay-method { width: 26; }
    PaymentsScreen #pay-errors { color: $error; height: auto; }
    PaymentsScreen #pay-status { height: auto; padding: 0 1; }
    PaymentsScreen #pay-record { margin: 0 1; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "ctrl+s",
            "record",
            "Record payment",
            id="payments.record",
            tooltip="Record the payment typed in the form",
        ),
        Binding(
            "ctrl+l",
            "list_payments",
            "Payments",
            id="payments.list",
            tooltip="The payments recorded: filter by customer, delete one recorded by mistake",
        ),
        Binding(
            "ctrl+o",
            "pay_selected",
            "Pay selected",
            id="payments.pay_selected",
            tooltip="Fill the form with the selected open item, its open amount and today",
        ),
        Binding(
            "ctrl+r",
            "return_payment",
            "Returned",
            id="payments.return",
            tooltip="Record a collection the bank returned unpaid (insoluto)",
        ),
        Binding(
            "ctrl+e",
            "send_reminders",
            "Send reminders",
            id="payments.reminders",
            tooltip="Record and e-mail the payment reminders due today",
        ),
        Binding(
            "f5", "refresh", "Refresh", id="payments.refresh", tooltip="Read the open items again"
        ),
        Binding(
            "escape",
            "focus_table",
            "Open items",
            id="payments.focus_table",
            tooltip="Move to the table of open items",
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.items: list[Balance] = []

    def compose(self) -> ComposeResult:
        yield Static("", id="payments-title")
        yield DataTable(id="open-items", cursor_type="row", zebra_stripes=True)
        with Vertical(id="payment-form"):
            yield Label("Record a payment (Enter on an open item fills it in)")
            with Horizontal():
                yield Input(placeholder="Invoice", id="pay-invoice")
                yield Input(placeholder="Amount", id="pay-amount")
                yield Input(placeholder="Date dd/mm/yyyy", id="pay-date")
                yield Select(
                    [(_METHOD_NAMES[m], m) for m in PAYMENT_METHODS],
                    prompt="Method",
                    id="pay-method",
                )
            with Horizontal():
                yield Input(placeholder="Reference (CRO...)", id="pay-reference")
                yield Button("Record", id="pay-record", variant="primary", disabled=True)
            yield Static("", id="pay-errors")
        yield Static("", id="pay-status")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#open-items", DataTable)
        self._columns()
        self.query_one("#pay-date", Input).value = day(self.app.today)
        self.refresh_data()
        table.focus()

    # -- the open items ------------------------------------------------------------------

    def _columns(self) -> None:
        """The open items' columns; below 100 columns the invoice date, total and paid give
        way (as in ``open-items``), so that the customer and days overdue stay whole."""
        table = self.query_one("#open-items", DataTable)
        table.clear(columns=True)
        width = self.app.size.width
        wide = width >= 100
        columns = [("Invoice", "invoice", 13)]
        fixed = 13 + 10 + 12 + 7 + (10 + 12 + 12 if wide else 0) + 2 * (8 if wide else 5) + 2
        columns.append(("Customer", "customer", max(10, width - fixed)))
        if wide:
            columns.append(("Date", "date", 10))
        columns.append(("Due", "due", 10))
        if wide:
            columns += [("Total", "total", 12), ("Paid", "paid", 12)]
        columns += [("Open", "open", 12), ("Late", "days", 7)]
        for name, key, size in columns:
            table.add_column(name, key=key, width=size)

    def on_resize(self) -> None:
        table = self.query_one("#open-items", DataTable)
        if table.columns and ("total" in table.columns) != (self.app.size.width >= 100):
            self._columns()
            self.action_refresh()

    def action_list_payments(self) -> None:
        from tui_billing.tui.screens.payment_list import PaymentListScreen

        self.app.push_screen(PaymentListScreen(), lambda _: self.action_refresh())

    def action_refresh(self) -> None:
        """Reload the table, keeping the cursor on the same invoice when it is still open."""
        self.refresh_data()

    def load_arguments(self) -> dt.date:
        return self.app.today

    def fetch(self, arguments: dt.date) -> list[Balance]:
        return open_items(arguments)

    def show(self, data: list[Balance]) -> None:
        table = self.query_one("#open-items", DataTable)
        current = self._selected()
        today = self.app.today
        self.items = data
        table.clear()
        wide = "total" in table.columns
        name_width = table.columns[ColumnKey("customer")].width
        for item in self.items:
            days = item.days_overdue(today)
            table.add_row(
                item.number or f"#{item.invoice_id}",
                cut(item.customer_name or item.customer, name_width),
                *([day(item.date)] if wide else []),
                day(item.due_date) if item.due_date else "",
                *([_money(item.total), _money(item.paid)] if wide else []),
                _money(item.open),
                str(days) if days else "",
                key=str(item.invoice_id),
            )
        keys = [item.invoice_id for item in self.items]
        if current is not None and current.invoice_id in keys:
            table.move_cursor(row=keys.index(current.invoice_id))
        overdue = [i for i in self.items if i.days_overdue(today)]
        total = sum((i.open for i in self.items), Decimal("0.00"))
        late = sum((i.open for i in overdue), Decimal("0.00"))
        self.query_one("#payments-title", Static).update(
            f"Open items on {day(today)}: {len(self.items)}, {_money(total)} open; "
            f"{len(overdue)} overdue, {_money(late)}"
        )

    def _selected(self) -> Balance | None:
        table = self.query_one("#open-items", DataTable)
        if not self.items or table.cursor_row is None or table.cursor_row >= len(self.items):
            return None
        return self.items[table.cursor_row]

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_pay_selected()

    def action_pay_selected(self) -> None:
        item = self._selected()
        if item is None:
            return
        self.query_one("#pay-invoice", Input).value = item.number or ""
        self.query_one("#pay-amount", Input).value = money(item.open)
        self.query_one("#pay-date", Input).value = day(self.app.today)
        self.query_one("#pay-amount", Input).focus()

    def action_return_payment(self) -> None:
        """Open the return dialog on the invoice in the form, else the selected one."""
        number = self.query_one("#pay-invoice", Input).value.strip()
        if not number and (item := self._selected()) is not None:
            number = item.number or ""

        def done(recorded: Recorded | None) -> None:
            if recorded is not None:
                self.query_one("#pay-status", Static).update(return_text(recorded))
                self.refresh_data()

        self.app.push_screen(
            ReturnDialog(self.app.db, number, self.app.today, self.app.config.returns), done
        )

    def action_send_reminders(self) -> None:
        """Record the reminders due today and e-mail every one not sent yet."""
        self.query_one("#pay-status", Static).update(
            send_reminders_text(self.app.db, self.app.config, self.app.today)
        )

    def action_focus_table(self) -> None:
        self.query_one("#open-items", DataTable).focus()

    # -- the form ------------------------------------------------------------------------

    def _values(self) -> dict[str, str]:
        return {
            name: self.query_one(f"#pay-{name}", Input).value for name in (*_FIELDS, "reference")
        }

    def _validate(self, *, every_field: bool = False) -> dict[str, str]:
        """Check the form now (before recording); errors are shown for the fields typed in
        (all with ``every_field``), and the Record button is enabled only without any."""
        values = self._values()
        errors = payment_form_errors(
            values["invoice"], values["amount"], values["date"], self.app.today
        )
        self._show_checks(values, errors, every_field=every_field)
        return errors

    def _show_checks(
        self, values: dict[str, str], errors: dict[str, str], *, every_field: bool = False
    ) -> None:
        if values != self._values():
            return  # checks of what the form held before a newer keypress
        shown = {k: v for k, v in errors.items() if every_field or values[k].strip()}
        for name in _FIELDS:  # only what is shown is marked: an emptied form is not in error
            self.query_one(f"#pay-{name}", Input).set_class(name in shown, "-invalid")
        self.query_one("#pay-errors", Static).update(
            "; ".join(f"{name}: {message}" for name, message in shown.items())
        )
        self.query_one("#pay-record", Button).disabled = bool(errors)

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id in {f"pay-{name}" for name in _FIELDS}:
            self._check_in_worker(self._values())

    @work(thread=True, exclusive=True, exit_on_error=False, group="payment-checks")
    def _check_in_worker(self, values: dict[str, str]) -> None:
        """The checks as the operator types, read in a thread (the open amount)."""
        db = self.app.db
        try:
            errors = payment_form_errors(
                values["invoice"], values["amount"], values["date"], self.app.today
            )
        except Exception as exc:  # shown as a message
            self.app.call_from_thread(self.show_error, error_text(exc))
            return
        finally:
            db.close()
        self.app.call_from_thread(self._show_checks, values, errors)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_record()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "pay-record":
            event.stop()
            self.action_record()

    def action_record(self) -> None:
        if self._validate(every_field=True):
            return
        values = self._values()
        method = self.query_one("#pay-method", Select).value
        try:
            record_payment(
                self.app.db,
                values["invoice"],
                values["date"],
                values["amount"],
                self.app.today,
                None if method is Select.NULL else str(method),
                values["reference"],
            )
        except UserError as exc:
            self.query_one("#pay-errors", Static).update(str(exc))
            return
        self.query_one("#pay-status", Static).update(
            f"Recorded {money(parse_amount(values['amount']))} on {values['invoice'].strip()} "
            f"({day(parse_day(values['date']))})."
        )
        for name in ("invoice", "amount", "reference"):
            self.query_one(f"#pay-{name}", Input).value = ""
        self.query_one("#pay-errors", Static).update("")
        self.refresh_data()
        self.action_focus_table()
