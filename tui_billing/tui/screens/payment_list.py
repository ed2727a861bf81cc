"""The payments recorded, newest first, filtered by customer code or name (or invoice
number), each with whether the bank returned it; a payment recorded by mistake is deleted
here, after a question that names it."""

from __future__ import annotations

from typing import Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import DataTable, Input, Label, Static

from tui_billing.billing.payment_list import PaymentRow, deletion_refused, payment_rows
from tui_billing.billing.payments import delete_payment
from tui_billing.domain import display
from tui_billing.tui.errors import error_text
from tui_billing.tui.screens.base import BillingScreen
from tui_billing.tui.screens.common import ConfirmScreen, day, money

METHODS = {  # short enough for 80 columns
    "bank_transfer": "transfer",
    "sepa_direct_debit": "SDD",
    "riba": "RiBa",
    "cash": "cash",
    "card": "card",
}


class PaymentDeleteChecked(Message):
    """Whether the payment may be deleted: ``refusal`` says why not."""

    def __init__(self, row: PaymentRow, refusal: str | None) -> None:
        super().__init__()
        self.row = row
        self.refusal = refusal


class PaymentDeleted(Message):
    def __init__(self, row: PaymentRow, error: str | None = None) -> None:
        super().__init__()
        self.row = row
        self.error = error


def payment_name(row: PaymentRow) -> str:
    """ "620.00 paid on 10/05/2025 against A/2025/0001 (ACME S.r.l.)"."""
    return (
        f"{money(row.amount)} paid on {day(row.date)} against "
        f"{row.invoice or f'#{row.invoice_id}'} ({row.customer_name or row.customer})"
    )


class PaymentListScreen(BillingScreen):
    """Payments, newest first; ``d`` deletes the one under the cursor (asks first)."""

    TITLE = "Payments recorded"
    DEFAULT_CSS = """
    PaymentListScreen #payment-list { height: 1fr; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "d",
            "delete",
            "Delete",
            id="payments.delete",
            tooltip="Delete the payment under the cursor, recorded by mistake (asks first)",
        ),
        Binding(
            "f",
            "edit_filter",
            "Filter",
            id="payments.filter",
            tooltip="Filter by customer code or name, or invoice number",
        ),
        Binding(
            "escape",
            "back",
            "Back",
            id="payments.list_back",
            tooltip="Leave the filter; from the table, back to the open items",
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[PaymentRow] = []
        self.loads_done = 0  # how many reads have been shown (tests wait on it)

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="payment-list-bar", classes="bar"):
            yield Label("Customer", classes="bar-label")
            yield Input(
                id="payment-filter",
                compact=True,
                placeholder="code or name, or invoice number",
                tooltip="Payments whose customer code or name, or invoice number, contains this",
            )
        yield DataTable(id="payment-list", cursor_type="row", zebra_stripes=True)
        yield Static("", id="payment-list-status", classes="status")

    def on_mount(self) -> None:
        self._columns()
        self.set_focus(self.query_one(DataTable))
        self.refresh_data()

    def _columns(self) -> None:
        """Below 100 columns the id and method give way (as in ``payments``), so that the
        customer's name has the room."""
        table = self.query_one(DataTable)
        table.clear(columns=True)
        width = self.app.size.width
        wide = width >= 100
        if wide:
            table.add_column("ID", key="id", width=6)
        table.add_column("Date", key="date", width=10)
        fixed = 10 + 13 + 10 + 10 + (6 + 8 if wide else 0)  # the other columns' widths
        padding = 2 * (7 if wide else 5) + 2  # each column's, and the scrollbar
        table.add_column("Customer", key="customer", width=max(12, width - fixed - padding))
        table.add_column("Invoice", key="invoice", width=13)
        table.add_column("Amount", key="amount", width=10)
        if wide:
            table.add_column("Method", key="method", width=8)
        table.add_column("Returned", key="returned", width=10)

    # --- loading (the base pattern) -----------------------------------------------

    def load_arguments(self) -> str:
        return self.query_one("#payment-filter", Input).value

    def fetch(self, arguments: Any) -> tuple[list[PaymentRow], int]:
        return payment_rows(arguments)

    def loading_started(self) -> None:
        self.query_one("#payment-list-status", Static).update("reading…")

    def show(self, data: tuple[list[PaymentRow], int]) -> None:
        rows, count = data
        self.rows = rows
        self._fill()
        shown = len(rows)
        more = f" (the newest {shown:,} shown)" if count > shown else ""
        returned = sum(1 for r in rows if r.returned)
        self.query_one("#payment-list-status", Static).update(
            f"{display.count(count, 'payment')}{more}"
            + (f", {returned:,} returned by the bank" if returned else "")
            + " · d deletes one recorded by mistake"
        )
        self.loads_done += 1

    def show_error(self, text: str) -> None:
        self.query_one("#payment-list-status", Static).update(text)
        super().show_error(text)

    def _fill(self) -> None:
        table = self.query_one(DataTable)
        current = self.selected()
        table.clear()
        wide = "id" in table.columns
        for r in self.rows:
            method = METHODS.get(r.method or "", r.method or "")
            table.add_row(
                *([str(r.id)] if wide else []),
                day(r.date),
                r.customer_name or r.customer,
                r.invoice or f"#{r.invoice_id}",
                money(r.amount),
                *([method] if wide else []),
                day(r.returned) if r.returned else "",
                key=str(r.id),
            )
        if current is not None and str(current.id) in table.rows:
            table.move_cursor(row=table.get_row_index(str(current.id)))

    def on_resize(self) -> None:
        self._columns()
        self._fill()

    def selected(self) -> PaymentRow | None:
        table = self.query_one(DataTable)
        if not self.rows or not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return next((r for r in self.rows if str(r.id) == key), None)

    @on(Input.Submitted, "#payment-filter")
    def _filter_submitted(self) -> None:
        self.refresh_data()
        self.set_focus(self.query_one(DataTable))

    def action_edit_filter(self) -> None:
        self.set_focus(self.query_one("#payment-filter", Input))

    def action_back(self) -> None:
        if isinstance(self.focused, Input):
            self.set_focus(self.query_one(DataTable))
        else:
            self.dismiss(None)

    # --- deleting -----------------------------------------------------------------

    def action_delete(self) -> None:
        row = self.selected()
        if row is None:
            self.app.notify("No payment here", severity="warning")
            return
        self._check_delete(row)

    @work(thread=True, exclusive=True, exit_on_error=False, group="payment-delete")
    def _check_delete(self, row: PaymentRow) -> None:
        db = self.app.db
        try:
            self.post_message(PaymentDeleteChecked(row, deletion_refused(row.id)))
        except Exception as exc:  # shown as a message
            self.post_message(PaymentDeleteChecked(row, error_text(exc)))
        finally:
            db.close()

    def on_payment_delete_checked(self, message: PaymentDeleteChecked) -> None:
        if message.refusal:
            self._refused(message.refusal)
            return
        row = message.row

        def answered(yes: bool | None) -> None:
            if yes:
                self._delete(row)

        self.app.push_screen(
            ConfirmScreen(
                f"Delete the payment of {payment_name(row)}? The invoice is open again "
                "for that amount."
            ),
            answered,
        )

    @work(thread=True, exclusive=True, exit_on_error=False, group="payment-delete")
    def _delete(self, row: PaymentRow) -> None:
        db = self.app.db
        try:
            delete_payment(db, row.id)
            self.post_message(PaymentDeleted(row))
        except Exception as exc:  # shown as a message
            self.post_message(PaymentDeleted(row, error_text(exc)))
        finally:
            db.close()

    def on_payment_deleted(self, message: PaymentDeleted) -> None:
        if message.error:
            self._refused(message.error)
            return
        text = f"Deleted the payment of {payment_name(message.row)}"
        self.app.notify(text)
        self.refresh_data()

    def _refused(self, text: str) -> None:
        self.query_one("#payment-list-status", Static).update(f"Not deleted: {text}")
        self.app.notify(f"Not deleted: {text}", severity="error", timeout=10)


__all__ = ["PaymentListScreen"]
