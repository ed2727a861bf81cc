"""A contract line's economics as an operator types them in a form, turned into the
interchange keys (``index``, ``steps``, ``revenue``, ``advance``) that the import checks.

Each part is a mapping of text (``"75"``, ``"7,5"``, ``"10/2024"``); a part whose defining
field is empty (the index series, the revenue percent, the balance frequency) is no rule,
whatever its other fields hold. Step-ups are one line of text, ``01/07/2026 +50;
01/07/2027 +3%``. Errors name the key they are about: ``steps``, ``index.base_month``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from typing import Any

from tui_billing.billing.wording import _
from tui_billing.domain.errors import UserError
from tui_billing.domain.money import parse_decimal
from tui_billing.domain.parsing import parse_date
from tui_billing.output.csv_import import plain_number

#: Each part and the field without which it is no rule.
DEFINING = {"index": "series", "revenue": "percent", "advance": "balance"}
_NUMBERS = {"share", "percent", "rate"}
_DAY_FIRST = re.compile(r"^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$")
_MONTH_FIRST = re.compile(r"^(\d{1,2})[/.-](\d{4})$")
_STEP = re.compile(r"^(?P<day>\S+)\s+(?P<sign>[+-]?)\s*(?P<change>[\d.,]+)\s*(?P<percent>%?)$")
STEPS_EXAMPLE = "01/07/2026 +50; 01/07/2027 +3%"


def typed_economics(line: Mapping[str, Any]) -> dict[str, Any]:
    """``line`` with its economics parts in the interchange form (others left as they are)."""
    typed = dict(line)
    for key, defining in DEFINING.items():
        part = line.get(key)
        if isinstance(part, Mapping):
            typed[key] = _typed_part(part, defining)
    if isinstance(line.get("steps"), str):
        typed["steps"] = parse_steps(line["steps"])
    return typed


def _typed_part(part: Mapping[str, Any], defining: str) -> dict[str, Any] | None:
    typed = {key: _typed_value(key, value) for key, value in part.items()}
    if typed.get(defining) in (None, ""):
        return None
    return typed


def _typed_value(key: str, value: Any) -> Any:
    if not isinstance(value, str):
        return value
    text = value.strip()
    if not text:
        return None
    if key in _NUMBERS:
        return plain_number(text.removesuffix("%").strip())
    if key == "base_month":
        match = _MONTH_FIRST.match(text)
        if match:
            return f"{match.group(2)}-{int(match.group(1)):02d}"
    return text


def parse_steps(text: str) -> list[dict[str, str]]:
    """Step-ups typed as ``DATE CHANGE`` entries separated by ``;``: the change an amount
    (``+50``, ``-12,50``) or a percentage (``+3%``); the date ``dd/mm/yyyy`` or ISO."""
    steps = []
    entries = [entry.strip() for entry in re.split(r"[;\n]", text) if entry.strip()]
    for number, entry in enumerate(entries, start=1):
        match = _STEP.match(entry)
        if match is None:
            raise UserError(
                _(
                    "step {number} {entry!r}: write a date and a change, e.g. {steps_example}"
                ).format(number=number, entry=entry, steps_example=STEPS_EXAMPLE),
                "steps",
            )
        try:
            day = parse_date(_iso_day(match["day"]))
            change = parse_decimal(
                match["sign"] + plain_number(match["change"]), allow_negative=True, places=4
            )
        except UserError as exc:
            raise UserError(
                _("step {number} {entry!r}: {message}").format(
                    number=number, entry=entry, message=exc.message
                ),
                "steps",
            ) from None
        key = "percent" if match["percent"] else "amount"
        steps.append({"from": day.isoformat(), key: format(change, "f")})
    return steps


def _iso_day(text: str) -> str:
    match = _DAY_FIRST.match(text)
    if match:
        day, month, year = match.groups()
        return f"{year}-{int(month):02d}-{int(day):02d}"
    return text


def steps_text(steps: Sequence[Mapping[str, Any]] | None) -> str:
    """Stored step-ups as an operator types them (the inverse of :func:`parse_steps`)."""
    entries = []
    for step in steps or ():
        day = dt.date.fromisoformat(step["from"])
        percent = "percent" in step
        value = str(step["percent"] if percent else step["amount"])
        sign = "" if value.startswith("-") else "+"
        entries.append(f"{day:%d/%m/%Y} {sign}{value}{'%' if percent else ''}")
    return "; ".join(entries)


__all__ = ["DEFINING", "STEPS_EXAMPLE", "parse_steps", "steps_text", "typed_economics"]
