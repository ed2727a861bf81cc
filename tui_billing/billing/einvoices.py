"""E-invoice state of issued documents: the listing, and SdI notifications moving it.

A document's state is that of its newest e-invoice file (``store.models.SdiFile``),
``pending`` when none was written; see ``domain.einvoice_states``. Notifications are read
all before any is recorded: one that is not XML, not an SdI notification or about a file
never exported refuses the whole import, naming it, and nothing changes. A notification
already recorded changes nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from peewee import JOIN, Database, fn

from tui_billing.billing.wording import _
from tui_billing.domain.einvoice_states import PENDING, STATES, file_state
from tui_billing.domain.errors import UserError
from tui_billing.domain.words import word
from tui_billing.output.sdi_notifications import SdiNotification, read_sdi_notification
from tui_billing.store.models import (
    Customer,
    Invoice,
    SdiFile,
    SdiReceipt,
    utc_now,
)
from tui_billing.store.transactions import write_transaction

FISCAL = "fiscal"  # the numbering class of the documents the SdI takes


def issued_documents() -> Any:
    """A query of the issued fiscal documents (invoices and credit notes with a number)."""
    return Invoice.select().where(
        Invoice.numbering == FISCAL, Invoice.number.is_null(False), Invoice.status != "draft"
    )


def newest_files() -> Any:
    """invoice id -> the id of its newest e-invoice file, as a subquery."""
    return SdiFile.select(
        SdiFile.invoice.alias("invoice_id"), fn.MAX(SdiFile.id).alias("file_id")
    ).group_by(SdiFile.invoice)


def _utc(moment: dt.datetime | None) -> dt.datetime | None:
    if moment is None or moment.tzinfo is None:
        return moment
    return moment.astimezone(dt.UTC).replace(tzinfo=None)


def _notifications_of(file_ids: Sequence[int]) -> dict[int, list[dict[str, Any]]]:
    found: dict[int, list[dict[str, Any]]] = {}
    for start in range(0, len(file_ids), 1000):
        for row in (
            SdiReceipt.select()
            .where(SdiReceipt.file.in_(list(file_ids[start : start + 1000])))
            .order_by(SdiReceipt.date, SdiReceipt.id)
        ):
            found.setdefault(row.file_id, []).append(
                {
                    "kind": row.kind,
                    "date": row.date.isoformat() if row.date else None,
                    "sdi_id": row.sdi_id,
                    "outcome": row.outcome,
                    "description": row.description,
                    "errors": json.loads(row.errors),
                    "source": row.source,
                }
            )
    return found


def list_einvoices(
    *,
    status: str | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    numbers: Sequence[str] | None = None,
) -> list[dict[str, Any]]:
    """Issued documents with their e-invoice state, by date and number: the
    ``einvoices --json`` shape. A rejected document lists its SdI errors."""
    if status is not None and status not in STATES:
        raise UserError(
            _("unknown e-invoice state {status!r} (one of {states})").format(
                status=status, states=", ".join(STATES)
            ),
            "--status",
        )
    newest = newest_files()
    query = (
        issued_documents()
        .select(
            Invoice.id,
            Invoice.number,
            Invoice.date,
            Invoice.document_type,
            Invoice.total,
            Customer.code,
            SdiFile.id,
            SdiFile.file_name,
            SdiFile.progressive,
            SdiFile.state,
            SdiFile.exported_at,
        )
        .join_from(Invoice, Customer)
        .join_from(Invoice, newest, JOIN.LEFT_OUTER, on=(newest.c.invoice_id == Invoice.id))
        .join_from(Invoice, SdiFile, JOIN.LEFT_OUTER, on=(SdiFile.id == newest.c.file_id))
    )
    if date_from:
        query = query.where(Invoice.date >= date_from)
    if date_to:
        query = query.where(Invoice.date <= date_to)
    if numbers is not None:
        query = query.where(Invoice.number.in_(list(numbers)))
    if status == PENDING:
        query = query.where(SdiFile.id.is_null())
    elif status is not None:
        query = query.where(SdiFile.state == status)
    rows = list(query.order_by(Invoice.date, Invoice.number).tuples())
    notes = _notifications_of([r[6] for r in rows if r[6] is not None])
    listed = []
    for (
        invoice_id,
        number,
        date,
        doc_type,
        total,
        customer,
        file_id,
        file_name,
        progressive,
        state,
        exported_at,
    ) in rows:
        received = notes.get(file_id, [])
        errors = [e for n in received if n["kind"] == "NS" for e in n["errors"]]
        listed.append(
            {
                "id": invoice_id,
                "number": number,
                "date": date.isoformat(),
                "document_type": doc_type,
                "customer": customer,
                "total": f"{total:.2f}",
                "state": state or PENDING,
                "file_name": file_name,
                "progressive": progressive,
                "exported_at": exported_at.isoformat() if exported_at else None,
                "errors": errors,
                "notifications": received,
            }
        )
    return listed


@dataclass(frozen=True)
class EInvoiceState:
    """One document's e-invoice state as a screen shows it."""

    state: str
    file_name: str | None = None
    errors: tuple[str, ...] = ()  # "00423 description" of the SdI's rejection

    @property
    def text(self) -> str:
        """The state in words, with the SdI's error codes when it was rejected."""
        codes = ", ".join(e.split(" ", 1)[0] for e in self.errors)
        state = state_word(self.state)
        return f"{state} ({codes})" if codes else state


def state_word(state: str) -> str:
    """An e-invoice state (a code) as a person reads it, in the language in use."""
    return word("e-invoice state", state)


def einvoice_states(invoice_ids: Sequence[int]) -> dict[int, EInvoiceState]:
    """The e-invoice state of each issued fiscal document among ``invoice_ids`` (drafts,
    pro-formas and order documents have none and are left out)."""
    states: dict[int, EInvoiceState] = {}
    ids = list(invoice_ids)
    for start in range(0, len(ids), 1000):
        chunk = ids[start : start + 1000]
        newest = newest_files().where(SdiFile.invoice.in_(chunk))
        rows = list(
            issued_documents()
            .select(Invoice.id, SdiFile.id, SdiFile.state, SdiFile.file_name)
            .join_from(Invoice, newest, JOIN.LEFT_OUTER, on=(newest.c.invoice_id == Invoice.id))
            .join_from(Invoice, SdiFile, JOIN.LEFT_OUTER, on=(SdiFile.id == newest.c.file_id))
            .where(Invoice.id.in_(chunk))
            .tuples()
        )
        rejected = [file_id for _unused, file_id, state, _unused in rows if state == "rejected"]
        errors: dict[int, list[str]] = {}
        if rejected:
            for file_id, text in (
                SdiReceipt.select(SdiReceipt.file, SdiReceipt.errors)
                .where(SdiReceipt.file.in_(rejected), SdiReceipt.kind == "NS")
                .tuples()
            ):
                errors.setdefault(file_id, []).extend(
                    f"{e['code']} {e['description']}" for e in json.loads(text)
                )
        for invoice_id, file_id, state, file_name in rows:
            states[invoice_id] = EInvoiceState(
                state or PENDING, file_name, tuple(errors.get(file_id, ()))
            )
    return states


@dataclass
class ReceiptOutcome:
    """What one notification did to one document."""

    source: str  # the notification's file name
    kind: str
    file_name: str  # the e-invoice file it is about
    number: str  # the document's number
    before: str
    after: str
    already_recorded: bool


@dataclass
class ReceiptReport:
    outcomes: list[ReceiptOutcome] = field(default_factory=list)

    @property
    def recorded(self) -> int:
        return sum(not o.already_recorded for o in self.outcomes)

    def to_json(self) -> dict[str, Any]:
        return {
            "recorded": self.recorded,
            "already_recorded": len(self.outcomes) - self.recorded,
            "notifications": [
                {
                    "source": o.source,
                    "kind": o.kind,
                    "file_name": o.file_name,
                    "number": o.number,
                    "state_before": o.before,
                    "state": o.after,
                    "already_recorded": o.already_recorded,
                }
                for o in self.outcomes
            ],
        }


def _digest(note: SdiNotification) -> str:
    """What the notification says, as one fingerprint: the same notification read twice
    (or saved under two names) is recorded once."""
    said = [
        note.kind,
        note.file_name,
        note.sdi_id,
        note.message_id,
        note.date.isoformat() if note.date else None,
        note.outcome,
        note.description,
        [[e.code, e.description, e.hint] for e in note.errors],
    ]
    return hashlib.sha256(json.dumps(said).encode()).hexdigest()


def read_receipts(files: Sequence[tuple[str, bytes]]) -> list[tuple[str, SdiNotification]]:
    """Each (source, data) read as an SdI notification; the first that is not one raises
    UserError naming it, before anything is recorded."""
    return [(source, read_sdi_notification(data, source)) for source, data in files]


def _restate(files: Sequence[SdiFile]) -> None:
    """Each file's state again from all its notifications (and on the row object)."""
    by_id = {f.id: f for f in files}
    received: dict[int, list[tuple[str, str | None]]] = {i: [] for i in by_id}
    ids = list(by_id)
    for at in range(0, len(ids), 1000):
        for file_id, kind, outcome in (
            SdiReceipt.select(SdiReceipt.file, SdiReceipt.kind, SdiReceipt.outcome)
            .where(SdiReceipt.file.in_(ids[at : at + 1000]))
            .tuples()
        ):
            received[file_id].append((kind, outcome))
    changed: dict[str, list[int]] = {}
    for file_id, notes in received.items():
        state = file_state(notes)
        if state != by_id[file_id].state:
            by_id[file_id].state = state
            changed.setdefault(state, []).append(file_id)
    for state, moved in changed.items():
        for at in range(0, len(moved), 1000):
            SdiFile.update(state=state).where(SdiFile.id.in_(moved[at : at + 1000])).execute()


def record_receipts(db: Database, files: Sequence[tuple[str, bytes]]) -> ReceiptReport:
    """Read ``files`` (name, bytes) as SdI notifications and move each document's state, in
    one transaction: all are recorded, or (one refused) none."""
    return record_notifications(db, read_receipts(files))


def record_notifications(
    db: Database, notes: Sequence[tuple[str, SdiNotification]]
) -> ReceiptReport:
    """Record each (source, notification) and move its document's state, all or none; one
    about a file never exported raises UserError naming it."""
    report = ReceiptReport()
    with write_transaction(db):
        names = sorted({n.file_name for _unused, n in notes})
        known = (
            {
                f.file_name: f
                for f in (
                    SdiFile.select(SdiFile, Invoice.id, Invoice.number)
                    .join(Invoice)
                    .where(SdiFile.file_name.in_(names))
                )
            }
            if names
            else {}
        )
        for source, note in notes:
            if note.file_name not in known:
                raise UserError(
                    _("about {file_name}, which was never exported: nothing recorded").format(
                        file_name=note.file_name
                    ),
                    source,
                )
        digests = [_digest(note) for _unused, note in notes]
        seen: set[str] = set()
        for at in range(0, len(digests), 1000):
            seen.update(
                d
                for (d,) in SdiReceipt.select(SdiReceipt.digest)
                .where(SdiReceipt.digest.in_(digests[at : at + 1000]))
                .tuples()
            )
        before = {name: f.state for name, f in known.items()}
        rows, touched, duplicate = [], set(), []
        for (source, note), digest in zip(notes, digests, strict=True):
            target = known[note.file_name]
            duplicate.append(digest in seen)
            if digest in seen:
                continue
            seen.add(digest)
            touched.add(target.id)
            rows.append(
                {
                    "file": target.id,
                    "kind": note.kind,
                    "sdi_id": note.sdi_id,
                    "date": _utc(note.date),
                    "outcome": note.outcome,
                    "description": note.description,
                    "errors": json.dumps(
                        [
                            {"code": e.code, "description": e.description, "hint": e.hint}
                            for e in note.errors
                        ],
                        ensure_ascii=False,
                    ),
                    "source": source[-255:],
                    "digest": digest,
                    "received_at": utc_now(),
                }
            )
        for at in range(0, len(rows), 500):
            SdiReceipt.insert_many(rows[at : at + 500]).execute()
        _restate([f for f in known.values() if f.id in touched])
        for (source, note), repeated in zip(notes, duplicate, strict=True):
            target = known[note.file_name]
            report.outcomes.append(
                ReceiptOutcome(
                    source,
                    note.kind,
                    note.file_name,
                    target.invoice.number or "",  # an issued invoice's: never None
                    before[note.file_name],
                    target.state,
                    repeated,
                )
            )
    return report


__all__ = [
    "EInvoiceState",
    "ReceiptOutcome",
    "ReceiptReport",
    "einvoice_states",
    "issued_documents",
    "list_einvoices",
    "newest_files",
    "read_receipts",
    "record_notifications",
    "record_receipts",
]
