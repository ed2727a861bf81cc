"""VAT natures: why a line carries no VAT, as the Italian e-invoice names it (``Natura``).

A line with a nature is not taxed at its rate. An *out of scope* nature (N1, art. 15 DPR
633/72: late-payment interest, the recovery fee of D.Lgs. 231/2002) is also left out of
the taxable base, and is still part of the document's total to pay.
"""

from __future__ import annotations

from dataclasses import dataclass

from tui_billing.domain.errors import UserError


@dataclass(frozen=True, slots=True)
class VatNature:
    """One nature code with its legal reference and printed names."""

    code: str  # e-invoice Natura: N1
    reference: str  # the law that puts the line outside VAT
    italian: str
    english: str
    out_of_scope: bool  # left out of the taxable base (imponibile)

    def label(self, language: str) -> str:
        """The VAT summary's name of the nature, in ``language`` (it, else English)."""
        return self.italian if language == "it" else self.english


OUT_OF_SCOPE = "N1"  # excluded from VAT: art. 15 DPR 633/72

VAT_NATURES: dict[str, VatNature] = {
    OUT_OF_SCOPE: VatNature(
        OUT_OF_SCOPE, "art. 15 DPR 633/72",
        "Fuori campo IVA art. 15 DPR 633/72 (N1)", "Out of VAT scope (art. 15 DPR 633/72)",
        out_of_scope=True),
}


def vat_nature(code: str, where: str | None = None) -> VatNature:
    """The nature of ``code``; UserError naming ``where`` for an unknown one."""
    found = VAT_NATURES.get(code)
    if found is None:
        raise UserError(f"unknown VAT nature {code!r} (one of: {', '.join(VAT_NATURES)})",
                        where)
    return found


def is_out_of_scope(code: str | None) -> bool:
    """Whether a line of nature ``code`` stays out of the taxable base (None: taxed)."""
    return code is not None and vat_nature(code).out_of_scope


__all__ = ["OUT_OF_SCOPE", "VAT_NATURES", "VatNature", "is_out_of_scope", "vat_nature"]
