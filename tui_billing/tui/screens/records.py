"""The records hub: the customers, articles, series, company and legal interest rates the
documents are made of, each opened from here (enter, or its letter)."""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Static

from tui_billing.tui.screens.base import BillingScreen


@dataclass(frozen=True)
class RecordEntry:
    """One line of the hub: its label, the key that opens it, and the screen it opens
    (``package.module.ClassName``, made with no arguments)."""

    name: str
    label: str
    key: str
    path: str
    tooltip: str

    @property
    def binding_id(self) -> str:
        return f"records.{self.name}"

    def available(self) -> bool:
        """Whether the screen's module is installed (it may arrive later)."""
        try:
            return importlib.util.find_spec(self.path.rpartition(".")[0]) is not None
        except ImportError:
            return False

    def factory(self) -> Callable[[], Screen[Any]]:
        def make() -> Screen[Any]:
            module, _, name = self.path.rpartition(".")
            return getattr(importlib.import_module(module), name)()

        return make


SCREENS = "tui_billing.tui.screens"
ENTRIES: tuple[RecordEntry, ...] = (
    RecordEntry(
        "customers",
        "Customers",
        "c",
        f"{SCREENS}.customers.CustomersScreen",
        "Customers and their fiscal data",
    ),
    RecordEntry(
        "articles",
        "Articles",
        "a",
        f"{SCREENS}.articles.ArticlesScreen",
        "What a new line starts from: name, price, VAT",
    ),
    RecordEntry(
        "series",
        "Series",
        "s",
        f"{SCREENS}.series.SeriesScreen",
        "Numbering series and the format of their numbers",
    ),
    RecordEntry(
        "company",
        "Company",
        "o",
        f"{SCREENS}.company_form.CompanyFormScreen",
        "The company (seller) printed on every document",
    ),
    RecordEntry(
        "interest_rates",
        "Interest rates",
        "r",
        f"{SCREENS}.interest_rates.InterestRatesScreen",
        "Legal late-payment rates by half-year",
    ),
)
BY_NAME = {entry.name: entry for entry in ENTRIES}


def installed_entries() -> list[RecordEntry]:
    """The entries whose screen is installed, in order."""
    return [entry for entry in ENTRIES if entry.available()]


class RecordsScreen(BillingScreen):
    """The records the documents are made of; enter opens the one under the cursor."""

    HAS_DATA = False  # a menu: each entry's screen reads its own records

    TITLE = "Records"
    DEFAULT_CSS = """
    RecordsScreen #records-table { height: auto; max-height: 1fr; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            entry.key,
            f"open('{entry.name}')",
            entry.label,
            id=entry.binding_id,
            tooltip=f"Open {entry.label.lower()}: {entry.tooltip[0].lower()}{entry.tooltip[1:]}",
        )
        for entry in ENTRIES
    ]

    def compose_body(self) -> ComposeResult:
        yield DataTable(id="records-table", cursor_type="row", zebra_stripes=True)
        yield Static(
            "enter or the letter opens a list; in a list: / search, n new, e edit, d delete",
            id="records-status",
            classes="status",
        )

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column("Key", width=3)
        table.add_column("Records", width=14)
        table.add_column("What they hold", width=max(20, self.app.size.width - 27))
        for entry in installed_entries():
            key = self.app.get_key_display(Binding(self._key(entry), ""))
            table.add_row(key, entry.label, entry.tooltip, key=entry.name)
        table.focus()

    def _key(self, entry: RecordEntry) -> str:
        keymap = getattr(self.app, "_keymap", {})
        return keymap.get(entry.binding_id, entry.key).split(",")[0]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "open" and parameters:
            entry = BY_NAME.get(str(parameters[0]))
            return entry is not None and entry.available()
        return True

    async def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if event.row_key.value is not None:
            await self.action_open(str(event.row_key.value))

    async def action_open(self, name: str) -> None:
        entry = BY_NAME.get(name)
        if entry is None or not entry.available():
            self.notify(f"{name}: this screen is not installed", severity="warning")
            return
        if entry.name == "company":
            await self.app.run_action("app.company")  # the app's form, with its messages
            return
        self.app.push_screen(entry.factory()())


__all__ = ["ENTRIES", "RecordEntry", "RecordsScreen", "installed_entries"]
