"""Presenting a SEPA direct debit file from the database: N issued invoices of N customers
with a mandate each, selected, sequenced (FRST), written as pain.008.001.02, validated
against the XSD and recorded with every invoice, in one transaction. Prints the seconds
(target under 10 s for 50,000) on SQLite (and PostgreSQL with --db postgresql://...).

    python bench/bench_collections.py [-n 50000] [--db TARGET]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.support.collection_db import COMPANY, DEBTOR_IBAN
from tests.support.seller import write_seller
from tui_billing.billing.presenting import present_sdd
from tui_billing.store.database import open_database
from tui_billing.store.models import Collection, Customer, Invoice, Mandate
from tui_billing.store.transactions import write_transaction

TODAY = dt.date(2026, 3, 2)


def fill(db, count: int) -> None:
    write_seller(db, COMPANY)
    with write_transaction(db):
        for start in range(0, count, 1000):
            Customer.insert_many(
                [
                    {
                        "code": f"C{i:06d}",
                        "name": f"Cliente {i} S.r.l.",
                        "payment_method": "sepa_direct_debit",
                    }
                    for i in range(start, min(count, start + 1000))
                ]
            ).execute()
        ids = dict(Customer.select(Customer.code, Customer.id).tuples())
        for start in range(0, count, 1000):
            part = range(start, min(count, start + 1000))
            Mandate.insert_many(
                [
                    {
                        "reference": f"M-{i:06d}",
                        "customer": ids[f"C{i:06d}"],
                        "signed_on": dt.date(2025, 1, 1),
                        "scheme": "CORE",
                        "iban": DEBTOR_IBAN,
                    }
                    for i in part
                ]
            ).execute()
            Invoice.insert_many(
                [
                    {
                        "series": "A",
                        "year": 2026,
                        "seq": i + 1,
                        "number": f"A/2026/{i + 1:06d}",
                        "numbering": "fiscal",
                        "status": "issued",
                        "date": dt.date(2026, 2, 1),
                        "due_date": dt.date(2026, 3, 2 + i % 20),
                        "customer": ids[f"C{i:06d}"],
                        "payment_method": "sepa_direct_debit",
                        "taxable": Decimal(100 + i % 900),
                        "vat": Decimal(22),
                        "total": Decimal(122 + i % 900),
                    }
                    for i in part
                ]
            ).execute()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-n", type=int, default=50_000)
    parser.add_argument("--db", help="database target (default: a temporary SQLite file)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        db = open_database(args.db or str(Path(folder) / "bench.sqlite"))
        fill(db, args.n)
        start, cpu = time.perf_counter(), time.process_time()
        presented = present_sdd(
            db, due_to=dt.date(2026, 3, 31), today=TODAY, now=dt.datetime(2026, 3, 2, 9, 0)
        )
        wall, used = time.perf_counter() - start, time.process_time() - cpu
        assert presented.count == args.n == Collection.select().count()
        print(
            f"{args.n} invoices presented from the database: {wall:.2f} s wall, "
            f"{used:.2f} s CPU, {len(presented.content) / 1e6:.1f} MB (target < 10 s), "
            f"load average {os.getloadavg()[0]:.2f}"
        )


if __name__ == "__main__":
    main()
