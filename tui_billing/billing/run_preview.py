"""What a billing run would do, worked out before it is started: the run rehearsed as a dry
run (everything it writes rolled back), then the invoices it would write, their dates and
the numbers they would take in each series. The runs screen names them in the question it
asks before a real run ("Issue 12 invoices dated 06/12/2026, numbers A/2026/0411-0422?").

It reads the database for as long as a dry run of the same run takes: call it from a
worker thread, never from the UI thread."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace

from peewee import Database

from tui_billing.billing.numbering import Number, preview_numbers
from tui_billing.billing.run import RunOptions, run_billing
from tui_billing.config import Config
from tui_billing.domain.number_formats import numbering_class

_TAIL = re.compile(r"([0-9]+)$")


@dataclass(frozen=True)
class RunPreview:
    """The run as it would go now: how many invoices, their dates, the numbers they take
    (empty when they stay drafts), and the contracts it would fail or warn about."""

    on: dt.date
    status: str  # draft or issued: what the invoices would be
    invoices: int
    dates: tuple[dt.date, ...] = ()
    numbers: tuple[Number, ...] = field(default=())
    installments: int = 0
    failed: int = 0
    warnings: int = 0
    seller_missing: str | None = None  # issuing is refused: the seller is incomplete

    @property
    def first_date(self) -> dt.date | None:
        return min(self.dates) if self.dates else None

    @property
    def last_date(self) -> dt.date | None:
        return max(self.dates) if self.dates else None


def _number(text: str, date: dt.date, document_type: str) -> Number:
    """A number a dry run gave, as :func:`~tui_billing.billing.numbering.preview_numbers`
    describes one (its sequence is the digits it ends with)."""
    match = _TAIL.search(text)
    return Number(
        date.year, int(match.group(1)) if match else 0, text, numbering_class(document_type)
    )


def preview_run(db: Database, options: RunOptions, config: Config) -> RunPreview:
    """What ``options`` would do if the run started now (read-only: a dry run, rolled back).
    When the dry run left some invoices without a number while the run issues, the numbers
    are those each series would give next (``numbering.preview_numbers``)."""
    status = options.status or config.billing.status
    report = run_billing(db, replace(options, dry_run=True), config)
    created = [i for i in report.invoices if not i.appended]
    numbers: list[Number] = []
    if status == "issued" and report.seller_missing is None and created:
        if all(i.number for i in created):  # the very numbers the run would take
            numbers = [_number(str(i.number), i.date, i.document_type) for i in created]
        else:
            numbers = preview_numbers([(i.series, i.date, i.document_type) for i in created])
    return RunPreview(
        on=options.on,
        status=status,
        invoices=len(created),
        dates=tuple(sorted({i.date for i in created})),
        numbers=tuple(numbers),
        installments=report.installments_billed,
        failed=len(report.failed),
        warnings=len(report.warnings),
        seller_missing=report.seller_missing,
    )


__all__ = ["RunPreview", "preview_run"]
