"""The company (the seller) as stored: one row shared by every operator and the cron host."""

from __future__ import annotations

from typing import Any

from peewee import Database

from tui_billing.domain.parties import COMPANY_FIELDS, COMPANY_SETTINGS
from tui_billing.store.models import Company
from tui_billing.store.transactions import write_transaction

_ROW_ID = 1


def company_values() -> dict[str, Any] | None:
    """The seller's fields (``domain.parties.COMPANY_FIELDS``) and the company's settings
    (``COMPANY_SETTINGS``); None when there is none."""
    row = Company.get_or_none(Company.id == _ROW_ID)
    if row is None:
        return None
    return {key: getattr(row, key) for key in (*COMPANY_FIELDS, *COMPANY_SETTINGS)}


def save_company(db: Database, values: dict[str, Any]) -> str:
    """Store the seller (values as ``domain.parties.read_company`` gives them); returns
    created, updated or unchanged."""
    with write_transaction(db):
        current = company_values()
        if current == values:
            return "unchanged"
        if current is None:
            Company.create(id=_ROW_ID, **values)
            return "created"
        Company.update(**values).where(Company.id == _ROW_ID).execute()
    return "updated"


__all__ = ["company_values", "save_company"]
