"""The parties a document prints: an issued document's from its snapshots, a draft's from
the company and the customer as they are now, laid out as the PDF's blocks."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from tui_billing.billing.party_snapshots import buyer_values, snapshot_of
from tui_billing.domain.parties import address_lines, vat_text
from tui_billing.output.invoice_document import Company, PartyBlock
from tui_billing.output.pdf_labels import format_number, labels_for
from tui_billing.store.company_row import company_values
from tui_billing.store.models import Customer, Invoice

# Italian legal terms, kept in Italian in both languages where the law names them.
_WORDS = {
    "it": {
        "sdi": "Codice destinatario",
        "pa": "Pubblica amministrazione",
        "split": "Scissione dei pagamenti (art. 17-ter DPR 633/72)",
    },
    "en": {
        "sdi": "SdI recipient code",
        "pa": "Public administration",
        "split": "Split payment (art. 17-ter DPR 633/72)",
    },
}
_SOLE = {"SU": "socio unico", "SM": None}
_LIQUIDATION = {"LS": "in liquidazione", "LN": None}


def _text(value: Any) -> str | None:
    return str(value).strip() if value is not None and str(value).strip() else None


def document_parties(
    invoice: Invoice, customer: Customer
) -> tuple[dict[str, Any] | None, dict[str, Any]]:
    """(seller, buyer) of a document: kept ones when it was issued with them, else now's."""
    seller = snapshot_of(invoice.seller_snapshot_id) or company_values()
    buyer = snapshot_of(invoice.buyer_snapshot_id) or buyer_values(customer)
    return seller, buyer


def company_block(
    seller: dict[str, Any] | None, logo: str | None, fallback_name: str, language: str = "it"
) -> Company:
    """The seller's block: name, address, tax ids, REA and capital (art. 2250 c.c.),
    contacts and IBAN. Without a seller in the database: the configured name only."""
    if seller is None:
        return Company(name=fallback_name, logo_path=_text(logo))
    registration = []
    if seller.get("rea_office") and seller.get("rea_number"):
        registration.append(f"REA {seller['rea_office']}-{seller['rea_number']}")
    if seller.get("share_capital") not in (None, ""):
        capital = format_number(Decimal(str(seller["share_capital"])), labels_for(language))
        registration.append(f"Cap. soc. € {capital} i.v.")
    for value, words in (
        (seller.get("sole_shareholder"), _SOLE),
        (seller.get("liquidation"), _LIQUIDATION),
    ):
        word = words.get(value or "")
        if word:
            registration.append(word)
    details = [" · ".join(registration)] if registration else []
    if seller.get("pec"):
        details.append(f"PEC {seller['pec']}")
    return Company(
        name=seller.get("name") or fallback_name,
        address="\n".join(address_lines(seller)),
        vat_number=vat_text(seller),
        tax_code=_text(seller.get("tax_code")),
        iban=_text(seller.get("iban")),
        email=_text(seller.get("email")),
        phone=_text(seller.get("phone")),
        logo_path=_text(logo),
        details=tuple(details),
    )


def customer_block(buyer: dict[str, Any], language: str) -> PartyBlock:
    """The buyer's block: name, address, tax ids, SdI code or PEC, split payment."""
    words = _WORDS.get(language, _WORDS["en"])
    details = []
    if buyer.get("sdi_code"):
        details.append(f"{words['sdi']} {buyer['sdi_code']}")
    if buyer.get("pec"):
        details.append(f"PEC {buyer['pec']}")
    if buyer.get("split_payment"):
        details.append(words["split"])
    elif buyer.get("public_administration"):
        details.append(words["pa"])
    return PartyBlock(
        name=buyer.get("name") or "",
        address="\n".join(address_lines(buyer)),
        vat_number=vat_text(buyer),
        tax_code=_text(buyer.get("tax_code")),
        email=_text(buyer.get("email")),
        details=tuple(details),
    )


__all__ = ["company_block", "customer_block", "document_parties"]
