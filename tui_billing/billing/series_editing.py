"""Numbering series as the operator edits them: listed and searched by code or description,
created, changed and deleted, each value validated as the import validates it.

Numbers are gapless per series, year and numbering class and printed with the class's
format. Once a class has numbered a document of the current year (or a later one), its
format is fixed until the year ends: the year's numbers would otherwise change shape
midway (``A/2026/0041`` then ``B-2026-42``). A series' code is printed in its numbers and
named by contracts and orders, so it never changes; a new series can always be added. A
series that numbered nothing and that no contract or order names can be deleted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from peewee import Database, fn

from tui_billing.billing.record_input import read_record
from tui_billing.billing.wording import _, ngettext
from tui_billing.domain.errors import UserError
from tui_billing.domain.number_formats import series_formats
from tui_billing.output.interchange_read import read_series
from tui_billing.output.series_reformat import refuse_reformat
from tui_billing.store.models import Contract, Invoice, Order, Series, SeriesCounter
from tui_billing.store.transactions import write_transaction

PATH = "series"
LIMIT = 1000


@dataclass(frozen=True, slots=True)
class SeriesRecord:
    """A series as stored, with how many documents it numbered and the last number."""

    code: str
    description: str
    format: str
    proforma_format: str | None
    order_format: str | None
    numbered: int = 0
    last_number: str | None = None

    @property
    def in_use(self) -> bool:
        return self.numbered > 0


def form_values(series: SeriesRecord) -> dict[str, Any]:
    """The series as its form shows it."""
    return {
        "code": series.code,
        "description": series.description,
        "format": series.format,
        "proforma_format": series.proforma_format or "",
        "order_format": series.order_format or "",
    }


def _numbered(codes: list[str]) -> dict[str, tuple[int, str | None]]:
    """Per series code: documents numbered, and the number of the newest."""
    found: dict[str, tuple[int, str | None]] = {}
    query = (
        Invoice.select(Invoice.series, fn.COUNT(Invoice.id), fn.MAX(Invoice.id))
        .where(Invoice.series.in_(codes) & Invoice.number.is_null(False))
        .group_by(Invoice.series)
        .tuples()
    )
    newest: dict[int, str] = {}
    rows = list(query)
    if rows:
        ids = [row[2] for row in rows]
        newest = dict(
            Invoice.select(Invoice.id, Invoice.number).where(Invoice.id.in_(ids)).tuples()
        )
    for code, count, last_id in rows:
        found[code] = (count, newest.get(last_id))
    return found


def _record(row: Series, numbered: tuple[int, str | None]) -> SeriesRecord:
    return SeriesRecord(
        row.code, row.description, row.format, row.proforma_format, row.order_format, *numbered
    )


def list_series(search: str = "", limit: int = LIMIT) -> list[SeriesRecord]:
    """The series whose code or description holds ``search`` (any case), by code."""
    text = search.strip()
    query = Series.select().order_by(Series.code).limit(limit)
    if text:
        query = query.where(Series.code.contains(text) | Series.description.contains(text))
    rows = list(query)
    numbered = _numbered([r.code for r in rows]) if rows else {}
    return [_record(r, numbered.get(r.code, (0, None))) for r in rows]


def get_series(code: str) -> SeriesRecord:
    row = _row(code)
    return _record(row, _numbered([code]).get(code, (0, None)))


def _row(code: str) -> Series:
    row = Series.get_or_none(Series.code == code)
    if row is None:
        raise UserError(_("no series {code!r}").format(code=code), f"{PATH}.code")
    return row


def _validated(values: Mapping[str, Any]) -> dict[str, Any]:
    return read_record(values, PATH, read_series)


def create_series(db: Database, values: Mapping[str, Any]) -> str:
    """Add a series from the values as typed; returns its code."""
    record = _validated(values)
    with write_transaction(db):
        if Series.select().where(Series.code == record["code"]).exists():
            raise UserError(
                _("series {code!r} exists already").format(code=record["code"]), f"{PATH}.code"
            )
        Series.create(**record)
    return str(record["code"])


def update_series(
    db: Database, code: str, values: Mapping[str, Any], today: dt.date | None = None
) -> bool:
    """Change series ``code`` to the values as typed (its code stays); returns whether
    anything changed. A format used this year is refused (see the module)."""
    values = dict(values)
    values.setdefault("code", code)
    record = _validated(values)
    if record["code"] != code:
        raise UserError(
            _(
                "the code of series {code!r} cannot change (its numbers, contracts and "
                "orders name it): add a new series instead"
            ).format(code=code),
            f"{PATH}.code",
        )
    today = today or dt.date.today()
    with write_transaction(db):
        row = _row(code)
        refuse_reformat(row, series_formats(code, record, PATH), today, PATH)
        changed = {k: v for k, v in record.items() if getattr(row, k) != v}
        if changed:
            Series.update(**changed).where(Series.id == row.id).execute()
    return bool(changed)


def _counted(kind: str, count: int) -> str:
    """``2 documents``, ``1 contract`` in the language in use."""
    if kind == "document":
        text = ngettext("{count} document", "{count} documents", count)
    elif kind == "contract":
        text = ngettext("{count} contract", "{count} contracts", count)
    else:
        text = ngettext("{count} order", "{count} orders", count)
    return text.format(count=count)


def delete_series(db: Database, code: str) -> None:
    """Delete series ``code``; refused once it numbered a document or while a contract or
    order names it."""
    with write_transaction(db):
        row = _row(code)
        users = [
            (Invoice.select().where(Invoice.series == code).count(), "document"),
            (Contract.select().where(Contract.series == code).count(), "contract"),
            (Order.select().where(Order.series == code).count(), "order"),
        ]
        used = [_counted(what, n) for n, what in users if n]
        if (
            used
            or SeriesCounter.select()
            .where((SeriesCounter.series == row.id) & (SeriesCounter.last_seq > 0))
            .exists()
        ):
            raise UserError(
                _("series {code!r} is used ({value}): it cannot be deleted").format(
                    code=code, value=", ".join(used) or _("numbers given")
                ),
                f"{PATH}.code",
            )
        row.delete_instance()


__all__ = [
    "SeriesRecord",
    "create_series",
    "delete_series",
    "form_values",
    "get_series",
    "list_series",
    "update_series",
]
