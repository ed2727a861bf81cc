"""The company (the seller) every document prints: one form, shared by every operator of
the database; a refused value is named next to its field and nothing is saved."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from textual.app import ComposeResult

from tui_billing.billing.party_views import company_form_record, save_company_form
from tui_billing.domain import display
from tui_billing.domain.display import money
from tui_billing.domain.i18n import N_, _
from tui_billing.domain.parties import LIQUIDATION_STATES, SOLE_SHAREHOLDER, TAX_REGIMES
from tui_billing.domain.professional import FUNDS, PAYMENT_REASONS, WITHHOLDING_KINDS
from tui_billing.domain.typed_input import plain_number
from tui_billing.tui.screens.contract_form import FormScreen
from tui_billing.tui.screens.record_list import form_bindings
from tui_billing.tui.widgets.form_fields import FieldRow, check_input, choice_input, text_input

_NUMBERS = (
    "share_capital",
    "withholding_rate",
    "withholding_base",
    "contribution_rate",
)  # typed 1.234,56 or 1234.56


def _shown_number(value: Any) -> str:
    """An amount of the record (``50000.00``) as the operator reads it (``50.000,00``)."""
    return money(Decimal(str(value))) if value not in (None, "") else ""


def _shown_rate(value: Any) -> str:
    """A rate of the record (``20.00``) as the operator reads it (``20``)."""
    return display.rate(Decimal(str(value))) if value not in (None, "") else ""


class CompanyFormScreen(FormScreen):
    """Name, address, tax ids, regime fiscale, REA registration, IBAN and contacts; the
    bollo, and a professional's ritenuta and contribution."""

    BINDINGS = form_bindings("company_form")
    TITLE_TEXT = N_("Company (seller): printed on every document, shared by every operator")

    def __init__(self) -> None:
        super().__init__()
        self.record: dict[str, Any] = {}

    def fetch(self, arguments: None) -> dict[str, Any]:
        return company_form_record()

    def take(self, data: dict[str, Any]) -> None:
        self.record = data

    def title_text(self) -> str:
        return _(self.TITLE_TEXT)

    def fields(self) -> ComposeResult:
        r = self.record
        yield FieldRow(
            "name",
            _("Name"),
            text_input(r["name"]),
            wide=True,
            tooltip=_("Ragione sociale, as registered (at most 80 characters)"),
        )
        yield FieldRow(
            "street",
            _("Street"),
            text_input(r["street"], placeholder="Via Roma 1"),
            wide=True,
            tooltip=_("Street and number (at most 60 characters)"),
        )
        yield FieldRow("postal_code", _("CAP"), text_input(r["postal_code"], placeholder="20121"))
        yield FieldRow("city", _("Comune"), text_input(r["city"]))
        yield FieldRow(
            "province",
            _("Provincia"),
            text_input(r["province"], placeholder="MI"),
            tooltip=_("Two letters; Italian addresses"),
        )
        yield FieldRow(
            "country",
            _("Country"),
            text_input(r["country"] or "IT"),
            tooltip=_("ISO 3166-1 alpha-2 code (IT, DE, FR ...)"),
        )
        yield FieldRow(
            "vat_number",
            _("VAT number"),
            text_input(r["vat_number"], placeholder="IT01234560017"),
            tooltip=_("Partita IVA with its country prefix (checked digit by digit)"),
        )
        yield FieldRow(
            "tax_code",
            _("Codice fiscale"),
            text_input(r["tax_code"]),
            tooltip=_("11 digits for a company, 16 characters for a person"),
        )
        yield FieldRow(
            "tax_regime",
            _("Regime fiscale"),
            choice_input(r["tax_regime"] or "RF01", TAX_REGIMES),
            tooltip=_("RF01 ordinario, RF02 contribuenti minimi, RF19 forfettario ..."),
        )
        yield FieldRow(
            "rea_office",
            _("REA office"),
            text_input(r["rea_office"], placeholder="MI"),
            tooltip=_("Province of the REA registration"),
        )
        yield FieldRow("rea_number", _("REA number"), text_input(r["rea_number"]))
        yield FieldRow(
            "share_capital",
            _("Share capital"),
            text_input(_shown_number(r["share_capital"]), placeholder=money(Decimal("10000"))),
            tooltip=_("Capitale sociale (companies)"),
        )
        yield FieldRow(
            "sole_shareholder",
            _("Shareholders"),
            choice_input(
                r["sole_shareholder"], SOLE_SHAREHOLDER, blank=_("not said"), words="shareholders"
            ),
            tooltip=_("SU socio unico, SM più soci"),
        )
        yield FieldRow(
            "liquidation",
            _("Liquidation"),
            choice_input(r["liquidation"] or "LN", LIQUIDATION_STATES, words="liquidation"),
            tooltip=_("LN not in liquidation, LS in liquidation"),
        )
        yield FieldRow(
            "iban",
            _("IBAN"),
            text_input(r["iban"]),
            wide=True,
            tooltip=_("Where customers paying by bank transfer pay"),
        )
        yield FieldRow("phone", _("Phone"), text_input(r["phone"]))
        yield FieldRow("email", _("E-mail"), text_input(r["email"]), wide=True)
        yield FieldRow("pec", _("PEC"), text_input(r["pec"]), wide=True)
        yield FieldRow(
            "stamp_duty_charged",
            _("Bollo charged"),
            check_input(r["stamp_duty_charged"]),
            tooltip=_(
                "Imposta di bollo (2,00 over 77,47 without VAT): yes, billed "
                "to the customer as its own line (N1); no, borne by the company"
            ),
        )
        yield FieldRow(
            "creditor_id",
            _("SEPA creditor"),
            text_input(r["creditor_id"], placeholder="IT04ZZZ0000012345678903"),
            wide=True,
            tooltip=_("SEPA creditor identifier (AT-02) for direct debit files"),
        )
        yield FieldRow(
            "bic",
            _("Bank BIC"),
            text_input(r["bic"]),
            tooltip=_("BIC of the company's bank, for direct debit files"),
        )
        yield FieldRow(
            "sia_code",
            _("SIA code"),
            text_input(r["sia_code"]),
            tooltip=_("5 letters or digits: the company's code in Ri.Ba. files"),
        )
        yield FieldRow(
            "withholding_kind",
            _("Ritenuta"),
            choice_input(r["withholding_kind"], WITHHOLDING_KINDS, blank=_("none")),
            tooltip=_(
                "Ritenuta d'acconto (art. 25 DPR 600/73) withheld by customers "
                "who are withholding agents: RT01 natural person, RT02 legal "
                "person; none for a company that is not a professional"
            ),
        )
        yield FieldRow(
            "withholding_rate",
            _("Ritenuta %"),
            text_input(_shown_rate(r["withholding_rate"]), placeholder="20"),
            tooltip=_("Rate of the ritenuta, 0 to 100 (20)"),
        )
        yield FieldRow(
            "withholding_base",
            _("Ritenuta base %"),
            text_input(r["withholding_base"], placeholder="100"),
            tooltip=_("Share of the fees withheld on, 0 to 100 (100: all the fees)"),
        )
        yield FieldRow(
            "withholding_reason",
            _("Causale"),
            choice_input(r["withholding_reason"] or "A", PAYMENT_REASONS),
            tooltip=_("CausalePagamento of the e-invoice (model 770): A professional services"),
        )
        yield FieldRow(
            "contribution_fund",
            _("Cassa"),
            choice_input(r["contribution_fund"], FUNDS, blank=_("none")),
            tooltip=_(
                "Contribution charged to the customer: TC22 rivalsa INPS "
                "(gestione separata), TC01..TC21 a cassa previdenziale"
            ),
        )
        yield FieldRow(
            "contribution_rate",
            _("Cassa %"),
            text_input(_shown_rate(r["contribution_rate"]), placeholder="4"),
            tooltip=_("Rate of the contribution on the fees (4)"),
        )
        yield FieldRow(
            "contribution_withheld",
            _("Cassa withheld"),
            check_input(r["contribution_withheld"]),
            tooltip=_(
                "The contribution is in the ritenuta's base (INPS rivalsa: "
                "yes; a cassa's contributo integrativo: no)"
            ),
        )

    def save(self, values: dict[str, Any]) -> list[str]:
        typed = {
            key: plain_number(value.strip())
            if key in _NUMBERS and isinstance(value, str)
            else value
            for key, value in values.items()
        }
        return save_company_form(self.app.db, typed)


__all__ = ["CompanyFormScreen"]
