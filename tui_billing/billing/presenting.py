"""Presenting invoices to the bank: a SEPA direct debit file (pain.008.001.02) or a CBI
Ri.Ba. file, built, checked, and recorded with every invoice it holds in one transaction,
so that an invoice is never presented twice. The file's bytes are kept, to be written
again identically (``--again``)."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from peewee import (  # type: ignore[attr-defined]  # __exception_wrapper__: not in the stubs
    Database,
    IntegrityError,
    __exception_wrapper__,
    chunked,
)

from tui_billing.billing.collections import DueCollection, due_collections, last_collections
from tui_billing.billing.wording import _, english, ngettext, said
from tui_billing.billing.wording import dated as message_date
from tui_billing.domain import display
from tui_billing.domain.display import day as day_text
from tui_billing.domain.errors import UserError
from tui_billing.domain.i18n import N_
from tui_billing.domain.riba import make_riba_creditor, make_riba_receipt
from tui_billing.domain.sepa import (
    LastCollection,
    Mandate,
    amendment,
    make_collection,
    make_creditor,
    sequence_type,
)
from tui_billing.domain.target_calendar import (
    earliest_collection_date,
    is_target_day,
)
from tui_billing.output.riba_cbi import write_riba
from tui_billing.output.sdd_xml import new_message_id, write_sdd
from tui_billing.store.company_row import company_values
from tui_billing.store.database import date_param
from tui_billing.store.models import Collection, CollectionFile, Customer
from tui_billing.store.transactions import write_transaction


@dataclass
class Presented:
    """A file presented: its id and message id, what it holds, its bytes; the invoices
    left for a later file and why (a suspended mandate, a second debit of a mandate whose
    first has not gone out yet)."""

    file_id: int
    kind: str
    message_id: str
    count: int
    total: Decimal
    content: bytes
    left_out: list[tuple[str, str]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "file": self.file_id,
            "kind": self.kind,
            "message_id": self.message_id,
            "count": self.count,
            "total": f"{self.total:.2f}",
            "left_out": [{"invoice": n, "reason": english(why)} for n, why in self.left_out],
        }

    def written_text(self, output: str) -> str:
        """What the operator reads once the file is written to ``output``."""
        return ngettext(
            "File {id} ({message_id}): {n} invoice, {total}, written to {output}",
            "File {id} ({message_id}): {n} invoices, {total}, written to {output}",
            self.count,
        ).format(
            id=self.file_id,
            message_id=self.message_id,
            n=display.number(self.count),
            total=display.money(self.total),
            output=output,
        )


def _company() -> dict[str, Any]:
    company = company_values()
    if company is None:
        raise UserError(
            _(
                "there is no company: enter it with `tui-billing import` or in the TUI's "
                "Company screen"
            ),
            "company",
        )
    return company


def _need(company: dict[str, Any], key: str, what: str) -> str:
    if not company.get(key):
        raise UserError(
            _(
                "missing; {what} needs it (set it with `tui-billing import` in the "
                '"company" object, or in the TUI\'s Company screen)'
            ).format(what=what),
            f"company.{key}",
        )
    return str(company[key])


def collection_day(due: dt.date, earliest: dt.date) -> dt.date:
    """The collection date of an invoice due on ``due``: its due date moved to the next
    TARGET2 business day, and never before ``earliest``."""
    day = max(due, earliest)
    while not is_target_day(day):
        day += dt.timedelta(days=1)
    return day


def present_sdd(
    db: Database,
    *,
    due_to: dt.date,
    due_from: dt.date | None = None,
    collection_date: dt.date | None = None,
    today: dt.date,
    now: dt.datetime,
    scheme: str = "CORE",
    invoice_ids: Sequence[int] | None = None,
    message_id: str | None = None,
) -> Presented:
    """Present the direct debits of ``scheme`` due in the range (only ``invoice_ids`` when
    given). Each collects on ``collection_date`` when given (refused when too early or not
    a TARGET2 day), else on its due date, moved to the first day the lead time allows.
    ``message_id``: the file's (the demo's, fixed); by default a new unique one."""
    with write_transaction(db):
        company = _company()
        creditor = make_creditor(
            _need(company, "name", _("a direct debit file")),
            _need(company, "creditor_id", _("a direct debit file")),
            _need(company, "iban", _("a direct debit file")),
            _need(company, "bic", _("a direct debit file")),
            "company",
        )
        due = _chosen(due_collections("sdd", due_from, due_to), invoice_ids)
        left_out: list[tuple[str, str]] = []
        eligible: list[DueCollection] = []
        for item in due:
            if item.problem is not None and english(item.problem) == "no mandate":
                raise UserError(
                    _(
                        "invoice {item} of {customer} is paid by direct debit but its customer "
                        "has no mandate"
                    ).format(item=item.number, customer=item.customer),
                    f"invoices[{item.number}].mandate",
                )
            if item.problem:
                left_out.append((item.number, item.problem))
            elif item.mandate is not None and item.mandate.scheme == scheme:
                eligible.append(item)
        if not eligible:
            raise UserError(
                _("no {scheme} direct debit is due to be presented up to {due_to}").format(
                    scheme=scheme, due_to=message_date(due_to)
                ),
                "--due-to",
            )
        earliest = earliest_collection_date(today, scheme)  # type: ignore[arg-type]
        history = last_collections(i.mandate.id for i in eligible if i.mandate)
        chosen: list[tuple[DueCollection, Any]] = []
        first_sent: set[int] = set()
        days: dict[dt.date, dt.date] = {}  # due date -> collection date
        dated: dict[dt.date, str] = {}  # invoice date -> as the remittance text writes it
        for index, item in enumerate(eligible):
            m = item.mandate
            assert m is not None
            # checked when it was entered: built as stored, not checked again
            mandate = Mandate(
                m.reference,
                m.signed_on,
                m.scheme,  # type: ignore[arg-type]
                item.customer_name,
                m.iban,
                m.bic,
            )
            last = history.get(m.id)
            previous = LastCollection(last.reference, last.iban) if last else None
            sequence = sequence_type(mandate, previous)
            if m.id in first_sent:
                left_out.append(
                    (
                        item.number,
                        said(
                            N_(
                                "mandate {reference}: its first debit goes out in this file, "
                                "the next one in a later file"
                            ),
                            reference=m.reference,
                        ),
                    )
                )
                continue
            if sequence == "FRST":
                first_sent.add(m.id)
            day = collection_date or days.get(item.due_date)
            if day is None:
                day = days[item.due_date] = collection_day(item.due_date, earliest)
            date_text = dated.get(item.date)
            if date_text is None:  # strftime is slow: once per date, not per invoice
                date_text = dated[item.date] = f"{item.date:%d/%m/%Y}"
            chosen.append(
                (
                    item,
                    make_collection(
                        item.number,
                        item.amount,
                        day,
                        mandate,
                        sequence,
                        f"Fattura {item.number} del {date_text}",
                        amendment(mandate, previous),
                        f"collections[{index}]",
                    ),
                )
            )
        message_id = message_id or new_message_id(now)
        content = write_sdd(
            creditor,
            [c for _unused, c in chosen],
            message_id=message_id,
            created_at=now,
            presented_on=today,
        )
        rows = [
            (
                item.invoice_id,
                c.amount,
                c.due_date,
                c.sequence_type,
                item.mandate.id if item.mandate else None,  # eligible: it has one
                c.mandate.reference,
                c.mandate.debtor_iban,
            )
            for item, c in chosen
        ]
        return _record(db, "sdd", message_id, now, today, scheme, rows, content, left_out)


def present_riba(
    db: Database,
    *,
    due_to: dt.date,
    due_from: dt.date | None = None,
    today: dt.date,
    now: dt.datetime,
    invoice_ids: Sequence[int] | None = None,
) -> Presented:
    """Present the Ri.Ba. receipts due in the range (only ``invoice_ids`` when given): one
    IB..EF flow per due date, the debtor's bank from its IBAN."""
    with write_transaction(db):
        company = _company()
        city_line = " ".join(
            p
            for p in (company.get("postal_code"), company.get("city"), company.get("province"))
            if p
        )
        creditor = make_riba_creditor(
            _need(company, "sia_code", _("a Ri.Ba. file")),
            _need(company, "name", _("a Ri.Ba. file")),
            _need(company, "street", _("a Ri.Ba. file")),
            city_line,
            company.get("tax_code") or _need(company, "vat_number", _("a Ri.Ba. file")),
            _need(company, "iban", _("a Ri.Ba. file")),
            "company",
        )
        due = _chosen(due_collections("riba", due_from, due_to), invoice_ids)
        # a receipt carries its due date to the debtor's bank: one already past is left
        # for another way of collecting (a reminder, a bank transfer)
        left_out: list[tuple[str, str]] = [
            (i.number, said(N_("its due date {date} has passed"), date=day_text(i.due_date)))
            for i in due
            if i.due_date < today
        ]
        due = [i for i in due if i.due_date >= today]
        if not due:
            raise UserError(
                _("no Ri.Ba. is due to be presented up to {due_to}").format(
                    due_to=message_date(due_to)
                ),
                "--due-to",
            )
        for item in due:
            if item.problem:
                raise UserError(
                    _("invoice {item} of {customer}: {problem}").format(
                        item=item.number, customer=item.customer, problem=item.problem
                    ),
                    f"customers[{item.customer}].iban",
                )
        customers = {
            c.id: c
            for c in Customer.select().where(Customer.id.in_(sorted({i.customer_id for i in due})))
        }
        message_id = f"{now:%y%m%d%H%M}{secrets.token_hex(2).upper()}"
        file_row = CollectionFile.create(
            kind="riba",
            message_id=message_id,
            created_at=now,
            presented_on=today,
            count=len(due),
            total=sum((i.amount for i in due), Decimal(0)),
            content="",
        )
        receipts = []
        for item in due:
            row = _insert_one(
                file_row,
                {"invoice": item.invoice_id, "amount": item.amount, "due_date": item.due_date},
            )
            c = customers[item.customer_id]
            receipts.append(
                make_riba_receipt(
                    row.id,
                    item.number,
                    item.date,
                    item.amount,
                    item.due_date,
                    c.name,
                    c.tax_code or c.vat_number or "",
                    c.street or "",
                    c.postal_code or "",
                    c.city or "",
                    c.province or "",
                    item.iban or "",
                    customer_code=c.code,
                    path=f"customers[{c.code}]",
                )
            )
        content = write_riba(creditor, receipts, file_id=message_id, created_on=today)
        file_row.content = content.decode("ascii")
        file_row.save()
        return Presented(
            file_row.id, "riba", message_id, len(due), file_row.total, content, left_out
        )


def _chosen(due: list[DueCollection], invoice_ids: Sequence[int] | None) -> list[DueCollection]:
    if invoice_ids is None:
        return due
    wanted = set(invoice_ids)
    return [item for item in due if item.invoice_id in wanted]


def _insert_one(file_row: CollectionFile, values: dict[str, Any]) -> Collection:
    try:
        with file_row._meta.database.atomic():
            return Collection.create(file=file_row.id, **values)
    except IntegrityError:
        raise UserError(
            _("another file presented this invoice meanwhile: run again"), "invoices"
        ) from None


# A collection row as _record takes it, in this order.
_RECORDED = (
    Collection.invoice,
    Collection.amount,
    Collection.due_date,
    Collection.sequence_type,
    Collection.mandate,
    Collection.mandate_reference,
    Collection.debtor_iban,
)


def _record(
    db: Database,
    kind: str,
    message_id: str,
    now: dt.datetime,
    today: dt.date,
    scheme: str | None,
    rows: list[tuple[Any, ...]],
    content: bytes,
    left_out: list[tuple[str, str]],
) -> Presented:
    """The file and one collection row per ``rows`` item (the values of ``_RECORDED``)."""
    total = sum((r[1] for r in rows), Decimal(0))
    file_row = CollectionFile.create(
        kind=kind,
        message_id=message_id,
        created_at=now,
        presented_on=today,
        scheme=scheme,
        count=len(rows),
        total=total,
        content=content.decode("utf-8"),
    )
    fields = (Collection.file, *_RECORDED, Collection.status)
    p = db.param
    sql = (
        f'INSERT INTO "collection" ({", ".join(f.column_name for f in fields)}) '
        f"VALUES ({', '.join([p] * len(fields))})"
    )
    # ids and text go to the driver as they are; the amount as cents, the date as the
    # driver wants it
    cents, day = Collection.amount.db_value, date_param(db)
    try:
        with db.atomic(), __exception_wrapper__:  # driver errors as peewee's
            cursor = db.cursor()
            for chunk in chunked(rows, 2000):  # plain executemany: 50,000 rows in a second
                cursor.executemany(
                    sql,
                    [
                        (
                            file_row.id,
                            invoice,
                            cents(amount),
                            day(due),
                            sequence,
                            mandate,
                            reference,
                            iban,
                            "presented",
                        )
                        for invoice, amount, due, sequence, mandate, reference, iban in chunk
                    ],
                )
    except IntegrityError:
        raise UserError(
            _("another file presented one of these invoices meanwhile: run again"), "invoices"
        ) from None
    return Presented(file_row.id, kind, message_id, len(rows), total, content, left_out)


def stored_file(file_id: str) -> tuple[CollectionFile, bytes]:
    """A presented file by its id or message id, with its exact bytes."""
    row = None
    if file_id.isdigit() and len(file_id) < 12:
        row = CollectionFile.get_or_none(CollectionFile.id == int(file_id))
    if row is None:
        row = CollectionFile.get_or_none(CollectionFile.message_id == file_id)
    if row is None:
        raise UserError(
            _("no presented file {file_id!r} (see `tui-billing collections`)").format(
                file_id=file_id
            ),
            "--again",
        )
    encoding = "ascii" if row.kind == "riba" else "utf-8"
    return row, row.content.encode(encoding)


__all__ = ["Presented", "collection_day", "present_riba", "present_sdd", "stored_file"]
