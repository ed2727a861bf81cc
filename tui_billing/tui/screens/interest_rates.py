"""The legal late-payment rates (D.Lgs. 231/2002), one row per half-year, newest first:
searched by half-year (``2026``, ``2026-H1``), added and corrected in a form validated as
``interest-rates set`` validates; a half-year has one row, and rows are not deleted."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType

from tui_billing.billing.interest_rate_editing import (
    create_rate,
    form_values,
    search_rates,
    update_rate,
)
from tui_billing.billing.interest_rates import LegalRate
from tui_billing.domain import display
from tui_billing.domain.i18n import N_, _, ngettext
from tui_billing.domain.legal_rates import half_year_end, half_year_label
from tui_billing.tui.screens.common import day
from tui_billing.tui.screens.contract_form import FormScreen
from tui_billing.tui.screens.record_list import RecordListScreen, form_bindings, list_bindings
from tui_billing.tui.widgets.form_fields import FieldRow, text_input


class InterestRateFormScreen(FormScreen):
    """A half-year, its ECB reference rate and the points added (8 by law)."""

    BINDINGS: ClassVar[list[BindingType]] = form_bindings("interest_rate_form")

    def __init__(self, rate: LegalRate | None = None) -> None:
        super().__init__()
        self.rate = rate

    def title_text(self) -> str:
        if self.rate is None:
            return _("New half-year of the legal late-payment rate")
        return _("Legal rate of {half_year}").format(
            half_year=half_year_label(self.rate.half_year_start)
        )

    def fields(self) -> ComposeResult:
        r: dict[str, Any] = form_values(self.rate) if self.rate else {"points": "8.00"}
        for name in ("reference_rate", "points"):  # in the number style of the language
            if r.get(name):
                r[name] = display.number(Decimal(r[name]), min_places=2)
        yield FieldRow(
            "half_year",
            _("Half-year"),
            text_input(r.get("half_year"), placeholder="2027-H1"),
            tooltip=_("2027-H1 (January-June) or 2027-H2 (July-December), or its first day"),
        )
        yield FieldRow(
            "reference_rate",
            _("ECB reference %"),
            text_input(r.get("reference_rate"), placeholder="2,15"),
            tooltip=_("The ECB rate in force on the half-year's first day, as published"),
        )
        yield FieldRow(
            "points",
            _("Points"),
            text_input(r.get("points"), placeholder="8"),
            tooltip=_("Added to the reference rate: 8 by D.Lgs. 231/2002"),
        )

    def save(self, values: dict[str, Any]) -> str:
        db = self.app.db
        if self.rate is None:
            return half_year_label(create_rate(db, values).half_year_start)
        update_rate(db, self.rate.half_year_start, values)
        return str(values.get("half_year") or half_year_label(self.rate.half_year_start))


def _percent(value: Any) -> Text:
    return Text(display.number(value, min_places=2, max_places=2), justify="right")


class InterestRatesScreen(RecordListScreen):
    """The legal rates by half-year, newest first."""

    TITLE = N_("Legal interest rates")
    SEARCH_HINT = N_("half-year (2026, 2026-H1)")
    SEARCH_TOOLTIP = N_("Show the half-years that match this text (2026, 2026-H1)")
    SAVED = N_("half-year {code} saved")
    NONE_TO_EDIT = N_("no half-year to edit: n adds one")
    BINDINGS: ClassVar[list[BindingType]] = list_bindings(
        "interest_rates",
        new=N_("Add a new half-year's rate"),
        edit=N_("Edit the half-year's rate (or enter)"),
    )
    COLUMNS = (
        (N_("Half-year"), 9),
        (N_("Period"), 21),
        (N_("ECB %"), 7),
        (N_("Points"), 7),
        (N_("Rate %"), 7),
    )

    def count_text(self, count: int) -> str:
        return ngettext("{n} half-year", "{n} half-years", count).format(n=display.number(count))

    def fetch(self, arguments: str) -> list[LegalRate]:
        return search_rates(arguments)

    def key_of(self, record: LegalRate) -> str:
        return half_year_label(record.half_year_start)

    def cells(self, record: LegalRate) -> tuple[Any, ...]:
        return (
            half_year_label(record.half_year_start),
            f"{day(record.half_year_start)}-{day(half_year_end(record.half_year_start))}",
            _percent(record.reference_rate),
            _percent(record.points),
            _percent(record.rate),
        )

    def form(self, record: LegalRate | None) -> InterestRateFormScreen:
        return InterestRateFormScreen(record)


__all__ = ["InterestRateFormScreen", "InterestRatesScreen"]
