"""SEPA direct debit: creditor, mandate and collection values, checked, and FRST/RCUR.

Each constructor ``make_*`` checks its input and raises ``UserError`` naming the field.
The identifiers follow the EPC rules: the creditor identifier (AT-02) with its ISO 7064
mod 97-10 check digits, the mandate reference (AT-01) in the SEPA character set, IBAN and
BIC checked with python-stdnum.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Literal

from stdnum import bic as stdnum_bic
from stdnum.eu import at_02
from stdnum.exceptions import ValidationError

from tui_billing.domain.errors import UserError
from tui_billing.domain.i18n import _
from tui_billing.domain.identifiers import check_iban
from tui_billing.domain.target_calendar import Scheme

SequenceType = Literal["FRST", "RCUR"]
SCHEMES: tuple[str, ...] = ("CORE", "B2B")
MAX_AMOUNT = Decimal("999999999.99")  # the largest InstdAmt of the EPC guidelines

# The SEPA (EPC "Latin") character set; identifiers must not start or end with "/" nor
# hold "//" (EPC implementation guidelines, 1.4 Character set).
_NOT_SEPA = re.compile(r"[^A-Za-z0-9/\-?:().,'+ ]")
_SEPA_ID = re.compile(r"[A-Za-z0-9/\-?:().,'+]{1,35}")
# Text already in the SEPA set, words parted by single spaces: what sepa_text leaves as is.
_SEPA_CLEAN = re.compile(r"[A-Za-z0-9/\-?:().,'+]+(?: [A-Za-z0-9/\-?:().,'+]+)*")


def check_sepa_identifier(value: str, path: str) -> str:
    """A reference of 1-35 characters of the SEPA set, no spaces, no edge or double '/'."""
    if not isinstance(value, str) or not _SEPA_ID.fullmatch(value):
        raise UserError(
            _(
                "'{value}' must be 1 to 35 characters of A-Z a-z 0-9 / - ? : ( ) . , ' + "
                "(no spaces)"
            ).format(value=value),
            path,
        )
    if value.startswith("/") or value.endswith("/") or "//" in value:
        raise UserError(
            _("'{value}' must not start or end with '/' nor hold '//'").format(value=value), path
        )
    return value


def sepa_text(value: str, length: int) -> str:
    """``value`` cut to ``length``: accents dropped (è to e), any other character outside
    the SEPA set as a space."""
    if _SEPA_CLEAN.fullmatch(value):  # the common case, as it comes out of the steps below
        return value[:length]
    plain = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode("ascii")
    cleaned = _NOT_SEPA.sub(" ", plain)
    return " ".join(cleaned.split())[:length]


def check_creditor_id(value: str, path: str = "creditor_id") -> str:
    """The SEPA creditor identifier (AT-02). An Italian one is IT, 2 check digits, a
    3-character business code (ZZZ when none) and the 16-character fiscal code or VAT number
    of the creditor; the check digits are ISO 7064 mod 97-10 over the national part and the
    country code, skipping the business code (EPC262-08)."""
    try:
        compact = at_02.validate(value)
    except ValidationError:
        raise UserError(
            _("'{value}' is not a valid SEPA creditor identifier (format or check digits)").format(
                value=value
            ),
            path,
        ) from None
    if compact.startswith("IT") and not re.fullmatch(r"IT[0-9]{2}[A-Z0-9]{3}[A-Z0-9]{16}", compact):
        raise UserError(
            _(
                "'{value}' is not an Italian creditor identifier: IT, 2 check digits, "
                "3-character business code, 16-character fiscal code"
            ).format(value=value),
            path,
        )
    return compact


def check_bic(value: str, path: str) -> str:
    try:
        return stdnum_bic.validate(value)
    except ValidationError:
        raise UserError(_("'{value}' is not a valid BIC").format(value=value), path) from None


@dataclass(frozen=True)
class Creditor:
    """The company collecting: its name, SEPA creditor identifier, account and bank."""

    name: str
    creditor_id: str
    iban: str
    bic: str


@dataclass(frozen=True)
class Mandate:
    """A signed SEPA mandate: unique reference per creditor, signature date, scheme, the
    debtor, and the debtor's account (IBAN and BIC may still be missing on a new mandate)."""

    reference: str
    signed_on: date
    scheme: Scheme
    debtor_name: str
    debtor_iban: str | None = None
    debtor_bic: str | None = None


@dataclass(frozen=True)
class Collection:
    """One debit to present: the invoice it collects, the amount, the due (collection) date,
    the mandate, the sequence type and the remittance text the debtor sees."""

    invoice_number: str
    amount: Decimal
    due_date: date
    mandate: Mandate
    sequence_type: SequenceType
    remittance: str
    amendment: Amendment | None = None


@dataclass(frozen=True)
class Amendment:
    """What changed on a mandate since its last collection, told to the debtor's bank with
    the next one (EPC AT-24): the reference it had, and whether the debtor's IBAN changed
    (written as "SMNDA", same mandate with a new debtor account)."""

    original_reference: str | None = None
    new_debtor_account: bool = False


@dataclass(frozen=True)
class LastCollection:
    """What the last settled collection under a mandate (the same mandate, whatever its
    reference then) went out with."""

    mandate_reference: str
    debtor_iban: str


def make_creditor(
    name: str, creditor_id: str, iban: str, bic: str, path: str = "creditor"
) -> Creditor:
    if not name or not name.strip():
        raise UserError(_("the creditor's name is missing"), f"{path}.name")
    return Creditor(
        name=name.strip(),
        creditor_id=check_creditor_id(creditor_id, f"{path}.creditor_id"),
        iban=check_iban(iban, f"{path}.iban"),
        bic=check_bic(bic, f"{path}.bic"),
    )


def make_mandate(
    reference: str,
    signed_on: date | None,
    scheme: str,
    debtor_name: str,
    debtor_iban: str | None = None,
    debtor_bic: str | None = None,
    path: str = "mandate",
) -> Mandate:
    check_sepa_identifier(reference, f"{path}.reference")
    if not isinstance(signed_on, date):
        raise UserError(_("the signature date is missing"), f"{path}.signed_on")
    if scheme not in SCHEMES:
        raise UserError(
            _("'{scheme}' is not a mandate type (CORE or B2B)").format(scheme=scheme),
            f"{path}.scheme",
        )
    if not debtor_name or not debtor_name.strip():
        raise UserError(_("the debtor's name is missing"), f"{path}.debtor_name")
    return Mandate(
        reference=reference,
        signed_on=signed_on,
        scheme=scheme,  # type: ignore[arg-type]
        debtor_name=debtor_name.strip(),
        debtor_iban=check_iban(debtor_iban, f"{path}.debtor_iban") if debtor_iban else None,
        debtor_bic=check_bic(debtor_bic, f"{path}.debtor_bic") if debtor_bic else None,
    )


def make_collection(
    invoice_number: str,
    amount: Decimal,
    due_date: date,
    mandate: Mandate,
    sequence_type: SequenceType,
    remittance: str,
    amendment: Amendment | None = None,
    path: str = "collection",
) -> Collection:
    check_sepa_identifier(invoice_number, f"{path}.invoice_number")
    if not isinstance(amount, Decimal) or not amount.is_finite():
        raise UserError(_("the amount is not a decimal number"), f"{path}.amount")
    if amount <= 0:
        raise UserError(_("the amount must be more than zero"), f"{path}.amount")
    if amount != amount.quantize(Decimal("0.01")):
        raise UserError(_("the amount has more than 2 decimals"), f"{path}.amount")
    if amount > MAX_AMOUNT:
        raise UserError(
            _("the amount is more than {maximum}").format(maximum=MAX_AMOUNT), f"{path}.amount"
        )
    if not isinstance(due_date, date):
        raise UserError(_("the due date is missing"), f"{path}.due_date")
    if mandate.debtor_iban is None:
        raise UserError(_("the mandate has no debtor IBAN"), f"{path}.mandate.debtor_iban")
    if sequence_type not in ("FRST", "RCUR"):
        raise UserError(
            _("'{value}' is not a sequence type (FRST or RCUR)").format(value=sequence_type),
            f"{path}.sequence_type",
        )
    return Collection(
        invoice_number=invoice_number,
        amount=amount,
        due_date=due_date,
        mandate=mandate,
        sequence_type=sequence_type,
        remittance=sepa_text(remittance, 140),
        amendment=amendment,
    )


def sequence_type(mandate: Mandate, last: LastCollection | None) -> SequenceType:
    """FRST for the first collection of a mandate, RCUR after. A mandate amended to another
    reference or debtor account starts again with FRST (EPC rulebook, AT-24/AT-25)."""
    if last is None or last.mandate_reference != mandate.reference:
        return "FRST"
    if mandate.debtor_iban is None or last.debtor_iban != mandate.debtor_iban:
        return "FRST"
    return "RCUR"


def amendment(mandate: Mandate, last: LastCollection | None) -> Amendment | None:
    """The amendment to announce with the next collection, or None when nothing changed
    (or the mandate was never collected: there is nothing to amend yet)."""
    if last is None:
        return None
    original = last.mandate_reference if last.mandate_reference != mandate.reference else None
    new_account = mandate.debtor_iban is not None and last.debtor_iban != mandate.debtor_iban
    if original is None and not new_account:
        return None
    return Amendment(original_reference=original, new_debtor_account=new_account)


def check_unique_references(mandates: Iterable[Mandate], path: str = "mandates") -> None:
    """A mandate reference identifies one mandate of the creditor: refuse a repeated one."""
    seen: set[str] = set()
    for index, mandate in enumerate(mandates):
        if mandate.reference in seen:
            raise UserError(
                _("the reference '{reference}' is used by another mandate").format(
                    reference=mandate.reference
                ),
                f"{path}[{index}].reference",
            )
        seen.add(mandate.reference)
