"""What the record list screens (articles, series, interest rates) share: a search field
over a table, ``n`` new, ``e`` / enter edit in a form, ``d`` delete where allowed (asked
first, naming the record), esc back; read through the base screen's one loading pattern."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import DataTable, Input, Label, Static

from tui_billing.domain import display
from tui_billing.domain.i18n import N_, _, ngettext
from tui_billing.tui.screens.base import BillingScreen
from tui_billing.tui.screens.common import ConfirmScreen, attempt, cut


def list_bindings(
    prefix: str, *, new: str, edit: str, delete: str | None = None
) -> list[BindingType]:
    """The keys of a record list, with ids ``PREFIX.new`` ...; ``new``, ``edit`` and
    ``delete`` are the tooltips of those keys (whole messages marked with ``N_``), no
    ``delete`` for a list whose records are not deleted."""
    bindings: list[BindingType] = [
        Binding("n", "new", N_("New"), id=f"{prefix}.new", tooltip=new),
        Binding("e", "edit", N_("Edit"), id=f"{prefix}.edit", tooltip=edit),
    ]
    if delete:
        bindings.append(Binding("d", "delete", N_("Delete"), id=f"{prefix}.delete", tooltip=delete))
    bindings += [
        Binding(
            "slash",
            "search",
            N_("Search"),
            id=f"{prefix}.search",
            tooltip=N_("Type in the search field (code or name); enter goes back to the list"),
        ),
        Binding(
            "escape",
            "back",
            N_("Back"),
            id=f"{prefix}.back",
            tooltip=N_("Leave the search field; from the list, back to the records"),
        ),
    ]
    return bindings


def form_bindings(prefix: str) -> list[BindingType]:
    """ctrl+s saves and esc leaves a record form, with ids ``PREFIX.save`` / ``.cancel``."""
    return [
        Binding(
            "ctrl+s",
            "save",
            N_("Save"),
            id=f"{prefix}.save",
            priority=True,
            tooltip=N_("Check every field and save; nothing is saved when one is refused"),
        ),
        Binding(
            "escape",
            "cancel",
            N_("Cancel"),
            id=f"{prefix}.cancel",
            tooltip=N_("Leave without saving"),
        ),
    ]


class RecordListScreen(BillingScreen):
    """A searchable table of records. A subclass names its columns and says how to read,
    show, edit and delete a record; ``fetch`` gets the search text as typed."""

    DEFAULT_CSS = """
    RecordListScreen .record-search { width: 1fr; }
    RecordListScreen DataTable { height: 1fr; }
    """
    # what the list says, each a whole message marked with N_ ({code}: the record's key)
    SEARCH_HINT = N_("code or name")
    SEARCH_TOOLTIP = N_("Show the records whose code or name holds this text")
    SAVED = N_("record {code} saved")
    NONE_TO_EDIT = N_("no record to edit: n adds one")
    COLUMNS: ClassVar[tuple[tuple[str, int | None], ...]] = ()  # label, width (None: the rest)

    def __init__(self) -> None:
        super().__init__()
        self.records: list[Any] = []
        self.widths: list[int] = []  # of the columns, as laid out

    def compose_body(self) -> ComposeResult:
        with Horizontal(classes="bar"):
            yield Label(_("Search"), classes="bar-label")
            yield Input(
                compact=True,
                placeholder=_(self.SEARCH_HINT),
                id="record-search",
                classes="record-search",
                tooltip=_(self.SEARCH_TOOLTIP),
            )
        yield DataTable(id="record-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="record-status", classes="status")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        columns = self.columns()
        fixed = sum(width or 0 for _label, width in columns) + 2 * len(columns) + 2
        self.widths = []
        for label, width in columns:
            shown = width or max(10, self.app.size.width - fixed)
            self.widths.append(shown)
            table.add_column(label, width=shown)
        table.focus()
        self.refresh_data()

    # --- loading --------------------------------------------------------------------

    def load_arguments(self) -> str:
        return self.query_one("#record-search", Input).value.strip()

    def columns(self) -> list[tuple[str, int | None]]:
        """The columns' labels in the language in use, each at least as wide as its label."""
        return [
            (_(label), max(width, cell_len(_(label))) if width else None)
            for label, width in self.COLUMNS
        ]

    def count_text(self, count: int) -> str:
        """``3 records``."""
        return ngettext("{n} record", "{n} records", count).format(n=display.number(count))

    def loading_started(self) -> None:
        self.query_one("#record-status", Static).update(_("reading…"))

    def show(self, data: list[Any]) -> None:
        self.records = list(data)
        table = self.query_one(DataTable)
        cursor = table.cursor_row
        table.clear()
        for record in self.records:
            table.add_row(*self._fitted(self.cells(record)), key=self.key_of(record))
        if self.records:
            table.move_cursor(row=min(cursor, len(self.records) - 1))
        search = self.load_arguments()
        found = self.count_text(len(self.records))
        self.query_one("#record-status", Static).update(
            _("{found} matching {search}").format(found=found, search=repr(search))
            if search
            else found
        )

    def _fitted(self, cells: tuple[Any, ...]) -> list[Any]:
        """Text cells cut to their column with an ellipsis (a DataTable chops them)."""
        return [
            cut(cell, width) if isinstance(cell, str) else cell
            for cell, width in zip(cells, self.widths, strict=False)
        ]

    def show_error(self, text: str) -> None:
        self.query_one("#record-status", Static).update(text)
        super().show_error(text)

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "record-search":
            self.refresh_data()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "record-search":
            self.query_one(DataTable).focus()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_edit()

    # --- what a subclass says -------------------------------------------------------

    def key_of(self, record: Any) -> str:
        raise NotImplementedError

    def cells(self, record: Any) -> tuple[Any, ...]:
        raise NotImplementedError

    def form(self, record: Any | None) -> Screen[Any]:
        """The form that edits ``record`` (None: a new one)."""
        raise NotImplementedError

    def title_of(self, record: Any) -> str:
        """How a question names the record: ``article MAN (Manutenzione caldaia)``."""
        return self.key_of(record)

    def delete(self, record: Any) -> None:
        """Delete ``record`` through the engine (which refuses one in use)."""
        raise NotImplementedError

    # --- actions --------------------------------------------------------------------

    def current(self) -> Any | None:
        table = self.query_one(DataTable)
        if not self.records or table.cursor_row < 0 or table.cursor_row >= len(self.records):
            return None
        return self.records[table.cursor_row]

    def _saved(self, result: Any) -> None:
        if result is None:
            return  # cancelled
        self.notify(_(self.SAVED).format(code=result))
        self.refresh_data()

    def action_new(self) -> None:
        self.app.push_screen(self.form(None), self._saved)

    def action_edit(self) -> None:
        record = self.current()
        if record is None:
            self.notify(_(self.NONE_TO_EDIT), severity="warning")
            return
        self.app.push_screen(self.form(record), self._saved)

    def action_delete(self) -> None:
        record = self.current()
        if record is None:
            return
        name = self.title_of(record)

        def delete() -> bool:
            self.delete(record)
            return True

        def answered(yes: bool | None) -> None:
            if yes and attempt(self, delete):
                self.notify(_("{record} deleted").format(record=name))
                self.refresh_data()

        self.app.push_screen(
            ConfirmScreen(_("Delete {record}? This cannot be undone.").format(record=name)),
            answered,
        )

    def action_search(self) -> None:
        self.query_one("#record-search", Input).focus()

    def action_back(self) -> None:
        if isinstance(self.focused, Input):
            self.query_one(DataTable).focus()
        elif len(self.app.screen_stack) > 1:
            self.app.pop_screen()


__all__ = ["RecordListScreen", "form_bindings", "list_bindings"]
