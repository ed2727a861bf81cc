"""The contracts screen: every contract, searched (``/``), filtered by status, customer
and frequency, sorted; create, edit, activate, suspend and close; open one's detail or plan."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Header, Input, Label, Select, Static

from tui_billing.billing.contract_views import ContractRow, list_contracts
from tui_billing.domain import display
from tui_billing.domain.i18n import N_, _, ngettext, pgettext
from tui_billing.domain.vocabulary import CONTRACT_STATUSES
from tui_billing.domain.words import word
from tui_billing.tui.contract_list import SORT_KEYS, ContractListView, frequency_word
from tui_billing.tui.screens.base import BillingScreen
from tui_billing.tui.screens.common import day, open_screen
from tui_billing.tui.screens.contract_detail import ContractDetailScreen
from tui_billing.tui.screens.contract_status import change_status, status_actions
from tui_billing.tui.widgets.form_fields import FORM_CSS, FieldRow, FormMixin, text_input
from tui_billing.tui.widgets.record_table import Column, RecordTable

# (key, label, width or None for the flexible customer column, shown from this width)
_COLUMNS = (
    ("code", N_("Code"), 9, 0),
    ("customer", N_("Customer"), None, 0),
    ("status", N_("Status"), 9, 0),
    ("frequency", N_("Frequency"), 13, 0),
    ("start", N_("Start"), 10, 0),
    ("end", N_("End"), 10, 0),
    ("lines", N_("Lines"), 5, 110),
    ("description", N_("Description"), None, 110),
)
_CUSTOMER_MIN = 12


def _column(title: str) -> str:
    """A column title in the language in use: its ``column`` form where it has one (``End``
    is also a key of Textual's fields), else its usual one."""
    short = pgettext("column", title)
    return short if short != title else _(title)


class FilterScreen(FormMixin, ModalScreen[ContractListView]):
    """The list's filters: status, customer, frequency (empty = any)."""

    DEFAULT_CSS = (
        FORM_CSS
        + """
    FilterScreen { align: center middle; }
    FilterScreen > Vertical {
        width: 64; height: auto; max-width: 100%; border: thick $accent;
        background: $surface; padding: 0 1;
    }
    FilterScreen .keys { color: $text-muted; margin-top: 1; }
    """
    )
    BINDINGS = [
        Binding(
            "ctrl+s",
            "apply",
            N_("Apply"),
            id="contract_filter.apply",
            priority=True,
            tooltip=N_("Show the contracts that match these filters (enter in a field too)"),
        ),
        Binding(
            "escape",
            "cancel",
            N_("Cancel"),
            id="contract_filter.cancel",
            tooltip=N_("Leave the filters as they were"),
        ),
        Binding(
            "ctrl+d",
            "clear",
            N_("Clear"),
            id="contract_filter.clear",
            tooltip=N_("Empty every filter"),
        ),
    ]

    def __init__(
        self, view: ContractListView, customers: list[str], frequencies: list[str]
    ) -> None:
        super().__init__()
        self.view = view
        self.customers = customers
        self.frequencies = frequencies

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(_("Filter contracts"))
            yield FieldRow(
                "status",
                _("Status"),
                Select(
                    [(word("status", s), s) for s in CONTRACT_STATUSES],
                    value=self.view.status or Select.NULL,
                    prompt=_("any"),
                    compact=True,
                ),
            )
            yield FieldRow(
                "customer",
                _("Customer"),
                text_input(
                    self.view.customer, placeholder=_("code or name"), suggestions=self.customers
                ),
            )
            yield FieldRow(
                "frequency",
                _("Frequency"),
                Select(
                    [(frequency_word(f), f) for f in self.frequencies],
                    value=self.view.frequency or Select.NULL,
                    prompt=_("any"),
                    compact=True,
                ),
            )
            yield Label(_("ctrl+s apply · esc cancel · ctrl+d clear"), classes="keys")

    def on_mount(self) -> None:
        self.query_one("#row-status", FieldRow).widget.focus()

    def on_input_submitted(self) -> None:
        self.action_apply()

    def action_apply(self) -> None:
        values = self.values()
        self.dismiss(
            ContractListView(
                self.view.search,
                values["status"] or "",
                values["customer"] or "",
                values["frequency"] or "",
                self.view.sort,
                self.view.descending,
            )
        )

    def action_clear(self) -> None:
        self.dismiss(ContractListView(sort=self.view.sort, descending=self.view.descending))

    def action_cancel(self) -> None:
        self.dismiss(self.view)


class ContractsScreen(BillingScreen):
    """Every contract in a table; keys act on the one under the cursor."""

    DEFAULT_CSS = """
    ContractsScreen #contracts-summary { height: 1; padding: 0 1; background: $panel; }
    ContractsScreen #contracts { height: 1fr; }
    ContractsScreen #search { dock: bottom; display: none; }
    ContractsScreen #search.-shown { display: block; }
    ContractsScreen #empty { padding: 1 2; color: $text-muted; display: none; }
    """
    BINDINGS = [
        Binding(
            "slash",
            "search",
            N_("Search"),
            id="contracts.search",
            tooltip=N_("Search code, customer and description as you type"),
        ),
        Binding(
            "f",
            "filter",
            N_("Filter"),
            id="contracts.filter",
            tooltip=N_("Filter by status, customer and frequency"),
        ),
        Binding(
            "o",
            "sort",
            N_("Sort"),
            show=False,
            id="contracts.sort",
            tooltip=N_("Sort by the next column (code, customer, status, frequency, dates)"),
        ),
        Binding(
            "O",
            "reverse",
            N_("Reverse"),
            show=False,
            id="contracts.reverse",
            tooltip=N_("Reverse the sort order"),
        ),
        Binding(
            "enter",
            "open",
            N_("Open"),
            id="contracts.open",
            tooltip=N_("Open the contract: its lines, settings and billing dates"),
        ),
        Binding(
            "n", "new", N_("New"), id="contracts.new", tooltip=N_("Create a contract (as draft)")
        ),
        Binding(
            "e",
            "edit",
            N_("Edit"),
            id="contracts.edit",
            tooltip=N_("Edit the contract's customer, dates and billing settings"),
        ),
        Binding(
            "p",
            "plan",
            N_("Plan"),
            show=False,
            id="contracts.plan",
            tooltip=N_("The installment plan (ricorrenza fatturazione) of the contract"),
        ),
        *status_actions("contracts", all_shown=False),
        Binding(
            "escape",
            "clear",
            N_("Clear"),
            show=False,
            id="contracts.clear",
            tooltip=N_("Clear the search and the filters"),
        ),
        Binding(
            "r",
            "reload",
            N_("Reload"),
            show=False,
            id="contracts.reload",
            tooltip=N_("Read the contracts again from the database"),
        ),
        Binding(
            "w",
            "expiring",
            N_("Expiring"),
            show=False,
            id="contracts.expiring",
            tooltip=N_(
                "Contracts near their notice deadline or end, and manual renewals "
                "waiting for a decision"
            ),
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[ContractRow] = []
        self.shown: list[ContractRow] = []
        self.view = ContractListView()
        self._layout_width = 0
        self._keep: int | None = None  # the contract the next read puts the cursor on

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="contracts-summary")
        yield RecordTable(id="contracts")
        yield Static(_("No contracts. Press n to create one."), id="empty")
        yield Input(
            placeholder=_("search: code, customer, description (enter keeps, esc clears)"),
            id="search",
        )
        yield Footer()

    def on_mount(self) -> None:
        self.title = _("Contracts")
        self.reload()
        self.query_one("#contracts", RecordTable).focus()

    # -- data ------------------------------------------------------------------------

    def reload(self, keep: int | None = None) -> None:
        """Read the contracts again; the cursor stays on ``keep`` (default: its row)."""
        self._keep = keep
        self.refresh_data()

    def load_arguments(self) -> int | None:
        keep, self._keep = self._keep, None
        return keep if keep is not None else self.current_id()

    def fetch(self, arguments: int | None) -> tuple[list[ContractRow], int | None]:
        return list_contracts(), arguments

    def show(self, data: tuple[list[ContractRow], int | None]) -> None:
        self.rows, current = data
        self.refill(current)

    def current_id(self) -> int | None:
        table = self.query_one("#contracts", RecordTable)
        if not self.shown:
            return None
        return self.shown[min(table.cursor_row, len(self.shown) - 1)].id

    def current(self) -> ContractRow | None:
        cid = self.current_id()
        return next((r for r in self.shown if r.id == cid), None)

    def _widths(self, width: int) -> list[tuple[str, str, int]]:
        frequency = self._frequency_width()
        columns = [
            (key, label, frequency if key == "frequency" else size, shown)
            for key, label, size, shown in _COLUMNS
            if width >= shown
        ]
        fixed = sum(c[2] or 0 for c in columns) + len(columns) + 2
        flexible = max(_CUSTOMER_MIN, width - fixed)
        flex = [c[0] for c in columns if c[2] is None]
        # The customer takes the room alone, or 55% of it beside the description.
        share = {"customer": flexible if len(flex) == 1 else flexible * 55 // 100}
        share["description"] = max(_CUSTOMER_MIN, flexible - share["customer"])
        return [(key, _column(label), size or share[key]) for key, label, size, _shown in columns]

    def _frequency_width(self) -> int:
        """Room for the longest frequency as read in the language in use (quadrimestrale)."""
        words = [len(frequency_word(f)) for f in {r.frequency for r in self.rows if r.frequency}]
        return max([13, *words])

    def refill(self, keep: int | None = None) -> None:
        table = self.query_one("#contracts", RecordTable)
        width = self.size.width or 80
        self._layout_width = width
        self.shown = self.view.apply(self.rows)
        columns = []
        for key, label, size in self._widths(width):
            if key == self.view.sort:
                label += " ↓" if self.view.descending else " ↑"
            columns.append(Column(key, label, size, key == "lines"))
        cells = {
            "code": lambda r: r.code,
            "customer": (lambda r: f"{r.customer} {r.customer_name}".strip())
            if width >= 110
            else (lambda r: r.customer_name or r.customer),
            "status": lambda r: word("status", r.status),
            "frequency": lambda r: frequency_word(r.frequency),
            "start": lambda r: day(r.start_date),
            "end": lambda r: day(r.end_date),
            "lines": lambda r: str(r.lines),
            "description": lambda r: r.description,
        }
        getters = [cells[c.key] for c in columns]
        cursor = next((i for i, row in enumerate(self.shown) if row.id == keep), 0)
        table.set_data(columns, [[get(row) for get in getters] for row in self.shown], cursor)
        self.query_one("#empty").display = not self.rows
        summary = ngettext(
            "{shown} of {total} contract · {view}",
            "{shown} of {total} contracts · {view}",
            len(self.rows),
        ).format(
            shown=display.number(len(self.shown)),
            total=display.number(len(self.rows)),
            view=self.view.describe(),
        )
        self.query_one("#contracts-summary", Static).update(summary)

    def on_resize(self) -> None:
        if self.size.width and abs(self.size.width - self._layout_width) >= 1 and self.rows:
            self.refill(self.current_id())

    # -- search, filter, sort ----------------------------------------------------------

    def action_search(self) -> None:
        search = self.query_one("#search", Input)
        search.add_class("-shown")
        search.focus()

    @on(Input.Changed, "#search")
    def _search_changed(self, event: Input.Changed) -> None:
        self.view = ContractListView(
            event.value.strip(),
            self.view.status,
            self.view.customer,
            self.view.frequency,
            self.view.sort,
            self.view.descending,
        )
        self.refill(self.current_id())

    @on(Input.Submitted, "#search")
    def _search_done(self) -> None:
        search = self.query_one("#search", Input)
        if not search.value:
            search.remove_class("-shown")
        self.query_one("#contracts", RecordTable).focus()

    def action_clear(self) -> None:
        search = self.query_one("#search", Input)
        with search.prevent(Input.Changed):
            search.value = ""
        search.remove_class("-shown")
        self.view = ContractListView(sort=self.view.sort, descending=self.view.descending)
        self.refill(self.current_id())
        self.query_one("#contracts", RecordTable).focus()

    def action_filter(self) -> None:
        customers = sorted({r.customer for r in self.rows if r.customer})
        frequencies = sorted({r.frequency for r in self.rows if r.frequency})

        def done(view: ContractListView | None) -> None:
            if view is not None:
                self.view = view
                self.refill(self.current_id())

        self.app.push_screen(FilterScreen(self.view, customers, frequencies), done)

    def action_sort(self) -> None:
        self.view = self.view.next_sort()
        self.refill(self.current_id())

    def action_reverse(self) -> None:
        self.view = ContractListView(
            self.view.search,
            self.view.status,
            self.view.customer,
            self.view.frequency,
            self.view.sort,
            not self.view.descending,
        )
        self.refill(self.current_id())

    @on(RecordTable.HeaderSelected)
    def _header(self, event: RecordTable.HeaderSelected) -> None:
        key = event.key
        if key in SORT_KEYS:
            descending = not self.view.descending if key == self.view.sort else False
            self.view = ContractListView(
                self.view.search,
                self.view.status,
                self.view.customer,
                self.view.frequency,
                key,
                descending,
            )
            self.refill(self.current_id())

    # -- acting on a contract ------------------------------------------------------------

    @on(RecordTable.RowSelected)
    def _row_selected(self) -> None:
        self.action_open()

    def action_open(self) -> None:
        row = self.current()
        if row is not None:
            self.app.push_screen(ContractDetailScreen(row.id), lambda _result: self.reload(row.id))

    def action_new(self) -> None:
        from tui_billing.tui.screens.contract_form import ContractFormScreen

        def created(contract_id: int | None) -> None:
            if contract_id is not None:
                self.reload(contract_id)
                self.app.push_screen(
                    ContractDetailScreen(contract_id), lambda _result: self.reload(contract_id)
                )

        self.app.push_screen(ContractFormScreen(), created)

    def action_edit(self) -> None:
        from tui_billing.tui.screens.contract_form import ContractFormScreen

        row = self.current()
        if row is not None:
            open_screen(
                self, lambda: ContractFormScreen(row.id), lambda _result: self.reload(row.id)
            )

    def action_plan(self) -> None:
        from tui_billing.tui.screens.plan import PlanScreen

        row = self.current()
        if row is not None:
            open_screen(self, lambda: PlanScreen(row.id), lambda _result: self.reload(row.id))

    def action_set_status(self, status: str) -> None:
        row = self.current()
        if row is not None:
            change_status(self, row.id, row.code, status, lambda: self.reload(row.id))

    def action_reload(self) -> None:
        self.reload()

    def action_expiring(self) -> None:
        from tui_billing.tui.screens.expiring import ExpiringScreen

        self.app.push_screen(ExpiringScreen(), lambda _result: self.reload())


__all__ = ["ContractsScreen", "FilterScreen"]
