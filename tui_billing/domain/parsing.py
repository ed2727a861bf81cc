"""Reading typed values out of user data (JSON, CSV, forms), each error naming its field.

Strict by type and content: JSON gives whole numbers as numbers and yes/no as true/false
(never 0, "" or "no"), text as strings; values typed as text (spreadsheet cells, form
fields) may spell them as words. Every value keeps the bounds of ``input_rules``, and a
:class:`Reader` remembers which keys were read so that the rest can be refused as unknown.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any, cast, overload

from tui_billing.domain.errors import UserError
from tui_billing.domain.frequency import Frequency
from tui_billing.domain.i18n import _
from tui_billing.domain.input_rules import DECIMAL_LIMIT, MAX_INTEGER, check_date, check_text
from tui_billing.domain.money import parse_decimal
from tui_billing.domain.words import WORDS, code_for

_MISSING = object()
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_WHOLE_NUMBER = re.compile(r"[+-]?[0-9]{1,18}")

#: Keys whose text may run over several lines (up to 1,000 characters); any other text is
#: one line of up to 200.
MULTILINE_KEYS = frozenset({"description", "address", "note", "notes", "reason"})


def parse_iso_date(value: Any, path: str | None = None) -> dt.date:
    """An ISO calendar date, ``YYYY-MM-DD`` in ASCII digits (no week or ordinal dates);
    impossible dates (2024-02-30) are refused."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value.strip()):
        raise UserError(_("not a date (YYYY-MM-DD): {value}").format(value=_shown(value)), path)
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise UserError(_("not a valid date: {value}").format(value=_shown(value)), path) from None


def parse_date(value: Any, path: str | None = None) -> dt.date:
    """A date entered by a user: :func:`parse_iso_date` within 1970-01-01..2199-12-31."""
    return check_date(parse_iso_date(value, path), path)


def _shown(value: Any) -> str:
    """A value quoted in a message, cut short."""
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


class HugeNumber(str):
    """A JSON number literal too long to be any field's value (kept as its text)."""


class Reader:
    """Typed access to one record (a mapping), with paths like ``contracts[3].lines[0]``.

    ``typed_text``: the values were typed as text (CSV cells, form fields), so whole numbers
    and yes/no may come as words. Readers of nested records (:meth:`items`, :meth:`child`)
    share one register of the keys read, which :meth:`refuse_unknown` checks."""

    def __init__(
        self,
        record: Any,
        path: str,
        *,
        typed_text: bool = False,
        _read: dict[str, tuple[Mapping[str, Any], set[str]]] | None = None,
    ) -> None:
        if not isinstance(record, Mapping):
            raise UserError(_("must be an object"), path)
        self.record = record
        self.path = path
        self.typed_text = typed_text
        self._read = {} if _read is None else _read
        self._keys = self._read.setdefault(path, (record, set()))[1]

    def at(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def raw(self, key: str, default: Any = _MISSING) -> Any:
        self._keys.add(key)
        value = self.record.get(key, _MISSING)
        if value is _MISSING or value is None:
            if default is _MISSING:
                raise UserError(_("is required"), self.at(key))
            return default
        return value

    def text(
        self,
        key: str,
        default: Any = _MISSING,
        *,
        multiline: bool | None = None,
        limit: int | None = None,
    ) -> Any:
        """Text, stripped; control characters refused (newlines too, unless ``multiline``,
        by default for the keys of :data:`MULTILINE_KEYS`) and its length capped. Empty
        text is refused where the field has no default, or a default other than none."""
        value = self.raw(key, default)
        if value is default and default is not _MISSING:
            return value
        if not isinstance(value, str):
            raise UserError(_("must be text"), self.at(key))
        value = value.strip()
        if not value:
            if default is _MISSING or default not in (None, ""):
                raise UserError(_("must not be empty"), self.at(key))
            return default
        return check_text(
            value,
            self.at(key),
            limit=limit,
            multiline=key in MULTILINE_KEYS if multiline is None else multiline,
        )

    def optional_text(self, key: str, **checks: Any) -> str | None:
        value = self.text(key, None, **checks)
        return value or None

    @overload
    def date(self, key: str) -> dt.date: ...
    @overload
    def date(self, key: str, default: Any) -> dt.date | None: ...
    def date(self, key: str, default: Any = _MISSING) -> dt.date | None:
        value = self.raw(key, default)
        if value is default and default is not _MISSING:
            return cast("dt.date | None", value)
        return parse_date(value, self.at(key))

    def boolean(self, key: str, default: bool) -> bool:
        value = self.raw(key, default)
        if isinstance(value, bool):
            return value
        if self.typed_text and isinstance(value, str):
            word = value.strip().lower()
            if word in TRUE_WORDS | FALSE_WORDS:
                return word in TRUE_WORDS
        raise UserError(_("must be true or false"), self.at(key))

    def integer(
        self,
        key: str,
        default: Any = _MISSING,
        *,
        minimum: int | None = None,
        maximum: int = MAX_INTEGER,
    ) -> int:
        value = self.raw(key, default)
        if isinstance(value, HugeNumber):
            raise UserError(_("must be at most {maximum}").format(maximum=maximum), self.at(key))
        if self.typed_text and isinstance(value, str) and _WHOLE_NUMBER.fullmatch(value.strip()):
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int):
            raise UserError(_("must be a whole number"), self.at(key))
        lowest = -MAX_INTEGER if minimum is None else minimum
        if value < lowest:
            raise UserError(_("must be at least {minimum}").format(minimum=lowest), self.at(key))
        if value > maximum:
            raise UserError(_("must be at most {maximum}").format(maximum=maximum), self.at(key))
        return value

    def decimal(
        self,
        key: str,
        default: Any = _MISSING,
        *,
        places: int = 4,
        allow_negative: bool = False,
        limit: Decimal = DECIMAL_LIMIT,
    ) -> Decimal:
        value = self.raw(key, default)
        if value is default and default is not _MISSING:
            return cast(Decimal, value)
        if isinstance(value, HugeNumber):
            raise UserError(
                _("must be less than {limit}").format(limit=f"{limit:,f}"), self.at(key)
            )
        return parse_decimal(
            value, self.at(key), allow_negative=allow_negative, places=places, limit=limit
        )

    @overload
    def choice(self, key: str, choices: Iterable[str], default: None) -> str | None: ...
    @overload
    def choice(self, key: str, choices: Iterable[str], default: str = ...) -> str: ...
    def choice(self, key: str, choices: Iterable[str], default: Any = _MISSING) -> str | None:
        value: str | None = self.text(key, default)
        if value is None and default is None:
            return value
        allowed = tuple(choices)
        if value not in allowed and self.typed_text and isinstance(value, str):
            value = _typed_word(value, allowed)
        if value not in allowed:
            raise UserError(
                _("unknown value {value} (one of: {choices})").format(
                    value=_shown(value), choices=", ".join(allowed)
                ),
                self.at(key),
            )
        return value

    def frequency(self, key: str) -> Frequency | None:
        """A frequency (a name or ``{"every": N, "unit": U}``), None when missing or null;
        anything else (``0``, ``""``, ``false``) is refused."""
        value = self.raw(key, None)
        if value is None:
            return None
        if not isinstance(value, str | Mapping):
            raise UserError(
                _("unknown frequency {value}").format(value=_shown(value)), self.at(key)
            )
        return Frequency.parse(value, self.at(key))  # type: ignore[arg-type]

    def child(self, key: str) -> Reader | None:
        """The nested record at ``key`` (None when missing or null)."""
        value = self.raw(key, None)
        if value is None:
            return None
        return Reader(value, self.at(key), typed_text=self.typed_text, _read=self._read)

    def items(self, key: str) -> list[Reader]:
        value = self.raw(key, [])
        if not isinstance(value, list):
            raise UserError(_("must be a list"), self.at(key))
        return [
            Reader(item, f"{self.at(key)}[{i}]", typed_text=self.typed_text, _read=self._read)
            for i, item in enumerate(value)
        ]

    def refuse_unknown(self) -> None:
        """Refuse the first key, in this record or any record read through it, that no
        reader asked for: a field the program does not know is never dropped silently."""
        for path, (record, read) in self._read.items():
            for key in record:
                if key not in read:
                    where = f"{path}.{key}" if path else str(key)
                    near = difflib.get_close_matches(str(key), sorted(read), n=1)
                    message = (
                        _("unknown field (did you mean {name}?)").format(name=repr(near[0]))
                        if near
                        else _("unknown field")
                    )
                    raise UserError(message, where)


def _typed_word(value: str, allowed: tuple[str, ...]) -> str:
    """The code of ``allowed`` that ``value`` names as a word of the product, in Italian or
    English (``anticipato``, ``in advance`` -> ``advance``); else ``value`` as it is."""
    for kind in WORDS:
        code = code_for(kind, value)
        if code is not None and code in allowed:
            return code
    return value


TRUE_WORDS = frozenset({"true", "yes", "y", "1", "si", "sì", "s", "x", "vero"})
FALSE_WORDS = frozenset({"false", "no", "n", "0", "falso"})
