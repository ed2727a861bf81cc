"""Benchmark: contract_installments over 100,000 synthetic contracts, 12 months from each start.

Run ``python bench/bench_schedule.py [--contracts N] [--seed S] [--repeat R] [--profile]``.
The contracts mix frequencies, alignments, year-end cuts, timings, offsets, price periods,
validity windows, end dates, one-off lines, per-period display and both languages; 70%
start on the 1st of a month, the rest on any day. Building them is not timed; each run
starts with cold caches; the best run is reported (this machine's speed varies a lot).
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import random
import sys
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tui_billing.domain.dates import add_months
from tui_billing.domain.frequency import Frequency
from tui_billing.domain.schedule import clear_cache, contract_installments
from tui_billing.domain.terms import ContractTerms, LineTerms

FREQUENCIES = [
    (Frequency(1, "month"), 35),
    (Frequency(2, "month"), 5),
    (Frequency(3, "month"), 25),
    (Frequency(4, "month"), 5),
    (Frequency(6, "month"), 10),
    (Frequency(1, "year"), 15),
    (Frequency(1, "week"), 3),
    (Frequency(2, "week"), 2),
]
ALIGNMENTS = [("start", 60), ("month_end", 20), ("calendar", 20)]
MONTHLY = Frequency(1, "month")
PRICES = [Decimal(p) for p in ("19.90", "50.00", "120.00", "33.33", "1250.00", "7.5")]
VAT = Decimal("22.00")


def _pick(rng: random.Random, weighted: list[tuple[object, int]]) -> object:
    """A weighted random choice."""
    return rng.choices([v for v, _ in weighted], [w for _, w in weighted])[0]


def make_contracts(count: int, seed: int) -> list[tuple[ContractTerms, date]]:
    """``count`` synthetic contracts, each with its horizon (12 months after its start)."""
    rng = random.Random(seed)
    result = []
    for n in range(count):
        year, month = rng.randint(2020, 2025), rng.randint(1, 12)
        day = 1 if rng.random() < 0.7 else rng.randint(1, 28 if month == 2 else 30)
        start = date(year, month, day)
        frequency: Frequency = _pick(rng, FREQUENCIES)  # type: ignore[assignment]
        end = add_months(start, rng.randint(3, 10)) - timedelta(days=1)
        line1 = LineTerms(
            key="1",
            description="Maintenance",
            quantity=Decimal(rng.randint(1, 3)),
            unit_price=rng.choice(PRICES),
            vat_rate=VAT,
            price_period=MONTHLY if frequency.months and rng.random() < 0.5 else None,
        )
        kind = rng.random()
        if kind < 0.2:
            line2 = LineTerms("2", "Setup", Decimal(1), Decimal("150.00"), VAT, recurring=False)
        elif kind < 0.35:
            line2 = LineTerms(
                "2",
                "Support",
                Decimal(1),
                rng.choice(PRICES),
                VAT,
                valid_from=start + timedelta(days=rng.randint(20, 120)),
            )
        else:
            line2 = LineTerms("2", "Hosting", Decimal(1), rng.choice(PRICES), VAT)
        terms = ContractTerms(
            code=f"K-{n:06d}",
            status="active",
            customer=f"C{n % 5000}",
            start_date=start,
            end_date=end if rng.random() < 0.3 else None,
            frequency=frequency,
            alignment=_pick(rng, ALIGNMENTS),  # type: ignore[arg-type]
            year_end_cut=rng.random() < 0.2,
            timing="arrears" if rng.random() < 0.3 else "advance",
            invoice_offset_days=5 if rng.random() < 0.1 else 0,
            line_display="per_period" if rng.random() < 0.1 else "single",
            one_off_with_first=rng.random() < 0.5,
            lines=(line1, line2),
            language="it" if rng.random() < 0.5 else "en",
        )
        result.append((terms, add_months(start, 12)))
    return result


def run(contracts: list[tuple[ContractTerms, date]]) -> tuple[float, int, int]:
    """Time the schedule of every contract; return (seconds, installments, invoice lines)."""
    installments = lines = 0
    began = time.perf_counter()
    for terms, until in contracts:
        for spec in contract_installments(terms, until):
            installments += 1
            lines += len(spec.lines)
    return time.perf_counter() - began, installments, lines


def main() -> None:
    """Parse the options, build the contracts, time them, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contracts", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=20240701)
    parser.add_argument("--repeat", type=int, default=3, help="runs, each with cold caches")
    parser.add_argument("--profile", action="store_true", help="print a cProfile of the run")
    args = parser.parse_args()
    contracts = make_contracts(args.contracts, args.seed)
    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        seconds, installments, lines = run(contracts)
        profiler.disable()
        pstats.Stats(profiler).sort_stats("tottime").print_stats(15)
        times = [seconds]
    else:
        times = []
        for _ in range(max(1, args.repeat)):
            clear_cache()
            seconds, installments, lines = run(contracts)
            times.append(seconds)
    best = min(times)
    print(
        f"{len(contracts)} contracts, {installments} installments, {lines} invoice lines; "
        f"best of {len(times)}: {best:.2f} s, {len(contracts) / best:,.0f} contracts/s "
        f"(runs: {', '.join(f'{t:.2f}' for t in times)} s)"
    )


if __name__ == "__main__":
    main()
