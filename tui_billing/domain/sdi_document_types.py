"""The SdI document type (TipoDocumento of the FatturaPA) of each kind of document issued:
TD01 invoice, TD02 down payment (acconto/anticipo su fattura), TD04 credit note, TD06 fee
note (parcella). Pro-formas and order documents are not fiscal documents: they have none."""

from __future__ import annotations

# By document type; an invoice of kind down_payment is TD02 instead (see below).
_BY_DOCUMENT_TYPE: dict[str, str] = {
    "invoice": "TD01",
    "credit_note": "TD04",
    "parcella": "TD06",  # a professional's fee note, where that document type is used
}
DOWN_PAYMENT = "TD02"


def sdi_document_type(document_type: str, kind: str | None = None) -> str | None:
    """The SdI code of a document: ``("invoice", "down_payment")`` -> ``"TD02"``,
    ``("credit_note", ...)`` -> ``"TD04"``; None for a pro-forma or an order document."""
    code = _BY_DOCUMENT_TYPE.get(document_type)
    if code == "TD01" and kind == "down_payment":
        return DOWN_PAYMENT
    return code


__all__ = ["DOWN_PAYMENT", "sdi_document_type"]
