"""FatturaPA export speed: N e-invoice XML files written, each checked first (SdI rules,
then the official XSD), into a temporary folder under their SdI file names. The documents
cycle through every kind of tests/support/fatturapa_documents.py (B2B with two rates, PA
split payment, exempt with bollo, reverse charge, credit note, down payment, professional
fee), each with its own number and progressive: first in memory, then one file each in a
temporary folder (a hot folder), then into one ZIP (the Agenzia's web upload). Prints
files/s (target >= 500/s) and files per CPU second (less sensitive to the machine's
other load).

    python bench/bench_fatturapa.py [-n 10000] [--dir DIR]
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.support.fatturapa_documents import ALL_DOCUMENTS, TODAY
from tui_billing.domain.fatturapa import FatturaPA
from tui_billing.output.fatturapa_schema import fatturapa_schema
from tui_billing.output.fatturapa_xml import fatturapa_xml, sdi_file_name

DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def progressive(n: int) -> str:
    """``n`` in base 36 on 5 characters: 00001 ... ZZZZZ (60 million files)."""
    text = ""
    for _ in range(5):
        n, digit = divmod(n, 36)
        text = DIGITS[digit] + text
    return text


def documents(count: int) -> list[FatturaPA]:
    kinds = [build() for build in ALL_DOCUMENTS.values()]
    made = []
    for n in range(1, count + 1):
        doc = kinds[n % len(kinds)]
        made.append(dataclasses.replace(
            doc, number=f"B/2026/{n:06d}",
            transmission=dataclasses.replace(doc.transmission, progressive=progressive(n))))
    return made


def timed(label: str, docs: list[FatturaPA], sink: Callable[[str, bytes], object]) -> None:
    """Write every document through ``sink(file_name, xml)`` and print the rates."""
    started, cpu = time.perf_counter(), time.process_time()
    size = 0
    for doc in docs:
        data = fatturapa_xml(doc, TODAY)
        sink(sdi_file_name(doc), data)
        size += len(data)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    count = len(docs)
    print(f"{label}: {count} files ({size / 1e6:.1f} MB) in {elapsed:.2f} s:"
          f" {count / elapsed:,.0f} files/s ({elapsed / count * 1e3:.2f} ms each;"
          f" CPU {cpu:.2f} s, {count / cpu:,.0f} files per CPU second)")


def floor(target: Path, docs: list[FatturaPA]) -> None:
    """The disk's floor: the same files written with bytes made beforehand."""
    made = [(sdi_file_name(doc), fatturapa_xml(doc, TODAY)) for doc in docs]
    started, cpu = time.perf_counter(), time.process_time()
    for name, data in made:
        (target / name).write_bytes(data)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    print(f"floor, the same files written from bytes made beforehand: {elapsed:.2f} s:"
          f" {len(made) / elapsed:,.0f} files/s (CPU {cpu:.2f} s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=10_000)
    parser.add_argument("--dir", type=Path, default=Path(__file__).resolve().parent / "out",
                        help="where the temporary export folder goes (default bench/out)")
    args = parser.parse_args()
    args.dir.mkdir(parents=True, exist_ok=True)

    started = time.perf_counter()
    fatturapa_schema()
    print(f"schema loaded in {time.perf_counter() - started:.3f} s")
    docs = documents(args.n)

    timed("checked and validated, in memory", docs, lambda name, data: None)
    with tempfile.TemporaryDirectory(dir=args.dir) as folder:
        target = Path(folder)
        timed("checked, validated, one file each", docs,
              lambda name, data: (target / name).write_bytes(data))
    with tempfile.TemporaryDirectory(dir=args.dir) as folder:
        floor(Path(folder), docs)
    with tempfile.TemporaryDirectory(dir=args.dir) as folder:
        target = Path(folder)
        with zipfile.ZipFile(target / "export.zip", "w", zipfile.ZIP_DEFLATED) as archive:
            timed("checked, validated, into one ZIP", docs, archive.writestr)


if __name__ == "__main__":
    main()
