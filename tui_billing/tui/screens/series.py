"""Numbering series: listed and searched by code or description, created and edited in a
form validated as the import validates; a format used this year, and the code of a series,
stay as they are (the engine says why); an unused series can be deleted (asked first)."""

from __future__ import annotations

from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType

from tui_billing.billing.series_editing import (
    SeriesRecord,
    create_series,
    delete_series,
    form_values,
    list_series,
    update_series,
)
from tui_billing.domain.errors import UserError
from tui_billing.domain.number_formats import DEFAULT_FORMATS, format_number
from tui_billing.tui.screens.contract_form import FormScreen
from tui_billing.tui.screens.record_list import RecordListScreen, form_bindings, list_bindings
from tui_billing.tui.widgets.form_fields import FieldRow, text_input

FORMAT_HELP = "{series}, {year} and {seq} (padded: {seq:04d}); empty: the default"


class SeriesFormScreen(FormScreen):
    """A series' code, description and the number format of each numbering class."""

    BINDINGS: ClassVar[list[BindingType]] = form_bindings("series_form")

    def __init__(self, series: SeriesRecord | None = None) -> None:
        super().__init__()
        self.series = series

    def title_text(self) -> str:
        if self.series is None:
            return "New numbering series"
        return f"Series {self.series.code}: a format used this year stays until 1 January"

    def fields(self) -> ComposeResult:
        r: dict[str, Any] = form_values(self.series) if self.series else {}
        yield FieldRow(
            "code",
            "Code",
            text_input(r.get("code"), placeholder="A"),
            tooltip="Printed in every number; it cannot change once saved",
        )
        yield FieldRow("description", "Description", text_input(r.get("description")), wide=True)
        yield FieldRow(
            "format",
            "Invoice format",
            text_input(r.get("format"), placeholder=DEFAULT_FORMATS["fiscal"]),
            wide=True,
            tooltip="Invoices and credit notes: " + FORMAT_HELP,
        )
        yield FieldRow(
            "proforma_format",
            "Pro-forma fmt",
            text_input(r.get("proforma_format"), placeholder=DEFAULT_FORMATS["proforma"]),
            wide=True,
            tooltip="Pro-formas: " + FORMAT_HELP,
        )
        yield FieldRow(
            "order_format",
            "Order format",
            text_input(r.get("order_format"), placeholder=DEFAULT_FORMATS["order"]),
            wide=True,
            tooltip="Order documents: " + FORMAT_HELP,
        )

    def enable_dependents(self) -> None:
        """Once the fields are mounted: a series' code never changes."""
        super().enable_dependents()
        if self.series is not None:
            self.rows()["code"].set_enabled(False)

    def save(self, values: dict[str, Any]) -> str:
        db = self.app.db
        if self.series is None:
            return create_series(db, values)
        values["code"] = self.series.code
        update_series(db, self.series.code, values, self.app.today)
        return self.series.code


def sample_number(record: SeriesRecord, year: int) -> str:
    """The first invoice number the series writes in ``year``."""
    try:
        return format_number(record.format, record.code, year, 1)
    except UserError:
        return record.format


class SeriesScreen(RecordListScreen):
    """The numbering series, by code."""

    TITLE = "Numbering series"
    NOUN, PLURAL = "series", "series"
    SEARCH_HINT = "code or description"
    BINDINGS: ClassVar[list[BindingType]] = list_bindings("series", "series")
    COLUMNS = (
        ("Code", 6),
        ("Description", None),
        ("First number", 16),
        ("Numbered", 8),
        ("Last number", 16),
    )

    def fetch(self, arguments: str) -> list[SeriesRecord]:
        return list_series(arguments)

    def key_of(self, record: SeriesRecord) -> str:
        return record.code

    def cells(self, record: SeriesRecord) -> tuple[Any, ...]:
        return (
            record.code,
            record.description,
            sample_number(record, self.app.today.year),
            str(record.numbered) if record.numbered else "",
            record.last_number or "",
        )

    def title_of(self, record: SeriesRecord) -> str:
        described = f" ({record.description})" if record.description else ""
        return f"series {record.code}{described}"

    def form(self, record: SeriesRecord | None) -> SeriesFormScreen:
        return SeriesFormScreen(record)

    def delete(self, record: SeriesRecord) -> None:
        delete_series(self.app.db, record.code)


__all__ = ["SeriesFormScreen", "SeriesScreen"]
