"""The forms that edit a contract's settings and one of its lines; a refused value is named
next to its field and nothing is saved."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Label, Static

from tui_billing.billing.contract_editing import (
    add_line,
    create_contract,
    current_record,
    update_contract,
    update_line,
)
from tui_billing.domain import vocabulary as V
from tui_billing.domain.errors import UserError
from tui_billing.store.models import Article, Customer, Series
from tui_billing.tui.widgets.form_fields import (
    FORM_CSS,
    FieldRow,
    FormMixin,
    FrequencyInput,
    check_input,
    choice_input,
    date_input,
    text_input,
)

_SCREEN_CSS = FORM_CSS + """
#form-title { height: 1; background: $panel; color: $text; text-style: bold; padding: 0 1; }
#form-body { height: 1fr; padding: 0 1; }
.form-hint { color: $text-muted; height: 1; margin-top: 1; }
.form-message { padding: 0 1; }
"""


def _form_bindings(prefix: str) -> list[Binding]:
    return [
        Binding("ctrl+s", "save", "Save", id=f"{prefix}.save", priority=True,
                tooltip="Check every field and save; nothing is saved when one is refused"),
        Binding("escape", "cancel", "Cancel", id=f"{prefix}.cancel",
                tooltip="Leave without saving"),
    ]


class FormScreen(FormMixin, Screen[Any]):
    """A full-screen form: its rows, a message line, ctrl+s saves, escape leaves."""

    DEFAULT_CSS = _SCREEN_CSS
    TITLE_TEXT = ""

    def compose(self) -> ComposeResult:
        yield Static(self.title_text(), id="form-title")
        with VerticalScroll(id="form-body"):
            yield from self.fields()
            yield Label("ctrl+s save · esc cancel · tab next field · enter in a field saves",
                        classes="form-hint")
        yield Static("", classes="form-message")
        yield Footer()

    def title_text(self) -> str:
        return self.TITLE_TEXT

    def fields(self) -> ComposeResult:
        yield from ()

    def on_mount(self) -> None:
        first = next(iter(self.rows().values()), None)
        if first is not None:
            first.widget.focus()

    def on_input_submitted(self) -> None:
        self.action_save()

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_save(self) -> None:
        try:
            result = self.save(self.values())
        except UserError as exc:
            self.show_error(exc)
            return
        except Exception as exc:  # an engine or database error: a message, not a traceback
            self.show_error(UserError(f"cannot save: {exc}"))
            return
        self.dismiss(result)

    def save(self, values: dict[str, Any]) -> Any:
        raise NotImplementedError


class ContractFormScreen(FormScreen):
    """A new contract, or the settings of one: customer, dates and billing settings."""

    BINDINGS = _form_bindings("contract_form")

    def __init__(self, contract_id: int | None = None) -> None:
        super().__init__()
        self.contract_id = contract_id
        self.record: dict[str, Any] = current_record(contract_id) if contract_id else {}

    def title_text(self) -> str:
        if self.contract_id is None:
            return "New contract (saved as draft)"
        return f"Contract {self.record['code']}: settings"

    def fields(self) -> ComposeResult:
        r = self.record
        customers = [c for (c,) in Customer.select(Customer.code).order_by(Customer.code).tuples()]
        series = [s for (s,) in Series.select(Series.code).order_by(Series.code).tuples()]
        if self.contract_id is None:
            yield FieldRow("code", "Code", text_input("", placeholder="K-0001"),
                           tooltip="The contract's unique code")
        yield FieldRow("customer", "Customer", text_input(r.get("customer"),
                       placeholder="customer code", suggestions=customers),
                       tooltip="The customer's code (suggested as you type)")
        yield FieldRow("description", "Description", text_input(r.get("description")))
        yield FieldRow("start_date", "Start date", date_input(r.get("start_date")))
        yield FieldRow("end_date", "End date", date_input(r.get("end_date")),
                       tooltip="Empty: open-ended")
        yield FieldRow("frequency", "Frequency", FrequencyInput(r.get("frequency")))
        yield FieldRow("alignment", "Alignment",
                       choice_input(r.get("alignment", "start"), V.ALIGNMENTS),
                       tooltip="start: from the start date; month_end; calendar: months, "
                               "quarters, years")
        yield FieldRow("year_end_cut", "Year-end cut", check_input(r.get("year_end_cut", False)),
                       tooltip="A period never crosses 31 December")
        yield FieldRow("timing", "Timing", choice_input(r.get("timing", "advance"), V.TIMINGS),
                       tooltip="advance: invoice at the period start; arrears: at its end")
        yield FieldRow("invoice_offset_days", "Offset (days)",
                       text_input(r.get("invoice_offset_days", 0)),
                       tooltip="Days added to the invoice date (may be negative)")
        yield FieldRow("prorate", "Prorate", check_input(r.get("prorate", True)),
                       tooltip="Short periods bill their share; off: as whole periods")
        yield FieldRow("line_display", "Line display",
                       choice_input(r.get("line_display", "single"), V.LINE_DISPLAYS),
                       tooltip="single: one line per period; per_period: one per price period")
        yield FieldRow("one_off_with_first", "One-offs 1st",
                       check_input(r.get("one_off_with_first", False)),
                       tooltip="One-off lines ride on the first recurring invoice")
        yield FieldRow("document_type", "Document",
                       choice_input(r.get("document_type", "invoice"), V.DOCUMENT_TYPES))
        yield FieldRow("series", "Series", text_input(r.get("series", "A"), suggestions=series),
                       tooltip="The numbering series (sezionale)")

    def save(self, values: dict[str, Any]) -> int:
        db = self.app.db  # type: ignore[attr-defined]
        if self.contract_id is None:
            return create_contract(db, values)
        update_contract(db, self.contract_id, values)
        return self.contract_id


class LineFormScreen(FormScreen):
    """A new line of a contract, or one of its lines."""

    BINDINGS = _form_bindings("line_form")

    def __init__(self, contract_id: int, line_id: int | None = None) -> None:
        super().__init__()
        self.contract_id = contract_id
        self.line_id = line_id
        record = current_record(contract_id)
        self.code = record["code"]
        self.line: dict[str, Any] = next(
            (li for li in record["lines"] if li["id"] == line_id), {}
        )

    def title_text(self) -> str:
        if self.line_id is None:
            return f"Contract {self.code}: new line"
        return f"Contract {self.code}: line {self.line.get('description', '')}"

    def fields(self) -> ComposeResult:
        li = self.line
        articles = [a for (a,) in Article.select(Article.code).order_by(Article.code).tuples()]
        yield FieldRow("article", "Article", text_input(li.get("article"), suggestions=articles,
                       placeholder="article code"),
                       tooltip="Optional: a catalogue article gives description, price, VAT")
        yield FieldRow("description", "Description", text_input(li.get("description")))
        yield FieldRow("quantity", "Quantity", text_input(li.get("quantity", "1")))
        yield FieldRow("unit_price", "Unit price", text_input(li.get("unit_price"),
                       placeholder="0.00"), tooltip="Net of VAT; empty: the article's price")
        yield FieldRow("price_period", "Price per", FrequencyInput(
            li.get("price_period"), blank="installment"),
            tooltip="The period the price refers to (50 per month billed quarterly = 150)")
        yield FieldRow("vat_rate", "VAT %", text_input(li.get("vat_rate"), placeholder="22.00"))
        yield FieldRow("recurring", "Recurring", check_input(li.get("recurring", True)),
                       tooltip="Off: a one-off line, billed once")
        yield FieldRow("valid_from", "Valid from", date_input(li.get("valid_from")))
        yield FieldRow("valid_to", "Valid to", date_input(li.get("valid_to")))
        yield FieldRow("frequency", "Own frequency", FrequencyInput(
            li.get("frequency"), blank="contract's"),
            tooltip="Empty: the contract's frequency")

    def save(self, values: dict[str, Any]) -> int:
        db = self.app.db  # type: ignore[attr-defined]
        if self.line_id is None:
            return add_line(db, self.contract_id, values)
        update_line(db, self.contract_id, self.line_id, values)
        return self.line_id


__all__ = ["ContractFormScreen", "LineFormScreen"]
