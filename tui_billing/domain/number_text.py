"""Decimals as text for people and JSON: plain notation always (``120.0``, never ``1.2E+2``,
which ``str()`` of a normalized Decimal gives), trailing zeros dropped down to a minimum of
decimals."""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache

#: The decimals an index value keeps at least (ISTAT publishes them with one).
INDEX_PLACES = 1


@lru_cache(maxsize=65536)
def decimal_text(value: Decimal, min_places: int = 0) -> str:
    """``value`` in plain notation with as many decimals as it needs, at least
    ``min_places``: 1.500 -> ``1.5``, 120 -> ``120``, 120 with one place -> ``120.0``."""
    text = format(value.normalize(), "f") if value else "0"
    if min_places:
        whole, _, frac = text.partition(".")
        if len(frac) < min_places:
            text = f"{whole}.{frac.ljust(min_places, '0')}"
    return text


def index_text(value: Decimal) -> str:
    """An index value or variation as published: ``120.0``, ``118.6``."""
    return decimal_text(value, INDEX_PLACES)


def plain_decimal(value: Decimal, min_places: int = 0) -> Decimal:
    """``value`` without needless trailing zeros, yet whose ``str()`` is plain notation with
    at least ``min_places`` decimals (where ``normalize()`` would make 120 ``1.2E+2``)."""
    return Decimal(decimal_text(value, min_places))


__all__ = ["INDEX_PLACES", "decimal_text", "index_text", "plain_decimal"]
