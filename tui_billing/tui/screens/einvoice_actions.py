"""E-invoices from the invoices screen: write one XML, export every pending one, import
SdI receipts. Each asks for a path, works in a thread and answers with a message."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from tui_billing.billing.einvoices import EInvoiceState
from tui_billing.domain import display
from tui_billing.domain.errors import UserError
from tui_billing.domain.i18n import N_, _, ngettext
from tui_billing.domain.words import word
from tui_billing.tui.errors import error_text
from tui_billing.tui.forms import show_field_error
from tui_billing.tui.screens.common import confirm
from tui_billing.tui.screens.invoice_actions import InvoiceChanged

MAX_RECEIPT_BYTES = 5 * 1024 * 1024


# an e-invoice's state (domain.einvoice_states) as a person reads it
def einvoice_state_word(state: str) -> str:
    """An e-invoice state code (``not_delivered``) in the language in use."""
    return word("e-invoice state", state)


def einvoice_state_text(state: EInvoiceState) -> str:
    """The state in words, with the SdI's error codes when it was rejected."""
    codes = ", ".join(e.split(" ", 1)[0] for e in state.errors)
    name = einvoice_state_word(state.state)
    return f"{name} ({codes})" if codes else name


class PathDialog(ModalScreen[str | None]):
    """One path asked for: enter gives it, escape gives None."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", N_("Cancel"), id="path.cancel", tooltip=N_("Do nothing")),
    ]

    def __init__(self, title: str, default: str, hint: str) -> None:
        super().__init__()
        self.title_text = title
        self.default = default
        self.hint = hint

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="path-box"):
            yield Static(f"[b]{self.title_text}[/b]", classes="dialog-title")
            with Horizontal(classes="form-row"):
                yield Label(_("Path"), classes="form-label")
                yield Input(self.default, id="path-input", compact=True, tooltip=self.hint)
            yield Static(self.hint, classes="dialog-hint")
            yield Static("", id="path-error", classes="field-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button(_("OK"), id="path-ok", variant="primary", compact=True)
                yield Button(_("Cancel"), id="path-cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#path-input", Input).focus()

    @on(Input.Submitted)
    @on(Button.Pressed, "#path-ok")
    def _done(self) -> None:
        field = self.query_one("#path-input", Input)
        if not field.value.strip():
            show_field_error(
                field,
                self.query_one("#path-error", Static),
                UserError(_("a path is required"), _("path")),
            )
            return
        self.dismiss(str(Path(field.value.strip()).expanduser()))

    @on(Button.Pressed, "#path-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


def receipt_files(text: str) -> list[tuple[str, bytes]]:
    """The notifications at ``text``: one file, or every ``*.xml`` of a folder."""
    path = Path(text)
    paths = sorted(path.glob("*.xml")) if path.is_dir() else [path]
    if not paths:
        raise UserError(_("no .xml files in the folder: nothing recorded"), text)
    files = []
    for one in paths:
        try:
            data = one.read_bytes()
        except OSError as exc:
            raise UserError(
                _("cannot read: {reason}: nothing recorded").format(reason=exc.strerror or exc),
                str(one),
            ) from None
        if len(data) > MAX_RECEIPT_BYTES:
            raise UserError(_("larger than any SdI notification: nothing recorded"), str(one))
        files.append((one.name, data))
    return files


if TYPE_CHECKING:  # mixed into billing screens: their app, messages and widgets
    from tui_billing.tui.screens.base import BillingScreen as _Screen
else:
    _Screen = object


class EInvoiceActions(_Screen):
    """Mixed into the invoices screen: ``invoice_id_for_action()`` names the document."""

    EINVOICE_BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "x",
            "einvoice",
            N_("XML"),
            id="invoices.einvoice",
            tooltip=N_("Write the e-invoice XML of the issued document"),
        ),
        Binding(
            "e",
            "einvoice_export",
            N_("Export"),
            id="invoices.einvoice_export",
            tooltip=N_("Export every pending e-invoice into a folder or a .zip"),
        ),
        Binding(
            "r",
            "einvoice_receipts",
            N_("Receipts"),
            id="invoices.einvoice_receipts",
            tooltip=N_("Read SdI notifications (a file, or every .xml of a folder)"),
        ),
    ]

    def _default_folder(self) -> str:
        return self.app.config.einvoice.dir or str(Path.cwd())

    def action_einvoice(self) -> None:
        invoice_id = self.invoice_id_for_action()  # type: ignore[attr-defined]
        if invoice_id is None:
            self.app.notify(_("No invoice here"), severity="warning")
            return

        def chosen(path: str | None) -> None:
            if path:
                self._write_einvoice(invoice_id, path)

        self.app.push_screen(
            PathDialog(
                _("Write the e-invoice XML"),
                str(Path.cwd()),
                _("A file, or a folder for its SdI name (IT01234560017_00001.xml)"),
            ),
            chosen,
        )

    def action_einvoice_export(self) -> None:
        def chosen(path: str | None) -> None:
            if path:
                confirm(
                    self,
                    _(
                        "Export every pending e-invoice to {path}? Once exported they are no "
                        "longer pending (to be sent to the SdI from there)."
                    ).format(path=path),
                    lambda: self._export(path),
                )

        self.app.push_screen(
            PathDialog(
                _("Export every pending e-invoice"),
                self._default_folder(),
                _("A folder (the intermediary's hot folder) or a .zip for the web upload"),
            ),
            chosen,
        )

    def action_einvoice_receipts(self) -> None:
        def chosen(path: str | None) -> None:
            if path:
                self._receipts(path)

        self.app.push_screen(
            PathDialog(
                _("Read SdI notifications"),
                str(Path.cwd()),
                _("A notification file, or a folder: every .xml in it"),
            ),
            chosen,
        )

    @work(thread=True, exclusive=True, exit_on_error=False, group="einvoice-action")
    def _write_einvoice(self, invoice_id: int, path: str) -> None:
        from tui_billing.billing.einvoice_export import write_einvoice
        from tui_billing.billing.lookups import invoice_number

        app = self.app
        try:
            number = invoice_number(invoice_id)
            if number is None:
                raise UserError(
                    _("is a draft: only an issued document has an e-invoice"),
                    _("draft #{id}").format(id=invoice_id),
                )
            written = write_einvoice(app.db, number, path, today=app.today)[0]
            self.post_message(
                InvoiceChanged(
                    invoice_id, _("E-invoice written: {path}").format(path=written), ok=True
                )
            )
        except Exception as exc:  # shown as a message
            self.post_message(InvoiceChanged(invoice_id, error_text(exc), ok=False))
        finally:
            app.db.close()

    @work(thread=True, exclusive=True, exit_on_error=False, group="einvoice-action")
    def _export(self, path: str) -> None:
        from tui_billing.billing.einvoice_export import export_einvoices

        app = self.app
        try:
            report = export_einvoices(app.db, path, today=app.today)
            self.post_message(
                InvoiceChanged(
                    0,
                    ngettext(
                        "{count} e-invoice exported to {path}",
                        "{count} e-invoices exported to {path}",
                        len(report.written),
                    ).format(count=display.number(len(report.written)), path=path),
                    ok=True,
                )
            )
        except Exception as exc:  # shown as a message
            self.post_message(InvoiceChanged(0, error_text(exc), ok=False))
        finally:
            app.db.close()

    @work(thread=True, exclusive=True, exit_on_error=False, group="einvoice-action")
    def _receipts(self, path: str) -> None:
        from tui_billing.billing.einvoices import record_receipts

        app = self.app
        try:
            report = record_receipts(app.db, receipt_files(path))
            moved = sum(o.before != o.after for o in report.outcomes)
            self.post_message(
                InvoiceChanged(
                    0,
                    _("SdI notifications recorded: {recorded}; documents moved: {moved}").format(
                        recorded=display.number(report.recorded), moved=display.number(moved)
                    ),
                    ok=True,
                )
            )
        except Exception as exc:  # shown as a message
            self.post_message(InvoiceChanged(0, error_text(exc), ok=False))
        finally:
            app.db.close()
