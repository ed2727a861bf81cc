"""Which revenue figure a waiting installment waits for, read back from the line that the
economics wrote for it ("waiting for the revenue of 01/11/2026-30/11/2026"), and said the
way the operator enters it on the revenue screen."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta
from typing import Any

from tui_billing.domain.i18n import _

_WAITING = (
    re.compile(r"waiting for the revenue of (\d{2}/\d{2}/\d{4})-(\d{2}/\d{2}/\d{4})"),
    re.compile(r"in attesa del fatturato dal (\d{2}/\d{2}/\d{4}) al (\d{2}/\d{2}/\d{4})"),
)


def _day(text: str) -> date:
    return datetime.strptime(text, "%d/%m/%Y").date()


def awaited_span(description: str) -> tuple[date, date] | None:
    """The period whose revenue a line waits for, or None when it does not wait."""
    for pattern in _WAITING:
        found = pattern.search(description)
        if found:
            return _day(found.group(1)), _day(found.group(2))
    return None


def span_text(start: date, end: date) -> str:
    """``2026-11`` for a whole month, ``2026-10 to 2026-12`` for whole months, else the
    two days."""
    whole = start.day == 1 and (end + timedelta(days=1)).day == 1
    if whole and (start.year, start.month) == (end.year, end.month):
        return f"{start:%Y-%m}"
    if whole:
        return _("{start} to {end}").format(start=f"{start:%Y-%m}", end=f"{end:%Y-%m}")
    return _("{start} to {end}").format(start=f"{start:%d/%m/%Y}", end=f"{end:%d/%m/%Y}")


def waiting_text(lines: Iterable[Mapping[str, Any]], contract: str) -> str:
    """What a waiting installment waits for: "waits for the revenue of 2026-11 for contract
    K-0127" (every figure its lines wait for); empty when none does."""
    spans: list[tuple[date, date]] = []
    for line in lines:
        span = awaited_span(str(line.get("description", "")))
        if span is not None and span not in spans:
            spans.append(span)
    if not spans:
        return ""
    figures = span_text(*spans[0])
    for span in spans[1:]:
        figures = _("{first} and {second}").format(first=figures, second=span_text(*span))
    return _("waits for the revenue of {figures} for contract {contract}").format(
        figures=figures, contract=contract
    )


__all__ = ["awaited_span", "span_text", "waiting_text"]
