"""One contract: its settings, how it is paid, why it will not bill (when it will not), and
its lines with their previous and next billing dates; lines are added, edited and removed
here."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Footer, Header, Static

from tui_billing.billing.contract_editing import remove_line
from tui_billing.billing.contract_views import ContractDetail, LineView, contract_detail
from tui_billing.billing.party_views import contract_party_text
from tui_billing.domain import display
from tui_billing.domain.i18n import N_, _
from tui_billing.domain.words import word
from tui_billing.tui.contract_list import frequency_word
from tui_billing.tui.screens.base import BillingScreen
from tui_billing.tui.screens.common import ConfirmScreen, attempt, day, open_screen, price
from tui_billing.tui.screens.contract_status import change_status, status_actions
from tui_billing.tui.screens.contract_summary import payment_text, settings_text
from tui_billing.tui.widgets.record_table import Column, RecordTable

# (key, label, width or None for the flexible description, shown from this screen width)
_COLUMNS = (
    ("description", N_("Description"), None, 0),
    ("quantity", N_("Qty"), 5, 0),
    ("price", N_("Price"), 9, 0),
    ("per", N_("Per"), 9, 0),
    ("vat", N_("VAT"), 5, 0),
    ("from", N_("From"), 10, 110),
    ("to", N_("To"), 10, 110),
    ("previous", N_("Previous"), 10, 0),
    ("next", N_("Next"), 10, 0),
)
_PER_MAX = 14  # the longest price period shown whole (quadrimestrale)
_DESCRIPTION_MIN = 14
_RIGHT = {"quantity", "price", "vat"}


class ContractDetailScreen(BillingScreen):
    """A contract and its lines; keys act on the line under the cursor."""

    TITLE = N_("Contract")

    DEFAULT_CSS = """
    ContractDetailScreen #detail-title { height: 1; padding: 0 1; background: $panel;
        text-style: bold; }
    ContractDetailScreen #detail-settings { height: auto; padding: 0 1; color: $text-muted; }
    ContractDetailScreen #detail-payment { height: auto; padding: 0 1; color: $text-muted; }
    ContractDetailScreen #detail-party { height: auto; padding: 0 1; color: $text-muted; }
    ContractDetailScreen #detail-reasons { height: auto; padding: 0 1; color: $text-warning;
        display: none; }
    ContractDetailScreen #detail-reasons.-shown { display: block; }
    ContractDetailScreen #lines { height: 1fr; }
    ContractDetailScreen #no-lines { padding: 1 2; color: $text-muted; display: none; }
    """
    BINDINGS = [
        Binding(
            "n",
            "add_line",
            N_("Add line"),
            id="contract_detail.add_line",
            tooltip=N_("Add a line to the contract"),
        ),
        Binding(
            "enter,e",
            "edit_line",
            N_("Edit line"),
            show=False,  # enter on a line, as on every list: room for Close and ? in the footer
            id="contract_detail.edit_line",
            tooltip=N_("Edit the line under the cursor"),
        ),
        Binding(
            "d,delete",
            "remove_line",
            N_("Remove"),
            id="contract_detail.remove_line",
            tooltip=N_("Remove the line under the cursor (asks first)"),
        ),
        Binding(
            "b",
            "settings",
            N_("Settings"),
            id="contract_detail.settings",
            tooltip=N_("Edit the customer, dates and billing settings"),
        ),
        Binding(
            "p",
            "plan",
            N_("Plan"),
            id="contract_detail.plan",
            tooltip=N_("The installment plan and schedule (ricorrenza fatturazione)"),
        ),
        *status_actions("contract_detail", all_shown=False),
        Binding(
            "escape",
            "back",
            N_("Back"),
            show=False,  # esc, as everywhere: the footer keeps room for the line keys
            id="contract_detail.back",
            tooltip=N_("Back to the contracts"),
        ),
    ]

    def __init__(self, contract_id: int) -> None:
        super().__init__()
        self.title = _(self.TITLE)
        self.contract_id = contract_id
        self.detail: ContractDetail | None = None
        self._layout_width = 0
        self._keep: int | None = None  # the line the next read puts the cursor on

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="detail-title")
        yield Static("", id="detail-settings")
        yield Static("", id="detail-payment")
        yield Static("", id="detail-party")  # the customer's fiscal data, CIG/CUP
        yield Static("", id="detail-reasons")
        yield Static(_("No lines yet: press n to add one."), id="no-lines")
        yield RecordTable(id="lines")
        yield Footer()

    def on_mount(self) -> None:
        self.reload()
        self.query_one("#lines", RecordTable).focus()

    def reload(self, keep: int | None = None) -> None:
        """Read the contract again; the cursor stays on line ``keep`` (default: its line)."""
        self._keep = keep
        self.refresh_data()

    def load_arguments(self) -> int | None:
        keep, self._keep = self._keep, None
        return keep if keep is not None else self.current_line_id()

    def fetch(self, arguments: int | None) -> tuple[ContractDetail, str, int | None]:
        return (
            contract_detail(self.contract_id),
            contract_party_text(self.contract_id),
            arguments,
        )

    def show(self, data: tuple[ContractDetail, str, int | None]) -> None:
        detail, party, current = data
        self.detail = detail
        self.title = _("Contract {code}").format(code=detail.code)
        customer = f"{detail.customer} {detail.customer_name}".strip() or _("no customer")
        title = f"{detail.code} · {customer} · {word('status', detail.status)}"
        if detail.description:
            title += f" · {detail.description}"
        self.query_one("#detail-title", Static).update(title)
        self.query_one("#detail-settings", Static).update(settings_text(detail))
        self.query_one("#detail-party", Static).update(party)
        reasons = self.query_one("#detail-reasons", Static)
        shown = (
            [_("Will not bill: {reasons}").format(reasons="; ".join(detail.not_billing))]
            if detail.not_billing
            else []
        ) + [_("Will be {reason}").format(reason=reason) for reason in detail.not_collecting]
        reasons.update("\n".join(shown))
        reasons.set_class(bool(shown), "-shown")
        self.refill(current)

    def current_line_id(self) -> int | None:
        table = self.query_one("#lines", RecordTable)
        if self.detail is None or not self.detail.lines or table.row_count == 0:
            return None
        return self.detail.lines[min(table.cursor_row, len(self.detail.lines) - 1)].id

    def refill(self, keep: int | None = None) -> None:
        assert self.detail is not None
        width = self.size.width or 80
        self._layout_width = width
        self.query_one("#detail-payment", Static).update(
            payment_text(self.detail.payment, width - 2)
        )
        pers = {line.id: self._per(line) for line in self.detail.lines}
        per_width = min(_PER_MAX, max([9, *map(len, pers.values())]))
        shown = [
            (key, label, per_width if key == "per" else size, _at)
            for key, label, size, _at in _COLUMNS
            if width >= _at
        ]
        fixed = sum(c[2] or 0 for c in shown) + len(shown) + 2
        columns = [
            Column(key, _(label), size or max(_DESCRIPTION_MIN, width - fixed), key in _RIGHT)
            for key, label, size, _at in shown
        ]
        rows = []
        for line in self.detail.lines:
            description = (
                line.description
                if line.recurring
                else _("once · {description}").format(description=line.description)
            )
            cells = {
                "description": description,
                "quantity": display.quantity(line.quantity),
                "price": price(line.unit_price),
                "per": pers[line.id],
                "vat": display.rate(line.vat_rate),
                "from": day(line.valid_from),
                "to": day(line.valid_to),
                "previous": day(line.dates.previous) or "—",
                "next": day(line.dates.next) or "—",
            }
            rows.append([cells[c.key] for c in columns])
        ids = [line.id for line in self.detail.lines]
        cursor = ids.index(keep) if keep in ids else None
        self.query_one("#lines", RecordTable).set_data(columns, rows, cursor)
        self.query_one("#no-lines").display = not self.detail.lines

    @staticmethod
    def _per(line: LineView) -> str:
        """The period a line's price refers to, as the operator reads it."""
        if line.price_period:
            return frequency_word(line.price_period)
        return _("period") if line.recurring else _("once")

    def on_resize(self) -> None:
        if self.detail is not None and self.size.width != self._layout_width:
            self.refill(self.current_line_id())

    @on(RecordTable.RowSelected)
    def _row_selected(self) -> None:
        self.action_edit_line()

    def action_add_line(self) -> None:
        from tui_billing.tui.screens.contract_form import LineFormScreen

        open_screen(self, lambda: LineFormScreen(self.contract_id), self._saved)

    def action_edit_line(self) -> None:
        from tui_billing.tui.screens.contract_form import LineFormScreen

        line_id = self.current_line_id()
        if line_id is not None:
            open_screen(self, lambda: LineFormScreen(self.contract_id, line_id), self._saved)

    def _saved(self, line_id: int | None) -> None:
        if line_id is not None:
            self.notify(_("line saved"))
        self.reload(line_id)

    def action_remove_line(self) -> None:
        line_id = self.current_line_id()
        if line_id is None or self.detail is None:
            return
        line = next(li for li in self.detail.lines if li.id == line_id)
        db = self.app.db

        def remove() -> bool:
            remove_line(db, self.contract_id, line_id)
            return True

        def answer(yes: bool | None) -> None:
            if yes and attempt(self, remove):
                self.notify(_("line removed"))
                self.reload()

        self.app.push_screen(
            ConfirmScreen(
                _("Remove the line '{description}'? What it has invoiced stays invoiced.").format(
                    description=line.description
                )
            ),
            answer,
        )

    def action_settings(self) -> None:
        from tui_billing.tui.screens.contract_form import ContractFormScreen

        open_screen(
            self, lambda: ContractFormScreen(self.contract_id), lambda _result: self.reload()
        )

    def action_plan(self) -> None:
        from tui_billing.tui.screens.plan import PlanScreen

        open_screen(self, lambda: PlanScreen(self.contract_id), lambda _result: self.reload())

    def action_set_status(self, status: str) -> None:
        if self.detail is not None:
            change_status(self, self.contract_id, self.detail.code, status, self.reload)

    def action_back(self) -> None:
        self.dismiss(None)


__all__ = ["ContractDetailScreen"]
