"""Creating, editing, archiving and deleting a customer from a form or the command line,
each value checked exactly as the interchange import checks a customer
(:func:`~tui_billing.output.interchange_read.read_customer`): a refusal names its field
(``customer.vat_number``) and nothing is written.

Issued documents keep the parties as they were when issued (their snapshots): editing a
customer never changes one."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from peewee import Database

from tui_billing.billing.wording import _, ngettext
from tui_billing.domain.errors import UserError
from tui_billing.domain.parsing import Reader
from tui_billing.domain.parties import CUSTOMER_PARTY_FIELDS, vat_text
from tui_billing.output.interchange_read import read_customer
from tui_billing.store.models import Contract, Customer, Invoice, Mandate, Order
from tui_billing.store.transactions import write_transaction

PATH = "customer"

#: What a form edits, in the interchange's names (``vat_number`` with its country prefix;
#: ``vat_country`` comes from it).
FORM_FIELDS = (
    "code",
    "name",
    *(key for key in CUSTOMER_PARTY_FIELDS if key != "vat_country"),
    "email",
    "payment_method",
    "payment_terms_days",
    "iban",
    "collective_billing",
    "language",
    "withholding_agent",
)


def find_customer(code: str) -> Customer:
    customer = Customer.get_or_none(Customer.code == code)
    if customer is None:
        raise UserError(_("no customer with code {code!r}").format(code=code), f"{PATH}.code")
    return customer


def customer_record(code: str) -> dict[str, Any]:
    """The customer as a form edits it: text, yes/no, the VAT number with its prefix."""
    c = find_customer(code)
    record = {key: getattr(c, key) for key in FORM_FIELDS}
    record["vat_number"] = vat_text({"vat_country": c.vat_country, "vat_number": c.vat_number})
    record["payment_terms_days"] = str(c.payment_terms_days)
    record["archived"] = c.archived
    return record


def _typed(value: Any) -> Any:
    """A value as typed: text stripped, empty text is no value."""
    if isinstance(value, str):
        return value.strip() or None
    return value


def checked_customer(values: Mapping[str, Any]) -> dict[str, Any]:
    """``values`` validated as the import validates a customer (words for yes/no and
    numbers allowed); an unknown field is refused, naming it."""
    reader = Reader({k: _typed(v) for k, v in values.items()}, PATH, typed_text=True)
    record = read_customer(reader)
    reader.refuse_unknown()
    return record


def create_customer(db: Database, values: Mapping[str, Any]) -> int:
    """A new (active) customer from ``values``; returns its id."""
    with write_transaction(db):
        record = checked_customer({k: v for k, v in values.items() if k != "archived"})
        if Customer.get_or_none(Customer.code == record["code"]) is not None:
            raise UserError(
                _("a customer {code!r} exists already").format(code=record["code"]), f"{PATH}.code"
            )
        return Customer.create(**record).id


def update_customer(db: Database, code: str, changes: Mapping[str, Any]) -> bool:
    """Change the customer ``code``'s fields (its code stays: files and documents refer to
    it; archive with :func:`set_archived`); returns whether anything changed."""
    if _typed(changes.get("code")) not in (None, code):
        raise UserError(_("cannot be changed (documents and files refer to it)"), f"{PATH}.code")
    if "archived" in changes:
        raise UserError(
            _("cannot be changed here (archive or restore the customer)"), f"{PATH}.archived"
        )
    with write_transaction(db):
        customer = find_customer(code)
        current = customer_record(code)
        wanted = {**current, **{k: v for k, v in changes.items() if k not in ("code", "archived")}}
        record = checked_customer(wanted)
        changed = {k: v for k, v in record.items() if getattr(customer, k) != v}
        if changed:
            Customer.update(**changed).where(Customer.id == customer.id).execute()
        return bool(changed)


def usage(customer: Customer) -> list[str]:
    """What keeps ``customer`` from being deleted: ``["2 contracts", "5 invoices"]``."""
    found = []
    for model, kind in (
        (Contract, "contract"),
        (Order, "order"),
        (Invoice, "invoice"),
        (Mandate, "mandate"),
    ):
        count = model.select().where(model.customer == customer.id).count()
        if count:
            found.append(_counted(kind, count))
    return found


def _counted(kind: str, count: int) -> str:
    """``2 contracts``, ``1 invoice`` in the language in use."""
    if kind == "contract":
        text = ngettext("{count} contract", "{count} contracts", count)
    elif kind == "order":
        text = ngettext("{count} order", "{count} orders", count)
    elif kind == "invoice":
        text = ngettext("{count} invoice", "{count} invoices", count)
    else:
        text = ngettext("{count} mandate", "{count} mandates", count)
    return text.format(count=count)


def delete_customer(db: Database, code: str) -> None:
    """Delete a customer nothing refers to; one in use is refused, naming what uses it
    (archive it instead)."""
    with write_transaction(db):
        customer = find_customer(code)
        used = usage(customer)
        if used:
            raise UserError(
                _(
                    "customer {code!r} is in use ({used}): it cannot be deleted; archive it instead"
                ).format(code=code, used=", ".join(used)),
                f"{PATH}.code",
            )
        customer.delete_instance()


def set_archived(db: Database, code: str, archived: bool) -> bool:
    """Archive (hide, no new contracts or orders) or restore a customer; returns whether
    its state changed."""
    with write_transaction(db):
        customer = find_customer(code)
        if customer.archived == archived:
            return False
        Customer.update(archived=archived).where(Customer.id == customer.id).execute()
        return True


__all__ = [
    "FORM_FIELDS",
    "checked_customer",
    "create_customer",
    "customer_record",
    "delete_customer",
    "find_customer",
    "set_archived",
    "update_customer",
    "usage",
]
