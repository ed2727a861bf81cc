"""The stored form of an installment's lines (the ``installment.lines`` column): compact JSON,
one object per invoice line, in the shape ``due --json`` prints plus each line's key. The
one encoder and the one decoder of that text; every reader and writer goes through here."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable
from decimal import Decimal
from functools import lru_cache
from typing import Any

from tui_billing.domain.installments import InstallmentLine
from tui_billing.domain.number_text import decimal_text

#: The key a credit note that bills a line again marks the stored line with (its note's id).
REBILLED = "rebilled_by"

_dumps = json.encoder.encode_basestring  # C-accelerated; keeps non-ASCII text as it is


@lru_cache(maxsize=65536)
def _json_date(value: dt.date | None) -> str:
    return f'"{value.isoformat()}"' if value else "null"


# Pieces of the stored text shared by many lines: the period of a line, and what follows
# its amount. Cleared when they grow too big (they hold a few thousand entries in practice).
_PERIOD_TEXT: dict[tuple[Any, ...], str] = {}
_PRICE_TEXT: dict[tuple[Any, ...], tuple[str, str]] = {}
_PIECES_MAX = 65_536


def _period_text(start: dt.date | None, end: dt.date | None) -> str:
    if len(_PERIOD_TEXT) >= _PIECES_MAX:
        _PERIOD_TEXT.clear()
    text = _PERIOD_TEXT[start, end] = (
        f'"period_start":{_json_date(start)},"period_end":{_json_date(end)},'
    )
    return text


def _price_text(quantity: Decimal, unit_price: Decimal, vat_rate: Decimal) -> tuple[str, str]:
    if len(_PRICE_TEXT) >= _PIECES_MAX:
        _PRICE_TEXT.clear()
    found = _PRICE_TEXT[quantity, unit_price, vat_rate] = (
        f'"quantity":"{decimal_text(quantity, 0)}",'
        f'"unit_price":"{decimal_text(unit_price, 2)}","amount":"',
        f'","vat_rate":"{decimal_text(vat_rate, 2)}"}}',
    )
    return found


def encode_lines(lines: Iterable[InstallmentLine], natures: dict[str, str] | None = None) -> str:
    """The installment's lines as stored (JSON), in the shape ``due --json`` prints plus
    each line's key, and its VAT nature: the line's own, else its contract line's (by key)
    in ``natures``. Written by hand from cached pieces: this runs for every installment
    of every contract."""
    parts = []
    periods, prices = _PERIOD_TEXT, _PRICE_TEXT
    for li in lines:
        amount = str(li.amount)
        if amount[-3:-2] != ".":  # not exactly two decimals (str() of those is plain)
            amount = f"{li.amount:.2f}"
        period = periods.get((li.period_start, li.period_end))
        if period is None:
            period = _period_text(li.period_start, li.period_end)
        price = prices.get((li.quantity, li.unit_price, li.vat_rate))
        if price is None:
            price = _price_text(li.quantity, li.unit_price, li.vat_rate)
        parts.append(
            f'{{"line":{_dumps(li.line_key)},"description":{_dumps(li.description)},'
            f"{period}{price[0]}{amount}{price[1]}"
        )
        nature = li.vat_nature
        if nature is None and natures:
            nature = natures.get(li.line_key)
        if nature is not None:  # 0% lines, interest and fees only: see _with_vat_nature
            parts[-1] = _with_vat_nature(parts[-1], nature)
    return "[" + ",".join(parts) + "]"


def _with_vat_nature(encoded: str, nature: str) -> str:
    """One encoded line with its VAT nature (``"vat_nature":"N1"``) as its last key. Only
    lines that have a nature carry the key, so an ordinary line's stored text is as it was."""
    return f'{encoded[:-1]},"vat_nature":{_dumps(nature)}}}'


def encode_dicts(lines: Iterable[dict[str, Any]]) -> str:
    """Lines already in their stored shape (an order's, a credit note's rebilled marks) as
    stored: compact JSON, non-ASCII text kept as it is."""
    return json.dumps(list(lines), ensure_ascii=False, separators=(",", ":"))


def decode_lines(text: str | None) -> list[dict[str, Any]]:
    """The stored lines as dicts (an empty or missing text is no lines). Raises ValueError
    when the text is not JSON."""
    lines: list[dict[str, Any]] = json.loads(text or "[]")
    return lines


# The text encode_lines writes starts each line with its key, which the output leaves out:
# cut it from the text when the text is in that form (an order's lines too, encoded alike).
_LINE_KEY = re.compile(r'\{"line":"(?:[^"\\]|\\.)*",')


def output_lines_text(text: str | None) -> str:
    """The stored lines without their keys, as compact JSON (``due --json``'s ``lines``);
    straight from the text when :func:`encode_lines` wrote it."""
    if text and text.startswith('[{"line":"'):
        return _LINE_KEY.sub("{", text)
    return encode_dicts(without_keys(decode_lines(text)))


def without_keys(lines: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """The stored lines as people and JSON output see them: without the line key."""
    return [{k: v for k, v in li.items() if k != "line"} for li in lines]
