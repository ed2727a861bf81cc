"""The ``mandates`` section of the interchange file: SEPA mandates matched by reference,
written in the import's transaction and exported in the same shape."""

from __future__ import annotations

from typing import Any

from tui_billing.domain.errors import UserError
from tui_billing.domain.i18n import _
from tui_billing.store.models import Contract, Customer, Mandate

FIELDS = ("signed_on", "scheme", "iban", "bic", "status", "suspended_reason")


def write_mandates(records: list[dict[str, Any]]) -> list[str]:
    """Create or update each mandate (by reference); returns created, updated or unchanged
    per record. Refuses a contract of another customer, and a customer or contract left
    with two active mandates once the file is in (the caller's transaction rolls back)."""
    if not records:
        return []
    customers: dict[str, int] = dict(Customer.select(Customer.code, Customer.id).tuples())
    contracts = {
        code: (cid, owner)
        for code, cid, owner in Contract.select(
            Contract.code, Contract.id, Contract.customer
        ).tuples()
    }
    stored = {m.reference: m for m in Mandate.select()}
    outcomes = []
    for index, record in enumerate(records):
        customer_id = customers[record["customer"]]
        contract_id = None
        if record["contract"] is not None:
            contract_id, owner = contracts[record["contract"]]
            if owner != customer_id:
                raise UserError(
                    _("contract {contract} is not a contract of {customer}").format(
                        contract=repr(record["contract"]), customer=repr(record["customer"])
                    ),
                    f"mandates[{index}].contract",
                )
        values = {
            **{key: record[key] for key in FIELDS},
            "customer": customer_id,
            "contract": contract_id,
        }
        row = stored.get(record["reference"])
        renamed = record["replaces"] is not None and row is None
        if renamed:
            row = _renamed(stored, record, index)
        if row is None:
            Mandate.create(reference=record["reference"], **values)
            outcomes.append("created")
            continue
        current = {key: getattr(row, key) for key in FIELDS}
        current.update(customer=row.customer_id, contract=row.contract_id)
        if current == values and not renamed:
            outcomes.append("unchanged")
            continue
        Mandate.update(**values).where(Mandate.id == row.id).execute()
        outcomes.append("updated")
    _refuse_two_active(records)
    return outcomes


def _renamed(stored: dict[str, Mandate], record: dict[str, Any], index: int) -> Mandate:
    """The stored mandate whose reference was amended to ``record``'s: renamed, keeping its
    collections, so that its next debit goes out as FRST with the original reference
    (EPC AT-24 amendment)."""
    old = stored.get(record["replaces"])
    if old is None:
        raise UserError(
            _("no mandate with reference {reference} to replace").format(
                reference=repr(record["replaces"])
            ),
            f"mandates[{index}].replaces",
        )
    Mandate.update(reference=record["reference"]).where(Mandate.id == old.id).execute()
    old.reference = record["reference"]
    del stored[record["replaces"]]
    stored[record["reference"]] = old
    return old


def _refuse_two_active(records: list[dict[str, Any]]) -> None:
    seen: dict[tuple[int, int | None], str] = {}
    for reference, customer, contract in (
        Mandate.select(Mandate.reference, Mandate.customer, Mandate.contract)
        .where(Mandate.status == "active")
        .order_by(Mandate.reference)
        .tuples()
    ):
        owner = (customer, contract)
        if owner in seen:
            index = next(
                (i for i, r in enumerate(records) if r["reference"] in (reference, seen[owner])), 0
            )
            raise UserError(
                _(
                    "mandates {first} and {second} would both be active "
                    "for the same customer or contract; suspend one of them"
                ).format(first=repr(seen[owner]), second=repr(reference)),
                f"mandates[{index}].status",
            )
        seen[owner] = reference


def export_mandates() -> list[dict[str, Any]]:
    """Every mandate, by reference."""
    customers: dict[int, str] = dict(Customer.select(Customer.id, Customer.code).tuples())
    contracts: dict[int | None, str] = dict(Contract.select(Contract.id, Contract.code).tuples())
    return [
        {
            "reference": m.reference,
            "customer": customers[m.customer_id],
            "contract": contracts.get(m.contract_id),
            "signed_on": m.signed_on.isoformat(),
            "scheme": m.scheme,
            "iban": m.iban,
            "bic": m.bic,
            "status": m.status,
            "suspended_reason": m.suspended_reason,
        }
        for m in Mandate.select().order_by(Mandate.reference)
    ]
