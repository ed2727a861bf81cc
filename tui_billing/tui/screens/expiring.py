"""Contracts coming to their end: notice deadlines and ends within 60 days of the reference
date, and the manual renewals waiting for a decision, with keys to renew (at the
contract's price change, or at a new one typed here) or to let the contract end."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from rich.cells import cell_len
from rich.text import Text
from textual import getters, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Header, Input, Label, Static

from tui_billing.billing.expiring import Expiring, expiring
from tui_billing.billing.renewals import let_end, renew_contract
from tui_billing.domain import display
from tui_billing.domain.errors import UserError
from tui_billing.domain.i18n import N_, _, ngettext
from tui_billing.domain.money import parse_decimal
from tui_billing.tui.app_base import BillingAppBase
from tui_billing.tui.screens.base import BillingScreen
from tui_billing.tui.screens.common import cut, day, money

WINDOW_DAYS = 60
WIDE = 100  # from this width the table shows the term, the price change and the words whole
# what happens at the end of the term (Expiring.action), in a word for a narrow table; the
# line under it says it whole for the contract under the cursor
ACTIONS = {
    "renews": N_("renews"),
    "ends": N_("ends"),
    "renews_then_ends": N_("renews, then ends"),
    "decision": N_("to decide"),
}


def _day(value: object) -> str:
    return day(value)  # type: ignore[arg-type]


class ExpiringScreen(BillingScreen):
    """Deadlines and ends within the window, the decisions waiting first."""

    TITLE = N_("Expiring contracts")
    app = getters.app(BillingAppBase)  # self.app: the BillingApp, its state typed

    DEFAULT_CSS = """
    ExpiringScreen .section { padding: 0 1; text-style: bold; }
    ExpiringScreen DataTable { height: 1fr; }
    ExpiringScreen #expiring-price { display: none; }
    ExpiringScreen #expiring-price.asking { display: block; }
    ExpiringScreen #expiring-status { height: auto; padding: 0 1; }
    """
    BINDINGS = [
        Binding(
            "r",
            "renew",
            N_("Renew"),
            id="expiring.renew",
            tooltip=N_("Renew the contract for one more term, at its own price change"),
        ),
        Binding(
            "p",
            "renew_priced",
            N_("Renew, new price"),
            id="expiring.renew_priced",
            tooltip=N_("Renew for one more term at a price change typed here (percent)"),
        ),
        Binding(
            "e",
            "let_end",
            N_("Let end"),
            id="expiring.let_end",
            tooltip=N_("Do not renew: the contract ends with its term"),
        ),
        Binding(
            "escape",
            "back",
            N_("Back"),
            id="expiring.back",
            tooltip=N_("Leave the price field, or the screen"),
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.title = _(self.TITLE)
        self.rows: list[Expiring] = []
        self._done = ""  # what an action did, said once the list is read again
        self._summary = ""  # how many contracts, how many waiting

    def compose(self) -> ComposeResult:
        yield Header()
        yield Label(
            _("Notice deadlines and ends within {days} days, decisions waiting first").format(
                days=WINDOW_DAYS
            ),
            classes="section",
        )
        yield DataTable(id="expiring-table", cursor_type="row", zebra_stripes=True)
        yield Input(
            placeholder=_("Price change in percent (e.g. 3 or -1.5), Enter renews"),
            id="expiring-price",
        )
        yield Static("", id="expiring-status")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#expiring-table", DataTable)
        self._columns()
        self.reload()
        table.focus()

    @property
    def wide(self) -> bool:
        return self.app.size.width >= WIDE

    def _columns(self) -> None:
        """Wide: every column, what happens at the end in words. Narrow (80 columns): the
        term and the price change give way, what happens at the end is a word (the line
        under the table says it whole for the contract under the cursor)."""
        table = self.query_one("#expiring-table", DataTable)
        table.clear(columns=True)
        table.add_column(_("Contract"), key="contract")
        table.add_column(_("Customer"), key="customer")
        if self.wide:
            table.add_column(_("Term"), key="term")
        table.add_column(_("Notice by"), key="deadline")
        table.add_column(_("Ends"), key="end")
        if self.wide:
            table.add_column(_("At the end"), key="at_end")
        else:
            width = max(cell_len(_(text)) for text in (*ACTIONS.values(), "At the end"))
            table.add_column(_("At the end"), key="at_end", width=width)
        table.add_column(_("Yearly value"), key="value")
        if self.wide:
            table.add_column(_("Price"), key="price")

    def on_resize(self) -> None:
        if self.is_mounted and self.rows is not None:
            self._columns()
            self._fill()

    def reload(self) -> None:
        """Read the list again (waiting decisions first)."""
        self.refresh_data()

    def load_arguments(self) -> dt.date:
        return self.app.reference_date

    def fetch(self, arguments: dt.date) -> list[Expiring]:
        return sorted(expiring(arguments, WINDOW_DAYS), key=lambda e: (not e.waiting,))

    def show(self, data: list[Expiring]) -> None:
        self.rows = data
        self._fill()
        waiting = sum(1 for e in self.rows if e.waiting)
        done, self._done = self._done, ""
        if self.rows:
            self._summary = ngettext(
                "{count} contract, {waiting} waiting for a decision",
                "{count} contracts, {waiting} waiting for a decision",
                len(self.rows),
            ).format(count=display.number(len(self.rows)), waiting=display.number(waiting))
        else:
            self._summary = _("No contract ends or needs notice in the window.")
        self._say(done or self._summary)

    def _fill(self) -> None:
        table = self.query_one("#expiring-table", DataTable)
        table.clear()
        wide = self.wide
        for e in self.rows:
            cells: list[str | Text] = [e.contract, e.customer]
            if wide:
                cells.append(str(e.term))
            cells += [_day(e.deadline), _day(e.end)]
            if wide:
                cells.append(e.at_end_text or e.at_end)
            else:
                english = ACTIONS.get(e.action)
                cells.append(_(english) if english else e.action)
            cells.append(Text(money(e.yearly_value), justify="right"))
            if wide:
                cells.append(e.price_change or "")
            table.add_row(*cells, key=e.contract)

    @on(DataTable.RowHighlighted, "#expiring-table")
    def _highlighted(self) -> None:
        if not self.wide:
            self._say(self._summary)

    def _say(self, text: str) -> None:
        """``text`` on the status line; on a narrow terminal, under it, what happens at the
        end of the contract under the cursor, whole (the table shows it in a word)."""
        row = self.current()
        if row is not None and not self.wide:
            width = max(self.app.size.width - 4, 20)
            detail = f"{row.contract}: {row.at_end_text or row.at_end}"
            if row.price_change:
                detail += " · " + _("price {change}").format(change=row.price_change)
            text = f"{text}\n{cut(detail, width * 2)}" if text else cut(detail, width * 2)
        self.query_one("#expiring-status", Static).update(text)

    def current(self) -> Expiring | None:
        table = self.query_one("#expiring-table", DataTable)
        if not self.rows or table.cursor_row is None or table.cursor_row >= len(self.rows):
            return None
        return self.rows[table.cursor_row]

    def _renew(self, percent: Decimal | None) -> None:
        row = self.current()
        if row is None:
            return
        try:
            done = renew_contract(
                self.app.db,
                row.contract,
                "manual renewal (TUI)",
                percent,
            )
        except UserError as exc:
            self._say(_("Not renewed: {reason}").format(reason=exc))
            return
        self._done = _("Renewed {renewal}.").format(renewal=done.line())
        self.refresh_data()

    def action_renew(self) -> None:
        self._renew(None)

    def action_renew_priced(self) -> None:
        if self.current() is None:
            return
        field = self.query_one("#expiring-price", Input)
        field.add_class("asking")
        field.value = ""
        field.focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        try:
            percent = parse_decimal(
                event.value.strip(), _("price change"), allow_negative=True, places=4
            )
            if not -100 <= percent <= 100:
                raise UserError(_("must be a percentage between -100 and 100"), _("price change"))
        except UserError as exc:
            self._say(str(exc))
            return
        self._close_price()
        self._renew(percent)

    def _close_price(self) -> None:
        field = self.query_one("#expiring-price", Input)
        field.remove_class("asking")
        self.query_one("#expiring-table", DataTable).focus()

    def action_let_end(self) -> None:
        row = self.current()
        if row is None:
            return
        try:
            end = let_end(self.app.db, row.contract, self.app.reference_date)
        except UserError as exc:
            self._say(_("Not changed: {reason}").format(reason=exc))
            return
        self._done = _("{contract} is not renewed: it ends on {date}.").format(
            contract=row.contract, date=_day(end)
        )
        self.refresh_data()

    async def action_back(self) -> None:
        if isinstance(self.focused, Input):
            self._close_price()
        else:
            await self.app.run_action("pop_screen")


__all__ = ["ExpiringScreen"]
