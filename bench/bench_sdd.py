"""SEPA direct debit file speed: one pain.008.001.02 file for N collections (half FRST,
half RCUR, over four due dates), built with sepaxml, checked and validated against the
XSD. Prints the seconds (target under 10 s for 50,000) and the file size.

    python bench/bench_sdd.py [-n 50000]
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.support.collections_data import (
    DEBTOR_IBAN,
    PRESENTED_ON,
    creditor,
)
from tui_billing.domain.sepa import make_collection, make_mandate
from tui_billing.output.sdd_xml import new_message_id, write_sdd


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-n", type=int, default=50_000)
    count = parser.parse_args().n
    collections = []
    for i in range(count):
        mandate = make_mandate(f"M-{i:06d}", date(2025, 1, 1), "CORE", f"Cliente {i}", DEBTOR_IBAN)
        collections.append(
            make_collection(
                f"A/2026/{i:06d}",
                Decimal(10 + i % 1000) + Decimal("0.37"),
                PRESENTED_ON + timedelta(days=1 + (i % 4)),
                mandate,
                "FRST" if i % 2 else "RCUR",
                f"Fattura A/2026/{i:06d}",
            )
        )
    created = datetime(2026, 12, 7, 9, 0)
    start = time.perf_counter()
    cpu = time.process_time()
    xml = write_sdd(
        creditor(),
        collections,
        message_id=new_message_id(created),
        created_at=created,
        presented_on=PRESENTED_ON,
    )
    wall, used = time.perf_counter() - start, time.process_time() - cpu
    print(
        f"{count} collections: {wall:.2f} s wall, {used:.2f} s CPU, "
        f"{len(xml) / 1e6:.1f} MB (target < 10 s)"
    )


if __name__ == "__main__":
    main()
