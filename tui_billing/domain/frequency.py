"""Billing frequencies: every N days, weeks, months or years, with their names and labels."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from tui_billing.domain.dates import clamped
from tui_billing.domain.errors import UserError
from tui_billing.domain.i18n import _

UNITS = ("day", "week", "month", "year")

#: The named frequencies of the interchange format, in the order a picker shows them.
NAMED: dict[str, tuple[int, str]] = {
    "daily": (1, "day"),
    "weekly": (1, "week"),
    "monthly": (1, "month"),
    "bimonthly": (2, "month"),
    "quarterly": (3, "month"),
    "fourmonthly": (4, "month"),
    "semiannual": (6, "month"),
    "annual": (1, "year"),
}
_NAME_OF = {value: name for name, value in NAMED.items()}

# Other spellings an operator may type; the canonical name is what to_json() gives back.
_ALIASES = {
    "giornaliera": "daily",
    "settimanale": "weekly",
    "mensile": "monthly",
    "bimestrale": "bimonthly",
    "trimestrale": "quarterly",
    "quadrimestrale": "fourmonthly",
    "semestrale": "semiannual",
    "annuale": "annual",
    "four-monthly": "fourmonthly",
    "semi-annual": "semiannual",
    "yearly": "annual",
}

_LABELS = {
    "en": {
        "daily": "daily",
        "weekly": "weekly",
        "monthly": "monthly",
        "bimonthly": "bimonthly",
        "quarterly": "quarterly",
        "fourmonthly": "four-monthly",
        "semiannual": "semiannual",
        "annual": "annual",
    },
    "it": {
        "daily": "giornaliera",
        "weekly": "settimanale",
        "monthly": "mensile",
        "bimonthly": "bimestrale",
        "quarterly": "trimestrale",
        "fourmonthly": "quadrimestrale",
        "semiannual": "semestrale",
        "annual": "annuale",
    },
}
_UNIT_WORDS = {
    "en": {"day": "days", "week": "weeks", "month": "months", "year": "years"},
    "it": {"day": "giorni", "week": "settimane", "month": "mesi", "year": "anni"},
}
_EVERY = {"en": "every", "it": "ogni"}

#: Upper bound of ``every``: keeps dates in range and typos visible.
MAX_EVERY = 1000


def _shown(value: Any) -> str:
    text = str(value)
    return f"'{text}'" if len(text) <= 40 else f"'{text[:37]}...'"


@dataclass(frozen=True, slots=True)
class Frequency:
    """Every ``every`` ``unit``s ("day", "week", "month" or "year")."""

    every: int
    unit: str

    def __post_init__(self) -> None:
        if self.unit not in UNITS:
            raise UserError(_("unknown frequency unit '{unit}'").format(unit=self.unit))
        if isinstance(self.every, bool) or not isinstance(self.every, int):
            raise UserError(_("the frequency's 'every' must be a whole number"))
        if not 1 <= self.every <= MAX_EVERY:
            raise UserError(
                _("the frequency's 'every' must be between 1 and {maximum}").format(
                    maximum=MAX_EVERY
                )
            )

    @classmethod
    def parse(cls, value: str | dict[str, Any] | Frequency, path: str | None = None) -> Frequency:
        """Read a name (``"quarterly"``) or ``{"every": N, "unit": U}``; UserError at ``path``."""
        if isinstance(value, Frequency):
            return value
        if isinstance(value, str) and value.lstrip().startswith("{"):
            try:
                value = json.loads(value)
            except (ValueError, RecursionError):
                raise UserError(
                    _("unknown frequency {value}").format(value=_shown(value)), path
                ) from None
        if isinstance(value, str):
            key = value.strip().lower()
            key = _ALIASES.get(key, key)
            if key in NAMED:
                return cls(*NAMED[key])
            raise UserError(_("unknown frequency {value}").format(value=_shown(value)), path)
        if isinstance(value, dict):
            extra = sorted(set(value) - {"every", "unit"})
            if extra:
                raise UserError(_("unknown frequency key '{key}'").format(key=extra[0]), path)
            every = value.get("every")
            every_path = f"{path}.every" if path else "every"
            if isinstance(every, str) and re.fullmatch(r"[0-9]{1,4}", every.strip()):
                every = int(every.strip())
            if isinstance(every, bool) or not isinstance(every, int):
                raise UserError(_("must be a whole number"), every_path)
            if not 1 <= every <= MAX_EVERY:
                raise UserError(
                    _("must be between 1 and {maximum}").format(maximum=MAX_EVERY), every_path
                )
            unit = value.get("unit")
            unit_path = f"{path}.unit" if path else "unit"
            if not isinstance(unit, str) or len(unit) > 10:
                raise UserError(_("must be one of day, week, month, year"), unit_path)
            norm = unit.strip().lower()
            if norm.endswith("s"):
                norm = norm[:-1]
            if norm not in UNITS:
                raise UserError(_("unknown frequency unit '{unit}'").format(unit=unit), unit_path)
            return cls(every, norm)
        raise UserError(_("unknown frequency {value}").format(value=_shown(value)), path)

    @property
    def name(self) -> str | None:
        """The interchange name (``"quarterly"``), or None for a frequency without one."""
        return _NAME_OF.get((self.every, self.unit))

    def to_json(self) -> str | dict[str, Any]:
        """The interchange form: the name when there is one, else ``{"every": N, "unit": U}``."""
        name = _NAME_OF.get((self.every, self.unit))
        if name is not None:
            return name
        return {"every": self.every, "unit": self.unit}

    @property
    def months(self) -> int | None:
        """Length in months for month and year units; None for days and weeks."""
        if self.unit == "month":
            return self.every
        if self.unit == "year":
            return 12 * self.every
        return None

    @property
    def days(self) -> int | None:
        """Length in days for day and week units; None for months and years."""
        if self.unit == "day":
            return self.every
        if self.unit == "week":
            return 7 * self.every
        return None

    def add(self, d: date, k: int = 1) -> date:
        """``d`` plus ``k`` times this frequency; months and years clamp to the month's end."""
        months = self.months
        if months is None:
            days = self.days
            assert days is not None  # no months: a frequency in days or weeks
            return d + timedelta(days=k * days)
        return clamped(d.year * 12 + d.month - 1 + k * months, d.day)

    def label(self, language: str = "en") -> str:
        """A human label, English or Italian: ``"quarterly"``, ``"ogni 2 settimane"``."""
        lang = language if language in _LABELS else "en"
        name = _NAME_OF.get((self.every, self.unit))
        if name is not None:
            return _LABELS[lang][name]
        return f"{_EVERY[lang]} {self.every} {_UNIT_WORDS[lang][self.unit]}"

    def __str__(self) -> str:
        return self.label("en")


__all__ = ["MAX_EVERY", "NAMED", "UNITS", "Frequency"]
