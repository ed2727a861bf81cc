"""VAT natures: why a line carries no VAT, as the Italian e-invoice names it (``Natura``).

The codes and their cases are those of the Agenzia delle Entrate's "Specifiche tecniche
del formato FatturaPA" (version 1.6 and later, table of ``Natura`` codes); each nature
carries the legal reference the document prints next to a line of that nature.

A line with a nature is not taxed: its VAT rate is 0, and a 0% line must have one. An
*out of scope* nature (N1, art. 15 DPR 633/72: late-payment interest, the recovery fee of
D.Lgs. 231/2002, the imposta di bollo charged on) is also left out of the taxable base,
and is still part of the document's total to pay. A *reverse charge* nature (N6.x) moves
the VAT to the customer (inversione contabile, art. 17 DPR 633/72).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from tui_billing.domain.errors import UserError
from tui_billing.domain.i18n import _


@dataclass(frozen=True, slots=True)
class VatNature:
    """One nature code with its legal reference and printed names."""

    code: str  # e-invoice Natura: N1
    reference: str  # the law that puts the line outside VAT
    italian: str
    english: str
    out_of_scope: bool = False  # left out of the taxable base (imponibile)

    def label(self, language: str) -> str:
        """The VAT summary's name of the nature, in ``language`` (it, else English)."""
        return self.italian if language == "it" else self.english

    @property
    def reverse_charge(self) -> bool:
        """Whether the customer pays the VAT (inversione contabile, N6.x)."""
        return self.code.startswith("N6")


OUT_OF_SCOPE = "N1"  # excluded from VAT: art. 15 DPR 633/72


def _nature(
    code: str, reference: str, italian: str, english: str, out_of_scope: bool = False
) -> VatNature:
    return VatNature(
        code, reference, f"{italian} {reference} ({code})", f"{english} ({reference})", out_of_scope
    )


_RC = "Inversione contabile"
VAT_NATURES: dict[str, VatNature] = {
    n.code: n
    for n in (
        _nature(
            OUT_OF_SCOPE,
            "art. 15 DPR 633/72",
            "Fuori campo IVA",
            "Out of VAT scope",
            out_of_scope=True,
        ),
        _nature(
            "N2.1", "artt. 7-7-septies DPR 633/72", "Non soggetta", "Not subject to Italian VAT"
        ),
        _nature(
            "N2.2",
            "art. 1 c.54-89 L. 190/2014 e altri casi",
            "Non soggetta",
            "Not subject to VAT, other cases",
        ),
        _nature("N3.1", "art. 8 DPR 633/72", "Non imponibile, esportazione", "Not taxable, export"),
        _nature(
            "N3.2",
            "art. 41 DL 331/93",
            "Non imponibile, cessione intracomunitaria",
            "Not taxable, intra-EU supply",
        ),
        _nature(
            "N3.3",
            "art. 71 DPR 633/72",
            "Non imponibile, cessione verso San Marino",
            "Not taxable, supply to San Marino",
        ),
        _nature(
            "N3.4",
            "art. 8-bis DPR 633/72",
            "Non imponibile, operazione assimilata",
            "Not taxable, treated as export",
        ),
        _nature(
            "N3.5",
            "art. 8 c.1 lett. c DPR 633/72",
            "Non imponibile, dichiarazione d'intento",
            "Not taxable, declaration of intent",
        ),
        _nature(
            "N3.6",
            "artt. 8-ter, 9, 72 DPR 633/72",
            "Non imponibile, non concorre al plafond",
            "Not taxable, other operations outside the plafond",
        ),
        _nature("N4", "art. 10 DPR 633/72", "Esente", "Exempt"),
        _nature(
            "N5",
            "art. 36 DL 41/95",
            "Regime del margine, IVA non esposta",
            "Margin scheme, VAT not shown",
        ),
        _nature("N6.1", "art. 74 c.7-8 DPR 633/72", _RC, "Reverse charge, scrap"),
        _nature("N6.2", "art. 17 c.5 DPR 633/72", _RC, "Reverse charge, gold and silver"),
        _nature(
            "N6.3", "art. 17 c.6 lett. a DPR 633/72", _RC, "Reverse charge, building subcontract"
        ),
        _nature(
            "N6.4", "art. 17 c.6 lett. a-bis DPR 633/72", _RC, "Reverse charge, sale of buildings"
        ),
        _nature("N6.5", "art. 17 c.6 lett. b DPR 633/72", _RC, "Reverse charge, mobile phones"),
        _nature(
            "N6.6", "art. 17 c.6 lett. c DPR 633/72", _RC, "Reverse charge, electronic products"
        ),
        _nature(
            "N6.7", "art. 17 c.6 lett. a-ter DPR 633/72", _RC, "Reverse charge, building services"
        ),
        _nature(
            "N6.8",
            "art. 17 c.6 lett. d-bis, d-ter, d-quater DPR 633/72",
            _RC,
            "Reverse charge, energy sector",
        ),
        _nature("N6.9", "art. 17 DPR 633/72", _RC, "Reverse charge, other cases"),
        _nature(
            "N7",
            "art. 7-bis c.3 DPR 633/72, art. 41 DL 331/93",
            "IVA assolta in altro stato UE",
            "VAT paid in another EU state",
        ),
    )
}
REVERSE_CHARGE_NOTE = "Inversione contabile art. 17 DPR 633/72"


def vat_nature(code: str, where: str | None = None) -> VatNature:
    """The nature of ``code``; UserError naming ``where`` for an unknown one."""
    found = VAT_NATURES.get(code)
    if found is None:
        raise UserError(
            _("unknown VAT nature {value} (one of: {choices})").format(
                value=repr(code), choices=", ".join(VAT_NATURES)
            ),
            where,
        )
    return found


def is_out_of_scope(code: str | None) -> bool:
    """Whether a line of nature ``code`` stays out of the taxable base (None: taxed)."""
    return code is not None and vat_nature(code).out_of_scope


def checked_line_nature(
    rate: Decimal | None, nature: str | None, where: str | None = None
) -> str | None:
    """The nature of a line taxed at ``rate``, checked: a 0% line needs one, a line with
    VAT may not have one. ``where`` names the nature's field in the message."""
    if nature is None or nature == "":
        if rate is not None and rate == 0:
            raise UserError(
                _("is required on a 0% line (one of: {choices})").format(
                    choices=", ".join(VAT_NATURES)
                ),
                where,
            )
        return None
    if not isinstance(nature, str):
        raise UserError(_("not a VAT nature: {value}").format(value=repr(nature)), where)
    code = vat_nature(nature.strip().upper(), where).code
    if rate is not None and rate != 0:
        raise UserError(
            _("{code} is only for a line without VAT (vat_rate 0, not {rate})").format(
                code=code, rate=rate
            ),
            where,
        )
    return code


def reverse_charge_note(codes: set[str | None] | frozenset[str | None]) -> list[str]:
    """The notes a document with lines of natures ``codes`` prints for reverse charge:
    ``Inversione contabile art. 17 ...`` with each sub-case's article."""
    return [
        f"Inversione contabile {VAT_NATURES[c].reference} ({c})"
        for c in sorted(c for c in codes if c and VAT_NATURES[c].reverse_charge)
    ]


__all__ = [
    "OUT_OF_SCOPE",
    "REVERSE_CHARGE_NOTE",
    "VAT_NATURES",
    "VatNature",
    "checked_line_nature",
    "is_out_of_scope",
    "reverse_charge_note",
    "vat_nature",
]
