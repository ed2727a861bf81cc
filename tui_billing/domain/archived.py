"""Archived customers: kept because their documents name them, hidden from the lists, and
given no new contract or order (restore one first)."""

from __future__ import annotations

from tui_billing.domain.errors import UserError


def refuse_archived_customer(code: str, record: str, path: str) -> None:
    """Refuse a new ``record`` (contract, order) for the archived customer ``code``."""
    raise UserError(
        f"customer {code!r} is archived: restore it before giving it a new {record}", path
    )


__all__ = ["refuse_archived_customer"]
