"""Check digits and formats of the identifiers on an invoice, by python-stdnum and pycountry:
IBAN, VAT numbers (Italian partita IVA, other EU ones), codice fiscale, ISO 3166 countries."""

from __future__ import annotations

import re

import pycountry
from stdnum import iban as stdnum_iban
from stdnum.eu import vat as eu_vat
from stdnum.exceptions import ValidationError
from stdnum.it import codicefiscale, iva

from tui_billing.domain.errors import UserError
from tui_billing.domain.i18n import _

# ISO 3166 Greece is GR, its VAT numbers are prefixed EL (the EU's code).
_EU_VAT_PREFIX = {"GR": "EL"}
_FOREIGN_VAT = re.compile(r"[A-Z0-9]{1,28}")


def normalize_iban(value: str) -> str:
    return stdnum_iban.compact(value)


def iban_is_valid(value: str) -> bool:
    """ISO 13616 (stdnum.iban): the country's length and format, and the check digits."""
    return bool(stdnum_iban.is_valid(value))


def check_iban(value: str, path: str | None = None) -> str:
    if not iban_is_valid(value):
        raise UserError(_("'{value}' is not a valid IBAN (check digits)").format(value=value), path)
    return normalize_iban(value)


def check_country(value: str, path: str | None = None) -> str:
    """An ISO 3166-1 alpha-2 country code (the FatturaPA ``Nazione``/``IdPaese``)."""
    code = value.strip().upper()
    if len(code) != 2 or pycountry.countries.get(alpha_2=code) is None:
        raise UserError(
            _("'{value}' is not an ISO 3166-1 alpha-2 country code (e.g. IT)").format(value=value),
            path,
        )
    return code


def split_vat_number(value: str, country: str | None, path: str | None = None) -> tuple[str, str]:
    """A VAT number as (country, number): the number may carry its country prefix
    (``IT01234560017``), which must then agree with ``country`` when that is given too."""
    vat = re.sub(r"[\s.\-/]+", "", value).upper()
    prefix = vat[:2] if len(vat) > 2 and vat[:2].isalpha() else None
    if prefix == "EL":
        prefix = "GR"
    if prefix is not None:
        if country is not None and country != prefix:
            raise UserError(
                _("'{value}' has the prefix {prefix}, but the VAT country is {country}").format(
                    value=value, prefix=prefix, country=country
                ),
                path,
            )
        return prefix, vat[2:]
    return country or "IT", vat


def check_vat_number(
    value: str, country: str | None = None, path: str | None = None
) -> tuple[str, str]:
    """Normalize and check a VAT number; returns (ISO country, number without prefix). An
    Italian one must pass stdnum.it.iva, another EU one stdnum.eu.vat; others are kept as
    given (letters and digits, at most 28, as the e-invoice's IdCodice)."""
    country_code, number = split_vat_number(value, country, path)
    country_code = check_country(country_code, path)
    if country_code == "IT":
        if not iva.is_valid(number):
            raise UserError(
                _(
                    "'{value}' is not a valid Italian VAT number (partita IVA: 11 "
                    "digits and a check digit)"
                ).format(value=value),
                path,
            )
        return country_code, iva.compact(number)
    prefix = _EU_VAT_PREFIX.get(country_code, country_code)
    if prefix.lower() in eu_vat.MEMBER_STATES:
        try:
            eu_vat.validate(prefix + number)
        except ValidationError:
            raise UserError(
                _("'{value}' is not a valid {country} VAT number").format(
                    value=value, country=country_code
                ),
                path,
            ) from None
    elif not _FOREIGN_VAT.fullmatch(number):
        raise UserError(
            _("'{value}' is not a VAT number (letters and digits, at most 28)").format(value=value),
            path,
        )
    return country_code, number


def check_tax_code(value: str, path: str | None = None) -> str:
    """A codice fiscale: a person's 16 characters, or a company's 11 digits (stdnum)."""
    code = codicefiscale.compact(value)
    if not codicefiscale.is_valid(code):
        raise UserError(
            _(
                "'{value}' is not a valid codice fiscale (16 characters for a "
                "person, 11 digits for a company)"
            ).format(value=value),
            path,
        )
    return code
