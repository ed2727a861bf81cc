"""The forms that edit a contract's settings and one of its lines; a refused value is named
next to its field and nothing is saved."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Footer, Label, Select, Static

from tui_billing.billing.contract_editing import (
    add_line,
    create_contract,
    current_record,
    update_contract,
    update_line,
)
from tui_billing.billing.economics_input import STEPS_EXAMPLE, steps_text
from tui_billing.billing.lookups import (
    article_codes,
    customer_codes,
    index_series_codes,
    series_codes,
)
from tui_billing.domain import display
from tui_billing.domain import vocabulary as V
from tui_billing.domain.errors import UserError
from tui_billing.domain.i18n import N_, _, pgettext
from tui_billing.domain.late_interest import RULES as LATE_INTEREST_RULES
from tui_billing.domain.lifecycle import RENEWALS
from tui_billing.domain.vat_natures import VAT_NATURES
from tui_billing.domain.words import word
from tui_billing.tui.screens.base import BillingScreen
from tui_billing.tui.screens.common import DiscardGuard
from tui_billing.tui.screens.contract_summary import alignment_word, line_display_word
from tui_billing.tui.widgets.form_fields import (
    FORM_CSS,
    FieldRow,
    FormMixin,
    FrequencyInput,
    check_input,
    date_input,
    text_input,
)

#: The VAT rate of a line left empty without an article: the ordinary rate (an article
#: gives its own rate and nature instead).
DEFAULT_VAT_RATE = "22"


def _marked() -> None:  # pragma: no cover - never called: marks the words for extraction
    pgettext("late interest", "none")
    pgettext("late interest", "fixed")
    pgettext("late interest", "legal")
    pgettext("renewal", "none")
    pgettext("renewal", "tacit")
    pgettext("renewal", "manual")


_LANGUAGE_NAMES = {"it": N_("Italian"), "en": N_("English")}

# How a stored value is shown in its field: dates and amounts in the style of the language
# (what is typed back is read in either style).
_SHOWN: dict[str, Callable[[Any], str]] = {
    "start_date": display.day,
    "end_date": display.day,
    "valid_from": display.day,
    "valid_to": display.day,
    "unit_price": display.price,
    "installment_amount": display.money,
    "late_fee": display.money,
    "vat_rate": display.rate,
    "late_interest_rate": display.rate,
}


def shown(name: str, value: Any) -> Any:
    """``value`` of field ``name`` as its field shows it (as it is when not a known kind)."""
    show = _SHOWN.get(name)
    if show is None or value in (None, ""):
        return value
    try:
        return show(value)
    except (ValueError, ArithmeticError, TypeError):
        return value


def _context_word(context: str) -> Callable[[str], str]:
    return lambda code: pgettext(context, code)


def word_choice(
    value: str | None,
    choices: Iterable[str],
    shown: Callable[[str], str],
    *,
    blank: str | None = None,
) -> Select[str]:
    """A choice among the codes ``choices``, each shown as ``shown(code)`` reads it (the
    value stays the code); with ``blank``, also that label for no value (None)."""
    options = [(shown(code), code) for code in choices]
    if blank is not None:
        options.insert(0, (blank, ""))
    return Select(options, value=value or "", allow_blank=False, compact=True)


_SCREEN_CSS = (
    FORM_CSS
    + """
#form-title { height: 1; background: $panel; color: $text; text-style: bold; padding: 0 1; }
#form-body { height: 1fr; padding: 0 1; }
.form-hint { color: $text-muted; height: 1; margin-top: 1; }
.form-message { padding: 0 1; }
"""
)


def _form_bindings(prefix: str) -> list[BindingType]:
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


def _section(title: str) -> Label:
    return Label(title, classes="form-section")


class FormScreen(DiscardGuard, FormMixin, BillingScreen):
    """A full-screen form: its rows, a message line, ctrl+s saves, escape leaves.

    Its fields are made once :meth:`fetch` has read what they show (the record, the codes
    they suggest) and :meth:`take` has kept it; a form reads once, so what the operator
    types is never overwritten.

    ``DEPENDS`` turns fields off (skipped, left out) while the field they depend on does
    not have a value that uses them: ``{"late_interest_rate": ("late_interest", "fixed")}``
    (a value; None: any non-empty one)."""

    DEFAULT_CSS = _SCREEN_CSS
    TITLE_TEXT = ""
    DEPENDS: dict[str, tuple[str, Any]] = {}
    filled = False  # what the fields show is read: they are being made
    ready = False  # the fields are on the screen

    def compose(self) -> ComposeResult:
        yield Static(_("reading…"), id="form-title")
        with VerticalScroll(id="form-body"):
            yield Label(
                _("ctrl+s save · esc cancel · tab next field · enter in a field saves"),
                classes="form-hint",
            )
        yield Static("", classes="form-message")
        yield Footer()

    @property
    def reading(self) -> bool:
        return super().reading or (self.filled and not self.ready)

    def title_text(self) -> str:
        return self.TITLE_TEXT

    def fields(self) -> ComposeResult:
        yield from ()

    def on_mount(self) -> None:
        self.refresh_data()

    def fetch(self, arguments: None) -> Any:
        """Worker thread: what the fields show (nothing, for a form of new values)."""
        return None

    def take(self, data: Any) -> None:
        """UI thread: keep what :meth:`fetch` read, for :meth:`title_text` and :meth:`fields`."""

    def show(self, data: Any) -> None:
        if self.filled:
            return
        self.filled = True
        self.take(data)
        self.query_one("#form-title", Static).update(self.title_text())
        self.call_later(self._mount_fields)

    async def _mount_fields(self) -> None:
        body = self.query_one("#form-body", VerticalScroll)
        await body.mount_all(list(self.fields()), before=self.query_one(".form-hint"))
        self.ready = True
        self.enable_dependents()
        first = next((r for r in self.rows().values() if not r.widget.disabled), None)
        if first is not None:
            first.widget.focus()

    def show_error(self, error: UserError | str) -> None:
        """A refused value next to its field; a form whose record cannot be read closes,
        saying why."""
        if isinstance(error, str):
            self.notify(error, severity="error", timeout=8)
            self.app.pop_screen()  # as if never opened: no result for the screen beneath
            return
        super().show_error(error)

    def enable_dependents(self) -> None:
        if not self.ready:
            return
        rows = self.rows()
        for name, (on, wanted) in self.DEPENDS.items():
            if on not in rows or name not in rows:
                continue  # the form is being closed
            value = rows[on].value
            rows[name].set_enabled(value == wanted if wanted is not None else bool(value))

    def on_input_changed(self) -> None:
        self.enable_dependents()

    def on_select_changed(self) -> None:
        self.enable_dependents()

    def on_input_submitted(self) -> None:
        self.action_save()

    def action_cancel(self) -> None:
        self.leave(lambda: self.dismiss(None))

    def action_save(self) -> None:
        if not self.ready:
            return  # still reading
        try:
            result = self.save(self.values())
        except UserError as exc:
            self.show_error(exc)
            return
        except Exception as exc:  # an engine or database error: a message, not a traceback
            self.show_error(UserError(_("cannot save: {error}").format(error=exc)))
            return
        self.dismiss(result)

    def save(self, values: dict[str, Any]) -> Any:
        raise NotImplementedError


def price_text(value: Any) -> str:
    """A renewal price change as the form writes it: ``3`` or ``FOI 75``."""
    if not isinstance(value, dict):
        return value or ""
    if "index" in value:
        return f"{value['index']} {value.get('share', '100')}"
    return str(value.get("percent", ""))


def _fee(value: Any) -> Any:
    """A stored fee as the form shows it: none when zero."""
    return None if value in (None, "0.00", "0") else value


class ContractFormScreen(FormScreen):
    """A new contract, or the settings of one: customer, dates, billing settings, payment
    and late-payment terms."""

    BINDINGS = _form_bindings("contract_form")
    DEPENDS = {"late_interest_rate": ("late_interest", "fixed")}

    def __init__(self, contract_id: int | None = None) -> None:
        super().__init__()
        self.contract_id = contract_id
        self.record: dict[str, Any] = {}
        self.customers: list[str] = []
        self.series: list[str] = []

    def fetch(self, arguments: None) -> tuple[dict[str, Any], list[str], list[str]]:
        record = current_record(self.contract_id) if self.contract_id else {}
        return record, customer_codes(keep=record.get("customer")), series_codes()

    def take(self, data: tuple[dict[str, Any], list[str], list[str]]) -> None:
        self.record, self.customers, self.series = data

    def title_text(self) -> str:
        if self.contract_id is None:
            return _("New contract (saved as draft)")
        return _("Contract {code}: settings").format(code=self.record["code"])

    def fields(self) -> ComposeResult:
        r = self.record
        customers, series = self.customers, self.series
        if self.contract_id is None:
            yield FieldRow(
                "code",
                _("Code"),
                text_input("", placeholder=_("K-0001")),
                tooltip=_("The contract's unique code"),
            )
        yield FieldRow(
            "customer",
            _("Customer"),
            text_input(r.get("customer"), placeholder=_("customer code"), suggestions=customers),
            tooltip=_("The customer's code (suggested as you type)"),
        )
        yield FieldRow("description", _("Description"), text_input(r.get("description")))
        yield FieldRow(
            "start_date", _("Start date"), date_input(shown("start_date", r.get("start_date")))
        )
        yield FieldRow(
            "end_date",
            _("End date"),
            date_input(shown("end_date", r.get("end_date"))),
            tooltip=_("Empty: open-ended"),
        )
        yield FieldRow("frequency", _("Frequency"), FrequencyInput(r.get("frequency")))
        yield FieldRow(
            "alignment",
            _("Alignment"),
            word_choice(r.get("alignment", "start"), V.ALIGNMENTS, alignment_word),
            tooltip=_("start: from the start date; month_end; calendar: months, quarters, years"),
        )
        yield FieldRow(
            "year_end_cut",
            _("Year-end cut"),
            check_input(r.get("year_end_cut", False)),
            tooltip=_("A period never crosses 31 December"),
        )
        yield FieldRow(
            "timing",
            _("Timing"),
            word_choice(r.get("timing", "advance"), V.TIMINGS, lambda code: word("timing", code)),
            tooltip=_("advance: invoice at the period start; arrears: at its end"),
        )
        yield FieldRow(
            "invoice_offset_days",
            _("Offset (days)"),
            text_input(r.get("invoice_offset_days", 0)),
            tooltip=_("Days added to the invoice date (may be negative)"),
        )
        yield FieldRow(
            "prorate",
            _("Prorate"),
            check_input(r.get("prorate", True)),
            tooltip=_("Short periods bill their share; off: as whole periods"),
        )
        yield FieldRow(
            "line_display",
            _("Line display"),
            word_choice(r.get("line_display", "single"), V.LINE_DISPLAYS, line_display_word),
            tooltip=_("single: one line per period; per_period: one per price period"),
        )
        yield FieldRow(
            "one_off_with_first",
            _("One-offs 1st"),
            check_input(r.get("one_off_with_first", False)),
            tooltip=_("One-off lines ride on the first recurring invoice"),
        )
        yield FieldRow(
            "document_type",
            _("Document"),
            word_choice(
                r.get("document_type", "invoice"),
                V.DOCUMENT_TYPES,
                lambda code: word("document type", code),
            ),
        )
        yield FieldRow(
            "series",
            _("Series"),
            text_input(r.get("series", "A"), suggestions=series),
            tooltip=_("The numbering series (sezionale)"),
        )
        yield _section(pgettext("field", "Payment"))
        yield FieldRow(
            "language",
            _("Language"),
            word_choice(
                r.get("language"),
                V.LANGUAGES,
                lambda code: _(_LANGUAGE_NAMES.get(code, code)),
                blank=_("customer's"),
            ),
            tooltip=_("The invoices' language (it, en); customer's: as the customer"),
        )
        yield FieldRow(
            "payment_method",
            _("Method"),
            word_choice(
                r.get("payment_method"),
                V.PAYMENT_METHODS,
                lambda code: word("payment method", code),
                blank=_("customer's"),
            ),
            tooltip=_(
                "bank_transfer, sepa_direct_debit (RID), riba...; customer's: as the customer"
            ),
        )
        yield FieldRow(
            "iban",
            _("IBAN"),
            text_input(r.get("iban"), placeholder=_("customer's")),
            wide=True,
            tooltip=_(
                "The account for SEPA direct debit / RiBa (checked "
                "digit by digit); empty: the customer's"
            ),
        )
        yield FieldRow(
            "cost_centre",
            _("Cost centre"),
            text_input(r.get("cost_centre")),
            tooltip=_("Analytic accounting: carried to each invoice line"),
        )
        yield FieldRow(
            "cig",
            _("CIG"),
            text_input(r.get("cig"), placeholder=_("none")),
            tooltip=_(
                "A public administration's contract: its CIG (10 characters), "
                "carried to its e-invoices"
            ),
        )
        yield FieldRow(
            "cup",
            _("CUP"),
            text_input(r.get("cup"), placeholder=_("none")),
            tooltip=_("The CUP of a public works contract (15 characters)"),
        )
        yield _section(_("Late payment"))
        yield FieldRow(
            "late_interest",
            pgettext("field", "Late interest"),
            word_choice(
                r.get("late_interest", "none"),
                LATE_INTEREST_RULES,
                _context_word("late interest"),
            ),
            tooltip=_(
                "none; fixed: the rate below; legal: ECB reference rate + 8 "
                "points (D.Lgs. 231/2002)"
            ),
        )
        yield FieldRow(
            "late_interest_rate",
            _("Interest %"),
            text_input(
                shown("late_interest_rate", r.get("late_interest_rate")),
                placeholder=_("with fixed: e.g. 9.50"),
            ),
            tooltip=_("The annual rate of late interest 'fixed'"),
        )
        yield FieldRow(
            "late_grace_days",
            _("Grace (days)"),
            text_input(r.get("late_grace_days", 0)),
            tooltip=_("Days after the due date within which a payment owes nothing"),
        )
        yield FieldRow(
            "late_fee",
            _("Recovery fee"),
            text_input(
                shown("late_fee", _fee(r.get("late_fee"))), placeholder=_("none (law: 40.00)")
            ),
            tooltip=_("Billed once per late invoice; the law's flat amount is 40.00"),
        )
        yield _section(_("Term and renewal"))
        yield FieldRow(
            "duration",
            _("Duration"),
            FrequencyInput(r.get("duration")),
            tooltip=_("The first term (e.g. annual); the end date follows from it when left empty"),
        )
        yield FieldRow(
            "renewal",
            _("Renewal"),
            word_choice(r.get("renewal", "none"), RENEWALS, _context_word("renewal")),
            tooltip=_(
                "none; tacit: renews by itself unless cancelled in time; "
                "manual: listed for a decision"
            ),
        )
        yield FieldRow(
            "renewal_duration",
            _("Renews for"),
            FrequencyInput(r.get("renewal_duration")),
            tooltip=_("Each renewal's length; empty: the duration"),
        )
        yield FieldRow(
            "notice_days",
            _("Notice (days)"),
            text_input(r.get("notice_days", 0)),
            tooltip=_("A cancellation must arrive this many days before the end"),
        )
        yield FieldRow(
            "renewal_price",
            _("Price at renewal"),
            text_input(price_text(r.get("renewal_price")), placeholder=_("none: +3 or FOI 75")),
            tooltip=_(
                "A percent change (+3, -1.5) or an index review (FOI 75: "
                "75% of the FOI's yearly variation)"
            ),
        )

    def save(self, values: dict[str, Any]) -> int:
        db = self.app.db
        if self.contract_id is None:
            return create_contract(db, values)
        update_contract(db, self.contract_id, values)
        return self.contract_id


class LineFormScreen(FormScreen):
    """A new line of a contract, or one of its lines, with its economics: index adjustment,
    step-ups, revenue share, advance and balancing."""

    BINDINGS = _form_bindings("line_form")
    DEPENDS = {
        "index_share": ("index_series", None),
        "index_month": ("index_series", None),
        "index_base_month": ("index_series", None),
        "revenue_minimum": ("revenue_percent", None),
        "advance_rate": ("advance_balance", None),
    }

    def __init__(self, contract_id: int, line_id: int | None = None) -> None:
        super().__init__()
        self.contract_id = contract_id
        self.line_id = line_id
        self.code = ""
        self.line: dict[str, Any] = {}
        self.articles: list[str] = []
        self.index_series: list[str] = []

    def fetch(self, arguments: None) -> tuple[dict[str, Any], list[str], list[str]]:
        return current_record(self.contract_id), article_codes(), index_series_codes()

    def take(self, data: tuple[dict[str, Any], list[str], list[str]]) -> None:
        record, self.articles, self.index_series = data
        self.code = record["code"]
        self.line = next((li for li in record["lines"] if li["id"] == self.line_id), {})

    def title_text(self) -> str:
        if self.line_id is None:
            return _("Contract {code}: new line").format(code=self.code)
        return _("Contract {code}: line {description}").format(
            code=self.code, description=self.line.get("description", "")
        )

    def fields(self) -> ComposeResult:
        li = self.line
        articles = self.articles
        yield FieldRow(
            "article",
            _("Article"),
            text_input(li.get("article"), suggestions=articles, placeholder=_("article code")),
            tooltip=_("Optional: a catalogue article gives description, price, VAT"),
        )
        yield FieldRow("description", _("Description"), text_input(li.get("description")))
        yield FieldRow("quantity", _("Quantity"), text_input(li.get("quantity", "1")))
        yield FieldRow(
            "unit_price",
            _("Unit price"),
            text_input(
                shown("unit_price", li.get("unit_price")), placeholder=_("empty: the article's")
            ),
            tooltip=_("Net of VAT; empty: the article's price"),
        )
        yield FieldRow(
            "price_period",
            _("Price per"),
            FrequencyInput(li.get("price_period"), blank=_("installment")),
            tooltip=_("The period the price refers to (50 per month billed quarterly = 150)"),
        )
        yield FieldRow(
            "vat_rate",
            _("VAT %"),
            text_input(
                shown("vat_rate", li.get("vat_rate")), placeholder=_("empty: article's, else 22")
            ),
            tooltip=_("The VAT rate in percent; empty: the article's rate, else the ordinary 22%"),
        )
        yield FieldRow(
            "vat_nature",
            _("VAT nature"),
            text_input(
                li.get("vat_nature"),
                placeholder=_("none (0%: N4, N6.3 ...)"),
                suggestions=tuple(VAT_NATURES),
            ),
            tooltip=_(
                "Why a 0% line carries no VAT (required at 0%, refused with VAT): "
                "N2.x not subject, N3.x not taxable, N4 exempt, N6.x reverse charge"
            ),
        )
        yield FieldRow(
            "recurring",
            _("Recurring"),
            check_input(li.get("recurring", True)),
            tooltip=_("Off: a one-off line, billed once"),
        )
        yield FieldRow(
            "valid_from", _("Valid from"), date_input(shown("valid_from", li.get("valid_from")))
        )
        yield FieldRow("valid_to", _("Valid to"), date_input(shown("valid_to", li.get("valid_to"))))
        yield FieldRow(
            "frequency",
            _("Own frequency"),
            FrequencyInput(li.get("frequency"), blank=_("contract's")),
            tooltip=_("Empty: the contract's frequency"),
        )
        yield from self.economics_fields()

    def economics_fields(self) -> ComposeResult:
        """Index, step-ups, revenue share, advance: each off while its first field is empty."""
        li = self.line
        index, revenue, advance = (li.get(k) or {} for k in ("index", "revenue", "advance"))
        series = self.index_series
        yield _section(_("Economics (recurring lines)"))
        yield FieldRow(
            "index_series",
            _("Index"),
            text_input(index.get("series"), placeholder=_("none"), suggestions=series),
            path="index.series",
            tooltip=_("Index adjustment by a series kept here (ISTAT FOI); empty: none"),
        )
        yield FieldRow(
            "index_share",
            _("Index share %"),
            text_input(index.get("share"), placeholder=_("75 or 100"), suggestions=("75", "100")),
            path="index.share",
            tooltip=_("The share of the index variation applied: 75 or 100"),
        )
        yield FieldRow(
            "index_month",
            _("Adjust in month"),
            text_input(index.get("month"), placeholder=_("1-12")),
            path="index.month",
            tooltip=_("The month (1-12) each yearly adjustment applies from"),
        )
        yield FieldRow(
            "index_base_month",
            _("Base month"),
            text_input(index.get("base_month"), placeholder=_("YYYY-MM")),
            path="index.base_month",
            tooltip=_("The index month the first adjustment compares with"),
        )
        yield FieldRow(
            "steps",
            _("Step-ups"),
            text_input(steps_text(li.get("steps")), placeholder=_("none (e.g. 01/07/2026 +50; …)")),
            wide=True,
            tooltip=_(
                "From each date the price changes by an amount or a percentage: {example}"
            ).format(example=STEPS_EXAMPLE),
        )
        yield FieldRow(
            "revenue_percent",
            _("Revenue %"),
            text_input(revenue.get("percent"), placeholder=_("none")),
            path="revenue.percent",
            tooltip=_(
                "Bills this percentage of the revenue reported for the previous "
                "period; empty: its price"
            ),
        )
        yield FieldRow(
            "revenue_minimum",
            _("Guaranteed min"),
            check_input(revenue.get("minimum", False)),
            path="revenue.minimum",
            tooltip=_("The line's own price is the guaranteed minimum of the revenue share"),
        )
        yield FieldRow(
            "advance_balance",
            _("Balance every"),
            FrequencyInput(advance.get("balance"), blank=_("no advance")),
            path="advance.balance",
            tooltip=_("The price is an advance, balanced against the figure of each such period"),
        )
        yield FieldRow(
            "advance_rate",
            _("Balance rate"),
            text_input(advance.get("rate"), placeholder=_("1")),
            path="advance.rate",
            tooltip=_("A balancing bills the figure x this rate, less the advances"),
        )

    def save(self, values: dict[str, Any]) -> int:
        db = self.app.db
        if not values.get("vat_rate") and not values.get("article"):
            values = {**values, "vat_rate": DEFAULT_VAT_RATE}  # empty: the ordinary rate
        if self.line_id is None:
            return add_line(db, self.contract_id, values)
        update_line(db, self.contract_id, self.line_id, values)
        return self.line_id


__all__ = ["ContractFormScreen", "LineFormScreen"]
