"""`due` over 100,000 active contracts (mixed frequencies, 2 lines each), 12 months after
their start: time to materialize, time to list, a second `due` with nothing new, peak memory.

    python bench/bench_due.py [--contracts N] [--db FILE]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import resource
import sqlite3
import tempfile
import time
from pathlib import Path

FREQUENCIES = ["monthly", "monthly", "bimonthly", "quarterly", "quarterly", "fourmonthly",
               "semiannual", "annual", '{"every": 30, "unit": "day"}',
               '{"every": 2, "unit": "year"}']
ALIGNMENTS = ["start", "start", "month_end", "calendar"]
START = dt.date(2025, 1, 1)


def build(path: Path, contracts: int) -> None:
    from tui_billing.store.database import open_database

    open_database(str(path)).close()
    rng = random.Random(7)
    con = sqlite3.connect(path)
    con.executemany("INSERT INTO customer (code, name, payment_terms_days, payment_method,"
                    " collective_billing, language) VALUES (?, ?, 30, 'bank_transfer', 0, 'it')",
                    [(f"C{i:05d}", f"Customer {i}") for i in range(1000)])
    rows, lines = [], []
    for i in range(contracts):
        start = START + dt.timedelta(days=rng.randrange(0, 28))
        rows.append((i + 1, f"K-{i:06d}", 1 + i % 1000, "active", start.isoformat(),
                     rng.choice(FREQUENCIES), rng.choice(ALIGNMENTS), int(rng.random() < 0.2),
                     rng.choice(["advance", "arrears"])))
        lines.append((i + 1, 0, "Maintenance", 10000, 500000 + rng.randrange(0, 100000),
                      "monthly", 1, 2200))
        lines.append((i + 1, 1, "Support", 20000, 125000, None, 1, 2200))
    con.executemany(
        "INSERT INTO contract (id, code, customer_id, status, start_date, frequency, alignment,"
        " year_end_cut, timing, invoice_offset_days, prorate, line_display, one_off_with_first,"
        " document_type, series, revision, materialized_revision)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 1, 'single', 0, 'invoice', 'A', 1, 0)", rows)
    con.executemany(
        "INSERT INTO contract_line (contract_id, position, description, quantity, unit_price,"
        " price_period, recurring, vat_rate) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", lines)
    con.commit()
    con.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--contracts", type=int, default=100_000)
    parser.add_argument("--db", type=Path)
    args = parser.parse_args()
    path = args.db or Path(tempfile.mkdtemp()) / "bench_due.sqlite"
    t0 = time.perf_counter()
    build(path, args.contracts)
    print(f"built {args.contracts} contracts in {time.perf_counter() - t0:.1f} s ({path})")

    from tui_billing.billing.due import list_due
    from tui_billing.billing.materialize import materialize
    from tui_billing.store.database import open_database

    on = START + dt.timedelta(days=365)
    db = open_database(str(path))
    t0 = time.perf_counter()
    result = materialize(db, on)
    t_mat = time.perf_counter() - t0
    t0 = time.perf_counter()
    rows = list_due(db, on)
    t_list = time.perf_counter() - t0
    print(f"materialize: {t_mat:.2f} s for {result.created} installments "
          f"({result.contracts} contracts, {len(result.failed)} failed)")
    print(f"list:        {t_list:.2f} s for {len(rows)} due installments")
    del rows
    t0 = time.perf_counter()
    again = materialize(db, on)
    rows = list_due(db, on)
    t_second = time.perf_counter() - t0
    print(f"second due:  {t_second:.2f} s (materialized {again.created} new, listed {len(rows)})")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory: {peak:.0f} MB")


if __name__ == "__main__":
    main()
