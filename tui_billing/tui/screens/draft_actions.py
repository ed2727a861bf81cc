"""Deleting a draft from a screen that shows invoices: ``d`` names the draft and asks
first; an issued document is refused with the reason (a credit note corrects it)."""

from __future__ import annotations

from typing import ClassVar

from textual import work
from textual.binding import Binding, BindingType
from textual.message import Message

from tui_billing.billing.draft_deletion import draft_to_delete
from tui_billing.billing.drafts import delete_draft
from tui_billing.billing.invoice_views import InvoiceSummary
from tui_billing.domain import display
from tui_billing.domain.i18n import N_, _, ngettext
from tui_billing.tui.errors import error_text
from tui_billing.tui.screens.common import ConfirmScreen, money


class DraftChecked(Message):
    """The draft about to be deleted, or why it cannot be (``error``)."""

    def __init__(self, draft: InvoiceSummary | None, error: str | None = None) -> None:
        super().__init__()
        self.draft = draft
        self.error = error


class DraftDeleted(Message):
    """A draft was deleted (``text`` says what became of it), or could not be (``ok``)."""

    def __init__(self, invoice_id: int, text: str, *, ok: bool) -> None:
        super().__init__()
        self.invoice_id = invoice_id
        self.text = text
        self.ok = ok


def draft_question(draft: InvoiceSummary) -> str:
    """ "Delete draft of Rossi S.r.l., 1,220.00?"."""
    return _(
        "Delete draft of {customer}, {total}? Its installments become due again; no number is used."
    ).format(customer=draft.customer, total=money(draft.total))


class DraftActions:
    """Mixed into a screen with ``invoice_id_for_action()``: ``d`` deletes a draft."""

    DRAFT_BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "d",
            "delete_draft",
            N_("Delete"),
            id="invoice.delete_draft",
            tooltip=N_(
                "Delete the draft (asks first); an issued document is corrected by a credit note"
            ),
        ),
    ]

    def action_delete_draft(self) -> None:
        invoice_id = self.invoice_id_for_action()  # type: ignore[attr-defined]
        if invoice_id is None:
            self.app.notify(_("No invoice here"), severity="warning")  # type: ignore[attr-defined]
            return
        self._check_draft(invoice_id)

    @work(thread=True, exclusive=True, exit_on_error=False, group="draft-delete")
    def _check_draft(self, invoice_id: int) -> None:
        db = self.app.db  # type: ignore[attr-defined]
        try:
            self.post_message(DraftChecked(draft_to_delete(invoice_id)))  # type: ignore[attr-defined]
        except Exception as exc:  # shown as a message
            self.post_message(DraftChecked(None, error_text(exc)))  # type: ignore[attr-defined]
        finally:
            db.close()

    def on_draft_checked(self, message: DraftChecked) -> None:
        draft = message.draft
        if draft is None:
            self.app.notify(message.error or "", severity="error", timeout=10)  # type: ignore[attr-defined]
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self._delete_draft(draft.id)

        self.app.push_screen(ConfirmScreen(draft_question(draft)), answered)  # type: ignore[attr-defined]

    @work(thread=True, exclusive=True, exit_on_error=False, group="draft-delete")
    def _delete_draft(self, invoice_id: int) -> None:
        db = self.app.db  # type: ignore[attr-defined]
        try:
            freed = delete_draft(db, invoice_id)
            text = ngettext(
                "Draft deleted; {count} installment due again",
                "Draft deleted; {count} installments due again",
                freed,
            ).format(count=display.number(freed))
            self.post_message(DraftDeleted(invoice_id, text, ok=True))  # type: ignore[attr-defined]
        except Exception as exc:  # shown as a message
            self.post_message(DraftDeleted(invoice_id, error_text(exc), ok=False))  # type: ignore[attr-defined]
        finally:
            db.close()


__all__ = ["DraftActions", "DraftChecked", "DraftDeleted", "draft_question"]
