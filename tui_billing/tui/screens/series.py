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
from tui_billing.domain import display
from tui_billing.domain.errors import UserError
from tui_billing.domain.i18n import N_, _, ngettext
from tui_billing.domain.number_formats import DEFAULT_FORMATS, format_number
from tui_billing.tui.screens.contract_form import FormScreen
from tui_billing.tui.screens.record_list import RecordListScreen, form_bindings, list_bindings
from tui_billing.tui.widgets.form_fields import FieldRow, text_input


class SeriesFormScreen(FormScreen):
    """A series' code, description and the number format of each numbering class."""

    BINDINGS: ClassVar[list[BindingType]] = form_bindings("series_form")

    def __init__(self, series: SeriesRecord | None = None) -> None:
        super().__init__()
        self.series = series

    def title_text(self) -> str:
        if self.series is None:
            return _("New numbering series")
        return _("Series {code}: a format used this year stays until 1 January").format(
            code=self.series.code
        )

    def fields(self) -> ComposeResult:
        r: dict[str, Any] = form_values(self.series) if self.series else {}
        yield FieldRow(
            "code",
            _("Code"),
            text_input(r.get("code"), placeholder="A"),
            tooltip=_("Printed in every number; it cannot change once saved"),
        )
        yield FieldRow("description", _("Description"), text_input(r.get("description")), wide=True)
        yield FieldRow(
            "format",
            _("Invoice format"),
            text_input(r.get("format"), placeholder=DEFAULT_FORMATS["fiscal"]),
            wide=True,
            tooltip=_(
                "Invoices and credit notes: {series}, {year} and {seq} "
                "(padded: {seq:04d}); empty: the default"
            ),
        )
        yield FieldRow(
            "proforma_format",
            _("Pro-forma fmt"),
            text_input(r.get("proforma_format"), placeholder=DEFAULT_FORMATS["proforma"]),
            wide=True,
            tooltip=_(
                "Pro-formas: {series}, {year} and {seq} (padded: {seq:04d}); empty: the default"
            ),
        )
        yield FieldRow(
            "order_format",
            _("Order format"),
            text_input(r.get("order_format"), placeholder=DEFAULT_FORMATS["order"]),
            wide=True,
            tooltip=_(
                "Order documents: {series}, {year} and {seq} (padded: {seq:04d}); "
                "empty: the default"
            ),
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

    TITLE = N_("Numbering series")
    SEARCH_HINT = N_("code or description")
    SEARCH_TOOLTIP = N_("Show the series whose code or description holds this text")
    SAVED = N_("series {code} saved")
    NONE_TO_EDIT = N_("no series to edit: n adds one")
    BINDINGS: ClassVar[list[BindingType]] = list_bindings(
        "series",
        new=N_("Add a new series"),
        edit=N_("Edit the series (or enter)"),
        delete=N_("Delete the series (asks first; refused while it is in use)"),
    )
    COLUMNS = (
        (N_("Code"), 6),
        (N_("Description"), None),
        (N_("First number"), 16),
        (N_("Numbered"), 8),
        (N_("Last number"), 16),
    )

    def count_text(self, count: int) -> str:
        return ngettext("{n} series", "{n} series", count).format(n=display.number(count))

    def fetch(self, arguments: str) -> list[SeriesRecord]:
        return list_series(arguments)

    def key_of(self, record: SeriesRecord) -> str:
        return record.code

    def cells(self, record: SeriesRecord) -> tuple[Any, ...]:
        return (
            record.code,
            record.description,
            sample_number(record, self.app.today.year),
            display.number(record.numbered) if record.numbered else "",
            record.last_number or "",
        )

    def title_of(self, record: SeriesRecord) -> str:
        if record.description:
            return _("series {code} ({description})").format(
                code=record.code, description=record.description
            )
        return _("series {code}").format(code=record.code)

    def form(self, record: SeriesRecord | None) -> SeriesFormScreen:
        return SeriesFormScreen(record)

    def delete(self, record: SeriesRecord) -> None:
        delete_series(self.app.db, record.code)


__all__ = ["SeriesFormScreen", "SeriesScreen"]
