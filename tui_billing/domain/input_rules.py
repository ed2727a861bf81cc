"""The bounds every value entered must keep (import, CSV, payment files, command line,
forms): dates, day counts, numbers, text length and characters, e-mail addresses.
Each refusal is a UserError naming the field."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from email_validator import EmailNotValidError, validate_email

from tui_billing.domain.errors import UserError
from tui_billing.domain.i18n import _

#: Dates accepted anywhere a user enters one: a billing date outside these years is a typo
#: (0001-01-01 would bill two thousand years, 9999-12-31 runs past the calendar's end).
FIRST_DATE = dt.date(1970, 1, 1)
LAST_DATE = dt.date(2199, 12, 31)

#: Day counts (payment terms, invoice offset, grace days): at most a year.
MAX_DAYS = 366

#: Whole numbers without a bound of their own fit a 32-bit column (PostgreSQL ``integer``).
MAX_INTEGER = 2**31 - 1

#: Decimals (prices, quantities, amounts) stay below a billion: their products and sums
#: still fit the 64-bit scaled integers the store keeps them in.
DECIMAL_LIMIT = Decimal(10) ** 9

#: Text: one-line fields (codes, names, identifiers, e-mail addresses) and multi-line ones
#: (descriptions, addresses, notes).
MAX_LINE_TEXT = 200
MAX_LONG_TEXT = 1000

# C0 and C1 controls, DEL, the Unicode line and paragraph separators, the bidirectional
# overrides (text that displays other than it reads) and lone surrogates (not encodable).
_ONE_LINE_BAD = re.compile(
    r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)
_MULTI_LINE_BAD = re.compile(
    r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)


def check_date(value: dt.date, path: str | None = None) -> dt.date:
    """Refuse a date outside 1970-01-01..2199-12-31."""
    if not FIRST_DATE <= value <= LAST_DATE:
        raise UserError(
            _("{day} is outside the dates accepted ({first} to {last})").format(
                day=value.isoformat(), first=FIRST_DATE.isoformat(), last=LAST_DATE.isoformat()
            ),
            path,
        )
    return value


def check_days(value: int, path: str | None = None, *, minimum: int = 0) -> int:
    """A count of days between ``minimum`` and :data:`MAX_DAYS`."""
    if not minimum <= value <= MAX_DAYS:
        raise UserError(
            _("must be between {minimum} and {maximum} days").format(
                minimum=minimum, maximum=MAX_DAYS
            ),
            path,
        )
    return value


def check_text(
    value: str, path: str | None = None, *, multiline: bool = False, limit: int | None = None
) -> str:
    """Refuse control characters (a multi-line text may hold newlines, written as
    ``\\n``; a Windows ``\\r\\n`` counts as one) and text longer than ``limit`` characters
    (default :data:`MAX_LONG_TEXT` for multi-line text, else :data:`MAX_LINE_TEXT`)."""
    if multiline:
        value = value.replace("\r\n", "\n")
    bad = (_MULTI_LINE_BAD if multiline else _ONE_LINE_BAD).search(value)
    if bad is not None:
        template = (
            _("must not contain newlines (U+{code} at character {position})")
            if bad.group() in "\r\n" and not multiline
            else _("must not contain control characters (U+{code} at character {position})")
        )
        raise UserError(
            template.format(code=f"{ord(bad.group()):04X}", position=bad.start() + 1), path
        )
    top = limit if limit is not None else MAX_LONG_TEXT if multiline else MAX_LINE_TEXT
    if len(value) > top:
        raise UserError(
            _("is longer than {limit} characters ({length})").format(limit=top, length=len(value)),
            path,
        )
    return value


def check_email(value: str, path: str | None = None) -> str:
    """One e-mail address (``name@example.it``), checked by a standard parser: no display
    name, no list, no quoted or bracketed parts, a domain with a dot; returned as given."""
    check_text(value, path, limit=254)
    try:
        validate_email(
            value,
            check_deliverability=False,
            allow_smtputf8=False,
            allow_quoted_local=False,
            allow_domain_literal=False,
        )
    except EmailNotValidError as exc:
        raise UserError(
            _("not an e-mail address: {value} ({reason})").format(value=repr(value), reason=exc),
            path,
        ) from None
    return value


__all__ = [
    "DECIMAL_LIMIT",
    "FIRST_DATE",
    "LAST_DATE",
    "MAX_DAYS",
    "MAX_INTEGER",
    "MAX_LINE_TEXT",
    "MAX_LONG_TEXT",
    "check_date",
    "check_days",
    "check_email",
    "check_text",
]
