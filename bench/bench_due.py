"""`due` over 100,000 active contracts (mixed frequencies, 2 lines each), 12 months after
their start: time to materialize, time to list, a second `due` with nothing new, the real
`tui-billing due --json` on the result, peak memory; with the machine's load.

    python bench/bench_due.py [--contracts N] [--db FILE] [--no-cli]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import resource
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

FREQUENCIES = [
    "monthly",
    "monthly",
    "bimonthly",
    "quarterly",
    "quarterly",
    "fourmonthly",
    "semiannual",
    "annual",
    '{"every": 30, "unit": "day"}',
    '{"every": 2, "unit": "year"}',
]
ALIGNMENTS = ["start", "start", "month_end", "calendar"]
START = dt.date(2025, 1, 1)


def build(path: Path, contracts: int) -> None:
    from tui_billing.store.database import open_database

    open_database(str(path)).close()
    rng = random.Random(7)
    con = sqlite3.connect(path)
    con.executemany(
        "INSERT INTO customer (code, name, payment_terms_days, payment_method,"
        " collective_billing, language) VALUES (?, ?, 30, 'bank_transfer', 0, 'it')",
        [(f"C{i:05d}", f"Customer {i}") for i in range(1000)],
    )
    rows, lines = [], []
    for i in range(contracts):
        start = START + dt.timedelta(days=rng.randrange(0, 28))
        rows.append(
            (
                i + 1,
                f"K-{i:06d}",
                1 + i % 1000,
                "active",
                start.isoformat(),
                rng.choice(FREQUENCIES),
                rng.choice(ALIGNMENTS),
                int(rng.random() < 0.2),
                rng.choice(["advance", "arrears"]),
            )
        )
        lines.append(
            (i + 1, 0, "Maintenance", 10000, 500000 + rng.randrange(0, 100000), "monthly", 1, 2200)
        )
        lines.append((i + 1, 1, "Support", 20000, 125000, None, 1, 2200))
    con.executemany(
        "INSERT INTO contract (id, code, customer_id, status, start_date, frequency, alignment,"
        " year_end_cut, timing, invoice_offset_days, prorate, line_display, one_off_with_first,"
        " document_type, series, revision, materialized_revision)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 1, 'single', 0, 'invoice', 'A', 1, 0)",
        rows,
    )
    con.executemany(
        "INSERT INTO contract_line (contract_id, position, description, quantity, unit_price,"
        " price_period, recurring, vat_rate) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        lines,
    )
    con.commit()
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # a database at rest, as a user's is
    con.close()


class TreeMemory:
    """The peak of this process's resident memory plus its children's, sampled."""

    def __init__(self) -> None:
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    @staticmethod
    def _rss(pid: int) -> int:
        try:
            with open(f"/proc/{pid}/statm") as f:
                return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        except OSError:
            return 0

    def _children(self) -> list[int]:
        try:
            with open(f"/proc/{os.getpid()}/task/{os.getpid()}/children") as f:
                return [int(pid) for pid in f.read().split()]
        except OSError:
            return []

    def _run(self) -> None:
        while not self._stop.wait(0.02):
            total = self._rss(os.getpid()) + sum(self._rss(pid) for pid in self._children())
            self.peak = max(self.peak, total)

    def stop(self) -> int:
        self._stop.set()
        self._thread.join()
        return self.peak


def load() -> str:
    return "load average " + ", ".join(f"{v:.2f}" for v in os.getloadavg())


def run_cli(path: Path, on: dt.date) -> tuple[float, int, int]:
    """Time ``tui-billing due --date D --json > /dev/null``: seconds, peak RSS (MB), and the
    bytes it wrote (counted through a pipe)."""
    script = Path(sys.executable).with_name("tui-billing")
    argv = [str(script)] if script.exists() else [sys.executable, "-m", "tui_billing"]
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        [*argv, "--db", str(path), "due", "--date", on.isoformat(), "--json"],
        stdout=subprocess.PIPE,
    )
    size = 0
    assert proc.stdout is not None
    while chunk := proc.stdout.read(1 << 20):
        size += len(chunk)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - t0
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"tui-billing due failed ({status})")
    return elapsed, usage.ru_maxrss // 1024, size


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--contracts", type=int, default=100_000)
    parser.add_argument("--db", type=Path)
    parser.add_argument("--no-cli", action="store_true", help="skip timing the CLI")
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
    memory = TreeMemory()
    print(f"before materialize: {load()}")
    t0, c0 = time.perf_counter(), os.times()
    result = materialize(db, on)
    t_mat, c1 = time.perf_counter() - t0, os.times()
    print(
        f"materialize: {t_mat:.2f} s for {result.created} installments "
        f"({result.contracts} contracts, {len(result.failed)} failed); {load()}"
    )
    print(
        f"  CPU: {c1.user + c1.system - c0.user - c0.system:.2f} s this process, "
        f"{c1.children_user + c1.children_system - c0.children_user - c0.children_system:.2f}"
        " s its workers"
    )
    t0 = time.perf_counter()
    rows = list_due(db, on)
    t_list = time.perf_counter() - t0
    total = sum(row.amount for row in rows)
    print(
        f"list:        {t_list:.2f} s for {len(rows)} due installments "
        f"(total {total:,.2f}); {load()}"
    )
    del rows
    t0, c0 = time.perf_counter(), time.process_time()
    again = materialize(db, on)
    rows = list_due(db, on)
    t_second = time.perf_counter() - t0
    print(
        f"second due:  {t_second:.2f} s, {time.process_time() - c0:.2f} CPU s "
        f"(materialized {again.created} new, listed {len(rows)}); {load()}"
    )
    del rows
    tree = memory.stop()
    self_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    workers_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(
        f"peak memory: {self_peak:.0f} MB this process, {workers_peak:.0f} MB the largest "
        f"worker, {tree / 2**20:.0f} MB all together (sampled)"
    )
    db.close()
    if not args.no_cli:
        elapsed, peak, size = run_cli(path, on)
        print(
            f"cli due --json: {elapsed:.2f} s, {size / 2**20:.0f} MB of JSON, "
            f"peak {peak} MB; {load()}"
        )


if __name__ == "__main__":
    main()
