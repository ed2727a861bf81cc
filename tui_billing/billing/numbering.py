"""Invoice numbers: progressive per series and year, gapless, given only when issued.

A number is drawn from the series' counter (``series_counter``, one row per series and
year) inside the caller's write transaction, in the same transaction that stores it on
the invoice: a rollback returns the number with everything else, so no hole can appear,
and drafts never take one (deleting a draft leaves nothing to fill). The counter is bumped
with one ``INSERT ... ON CONFLICT DO UPDATE SET last_seq = last_seq + n RETURNING`` per
series and year, which is also row-locked on PostgreSQL on top of the writer lock. Should the
counter ever lag behind the numbers on the invoices (numbered by other means), numbering
continues after the highest number rather than repeating one.

Italian law wants numbers that progress with the dates: within a series and year an
invoice never gets a number after one with a later date. A batch is numbered in date
order, and an invoice dated before the last one already issued in its series and year is
refused (UserError) rather than numbered out of order.
"""

from __future__ import annotations

import datetime as dt
import string
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from peewee import Database, PostgresqlDatabase, chunked, fn

from tui_billing.domain.errors import UserError
from tui_billing.domain.vocabulary import DEFAULT_SERIES_FORMAT
from tui_billing.store.models import Invoice, Series, utc_now
from tui_billing.store.transactions import write_transaction

DEFAULT_FORMAT = DEFAULT_SERIES_FORMAT
_CHUNK = 1000


class NumberOrderError(UserError):
    """An invoice dated before the last one already numbered in its series and year."""


@dataclass(frozen=True, slots=True)
class Number:
    """A number given to one invoice."""

    year: int
    seq: int
    number: str


@lru_cache(maxsize=256)
def _format_fields(fmt: str) -> frozenset[str]:
    return frozenset(name for _, name, _, _ in string.Formatter().parse(fmt) if name)


def format_number(fmt: str, series: str, year: int, seq: int) -> str:
    """``"{series}/{year}/{seq:04d}"`` -> ``A/2024/0001``; a broken format is a UserError."""
    try:
        fields = _format_fields(fmt)
        text = fmt.format(series=series, year=year, seq=seq)
    except (KeyError, IndexError, ValueError, AttributeError) as exc:
        raise UserError(
            f"number format {fmt!r} of series {series!r} is not valid ({exc}); use the fields "
            "{series}, {year} and {seq}, e.g. {series}/{year}/{seq:04d}",
            "series.format",
        ) from None
    if "seq" not in fields:
        raise UserError(
            f"number format {fmt!r} of series {series!r} does not print {{seq}}", "series.format"
        )
    return text


def series_row(code: str) -> Series:
    """The series ``code``, created with the default format when it does not exist yet."""
    if not code or not code.strip():
        raise UserError("the numbering series must not be empty", "series")
    row = Series.get_or_none(Series.code == code)
    if row is None:
        row = Series.create(code=code, description="", format=DEFAULT_FORMAT)
    return row


def reserve(db: Database, series_id: int, year: int, count: int) -> int:
    """Take ``count`` consecutive numbers of a series and year; returns the first.

    Must run inside the caller's write transaction (the numbers return to the counter if
    it rolls back)."""
    if count <= 0:
        raise ValueError("count must be positive")
    p = db.param
    cursor = db.execute_sql(
        f"INSERT INTO series_counter (series_id, year, last_seq) VALUES ({p}, {p}, {p}) "
        "ON CONFLICT (series_id, year) DO UPDATE "
        "SET last_seq = series_counter.last_seq + excluded.last_seq "
        "RETURNING last_seq",
        (series_id, year, count),
    )
    last = int(cursor.fetchone()[0])
    return last - count + 1


def _last_issued(series: str, year: int) -> tuple[dt.date, str] | None:
    """Date and number of the highest-numbered invoice of a series and year: the one a new
    number follows, so the new date must not be before its date. Read through the unique
    (series, year, seq) index: one row, however many invoices the year holds."""
    row = (
        Invoice.select(Invoice.date, Invoice.number)
        .where((Invoice.series == series) & (Invoice.year == year) & Invoice.seq.is_null(False))
        .order_by(Invoice.seq.desc())
        .limit(1)
        .tuples()
        .first()
    )
    return (row[0], row[1]) if row else None


def _highest_seq(series: str, year: int) -> int | None:
    """The highest number already given in a series and year, apart from the counter."""
    return (
        Invoice.select(fn.MAX(Invoice.seq))
        .where((Invoice.series == series) & (Invoice.year == year))
        .scalar()
    )


def _set_counter(db: Database, series_id: int, year: int, last_seq: int) -> None:
    p = db.param
    db.execute_sql(
        f"UPDATE series_counter SET last_seq = {p} WHERE series_id = {p} AND year = {p}",
        (last_seq, series_id, year),
    )


def assign_numbers(db: Database, items: Sequence[tuple[str, dt.date]]) -> list[Number]:
    """Numbers for invoices about to be issued, given as (series, date) each.

    Within each series and year the numbers follow the dates (ties keep the given order).
    Refuses (UserError) an invoice dated before the last one already issued in its series
    and year. Call inside a write transaction; store the numbers in the same transaction.
    """
    if not db.in_transaction():
        raise RuntimeError("assign_numbers must run inside a write transaction")
    buckets: dict[tuple[str, int], list[int]] = {}
    for index, (series, date) in enumerate(items):
        buckets.setdefault((series, date.year), []).append(index)
    result: list[Number | None] = [None] * len(items)
    formats: dict[str, tuple[int, str]] = {}
    for (series, year), indexes in sorted(buckets.items()):
        indexes.sort(key=lambda i: items[i][1])  # stable: ties keep the caller's order
        if series not in formats:
            row = series_row(series)
            formats[series] = (row.id, row.format or DEFAULT_FORMAT)
        series_id, fmt = formats[series]
        earliest = items[indexes[0]][1]
        last = _last_issued(series, year)
        if last is not None and earliest < last[0]:
            raise NumberOrderError(
                f"cannot number an invoice dated {earliest.isoformat()} in series {series!r}: "
                f"{last[1]} of {last[0].isoformat()} is already issued and numbers must "
                "follow the dates; issue it with a date on or after "
                f"{last[0].isoformat()}"
            )
        first = reserve(db, series_id, year, len(indexes))
        highest = _highest_seq(series, year)
        if highest is not None and highest >= first:
            # The counter is behind the invoices (numbered by other means): continue after
            # the highest number instead of repeating one.
            first = highest + 1
            _set_counter(db, series_id, year, highest + len(indexes))
        for offset, index in enumerate(indexes):
            seq = first + offset
            result[index] = Number(year, seq, format_number(fmt, series, year, seq))
    return result  # type: ignore[return-value]


def _load_drafts(invoice_ids: Iterable[int]) -> dict[int, tuple[str, dt.date, str]]:
    found: dict[int, tuple[str, dt.date, str]] = {}
    for chunk in chunked(list(invoice_ids), _CHUNK):
        for iid, series, date, status in (
            Invoice.select(Invoice.id, Invoice.series, Invoice.date, Invoice.status)
            .where(Invoice.id.in_(chunk))
            .tuples()
        ):
            found[iid] = (series, date, status)
    return found


def issue_invoices(db: Database, invoice_ids: Sequence[int]) -> list[tuple[int, str]]:
    """Issue drafts: number them (in date order within each series and year) and mark them
    issued, all or nothing. Returns (invoice id, number) in numbering order."""
    ids = list(dict.fromkeys(int(i) for i in invoice_ids))
    if not ids:
        return []
    with write_transaction(db):
        found = _load_drafts(ids)
        missing = [i for i in ids if i not in found]
        if missing:
            raise UserError(f"no such invoice: {', '.join(map(str, missing[:10]))}")
        not_drafts = [i for i in ids if found[i][2] != "draft"]
        if not_drafts:
            raise UserError(
                "already issued (only drafts can be issued): invoice "
                + ", ".join(map(str, not_drafts[:10]))
            )
        ordered = sorted(ids, key=lambda i: (found[i][1], i))
        numbers = assign_numbers(db, [(found[i][0], found[i][1]) for i in ordered])
        now = utc_now()
        p = db.param
        as_time = (lambda t: t) if isinstance(db, PostgresqlDatabase) else str
        cursor = db.cursor()
        rows = [
            (n.year, n.seq, n.number, as_time(now), i)
            for i, n in zip(ordered, numbers, strict=True)
        ]
        cursor.executemany(
            f"UPDATE invoice SET year = {p}, seq = {p}, number = {p}, status = 'issued', "
            f"issued_at = {p} WHERE id = {p} AND status = 'draft'",
            rows,
        )
        return [(i, n.number) for i, n in zip(ordered, numbers, strict=True)]


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
    "reserve",
    "series_row",
]
