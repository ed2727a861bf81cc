"""The parties of a fiscal document, seller (the company) and buyer (a customer): their
fields as the FatturaPA 1.2.3 schema wants them, read and checked from user data (import,
CSV, forms), what a seller needs before it may issue, and the lines a PDF prints."""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

from tui_billing.domain.errors import UserError
from tui_billing.domain.i18n import N_, _
from tui_billing.domain.identifiers import (
    check_country,
    check_iban,
    check_tax_code,
    check_vat_number,
)
from tui_billing.domain.parsing import Reader
from tui_billing.domain.professional import PROFESSIONAL_SETTINGS, read_professional
from tui_billing.domain.sepa import check_bic, check_creditor_id

# RegimeFiscaleType of the schema (RF03 was withdrawn).
TAX_REGIMES = ("RF01", "RF02", *(f"RF{n:02d}" for n in range(4, 21)))
SOLE_SHAREHOLDER = ("SU", "SM")  # socio unico, più soci
LIQUIDATION_STATES = ("LN", "LS")  # non in liquidazione, in liquidazione

_LATIN = re.compile(r"[\x20-\x7e\xa0-\xff]*")
_POSTAL_CODE = re.compile(r"[0-9]{5}")
_FOREIGN_POSTAL_CODE = re.compile(r"[A-Z0-9][A-Z0-9 \-]{0,9}")
_PROVINCE = re.compile(r"[A-Z]{2}")
_SDI_CODE = {False: re.compile(r"[A-Z0-9]{7}"), True: re.compile(r"[A-Z0-9]{6}")}
_PHONE = re.compile(r"[\x20-\x7e]{5,12}")
_EMAIL = re.compile(r"[^@\s,;<>\"]+@[^@\s,;<>\"]+\.[^@\s,;<>\"]+")
_CIG = re.compile(r"[A-Z0-9]{10}")
_CUP = re.compile(r"[A-Z0-9]{15}")
_REA_NUMBER = re.compile(r"[\x20-\x7e]{1,20}")

# The columns of an address, on customers and on the company.
ADDRESS_FIELDS = ("street", "postal_code", "city", "province", "country")
CUSTOMER_PARTY_FIELDS = (
    *ADDRESS_FIELDS,
    "vat_country",
    "vat_number",
    "tax_code",
    "sdi_code",
    "pec",
    "public_administration",
    "split_payment",
)
COMPANY_FIELDS = (
    "name",
    *ADDRESS_FIELDS,
    "vat_country",
    "vat_number",
    "tax_code",
    "tax_regime",
    "rea_office",
    "rea_number",
    "share_capital",
    "sole_shareholder",
    "liquidation",
    "iban",
    "phone",
    "email",
    "pec",
)
# The company's settings that are not part of the seller printed on a document: whether
# the imposta di bollo is charged to the customer (its own N1 line) or borne; what
# collecting needs: the SEPA creditor identifier, the bank's BIC and the Ri.Ba. SIA code;
# a professional's withholding tax and social-security contribution (domain.professional).
COMPANY_SETTINGS = ("stamp_duty_charged", "creditor_id", "bic", "sia_code", *PROFESSIONAL_SETTINGS)
_SIA_CODE = re.compile(r"[A-Z0-9]{5}")


def _latin(r: Reader, key: str, limit: int) -> str | None:
    """Optional text of at most ``limit`` Latin-1 characters (the schema's StringNNLatin)."""
    value = r.optional_text(key)
    if value is None:
        return None
    if len(value) > limit:
        raise UserError(_("must be at most {limit} characters").format(limit=limit), r.at(key))
    if not _LATIN.fullmatch(value):
        raise UserError(_("must be Latin-1 text on one line (as the e-invoice allows)"), r.at(key))
    return value


def _matching(r: Reader, key: str, pattern: re.Pattern[str], what: str) -> str | None:
    value = r.optional_text(key)
    if value is None:
        return None
    value = value.upper() if key not in ("phone",) else value
    if not pattern.fullmatch(value):
        raise UserError(
            _("{value} is not {what}").format(value=repr(value), what=_(what)), r.at(key)
        )
    return value


def check_email(value: str | None, path: str) -> str | None:
    if value is None:
        return None
    if len(value) > 256 or not _EMAIL.fullmatch(value):
        raise UserError(_("not an e-mail address: {value}").format(value=repr(value)), path)
    return value


def read_address(r: Reader, legacy: str | None = None) -> dict[str, Any]:
    """Street and number, CAP, comune, provincia and ISO country (IT by default). An Italian
    CAP is 5 digits; a foreign postal code is kept (the e-invoice writes 00000 for it).
    ``legacy``: the old free-text address, split into the fields the record leaves out."""
    country = check_country(r.text("country", "IT") or "IT", r.at("country"))
    values = {
        "street": _latin(r, "street", 60),
        "postal_code": _matching(
            r,
            "postal_code",
            _POSTAL_CODE if country == "IT" else _FOREIGN_POSTAL_CODE,
            N_("a CAP (5 digits)") if country == "IT" else N_("a postal code"),
        ),
        "city": _latin(r, "city", 60),
        "province": _matching(r, "province", _PROVINCE, N_("a province (2 letters, e.g. MI)")),
        "country": country,
    }
    if legacy:
        if values["street"] is not None:
            raise UserError(
                _("give the street in 'street' only ('address' is the old free-text field)"),
                r.at("address"),
            )
        for key, value in split_legacy_address(legacy).items():
            values[key] = values[key] or value
    return values


def read_tax_ids(r: Reader) -> dict[str, Any]:
    """VAT number with its country (``vat_country``, or the number's prefix) and codice
    fiscale, each checked by python-stdnum."""
    vat = r.optional_text("vat_number")
    vat_country = r.optional_text("vat_country")
    if vat_country is not None:
        vat_country = check_country(vat_country, r.at("vat_country"))
    if vat is not None:
        vat_country, vat = check_vat_number(vat, vat_country, r.at("vat_number"))
    tax_code = r.optional_text("tax_code")
    return {
        "vat_country": vat_country if vat is not None else None,
        "vat_number": vat,
        "tax_code": check_tax_code(tax_code, r.at("tax_code")) if tax_code else None,
    }


def read_customer_party(r: Reader, legacy_address: str | None = None) -> dict[str, Any]:
    """A customer's fiscal fields: address, tax ids, SdI recipient code (7 characters, 6 for
    a public administration office) and PEC, the public-administration flag and split
    payment (art. 17-ter DPR 633/72: on by default for a public administration)."""
    public = r.boolean("public_administration", False)
    values = {**read_address(r, legacy_address), **read_tax_ids(r)}
    values["sdi_code"] = _matching(
        r,
        "sdi_code",
        _SDI_CODE[public],
        N_("an SdI recipient code of a public administration office (6 characters)")
        if public
        else N_("an SdI recipient code (7 letters and digits)"),
    )
    values["pec"] = check_email(r.optional_text("pec"), r.at("pec"))
    values["public_administration"] = public
    values["split_payment"] = r.boolean("split_payment", public)
    return values


def read_contract_codes(r: Reader) -> dict[str, Any]:
    """The CIG and CUP a public administration's contract carries to its e-invoices."""
    return {
        "cig": _matching(r, "cig", _CIG, N_("a CIG (10 letters and digits)")),
        "cup": _matching(r, "cup", _CUP, N_("a CUP (15 letters and digits)")),
    }


def read_company(r: Reader) -> dict[str, Any]:
    """The seller (cedente/prestatore), every field optional here: completeness is asked
    for only when a document is issued (:func:`missing_for_issue`)."""
    capital = r.decimal("share_capital", None, places=2)
    iban = r.optional_text("iban")
    values = {
        "name": _latin(r, "name", 80),
        **read_address(r),
        **read_tax_ids(r),
        "tax_regime": r.choice("tax_regime", TAX_REGIMES, "RF01"),
        "rea_office": _matching(
            r, "rea_office", _PROVINCE, N_("a REA office (2 letters, e.g. MI)")
        ),
        "rea_number": _matching(r, "rea_number", _REA_NUMBER, N_("a REA number (at most 20)")),
        "share_capital": capital,
        "sole_shareholder": (
            r.choice("sole_shareholder", SOLE_SHAREHOLDER)
            if r.optional_text("sole_shareholder")
            else None
        ),
        "liquidation": r.choice("liquidation", LIQUIDATION_STATES, "LN"),
        "iban": check_iban(iban, r.at("iban")) if iban else None,
        "phone": _matching(r, "phone", _PHONE, N_("a phone number (5 to 12 characters)")),
        "email": check_email(r.optional_text("email"), r.at("email")),
        "pec": check_email(r.optional_text("pec"), r.at("pec")),
        "stamp_duty_charged": r.boolean("stamp_duty_charged", False),
        **read_collecting(r),
        **read_professional(r),
    }
    if (values["rea_office"] is None) != (values["rea_number"] is None):
        missing = "rea_number" if values["rea_number"] is None else "rea_office"
        raise UserError(
            _("the REA registration needs both its office and its number"), r.at(missing)
        )
    return values


def read_collecting(r: Reader) -> dict[str, Any]:
    """The company's collecting data: SEPA creditor identifier (AT-02, check digits), the
    BIC of its bank and the 5-character SIA code of its Ri.Ba. flows; each optional."""
    creditor_id = r.optional_text("creditor_id")
    bic = r.optional_text("bic")
    return {
        "creditor_id": check_creditor_id(creditor_id, r.at("creditor_id")) if creditor_id else None,
        "bic": check_bic(bic, r.at("bic")) if bic else None,
        "sia_code": _matching(r, "sia_code", _SIA_CODE, N_("a SIA code (5 letters or digits)")),
    }


def missing_for_issue(company: dict[str, Any] | None) -> list[str]:
    """The seller's fields an issued document needs and the company lacks (DPR 633/72 art.
    21: name, address, VAT number; the e-invoice's RegimeFiscale)."""
    required = ["name", "street", "postal_code", "city", "country", "vat_number", "tax_regime"]
    if company is None:  # as a new record would be: Italian, regime ordinario
        company = {"country": "IT", "tax_regime": "RF01"}
    if company.get("country") == "IT":
        required.insert(4, "province")
    return [key for key in required if not company.get(key)]


def refuse_incomplete_seller(company: dict[str, Any] | None) -> None:
    """Refuse to issue when the seller lacks a field a fiscal document must carry."""
    missing = missing_for_issue(company)
    if missing:
        raise UserError(
            _(
                "missing; needed to issue invoices (set it with `tui-billing import` "
                'in a "company" object, or in the TUI\'s Company screen)'
            ),
            ", ".join(f"company.{key}" for key in missing),
        )


def vat_text(values: dict[str, Any]) -> str | None:
    """The VAT number as printed: ``IT01234560017``."""
    if not values.get("vat_number"):
        return None
    return f"{values.get('vat_country') or 'IT'}{values['vat_number']}"


def address_lines(values: dict[str, Any]) -> list[str]:
    """A postal address as printed: street; CAP comune (provincia); the country if not IT."""
    lines = [values["street"]] if values.get("street") else []
    place = " ".join(p for p in (values.get("postal_code"), values.get("city")) if p)
    if values.get("province"):
        place = f"{place} ({values['province']})" if place else values["province"]
    if place:
        lines.append(place)
    if values.get("country") and values["country"] != "IT":
        lines.append(values["country"])
    return lines


_PLACE = re.compile(
    r"^(?P<cap>[0-9]{5})\s+(?P<city>.+?)\s*(?:\((?P<province>[A-Za-z]{2})\)|"
    r"\s(?P<bare>[A-Z]{2}))?$"
)


def split_legacy_address(text: str | None) -> dict[str, str | None]:
    """A free-text address of the old single field as street, CAP, comune and provincia:
    ``Via Roma 1, 20121 Milano (MI)`` (or on two lines) splits; anything else stays whole
    in the street, for the user to complete."""
    empty: dict[str, str | None] = {
        "street": None,
        "postal_code": None,
        "city": None,
        "province": None,
    }
    if not text or not text.strip():
        return empty
    parts = [p.strip() for p in re.split(r"[\n,]", text) if p.strip()]
    if len(parts) >= 2:
        match = _PLACE.match(parts[-1])
        if match:
            return {
                "street": ", ".join(parts[:-1])[:60],
                "postal_code": match["cap"],
                "city": match["city"][:60],
                "province": (match["province"] or match["bare"] or "").upper() or None,
            }
    return {**empty, "street": " ".join(text.split())[:60]}


BUYER_SNAPSHOT_FIELDS = ("code", "name", *CUSTOMER_PARTY_FIELDS, "email")


def snapshot_text(values: dict[str, Any]) -> tuple[str, str]:
    """A party as an issued document keeps it: canonical JSON and its SHA-256 digest."""
    text = json.dumps(
        values, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest(), text
