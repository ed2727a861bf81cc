"""The demo database: the interchange data under sample_db/, its dates moved to today."""

from __future__ import annotations

import datetime as dt
import json
from importlib import resources
from typing import Any

from dateutil.relativedelta import relativedelta

DATE_KEYS = frozenset({"start_date", "end_date", "valid_from", "valid_to", "date"})


def load_demo_document() -> dict[str, Any]:
    text = resources.files("tui_billing.sample_db").joinpath("demo.json").read_text("utf-8")
    return json.loads(text)


def months_between(earlier: dt.date, later: dt.date) -> int:
    return (later.year - earlier.year) * 12 + later.month - earlier.month


def shift_date(value: dt.date, months: int) -> dt.date:
    """Move by whole months; a month's last day stays the last day of the new month."""
    shifted = value + relativedelta(months=months)
    if (value + dt.timedelta(days=1)).day == 1:
        shifted += relativedelta(day=31)
    return shifted


def shift_dates(node: Any, months: int) -> Any:
    """Move every date of the document by whole months (day clamped to the month's end), so
    that month-end and calendar alignments keep their meaning."""
    if isinstance(node, dict):
        return {
            k: (
                shift_date(dt.date.fromisoformat(v), months).isoformat()
                if k in DATE_KEYS and isinstance(v, str)
                else shift_dates(v, months)
            )
            for k, v in node.items()
        }
    if isinstance(node, list):
        return [shift_dates(v, months) for v in node]
    return node


def demo_document(today: dt.date) -> dict[str, Any]:
    """The demo data with its reference date moved to ``today``'s month."""
    document = load_demo_document()
    reference = dt.date.fromisoformat(document.pop("reference_date", today.isoformat()))
    return shift_dates(document, months_between(reference, today))
