"""Archived customers: kept because their documents name them, hidden from the lists, and
given no new contract or order (restore one first)."""

from __future__ import annotations

from tui_billing.domain.errors import UserError
from tui_billing.domain.i18n import _


def refuse_archived_customer(code: str, record: str, path: str) -> None:
    """Refuse a new ``record`` (contract, order) for the archived customer ``code``."""
    if record == "order":
        message = _("customer {code} is archived: restore it before giving it a new order")
    elif record == "contract":
        message = _("customer {code} is archived: restore it before giving it a new contract")
    else:  # pragma: no cover - every caller names a contract or an order
        message = _("customer {code} is archived: restore it first")
    raise UserError(message.format(code=repr(code)), path)


__all__ = ["refuse_archived_customer"]
