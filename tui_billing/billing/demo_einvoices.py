"""The demo's e-invoices: what a company sending its invoices through the SdI would see.

Every document the demo issued is exported, each the day after its date; the SdI has
delivered those of the months before the last (a public administration has accepted
its own), has rejected one with its error codes, and has not answered yet about the last
month's, which stay ``exported``. The files go to a ZIP in a temporary folder, as if
uploaded; only the records stay.
"""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from pathlib import Path

from peewee import Database

from tui_billing.billing.einvoice_export import export_einvoices
from tui_billing.billing.einvoices import record_notifications
from tui_billing.output.sdi_notifications import SdiError, SdiNotification
from tui_billing.store.models import Invoice, PartySnapshot, SdiFile
from tui_billing.store.transactions import write_transaction

REJECTION = (
    SdiError(
        "00305",
        "1.4.1.1.2 <IdCodice> non valido : 12345678901",
        "Verificare la partita IVA del cessionario/committente",
    ),
    SdiError("00311", "1.1.4 <CodiceDestinatario> non valido : ABC1234"),
)


def demo_einvoices(db: Database, today: dt.date) -> int:
    """Export every issued document of the demo and record the SdI's answers; returns how
    many were exported."""
    with tempfile.TemporaryDirectory() as folder:
        report = export_einvoices(db, Path(folder) / "sdi.zip", today=today, skip_invalid=True)
    if not report.written:
        return 0
    files = list(
        SdiFile.select(SdiFile, Invoice.id, Invoice.date, Invoice.buyer_snapshot)
        .join(Invoice)
        .order_by(Invoice.date, SdiFile.id)
    )
    with write_transaction(db):
        for one in files:
            sent = dt.datetime.combine(one.invoice.date + dt.timedelta(days=1), dt.time(9))
            SdiFile.update(exported_at=sent).where(SdiFile.id == one.id).execute()
    last_month = max(one.invoice.date for one in files).replace(day=1)
    earlier = [one for one in files if one.invoice.date < last_month]
    public = _public_buyers({one.invoice.buyer_snapshot_id or 0 for one in earlier})
    rejected = earlier[len(earlier) // 2] if earlier else None
    notes = []
    for one in earlier:
        moment = dt.datetime.combine(one.invoice.date + dt.timedelta(days=1), dt.time(11))
        if one is rejected:
            notes.append(
                (
                    f"{one.file_name[:-4]}_NS_001.xml",
                    SdiNotification("NS", one.file_name, f"9{one.id:08d}", moment, REJECTION),
                )
            )
            continue
        notes.append(
            (
                f"{one.file_name[:-4]}_RC_001.xml",
                SdiNotification("RC", one.file_name, f"9{one.id:08d}", moment),
            )
        )
        if one.invoice.buyer_snapshot_id in public:
            notes.append(
                (
                    f"{one.file_name[:-4]}_NE_001.xml",
                    SdiNotification(
                        "NE",
                        one.file_name,
                        f"9{one.id:08d}",
                        moment + dt.timedelta(days=5),
                        outcome="EC01",
                        description="Fattura accettata",
                    ),
                )
            )
    record_notifications(db, notes)
    return len(report.written)


def _public_buyers(snapshot_ids: set[int]) -> set[int]:
    found = set()
    for snapshot_id, text in (
        PartySnapshot.select(PartySnapshot.id, PartySnapshot.data)
        .where(PartySnapshot.id.in_(list(snapshot_ids)))
        .tuples()
    ):
        if json.loads(text).get("public_administration"):
            found.add(snapshot_id)
    return found


__all__ = ["demo_einvoices"]
