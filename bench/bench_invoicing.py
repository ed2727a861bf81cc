"""Invoicing 100,000 contracts at once: `create_invoices` (status issued, no PDF, no mail)
against the floor of a plain sqlite3 ``executemany`` insert of the same invoice and line rows
in one transaction, measured in the same run. Prints invoices/s, the ratio and peak memory.

Each contract has one pending installment with 2 lines (the stored format), due on the
same date, so every contract gets one invoice of 2 lines.

    python bench/bench_invoicing.py [--contracts N] [--dir DIR]

Targets (issue 4): within 10x of the floor, under 60 s, peak memory under 500 MB.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import resource
import shutil
import sqlite3
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

DUE = dt.date(2025, 3, 1)
CHUNK = 10_000


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _installments(contracts: int) -> Iterator[tuple]:
    start, end = DUE, dt.date(2025, 3, 31)
    period = f"{start:%d/%m/%Y}-{end:%d/%m/%Y}"
    for i in range(1, contracts + 1):
        maintenance = 5000 + i % 1000  # cents
        lines = [
            {
                "line": "1",
                "description": f"Maintenance - period {period}",
                "period_start": start.isoformat(),
                "period_end": end.isoformat(),
                "quantity": "1",
                "unit_price": f"{maintenance / 100:.2f}",
                "amount": f"{maintenance / 100:.2f}",
                "vat_rate": "22.00",
            },
            {
                "line": "2",
                "description": f"Support - period {period}",
                "period_start": start.isoformat(),
                "period_end": end.isoformat(),
                "quantity": "2",
                "unit_price": "12.50",
                "amount": "25.00",
                "vat_rate": "10.00",
            },
        ]
        yield (
            i,
            i,
            f"m{i}",
            start.isoformat(),
            end.isoformat(),
            DUE.isoformat(),
            maintenance + 2500,
            json.dumps(lines),
        )


def build(path: Path, contracts: int) -> None:

    from bench_seller import new_database_with_seller

    new_database_with_seller(path)  # issuing needs a complete seller
    con = sqlite3.connect(path)
    con.execute("PRAGMA journal_mode=wal")
    con.executemany(
        "INSERT INTO customer (id, code, name, payment_terms_days, payment_method,"
        " collective_billing, language) VALUES (?, ?, ?, 30, 'bank_transfer', 0, 'it')",
        [(i, f"C{i:05d}", f"Customer {i}") for i in range(1, 1001)],
    )
    con.executemany(
        "INSERT INTO contract (id, code, customer_id, status, start_date, frequency, alignment,"
        " year_end_cut, timing, invoice_offset_days, prorate, line_display, one_off_with_first,"
        " document_type, series, revision, materialized_revision)"
        " VALUES (?, ?, ?, 'active', '2025-01-01', 'monthly', 'start', 0, 'advance', 0, 1,"
        " 'single', 0, 'invoice', 'A', 1, 1)",
        ((i, f"K-{i:06d}", 1 + i % 1000) for i in range(1, contracts + 1)),
    )
    con.executemany(
        "INSERT INTO installment (id, contract_id, key, period_start, period_end, invoice_date,"
        " amount, lines, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'pending')",
        _installments(contracts),
    )
    con.commit()
    con.close()


def floor(
    path: Path,
    invoice_rows: list[tuple],
    line_rows: list[tuple],
    invoice_cols: list[str],
    line_cols: list[str],
    snapshot_rows: list[tuple] = (),
) -> float:
    """A plain sqlite3 executemany of the same rows into the same schema, one transaction
    (with the party snapshots the issued invoices refer to)."""
    con = sqlite3.connect(path, isolation_level=None)
    con.execute("PRAGMA journal_mode=wal")
    con.execute("PRAGMA synchronous=normal")
    con.execute("PRAGMA foreign_keys=1")
    t0 = time.perf_counter()
    con.execute("BEGIN IMMEDIATE")
    con.executemany(
        "INSERT OR IGNORE INTO party_snapshot (id, digest, data) VALUES (?, ?, ?)", snapshot_rows
    )
    con.executemany(
        f"INSERT INTO invoice ({', '.join(invoice_cols)}) VALUES "
        f"({', '.join('?' * len(invoice_cols))})",
        invoice_rows,
    )
    con.executemany(
        f"INSERT INTO invoice_line ({', '.join(line_cols)}) VALUES "
        f"({', '.join('?' * len(line_cols))})",
        line_rows,
    )
    con.execute("COMMIT")
    elapsed = time.perf_counter() - t0
    con.close()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--contracts", type=int, default=100_000)
    parser.add_argument("--dir", type=Path)
    args = parser.parse_args()
    work = args.dir or Path(tempfile.mkdtemp(prefix="bench-invoicing-"))
    work.mkdir(parents=True, exist_ok=True)
    path, floor_path = work / "bench_invoicing.sqlite", work / "floor.sqlite"
    for p in (path, floor_path):
        p.unlink(missing_ok=True)
    t0 = time.perf_counter()
    build(path, args.contracts)
    shutil.copy(path, floor_path)  # same schema and data, no invoices yet
    print(
        f"built {args.contracts} contracts with a pending installment of 2 lines each in "
        f"{time.perf_counter() - t0:.1f} s ({path})"
    )

    from tui_billing.billing.invoicing import create_invoices
    from tui_billing.store.database import open_database

    db = open_database(str(path))
    ids = [
        i
        for (i,) in db.execute_sql(
            "SELECT id FROM installment WHERE status = 'pending' ORDER BY id"
        )
    ]
    before = _peak_mb()
    t0 = time.perf_counter()
    created = create_invoices(db, ids, status="issued")
    elapsed = time.perf_counter() - t0
    peak = _peak_mb()
    count = len(created)
    lines = db.execute_sql("SELECT COUNT(*) FROM invoice_line").fetchone()[0]
    last = created[-1].number
    del created, ids
    db.close()

    con = sqlite3.connect(path)
    invoice_cols = [r[1] for r in con.execute("PRAGMA table_info(invoice)")]
    line_cols = [r[1] for r in con.execute("PRAGMA table_info(invoice_line)") if r[1] != "id"]
    invoice_rows = con.execute(f"SELECT {', '.join(invoice_cols)} FROM invoice").fetchall()
    line_rows = con.execute(f"SELECT {', '.join(line_cols)} FROM invoice_line").fetchall()
    snapshot_rows = con.execute("SELECT id, digest, data FROM party_snapshot").fetchall()
    con.close()
    t_floor = floor(floor_path, invoice_rows, line_rows, invoice_cols, line_cols, snapshot_rows)

    print(
        f"create_invoices: {count} invoices ({lines} lines), issued up to {last}, "
        f"in {elapsed:.2f} s = {count / elapsed:,.0f} invoices/s"
    )
    print(f"executemany floor: {t_floor:.2f} s = {count / t_floor:,.0f} invoices/s")
    print(
        f"ratio: {elapsed / t_floor:.1f}x the floor (target <= 10x); "
        f"total {'under' if elapsed < 60 else 'OVER'} 60 s"
    )
    print(f"peak memory: {peak:.0f} MB (before invoicing {before:.0f} MB; target < 500 MB)")


if __name__ == "__main__":
    main()
