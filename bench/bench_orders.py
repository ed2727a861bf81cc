"""Orders at office scale: list N orders (``orders --json``'s path) and run each order
operation (down payment, final, partial, installment plan) on a share of them, on SQLite.

    python bench/bench_orders.py [--orders N] [--operations M]

Prints the machine load with the figures: they are noisy on a shared machine.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
import time
from pathlib import Path

from tui_billing.billing.order_views import list_orders
from tui_billing.billing.orders import (
    down_payment_invoice,
    final_invoice,
    installment_plan,
    partial_invoice,
)
from tui_billing.output.interchange_write import import_data
from tui_billing.store.database import open_database

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_seller import SELLER  # issuing needs a complete seller

START = dt.date(2025, 3, 1)


def document(orders: int) -> dict:
    return {
        "customers": [{"code": f"C{i:03d}", "name": f"Cliente {i:03d} S.r.l."} for i in range(50)],
        "orders": [
            {
                "code": f"O-{i:05d}",
                "customer": f"C{i % 50:03d}",
                "date": "2025-02-01",
                "status": "shipped" if i % 4 == 3 else "draft",
                "lines": [
                    {
                        "description": "Impianto",
                        "quantity": "1",
                        "unit_price": "700.00",
                        "vat_rate": "22.00",
                    },
                    {
                        "description": "Posa",
                        "quantity": "3",
                        "unit_price": "100.003",
                        "vat_rate": "10.00",
                    },
                    {
                        "description": "Manuali",
                        "quantity": "2",
                        "unit_price": "15.00",
                        "vat_rate": "4.00",
                    },
                ],
            }
            for i in range(orders)
        ],
    }


def timed(label: str, count: int, call) -> None:
    began = time.perf_counter()
    for i in range(count):
        call(i)
    spent = time.perf_counter() - began
    each = spent / max(count, 1) * 1000
    print(f"{label:<38} {count:>6} in {spent:7.2f} s  ({each:6.1f} ms each)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=5000)
    parser.add_argument("--operations", type=int, default=200)
    args = parser.parse_args()
    print(f"load average: {os.getloadavg()[0]:.2f} (2 cores)")
    with tempfile.TemporaryDirectory() as tmp:
        db = open_database(str(Path(tmp) / "orders.sqlite"))
        began = time.perf_counter()
        import_data(db, {**document(args.orders), "company": SELLER})
        print(f"import {args.orders} orders: {time.perf_counter() - began:.2f} s")
        began = time.perf_counter()
        listed = list_orders()
        print(f"list_orders, {len(listed)} orders: {time.perf_counter() - began:.2f} s")
        drafts = [o.code for o in listed if o.status == "draft"]
        shipped = [o.code for o in listed if o.status == "shipped"]
        m = min(args.operations, len(drafts) // 3, len(shipped))
        day = START
        timed(
            "down payment 30% (mixed VAT)",
            m,
            lambda i: down_payment_invoice(db, drafts[i], date=day, percent="30"),
        )
        timed("final after the down payment", m, lambda i: final_invoice(db, drafts[i], date=day))
        timed("partial invoice", m, lambda i: partial_invoice(db, drafts[m + i], date=day))
        timed(
            "installments, 3, issued now",
            m,
            lambda i: installment_plan(
                db, shipped[i], count=3, start=day, frequency="monthly", issue_now=True
            ),
        )
        began = time.perf_counter()
        listed = list_orders()
        print(f"list_orders again, {len(listed)} orders: {time.perf_counter() - began:.2f} s")
        db.close()
    print(f"load average: {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
