"""The demo database: the interchange data under sample_db/, its dates moved to today."""

from __future__ import annotations

import datetime as dt
import json
from importlib import resources
from typing import Any

from dateutil.relativedelta import relativedelta

DATE_KEYS = frozenset(
    {
        "start_date",
        "end_date",
        "valid_from",
        "valid_to",
        "date",
        "from",
        "signed_on",
        "to",
        "period_start",
        "period_end",
        "notice_date",
        "ends_on",
    }
)
MONTH_KEYS = frozenset({"month", "base_month"})  # "YYYY-MM": index values, index rules


# The demo's profiles: a maintenance company (the default), a professional's studio whose
# monthly retainers carry the withholding tax and the INPS contribution.
PROFILES = {"default": "demo.json", "studio": "studio.json"}


def load_demo_document(profile: str = "default") -> dict[str, Any]:
    text = resources.files("tui_billing.sample_db").joinpath(PROFILES[profile]).read_text("utf-8")
    return json.loads(text)


def months_between(earlier: dt.date, later: dt.date) -> int:
    return (later.year - earlier.year) * 12 + later.month - earlier.month


def shift_date(value: dt.date, months: int) -> dt.date:
    """Move by whole months; a month's last day stays the last day of the new month."""
    shifted = value + relativedelta(months=months)
    if (value + dt.timedelta(days=1)).day == 1:
        shifted += relativedelta(day=31)
    return shifted


def shift_month_number(month: int, months: int) -> int:
    """The month of the year (1-12) ``months`` later."""
    return (month - 1 + months) % 12 + 1


def _shift_value(key: str, value: Any, months: int) -> Any:
    if key in DATE_KEYS and isinstance(value, str):
        return shift_date(dt.date.fromisoformat(value), months).isoformat()
    if key in MONTH_KEYS and isinstance(value, str):
        return shift_date(dt.date.fromisoformat(value + "-01"), months).isoformat()[:7]
    if key == "month" and isinstance(value, int):  # an index rule's month of adjustment
        return shift_month_number(value, months)
    return shift_dates(value, months)


def shift_dates(node: Any, months: int) -> Any:
    """Move every date and month of the document by whole months (day clamped to the
    month's end), so that month-end and calendar alignments keep their meaning, and an
    index rule's month of the year moves with them."""
    if isinstance(node, dict):
        return {k: _shift_value(k, v, months) for k, v in node.items()}
    if isinstance(node, list):
        return [shift_dates(v, months) for v in node]
    return node


def demo_document(today: dt.date, profile: str = "default") -> dict[str, Any]:
    """The demo data (the interchange sections) with its reference date moved to
    ``today``'s month."""
    document = load_demo_document(profile)
    document.pop("payment_habits", None)
    reference = dt.date.fromisoformat(document.pop("reference_date", today.isoformat()))
    return shift_dates(document, months_between(reference, today))


def demo_reference_date() -> dt.date:
    """The date the demo data is written relative to."""
    return dt.date.fromisoformat(load_demo_document()["reference_date"])


def demo_payment_habits(profile: str = "default") -> dict[str, dict[str, Any]]:
    """How each customer of the demo pays (by customer code); the others pay on time."""
    return load_demo_document(profile).get("payment_habits", {})
