"""What can be done to one invoice from any screen that shows it: issue a draft, write its
PDF, send its courtesy copy, credit it. Each answers with a message."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import getters, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static

from tui_billing.billing.confirmations import Confirmation
from tui_billing.billing.courtesy_copies import send_copy
from tui_billing.billing.drafts import draft_plan, issue_draft
from tui_billing.billing.invoice_views import invoice_document, invoice_json, pdf_file_name
from tui_billing.billing.numbering import preview_numbers
from tui_billing.domain.display import day
from tui_billing.domain.errors import UserError
from tui_billing.domain.i18n import N_, _
from tui_billing.domain.words import word
from tui_billing.output.pdf import write_invoice_pdf
from tui_billing.tui.app_base import BillingAppBase
from tui_billing.tui.errors import error_text
from tui_billing.tui.forms import show_field_error
from tui_billing.tui.screens.dated_questions import future_question


def issue_question(
    invoice_id: int, series: str, date: dt.date, document_type: str, today: dt.date
) -> Confirmation:
    """ "Issue 1 invoice (draft #12) dated 06/12/2026, number A/2026/0414?", with the
    future-date question when one is due. Raises NumberOrderError (read-only) when the
    date could not be numbered."""
    number = preview_numbers([(series, date, document_type)])[0]
    question = _("Issue 1 {document} (draft #{id}) dated {date}, number {number}?").format(
        document=word("document type", document_type),
        id=invoice_id,
        date=day(date),
        number=number.number,
    )
    return Confirmation(question, future_question([(series, date)], today))


class InvoiceChanged(Message):
    """An action on an invoice ended: ``text`` says what happened (or went wrong)."""

    def __init__(self, invoice_id: int, text: str, *, ok: bool) -> None:
        super().__init__()
        self.invoice_id = invoice_id
        self.text = text
        self.ok = ok


def write_pdf(invoice_id: int, target: Path, company, language: str | None) -> Path:
    """Write the invoice's PDF to ``target`` (a file, or a directory for the default name)."""
    if os.path.isdir(target):  # never raises, whatever the name
        target = target / pdf_file_name(invoice_json(invoice_id))
    return write_invoice_pdf(invoice_document(invoice_id, company, language), target)


if TYPE_CHECKING:  # mixed into billing screens: their app, messages and widgets
    from tui_billing.tui.screens.base import BillingScreen as _Screen
else:
    _Screen = object


class InvoiceActions(_Screen):
    """Mixed into a screen: ``invoice_id_for_action()`` names the invoice to act on."""

    ACTION_BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "i",
            "issue",
            N_("Issue"),
            id="invoice.issue",
            tooltip=N_("Issue the draft: give it the next number of its series"),
        ),
        Binding("p", "pdf", N_("PDF"), id="invoice.pdf", tooltip=N_("Write the invoice's PDF")),
        Binding(
            "m",
            "mail",
            N_("Mail"),
            id="invoice.mail",
            tooltip=N_("Send the courtesy copy (PDF by e-mail) to the customer"),
        ),
        Binding(
            "M",
            "mail_again",
            N_("Mail again"),
            show=False,
            id="invoice.mail_again",
            tooltip=N_("Send the courtesy copy again, even if it was sent"),
        ),
        Binding(
            "c",
            "credit",
            N_("Credit"),
            id="invoice.credit",
            tooltip=N_("Issue a credit note for the invoice: whole, chosen lines or an amount"),
        ),
    ]

    def invoice_id_for_action(self) -> int | None:
        raise NotImplementedError

    def _target(self) -> int | None:
        invoice_id = self.invoice_id_for_action()
        if invoice_id is None:
            self.app.notify(_("No invoice here"), severity="warning")
        return invoice_id

    def action_issue(self) -> None:
        from tui_billing.tui.screens.common import ask_first

        if (invoice_id := self._target()) is not None:
            today = self.app.today

            def question() -> Confirmation:
                series, date, document_type = draft_plan(invoice_id)
                return issue_question(invoice_id, series, date, document_type, today)

            ask_first(self, question, lambda: self._issue(invoice_id))

    def action_mail(self) -> None:
        if (invoice_id := self._target()) is not None:
            self._ask_mail(invoice_id, False)

    def action_mail_again(self) -> None:
        if (invoice_id := self._target()) is not None:
            self._ask_mail(invoice_id, True)

    def _ask_mail(self, invoice_id: int, again: bool) -> None:
        from tui_billing.tui.screens.common import ask_first

        def question() -> str:
            invoice = invoice_json(invoice_id)
            name = invoice["number"]
            if not name:
                raise UserError(
                    _("draft #{id} is a draft: only an issued invoice has a courtesy copy").format(
                        id=invoice_id
                    )
                )
            if again:
                return _(
                    "Send the courtesy copy of {number} again by e-mail (PDF) to its customer?"
                ).format(number=name)
            return _("Send the courtesy copy of {number} by e-mail (PDF) to its customer?").format(
                number=name
            )

        ask_first(self, question, lambda: self._mail(invoice_id, again))

    def action_credit(self) -> None:
        from tui_billing.tui.screens.common import open_screen
        from tui_billing.tui.screens.credit_dialog import CreditDialog

        invoice_id = self._target()
        if invoice_id is None:
            return

        def issued(number: str | None) -> None:
            if number:
                self.post_message(
                    InvoiceChanged(
                        invoice_id, _("Credit note {number} issued").format(number=number), ok=True
                    )
                )

        open_screen(self, lambda: CreditDialog(invoice_id, self.app.today), issued)

    def action_pdf(self) -> None:
        if (invoice_id := self._target()) is not None:
            self.app.push_screen(PdfDialog(invoice_id))

    @work(thread=True, exclusive=True, exit_on_error=False, group="invoice-action")
    def _issue(self, invoice_id: int) -> None:
        db = self.app.db
        try:
            number = issue_draft(db, invoice_id)
            self.post_message(
                InvoiceChanged(invoice_id, _("Issued as {number}").format(number=number), ok=True)
            )
        except Exception as exc:  # shown as a message
            self.post_message(InvoiceChanged(invoice_id, error_text(exc), ok=False))
        finally:
            db.close()

    @work(thread=True, exclusive=True, exit_on_error=False, group="invoice-action")
    def _mail(self, invoice_id: int, again: bool) -> None:
        app = self.app
        try:
            recipient = send_copy(app.db, app.config, invoice_id, again=again)
            self.post_message(
                InvoiceChanged(
                    invoice_id,
                    _("Courtesy copy sent to {recipient}").format(recipient=recipient),
                    ok=True,
                )
            )
        except Exception as exc:  # shown as a message
            text = error_text(exc)
            if "already sent" in text:
                text += " " + _("(M sends it again)")
            self.post_message(InvoiceChanged(invoice_id, text, ok=False))
        finally:
            app.db.close()


class PdfWritten(Message):
    def __init__(self, path: Path | None, error: str | None = None) -> None:
        super().__init__()
        self.path = path
        self.error = error


class PdfDialog(ModalScreen[Path | None]):
    """Where to write the PDF and in which language; enter writes it."""

    app = getters.app(BillingAppBase)  # self.app: the BillingApp, its state typed

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", N_("Cancel"), id="pdf.cancel", tooltip=N_("Write nothing")),
    ]

    def __init__(self, invoice_id: int) -> None:
        super().__init__()
        self.invoice_id = invoice_id

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="pdf-box"):
            yield Static(f"[b]{_('Write the PDF')}[/b]", classes="dialog-title")
            with Horizontal(classes="form-row"):
                yield Label(_("File"), classes="form-label")
                yield Input(
                    str(Path.cwd()),
                    id="pdf-path",
                    compact=True,
                    tooltip=_("A file, or a directory for the default name (A-2024-0001.pdf)"),
                )
            yield Static("", id="pdf-path-error", classes="field-error")
            with Horizontal(classes="form-row"):
                yield Label(_("Language"), classes="form-label")
                yield Select(
                    [("Italiano", "it"), ("English", "en")],
                    id="pdf-language",
                    compact=True,
                    prompt=_("the invoice's"),
                )
            with Horizontal(classes="dialog-buttons"):
                yield Button(_("Write"), id="pdf-ok", variant="primary", compact=True)
                yield Button(_("Cancel"), id="pdf-cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#pdf-path", Input).focus()

    @on(Input.Submitted)
    @on(Button.Pressed, "#pdf-ok")
    def _write(self) -> None:
        field = self.query_one("#pdf-path", Input)
        text = field.value.strip()
        if not text:
            show_field_error(
                field,
                self.query_one("#pdf-path-error", Static),
                UserError(_("a file or directory is required"), _("PDF file")),
            )
            return
        language = self.query_one("#pdf-language", Select).value
        self._run(Path(text).expanduser(), None if language is Select.NULL else str(language))

    @work(thread=True, exclusive=True, exit_on_error=False, group="pdf")
    def _run(self, target: Path, language: str | None) -> None:
        app = self.app
        try:
            path = write_pdf(self.invoice_id, target, app.config.company, language)
            self.post_message(PdfWritten(path))
        except Exception as exc:  # shown beside the field
            self.post_message(PdfWritten(None, error_text(exc)))
        finally:
            app.db.close()

    def on_pdf_written(self, message: PdfWritten) -> None:
        if message.path is None:
            show_field_error(
                self.query_one("#pdf-path", Input),
                self.query_one("#pdf-path-error", Static),
                UserError(message.error or ""),
            )
            return
        self.app.notify(_("PDF written: {path}").format(path=message.path))
        self.dismiss(message.path)

    @on(Button.Pressed, "#pdf-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
