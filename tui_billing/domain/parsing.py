"""Reading typed values out of user data (JSON, CSV, forms), each error naming its field."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from tui_billing.domain.errors import UserError
from tui_billing.domain.money import parse_decimal

_MISSING = object()


def parse_date(value: Any, path: str | None = None) -> dt.date:
    """An ISO date, YYYY-MM-DD; impossible dates (2024-02-30) are refused."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if not isinstance(value, str) or len(value.strip()) != 10:
        raise UserError(f"not a date (YYYY-MM-DD): {value!r}", path)
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise UserError(f"not a valid date: {value!r}", path) from None


class Reader:
    """Typed access to one record (a mapping), with paths like ``contracts[3].lines[0]``."""

    def __init__(self, record: Any, path: str) -> None:
        if not isinstance(record, Mapping):
            raise UserError("must be an object", path)
        self.record = record
        self.path = path

    def at(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def raw(self, key: str, default: Any = _MISSING) -> Any:
        value = self.record.get(key, _MISSING)
        if value is _MISSING or value is None:
            if default is _MISSING:
                raise UserError("is required", self.at(key))
            return default
        return value

    def text(self, key: str, default: Any = _MISSING) -> Any:
        value = self.raw(key, default)
        if value is default and default is not _MISSING:
            return value
        if isinstance(value, bool) or not isinstance(value, str | int):
            raise UserError("must be text", self.at(key))
        value = str(value).strip()
        if not value and default is _MISSING:
            raise UserError("must not be empty", self.at(key))
        return value

    def optional_text(self, key: str) -> str | None:
        value = self.text(key, None)
        return value or None

    def date(self, key: str, default: Any = _MISSING) -> dt.date | None:
        value = self.raw(key, default)
        if value is default and default is not _MISSING:
            return value
        return parse_date(value, self.at(key))

    def boolean(self, key: str, default: bool) -> bool:
        value = self.raw(key, default)
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lower() in TRUE_WORDS | FALSE_WORDS:
            return value.strip().lower() in TRUE_WORDS
        raise UserError("must be true or false", self.at(key))

    def integer(self, key: str, default: Any = _MISSING, *, minimum: int | None = None) -> int:
        value = self.raw(key, default)
        if isinstance(value, str) and value.strip().lstrip("-").isdigit():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int):
            raise UserError("must be a whole number", self.at(key))
        if minimum is not None and value < minimum:
            raise UserError(f"must be at least {minimum}", self.at(key))
        return value

    def decimal(
        self, key: str, default: Any = _MISSING, *, places: int = 4, allow_negative: bool = False
    ) -> Decimal:
        value = self.raw(key, default)
        if value is default and default is not _MISSING:
            return value
        return parse_decimal(value, self.at(key), allow_negative=allow_negative, places=places)

    def choice(self, key: str, choices: Iterable[str], default: Any = _MISSING) -> str:
        value = self.text(key, default)
        allowed = tuple(choices)
        if value not in allowed:
            raise UserError(f"unknown value {value!r} (one of: {', '.join(allowed)})", self.at(key))
        return value

    def items(self, key: str) -> list[Reader]:
        value = self.raw(key, [])
        if not isinstance(value, list):
            raise UserError("must be a list", self.at(key))
        return [Reader(item, f"{self.at(key)}[{i}]") for i, item in enumerate(value)]


TRUE_WORDS = frozenset({"true", "yes", "y", "1", "si", "sì", "x"})
FALSE_WORDS = frozenset({"false", "no", "n", "0", ""})
