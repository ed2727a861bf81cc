"""FatturaPA export speed from stored invoices: N issued documents read from the database,
built into the FatturaPA model (parties from their issue snapshots), checked (SdI rules,
then the official XSD) and written under their SdI file names, as the export does.

The database is the demo (``tui-billing demo``: PA with split payment and CIG, bollo with
exempt lines, reverse charge, credit notes, prorated lines with 8-decimal prices, RiBa,
SEPA direct debit and bank transfer), its issued fiscal documents copied into a series of
their own until there are N (copies of real documents: same lines, parties, totals).
Measured: building the models alone, then building + checking + validating in memory, one
file each in a temporary folder (a hot folder), and into one ZIP (the Agenzia's web
upload). Prints files/s (target >= 500/s) and files per CPU second (less sensitive to the
machine's other load).

    python bench/bench_fatturapa.py [-n 10000] [--dir DIR]
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import io
import sqlite3
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tui_billing.billing.einvoice_documents import (
    BATCH,
    fatturapa_documents,
    iter_einvoice_files,
)
from tui_billing.cli.main import main as cli_main
from tui_billing.output.fatturapa_schema import fatturapa_schema
from tui_billing.store.database import open_database
from tui_billing.store.models import Invoice

DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
TODAY = dt.date.today()


def progressive(n: int) -> str:
    """``n`` in base 36 on 5 characters: 00001 ... ZZZZZ (60 million files)."""
    text = ""
    for _ in range(5):
        n, digit = divmod(n, 36)
        text = DIGITS[digit] + text
    return text


def build(path: Path, count: int) -> None:
    """The demo database, its issued fiscal documents copied (series X) up to ``count``;
    a copy's lines keep everything but their link to the installment or order line billed
    (each of those is billed once)."""
    with contextlib.redirect_stdout(io.StringIO()):
        assert cli_main(["--db", str(path), "demo"]) == 0
    con = sqlite3.connect(path)
    con.row_factory = sqlite3.Row
    invoices = [
        dict(r)
        for r in con.execute(
            "SELECT * FROM invoice WHERE numbering = 'fiscal' AND status != 'draft' ORDER BY id"
        )
    ]
    lines = {}
    for row in con.execute("SELECT * FROM invoice_line ORDER BY id"):
        lines.setdefault(row["invoice_id"], []).append(dict(row))
    next_id = con.execute("SELECT max(id) FROM invoice").fetchone()[0] + 1
    seq = 0
    with con:
        while len(invoices) + seq < count:
            original = invoices[seq % len(invoices)]
            seq += 1
            copy = {
                **original,
                "id": next_id,
                "series": "X",
                "seq": seq,
                "number": f"X/{original['year']}/{seq:05d}",
            }
            con.execute(
                f"INSERT INTO invoice ({', '.join(copy)}) VALUES ({', '.join('?' * len(copy))})",
                list(copy.values()),
            )
            for line in lines.get(original["id"], []):
                row = {
                    **line,
                    "invoice_id": next_id,
                    "installment_id": None,
                    "installment_line": None,
                    "order_line_id": None,
                }
                del row["id"]
                con.execute(
                    f"INSERT INTO invoice_line ({', '.join(row)}) VALUES"
                    f" ({', '.join('?' * len(row))})",
                    list(row.values()),
                )
            next_id += 1
    con.close()


def timed(
    label: str, requests: list[tuple[int, str]], sink: Callable[[str, bytes], object] | None
) -> None:
    """Build (and, with a ``sink``, check and write) every document, a batch at a time."""
    started, cpu = time.perf_counter(), time.process_time()
    size = 0
    if sink is None:
        for at in range(0, len(requests), BATCH):
            fatturapa_documents(requests[at : at + BATCH])
    else:
        for file in iter_einvoice_files(requests, TODAY):
            sink(file.name, file.xml)
            size += len(file.xml)
    elapsed = time.perf_counter() - started
    cpu = time.process_time() - cpu
    count = len(requests)
    weight = f" ({size / 1e6:.1f} MB)" if size else ""
    print(
        f"{label}: {count} files{weight} in {elapsed:.2f} s:"
        f" {count / elapsed:,.0f} files/s ({elapsed / count * 1e3:.2f} ms each;"
        f" CPU {cpu:.2f} s, {count / cpu:,.0f} files per CPU second)"
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
        print(
            f"database of {args.n} issued documents built in"
            f" {time.perf_counter() - started:.1f} s (not timed below)"
        )
        database = open_database(str(path))
        ids = [
            iid
            for (iid,) in Invoice.select(Invoice.id)
            .where((Invoice.numbering == "fiscal") & (Invoice.status != "draft"))
            .order_by(Invoice.id)
            .limit(args.n)
            .tuples()
        ]
        requests = [(iid, progressive(n)) for n, iid in enumerate(ids, start=1)]
        started = time.perf_counter()
        fatturapa_schema()
        print(f"schema loaded in {time.perf_counter() - started:.3f} s")

        timed("built from the database (models only)", requests, None)
        timed("built, checked and validated, in memory", requests, lambda name, data: None)
        with tempfile.TemporaryDirectory(dir=args.dir) as folder:
            target = Path(folder)
            timed(
                "built, checked, validated, one file each",
                requests,
                lambda name, data: (target / name).write_bytes(data),
            )
        with (
            tempfile.TemporaryDirectory(dir=args.dir) as folder,
            zipfile.ZipFile(Path(folder) / "export.zip", "w", zipfile.ZIP_DEFLATED) as archive,
        ):
            timed("built, checked, validated, into one ZIP", requests, archive.writestr)
        database.close()


if __name__ == "__main__":
    main()
