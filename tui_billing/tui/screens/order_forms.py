"""Small modal forms that invoice an order: partial, down payment, installments, final.
Each validates as it submits and shows what is wrong on its own error line; it closes only
when the invoice (or plan) is written, returning the billing result."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, Select, Static

from tui_billing.billing.confirmations import Confirmation, number_span, rehearse
from tui_billing.billing.numbering import Number
from tui_billing.billing.orders import (
    OrderResult,
    down_payment_invoice,
    final_invoice,
    installment_plan,
    partial_invoice,
)
from tui_billing.domain import display
from tui_billing.domain.errors import UserError
from tui_billing.domain.frequency import NAMED
from tui_billing.domain.i18n import N_, _, ngettext
from tui_billing.domain.typed_input import parse_day, plain_number
from tui_billing.domain.words import word
from tui_billing.tui.errors import error_text
from tui_billing.tui.screens.common import DiscardGuard, ask_first
from tui_billing.tui.screens.dated_questions import date_span, future_question

FORM_CSS = """
OrderForm { align: center middle; }
OrderForm > Vertical {
    width: 64; height: auto; max-height: 100%; overflow-y: auto; padding: 0 2;
    border: round $accent; background: $surface;
}
OrderForm .title { text-style: bold; }
OrderForm .error { color: $error; height: auto; }
OrderForm Horizontal { height: auto; }
OrderForm Button { margin-right: 2; }
"""


class OrderForm(DiscardGuard, ModalScreen[OrderResult | None]):
    """A form for one operation on one order; dismissed with the result, or None."""

    DEFAULT_CSS = FORM_CSS
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "escape",
            "cancel",
            N_("Cancel"),
            id="orders.form_cancel",
            tooltip=N_("Close the form without writing anything"),
        ),
        Binding(
            "ctrl+s",
            "submit",
            N_("Save"),
            id="orders.form_submit",
            tooltip=N_("Validate the form and create the invoice"),
        ),
    ]
    TITLE_TEXT = ""

    def noun(self, count: int) -> str:
        """What the form makes, as many as ``count``: "partial invoice(s)"."""
        return ngettext("order invoice", "order invoices", count)

    def __init__(self, order: str, today: dt.date) -> None:
        super().__init__()
        self.order = order
        self.today = today

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(
                _("{title} · order {order}").format(title=_(self.TITLE_TEXT), order=self.order),
                classes="title",
                markup=False,
            )
            yield from self.fields()
            yield Static("", id="error", classes="error")
            with Horizontal():
                yield Button(_("Create"), variant="primary", id="submit")
                yield Button(_("Cancel"), id="cancel")

    def fields(self) -> ComposeResult:
        yield from ()

    def on_mount(self) -> None:
        first = self.query(Input).first()
        first.focus()

    # -- reading the fields ---------------------------------------------------------------

    def value(self, field_id: str) -> str:
        return self.query_one(f"#{field_id}", Input).value.strip()

    def date_of(self, field_id: str, label: str, *, required: bool = True) -> dt.date | None:
        text = self.value(field_id)
        if not text and not required:
            return None
        return parse_day(text, label)

    def operation(self) -> Callable[[], OrderResult]:
        raise NotImplementedError

    # -- submitting -----------------------------------------------------------------------

    def show_error(self, message: str) -> None:
        self.query_one("#error", Static).update(message)

    def question(self, operation: Callable[[], OrderResult]) -> Confirmation:
        """What the form asks before writing: the operation is rehearsed (rolled back), so
        its refusals come now and the question names the invoices' dates and numbers."""
        result = rehearse(self.db, operation)
        if result.invoices:
            documents = [
                (i["series"], dt.date.fromisoformat(i["date"]), i["number"] or "")
                for i in result.invoices
            ]
            count = len(documents)
            numbers = number_span([_parsed(n) for _s, _d, n in documents])
            question = ngettext(
                "Issue {count} {documents} dated {dates}, number {numbers} for order {order}?",
                "Issue {count} {documents} dated {dates}, numbers {numbers} for order {order}?",
                count,
            ).format(
                count=count,
                documents=self.noun(count),
                dates=date_span([d for _s, d, _n in documents]),
                numbers=numbers,
                order=self.order,
            )
            later = future_question([(series, d) for series, d, _n in documents], self.today)
            return Confirmation(question, later)
        dates = [dt.date.fromisoformat(str(i["invoice_date"])) for i in result.scheduled]
        return Confirmation(
            _(
                "Schedule {count} {documents} for order {order}, dated {dates}? The billing "
                "runs issue them on their dates."
            ).format(
                count=len(dates),
                documents=self.noun(len(dates)),
                order=self.order,
                dates=date_span(dates),
            )
        )

    def action_submit(self) -> None:
        try:
            operation = self.operation()
        except UserError as exc:
            self.show_error(str(exc))
            return
        self.show_error("")
        ask_first(
            self,
            lambda: self.question(operation),
            lambda: self._do(operation),
            self.show_error,
        )

    def _do(self, operation: Callable[[], OrderResult]) -> None:
        try:
            result = operation()
        except UserError as exc:
            self.show_error(str(exc))
            return
        except Exception as exc:  # a user never sees a traceback
            self.show_error(error_text(exc))
            return
        self.dismiss(result)

    def action_cancel(self) -> None:
        self.leave(lambda: self.dismiss(None))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "submit":
            self.action_submit()
        else:
            self.action_cancel()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_submit()

    @property
    def db(self) -> Any:
        return self.app.db  # type: ignore[attr-defined]


def _parsed(number: str) -> Number:
    """A number a rehearsal gave, as number_span reads one (its sequence: its last digits)."""
    match = re.search(r"([0-9]+)$", number)
    return Number(0, int(match.group(1)) if match else 0, number, "")


class DatedForm(OrderForm):
    """Invoice date and optional due date."""

    def dated_fields(self) -> ComposeResult:
        yield Label(_("Invoice date (dd/mm/yyyy)"))
        yield Input(display.day(self.today), id="date")
        yield Label(_("Due date (empty: the customer's payment terms)"))
        yield Input("", id="due", placeholder=_("dd/mm/yyyy"))

    def fields(self) -> ComposeResult:
        yield from self.dated_fields()

    def dates(self) -> tuple[dt.date, dt.date | None]:
        date = self.date_of("date", _("invoice date"))
        assert date is not None
        return date, self.date_of("due", _("due date"), required=False)


class PartialForm(DatedForm):
    TITLE_TEXT = N_("Partial invoice")

    def noun(self, count: int) -> str:
        return ngettext("partial invoice", "partial invoices", count)

    def operation(self) -> Callable[[], OrderResult]:
        date, due = self.dates()
        return lambda: partial_invoice(self.db, self.order, date=date, due=due)


class FinalForm(DatedForm):
    TITLE_TEXT = N_("Final invoice")

    def noun(self, count: int) -> str:
        return ngettext("final invoice", "final invoices", count)

    def operation(self) -> Callable[[], OrderResult]:
        date, due = self.dates()
        return lambda: final_invoice(self.db, self.order, date=date, due=due)


class DownPaymentForm(DatedForm):
    TITLE_TEXT = N_("Down-payment invoice")

    def noun(self, count: int) -> str:
        return ngettext("down-payment invoice", "down-payment invoices", count)

    def fields(self) -> ComposeResult:
        yield Label(
            _("Amount net of VAT ({amount}) or percentage (30%)").format(amount=display.money(300))
        )
        yield Input(
            "",
            id="amount",
            placeholder=_("{amount} or 30%").format(amount=display.money(300)),
        )
        yield from self.dated_fields()

    def operation(self) -> Callable[[], OrderResult]:
        text = self.value("amount").replace(" ", "")
        if not text:
            raise UserError(_("give an amount or a percentage"), _("amount"))
        amount = percent = None
        if text.endswith("%"):
            percent = plain_number(text[:-1])
        else:
            amount = plain_number(text)
        date, due = self.dates()

        def run() -> OrderResult:
            try:
                return down_payment_invoice(
                    self.db, self.order, date=date, due=due, amount=amount, percent=percent
                )
            except UserError as exc:
                if exc.path in ("--amount", "--percent"):
                    raise UserError(exc.message, _("amount")) from None
                raise

        return run


class InstallmentsForm(OrderForm):
    TITLE_TEXT = N_("Installment invoices")

    def noun(self, count: int) -> str:
        return ngettext("installment invoice", "installment invoices", count)

    def fields(self) -> ComposeResult:
        yield Label(_("Number of installments"))
        yield Input("3", id="count")
        yield Label(_("Date of the first installment (dd/mm/yyyy)"))
        yield Input(display.day(self.today), id="start")
        yield Label(_("Frequency"))
        yield Select(
            [(word("frequency", name), name) for name in NAMED],
            value="monthly",
            allow_blank=False,
            id="frequency",
        )
        yield Checkbox(_("Issue them all now (else they are scheduled)"), id="issue_now")

    def operation(self) -> Callable[[], OrderResult]:
        text = self.value("count")
        if not text.lstrip("-").isdigit():
            raise UserError(
                _("not a whole number: {text}").format(text=repr(text)),
                _("number of installments"),
            )
        count = int(text)
        if count < 1:
            raise UserError(_("must be at least 1"), _("number of installments"))
        start = self.date_of("start", _("first installment"))
        assert start is not None  # required
        frequency = self.query_one("#frequency", Select).value
        issue_now = self.query_one("#issue_now", Checkbox).value
        return lambda: installment_plan(
            self.db, self.order, count=count, start=start, frequency=frequency, issue_now=issue_now
        )


__all__ = ["DownPaymentForm", "FinalForm", "InstallmentsForm", "OrderForm", "PartialForm"]
