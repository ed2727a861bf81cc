"""How an issued document's stored values become the blocks of a FatturaPA 1.2.3 document,
as pure functions: the parties from the snapshots taken at issue (plain dicts, as
``billing.party_snapshots`` keeps them), the recipient code, lines, VAT summaries, Causale
and payment. Nothing here reads the database; ``billing.einvoice_documents`` loads the
values and assembles the document.

The rules, from the Agenzia delle Entrate's "Specifiche tecniche" (1.2.x, table of checks
1.9) and its FAQ:
- FPA12 for a public administration (CodiceDestinatario: its 6-character office code),
  FPR12 otherwise: the buyer's 7-character code, else ``0000000`` (with PECDestinatario
  when the buyer gave a PEC, else delivered to its tax drawer), ``XXXXXXX`` abroad.
- A buyer abroad (a foreign VAT number, or none and an address abroad) carries no
  CodiceFiscale (an Italian code only); without a VAT number its IdFiscaleIVA is its
  country and ``99999999999``. An address abroad has the CAP ``00000``.
- A credit note (TD04) carries positive amounts: the stored negative ones, negated.
- Under split payment (art. 17-ter DPR 633/72) the taxed summaries say EsigibilitaIVA S
  and the payment is the total less VAT; a summary of a nature says I (never S with
  reverse charge, check 00420) and the nature's legal reference.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from tui_billing.domain.fatturapa import (
    FOREIGN_CODE,
    FPA12,
    FPR12,
    NO_CODE,
    Address,
    Buyer,
    Contacts,
    FiscalId,
    Line,
    Payment,
    PaymentDetail,
    ReaRegistration,
    Seller,
    Transmission,
    VatSummary,
)
from tui_billing.domain.vat_natures import VAT_NATURES

FOREIGN_POSTCODE = "00000"  # CAP of an address abroad
FOREIGN_CONSUMER_ID = "99999999999"  # IdCodice of a buyer abroad without a VAT number
REASON_SIZE = 200  # Causale: at most 200 characters each (String200LatinType)
FULL_PAYMENT = "TP02"  # CondizioniPagamento: pagamento completo
PAYMENT_METHODS: dict[str, str] = {  # ModalitaPagamento by the product's payment method
    "cash": "MP01",
    "bank_transfer": "MP05",
    "card": "MP08",
    "riba": "MP12",
    "sepa_direct_debit": "MP19",
}


def _text(value: Any) -> str | None:
    """A stored text, stripped; None when empty."""
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def is_foreign(party: dict[str, Any]) -> bool:
    """Whether the party is foreign to the SdI: its VAT number's country (IdPaese) is not
    Italy, or, without a VAT number, its address is abroad. The SdI wants ``XXXXXXX`` for
    such a buyer (check 00313); a foreign company identified in Italy is Italian here."""
    if _text(party.get("vat_number")):
        return (party.get("vat_country") or party.get("country") or "IT") != "IT"
    return (party.get("country") or "IT") != "IT"


def address(party: dict[str, Any]) -> Address:
    """Sede: street, CAP (``00000`` abroad), comune, provincia (Italy only), country."""
    country = party.get("country") or "IT"
    postcode = _text(party.get("postal_code")) or ""
    if country != "IT":
        postcode = FOREIGN_POSTCODE
    return Address(
        street=_text(party.get("street")) or "",
        postcode=postcode,
        city=_text(party.get("city")) or "",
        country=country,
        province=_text(party.get("province")) if country == "IT" else None,
    )


def _vat_id(party: dict[str, Any]) -> FiscalId | None:
    number = _text(party.get("vat_number"))
    if number is None:
        return None
    return FiscalId(party.get("vat_country") or party.get("country") or "IT", number)


def seller(party: dict[str, Any]) -> Seller:
    """CedentePrestatore from the company as it was at issue."""
    rea = None
    if _text(party.get("rea_office")) and _text(party.get("rea_number")):
        capital = party.get("share_capital")
        rea = ReaRegistration(
            office=party["rea_office"],
            number=party["rea_number"],
            liquidation=party.get("liquidation") or "LN",
            capital=None if capital in (None, "") else Decimal(str(capital)),
            sole_shareholder=_text(party.get("sole_shareholder")),
        )
    vat_id = _vat_id(party) or FiscalId("IT", "")
    return Seller(
        vat_id=vat_id,
        tax_regime=party.get("tax_regime") or "RF01",
        address=address(party),
        name=_text(party.get("name")),
        tax_code=_text(party.get("tax_code")),
        rea=rea,
        contacts=Contacts(phone=_text(party.get("phone")), email=_text(party.get("email"))),
    )


def buyer(party: dict[str, Any]) -> Buyer:
    """CessionarioCommittente from the customer as it was at issue: its VAT number with its
    country; its codice fiscale in Italy; abroad without a VAT number, ``99999999999``."""
    foreign = is_foreign(party)
    vat_id = _vat_id(party)
    if vat_id is None and foreign:
        vat_id = FiscalId(party.get("country") or "", FOREIGN_CONSUMER_ID)
    return Buyer(
        address=address(party),
        vat_id=vat_id,
        tax_code=None if foreign else _text(party.get("tax_code")),
        name=_text(party.get("name")),
    )


def sender_id(party: dict[str, Any]) -> FiscalId:
    """IdTrasmittente: the seller sends its own files, named by its codice fiscale (its
    VAT number when it has none)."""
    code = _text(party.get("tax_code")) or _text(party.get("vat_number")) or ""
    return FiscalId(party.get("vat_country") or "IT", code)


def transmission(
    seller_party: dict[str, Any], buyer_party: dict[str, Any], progressive: str
) -> Transmission:
    """DatiTrasmissione: FPA12 with the office code for a public administration; else
    FPR12 with the buyer's code, ``XXXXXXX`` abroad, or ``0000000`` (with its PEC)."""
    code = _text(buyer_party.get("sdi_code"))
    pec = None
    if buyer_party.get("public_administration"):
        return Transmission(sender_id(seller_party), progressive, FPA12, code or "")
    if is_foreign(buyer_party):
        code = FOREIGN_CODE
    elif code is None:
        code, pec = NO_CODE, _text(buyer_party.get("pec"))
    return Transmission(sender_id(seller_party), progressive, FPR12, code, pec)


def line(
    number: int,
    description: str,
    quantity: Decimal,
    unit: str | None,
    unit_price: Decimal,
    amount: Decimal,
    rate: Decimal,
    nature: str | None,
    period: tuple[date | None, date | None],
    cost_centre: str | None,
    sign: int = 1,
) -> Line:
    """DettaglioLinee of one stored line (``sign`` -1 on a credit note: its negative price
    and amount made positive). A negative
    quantity, which the schema refuses, moves its sign to the unit price."""
    unit_price, amount = unit_price * sign, amount * sign
    if quantity < 0:
        quantity, unit_price = -quantity, -unit_price
    start, end = period
    return Line(
        number=number,
        description=description,
        unit_price=unit_price,
        total=amount,
        vat_rate=rate,
        quantity=quantity,
        unit=_text(unit),
        period_start=start if start and end else None,
        period_end=end if start and end else None,
        nature=nature,
        admin_ref=_text(cost_centre),
    )


def summaries(
    rows: Iterable[tuple[Decimal, str | None, Decimal, Decimal]], split_payment: bool
) -> tuple[VatSummary, ...]:
    """DatiRiepilogo of the (rate, nature, taxable, VAT) rows of the document's VAT summary:
    EsigibilitaIVA S under split payment on taxed rows, else I; RiferimentoNormativo of a
    nature."""
    made = []
    for rate, nature, taxable, tax in rows:
        made.append(
            VatSummary(
                vat_rate=rate,
                taxable=taxable,
                tax=tax,
                nature=nature,
                collectability="S" if split_payment and nature is None else "I",
                legal_reference=VAT_NATURES[nature].reference if nature in VAT_NATURES else None,
            )
        )
    return tuple(made)


def reasons(notes: Sequence[str]) -> tuple[str, ...]:
    """Causale: each note (blank ones dropped) cut into pieces of at most 200 characters,
    at a space when one is near the end."""
    pieces: list[str] = []
    for note in notes:
        text = " ".join(note.split())
        while len(text) > REASON_SIZE:
            cut = text.rfind(" ", REASON_SIZE // 2, REASON_SIZE + 1)
            cut = cut if cut > 0 else REASON_SIZE
            pieces.append(text[:cut].rstrip())
            text = text[cut:].lstrip()
        if text:
            pieces.append(text)
    return tuple(pieces)


def payment(
    method: str | None,
    amount: Decimal,
    due: date | None,
    seller_iban: str | None,
    buyer_iban: str | None,
) -> Payment | None:
    """DatiPagamento, paid in full (TP02): a bank transfer to the seller's IBAN, a SEPA
    direct debit or RiBa from the buyer's account; None without a known method."""
    code = PAYMENT_METHODS.get(method or "")
    if code is None:
        return None
    iban = seller_iban if code == "MP05" else buyer_iban if code in ("MP12", "MP19") else None
    return Payment(FULL_PAYMENT, (PaymentDetail(code, amount, due_date=due, iban=_text(iban)),))


__all__ = [
    "FOREIGN_CONSUMER_ID",
    "FOREIGN_POSTCODE",
    "FULL_PAYMENT",
    "PAYMENT_METHODS",
    "REASON_SIZE",
    "address",
    "buyer",
    "is_foreign",
    "line",
    "payment",
    "reasons",
    "sender_id",
    "seller",
    "summaries",
    "transmission",
]
