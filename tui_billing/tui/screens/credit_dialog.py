"""The credit-note dialog: credit an issued invoice whole, by chosen lines or by an amount,
with a reason and a date; it asks for confirmation naming the note it will issue (its
number too) and closes with that number once it is issued."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, Select, Static

from tui_billing.billing.credit_notes import CreditNote, credit_invoice
from tui_billing.billing.invoice_views import invoice_json
from tui_billing.domain import display
from tui_billing.domain.errors import UserError
from tui_billing.domain.i18n import N_, _
from tui_billing.tui.errors import error_text
from tui_billing.tui.forms import format_form_date, parse_form_date
from tui_billing.tui.screens.common import ConfirmScreen, DiscardGuard, cut, day, money
from tui_billing.tui.screens.dated_questions import future_question

MODES = (
    (N_("Whole invoice (what is left)"), "whole"),
    (N_("Chosen lines"), "lines"),
    (N_("An amount, net of VAT"), "amount"),
)
# The fields of the command line, as the dialog names them.
FIELD_NAMES = {
    "--lines": N_("lines"),
    "--amount": N_("amount"),
    "--date": N_("date"),
    "--rebill": N_("bill again"),
    "invoice": N_("invoice to credit"),
}


def credit_question(note: CreditNote) -> str:
    """What the dialog asks before issuing the note it previewed."""
    values = {
        "invoice": note.corrects,
        "invoice_total": money(note.corrects_total),
        "number": note.number,
        "total": money(-note.total),
        "date": day(note.date),
    }
    if note.whole:
        text = _(
            "Issue credit note for {invoice} ({invoice_total}), number {number}? Whole: "
            "{total} with VAT. Dated {date}."
        )
    else:
        text = _(
            "Issue credit note for {invoice} ({invoice_total}), number {number}? Partial: "
            "{total} with VAT. Dated {date}."
        )
    return text.format(**values)


def _money(text: str) -> str:
    return money(Decimal(text))


def _line_text(line: dict[str, Any]) -> str:
    credited = Decimal(line["credited"])
    taken = ", " + _("credited {amount}").format(amount=money(credited)) if credited else ""
    description = cut(line["description"], 34)
    return f"{line['id']:>6}  {description:<34} {_money(line['amount']):>10}{taken}"


class CreditDialog(DiscardGuard, ModalScreen[str | None]):
    """Credit one issued invoice; dismissed with the note's number, or None."""

    DEFAULT_CSS = """
    CreditDialog { align: center middle; }
    CreditDialog > Vertical {
        width: 76; height: auto; max-height: 100%; overflow-y: auto; padding: 0 2;
        border: round $accent; background: $surface;
    }
    CreditDialog .title { text-style: bold; }
    CreditDialog .lines { color: $text-muted; height: auto; }
    CreditDialog .error { color: $error; height: auto; }
    CreditDialog Horizontal { height: auto; margin-top: 1; }
    CreditDialog Label { margin-top: 1; }
    CreditDialog Button { margin-right: 2; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", N_("Cancel"), id="credit.cancel", tooltip=N_("Issue nothing")),
        Binding(
            "ctrl+s",
            "submit",
            N_("Issue"),
            id="credit.submit",
            tooltip=N_("Check the form and ask to issue the credit note"),
        ),
    ]

    def __init__(self, invoice_id: int, today: dt.date) -> None:
        super().__init__()
        self.invoice_id = invoice_id
        self.today = today
        self.invoice = invoice_json(invoice_id)
        self.number = self.invoice["number"] or f"#{invoice_id}"

    def compose(self) -> ComposeResult:
        inv = self.invoice
        with Vertical():
            yield Static(
                _("Credit note for {number} · total {total}, credited {credited}").format(
                    number=self.number,
                    total=_money(inv["total"]),
                    credited=_money(inv["credited"]),
                ),
                classes="title",
                markup=False,
            )
            yield Static(
                "\n".join(_line_text(li) for li in inv["lines"]), id="credit-lines", classes="lines"
            )
            yield Label(_("What to credit"))
            yield Select(
                [(_(text), mode) for text, mode in MODES],
                value="whole",
                allow_blank=False,
                id="credit-mode",
                compact=True,
            )
            yield Label(_("Line ids (12,13), for chosen lines or to share an amount among"))
            yield Input("", id="credit-line-ids", placeholder="12,13", compact=True)
            yield Label(_("Amount net of VAT, shared among the lines in proportion"))
            yield Input("", id="credit-amount", placeholder=display.money(100), compact=True)
            yield Label(_("Reason (printed in the notes)"))
            yield Input("", id="credit-reason", compact=True)
            yield Label(_("Date"))
            yield Input(
                format_form_date(self.today),
                id="credit-date",
                placeholder=_("dd/mm/yyyy"),
                compact=True,
            )
            yield Checkbox(
                _("Bill the credited contract installments again"), id="credit-rebill", compact=True
            )
            yield Static("", id="credit-error", classes="error")
            with Horizontal():
                yield Button(_("Issue"), variant="primary", id="credit-submit", compact=True)
                yield Button(_("Cancel"), id="credit-cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#credit-mode", Select).focus()

    def _value(self, name: str) -> str:
        return self.query_one(f"#credit-{name}", Input).value.strip()

    def _request(self) -> dict[str, Any]:
        """The form as arguments of :func:`credit_invoice`; UserError for what is missing."""
        mode = self.query_one("#credit-mode", Select).value
        lines = self._value("line-ids") or None
        amount = self._value("amount") or None
        if mode == "lines" and lines is None:
            raise UserError(_("give the ids of the lines to credit"), _("lines"))
        if mode == "amount" and amount is None:
            raise UserError(_("give the amount to credit"), _("amount"))
        return {
            "lines": lines if mode in ("lines", "amount") else None,
            "amount": amount if mode == "amount" else None,
            "reason": self._value("reason") or None,
            "date": parse_form_date(self._value("date"), _("date")),
            "rebill": self.query_one("#credit-rebill", Checkbox).value,
        }

    def _credit(self, request: dict[str, Any], *, preview: bool) -> CreditNote | None:
        try:
            db = self.app.db  # type: ignore[attr-defined]
            return credit_invoice(db, self.number, today=self.today, preview=preview, **request)
        except UserError as exc:
            field = FIELD_NAMES.get(exc.path or "")
            self._show(UserError(exc.message, _(field) if field else exc.path))
        except Exception as exc:  # a user never sees a traceback
            self.query_one("#credit-error", Static).update(error_text(exc))
        return None

    def _show(self, error: UserError) -> None:
        self.query_one("#credit-error", Static).update(str(error))

    def action_submit(self) -> None:
        try:
            request = self._request()
        except UserError as exc:
            self._show(exc)
            return
        note = self._credit(request, preview=True)
        if note is None:
            return
        self.query_one("#credit-error", Static).update("")

        def answered(yes: bool | None) -> None:
            if yes:
                issued = self._credit(request, preview=False)
                if issued is not None:
                    self.dismiss(issued.number)

        series = str(self.invoice.get("series") or self.number)
        later = future_question([(series, note.date)], self.today)
        self.app.push_screen(ConfirmScreen(credit_question(note), later), answered)

    def action_cancel(self) -> None:
        self.leave(lambda: self.dismiss(None))

    @on(Button.Pressed, "#credit-submit")
    def _submit_pressed(self) -> None:
        self.action_submit()

    @on(Button.Pressed, "#credit-cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()

    @on(Input.Submitted)
    def _input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_submit()


__all__ = ["CreditDialog"]
