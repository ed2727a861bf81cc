"""Fuzzing the entry paths at scale: N documents (default 10,000), split between interchange
JSON files, customer and contract spreadsheets and payment files, each fed to the command
line on SQLite as tests/cli/test_fuzz_input.py does; prints how many were accepted and
refused, the broken promises (tracebacks, other exit codes, changes after a refusal,
exports that do not re-import to themselves) and the time.

    python bench/bench_fuzz_input.py [--documents N] [--seed S] [--kinds json,csv,payments]
                                     [--minutes M]
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import time
from pathlib import Path

from hypothesis import HealthCheck, Phase, given, seed, settings

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.support.fuzz_input import (
    Checker,
    bent_documents,
    new_checker,
    payment_files,
    spreadsheets,
)


class _OutOfTime(Exception):
    """The time budget is spent: stop generating and print the figures so far."""


def _run(strategy, count: int, feed, chosen_seed: int, checker: Checker, deadline: float) -> None:
    """Feed ``count`` generated values (fewer when ``deadline`` passes); print each broken
    promise as it is found, and progress every 500."""

    @seed(chosen_seed)
    @settings(
        max_examples=count,
        deadline=None,
        database=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def each(value) -> None:
        if time.perf_counter() > deadline:
            raise _OutOfTime
        known = len(checker.problems)
        feed(value)
        for problem in checker.problems[known:]:
            print(f"  broken: {problem}", flush=True)
        done = sum(checker.outcomes.values())
        if done % 500 == 0:
            print(f"  ... {done} fed ({dict(checker.outcomes)})", flush=True)

    with contextlib.suppress(_OutOfTime):
        each()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=19)
    parser.add_argument(
        "--kinds",
        default="json,csv,payments",
        help="which entry paths (a share of the documents each: json 1/2, csv and payments 1/4)",
    )
    parser.add_argument(
        "--minutes",
        type=float,
        default=None,
        help="stop after this long and print the figures so far",
    )
    args = parser.parse_args()
    kinds = args.kinds.split(",")
    json_count = args.documents * 2 // 4
    csv_count = args.documents // 4
    payment_count = args.documents - json_count - csv_count
    checker, payments = new_checker(), new_checker()
    payments.setup_payments()
    started = time.perf_counter()
    deadline = started + args.minutes * 60 if args.minutes else float("inf")
    if "json" in kinds:
        _run(
            bent_documents(),
            json_count,
            lambda text: checker.feed("json", "doc.json", text, "import"),
            args.seed,
            checker,
            deadline,
        )
    if "csv" in kinds:
        _run(
            spreadsheets(),
            csv_count,
            lambda s: checker.feed(f"csv {s[0]}", f"{s[0]}.csv", s[1], "import-csv", s[0]),
            args.seed,
            checker,
            deadline,
        )
    if "payments" in kinds:
        _run(
            payment_files(),
            payment_count,
            lambda f: payments.feed("payments", f[0], f[1], "payments", "import"),
            args.seed,
            payments,
            deadline,
        )
    elapsed = time.perf_counter() - started
    outcomes = checker.outcomes + payments.outcomes
    problems = checker.problems + payments.problems
    print(
        f"documents: {sum(outcomes.values())} in {elapsed:.0f} s "
        f"({sum(outcomes.values()) / elapsed:.1f}/s)"
    )
    for key in sorted(outcomes):
        print(f"  {key}: {outcomes[key]}")
    print(f"broken promises: {len(problems)}")
    for problem in problems[:20]:
        print(f"  {problem}")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
