"""The payments screen, two views: the open items with their days overdue and a form that
records a payment, each field checked as it is typed; and the payments recorded, filtered
by customer, where one recorded by mistake is deleted (after a question). From here a
returned collection is recorded (a dialog) and the reminders due are sent."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import ClassVar

from rich.text import Text
from textual import getters, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import (
    Button,
    DataTable,
    Input,
    Label,
    Select,
    Static,
    TabbedContent,
    TabPane,
)
from textual.widgets.data_table import ColumnKey

from tui_billing.billing.payment_list import PaymentRow, payment_rows
from tui_billing.billing.payments import (
    Balance,
    open_items,
    payment_form_errors,
    record_payment,
)
from tui_billing.billing.returns import Recorded
from tui_billing.domain import display
from tui_billing.domain.errors import UserError
from tui_billing.domain.i18n import N_, _, ngettext, pgettext
from tui_billing.domain.typed_input import parse_amount, parse_day
from tui_billing.domain.vocabulary import PAYMENT_METHODS
from tui_billing.domain.words import word
from tui_billing.tui.app_base import BillingAppBase
from tui_billing.tui.errors import error_text
from tui_billing.tui.screens.base import BillingScreen
from tui_billing.tui.screens.collecting import ask_send_reminders, return_text
from tui_billing.tui.screens.common import cut, day, money
from tui_billing.tui.screens.payment_list import PaymentList
from tui_billing.tui.screens.return_dialog import ReturnDialog

__all__ = ["PaymentsScreen"]

_FIELDS = ("invoice", "amount", "date")
OPEN_VIEW = "open-items-view"
LIST_VIEW = "payments-view"
_OPEN_ONLY = {"record", "pay_selected", "list_payments", "focus_table"}


def _field_names() -> dict[str, str]:
    """The form's fields as its labels name them, for its refusals."""
    return {
        "invoice": _("Invoice"),
        "amount": _("Amount"),
        "date": _("Date"),
        "reference": _("Reference"),
    }


@dataclass
class PaymentsData:
    """What the screen read: the open items, and the payments the filter matches (the
    newest, and how many in all)."""

    items: list[Balance]
    payments: list[PaymentRow]
    payment_count: int


def _right(text: str) -> Text:
    """A number right-aligned in its column, so that the digits line up."""
    return Text(text, justify="right")


class PaymentsScreen(BillingScreen):
    """Open items (oldest due first) and the form that records a payment against one; the
    payments recorded, in a second view."""

    TITLE = N_("Payments")
    app = getters.app(BillingAppBase)  # self.app: the BillingApp, its state typed

    DEFAULT_CSS = """
    PaymentsScreen TabPane { padding: 0; }
    PaymentsScreen #payments-title { padding: 0 1; text-style: bold; }
    PaymentsScreen #open-items { height: 1fr; }
    PaymentsScreen #payment-form { height: auto; border-top: solid $primary; padding: 0 1; }
    PaymentsScreen #payment-form Horizontal { height: 1; }
    PaymentsScreen #payment-form Label { padding: 0 1 0 0; }
    PaymentsScreen #payment-form .next { padding: 0 1 0 2; }
    PaymentsScreen #payment-form Input { width: 1fr; }
    PaymentsScreen #payment-form #pay-amount { width: 14; }
    PaymentsScreen #payment-form #pay-date { width: 12; }
    PaymentsScreen #payment-form #pay-method { width: 31; }
    PaymentsScreen #payment-form Input.-invalid { background: $error 40%; }
    PaymentsScreen #pay-errors { color: $error; height: auto; display: none; }
    PaymentsScreen #pay-status { height: auto; padding: 0 1; }
    PaymentsScreen #pay-record { margin: 0 0 0 2; min-width: 10; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "ctrl+s",
            "record",
            N_("Record payment"),
            id="payments.record",
            tooltip=N_("Record the payment typed in the form"),
        ),
        Binding(
            "ctrl+l",
            "list_payments",
            N_("Payments"),
            id="payments.list",
            tooltip=N_("The payments recorded: filter by customer, delete one recorded by mistake"),
        ),
        Binding(
            "ctrl+o",
            "pay_selected",
            N_("Pay selected"),
            id="payments.pay_selected",
            tooltip=N_("Fill the form with the selected open item, its open amount and today"),
        ),
        Binding(
            "ctrl+r",
            "return_payment",
            N_("Returned"),
            id="payments.return",
            tooltip=N_("Record a collection the bank returned unpaid (insoluto)"),
        ),
        Binding(
            "ctrl+e",
            "send_reminders",
            N_("Send reminders"),
            show=False,  # in ? help: the footer fits 80 columns
            priority=True,  # from a field too (where ctrl+e would move to the end); asks first
            id="payments.reminders",
            tooltip=N_("Record and e-mail the payment reminders due today (asks first)"),
        ),
        Binding(
            "f5",
            "refresh",
            N_("Refresh"),
            show=False,
            id="payments.refresh",
            tooltip=N_("Read the open items and the payments again"),
        ),
        Binding(
            "escape",
            "focus_table",
            N_("Open items"),
            show=False,
            id="payments.focus_table",
            tooltip=N_("Move to the table of open items"),
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.title = _(self.TITLE)
        self.items: list[Balance] = []
        self.loads_done = 0  # how many reads have been shown (tests wait on it)

    def compose_body(self) -> ComposeResult:
        with TabbedContent(id="payments-views", initial=OPEN_VIEW):
            with TabPane(_("Open items / record"), id=OPEN_VIEW):
                yield Static("", id="payments-title")
                yield DataTable(id="open-items", cursor_type="row", zebra_stripes=True)
                with Vertical(id="payment-form"):
                    with Horizontal():
                        yield Label(_("Invoice"))
                        yield Input(placeholder="A/2026/0001", id="pay-invoice", compact=True)
                        yield Label(_("Amount"), classes="next")
                        yield Input(
                            placeholder=money(Decimal("1234.56")), id="pay-amount", compact=True
                        )
                        yield Label(_("Date"), classes="next")
                        yield Input(placeholder=_("dd/mm/yyyy"), id="pay-date", compact=True)
                    with Horizontal():
                        yield Label(_("Method"))
                        yield Select(
                            [(word("payment method", m), m) for m in PAYMENT_METHODS],
                            prompt=_("choose"),
                            id="pay-method",
                            compact=True,
                        )
                        yield Label(_("Reference"), classes="next")
                        yield Input(placeholder=_("CRO, TRN..."), id="pay-reference", compact=True)
                        yield Button(
                            _("Record"),
                            id="pay-record",
                            variant="primary",
                            disabled=True,
                            compact=True,
                        )
                    yield Static("", id="pay-errors")
                yield Static("", id="pay-status")
            with TabPane(_("Payments"), id=LIST_VIEW):
                yield PaymentList(id="payment-list-view")

    def on_mount(self) -> None:
        self._columns()
        self.query_one("#pay-date", Input).value = day(self.app.today)
        self.refresh_data()
        # the operator types an invoice number first: digits go to the field, never switch
        self.set_focus(self.query_one("#pay-invoice", Input))

    # -- the two views -------------------------------------------------------------------

    @property
    def view(self) -> str:
        """The view shown: OPEN_VIEW or LIST_VIEW."""
        return self.query_one(TabbedContent).active or OPEN_VIEW

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in _OPEN_ONLY and self.is_mounted and self.query(TabbedContent):
            return self.view == OPEN_VIEW
        return True

    def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        event.stop()
        self.refresh_bindings()

    def action_list_payments(self) -> None:
        """The payments recorded, the cursor on the newest."""
        self.query_one(TabbedContent).active = LIST_VIEW
        self.query_one(PaymentList).focus_table()
        self.refresh_bindings()

    def on_payment_list_back(self, event: PaymentList.Back) -> None:
        event.stop()
        self.query_one(TabbedContent).active = OPEN_VIEW
        self.set_focus(self.query_one("#open-items", DataTable))
        self.refresh_bindings()

    def on_payment_list_read_again(self, event: PaymentList.ReadAgain) -> None:
        event.stop()
        self.refresh_data()

    # -- the open items ------------------------------------------------------------------

    def _columns(self) -> None:
        """The open items' columns; below 100 columns the invoice date, total and paid give
        way (as in ``open-items``), so that the customer and days overdue stay whole."""
        table = self.query_one("#open-items", DataTable)
        table.clear(columns=True)
        width = self.app.size.width
        wide = width >= 100
        columns = [(_("Invoice"), "invoice", 13)]
        fixed = 13 + 10 + 12 + 7 + (10 + 12 + 12 if wide else 0) + 2 * (8 if wide else 5) + 2
        columns.append((_("Customer"), "customer", max(10, width - fixed)))
        if wide:
            columns.append((_("Date"), "date", 10))
        columns.append((pgettext("column", "Due"), "due", 10))
        if wide:
            columns += [(_("Total"), "total", 12), (pgettext("column", "Paid"), "paid", 12)]
        columns.append((pgettext("column", "Open"), "open", 12))
        columns.append((pgettext("column", "Late"), "days", 7))
        for name, key, size in columns:
            table.add_column(name, key=key, width=size)

    def on_resize(self) -> None:
        table = self.query_one("#open-items", DataTable)
        if table.columns and ("total" in table.columns) != (self.app.size.width >= 100):
            self._columns()
            self.action_refresh()

    def action_refresh(self) -> None:
        """Read both views again, keeping the cursor on the same row when it is still there."""
        self.refresh_data()

    def load_arguments(self) -> tuple[dt.date, str]:
        return self.app.today, self.query_one(PaymentList).filter_text

    def fetch(self, arguments: tuple[dt.date, str]) -> PaymentsData:
        today, text = arguments
        payments, count = payment_rows(text)
        return PaymentsData(open_items(today), payments, count)

    def loading_started(self) -> None:
        self.query_one(PaymentList).reading()

    def show_error(self, text: str) -> None:
        self.query_one(PaymentList).show_error(text)
        super().show_error(text)

    def show(self, data: PaymentsData) -> None:
        table = self.query_one("#open-items", DataTable)
        current = self._selected()
        today = self.app.today
        self.items = data.items
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
                *([_right(money(item.total)), _right(money(item.paid))] if wide else []),
                _right(money(item.open)),
                _right(display.number(days)) if days else "",
                key=str(item.invoice_id),
            )
        keys = [item.invoice_id for item in self.items]
        if current is not None and current.invoice_id in keys:
            table.move_cursor(row=keys.index(current.invoice_id))
        overdue = [i for i in self.items if i.days_overdue(today)]
        total = sum((i.open for i in self.items), Decimal("0.00"))
        late = sum((i.open for i in overdue), Decimal("0.00"))
        self.query_one("#payments-title", Static).update(
            ngettext(
                "Open items on {day}: {count}, {total} open; {overdue} overdue, {late}",
                "Open items on {day}: {count}, {total} open; {overdue} overdue, {late}",
                len(self.items),
            ).format(
                day=day(today),
                count=display.number(len(self.items)),
                total=money(total),
                overdue=display.number(len(overdue)),
                late=money(late),
            )
        )
        self.query_one(PaymentList).show(data.payments, data.payment_count)
        self.loads_done += 1

    def _selected(self) -> Balance | None:
        table = self.query_one("#open-items", DataTable)
        if not self.items or table.cursor_row is None or table.cursor_row >= len(self.items):
            return None
        return self.items[table.cursor_row]

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.data_table.id == "open-items":
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
        """Open the return dialog on the payment under the cursor in the payments view;
        in the open items', on the invoice in the form, else the selected one."""
        if self.view == LIST_VIEW:
            payment = self.query_one(PaymentList).selected()
            number = (payment.invoice or "") if payment is not None else ""
        else:
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
        """Record the reminders due today and e-mail every one not sent yet (asks first)."""
        ask_send_reminders(self, self.query_one("#pay-status", Static))

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
        self._errors(
            "; ".join(f"{_field_names()[name]}: {message}" for name, message in shown.items())
        )
        self.query_one("#pay-record", Button).disabled = bool(errors)

    def _errors(self, text: str) -> None:
        """The refusals of the form, on a line shown only when there are some."""
        errors = self.query_one("#pay-errors", Static)
        errors.update(text)
        errors.display = bool(text)

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
            self._errors(str(exc))
            return
        self.query_one("#pay-status", Static).update(
            _("Recorded {amount} on {invoice} ({day}).").format(
                amount=money(parse_amount(values["amount"])),
                invoice=values["invoice"].strip(),
                day=day(parse_day(values["date"])),
            )
        )
        for name in ("invoice", "amount", "reference"):
            self.query_one(f"#pay-{name}", Input).value = ""
        self._errors("")
        self.refresh_data()
        self.set_focus(self.query_one("#pay-invoice", Input))  # the next payment
