""" "Create invoices" for the selected installments: the options of the invoices (append to
drafts, date, series, document type, status) with defaults so that enter bills at once;
then what was created."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import ClassVar

from textual import getters, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, DataTable, Input, Label, Select, Static

from tui_billing.billing.confirmations import (
    Confirmation,
    date_span,
    issue_confirmation,
)
from tui_billing.billing.invoicing import CreatedInvoice, create_invoices, plan_invoices
from tui_billing.domain import display
from tui_billing.domain.errors import UserError
from tui_billing.domain.i18n import N_, _, ngettext
from tui_billing.domain.vocabulary import DOCUMENT_TYPES
from tui_billing.domain.words import word
from tui_billing.tui.app_base import BillingAppBase
from tui_billing.tui.errors import error_text
from tui_billing.tui.forms import parse_optional_date, show_field_error
from tui_billing.tui.screens.common import DiscardGuard, ask_first, day, money
from tui_billing.tui.widgets.tick_box import TickBox

SHOWN_CREATED = 500  # invoices listed after a creation; the rest are counted


def installments_text(count: int) -> str:
    """``3 installments`` in the language in use."""
    return ngettext("{count} installment", "{count} installments", count).format(
        count=display.number(count)
    )


@dataclass(frozen=True)
class Creation:
    """What one "Create invoices" did."""

    installment_ids: list[int]
    created: list[CreatedInvoice]
    status: str

    @property
    def total(self) -> Decimal:
        return sum((c.total for c in self.created), Decimal("0.00"))


@dataclass(frozen=True)
class CreateOptions:
    invoice_date: dt.date | None
    series: str | None
    document_type: str | None
    append_to_draft: bool
    status: str


class _Done(Message):
    def __init__(self, creation: Creation | None, error: str | None = None) -> None:
        super().__init__()
        self.creation = creation
        self.error = error


class CreateInvoicesDialog(DiscardGuard, ModalScreen[Creation | None]):
    """The options of the new invoices; enter creates them, escape goes back."""

    app = getters.app(BillingAppBase)  # self.app: the BillingApp, its state typed

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "escape",
            "cancel",
            N_("Cancel"),
            id="create.cancel",
            tooltip=N_("Back to the due installments, nothing created"),
        ),
        Binding(
            "ctrl+s",
            "create",
            N_("Create"),
            id="create.confirm",
            tooltip=N_("Create the invoices with these options"),
        ),
    ]

    def __init__(self, installment_ids: list[int], total: Decimal, hidden: int = 0) -> None:
        super().__init__()
        self.installment_ids = installment_ids
        self.total = total
        self.hidden = hidden
        self._busy = False

    def compose(self) -> ComposeResult:
        count = len(self.installment_ids)
        with Vertical(classes="dialog", id="create-box"):
            yield Static(
                _("[b]Create invoices[/b] for {installments}, {total} net").format(
                    installments=installments_text(count), total=money(self.total)
                ),
                classes="dialog-title",
            )
            if self.hidden:
                yield Static(
                    _("{count} of them are hidden by the filter").format(
                        count=display.number(self.hidden)
                    ),
                    classes="dialog-warning",
                )
            with Horizontal(classes="form-row"):
                yield Label(_("Invoice date"), classes="form-label")
                yield Input(
                    id="create-date",
                    compact=True,
                    placeholder=_("each installment's own"),
                    tooltip=_("dd/mm/yyyy; empty: each installment's own invoice date"),
                )
            yield Static("", id="create-date-error", classes="field-error")
            with Horizontal(classes="form-row"):
                yield Label(_("Series"), classes="form-label")
                yield Input(
                    id="create-series",
                    compact=True,
                    placeholder=_("each contract's"),
                    tooltip=_("Numbering series; empty: each contract's own"),
                )
            with Horizontal(classes="form-row"):
                yield Label(_("Document type"), classes="form-label")
                yield Select(
                    [(word("document type", t), t) for t in DOCUMENT_TYPES],
                    id="create-doctype",
                    compact=True,
                    prompt=_("each contract's"),
                    allow_blank=True,
                )
            with Horizontal(classes="form-row"):
                yield Label(_("Status"), classes="form-label")
                yield Select(
                    [
                        (_("draft (not numbered)"), "draft"),
                        (_("issued (numbered now)"), "issued"),
                    ],
                    id="create-status",
                    compact=True,
                    value="draft",
                    allow_blank=False,
                )
            with Horizontal(classes="form-row"):
                yield Label(_("Append to drafts"), classes="form-label")
                yield TickBox(_("to the customer's open draft"), id="create-append", compact=True)
            yield Static("", id="create-error", classes="dialog-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button(_("Create"), id="create-ok", variant="primary", compact=True)
                yield Button(_("Cancel"), id="create-cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#create-date", Input).focus()

    def options(self) -> CreateOptions:
        """The options as typed; raises UserError (and marks the field) when one is wrong."""
        date_field = self.query_one("#create-date", Input)
        message = self.query_one("#create-date-error", Static)
        try:
            invoice_date = parse_optional_date(date_field.value, _("invoice date"))
        except UserError as exc:
            show_field_error(date_field, message, exc)
            raise
        show_field_error(date_field, message, None)
        doc_type = self.query_one("#create-doctype", Select).value
        series = self.query_one("#create-series", Input).value.strip()
        return CreateOptions(
            invoice_date=invoice_date,
            series=series or None,
            document_type=None if doc_type is Select.NULL else str(doc_type),
            append_to_draft=self.query_one("#create-append", TickBox).value,
            status=str(self.query_one("#create-status", Select).value),
        )

    @on(Input.Submitted)
    @on(Button.Pressed, "#create-ok")
    def action_create(self) -> None:
        if self._busy:
            return
        try:
            options = self.options()
        except UserError:
            self.query_one("#create-date", Input).focus()
            return
        ask_first(
            self,
            lambda: self._question(options),
            lambda: self._start(options),
            self._refused,
        )

    def _refused(self, text: str) -> None:
        self.query_one("#create-error", Static).update(text)
        self.app.notify(text, severity="error", timeout=10)

    def _question(self, options: CreateOptions) -> Confirmation:
        """What the invoices would be (read in a thread): count, dates, numbers."""
        planned = plan_invoices(
            self.app.db,
            self.installment_ids,
            invoice_date=options.invoice_date,
            series=options.series,
            document_type=options.document_type,
            append_to_draft=options.append_to_draft,
        )
        items = [(series, date, doc) for series, date, doc, _draft in planned]
        appended = sum(1 for *_rest, on_draft in planned if on_draft)
        number = display.number
        installments = installments_text(len(self.installment_ids))
        if self.hidden:
            what = _(" for {installments} ({hidden} of them hidden by the filter)").format(
                installments=installments, hidden=number(self.hidden)
            )
        else:
            what = _(" for {installments}").format(installments=installments)
        if appended:
            what += _(", {count} of them drafts already open").format(count=number(appended))
        if options.status == "issued":
            return issue_confirmation(items, self.app.today, extra=what)
        return Confirmation(
            ngettext(
                "Create {count} draft invoice dated {dates}{what}? Drafts take no number yet.",
                "Create {count} draft invoices dated {dates}{what}? Drafts take no number yet.",
                len(items),
            ).format(
                count=number(len(items)),
                dates=date_span([d for _series, d, _doc in items]),
                what=what,
            )
        )

    def _start(self, options: CreateOptions) -> None:
        self._busy = True
        self.query_one("#create-error", Static).update(_("creating…"))
        self.query_one("#create-ok", Button).disabled = True
        self._create(options)

    @work(thread=True, exclusive=True, exit_on_error=False, group="create-invoices")
    def _create(self, options: CreateOptions) -> None:
        db = self.app.db
        try:
            created = create_invoices(
                db,
                self.installment_ids,
                invoice_date=options.invoice_date,
                series=options.series,
                document_type=options.document_type,
                append_to_draft=options.append_to_draft,
                status=options.status,
            )
            self.post_message(_Done(Creation(list(self.installment_ids), created, options.status)))
        except Exception as exc:  # shown in the dialog, nothing was written
            self.post_message(_Done(None, error_text(exc)))
        finally:
            db.close()

    def on__done(self, message: _Done) -> None:
        self._busy = False
        self.query_one("#create-ok", Button).disabled = False
        if message.creation is not None:
            self.dismiss(message.creation)
            return
        self.query_one("#create-error", Static).update(message.error or "")
        self.app.notify(message.error or "", severity="error", timeout=10)

    @on(Button.Pressed, "#create-cancel")
    def action_cancel(self) -> None:
        if not self._busy:
            self.leave(lambda: self.dismiss(None))


class CreatedInvoicesScreen(ModalScreen[None]):
    """What "Create invoices" made: numbers (or draft ids), customers, totals."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "escape,enter,q",
            "close",
            N_("Close"),
            id="created.close",
            priority=True,
            tooltip=N_("Back to the due installments"),
        ),
    ]

    def __init__(self, creation: Creation) -> None:
        super().__init__()
        self.creation = creation

    def compose(self) -> ComposeResult:
        c = self.creation
        billed = sum(i.installments for i in c.created)
        appended = sum(1 for i in c.created if i.appended)
        number = display.number
        created = ngettext("{count} invoice created", "{count} invoices created", len(c.created))
        status = word("status", c.status)
        if appended:
            status = _("{status}, {count} appended to drafts").format(
                status=status, count=number(appended)
            )
        with Vertical(classes="dialog", id="created-box"):
            yield Static(
                _("[b]{created}[/b] ({status}): {installments}, total {total}").format(
                    created=created.format(count=number(len(c.created))),
                    status=status,
                    installments=installments_text(billed),
                    total=money(c.total),
                ),
                classes="dialog-title",
            )
            yield DataTable(id="created-table", cursor_type="row", zebra_stripes=True)
            if len(c.created) > SHOWN_CREATED:
                yield Static(
                    _("… and {count} more (see Invoices)").format(
                        count=number(len(c.created) - SHOWN_CREATED)
                    ),
                    classes="dialog-line",
                )
            yield Static(_("enter: back to the due installments"), classes="dialog-hint")

    def on_mount(self) -> None:
        self.call_after_refresh(self._fill)

    def _fill(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns(
            _("Invoice"), _("Date"), _("Customer"), _("Inst."), _("Taxable"), _("VAT"), _("Total")
        )
        for inv in self.creation.created[:SHOWN_CREATED]:
            name = inv.number or _("draft #{id}").format(id=inv.id)
            if inv.appended:
                name += " +"
            table.add_row(
                name,
                day(inv.date),
                inv.customer,
                display.number(inv.installments),
                money(inv.taxable),
                money(inv.vat),
                money(inv.total),
            )
        table.focus()

    def action_close(self) -> None:
        self.dismiss(None)
