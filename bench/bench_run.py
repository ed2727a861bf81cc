"""The whole billing run, as `tui-billing run --date D --no-email` executes it (materialize,
invoice, post-process; creation only: no PDF, no mail), for 100,000 monthly contracts of 2
lines due on one date, one invoice each, on SQLite. Against the floor of bench_invoicing.py:
a plain sqlite3 ``executemany`` of the same invoice and line rows in one transaction,
measured in the same run. Prints invoices/s, the ratio, the share of each stage, the total
time and peak memory.

    python bench/bench_run.py [--contracts N] [--history MONTHS] [--dir DIR]

``--history M``: the contracts started M months before D and their earlier months were
billed by earlier runs (not timed), as on a database in use; 0 (default): they start on D.

Targets (issue 4): within 10x of the floor, under 60 s in all, peak memory under 500 MB.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_invoicing import floor  # the one executemany floor of bench/

DUE = dt.date(2025, 3, 1)


def _months_before(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 - months
    return dt.date(index // 12, index % 12 + 1, 1)


def _peak_mb() -> tuple[float, float]:
    """Peak RSS of this process and of its largest child (materializing workers), in MB."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return own, children


def build(path: Path, contracts: int, start: dt.date) -> None:
    """1,000 customers; ``contracts`` active monthly contracts in advance from ``start``,
    each with a maintenance line at 22% VAT and a support line at 10%."""

    from bench_seller import new_database_with_seller

    new_database_with_seller(path)  # issuing needs a complete seller
    con = sqlite3.connect(path)
    con.executemany(
        "INSERT INTO customer (id, code, name, email, payment_terms_days, payment_method,"
        " collective_billing, language) VALUES (?, ?, ?, ?, 30, 'bank_transfer', 0, 'it')",
        [(i, f"C{i:05d}", f"Customer {i}", f"c{i}@example.it") for i in range(1, 1001)],
    )
    con.executemany(
        "INSERT INTO contract (id, code, customer_id, status, start_date, frequency, alignment,"
        " year_end_cut, timing, invoice_offset_days, prorate, line_display, one_off_with_first,"
        " document_type, series, revision, materialized_revision)"
        " VALUES (?, ?, ?, 'active', ?, 'monthly', 'start', 0, 'advance', 0, 1, 'single', 0,"
        " 'invoice', 'A', 1, 0)",
        ((i, f"K-{i:06d}", 1 + i % 1000, start.isoformat()) for i in range(1, contracts + 1)),
    )
    con.executemany(
        "INSERT INTO contract_line (contract_id, position, description, quantity, unit_price,"
        " price_period, recurring, vat_rate) VALUES (?, ?, ?, ?, ?, ?, 1, ?)",
        (
            row
            for i in range(1, contracts + 1)
            for row in (
                (i, 0, "Maintenance", 10000, 500000 + (i % 1000) * 100, "monthly", 2200),
                (i, 1, "Support", 20000, 125000, None, 1000),
            )
        ),
    )
    con.commit()
    con.close()


def _run(path: Path, on: dt.date, stages: dict[str, float] | None = None):
    """``run_billing`` with the options ``run --date D --no-email`` passes, default config."""
    from tui_billing.billing.run import RunOptions, run_billing
    from tui_billing.config import Config
    from tui_billing.store.database import open_database

    db = open_database(str(path))
    started = time.perf_counter()
    marks: dict[str, float] = {}

    def progress(stage: str, done: int, total: int) -> None:
        marks.setdefault(stage, time.perf_counter())
        marks[stage + " end"] = time.perf_counter()

    report = run_billing(db, RunOptions(on=on, email=False), Config(), progress=progress)
    ended = time.perf_counter()
    if stages is not None:
        schedule_end = marks.get("schedule end", started)
        stages["materialize"] = schedule_end - started
        stages["invoice"] = marks.get("invoice end", schedule_end) - schedule_end
        stages["rest"] = ended - marks.get("invoice end", schedule_end)
    db.close()
    return report, ended - started


def _floor_copy(
    source: Path, target: Path, before_run: Path
) -> tuple[list, list, list, list, list]:
    """The floor's database: the one before the run, plus (untimed) the rows the invoice and
    line rows refer to (installments, the run record); and the rows to insert."""
    shutil.copy(before_run, target)
    con = sqlite3.connect(source)
    invoice_cols = [r[1] for r in con.execute("PRAGMA table_info(invoice)")]
    line_cols = [r[1] for r in con.execute("PRAGMA table_info(invoice_line)") if r[1] != "id"]
    invoice_rows = (
        con.execute(
            f"SELECT {', '.join(invoice_cols)} FROM invoice "
            "WHERE id NOT IN (SELECT id FROM invoice_before)"
        ).fetchall()
        if _has(con, "invoice_before")
        else con.execute(f"SELECT {', '.join(invoice_cols)} FROM invoice").fetchall()
    )
    ids = {row[0] for row in invoice_rows}
    line_rows = [
        r
        for r in con.execute(f"SELECT {', '.join(line_cols)} FROM invoice_line")
        if r[line_cols.index("invoice_id")] in ids
    ]
    floor_con = sqlite3.connect(target)
    for table in ("billing_run", "installment"):
        cols = [r[1] for r in con.execute(f"PRAGMA table_info({table})")]
        rows = con.execute(f"SELECT {', '.join(cols)} FROM {table}").fetchall()
        if table == "installment":  # not invoiced yet in the floor's database
            at = cols.index("invoice_id")
            rows = [r if r[at] not in ids else r[:at] + (None,) + r[at + 1 :] for r in rows]
        floor_con.executemany(
            f"INSERT OR IGNORE INTO {table} ({', '.join(cols)}) VALUES "
            f"({', '.join('?' * len(cols))})",
            rows,
        )
    floor_con.commit()
    floor_con.close()
    snapshot_rows = con.execute("SELECT id, digest, data FROM party_snapshot").fetchall()
    con.close()
    return invoice_rows, line_rows, invoice_cols, line_cols, snapshot_rows


def _has(con: sqlite3.Connection, table: str) -> bool:
    return (
        con.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (table,)).fetchone() is not None
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--contracts", type=int, default=100_000)
    parser.add_argument("--history", type=int, default=0, metavar="MONTHS")
    parser.add_argument("--dir", type=Path)
    args = parser.parse_args()
    work = args.dir or Path(tempfile.mkdtemp(prefix="bench-run-"))
    work.mkdir(parents=True, exist_ok=True)
    path, before, floor_path = work / "run.sqlite", work / "before.sqlite", work / "floor.sqlite"
    for p in (path, before, floor_path):
        p.unlink(missing_ok=True)
    print(
        f"load: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} "
        f"{os.getloadavg()[2]:.2f} on {os.cpu_count()} cores"
    )
    t0 = time.perf_counter()
    build(path, args.contracts, _months_before(DUE, args.history))
    for month in range(args.history, 0, -1):
        _run(path, _months_before(DUE, month))
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE invoice_before AS SELECT id FROM invoice")
    history = con.execute("SELECT COUNT(*) FROM invoice").fetchone()[0]
    con.commit()
    con.close()
    shutil.copy(path, before)
    print(
        f"built {args.contracts:,} monthly contracts of 2 lines "
        f"({history:,} invoices already issued) in {time.perf_counter() - t0:.1f} s ({path})"
    )

    stages: dict[str, float] = {}
    report, elapsed = _run(path, DUE, stages)
    own, children = _peak_mb()
    count = len(report.invoices)
    print(
        f"run --date {DUE} --no-email: {count:,} invoices "
        f"({report.installments_billed:,} installments, {len(report.failed)} failed), "
        f"last {report.invoices[-1].number if report.invoices else '-'}, "
        f"in {elapsed:.2f} s = {count / elapsed:,.0f} invoices/s"
    )
    print(
        "  "
        + ", ".join(
            f"{name} {seconds:.2f} s ({seconds / elapsed:.0%})" for name, seconds in stages.items()
        )
    )
    del report

    rows = _floor_copy(path, floor_path, before)
    lines = len(rows[1])
    t_floor = floor(floor_path, *rows)
    print(
        f"executemany floor ({count:,} invoices, {lines:,} lines): {t_floor:.2f} s = "
        f"{count / t_floor:,.0f} invoices/s"
    )
    print(
        f"ratio: {elapsed / t_floor:.1f}x the floor (target <= 10x); "
        f"total {elapsed:.1f} s ({'under' if elapsed < 60 else 'OVER'} 60 s)"
    )
    print(
        f"peak memory: {own:.0f} MB in the run's process, {children:.0f} MB in the largest "
        f"worker (target < 500 MB)"
    )


if __name__ == "__main__":
    main()
