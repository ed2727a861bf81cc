"""The parties as screens show them: a customer's fiscal data under its contract, and the
company (seller) as an editable record."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from peewee import Database

from tui_billing.billing.wording import _
from tui_billing.domain.parsing import Reader
from tui_billing.domain.parties import (
    COMPANY_FIELDS,
    address_lines,
    missing_for_issue,
    read_company,
    vat_text,
)
from tui_billing.domain.professional import PROFESSIONAL_SETTINGS
from tui_billing.store.company_row import company_values, save_company
from tui_billing.store.models import Contract, Customer


def contract_party_text(contract_id: int) -> str:
    """The customer's fiscal data and the contract's CIG/CUP, in one or two short lines:
    address; VAT number, codice fiscale, SdI code or PEC, PA and split payment."""
    contract = Contract.get_or_none(Contract.id == contract_id)
    if contract is None or contract.customer_id is None:
        return ""
    c = Customer.get_by_id(contract.customer_id)
    address = ", ".join(
        address_lines(
            {
                key: getattr(c, key)
                for key in ("street", "postal_code", "city", "province", "country")
            }
        )
    ) or _("no address")
    ids: list[str] = [
        _("VAT {number}").format(
            number=vat_text({"vat_country": c.vat_country, "vat_number": c.vat_number})
        )
        if c.vat_number
        else _("no VAT number")
    ]
    if c.tax_code:
        ids.append(f"CF {c.tax_code}")
    if c.sdi_code:
        ids.append(f"SdI {c.sdi_code}")
    if c.pec:
        ids.append(f"PEC {c.pec}")
    if c.public_administration:
        ids.append(_("public administration"))
    if c.split_payment:
        ids.append(_("split payment"))
    if contract.cig:
        ids.append(f"CIG {contract.cig}")
    if contract.cup:
        ids.append(f"CUP {contract.cup}")
    lacking = [
        name for key, name in (("postal_code", "CAP"), ("city", "comune")) if not getattr(c, key)
    ]
    if lacking:
        address += " " + _("(lacks {fields})").format(fields=_(" and ").join(lacking))
    return f"{address}\n{' · '.join(ids)}"


def company_form_record() -> dict[str, Any]:
    """The company as the form edits it (an empty record when there is none yet)."""
    values = company_values() or {}
    record = {key: values.get(key) for key in COMPANY_FIELDS}
    record["stamp_duty_charged"] = bool(values.get("stamp_duty_charged"))
    for key in ("creditor_id", "bic", "sia_code"):  # collecting: direct debit, Ri.Ba.
        record[key] = values.get(key)
    for key in PROFESSIONAL_SETTINGS:  # a professional's ritenuta and contribution
        value = values.get(key)
        record[key] = format(value.normalize(), "f") if isinstance(value, Decimal) else value
    record["contribution_withheld"] = bool(values.get("contribution_withheld"))
    if record.get("vat_number"):
        record["vat_number"] = vat_text(values)
    if record.get("share_capital") is not None:
        record["share_capital"] = f"{record['share_capital']:.2f}"
    return record


def save_company_form(db: Database, values: dict[str, Any]) -> list[str]:
    """Check and store the company; returns what it still lacks to issue documents."""
    checked = read_company(
        Reader({k: v for k, v in values.items() if v not in ("", None)}, "company")
    )
    save_company(db, checked)
    return missing_for_issue(checked)


__all__ = ["company_form_record", "contract_party_text", "save_company_form"]
