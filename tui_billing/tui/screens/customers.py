"""The customers screen: the customers by code, searched by code or name, the archived
ones hidden unless asked for; ``n`` a new customer, ``e``/enter edit, ``a`` archive or
restore and ``d`` delete (each asking first), the highlighted customer's fiscal data and
mandates on the line under the table."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

from peewee import Database
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widgets import Input, Label, Static

from tui_billing.billing.customer_editing import (
    customer_record,
    delete_customer,
    set_archived,
)
from tui_billing.billing.customer_views import (
    CustomerRow,
    MandateRow,
    customer_mandates,
    list_customers,
)
from tui_billing.domain import display
from tui_billing.domain.i18n import N_, _, ngettext
from tui_billing.domain.words import word
from tui_billing.tui.errors import error_text
from tui_billing.tui.screens.base import BillingScreen
from tui_billing.tui.screens.common import ConfirmScreen
from tui_billing.tui.screens.customer_form import CustomerFormScreen
from tui_billing.tui.widgets.record_table import Column, RecordTable


@dataclass(frozen=True)
class Query:
    search: str
    archived: bool


def table_columns(width: int) -> list[Column]:
    """The columns for a terminal ``width`` cells wide: code, name, city, VAT/CF, SdI/PEC
    and state; SdI/PEC gives way first, then the city (the line under the table shows
    both)."""
    room = width - 3  # the table's leading space and scrollbar, and a spare cell
    state = max(8, *(len(text) for text in (_("State"), state_text(True), state_text(False))))
    fixed = [
        Column("code", _("Code"), 8),
        Column("vat", _("VAT / CF"), 16),
        Column("state", _("State"), state),
    ]
    room -= sum(c.width + 1 for c in fixed)
    optional = [Column("city", _("City"), 12), Column("sdi", _("SdI / PEC"), 16)]
    kept: list[Column] = []
    for column in optional:
        if room - (column.width + 1) >= 22:  # the name keeps 22 cells at least
            kept.append(column)
            room -= column.width + 1
    name = Column("name", _("Name"), max(12, room - 1))
    order = ("code", "name", "city", "vat", "sdi", "state")
    found = {c.key: c for c in (*fixed, *kept, name)}
    return [found[key] for key in order if key in found]


def state_text(archived: bool) -> str:
    """A customer's state as the list shows it."""
    return _("archived") if archived else word("status", "active")


def cells(row: CustomerRow) -> dict[str, str]:
    return {
        "code": row.code,
        "name": row.name,
        "city": row.city or "",
        "vat": row.vat_number or row.tax_code or "",
        "sdi": row.sdi_code or row.pec or "",
        "state": state_text(row.archived),
    }


def detail_text(row: CustomerRow) -> str:
    """The line under the table: where the customer is and how it is reached."""
    place = " ".join(p for p in (row.city, f"({row.province})" if row.province else "") if p)
    parts = [f"{row.code}: {place or _('no comune')}"]
    if row.country != "IT":
        parts[0] += f" {row.country}"
    if row.vat_number:
        parts.append(_("VAT {number}").format(number=row.vat_number))
    if row.tax_code and row.tax_code != (row.vat_number or "").removeprefix(row.country):
        parts.append(_("CF {code}").format(code=row.tax_code))
    if row.sdi_code:
        parts.append(f"SdI {row.sdi_code}")
    if row.pec:
        parts.append(f"PEC {row.pec}")
    if row.public_administration:
        parts.append("PA")
    parts.append(word("payment method", row.payment_method))
    return " · ".join(parts)


class CustomersScreen(BillingScreen):
    """Customers: type in the search field to narrow the list (code or name)."""

    TITLE = N_("Customers")
    DEFAULT_CSS = """
    CustomersScreen #customers-search { width: 1fr; }
    CustomersScreen #customers-shown { width: auto; padding: 0 1; color: $text-muted; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "new", N_("New"), id="customers.new", tooltip=N_("Create a new customer")),
        Binding(
            "e",
            "edit",
            N_("Edit"),
            id="customers.edit",
            tooltip=N_("Edit the customer under the cursor (enter does the same)"),
        ),
        Binding(
            "a",
            "archive",
            N_("Archive"),
            id="customers.archive",
            tooltip=N_(
                "Archive the customer under the cursor (hidden, no new contracts or "
                "orders), or restore an archived one; asks first"
            ),
        ),
        Binding(
            "d",
            "delete",
            N_("Delete"),
            id="customers.delete",
            tooltip=N_("Delete the customer under the cursor (asks first; refused if in use)"),
        ),
        Binding(
            "h",
            "toggle_archived",
            N_("Archived"),
            id="customers.toggle_archived",
            tooltip=N_("Show or hide the archived customers"),
        ),
        Binding(
            "slash",
            "search",
            N_("Search"),
            key_display="/",
            id="customers.search",
            tooltip=N_("Search customers by code or name"),
        ),
        Binding(
            "escape",
            "back",
            N_("Back"),
            show=False,
            id="customers.back",
            tooltip=N_("Leave the search field for the list"),
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.show_archived = False
        self.rows: list[CustomerRow] = []
        self.loaded = False  # a read has finished since the screen opened
        self._pending_code: str | None = None  # put the cursor here after the next read

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="customers-bar", classes="bar"):
            yield Label(_("Search"), classes="bar-label")
            yield Input(
                id="customers-search",
                compact=True,
                placeholder=_("code or name"),
                tooltip=_("Customers whose code or name holds this text (any case)"),
            )
            yield Label("", id="customers-shown")
        yield RecordTable(id="customers-table")
        yield Static("", id="customers-detail", classes="status")
        yield Static("", id="customers-status", classes="status")

    def on_mount(self) -> None:
        self.set_focus(self.query_one(RecordTable))
        self.refresh_data()

    def on_screen_resume(self) -> None:
        if self.loaded:
            self.refresh_data()

    # --- loading ------------------------------------------------------------------

    def load_arguments(self) -> Query:
        return Query(self.query_one("#customers-search", Input).value, self.show_archived)

    def fetch(self, arguments: Query) -> list[CustomerRow]:
        return list_customers(arguments.search, archived=arguments.archived)

    def loading_started(self) -> None:
        self.query_one("#customers-status", Static).update(_("reading…"))

    def show(self, data: list[CustomerRow]) -> None:
        row = self.current()
        current = self._pending_code or (row.code if row is not None else None)
        self._pending_code = None
        self.rows = data
        self._fill(current)
        archived = sum(1 for r in data if r.archived)
        count = ngettext("{n} customer", "{n} customers", len(data)).format(
            n=display.number(len(data))
        )
        if self.show_archived:
            count = ngettext("{count} ({n} archived)", "{count} ({n} archived)", archived).format(
                count=count, n=archived
            )
        self.query_one("#customers-status", Static).update(count)
        self.query_one("#customers-shown", Label).update(
            _("archived shown") if self.show_archived else _("archived hidden")
        )
        self.loaded = True

    def show_error(self, text: str) -> None:
        self.query_one("#customers-status", Static).update(text)
        super().show_error(text)

    def _fill(self, code: str | None) -> None:
        table = self.query_one(RecordTable)
        columns = table_columns(self.app.size.width)
        index = next((i for i, r in enumerate(self.rows) if r.code == code), None)
        table.set_data(
            columns,
            [[cells(r)[c.key] for c in columns] for r in self.rows],
            cursor=index,
        )
        self._show_detail()

    def on_resize(self) -> None:
        if self.rows:
            self._fill(None)

    @on(Input.Changed, "#customers-search")
    def _search_changed(self) -> None:
        self.refresh_data()

    @on(Input.Submitted, "#customers-search")
    def _search_submitted(self) -> None:
        self.set_focus(self.query_one(RecordTable))

    def current(self) -> CustomerRow | None:
        if not self.rows:
            return None
        index = self.query_one(RecordTable).cursor_row
        return self.rows[index] if 0 <= index < len(self.rows) else None

    def _show_detail(self) -> None:
        row = self.current()
        self.query_one("#customers-detail", Static).update(detail_text(row) if row else "")

    def on_key(self) -> None:
        self.call_after_refresh(self._show_detail)  # the cursor may have moved

    def on_click(self) -> None:
        self.call_after_refresh(self._show_detail)

    # --- actions ------------------------------------------------------------------

    def action_search(self) -> None:
        self.set_focus(self.query_one("#customers-search", Input))

    def action_back(self) -> None:
        """From the search field back to the list; from the list back where it was opened."""
        if isinstance(self.focused, Input):
            self.set_focus(self.query_one(RecordTable))
        elif len(self.app.screen_stack) > 1:
            self.app.pop_screen()

    def action_toggle_archived(self) -> None:
        self.show_archived = not self.show_archived
        self.refresh_data()

    def action_new(self) -> None:
        self.app.push_screen(CustomerFormScreen(), self._saved)

    @on(RecordTable.RowSelected, "#customers-table")
    def action_edit(self) -> None:
        row = self.current()
        if row is not None:
            self._open_form(row.code)

    @work(thread=True, exclusive=True, exit_on_error=False, group="customers-open")
    def _open_form(self, code: str) -> None:
        db = self.app.db
        try:
            record, mandates = customer_record(code), customer_mandates(code)
        except Exception as exc:  # shown as a message
            self.app.call_from_thread(self.show_error, error_text(exc))
        else:
            self.app.call_from_thread(self._push_form, record, mandates)
        finally:
            db.close()

    def _push_form(self, record: dict[str, Any], mandates: list[MandateRow]) -> None:
        self.app.push_screen(CustomerFormScreen(record, mandates), self._saved)

    def _saved(self, code: str | None) -> None:
        if code:
            self.app.notify(_("customer {code} saved").format(code=code))
            self._pending_code = code
            self.refresh_data()

    def action_archive(self) -> None:
        row = self.current()
        if row is None:
            return
        if row.archived:
            question = _("Restore customer {code} ({name})? It is listed again.")
            done = _("customer {code} restored")
        else:
            question = _(
                "Archive customer {code} ({name})? It is hidden from the list and "
                "takes no new contracts or orders; its documents stay."
            )
            done = _("customer {code} archived")

        def answered(yes: bool | None) -> None:
            if yes:
                self._act(
                    lambda db: set_archived(db, row.code, not row.archived),
                    done.format(code=row.code),
                )

        self.app.push_screen(ConfirmScreen(question.format(code=row.code, name=row.name)), answered)

    def action_delete(self) -> None:
        row = self.current()
        if row is None:
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self._act(
                    lambda db: delete_customer(db, row.code),
                    _("customer {code} deleted").format(code=row.code),
                )

        question = _("Delete customer {code} ({name})? This cannot be undone.")
        self.app.push_screen(ConfirmScreen(question.format(code=row.code, name=row.name)), answered)

    @work(thread=True, exit_on_error=False, group="customers-change")
    def _act(self, change: Callable[[Database], Any], done: str) -> None:
        db = self.app.db
        try:
            change(db)
        except Exception as exc:  # refused (in use...): a message, never a traceback
            self.app.call_from_thread(
                self.app.notify, error_text(exc), severity="error", timeout=10
            )
        else:
            self.app.call_from_thread(self.app.notify, done)
            self.app.call_from_thread(self.refresh_data)
        finally:
            db.close()


__all__ = ["CustomersScreen", "table_columns"]
