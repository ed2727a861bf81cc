"""Check digits of the identifiers on an invoice: IBAN, Italian VAT number (partita IVA)."""

from __future__ import annotations

import re

from tui_billing.domain.errors import UserError

_IBAN_LENGTHS = {"IT": 27, "SM": 27, "DE": 22, "FR": 27, "ES": 24, "AT": 20, "CH": 21, "BE": 16,
                 "NL": 18, "LU": 20, "PT": 25, "IE": 22, "GB": 22, "SI": 19, "HR": 21, "MT": 31}


def normalize_iban(value: str) -> str:
    return re.sub(r"\s+", "", value).upper()


def iban_is_valid(value: str) -> bool:
    """ISO 13616: country length where known, then mod 97 of the rearranged digits is 1."""
    iban = normalize_iban(value)
    if not re.fullmatch(r"[A-Z]{2}[0-9]{2}[A-Z0-9]{8,30}", iban):
        return False
    expected = _IBAN_LENGTHS.get(iban[:2])
    if expected is not None and len(iban) != expected:
        return False
    digits = "".join(str(int(ch, 36)) for ch in iban[4:] + iban[:4])
    return int(digits) % 97 == 1


def partita_iva_is_valid(digits: str) -> bool:
    """The Italian VAT number: 11 digits, the last a Luhn-style check digit."""
    if not re.fullmatch(r"[0-9]{11}", digits):
        return False
    total = 0
    for i, ch in enumerate(digits[:10]):
        n = int(ch)
        if i % 2 == 1:
            n *= 2
            if n > 9:
                n -= 9
        total += n
    return (10 - total % 10) % 10 == int(digits[10])


def check_vat_number(value: str, path: str | None = None) -> str:
    """Normalize a VAT number; an Italian one (IT + 11 digits, or 11 digits) must check."""
    vat = re.sub(r"[\s.-]+", "", value).upper()
    italian = vat[2:] if vat.startswith("IT") else vat if vat.isdigit() else None
    if italian is not None and not partita_iva_is_valid(italian):
        raise UserError(f"'{value}' is not a valid Italian VAT number (check digit)", path)
    return vat


def check_iban(value: str, path: str | None = None) -> str:
    iban = normalize_iban(value)
    if not iban_is_valid(iban):
        raise UserError(f"'{value}' is not a valid IBAN (check digits)", path)
    return iban
