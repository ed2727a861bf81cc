"""The due-installments screen: what to invoice as of a reference date, selected from the
keyboard and billed in one go. The first rows paint as soon as the database streams them;
the rest fill in behind, and the schedule is brought up to date in the background."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widgets import Input, Label

from tui_billing.billing.due import DueInstallment, installment_lines, iter_due
from tui_billing.billing.materialize import materialize, stale_contracts
from tui_billing.domain import display
from tui_billing.domain.errors import UserError
from tui_billing.domain.i18n import N_, _, ngettext
from tui_billing.domain.revenue_wait import waiting_text
from tui_billing.domain.run_bounds import check_reach
from tui_billing.tui.forms import format_form_date, parse_form_date
from tui_billing.tui.screens.base import BillingScreen
from tui_billing.tui.screens.common import money
from tui_billing.tui.selection import DueRow, FieldFilters
from tui_billing.tui.widgets.due_table import DueTable
from tui_billing.tui.widgets.status_line import StatusLine

FIRST_PAGE = 200  # rows sent to the screen before the rest are read
FIRST_PAINT_WAIT = 1.0  # seconds the reader waits for the first page to be painted
MATERIALIZE_FIRST = 2000  # stale contracts scheduled before listing; more: after the first paint


def due_row(item: DueInstallment, today: dt.date) -> DueRow:
    """The table's row for a due installment (``upcoming`` when it falls after today)."""
    return DueRow(
        id=item.id,
        customer=item.customer_name,
        contract=item.contract or item.order or "",
        series=item.series,
        period_start=item.period_start,
        period_end=item.period_end,
        invoice_date=item.invoice_date,
        amount=item.amount,
        status=(
            "waiting"
            if item.status == "waiting"
            else "due"
            if item.invoice_date <= today
            else "upcoming"
        ),
        customer_code=item.customer,
    )


@dataclass
class DuePage:
    """Rows read for one load: the first page, or all of them (``complete``)."""

    rows: list[DueRow]
    complete: bool
    painted: threading.Event | None = None  # set once the rows are on the screen
    waits: dict[int, str] = field(default_factory=dict)  # waiting row id: what it waits for


@dataclass
class DueNote:
    """Something to say about a load: progress, or contracts that could not be scheduled;
    ``done`` ends the load."""

    text: str
    warning: bool = False
    done: bool = False


class DueScreen(BillingScreen):
    """Due installments as of the reference date, with a selection to invoice."""

    TITLE = N_("Due installments")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "slash",
            "filter",
            N_("Filter"),
            id="due.filter",
            tooltip=N_("Filter the rows by a text or regular expression"),
        ),
        Binding(
            "vertical_line",
            "select_matching",
            N_("Match"),
            key_display="|",
            show=False,
            id="due.select_matching",
            tooltip=N_("Select the visible rows matching a text or regular expression"),
        ),
        Binding(
            "c",
            "create",
            N_("Create"),
            id="due.create",
            tooltip=N_("Create the invoices of the selected installments"),
        ),
        Binding(
            "d",
            "edit_date",
            N_("Date"),
            show=False,
            id="due.date",
            tooltip=N_("Change the reference date (a future date previews what comes due)"),
        ),
        Binding(
            "f",
            "edit_fields",
            N_("Fields"),
            show=False,
            id="due.fields",
            tooltip=N_("Filter by customer, contract and series"),
        ),
        Binding(
            "ctrl+r",
            "reload",
            N_("Reload"),
            show=False,
            id="due.reload",
            tooltip=N_("Read the due installments again"),
        ),
        Binding(
            "escape",
            "back",
            N_("Back"),
            show=False,
            id="due.back",
            tooltip=N_("Leave the field or prompt; clear the filter"),
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.title = _(self.TITLE)
        self._on: dt.date | None = None  # the date of the next read (None: the app's)
        self._loading = False
        self._note = ""
        self._waiting = 0  # rows held back for a revenue figure: listed, not due
        self._waits: dict[int, str] = {}  # waiting row id: the revenue figure it waits for
        self._carry: set[int] = set()
        self._page_ids: set[int] = set()
        self._prompt_mode: str | None = None  # "filter" or "match"
        self._filter_before = ""

    # --- layout -------------------------------------------------------------------

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="due-bar", classes="bar"):
            yield Label(_("Date"), classes="bar-label")
            yield Input(
                format_form_date(self.app.reference_date),
                id="due-date",
                compact=True,
                tooltip=_("Reference date, dd/mm/yyyy; enter to apply"),
            )
            yield Label(_("Customer"), classes="bar-label")
            yield Input(
                id="due-customer",
                compact=True,
                placeholder=_("code or name"),
                tooltip=_("Show the rows of customers whose code or name contains this"),
            )
            yield Label(_("Contract"), classes="bar-label")
            yield Input(
                id="due-contract",
                compact=True,
                placeholder=_("code"),
                tooltip=_("Show the rows of contracts (or orders) whose code contains this"),
            )
            yield Label(_("Series"), classes="bar-label")
            yield Input(
                id="due-series",
                compact=True,
                placeholder=_("any"),
                tooltip=_("Show the rows of this numbering series"),
            )
        yield DueTable(id="due-table")
        with Horizontal(id="due-prompt", classes="bar"):
            yield Label(_("Filter"), id="due-prompt-label", classes="bar-label")
            yield Input(id="due-prompt-input", compact=True)
        yield StatusLine(id="due-status")

    @property
    def table(self) -> DueTable:
        return self.query_one(DueTable)

    def on_mount(self) -> None:
        self.query_one("#due-prompt").display = False
        self.set_focus(self.table)
        self.load()

    # --- loading ------------------------------------------------------------------

    def load(self, on: dt.date | None = None) -> None:
        """Read what is due on ``on`` (default: the app's reference date) again, keeping
        the selection of the rows still due."""
        self._on = on
        self.refresh_data()

    def load_arguments(self) -> tuple[dt.date, dt.date]:
        on, self._on = self._on or self.app.reference_date, None
        return on, self.app.today

    def loading_started(self) -> None:
        self._loading = True
        self._note = _("reading…")
        self._carry = set(self.table.model.selected_ids) | self._carry
        self._page_ids = set()
        self._update_status()

    def fetch(self, arguments: tuple[dt.date, dt.date]) -> DueNote:
        on, today = arguments
        db = self.app.db
        stale = len(stale_contracts(on))
        later = stale > MATERIALIZE_FIRST
        if stale and not later:
            self._report_failures(materialize(db, on).failed)
        if self.read_cancelled():
            return DueNote("", done=True)
        rows = self._read(on, today, first_page=True)
        if rows is None:
            return DueNote("", done=True)
        self.publish(DuePage(rows, complete=True, waits=self._waits_of(rows)))
        if later:
            self.publish(
                DueNote(
                    ngettext(
                        "scheduling {count} contract…", "scheduling {count} contracts…", stale
                    ).format(count=display.number(stale))
                )
            )
            result = materialize(db, on)
            self._report_failures(result.failed)
            if result.created or result.updated or result.deleted:
                rows = self._read(on, today, first_page=False)
                if rows is None:
                    return DueNote("", done=True)
                self.publish(DuePage(rows, complete=True, waits=self._waits_of(rows)))
        return DueNote("", done=True)

    def _read(self, on: dt.date, today: dt.date, *, first_page: bool) -> list[DueRow] | None:
        rows: list[DueRow] = []
        held: list[DueRow] = []  # waiting rows go last, out of the way of the due ones
        append = rows.append
        for item in iter_due(self.app.db, on, waiting=True):
            if item.status == "waiting":
                held.append(due_row(item, today))
                continue
            append(due_row(item, today))
            if first_page and len(rows) == FIRST_PAGE:
                painted = threading.Event()
                self.publish(DuePage(list(rows), complete=False, painted=painted))
                # Let the screen paint the first page before this thread takes the
                # interpreter back to read the rest.
                painted.wait(FIRST_PAINT_WAIT)
                first_page = False
            if self.read_cancelled():
                return None
        rows.extend(held)
        return rows

    def _waits_of(self, rows: list[DueRow]) -> dict[int, str]:
        """Worker thread: what each waiting row waits for, read from its lines."""
        return {
            row.id: waiting_text(installment_lines(row.id), row.contract)
            for row in rows
            if row.status == "waiting"  # a few: held back for a revenue figure
        }

    def _report_failures(self, failed: list[tuple[str, str]]) -> None:
        if failed:
            names = ", ".join(code for code, _reason in failed[:5])
            if len(failed) > 5:
                names = _("{names} and {more} more").format(
                    names=names, more=display.number(len(failed) - 5)
                )
            text = ngettext(
                "{count} contract could not be scheduled: {names}",
                "{count} contracts could not be scheduled: {names}",
                len(failed),
            ).format(count=display.number(len(failed)), names=names)
            self.publish(DueNote(text, warning=True))

    def show(self, data: DuePage | DueNote) -> None:
        if isinstance(data, DuePage):
            self._show_page(data)
        else:
            self._show_note(data)

    def show_error(self, text: str) -> None:
        self._show_note(DueNote(text, warning=True, done=True))

    def _show_page(self, page: DuePage) -> None:
        table = self.table
        selected = table.model.selected_ids
        carry = (self._carry - self._page_ids) | selected
        table.set_rows(page.rows, keep_selection=False, also_select=carry)
        self._waiting = sum(1 for row in page.rows if row.status == "waiting")
        if page.complete:
            self._waits = page.waits
            self._carry = set()
            self._page_ids = set()
            if self._note == _("reading…"):
                self._note = ""
        else:
            self._carry = carry
            self._page_ids = {row.id for row in page.rows}
            self._note = _("reading…")
        self._update_status()
        if page.painted is not None:
            self.call_after_refresh(page.painted.set)

    def _show_note(self, note: DueNote) -> None:
        if note.warning:
            self.app.notify(note.text, severity="warning", timeout=10)
        if note.done:
            self._loading = False
            self._note = ""
        elif not note.warning:
            self._note = note.text
        self._update_status()

    # --- status -------------------------------------------------------------------

    @on(DueTable.SelectionChanged)
    @on(DueTable.CursorMoved)
    def _selection_changed(self) -> None:
        self._update_status()

    def _update_status(self) -> None:
        model = self.table.model
        hidden = model.hidden_selected_count
        number = display.number
        selected = _("{count} selected").format(count=number(model.selected_count))
        left = _("{selected} · {total} · {hidden} hidden by the filter").format(
            selected=selected, total=money(model.selected_total), hidden=number(hidden)
        )
        shown = model.visible_count
        total = len(model)
        if shown != total:
            right = _("{shown} of {total} shown").format(shown=number(shown), total=number(total))
        elif self._waiting:
            right = _("{due} due · {waiting} waiting").format(
                due=number(total - self._waiting), waiting=number(self._waiting)
            )
        else:
            right = _("{due} due").format(due=number(total))
        if self._note:
            right = f"{right} · {self._note}"
        row = self.table.cursor_row
        if row is not None and self._waits.get(row.id):
            # The highlighted row waits: say for which figure (short enough for 80 columns).
            left, right = selected, self._waits[row.id]
        status = self.query_one("#due-status", StatusLine)
        status.update(f"{left}  │  {right}")
        status.set_class(hidden > 0, "-hidden-selected")

    # --- date and field filters ---------------------------------------------------

    @on(Input.Submitted, "#due-date")
    def _date_submitted(self, event: Input.Submitted) -> None:
        field = event.input
        try:
            on = check_reach(
                parse_form_date(field.value, _("reference date")),
                self.app.today,
                _("reference date"),
            )
        except UserError as exc:
            field.add_class("-refused")
            self.app.notify(str(exc), severity="error")
            return
        field.remove_class("-refused")
        field.value = format_form_date(on)
        self.set_focus(self.table)
        if on != self.app.reference_date:
            self.app.reference_date = on
            self.load(on)

    @on(Input.Changed, "#due-customer, #due-contract, #due-series")
    def _fields_changed(self) -> None:
        self.table.apply_filter(self.table.model.filter_text, fields=self._fields())
        self._update_status()

    @on(Input.Submitted, "#due-customer, #due-contract, #due-series")
    def _fields_submitted(self) -> None:
        self.set_focus(self.table)

    def _fields(self) -> FieldFilters:
        return FieldFilters(
            customer=self.query_one("#due-customer", Input).value.strip(),
            contract=self.query_one("#due-contract", Input).value.strip(),
            series=self.query_one("#due-series", Input).value.strip(),
        )

    def set_reference_date(self, on: dt.date) -> None:
        """Move the reference date (as typing it in the date field does)."""
        self.query_one("#due-date", Input).value = format_form_date(on)
        self.app.reference_date = on
        self.load(on)

    # --- prompt: / filter and | select matching -----------------------------------

    def _open_prompt(self, mode: str, label: str, value: str) -> None:
        self._prompt_mode = mode
        self.query_one("#due-prompt-label", Label).update(label)
        prompt = self.query_one("#due-prompt")
        prompt.display = True
        field = self.query_one("#due-prompt-input", Input)
        field.value = value
        field.cursor_position = len(value)
        self.set_focus(field)

    def _close_prompt(self) -> None:
        self._prompt_mode = None
        self.query_one("#due-prompt").display = False
        self.set_focus(self.table)

    def action_filter(self) -> None:
        self._filter_before = self.table.model.filter_text
        self._open_prompt("filter", _("Filter /"), self._filter_before)

    def action_select_matching(self) -> None:
        self._open_prompt("match", _("Select |"), "")

    @on(Input.Changed, "#due-prompt-input")
    def _prompt_changed(self, event: Input.Changed) -> None:
        if self._prompt_mode == "filter":
            error = self.table.apply_filter(event.value)
            event.input.set_class(error is not None, "-refused")
            self._update_status()

    @on(Input.Submitted, "#due-prompt-input")
    def _prompt_submitted(self, event: Input.Submitted) -> None:
        mode = self._prompt_mode
        self._close_prompt()
        if mode == "match":
            added, error = self.table.select_matching(event.value)
            if error:
                self.app.notify(
                    _("not a regular expression ({error}): matched as text").format(error=error),
                    severity="warning",
                )
            self.app.notify(
                ngettext("{count} row selected", "{count} rows selected", added).format(
                    count=display.number(added)
                )
            )
        elif mode == "filter" and self.table.model.filter_error:
            self.app.notify(
                _("not a regular expression ({error}): filtered as text").format(
                    error=self.table.model.filter_error
                ),
                severity="warning",
            )

    def action_back(self) -> None:
        focused = self.focused
        if self._prompt_mode is not None:
            if self._prompt_mode == "filter":
                self.table.apply_filter(self._filter_before)
                self._update_status()
            self._close_prompt()
        elif isinstance(focused, Input):
            self.set_focus(self.table)
        elif self.table.model.filter_text:
            self.table.apply_filter("")
            self._update_status()

    def action_edit_date(self) -> None:
        self.set_focus(self.query_one("#due-date", Input))

    def action_edit_fields(self) -> None:
        self.set_focus(self.query_one("#due-customer", Input))

    def action_reload(self) -> None:
        self.load()

    # --- open and create ----------------------------------------------------------

    @on(DueTable.RowActivated)
    def _open_row(self, event: DueTable.RowActivated) -> None:
        from tui_billing.tui.screens.installment import InstallmentScreen

        self.app.push_screen(InstallmentScreen(event.row))

    def action_create(self) -> None:
        from tui_billing.tui.screens.create_invoices import CreateInvoicesDialog

        model = self.table.model
        if not model.selected_count:
            self.app.notify(
                _("Nothing selected: select installments with space first"), severity="warning"
            )
            return
        rows = model.selected_rows()
        ids = [row.id for row in rows if row.status != "waiting"]
        held = len(rows) - len(ids)
        if held:
            self.app.notify(
                ngettext(
                    "{count} selected installment waiting for a revenue figure left out",
                    "{count} selected installments waiting for a revenue figure left out",
                    held,
                ).format(count=display.number(held)),
                severity="warning",
            )
        if not ids:
            return
        total = sum((row.amount for row in rows if row.status != "waiting"), Decimal(0))
        dialog = CreateInvoicesDialog(ids, total, model.hidden_selected_count)
        self.app.push_screen(dialog, self._created)

    def _created(self, result: object) -> None:
        from tui_billing.tui.screens.create_invoices import CreatedInvoicesScreen, Creation

        if not isinstance(result, Creation):
            return
        self.table.remove_rows(result.installment_ids)
        self._update_status()
        self.app.push_screen(CreatedInvoicesScreen(result))

    # --- for tests and benchmarks -------------------------------------------------

    @property
    def loading_done(self) -> bool:
        return not self._loading

    def selected_ids(self) -> Iterable[int]:
        return self.table.model.selected_ids

    def selected_total(self) -> Decimal:
        return self.table.model.selected_total
