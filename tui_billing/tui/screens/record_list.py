"""What the record list screens (articles, series, interest rates) share: a search field
over a table, ``n`` new, ``e`` / enter edit in a form, ``d`` delete where allowed (asked
first, naming the record), esc back; read through the base screen's one loading pattern."""

from __future__ import annotations

from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import DataTable, Input, Label, Static

from tui_billing.tui.screens.base import BillingScreen
from tui_billing.tui.screens.common import ConfirmScreen, attempt


def list_bindings(prefix: str, noun: str, *, delete: bool = True) -> list[BindingType]:
    """The keys of a record list, with ids ``PREFIX.new`` ..."""
    bindings: list[BindingType] = [
        Binding("n", "new", "New", id=f"{prefix}.new", tooltip=f"Add a new {noun}"),
        Binding("e", "edit", "Edit", id=f"{prefix}.edit", tooltip=f"Edit the {noun} (or enter)"),
    ]
    if delete:
        bindings.append(
            Binding(
                "d",
                "delete",
                "Delete",
                id=f"{prefix}.delete",
                tooltip=f"Delete the {noun} (asks first; refused while it is in use)",
            )
        )
    bindings += [
        Binding(
            "slash",
            "search",
            "Search",
            id=f"{prefix}.search",
            tooltip="Type in the search field (code or name); enter goes back to the list",
        ),
        Binding(
            "escape",
            "back",
            "Back",
            id=f"{prefix}.back",
            tooltip="Leave the search field; from the list, back to the records",
        ),
    ]
    return bindings


def form_bindings(prefix: str) -> list[BindingType]:
    """ctrl+s saves and esc leaves a record form, with ids ``PREFIX.save`` / ``.cancel``."""
    return [
        Binding(
            "ctrl+s",
            "save",
            "Save",
            id=f"{prefix}.save",
            priority=True,
            tooltip="Check every field and save; nothing is saved when one is refused",
        ),
        Binding(
            "escape", "cancel", "Cancel", id=f"{prefix}.cancel", tooltip="Leave without saving"
        ),
    ]


class RecordListScreen(BillingScreen):
    """A searchable table of records. A subclass names its columns and says how to read,
    show, edit and delete a record; ``fetch`` gets the search text as typed."""

    DEFAULT_CSS = """
    RecordListScreen .record-search { width: 1fr; }
    RecordListScreen DataTable { height: 1fr; }
    """
    NOUN = "record"
    PLURAL = "records"
    SEARCH_HINT = "code or name"
    COLUMNS: ClassVar[tuple[tuple[str, int | None], ...]] = ()  # label, width (None: the rest)

    def __init__(self) -> None:
        super().__init__()
        self.records: list[Any] = []

    def compose_body(self) -> ComposeResult:
        with Horizontal(classes="bar"):
            yield Label("Search", classes="bar-label")
            yield Input(
                compact=True,
                placeholder=self.SEARCH_HINT,
                id="record-search",
                classes="record-search",
                tooltip=f"Show the {self.PLURAL} whose {self.SEARCH_HINT} holds this text",
            )
        yield DataTable(id="record-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="record-status", classes="status")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        fixed = sum(width or 0 for _, width in self.COLUMNS) + 2 * len(self.COLUMNS) + 2
        for label, width in self.COLUMNS:
            table.add_column(label, width=width or max(10, self.app.size.width - fixed))
        table.focus()
        self.refresh_data()

    # --- loading --------------------------------------------------------------------

    def load_arguments(self) -> str:
        return self.query_one("#record-search", Input).value.strip()

    def loading_started(self) -> None:
        self.query_one("#record-status", Static).update("reading…")

    def show(self, data: list[Any]) -> None:
        self.records = list(data)
        table = self.query_one(DataTable)
        cursor = table.cursor_row
        table.clear()
        for record in self.records:
            table.add_row(*self.cells(record), key=self.key_of(record))
        if self.records:
            table.move_cursor(row=min(cursor, len(self.records) - 1))
        search = self.load_arguments()
        found = f"{len(self.records)} {self.NOUN if len(self.records) == 1 else self.PLURAL}"
        self.query_one("#record-status", Static).update(
            f"{found} matching {search!r}" if search else found
        )

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
        return f"{self.NOUN} {self.key_of(record)}"

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
        self.notify(f"{self.NOUN} {result} saved")
        self.refresh_data()

    def action_new(self) -> None:
        self.app.push_screen(self.form(None), self._saved)

    def action_edit(self) -> None:
        record = self.current()
        if record is None:
            self.notify(f"no {self.NOUN} to edit: n adds one", severity="warning")
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
                self.notify(f"{name} deleted")
                self.refresh_data()

        self.app.push_screen(ConfirmScreen(f"Delete {name}? This cannot be undone."), answered)

    def action_search(self) -> None:
        self.query_one("#record-search", Input).focus()

    def action_back(self) -> None:
        if isinstance(self.focused, Input):
            self.query_one(DataTable).focus()
        elif len(self.app.screen_stack) > 1:
            self.app.pop_screen()


__all__ = ["RecordListScreen", "form_bindings", "list_bindings"]
