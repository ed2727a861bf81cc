"""What late-payment charges cost materializing: N monthly contracts, each with one issued
invoice left unpaid, materialized three months on, with and without late-payment terms.

    python bench/bench_late_interest.py [--contracts N]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sqlite3
import tempfile
import time
from pathlib import Path

START = dt.date(2025, 1, 1)


def build(path: Path, contracts: int, late: bool) -> None:
    from bench_seller import new_database_with_seller

    from tui_billing.billing.invoicing import create_invoices
    from tui_billing.billing.materialize import materialize
    from tui_billing.store.database import open_database
    from tui_billing.store.models import Installment

    new_database_with_seller(path)  # issuing needs a complete seller
    con = sqlite3.connect(path)
    con.executemany(
        "INSERT INTO customer (code, name, payment_terms_days, payment_method,"
        " collective_billing, language) VALUES (?, ?, 30, 'bank_transfer', 0, 'it')",
        [(f"C{i:05d}", f"Customer {i}") for i in range(1000)],
    )
    con.executemany(
        "INSERT INTO contract (id, code, customer_id, status, start_date, frequency, alignment,"
        " year_end_cut, timing, invoice_offset_days, prorate, line_display, one_off_with_first,"
        " document_type, series, revision, materialized_revision, late_interest, late_fee)"
        " VALUES (?, ?, ?, 'active', ?, 'monthly', 'start', 0, 'advance', 0, 1, 'single', 0,"
        " 'invoice', 'A', 1, 0, ?, ?)",
        [
            (
                i + 1,
                f"K-{i:06d}",
                1 + i % 1000,
                START.isoformat(),
                "legal" if late else None,
                4000 if late else None,
            )
            for i in range(contracts)
        ],
    )
    con.executemany(
        "INSERT INTO contract_line (contract_id, position, description, quantity, unit_price,"
        " recurring, vat_rate) VALUES (?, 0, 'Canone', 10000, 1000000, 1, 2200)",
        [(i + 1,) for i in range(contracts)],
    )
    con.commit()
    con.close()
    db = open_database(str(path))
    materialize(db, START, workers=0)
    create_invoices(db, [i.id for i in Installment.select(Installment.id)], status="issued")
    db.close()


def measure(path: Path) -> tuple[float, int]:
    from tui_billing.billing.materialize import materialize
    from tui_billing.store.database import open_database
    from tui_billing.store.models import Installment

    db = open_database(str(path))
    began = time.perf_counter()
    materialize(db, START.replace(month=4), workers=0)
    elapsed = time.perf_counter() - began
    charged = Installment.select().where(Installment.lines.contains('"late-interest:')).count()
    db.close()
    return elapsed, charged


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--contracts", type=int, default=20_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        figures = {}
        for late in (False, True):
            path = Path(tmp) / f"late-{late}.sqlite"
            build(path, args.contracts, late)
            figures[late] = measure(path)
        print(f"load average: {os.getloadavg()[0]:.2f}")
        print(f"{args.contracts} contracts, one unpaid invoice each, materialized 3 months on:")
        print(f"  without late-payment terms: {figures[False][0]:.2f} s")
        print(
            f"  legal interest + fee:       {figures[True][0]:.2f} s "
            f"({figures[True][1]} installments charged), "
            f"ratio {figures[True][0] / figures[False][0]:.2f}"
        )


if __name__ == "__main__":
    main()
