"""Numbering classes and number formats: which documents share one gapless sequence per
series and year, and how their numbers are written.

Invoices and credit notes are fiscal documents: they share the *fiscal* sequence of their
series and year (a credit note continues the invoices' numbers, as the law wants). A
pro-forma and an order document are not fiscal documents: each type is numbered in a
sequence of its own, so they never leave a hole in the invoices' numbers. Each class has
its own number format, by default ``A/2024/0001``, ``PF-A/2024/0001`` and
``ORD-A/2024/0001``; a series may set its own format for each class.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from functools import lru_cache

from tui_billing.domain.errors import UserError
from tui_billing.domain.i18n import N_, _
from tui_billing.domain.vocabulary import DEFAULT_SERIES_FORMAT

FISCAL = "fiscal"
NUMBERING_CLASSES = (FISCAL, "proforma", "order")

#: The class each document type is numbered in.
CLASS_OF_DOCUMENT = {
    "invoice": FISCAL,
    "credit_note": FISCAL,
    "proforma": "proforma",
    "order": "order",
}

DEFAULT_FORMATS = {
    FISCAL: DEFAULT_SERIES_FORMAT,
    "proforma": "PF-{series}/{year}/{seq:04d}",
    "order": "ORD-{series}/{year}/{seq:04d}",
}

#: The field of a series (model column, interchange key) holding each class's format.
FORMAT_FIELDS = {FISCAL: "format", "proforma": "proforma_format", "order": "order_format"}

#: How messages name a document of each type (English; show them through ``_()``).
DOCUMENT_NAMES = {
    "invoice": N_("an invoice"),
    "credit_note": N_("a credit note"),
    "proforma": N_("a pro-forma"),
    "order": N_("an order document"),
}

# Numbers written with two formats of one series must differ for these (first ones and
# the lengths where a padding stops padding).
_SAMPLE_SEQS = (1, 9, 10, 99, 100, 999, 1000, 9999, 10000, 99999, 100000)


def numbering_class(document_type: str) -> str:
    """The numbering class of a document type (``credit_note`` -> ``fiscal``)."""
    try:
        return CLASS_OF_DOCUMENT[document_type]
    except KeyError:
        raise UserError(
            _("unknown document type {value} (one of {choices})").format(
                value=repr(document_type), choices=", ".join(CLASS_OF_DOCUMENT)
            ),
            "document_type",
        ) from None


@lru_cache(maxsize=256)
def _format_fields(fmt: str) -> frozenset[str]:
    return frozenset(name for _text, name, _spec, _conv in string.Formatter().parse(fmt) if name)


def format_number(fmt: str, series: str, year: int, seq: int, where: str = "series.format") -> str:
    """``"{series}/{year}/{seq:04d}"`` -> ``A/2024/0001``; a broken format is a UserError."""
    try:
        fields = _format_fields(fmt)
        text = fmt.format(series=series, year=year, seq=seq)
    except (KeyError, IndexError, ValueError, AttributeError, TypeError) as exc:
        raise UserError(
            _(
                "number format {format} of series {series} is not valid ({reason}); use the "
                "fields {{series}}, {{year}} and {{seq}}, e.g. {{series}}/{{year}}/{{seq:04d}}"
            ).format(format=repr(fmt), series=repr(series), reason=exc),
            where,
        ) from None
    if "seq" not in fields:
        raise UserError(
            _("number format {format} of series {series} does not print {{seq}}").format(
                format=repr(fmt), series=repr(series)
            ),
            where,
        )
    return text


def series_formats(
    series: str, formats: Mapping[str, str | None], where: str = "series"
) -> dict[str, str]:
    """The format of each numbering class of a series, from its fields (``format``,
    ``proforma_format``, ``order_format``; empty or missing: the class's default).

    Refuses (UserError naming the field) a broken format, and two classes whose formats
    write the same number, since two documents must never share one."""
    resolved: dict[str, str] = {}
    for cls in NUMBERING_CLASSES:
        key = FORMAT_FIELDS[cls]
        fmt = formats.get(key) or DEFAULT_FORMATS[cls]
        for seq in _SAMPLE_SEQS:
            format_number(fmt, series, 2024, seq, f"{where}.{key}")
        resolved[cls] = fmt
    for seq in _SAMPLE_SEQS:
        written: dict[str, str] = {}
        for cls, fmt in resolved.items():
            text = fmt.format(series=series, year=2024, seq=seq)
            if text in written:
                other = written[text]
                raise UserError(
                    _(
                        "the {other} and {numbering} numbers of series {series} would be the "
                        "same ({number}): give {field} a format of its own, e.g. {example}"
                    ).format(
                        other=other,
                        numbering=cls,
                        series=repr(series),
                        number=text,
                        field=FORMAT_FIELDS[cls],
                        example=DEFAULT_FORMATS[cls],
                    ),
                    f"{where}.{FORMAT_FIELDS[cls]}",
                )
            written[text] = cls
    return resolved


__all__ = [
    "CLASS_OF_DOCUMENT",
    "DEFAULT_FORMATS",
    "DOCUMENT_NAMES",
    "FISCAL",
    "FORMAT_FIELDS",
    "NUMBERING_CLASSES",
    "format_number",
    "numbering_class",
    "series_formats",
]
