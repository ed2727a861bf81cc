"""Writing the whole database as one interchange document (the import format)."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

from tui_billing.domain.economics_rules import economics_json
from tui_billing.domain.money import format_price, format_quantity
from tui_billing.domain.parties import CUSTOMER_PARTY_FIELDS
from tui_billing.output.interchange_economics import export_economics
from tui_billing.output.interchange_mandates import export_mandates
from tui_billing.store.company_row import company_values
from tui_billing.store.models import (
    Article,
    Contract,
    ContractLine,
    ContractTerm,
    Customer,
    Order,
    OrderLine,
    Series,
)


def _date(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def _frequency(value: str | None) -> Any:
    if value is None:
        return None
    return json.loads(value) if value.startswith("{") else value


def _rate(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def _money(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def _price(value: Decimal | None) -> str | None:
    return None if value is None else format_price(value)


def _nature(code: str | None) -> dict[str, str]:
    """``vat_nature`` of a 0% article or line; nothing on a line with VAT."""
    return {"vat_nature": code} if code else {}


def _contract_line(line: ContractLine, article_codes: dict[int | None, str]) -> dict[str, Any]:
    return {
        "article": article_codes.get(line.article_id),
        "description": line.description,
        "quantity": format_quantity(line.quantity),
        "unit_price": _price(line.unit_price),
        "price_period": _frequency(line.price_period),
        "recurring": line.recurring,
        "valid_from": _date(line.valid_from),
        "valid_to": _date(line.valid_to),
        "vat_rate": _rate(line.vat_rate),
        **_nature(line.vat_nature),
        "frequency": _frequency(line.frequency),
        **economics_json(line.economics),  # index, steps, revenue, advance: only when set
    }


def _lifecycle(k: Contract, terms: list[ContractTerm] | None) -> dict[str, Any]:
    """The contract's life: duration, renewal, notice, price change, its cancellation and
    the terms its renewals recorded."""
    if terms is None:
        terms = list(
            ContractTerm.select().where(ContractTerm.contract == k.id).order_by(ContractTerm.number)
        )
    cancellation = None
    if k.cancel_end is not None:
        cancellation = {
            "notice_date": _date(k.cancel_notice_date),
            "reason": k.cancel_reason,
            "ends_on": _date(k.cancel_end),
        }
    return {
        "duration": _frequency(k.duration),
        "renewal": k.renewal or "none",
        "renewal_duration": _frequency(k.renewal_duration),
        "notice_days": k.notice_days or 0,
        "renewal_price": json.loads(k.renewal_price) if k.renewal_price else None,
        "cancellation": cancellation,
        "renewals": [
            {
                "term": t.number,
                "from": _date(t.start_date),
                "to": _date(t.end_date),
                "price_change": t.price_change,
                "renewed_by": t.renewed_by,
            }
            for t in terms
        ],
    }


def contract_record(
    k: Contract,
    customer_codes: dict[int | None, str],
    article_codes: dict[int | None, str],
    lines: list[ContractLine],
    terms: list[ContractTerm] | None = None,
) -> dict[str, Any]:
    """One contract in the interchange format (its lines in order; ``terms``: its recorded
    renewals, read here when not given)."""
    return {
        "code": k.code,
        "customer": customer_codes.get(k.customer_id),
        "status": k.status,
        "description": k.description,
        "start_date": _date(k.start_date),
        "end_date": _date(k.end_date),
        "frequency": _frequency(k.frequency),
        "alignment": k.alignment,
        "year_end_cut": k.year_end_cut,
        "timing": k.timing,
        "invoice_offset_days": k.invoice_offset_days,
        "prorate": k.prorate,
        "line_display": k.line_display,
        "one_off_with_first": k.one_off_with_first,
        "document_type": k.document_type,
        "series": k.series,
        "language": k.language,
        "payment_method": k.payment_method,
        "iban": k.iban,
        "cost_centre": k.cost_centre,
        "cig": k.cig,
        "cup": k.cup,
        "late_interest": k.late_interest or "none",
        "late_interest_rate": _rate(k.late_interest_rate),
        "late_grace_days": k.late_grace_days or 0,
        "late_fee": _rate(k.late_fee or Decimal("0")),
        "returned_item_fee": _money(k.returned_item_fee),
        "installment_amount": _money(k.installment_amount),
        "installment_count": k.installment_count,
        **_lifecycle(k, terms),
        "lines": [_contract_line(li, article_codes) for li in lines],
    }


def customer_party(c: Customer) -> dict[str, Any]:
    """A customer's fiscal party fields, as the interchange file and ``--json`` carry them."""
    return {key: getattr(c, key) for key in CUSTOMER_PARTY_FIELDS}


def company_record(values: dict[str, Any]) -> dict[str, Any]:
    """The seller in the interchange format (the capital as money text)."""
    return {
        **values,
        "share_capital": _money(values["share_capital"]),
        **{
            key: _rate(values.get(key))
            for key in ("withholding_rate", "withholding_base", "contribution_rate")
        },
    }


def incomplete_addresses() -> list[str]:
    """The codes of the customers whose address still lacks its CAP or comune (e.g. an old
    free-text address that could not be split)."""
    return [
        code
        for (code,) in Customer.select(Customer.code)
        .where(Customer.postal_code.is_null() | Customer.city.is_null())
        .order_by(Customer.code)
        .tuples()
    ]


def export_document() -> dict[str, Any]:
    """Every series, customer, article, contract and order, ordered by code."""
    customer_codes: dict[int | None, str] = {
        c.id: c.code for c in Customer.select(Customer.id, Customer.code)
    }
    article_codes: dict[int | None, str] = {
        a.id: a.code for a in Article.select(Article.id, Article.code)
    }
    contract_lines: dict[int, list[ContractLine]] = {}
    for line in ContractLine.select().order_by(ContractLine.contract, ContractLine.position):
        contract_lines.setdefault(line.contract_id, []).append(line)
    contract_terms: dict[int, list[ContractTerm]] = {}
    for term in ContractTerm.select().order_by(ContractTerm.contract, ContractTerm.number):
        contract_terms.setdefault(term.contract_id, []).append(term)
    order_lines: dict[int, list[OrderLine]] = {}
    for order_line in OrderLine.select().order_by(OrderLine.order, OrderLine.position):
        order_lines.setdefault(order_line.order_id, []).append(order_line)
    company = company_values()
    return {
        **({"company": company_record(company)} if company is not None else {}),
        "series": [
            {
                "code": s.code,
                "description": s.description,
                "format": s.format,
                "proforma_format": s.proforma_format,
                "order_format": s.order_format,
            }
            for s in Series.select().order_by(Series.code)
        ],
        "customers": [
            {
                "code": c.code,
                "name": c.name,
                **customer_party(c),  # address fields, tax ids, SdI code, PEC, PA
                "email": c.email,
                "payment_terms_days": c.payment_terms_days,
                "iban": c.iban,
                "payment_method": c.payment_method,
                "collective_billing": c.collective_billing,
                "language": c.language,
                "withholding_agent": c.withholding_agent,
                "archived": c.archived,
            }
            for c in Customer.select().order_by(Customer.code)
        ],
        "articles": [
            {
                "code": a.code,
                "name": a.name,
                "description": a.description,
                "category": a.category,
                "unit": a.unit,
                "price": _price(a.price),
                "purchase_price": _price(a.purchase_price),
                "vat_rate": _rate(a.vat_rate),
                **_nature(a.vat_nature),
                "recurring": a.recurring,
                "kind": a.kind,
            }
            for a in Article.select().order_by(Article.code)
        ],
        "contracts": [
            contract_record(
                k,
                customer_codes,
                article_codes,
                contract_lines.get(k.id, []),
                contract_terms.get(k.id, []),
            )
            for k in Contract.select().order_by(Contract.code)
        ],
        "orders": [
            {
                "code": o.code,
                "customer": customer_codes.get(o.customer_id),
                "date": _date(o.date),
                "status": o.status,
                "description": o.description,
                "series": o.series,
                "lines": [
                    {
                        "article": article_codes.get(li.article_id),
                        "description": li.description,
                        "quantity": format_quantity(li.quantity),
                        "unit_price": _price(li.unit_price),
                        "vat_rate": _rate(li.vat_rate),
                        **_nature(li.vat_nature),
                        "locked": li.locked,
                    }
                    for li in order_lines.get(o.id, [])
                ],
            }
            for o in Order.select().order_by(Order.code)
        ],
        **export_economics(),  # index series and revenue figures, when there are any
        **({"mandates": mandates} if (mandates := export_mandates()) else {}),
    }


def dumps(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
