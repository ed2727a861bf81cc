"""Migration 12 (contract line ids never reused) on a big SQLite file from before it: 100,000
contracts, 200,000 lines and 6 installments each (600,000 rows, lines as materializing
stores them, half invoiced); times opening it, which rebuilds contract_line and reads every
installment's line keys.

    python bench/bench_migration_line_ids.py [--contracts N] [--installments N]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench_due import build

from tests.support.schema_before_12 import BEFORE_12


def _lines(line_ids: list[int], start: dt.date) -> str:
    end = start + dt.timedelta(days=27)
    return json.dumps(
        [
            {
                "line": str(i),
                "description": f"Line - period {start:%d/%m/%Y}-{end:%d/%m/%Y}",
                "period_start": start.isoformat(),
                "period_end": end.isoformat(),
                "quantity": "1.0000",
                "unit_price": "50.0000",
                "amount": "50.00",
                "vat_rate": "22.00",
            }
            for i in line_ids
        ],
        separators=(",", ":"),
    )


def make_old(path: Path, contracts: int, per_contract: int) -> None:
    build(path, contracts)
    con = sqlite3.connect(path)
    lines: dict[int, list[int]] = {}
    for cid, lid in con.execute("SELECT contract_id, id FROM contract_line ORDER BY id"):
        lines.setdefault(cid, []).append(lid)
    rows = []
    for cid, ids in lines.items():
        for n in range(per_contract):
            start = dt.date(2025, 1, 1) + dt.timedelta(days=28 * n)
            end = start + dt.timedelta(days=27)
            status = "invoiced" if n < per_contract // 2 else "pending"
            rows.append(
                (
                    cid,
                    f"{start}/{end}@{start}",
                    start.isoformat(),
                    end.isoformat(),
                    start.isoformat(),
                    _lines(ids, start),
                    status,
                )
            )
    con.executemany(
        "INSERT INTO installment (contract_id, key, period_start, period_end,"
        " invoice_date, amount, lines, status) VALUES (?, ?, ?, ?, ?, 10000, ?, ?)",
        rows,
    )
    for statement in BEFORE_12:
        con.execute(statement)
    con.commit()
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--contracts", type=int, default=100_000)
    parser.add_argument("--installments", type=int, default=6, help="per contract")
    args = parser.parse_args()
    from tui_billing.store.database import open_database

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "old.sqlite"
        make_old(path, args.contracts, args.installments)
        size = path.stat().st_size / 2**20
        started = time.perf_counter()
        open_database(str(path)).close()
        took = time.perf_counter() - started
        con = sqlite3.connect(path)
        (lines,) = con.execute("SELECT COUNT(*) FROM contract_line").fetchone()
        (installments,) = con.execute("SELECT COUNT(*) FROM installment").fetchone()
        (seq,) = con.execute(
            "SELECT seq FROM sqlite_sequence WHERE name = 'contract_line'"
        ).fetchone()
        con.close()
        print(
            f"{args.contracts} contracts, {lines} lines, {installments} installments, "
            f"{size:.0f} MiB: migration 12 in {took:.2f} s (sequence at {seq}); "
            f"load {os.getloadavg()[0]:.2f}"
        )


if __name__ == "__main__":
    main()
