"""The revenue screen: list and enter contracts' revenue figures, look at the index series."""

from __future__ import annotations

from rich.text import Text
from textual import getters, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import DataTable, Footer, Header, Input, Label, Static

from tui_billing.billing.indexes import series_document
from tui_billing.billing.price_history import price_history
from tui_billing.billing.revenue import FigureRow, enter_figure, list_figures
from tui_billing.domain import display
from tui_billing.domain.errors import UserError
from tui_billing.domain.i18n import N_, _, pgettext
from tui_billing.domain.typed_input import parse_amount, parse_day
from tui_billing.tui.app_base import BillingAppBase
from tui_billing.tui.errors import error_text
from tui_billing.tui.screens.base import BillingScreen
from tui_billing.tui.screens.common import DiscardGuard, cut, day, money

FIELDS = (
    ("contract", N_("Contract")),
    ("start", N_("From dd/mm/yyyy")),
    ("end", N_("To dd/mm/yyyy")),
    ("amount", N_("Amount")),
    ("note", N_("Note")),
)


class RevenueScreen(DiscardGuard, BillingScreen):
    """Revenue figures (entered here, or imported with ``revenue import``) and index series."""

    TITLE = N_("Revenue")
    app = getters.app(BillingAppBase)  # self.app: the BillingApp, its state typed

    DEFAULT_CSS = """
    RevenueScreen #revenue-form { height: 3; }
    RevenueScreen #revenue-form Input { width: 1fr; }
    RevenueScreen #revenue-status { height: 1; padding: 0 1; }
    RevenueScreen .section { padding: 0 1; text-style: bold; }
    RevenueScreen DataTable { height: 1fr; }
    RevenueScreen #revenue-history { height: auto; max-height: 12; padding: 0 1; }
    """
    BINDINGS = [
        Binding(
            "n",
            "new_figure",
            N_("New figure"),
            id="revenue.new",
            tooltip=N_("Type a revenue figure: contract, from, to, amount, note"),
        ),
        Binding(
            "escape",
            "back",
            N_("Back"),
            id="revenue.back",
            tooltip=N_(
                "Leave the form for the table (a changed form asks first); from the table, "
                "leave the screen"
            ),
        ),
        Binding(
            "ctrl+s",
            "save",
            N_("Save figure"),
            id="revenue.save",
            tooltip=N_("Record the figure typed in the form (Enter does the same)"),
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.title = _(self.TITLE)

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="revenue-form"):
            for name, placeholder in FIELDS:
                yield Input(placeholder=_(placeholder), id=f"revenue-{name}")
        yield Static(
            _("Enter a figure and press Enter; it bills the waiting periods that need it."),
            id="revenue-status",
        )
        yield Label(_("Revenue figures"), classes="section")
        yield DataTable(id="revenue-figures", cursor_type="row", zebra_stripes=True)
        yield Label(_("Index series"), classes="section")
        yield DataTable(id="revenue-indexes", cursor_type="row", zebra_stripes=True)
        yield Label(_("Price history of the contract typed above"), classes="section")
        yield Static("", id="revenue-history")
        yield Footer()

    def on_mount(self) -> None:
        figures = self.query_one("#revenue-figures", DataTable)
        figures.add_columns(_("Contract"), _("Period"), _("Amount"))
        figures.add_column(_("Note"), key="note", width=self._note_width())
        indexes = self.query_one("#revenue-indexes", DataTable)
        indexes.add_columns(pgettext("index", "Series"), _("Month"), _("Value"), _("Base"))
        self.reload()
        figures.focus()  # not a field: digits typed next still switch screens

    def _note_width(self) -> int:
        """The note takes what the contract, period and amount leave (cut with "…")."""
        return max(10, self.app.size.width - 54)

    def action_new_figure(self) -> None:
        self.query_one("#revenue-contract", Input).focus()

    async def action_back(self) -> None:
        if self.changed():
            self.leave(self._discard)  # asks first
        elif isinstance(self.focused, Input):
            self.query_one("#revenue-figures", DataTable).focus()
        else:
            await self.app.run_action("pop_screen")

    def _discard(self) -> None:
        """Empty the form (its changes are given up) and go back to the table."""
        for name, _label in FIELDS:
            self.query_one(f"#revenue-{name}", Input).value = ""
        self.remember_values()
        self.query_one("#revenue-figures", DataTable).focus()

    def reload(self) -> None:
        """Show what the database holds now."""
        self.refresh_data()

    def fetch(self, arguments: None) -> tuple[list[FigureRow], list[dict]]:
        return list_figures(), series_document()

    def show(self, data: tuple[list[FigureRow], list[dict]]) -> None:
        rows, documents = data
        figures = self.query_one("#revenue-figures", DataTable)
        figures.clear()
        for row in rows:
            figures.add_row(
                row.contract,
                f"{day(row.period_start)}-{day(row.period_end)}",
                money(row.amount),
                cut(row.note or "", self._note_width()),
            )
        indexes = self.query_one("#revenue-indexes", DataTable)
        indexes.clear()
        for series in documents:
            for value in series["values"]:
                indexes.add_row(
                    series["series"],
                    value["month"],
                    display.index_value(value["value"]),
                    f"{value['base']}=100",
                )
            for link in series["links"]:
                indexes.add_row(
                    series["series"],
                    _("link"),
                    f"x {display.number(link['coefficient'])}",
                    f"{link['new_base']} -> {link['old_base']}",
                )

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "revenue-contract":
            self.show_history(event.value.strip())

    def show_history(self, code: str) -> None:
        """How the prices of the contract's indexed and stepped lines came about (read in
        a thread; shown when the field still holds ``code``)."""
        self._history_in_worker(code)

    @work(thread=True, exclusive=True, exit_on_error=False, group="revenue-history")
    def _history_in_worker(self, code: str) -> None:
        db = self.app.db
        try:
            lines = price_history(code, self.app.today) if code else []
        except UserError:
            lines = []
        except Exception as exc:  # shown as a message
            self.app.call_from_thread(self.show_error, error_text(exc))
            return
        finally:
            db.close()
        text = []
        for line in lines:
            text.append(
                _("line {position} ({description}): base price {price}").format(
                    position=line.position,
                    description=line.description,
                    price=display.price(line.base_price),
                )
            )
            text += ["  " + step for change in line.changes for step in change.explain()]
        self.app.call_from_thread(self._show_history, code, "\n".join(text) or "-")

    def _show_history(self, code: str, text: str) -> None:
        if self._value("contract") == code:  # not overtaken by what was typed since
            self.query_one("#revenue-history", Static).update(Text(text))

    def _value(self, name: str) -> str:
        return self.query_one(f"#revenue-{name}", Input).value.strip()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def action_save(self) -> None:
        """Record the figure of the form; a bad field is named in the status line."""
        status = self.query_one("#revenue-status", Static)
        try:
            contract = self._value("contract")
            if not contract:
                raise UserError(_("is required"), _("contract"))
            start = parse_day(self._value("start"), _("from"))
            end = parse_day(self._value("end"), _("to"))
            amount = parse_amount(self._value("amount"), _("amount"), allow_negative=True)
            outcome = enter_figure(
                self.app.db,
                contract,
                start,
                end,
                amount,
                self._value("note") or None,
            )
        except UserError as exc:
            status.update(f"[b red]{exc}[/]")
            return
        status.update(f"{contract} {day(start)}-{day(end)}: {money(amount)} ({outcome})")
        for name in ("start", "end", "amount", "note"):
            self.query_one(f"#revenue-{name}", Input).value = ""
        self.remember_values()  # saved: nothing left to discard
        self.reload()
