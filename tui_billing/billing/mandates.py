"""SEPA mandates in use: which one collects an invoice, and suspending or reactivating one
(a mandate suspended is not collected until it is active again)."""

from __future__ import annotations

from peewee import Database

from tui_billing.billing.wording import _
from tui_billing.domain.errors import UserError
from tui_billing.store.models import Mandate
from tui_billing.store.transactions import write_transaction


def suspend_mandate(db: Database, reference: str, reason: str) -> Mandate:
    """Suspend the mandate ``reference``, saying why (two returns in a row, the debtor's
    revocation...); its invoices are left out of direct debit files until reactivated."""
    if not reason or not reason.strip():
        raise UserError(_("a suspended mandate says why"), "reason")
    with write_transaction(db):
        mandate = _mandate(reference)
        Mandate.update(status="suspended", suspended_reason=reason.strip()).where(
            Mandate.id == mandate.id
        ).execute()
    return Mandate.get_by_id(mandate.id)


def reactivate_mandate(db: Database, reference: str) -> Mandate:
    """Make a suspended mandate active again (refused when its customer or contract has
    another active mandate meanwhile)."""
    with write_transaction(db):
        mandate = _mandate(reference)
        other = Mandate.select().where(
            Mandate.customer == mandate.customer_id,
            Mandate.status == "active",
            Mandate.id != mandate.id,
        )
        other = other.where(
            Mandate.contract.is_null()
            if mandate.contract_id is None
            else Mandate.contract == mandate.contract_id
        )
        found = other.first()
        if found is not None:
            raise UserError(
                _("{reference} is active for the same customer or contract").format(
                    reference=found.reference
                ),
                "reference",
            )
        Mandate.update(status="active", suspended_reason=None).where(
            Mandate.id == mandate.id
        ).execute()
    return Mandate.get_by_id(mandate.id)


def _mandate(reference: str) -> Mandate:
    mandate = Mandate.get_or_none(Mandate.reference == reference)
    if mandate is None:
        raise UserError(
            _("no mandate with reference {reference!r}").format(reference=reference), "reference"
        )
    return mandate


__all__ = ["reactivate_mandate", "suspend_mandate"]
