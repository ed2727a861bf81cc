"""The rule that fixes a series' number formats for the year: once a numbering class has
numbered a document of the current year (or a later one), its format stays until the year
ends, or the year's numbers would change shape midway (``A/2026/0041`` then
``B-2026-42``). The records screen (:mod:`tui_billing.billing.series_editing`) and the
interchange import both apply it through :func:`refuse_reformat`."""

from __future__ import annotations

import datetime as dt

from tui_billing.domain.errors import UserError
from tui_billing.domain.i18n import N_, _
from tui_billing.domain.number_formats import FORMAT_FIELDS, NUMBERING_CLASSES, series_formats
from tui_billing.store.models import Invoice, Series

#: How a refusal names the documents of each numbering class.
CLASS_DOCUMENTS = {
    "fiscal": N_("invoices and credit notes"),
    "proforma": N_("pro-formas"),
    "order": N_("order documents"),
}


def numbered_in(code: str, numbering: str, since: int) -> tuple[int, str] | None:
    """The year and the last number of the newest document numbered in a series and class
    in year ``since`` or later (None: none)."""
    row = (
        Invoice.select(Invoice.year, Invoice.number)
        .where(
            (Invoice.series == code)
            & (Invoice.numbering == numbering)
            & (Invoice.year >= since)
            & Invoice.number.is_null(False)
        )
        .order_by(Invoice.year.desc(), Invoice.seq.desc())
        .limit(1)
        .tuples()
        .first()
    )
    return (row[0], row[1]) if row else None


def refuse_reformat(row: Series, new: dict[str, str], today: dt.date, path: str) -> None:
    """Refuse a change of the format of a class of series ``row`` that numbered documents
    this year; ``new``: the format of each class (:func:`series_formats`), ``path``: the
    record the refusal names (``series``, ``series[0]``)."""
    old = series_formats(row.code, {k: getattr(row, k) for k in FORMAT_FIELDS.values()}, path)
    for numbering in NUMBERING_CLASSES:
        if old[numbering] == new[numbering]:
            continue
        used = numbered_in(row.code, numbering, today.year)
        if used is None:
            continue
        year, number = used
        raise UserError(
            _(
                "series {series!r} has numbered {documents} in {year} (last {number}): "
                "changing its format now would break the year's gapless numbering; "
                "change it from 1 January {next_year}, or add a new series"
            ).format(
                series=row.code,
                documents=_(CLASS_DOCUMENTS[numbering]),
                year=year,
                number=number,
                next_year=year + 1,
            ),
            f"{path}.{FORMAT_FIELDS[numbering]}",
        )


__all__ = ["CLASS_DOCUMENTS", "numbered_in", "refuse_reformat"]
