"""Counts as people read them: ``1 invoice``, ``2 invoices``, ``1,383 invoices``."""

from __future__ import annotations


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """``count`` (with thousands separators) and the noun that agrees with it."""
    return f"{count:,} {singular if count == 1 else (plural_form or singular + 's')}"


__all__ = ["plural"]
