"""Exporting e-invoices: every pending issued document written for the SdI, all or none.

An export takes the documents still ``pending`` (and any an interrupted export left
``exporting``), gives each new one the next progressive of its sender, writes and checks
every XML, and only when all are valid:

1. stages the files (a hidden folder inside the target folder, or the ZIP in memory) and
   flushes them to disk;
2. records each file (progressive, name) as ``exporting`` and commits;
3. moves the files into the folder (or writes the ZIP, atomically);
4. marks them ``exported`` and commits.

Killed between 2 and 4, documents stay ``exporting`` and never ``exported`` without their
file; the next export writes them again under the same names (never new progressives, so
the SdI, which refuses a file name it already has, never receives a document twice).
One invalid document exports nothing: the error names it and its rule, and how many more
are invalid. Exports hold the billing-run lock, so two never interleave.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from peewee import Database, chunked

from tui_billing.billing.einvoice_documents import (
    einvoice_files,
    refuse_not_fiscal,
)
from tui_billing.billing.einvoices import issued_documents, newest_files
from tui_billing.billing.wording import _
from tui_billing.domain.einvoice_states import (
    EXPORTED,
    EXPORTING,
    REJECTED,
    progressive_text,
)
from tui_billing.domain.errors import UserError
from tui_billing.domain.fatturapa_mapping import sender_id
from tui_billing.output.safe_files import checked_target, write_file
from tui_billing.output.staged_files import StagedFolder, remove_stale_staging
from tui_billing.store.locking import billing_run_lock
from tui_billing.store.models import Invoice, PartySnapshot, SdiFile, utc_now
from tui_billing.store.sdi_progressives import take_progressives
from tui_billing.store.transactions import write_transaction

CHUNK = 500  # documents built and checked per batch
SHOWN_INVALID = 5  # invalid documents named in the error beyond the first

Progress = Callable[[int, int], None]  # (done, total)


@dataclass
class ExportReport:
    """What an export wrote: (number, file name) per document, and where."""

    target: Path
    written: list[tuple[str, str]] = field(default_factory=list)
    finished: list[str] = field(default_factory=list)  # left by an interrupted export
    invalid: list[str] = field(default_factory=list)  # skipped: document and rule each

    def to_json(self) -> dict[str, Any]:
        return {
            "target": str(self.target),
            "exported": len(self.written),
            "files": [{"number": n, "file_name": f} for n, f in self.written],
            "finished_interrupted": self.finished,
            "invalid": self.invalid,
        }


@dataclass
class _Planned:
    invoice_id: int
    number: str
    progressive: str | None  # None: a new one is taken
    file_id: int | None = None  # the file row written again (same name)
    sender: str = ""
    interrupted: bool = False  # left "exporting" by an export that did not finish


def _senders(invoice_ids: Sequence[int]) -> dict[int, str]:
    """invoice id -> its sender (IdTrasmittente as ``IT`` + code), from the seller it was
    issued with."""
    rows = list(
        Invoice.select(Invoice.id, Invoice.seller_snapshot)
        .where(Invoice.id.in_(list(invoice_ids)))
        .tuples()
    )
    texts: dict[int, str] = {}
    for chunk in chunked(sorted({s for _unused, s in rows if s is not None}), 1000):
        texts.update(
            PartySnapshot.select(PartySnapshot.id, PartySnapshot.data)
            .where(PartySnapshot.id.in_(list(chunk)))
            .tuples()
        )
    senders: dict[int, str] = {}
    for invoice_id, snapshot in rows:
        fiscal = sender_id(json.loads(texts[snapshot])) if snapshot in texts else None
        senders[invoice_id] = f"{fiscal.country}{fiscal.code}" if fiscal else ""
    return senders


def _pending(
    date_from: dt.date | None, date_to: dt.date | None, invoice_ids: Sequence[int] | None = None
) -> list[_Planned]:
    """Documents left ``exporting`` by an interrupted export (same names again), then the
    issued documents in the dates (or of ``invoice_ids``) with no e-invoice file yet."""
    exporting = list(
        SdiFile.select(SdiFile, Invoice.id, Invoice.number)
        .join(Invoice)
        .where(SdiFile.state == EXPORTING)
        .order_by(SdiFile.id)
    )
    newest = (
        dict(newest_files().where(SdiFile.invoice.in_([f.invoice_id for f in exporting])).tuples())
        if exporting
        else {}
    )
    unfinished = [
        _Planned(
            f.invoice_id, f.invoice.number or "", f.progressive, f.id, f.sender, interrupted=True
        )
        for f in exporting
        if newest.get(f.invoice_id) == f.id
    ]
    query = (
        issued_documents()
        .select(Invoice.id, Invoice.number)
        .where(~Invoice.id.in_(SdiFile.select(SdiFile.invoice)))
    )
    if date_from:
        query = query.where(Invoice.date >= date_from)
    if date_to:
        query = query.where(Invoice.date <= date_to)
    if invoice_ids is not None:
        query = query.where(Invoice.id.in_(list(invoice_ids)))
    fresh = [
        _Planned(i, n, None)
        for i, n in query.order_by(Invoice.date, Invoice.series, Invoice.seq).tuples()
    ]
    return unfinished + fresh


def _again(number: str) -> list[_Planned]:
    """The one document ``--again`` names: a rejected one gets a new progressive; one
    exported (or being exported) is written again under its own name; one the SdI has
    taken is refused."""
    invoice = Invoice.get_or_none(Invoice.number == number)
    if invoice is None:
        raise UserError(
            _("no issued document numbered {number!r}").format(number=number), "--again"
        )
    refuse_not_fiscal(invoice)
    newest = (
        SdiFile.select().where(SdiFile.invoice == invoice.id).order_by(SdiFile.id.desc()).first()
    )
    if newest is None or newest.state == REJECTED:
        return [_Planned(invoice.id, number, None)]
    if newest.state in (EXPORTED, EXPORTING):
        return [
            _Planned(
                invoice.id,
                number,
                newest.progressive,
                newest.id,
                newest.sender,
                interrupted=newest.state == EXPORTING,
            )
        ]
    raise UserError(
        _("the SdI has taken it already (e-invoice state {state}): not exported again").format(
            state=newest.state
        ),
        number,
    )


def _assign(db: Database, planned: list[_Planned]) -> None:
    """Give each document without one the next progressive of its sender."""
    new = [p for p in planned if p.progressive is None]
    senders = _senders([p.invoice_id for p in new])
    by_sender: dict[str, list[_Planned]] = {}
    for item in new:
        item.sender = senders.get(item.invoice_id, "")
        by_sender.setdefault(item.sender, []).append(item)
    for sender, items in by_sender.items():
        first = take_progressives(db, sender, len(items))
        for offset, item in enumerate(items):
            item.progressive = progressive_text(first + offset)


def _build(
    planned: list[_Planned],
    today: dt.date,
    put: Callable[[str, bytes], None],
    progress: Progress | None,
    skipped: list[str] | None = None,
) -> list[tuple[_Planned, str]]:
    """Write every document with ``put`` (name, xml). An invalid one is named in
    ``skipped`` when given (the others written); otherwise, after checking all, UserError
    names the invalid ones and nothing is written."""
    built: list[tuple[_Planned, str]] = []
    invalid: list[UserError] = []
    for chunk in chunked(planned, CHUNK):
        requests = [(p.invoice_id, str(p.progressive)) for p in chunk]
        try:
            files = einvoice_files(requests, today)
        except UserError:  # find each invalid one of the batch
            files = []
            for request in requests:
                try:
                    files.extend(einvoice_files([request], today))
                except UserError as error:
                    invalid.append(error)
                    files.append(None)  # type: ignore[arg-type]
        for item, made in zip(chunk, files, strict=True):
            if made is None or (invalid and skipped is None):
                continue
            put(made.name, made.xml)
            built.append((item, made.name))
        if progress:
            progress(len(built) + len(invalid), len(planned))
    if invalid and skipped is not None:
        skipped.extend(str(error) for error in invalid)
    elif invalid:
        more = ""
        if len(invalid) > 1:
            names = [e.path or "?" for e in invalid[1 : 1 + SHOWN_INVALID]]
            extra = len(invalid) - 1 - len(names)
            if extra:
                more = _("; {count} more invalid: {names} and {extra} more").format(
                    count=len(invalid) - 1, names=", ".join(names), extra=extra
                )
            else:
                more = _("; {count} more invalid: {names}").format(
                    count=len(invalid) - 1, names=", ".join(names)
                )
        raise UserError(
            _("{invalid}{more}; nothing exported").format(invalid=invalid[0], more=more)
        )
    return built


def _record(built: list[tuple[_Planned, str]]) -> list[int]:
    """Record each new file as ``exporting`` (a file written again keeps its row); returns
    the file rows' ids."""
    new = [
        {
            "invoice": item.invoice_id,
            "sender": name.split("_")[0],
            "progressive": item.progressive,
            "file_name": name,
            "state": EXPORTING,
            "created_at": utc_now(),
        }
        for item, name in built
        if item.file_id is None
    ]
    for chunk in chunked(new, 500):
        SdiFile.insert_many(chunk).execute()
    names = [name for item, name in built if item.file_id is None]
    ids: dict[str, int] = {}
    for some_names in chunked(names, 1000):
        ids.update(
            SdiFile.select(SdiFile.file_name, SdiFile.id)
            .where(SdiFile.file_name.in_(list(some_names)))
            .tuples()
        )
    return [item.file_id if item.file_id is not None else ids[name] for item, name in built]


def _mark_exported(db: Database, file_ids: list[int]) -> None:
    now = utc_now()
    with write_transaction(db):
        for chunk in chunked(file_ids, 1000):
            (SdiFile.update(exported_at=now).where(SdiFile.id.in_(list(chunk))).execute())
            (
                SdiFile.update(state=EXPORTED)
                .where(SdiFile.id.in_(list(chunk)), SdiFile.state == EXPORTING)
                .execute()
            )


def _is_zip(target: Path) -> bool:
    return target.suffix.lower() == ".zip" and not target.is_dir()


def export_einvoices(
    db: Database,
    target: str | os.PathLike[str],
    *,
    today: dt.date,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    again: str | None = None,
    progress: Progress | None = None,
    invoice_ids: Sequence[int] | None = None,
    skip_invalid: bool = False,
    lock: bool = True,
) -> ExportReport:
    """Export the pending documents (or ``again`` one, or those of ``invoice_ids``) into
    the folder or ZIP ``target``. With ``skip_invalid`` the valid ones are exported and
    the invalid ones named in the report (they stay pending); without, one invalid
    document exports nothing. ``lock=False`` when the caller holds the billing-run lock
    already (the run)."""
    if lock:
        with billing_run_lock(db):
            return export_einvoices(
                db,
                target,
                today=today,
                date_from=date_from,
                date_to=date_to,
                again=again,
                progress=progress,
                invoice_ids=invoice_ids,
                skip_invalid=skip_invalid,
                lock=False,
            )
    path = Path(target)
    report = ExportReport(path)
    as_zip = _is_zip(path)
    if as_zip:
        checked_target(path)
    elif not path.is_dir():
        raise UserError(_("is neither a folder nor a .zip file name: nothing exported"), str(path))
    else:
        remove_stale_staging(path)
    with write_transaction(db):
        planned = _again(again) if again else _pending(date_from, date_to, invoice_ids)
    if not planned:
        return report
    if as_zip and path.exists():
        raise UserError(
            _(
                "exists already, and the documents in it count as exported: a ZIP is "
                "never replaced; name a new one: nothing exported"
            ),
            str(path),
        )
    buffer = io.BytesIO()
    archive = zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) if as_zip else None
    staged = None if as_zip else StagedFolder(path)
    put = (lambda name, data: archive.writestr(name, data)) if archive is not None else staged.add  # type: ignore[union-attr]
    try:
        with write_transaction(db):
            _assign(db, planned)
            built = _build(planned, today, put, progress, report.invalid if skip_invalid else None)
            if staged is not None:
                staged.flush()
            file_ids = _record(built)
        if not built:
            return report
        # Recorded as being exported: from here on a kill leaves them "exporting".
        if archive is not None:
            archive.close()
            write_file(path, buffer.getvalue())
        elif staged is not None:
            staged.publish()
    finally:
        if staged is not None:
            staged.discard()
    _mark_exported(db, file_ids)
    report.written = [(item.number, name) for item, name in built]
    report.finished = [item.number for item, _unused in built if item.interrupted]
    return report


def write_einvoice(
    db: Database,
    number: str,
    output: str | os.PathLike[str] | None,
    *,
    today: dt.date,
    lock: bool = True,
) -> tuple[Path, str, bool]:
    """Write one issued document's XML to ``output`` (a file, or a folder for its SdI
    name; None: its SdI name in the current folder). A document already exported is
    written again as its newest file (same progressive and name, state unchanged); a
    pending one is exported by this: it takes its progressive and becomes ``exported``.
    Returns the path written, the SdI file name and whether it was exported now."""
    if lock:
        with billing_run_lock(db):
            return write_einvoice(db, number, output, today=today, lock=False)
    invoice = Invoice.get_or_none(Invoice.number == number)
    if invoice is None:
        raise UserError(
            _("no issued document numbered {number!r}").format(number=number), "einvoice"
        )
    refuse_not_fiscal(invoice)
    with write_transaction(db):
        newest = (
            SdiFile.select()
            .where(SdiFile.invoice == invoice.id)
            .order_by(SdiFile.id.desc())
            .first()
        )
        planned = [
            _Planned(
                invoice.id,
                number,
                newest.progressive if newest else None,
                newest.id if newest else None,
            )
        ]
        _assign(db, planned)
        made = einvoice_files([(invoice.id, str(planned[0].progressive))], today)[0]
        target = Path(output) if output is not None else Path(made.name)
        if target.is_dir():
            target = target / made.name
        checked_target(target)
        file_ids = _record([(planned[0], made.name)]) if newest is None else []
    write_file(target, made.xml)
    if file_ids:
        _mark_exported(db, file_ids)
    return target, made.name, newest is None


__all__ = ["ExportReport", "export_einvoices", "write_einvoice"]
