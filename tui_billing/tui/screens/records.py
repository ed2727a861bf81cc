"""The records hub: the customers, articles, series, company and legal interest rates the
documents are made of, each opened from here (enter, or its letter)."""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Static

from tui_billing.domain.i18n import N_, _, pgettext
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
    open_tooltip: str  # the tooltip of its key (one whole message)

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
            module, _dot, name = self.path.rpartition(".")
            return getattr(importlib.import_module(module), name)()

        return make


SCREENS = "tui_billing.tui.screens"
ENTRIES: tuple[RecordEntry, ...] = (
    RecordEntry(
        "customers",
        "Customers",
        "c",
        f"{SCREENS}.customers.CustomersScreen",
        N_("Customers and their fiscal data"),
        N_("Open customers: customers and their fiscal data"),
    ),
    RecordEntry(
        "articles",
        "Articles",
        "a",
        f"{SCREENS}.articles.ArticlesScreen",
        N_("What a new line starts from: name, price, VAT"),
        N_("Open articles: what a new line starts from: name, price, VAT"),
    ),
    RecordEntry(
        "series",
        "Series",
        "s",
        f"{SCREENS}.series.SeriesScreen",
        N_("Numbering series and the format of their numbers"),
        N_("Open series: numbering series and the format of their numbers"),
    ),
    RecordEntry(
        "company",
        "Company",
        "o",
        f"{SCREENS}.company_form.CompanyFormScreen",
        N_("The company (seller) printed on every document"),
        N_("Open company: the company (seller) printed on every document"),
    ),
    RecordEntry(
        "interest_rates",
        "Interest rates",
        "r",
        f"{SCREENS}.interest_rates.InterestRatesScreen",
        N_("Legal late-payment rates by half-year"),
        N_("Open interest rates: legal late-payment rates by half-year"),
    ),
)
BY_NAME = {entry.name: entry for entry in ENTRIES}


def shown_label(label: str) -> str:
    """An entry's label in the language in use."""
    return pgettext("records", label)


def _marked() -> None:  # pragma: no cover - never called: marks the labels for extraction
    pgettext("records", "Customers")
    pgettext("records", "Articles")
    pgettext("records", "Series")
    pgettext("records", "Company")
    pgettext("records", "Interest rates")


def installed_entries() -> list[RecordEntry]:
    """The entries whose screen is installed, in order."""
    return [entry for entry in ENTRIES if entry.available()]


class RecordsScreen(BillingScreen):
    """The records the documents are made of; enter opens the one under the cursor."""

    HAS_DATA = False  # a menu: each entry's screen reads its own records

    TITLE = N_("Records")
    DEFAULT_CSS = """
    RecordsScreen #records-table { height: auto; max-height: 1fr; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            entry.key,
            f"open('{entry.name}')",
            entry.label,
            id=entry.binding_id,
            tooltip=entry.open_tooltip,
        )
        for entry in ENTRIES
    ]

    def compose_body(self) -> ComposeResult:
        yield DataTable(id="records-table", cursor_type="row", zebra_stripes=True)
        yield Static(
            _("enter or the letter opens a list; in a list: / search, n new, e edit, d delete"),
            id="records-status",
            classes="status",
        )

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        key_width = max(3, cell_len(_("Key")))
        table.add_column(_("Key"), width=key_width)
        table.add_column(_("Records"), width=14)
        table.add_column(_("What they hold"), width=max(20, self.app.size.width - 24 - key_width))
        for entry in installed_entries():
            key = self.app.get_key_display(Binding(self._key(entry), ""))
            table.add_row(key, shown_label(entry.label), _(entry.tooltip), key=entry.name)
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
            self.notify(
                _("{mode}: this screen is not installed").format(mode=name), severity="warning"
            )
            return
        if entry.name == "company":
            await self.app.run_action("app.company")  # the app's form, with its messages
            return
        self.app.push_screen(entry.factory()())


__all__ = ["ENTRIES", "RecordEntry", "RecordsScreen", "installed_entries"]
