"""The returned-collection dialog: the invoice whose payment the bank returned, the date,
the bank's fee and its reason; it closes with what was recorded, or None."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from tui_billing.billing.returns import Recorded, record_return
from tui_billing.config import ReturnsSettings
from tui_billing.domain.errors import UserError
from tui_billing.domain.i18n import N_, _
from tui_billing.domain.typed_input import parse_day
from tui_billing.tui.screens.common import DiscardGuard, day, money


class ReturnDialog(DiscardGuard, ModalScreen[Recorded | None]):
    """Record one returned collection (an insoluto)."""

    DEFAULT_CSS = """
    ReturnDialog { align: center middle; }
    ReturnDialog > Vertical {
        width: 70; height: auto; padding: 0 2; border: round $accent; background: $surface;
    }
    ReturnDialog .title { text-style: bold; }
    ReturnDialog #return-error { color: $error; height: auto; }
    ReturnDialog Horizontal { height: auto; }
    ReturnDialog Button { margin-right: 2; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "escape",
            "cancel",
            N_("Cancel"),
            id="return.cancel",
            tooltip=N_("Record nothing (a changed form asks first)"),
        ),
        Binding(
            "ctrl+s",
            "submit",
            N_("Record"),
            id="return.submit",
            tooltip=N_("Record the return: the invoice is open again"),
        ),
    ]

    def __init__(self, db, invoice: str, today: dt.date, settings: ReturnsSettings) -> None:
        super().__init__()
        self.db = db
        self.invoice = invoice
        self.today = today
        self.settings = settings

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(_("Returned collection (insoluto)"), classes="title")
            yield Label(_("Invoice"))
            yield Input(self.invoice, placeholder="A/2026/0012", id="return-invoice")
            yield Label(_("Date of the return"))
            yield Input(day(self.today), placeholder=_("dd/mm/yyyy"), id="return-date")
            yield Label(_("Bank fee"))
            yield Input("", placeholder=money(Decimal("0")), id="return-fee")
            yield Label(_("Reason"))
            yield Input("", placeholder=_("AM04 insufficient funds"), id="return-reason")
            yield Static("", id="return-error")
            with Horizontal():
                yield Button(_("Record"), id="return-record", variant="primary")
                yield Button(_("Cancel"), id="return-cancel")

    def on_mount(self) -> None:
        self.query_one("#return-invoice" if not self.invoice else "#return-fee", Input).focus()

    def _value(self, name: str) -> str:
        return self.query_one(f"#return-{name}", Input).value.strip()

    def action_submit(self) -> None:
        try:
            # typed dd/mm/yyyy, dd/mm/yy or ISO, as every date field takes it
            date = parse_day(self._value("date"), "date")
            recorded = record_return(
                self.db,
                self._value("invoice"),
                date.isoformat(),
                self.today,
                self.settings,
                self._value("fee") or None,
                self._value("reason") or None,
            )
        except UserError as exc:
            self.query_one("#return-error", Static).update(str(exc))
            return
        self.dismiss(recorded)

    def action_cancel(self) -> None:
        self.leave(lambda: self.dismiss(None))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_submit()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "return-record":
            self.action_submit()
        else:
            self.action_cancel()


__all__ = ["ReturnDialog"]
