"""Document numbers: progressive per series, year and numbering class, gapless, given only
when issued.

The classes (``domain.number_formats``): invoices and credit notes share the *fiscal*
sequence of their series and year; pro-formas and order documents, which are no fiscal
documents, are each numbered in a sequence of their own (``PF-A/2024/0001``,
``ORD-A/2024/0001`` by default), so they never leave a hole in the invoices' numbers.
Every document that takes a number takes it here, from :func:`assign_numbers`.

A number is drawn from the counter of its series, year and class (``series_counter``)
inside the caller's write transaction, in the same transaction that stores it on the
document: a rollback returns the number with everything else, so no hole can appear, and
drafts never take one (deleting a draft leaves nothing to fill). The counter is bumped with
one ``INSERT ... ON CONFLICT DO UPDATE SET last_seq = last_seq + n RETURNING`` per series,
year and class, which is also row-locked on PostgreSQL on top of the writer lock. Should the
counter ever lag behind the numbers on the documents (numbered by other means), numbering
continues after the highest number rather than repeating one; a number already taken by
another document (two series writing the same numbers) is refused, naming the format.

Italian law wants numbers that progress with the dates: within a series, year and class a
document never gets a number after one with a later date. A batch is numbered in date
order, and a document dated before the last one already issued in its series, year and
class is refused (NumberOrderError, a UserError) rather than numbered out of order.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from peewee import Database, Expression, PostgresqlDatabase, chunked, fn

from tui_billing.billing.party_snapshots import refuse_without_seller, snapshot_parties
from tui_billing.billing.professional_rules import apply_professional_rules
from tui_billing.billing.vat_rules import apply_vat_rules
from tui_billing.billing.wording import Said, _, dated
from tui_billing.domain.errors import UserError
from tui_billing.domain.i18n import N_
from tui_billing.domain.number_formats import (
    DOCUMENT_NAMES,
    FORMAT_FIELDS,
    format_number,
    numbering_class,
    series_formats,
)
from tui_billing.domain.vocabulary import DEFAULT_SERIES_FORMAT
from tui_billing.store.models import Invoice, Series, SeriesCounter, utc_now
from tui_billing.store.transactions import write_transaction

DEFAULT_FORMAT = DEFAULT_SERIES_FORMAT
_CHUNK = 1000


class NumberOrderError(UserError):
    """A document dated before the last one already numbered in its series, year and
    numbering class."""


@dataclass(frozen=True, slots=True)
class Number:
    """A number given to one document: ``seq`` counts within its series, year and class."""

    year: int
    seq: int
    number: str
    numbering: str  # the class: fiscal, proforma, order


def series_row(code: str) -> Series:
    """The series ``code``, created with the default format when it does not exist yet."""
    if not code or not code.strip():
        raise UserError(_("the numbering series must not be empty"), "series")
    row = Series.get_or_none(Series.code == code)
    if row is None:
        row = Series.create(code=code, description="", format=DEFAULT_FORMAT)
    return row


def reserve(db: Database, series_id: int, year: int, count: int, numbering: str = "fiscal") -> int:
    """Take ``count`` consecutive numbers of a series, year and class; returns the first.

    Must run inside the caller's write transaction (the numbers return to the counter if
    it rolls back)."""
    if count <= 0:
        raise ValueError("count must be positive")
    p = db.param
    cursor = db.execute_sql(
        f"INSERT INTO series_counter (series_id, year, numbering, last_seq) "
        f"VALUES ({p}, {p}, {p}, {p}) "
        "ON CONFLICT (series_id, year, numbering) DO UPDATE "
        "SET last_seq = series_counter.last_seq + excluded.last_seq "
        "RETURNING last_seq",
        (series_id, year, numbering, count),
    )
    last = int(cursor.fetchone()[0])
    return last - count + 1


def _in_sequence(series: str, year: int, numbering: str) -> Expression:
    return (Invoice.series == series) & (Invoice.year == year) & (Invoice.numbering == numbering)


def _last_issued(series: str, year: int, numbering: str) -> tuple[dt.date, str] | None:
    """Date and number of the highest-numbered document of a series, year and class: the
    one a new number follows, so the new date must not be before its date. Read through
    the unique (series, year, numbering, seq) index: one row, however big the year."""
    row = (
        Invoice.select(Invoice.date, Invoice.number)
        .where(_in_sequence(series, year, numbering) & Invoice.seq.is_null(False))
        .order_by(Invoice.seq.desc())
        .limit(1)
        .tuples()
        .first()
    )
    return (row[0], row[1]) if row else None


def _highest_seq(series: str, year: int, numbering: str) -> int | None:
    """The highest number already given in a series, year and class, apart from the
    counter."""
    highest: int | None = (
        Invoice.select(fn.MAX(Invoice.seq)).where(_in_sequence(series, year, numbering)).scalar()
    )
    return highest


def _set_counter(db: Database, series_id: int, year: int, numbering: str, last_seq: int) -> None:
    p = db.param
    db.execute_sql(
        f"UPDATE series_counter SET last_seq = {p} "
        f"WHERE series_id = {p} AND year = {p} AND numbering = {p}",
        (last_seq, series_id, year, numbering),
    )


def _check_free(db: Database, numbers: list[str], series: str, numbering: str) -> None:
    """Refuse numbers another document already has (e.g. two series writing the same
    numbers): the unique index would refuse them anyway, without saying why."""
    p = db.param
    for chunk in chunked(numbers, _CHUNK):
        chunk = list(chunk)
        taken = db.execute_sql(
            f"SELECT number FROM invoice WHERE number IN ({', '.join([p] * len(chunk))}) LIMIT 1",
            chunk,
        ).fetchone()
        if taken:
            raise UserError(
                _(
                    "number {taken} of series {series!r} ({numbering} numbering) is already "
                    "taken by another document: give the series a number format of its own"
                ).format(taken=taken[0], series=series, numbering=numbering),
                f"series.{FORMAT_FIELDS[numbering]}",
            )


#: DOCUMENT_NAMES as a refusal names them, marked for translation.
_DOCUMENT_NAMES = {
    "invoice": N_("an invoice"),
    "credit_note": N_("a credit note"),
    "proforma": N_("a pro-forma"),
    "order": N_("an order document"),
}


def _document_name(document_type: str) -> str:
    return _(_DOCUMENT_NAMES.get(document_type, DOCUMENT_NAMES[document_type]))


_OUT_OF_ORDER = N_(
    "cannot number {document} dated {date} in series {series!r}: "
    "{last} of {last_date} is already issued and numbers must follow the dates; "
    "issue it with a date on or after {last_date}"
)


def _out_of_order(
    document_type: str, date: dt.date, series: str, last: tuple[dt.date, str]
) -> Said:
    """Why a document dated ``date`` cannot be numbered after ``last`` (date, number), in
    the language in use; its English is kept, for what a run writes in JSON."""
    return _(_OUT_OF_ORDER).format(
        document=Said(DOCUMENT_NAMES[document_type], _document_name(document_type)),
        date=dated(date),
        series=series,
        last=last[1],
        last_date=dated(last[0]),
    )


def assign_numbers(db: Database, items: Sequence[tuple[str, dt.date, str]]) -> list[Number]:
    """Numbers for documents about to be issued, given as (series, date, document type).

    The document type picks the numbering class (invoices and credit notes: fiscal;
    pro-formas and order documents: their own). Within each series, year and class the
    numbers follow the dates (ties keep the given order). Refuses (NumberOrderError) a
    document dated before the last one already issued in its series, year and class. Call
    inside a write transaction; store the numbers in the same transaction
    (:func:`store_numbers`).
    """
    if not db.in_transaction():
        raise RuntimeError("assign_numbers must run inside a write transaction")
    buckets: dict[tuple[str, int, str], list[int]] = {}
    for index, (series, date, document_type) in enumerate(items):
        key = (series, date.year, numbering_class(document_type))
        buckets.setdefault(key, []).append(index)
    result: list[Number | None] = [None] * len(items)
    formats: dict[str, tuple[int, dict[str, str]]] = {}
    for (series, year, numbering), indexes in sorted(buckets.items()):
        indexes.sort(key=lambda i: items[i][1])  # stable: ties keep the caller's order
        if series not in formats:
            row = series_row(series)
            formats[series] = (
                row.id,
                series_formats(
                    series, {field: getattr(row, field) for field in FORMAT_FIELDS.values()}
                ),
            )
        series_id, fmt = formats[series][0], formats[series][1][numbering]
        earliest, earliest_type = items[indexes[0]][1], items[indexes[0]][2]
        last = _last_issued(series, year, numbering)
        if last is not None and earliest < last[0]:
            raise NumberOrderError(_out_of_order(earliest_type, earliest, series, last))
        first = reserve(db, series_id, year, len(indexes), numbering)
        highest = _highest_seq(series, year, numbering)
        if highest is not None and highest >= first:
            # The counter is behind the documents (numbered by other means): continue after
            # the highest number instead of repeating one.
            first = highest + 1
            _set_counter(db, series_id, year, numbering, highest + len(indexes))
        texts = [format_number(fmt, series, year, first + offset) for offset in range(len(indexes))]
        _check_free(db, texts, series, numbering)
        for offset, (index, text) in enumerate(zip(indexes, texts, strict=True)):
            result[index] = Number(year, first + offset, text, numbering)
    return result  # type: ignore[return-value]


def preview_numbers(items: Sequence[tuple[str, dt.date, str]]) -> list[Number]:
    """The numbers :func:`assign_numbers` would give documents issued now, given as
    (series, date, document type), without taking them: read-only (no counter is bumped,
    no series created), for a confirmation that names them. Raises NumberOrderError as
    :func:`assign_numbers` would, when a date comes before one already issued."""
    buckets: dict[tuple[str, int, str], list[int]] = {}
    for index, (series, date, document_type) in enumerate(items):
        key = (series, date.year, numbering_class(document_type))
        buckets.setdefault(key, []).append(index)
    result: list[Number | None] = [None] * len(items)
    for (series, year, numbering), indexes in sorted(buckets.items()):
        indexes.sort(key=lambda i: items[i][1])
        row = Series.get_or_none(Series.code == series)
        stored = {field: getattr(row, field) for field in FORMAT_FIELDS.values()} if row else {}
        fmt = series_formats(series, stored or {"format": DEFAULT_FORMAT})[numbering]
        earliest, earliest_type = items[indexes[0]][1], items[indexes[0]][2]
        last = _last_issued(series, year, numbering)
        if last is not None and earliest < last[0]:
            raise NumberOrderError(_out_of_order(earliest_type, earliest, series, last))
        counted = 0
        if row is not None:
            counted = (
                SeriesCounter.select(SeriesCounter.last_seq)
                .where(
                    (SeriesCounter.series == row.id)
                    & (SeriesCounter.year == year)
                    & (SeriesCounter.numbering == numbering)
                )
                .scalar()
            ) or 0
        first = max(int(counted), _highest_seq(series, year, numbering) or 0) + 1
        for offset, index in enumerate(indexes):
            seq = first + offset
            result[index] = Number(year, seq, format_number(fmt, series, year, seq), numbering)
    return result  # type: ignore[return-value]


def store_numbers(db: Database, numbered: Sequence[tuple[int, Number]]) -> None:
    """Write numbers on drafts and mark them issued (in the transaction that drew them)."""
    p = db.param
    now = utc_now()
    stamp = now if isinstance(db, PostgresqlDatabase) else str(now)
    cursor = db.cursor()
    cursor.executemany(
        f"UPDATE invoice SET year = {p}, seq = {p}, number = {p}, numbering = {p}, "
        f"status = 'issued', issued_at = {p} WHERE id = {p} AND status = 'draft'",
        [(n.year, n.seq, n.number, n.numbering, stamp, iid) for iid, n in numbered],
    )


def _load_drafts(invoice_ids: Iterable[int]) -> dict[int, tuple[str, dt.date, str, str]]:
    found: dict[int, tuple[str, dt.date, str, str]] = {}
    for chunk in chunked(list(invoice_ids), _CHUNK):
        for iid, series, date, status, document_type in (
            Invoice.select(
                Invoice.id, Invoice.series, Invoice.date, Invoice.status, Invoice.document_type
            )
            .where(Invoice.id.in_(chunk))
            .tuples()
        ):
            found[iid] = (series, date, status, document_type)
    return found


def issue_invoices(db: Database, invoice_ids: Sequence[int]) -> list[tuple[int, str]]:
    """Issue drafts: number them (in date order within each series, year and class) and
    mark them issued, all or nothing. Returns (invoice id, number) in numbering order."""
    ids = list(dict.fromkeys(int(i) for i in invoice_ids))
    if not ids:
        return []
    with write_transaction(db):
        found = _load_drafts(ids)
        missing = [i for i in ids if i not in found]
        if missing:
            raise UserError(
                _("no such invoice: {items}").format(items=", ".join(map(str, missing[:10])))
            )
        not_drafts = [i for i in ids if found[i][2] != "draft"]
        if not_drafts:
            raise UserError(
                _("already issued (only drafts can be issued): invoice {invoices}").format(
                    invoices=", ".join(map(str, not_drafts[:10]))
                )
            )
        refuse_without_seller([found[i][3] for i in ids])
        ordered = sorted(ids, key=lambda i: (found[i][1], i))
        numbers = assign_numbers(db, [(found[i][0], found[i][1], found[i][3]) for i in ordered])
        numbered = list(zip(ordered, numbers, strict=True))
        store_numbers(db, numbered)
        apply_vat_rules(db, ordered)  # fixed from now on: the bollo and split payment
        apply_professional_rules(db, ordered)  # and a professional's contribution, ritenuta
        snapshot_parties(db, ordered)
        return [(i, n.number) for i, n in numbered]


def issue_invoice(db: Database, invoice_id: int) -> str:
    """Issue one draft; returns its number."""
    return issue_invoices(db, [invoice_id])[0][1]


__all__ = [
    "DEFAULT_FORMAT",
    "Number",
    "NumberOrderError",
    "assign_numbers",
    "format_number",
    "issue_invoice",
    "issue_invoices",
    "preview_numbers",
    "reserve",
    "series_row",
    "store_numbers",
]
