"""`einvoices export` speed: N pending issued documents exported, as the command does it.

The database is the one of ``bench_fatturapa.py`` (the demo, its fiscal documents copied
up to N), with no e-invoice recorded yet. Timed, whole: ``export_einvoices`` into a hot
folder (progressives taken, every document built, checked by the SdI rules and the XSD,
staged, flushed to disk, recorded, moved in, marked exported), then, the records cleared,
into one ZIP; then reading N delivery receipts (RC) back with ``record_receipts``. Prints
files/s (target >= 500/s) and files per CPU second.

    python bench/bench_einvoice_export.py [-n 10000] [--dir DIR]
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_fatturapa import build

from tui_billing.billing.einvoice_export import export_einvoices
from tui_billing.billing.einvoices import record_receipts
from tui_billing.output.fatturapa_schema import fatturapa_schema
from tui_billing.store.database import open_database
from tui_billing.store.models import SdiFile, SdiProgressive, SdiReceipt
from tui_billing.store.transactions import write_transaction

TODAY = dt.date.today()
RC = """<?xml version="1.0" encoding="UTF-8"?>
<types:RicevutaConsegna xmlns:types="http://www.fatturapa.gov.it/sdi/messaggi/v1.0"
 versione="1.0"><IdentificativoSdI>{n}</IdentificativoSdI><NomeFile>{name}</NomeFile>
<DataOraRicezione>2026-04-01T10:00:00Z</DataOraRicezione>
<DataOraConsegna>2026-04-01T10:05:00Z</DataOraConsegna><MessageId>{n}</MessageId>
</types:RicevutaConsegna>"""


def _clear(db) -> None:
    with write_transaction(db):
        SdiReceipt.delete().execute()
        SdiFile.delete().execute()
        SdiProgressive.delete().execute()


def _report(label: str, count: int, started: float, cpu: float) -> None:
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    print(
        f"{label}: {count} files in {elapsed:.2f} s: {count / elapsed:,.0f} files/s"
        f" ({elapsed / count * 1e3:.2f} ms each; CPU {cpu:.2f} s,"
        f" {count / cpu:,.0f} files per CPU second)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=10_000)
    parser.add_argument(
        "--dir",
        type=Path,
        default=Path(__file__).resolve().parent / "out",
        help="where the database and export folder go (default bench/out)",
    )
    args = parser.parse_args()
    args.dir.mkdir(parents=True, exist_ok=True)

    with tempfile.TemporaryDirectory(dir=args.dir) as work:
        path = Path(work) / "billing.sqlite"
        started = time.perf_counter()
        build(path, args.n)
        db = open_database(str(path))
        _clear(db)  # the demo sent its own documents: start with all of them pending
        print(
            f"database of {args.n} issued documents built in"
            f" {time.perf_counter() - started:.1f} s (not timed below)"
        )
        fatturapa_schema()

        hot = Path(work) / "hot"
        hot.mkdir()
        started, cpu = time.perf_counter(), time.process_time()
        report = export_einvoices(db, hot, today=TODAY)
        _report("exported into a hot folder", len(report.written), started, cpu)
        assert len(list(hot.iterdir())) == len(report.written) == args.n

        started, cpu = time.perf_counter(), time.process_time()
        again = export_einvoices(db, hot, today=TODAY)
        print(
            f"export run again: {len(again.written)} files in {time.perf_counter() - started:.2f} s"
        )

        receipts = [
            (f"{name[:-4]}_RC_001.xml", RC.format(n=n, name=name).encode())
            for n, (_, name) in enumerate(report.written, start=1)
        ]
        started, cpu = time.perf_counter(), time.process_time()
        recorded = record_receipts(db, receipts)
        _report("delivery receipts read and recorded", recorded.recorded, started, cpu)

        _clear(db)
        started, cpu = time.perf_counter(), time.process_time()
        zipped = export_einvoices(db, Path(work) / "upload.zip", today=TODAY)
        _report("exported into one ZIP", len(zipped.written), started, cpu)
        db.close()


if __name__ == "__main__":
    main()
