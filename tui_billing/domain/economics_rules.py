"""The economics of a contract line (index, step-ups, revenue share, advance and balancing)
read from user data with errors naming the field, kept as canonical JSON, and turned into
the rules the schedule applies."""

from __future__ import annotations

import json
import re
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from tui_billing.domain.errors import UserError
from tui_billing.domain.frequency import Frequency
from tui_billing.domain.i18n import _
from tui_billing.domain.input_rules import check_date
from tui_billing.domain.number_text import decimal_text
from tui_billing.domain.parsing import Reader
from tui_billing.domain.price_rules import IndexRule, PriceRules, StepRule
from tui_billing.domain.revenue_rules import AdvanceRule, RevenueRule

KEYS = ("index", "steps", "revenue", "advance")
_MONTH = re.compile(r"[0-9]{4}-[0-9]{2}(?:-01)?")


@dataclass(frozen=True, slots=True)
class LineEconomics:
    """What changes a line's amount beyond quantity x unit price."""

    prices: PriceRules | None = None
    revenue: RevenueRule | None = None
    advance: AdvanceRule | None = None


def parse_month(value: Any, path: str) -> date:
    """``YYYY-MM`` (or the first day of a month, ``YYYY-MM-01``) as the month's first day."""
    text = value.strip() if isinstance(value, str) else None
    try:
        if text is None or not _MONTH.fullmatch(text):
            raise ValueError
        day = date.fromisoformat(text[:7] + "-01")
    except ValueError:
        raise UserError(
            _("not a month (YYYY-MM): {value}").format(value=repr(str(value)[:40])), path
        ) from None
    return check_date(day, path)


def _text(value: Decimal) -> str:
    return decimal_text(value)


def _percent(r: Reader, key: str, *, allow_negative: bool = False, top: int = 100) -> Decimal:
    value = r.decimal(key, places=4, allow_negative=allow_negative)
    if not allow_negative and (value <= 0 or value > top):
        raise UserError(
            _("must be a percentage above 0 and at most {top}").format(top=top), r.at(key)
        )
    return value


def _read_index(r: Reader) -> dict[str, Any]:
    series = r.text("series")
    share = _percent(r, "share")
    month = r.integer("month")
    if not 1 <= month <= 12:
        raise UserError(_("must be a month number from 1 to 12"), r.at("month"))
    base_month = parse_month(r.raw("base_month"), r.at("base_month"))
    return {
        "series": series,
        "share": _text(share),
        "month": month,
        "base_month": base_month.isoformat()[:7],
    }


def _read_step(r: Reader) -> dict[str, Any]:
    start = r.date("from")
    amount = r.raw("amount", None)
    percent = r.raw("percent", None)
    if (amount is None) == (percent is None):
        raise UserError(_("give either amount or percent"), r.path)
    if amount is not None:
        return {
            "from": start.isoformat(),
            "amount": _text(r.decimal("amount", places=4, allow_negative=True)),
        }
    return {
        "from": start.isoformat(),
        "percent": _text(_step_percent(r)),
    }


def _step_percent(r: Reader) -> Decimal:
    """A step-up (or -down) in percent: at most a doubling or a price of zero per step."""
    value = r.decimal("percent", places=4, allow_negative=True)
    if not -100 <= value <= 100:
        raise UserError(_("must be a percentage between -100 and 100"), r.at("percent"))
    return value


def _read_revenue(r: Reader) -> dict[str, Any]:
    return {"percent": _text(_percent(r, "percent")), "minimum": r.boolean("minimum", False)}


def _read_advance(r: Reader) -> dict[str, Any]:
    balance = r.frequency("balance")
    if balance is None:
        raise UserError(_("is required"), r.at("balance"))
    rate = r.decimal("rate", Decimal(1), places=6)
    as_json = balance.to_json()
    return {"balance": as_json, "rate": _text(rate)}


def read_line_economics(r: Reader, recurring: bool) -> str | None:
    """The economics keys of an interchange line, validated, as canonical JSON text; None
    when the line has none. Errors name the field: ``contracts[0].lines[1].index.share``."""
    found: dict[str, Any] = {}
    part = r.child("index")
    if part is not None:
        found["index"] = _read_index(part)
    steps = [_read_step(sr) for sr in r.items("steps")]
    if steps:
        starts = [s["from"] for s in steps]
        if len(set(starts)) != len(starts):
            raise UserError(_("two step-ups start on the same day"), r.at("steps"))
        found["steps"] = sorted(steps, key=lambda s: s["from"])
    part = r.child("revenue")
    if part is not None:
        found["revenue"] = _read_revenue(part)
    part = r.child("advance")
    if part is not None:
        found["advance"] = _read_advance(part)
    if not found:
        return None
    for key in found:
        if not recurring:
            raise UserError(_("only a recurring line can have it"), r.at(key))
    if "revenue" in found and "advance" in found:
        raise UserError(
            _("a line bills either a share of revenue or an advance, not both"), r.at("advance")
        )
    return json.dumps(found, sort_keys=True, separators=(",", ":"))


def check_index_series(text: str | None, known: Collection[str], path: str) -> None:
    """Refuse stored (canonical) economics whose index names a series not in ``known``:
    a typo would otherwise keep the line at its price, with only a warning at billing time.
    The error names ``{path}.index.series``."""
    series = json.loads(text).get("index", {}).get("series") if text else None
    if series is not None and series not in known:
        message = (
            _("unknown index series {series} (known: {known})")
            if known
            else _("unknown index series {series} (known: none; import its values first)")
        )
        raise UserError(
            message.format(series=repr(series), known=", ".join(sorted(known))),
            f"{path}.index.series",
        )


def economics_json(text: str | None) -> dict[str, Any]:
    """The stored economics of a line as the interchange keys (empty when none)."""
    return json.loads(text) if text else {}


def line_economics(text: str) -> LineEconomics:
    """The rules of stored (canonical) economics JSON."""
    data = json.loads(text)
    prices = None
    index = data.get("index")
    steps = tuple(
        StepRule(
            date.fromisoformat(s["from"]),
            Decimal(s["amount"]) if "amount" in s else None,
            Decimal(s["percent"]) if "percent" in s else None,
        )
        for s in data.get("steps", ())
    )
    if index is not None or steps:
        prices = PriceRules(
            IndexRule(
                index["series"],
                Decimal(index["share"]),
                int(index["month"]),
                date.fromisoformat(index["base_month"] + "-01"),
            )
            if index
            else None,
            steps,
        )
    revenue = data.get("revenue")
    advance = data.get("advance")
    return LineEconomics(
        prices,
        RevenueRule(Decimal(revenue["percent"]), bool(revenue.get("minimum"))) if revenue else None,
        AdvanceRule(Frequency.parse(advance["balance"]), Decimal(advance.get("rate", "1")))
        if advance
        else None,
    )


__all__ = [
    "KEYS",
    "LineEconomics",
    "check_index_series",
    "economics_json",
    "line_economics",
    "parse_month",
    "read_line_economics",
]
