"""The customer form: code and name, address, tax ids, SdI code and PEC, public
administration and split payment, withholding agent, language, payment method and terms,
IBAN, collective billing; each value checked as the import checks it, a refusal named next
to its field and nothing saved. The customer's SEPA mandates are listed below, read only."""

from __future__ import annotations

from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.widgets import Checkbox, Static

from tui_billing.billing.customer_editing import create_customer, update_customer
from tui_billing.billing.customer_views import MandateRow
from tui_billing.domain import vocabulary as V
from tui_billing.domain.errors import UserError
from tui_billing.domain.i18n import _, pgettext
from tui_billing.domain.words import word
from tui_billing.tui.errors import error_text
from tui_billing.tui.screens.common import day
from tui_billing.tui.screens.contract_form import FormScreen
from tui_billing.tui.screens.record_list import form_bindings
from tui_billing.tui.widgets.form_fields import FieldRow, check_input, choice_input, text_input

EMPTY: dict[str, Any] = {
    "country": "IT",
    "payment_method": "bank_transfer",
    "payment_terms_days": "30",
    "language": "it",
    "withholding_agent": True,
}


def mandate_line(m: MandateRow) -> str:
    """One mandate as the form lists it."""
    scope = _("contract {code}").format(code=m.contract) if m.contract else _("all contracts")
    signed = _("signed {day}").format(day=day(m.signed_on))
    return (
        f"{m.reference} · {signed} · {m.scheme} · {m.iban} · {scope} · {word('status', m.status)}"
    )


class CustomerFormScreen(FormScreen):
    """A new customer (``record`` None) or the fields of one; dismissed with the customer's
    code once saved."""

    BINDINGS = form_bindings("customer_form")

    def __init__(
        self, record: dict[str, Any] | None = None, mandates: list[MandateRow] | None = None
    ) -> None:
        super().__init__()
        self.record = record
        self.mandates = mandates or []

    def title_text(self) -> str:
        if self.record is None:
            return _("New customer")
        return _("Customer {code} · {name}").format(
            code=self.record["code"], name=self.record["name"]
        )

    def fields(self) -> ComposeResult:
        r = {**EMPTY, **(self.record or {})}
        if self.record is None:
            yield FieldRow(
                "code",
                _("Code"),
                text_input(None, placeholder="C001"),
                tooltip=_("The customer's code in files and commands; it cannot change later"),
            )
        yield FieldRow("name", _("Name"), text_input(r.get("name")), wide=True)
        yield FieldRow(
            "street",
            _("Street"),
            text_input(r.get("street"), placeholder="Via Roma 1"),
            wide=True,
            tooltip=_("Street and number (at most 60 characters)"),
        )
        yield FieldRow(
            "postal_code", _("CAP"), text_input(r.get("postal_code"), placeholder="20121")
        )
        yield FieldRow("city", _("Comune"), text_input(r.get("city")))
        yield FieldRow(
            "province",
            _("Provincia"),
            text_input(r.get("province"), placeholder="MI"),
            tooltip=_("Two letters; Italian addresses"),
        )
        yield FieldRow(
            "country",
            _("Country"),
            text_input(r.get("country")),
            tooltip=_("ISO 3166-1 alpha-2 code (IT, DE, FR ...)"),
        )
        yield FieldRow(
            "vat_number",
            _("VAT number"),
            text_input(r.get("vat_number"), placeholder="IT01234560017"),
            tooltip=_("Partita IVA, with its country prefix for a foreign one (checked)"),
        )
        yield FieldRow(
            "tax_code",
            _("Codice fiscale"),
            text_input(r.get("tax_code")),
            tooltip=_("16 characters for a person, 11 digits for a company"),
        )
        yield FieldRow(
            "sdi_code",
            _("SdI code"),
            text_input(r.get("sdi_code"), placeholder="M5UXCR1"),
            tooltip=_("Codice destinatario: 7 characters; 6 for a public administration office"),
        )
        yield FieldRow("pec", _("PEC"), text_input(r.get("pec")), wide=True)
        yield FieldRow("email", _("E-mail"), text_input(r.get("email")), wide=True)
        yield FieldRow(
            "public_administration",
            _("Public admin."),
            check_input(r.get("public_administration")),
            tooltip=_("A public administration (FPA12 e-invoices, 6-character office code)"),
        )
        yield FieldRow(
            "split_payment",
            _("Split payment"),
            check_input(r.get("split_payment")),
            tooltip=_("Scissione dei pagamenti (art. 17-ter DPR 633/72): VAT shown, not collected"),
        )
        yield FieldRow(
            "withholding_agent",
            _("Withholding"),
            check_input(r.get("withholding_agent")),
            tooltip=_(
                "A withholding agent (sostituto d'imposta) withholds a professional's "
                "ritenuta: businesses and public bodies yes, consumers no"
            ),
        )
        yield FieldRow(
            "language",
            _("Language"),
            choice_input(r.get("language"), V.LANGUAGES, words="language"),
            tooltip=_("Language of the documents and e-mails"),
        )
        yield FieldRow(
            "payment_method",
            pgettext("field", "Payment"),
            choice_input(r.get("payment_method"), V.PAYMENT_METHODS, words="payment method"),
        )
        yield FieldRow(
            "payment_terms_days",
            _("Terms (days)"),
            text_input(r.get("payment_terms_days"), placeholder="30"),
            tooltip=_("Days from the invoice date to the due date"),
        )
        yield FieldRow(
            "iban",
            _("IBAN"),
            text_input(r.get("iban")),
            wide=True,
            tooltip=_("The customer's account (direct debits, Ri.Ba.)"),
        )
        yield FieldRow(
            "collective_billing",
            _("Collective"),
            check_input(r.get("collective_billing")),
            tooltip=_("One invoice for all the customer's contracts due on a day"),
        )
        if self.record is not None:
            lines = [mandate_line(m) for m in self.mandates] or [_("none")]
            yield Static(
                _("SEPA mandates (read only):") + "\n" + "\n".join(lines), id="customer-mandates"
            )

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        """Split payment follows the public-administration flag, as the import's default
        does (it can be set apart afterwards)."""
        rows = self.rows()
        if event.checkbox is rows["public_administration"].widget:
            rows["split_payment"].widget.value = event.value  # type: ignore[attr-defined]

    def action_save(self) -> None:
        self.clear_errors()
        self._save(self.values())

    @work(thread=True, exclusive=True, exit_on_error=False, group="customer-save")
    def _save(self, values: dict[str, Any]) -> None:
        db = self.app.db
        try:
            if self.record is None:
                create_customer(db, values)
                code = values.get("code", "").strip()
            else:
                code = self.record["code"]
                update_customer(db, code, values)
        except UserError as exc:
            self.app.call_from_thread(self.show_error, exc)
        except Exception as exc:  # an engine or database error: a message, not a traceback
            self.app.call_from_thread(
                self.show_error, UserError(_("cannot save: {error}").format(error=error_text(exc)))
            )
        else:
            self.app.call_from_thread(self.dismiss, code)
        finally:
            db.close()


__all__ = ["CustomerFormScreen", "mandate_line"]
