"""The payments recorded, newest first, filtered by customer code or name (or invoice
number), each with whether the bank returned it: the "Payments" view of the payments
screen. A payment recorded by mistake is deleted here, after a question that names it; one
the bank returned, or one a presented collection brought in, is refused with the reason."""

from __future__ import annotations

from typing import ClassVar

from textual import getters, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import DataTable, Input, Label, Static

from tui_billing.billing.payment_list import DeletionBlock, PaymentRow, deletion_block
from tui_billing.billing.payments import delete_payment
from tui_billing.domain import display
from tui_billing.domain.i18n import N_, _, ngettext, pgettext
from tui_billing.tui.app_base import BillingAppBase
from tui_billing.tui.errors import error_text
from tui_billing.tui.screens.common import ConfirmScreen, cut, day, money

WIDE = 100  # from this width the id and the method have room


def method_text(code: str | None) -> str:
    """A payment method short enough for its column, in the language in use."""
    short = {
        "bank_transfer": pgettext("short payment method", "transfer"),
        "sepa_direct_debit": "SDD",
        "riba": "Ri.Ba.",
        "cash": pgettext("short payment method", "cash"),
        "card": pgettext("short payment method", "card"),
    }
    return short.get(code or "", code or "")


def refusal_text(block: DeletionBlock) -> str:
    """Why a payment is not deleted, in the language in use."""
    values = {
        "id": block.payment_id,
        "invoice": block.invoice or "",
        "day": day(block.date),
    }
    if block.kind == "returned":
        text = _(
            "payment {id} of {invoice} was returned by the bank on {day}: it stays in the "
            "history with its return"
        )
    elif block.collection == "sdd":
        text = _(
            "payment {id} of {invoice} is the direct debit presented to the bank on {day}: "
            "if the bank did not collect it, record a return (ctrl+r)"
        )
    else:
        text = _(
            "payment {id} of {invoice} is the Ri.Ba. presented to the bank on {day}: if the "
            "bank did not collect it, record a return (ctrl+r)"
        )
    return text.format(**values)


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
    return _("{amount} paid on {day} against {invoice} ({customer})").format(
        amount=money(row.amount),
        day=day(row.date),
        invoice=row.invoice or f"#{row.invoice_id}",
        customer=row.customer_name or row.customer,
    )


class PaymentList(Vertical):
    """The payments recorded, a filter above them; ``d`` deletes the one under the cursor
    (asks first). The screen reads them (:meth:`show` puts them here); a change of filter
    or a deletion asks it to read again (:class:`PaymentList.ReadAgain`)."""

    class ReadAgain(Message):
        """The filter changed or a payment was deleted: read the list again."""

    class Back(Message):
        """Escape on the list: back to the open items."""

    app = getters.app(BillingAppBase)  # self.app: the BillingApp, its state typed

    DEFAULT_CSS = """
    PaymentList { height: 1fr; }
    PaymentList #payment-list { height: 1fr; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "d",
            "delete",
            N_("Delete"),
            id="payments.delete",
            tooltip=N_("Delete the payment under the cursor, recorded by mistake (asks first)"),
        ),
        Binding(
            "f",
            "edit_filter",
            N_("Filter"),
            id="payments.filter",
            tooltip=N_("Filter by customer code or name, or invoice number"),
        ),
        Binding(
            "escape",
            "back",
            N_("Back"),
            id="payments.list_back",
            tooltip=N_("Leave the filter; from the table, back to the open items"),
        ),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.rows: list[PaymentRow] = []
        self.count = 0

    def compose(self) -> ComposeResult:
        with Horizontal(id="payment-list-bar", classes="bar"):
            yield Label(_("Customer"), classes="bar-label")
            yield Input(
                id="payment-filter",
                compact=True,
                placeholder=_("code or name, or invoice number"),
                tooltip=_("Payments whose customer code or name, or invoice number, contains this"),
            )
        yield DataTable(id="payment-list", cursor_type="row", zebra_stripes=True)
        yield Static("", id="payment-list-status", classes="status")

    def on_mount(self) -> None:
        self._columns()

    @property
    def filter_text(self) -> str:
        return self.query_one("#payment-filter", Input).value

    def _columns(self) -> None:
        """Below 100 columns the id and method give way (as in ``payments``), so that the
        customer's name has the room."""
        table = self.query_one(DataTable)
        table.clear(columns=True)
        width = self.app.size.width
        wide = width >= WIDE
        if wide:
            table.add_column(_("ID"), key="id", width=6)
        table.add_column(_("Date"), key="date", width=10)
        fixed = 10 + 13 + 10 + 10 + (6 + 8 if wide else 0)  # the other columns' widths
        padding = 2 * (7 if wide else 5) + 2  # each column's, and the scrollbar
        table.add_column(_("Customer"), key="customer", width=max(12, width - fixed - padding))
        table.add_column(_("Invoice"), key="invoice", width=13)
        table.add_column(_("Amount"), key="amount", width=10)
        if wide:
            table.add_column(_("Method"), key="method", width=8)
        table.add_column(pgettext("column", "Returned"), key="returned", width=10)

    def reading(self) -> None:
        self.query_one("#payment-list-status", Static).update(_("reading…"))

    def show(self, rows: list[PaymentRow], count: int) -> None:
        """Put the payments read on the table, and how many there are under it."""
        self.rows, self.count = rows, count
        self._fill()
        shown = len(rows)
        returned = sum(1 for r in rows if r.returned)
        text = ngettext("{count} payment", "{count} payments", count).format(
            count=display.number(count)
        )
        if count > shown:
            text = _("{payments} (the newest {shown} shown)").format(
                payments=text, shown=display.number(shown)
            )
        if returned:
            text = ngettext(
                "{payments}, {returned} returned by the bank",
                "{payments}, {returned} returned by the bank",
                returned,
            ).format(payments=text, returned=display.number(returned))
        self.query_one("#payment-list-status", Static).update(
            _("{payments} · d deletes one recorded by mistake").format(payments=text)
        )

    def show_error(self, text: str) -> None:
        self.query_one("#payment-list-status", Static).update(text)

    def _fill(self) -> None:
        table = self.query_one(DataTable)
        current = self.selected()
        table.clear()
        wide = "id" in table.columns
        name_width = next(c.width for c in table.columns.values() if c.key == "customer")
        for r in self.rows:
            table.add_row(
                *([str(r.id)] if wide else []),
                day(r.date),
                cut(r.customer_name or r.customer, name_width),
                r.invoice or f"#{r.invoice_id}",
                money(r.amount),
                *([method_text(r.method)] if wide else []),
                day(r.returned) if r.returned else "",
                key=str(r.id),
            )
        if current is not None and str(current.id) in table.rows:
            table.move_cursor(row=table.get_row_index(str(current.id)))

    def on_resize(self) -> None:
        if self.query(DataTable) and ("id" in self.query_one(DataTable).columns) != (
            self.app.size.width >= WIDE
        ):
            self._columns()
            self._fill()

    def selected(self) -> PaymentRow | None:
        table = self.query_one(DataTable)
        if not self.rows or not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return next((r for r in self.rows if str(r.id) == key), None)

    def focus_table(self) -> None:
        self.screen.set_focus(self.query_one(DataTable))

    @on(Input.Submitted, "#payment-filter")
    def _filter_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.post_message(self.ReadAgain())
        self.focus_table()

    def action_edit_filter(self) -> None:
        self.screen.set_focus(self.query_one("#payment-filter", Input))

    def action_back(self) -> None:
        if isinstance(self.screen.focused, Input):
            self.focus_table()
        else:
            self.post_message(self.Back())

    # --- deleting -----------------------------------------------------------------

    def action_delete(self) -> None:
        row = self.selected()
        if row is None:
            self.app.notify(_("No payment here"), severity="warning")
            return
        self._check_delete(row)

    @work(thread=True, exclusive=True, exit_on_error=False, group="payment-delete")
    def _check_delete(self, row: PaymentRow) -> None:
        db = self.app.db
        try:
            block = deletion_block(row.id)
            self.post_message(PaymentDeleteChecked(row, refusal_text(block) if block else None))
        except Exception as exc:  # shown as a message
            self.post_message(PaymentDeleteChecked(row, error_text(exc)))
        finally:
            db.close()

    def on_payment_delete_checked(self, message: PaymentDeleteChecked) -> None:
        message.stop()
        if message.refusal:
            self._refused(message.refusal)
            return
        row = message.row

        def answered(yes: bool | None) -> None:
            if yes:
                self._delete(row)

        self.app.push_screen(
            ConfirmScreen(
                _(
                    "Delete the payment of {payment}? The invoice is open again for that amount."
                ).format(payment=payment_name(row))
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
        message.stop()
        if message.error:
            self._refused(message.error)
            return
        self.app.notify(
            _("Deleted the payment of {payment}").format(payment=payment_name(message.row))
        )
        self.post_message(self.ReadAgain())

    def _refused(self, text: str) -> None:
        refusal = _("Not deleted: {reason}").format(reason=text)
        self.query_one("#payment-list-status", Static).update(refusal)
        self.app.notify(refusal, severity="error", timeout=10)


__all__ = ["PaymentList", "method_text", "payment_name", "refusal_text"]
