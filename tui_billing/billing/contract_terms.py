"""Reading contracts out of the store as the schedule engine's plain terms."""

from __future__ import annotations

import json
from decimal import Decimal
from functools import lru_cache
from typing import TypeVar

from tui_billing.billing.economics_terms import with_economics
from tui_billing.domain.contract_plan import with_plan
from tui_billing.domain.fast_construct import fast_constructor
from tui_billing.domain.frequency import Frequency
from tui_billing.domain.terms import ContractTerms, LineTerms
from tui_billing.store.database import stored_date
from tui_billing.store.models import Contract

T = TypeVar("T")


@lru_cache(maxsize=256)
def stored_frequency(text: str | None) -> Frequency | None:
    """A frequency as the store keeps it: a name or compact JSON."""
    if not text:
        return None
    return Frequency.parse(json.loads(text) if text.startswith("{") else text)


_line_terms = fast_constructor(LineTerms)
_contract_terms = fast_constructor(ContractTerms)

_LINES_SQL = (
    "SELECT contract_id, id, description, quantity, unit_price, vat_rate, recurring,"
    " valid_from, valid_to, frequency, price_period, vat_nature FROM contract_line"
    " WHERE contract_id IN ({ids}) ORDER BY contract_id, position, id"
)
_CONTRACTS_SQL = (
    "SELECT k.id, k.code, k.status, c.code, k.start_date, k.end_date, k.frequency,"
    " k.alignment, k.year_end_cut, k.timing, k.invoice_offset_days, k.prorate,"
    " k.line_display, k.one_off_with_first, COALESCE(k.language, c.language, 'it')"
    " FROM contract k LEFT OUTER JOIN customer c ON c.id = k.customer_id"
    " WHERE k.id IN ({ids})"
)


@lru_cache(maxsize=4096)
def _scaled(value: int) -> Decimal:
    return Decimal(value).scaleb(-4)


@lru_cache(maxsize=256)
def _rate(value: int) -> Decimal:
    return Decimal(value).scaleb(-2)


def load_terms(contract_ids: list[int], *, plans: bool = True) -> dict[int, ContractTerms]:
    """The terms of many contracts in two queries. Plain SQL and cached conversions: this
    is the hot path of materializing 100,000 contracts. With ``plans`` (the default) a
    contract's installment plan is applied: the terms bill what it says."""
    if not contract_ids:
        return {}
    db = Contract._meta.database
    ids = ",".join(str(int(i)) for i in contract_ids)
    lines: dict[int, list[LineTerms]] = {}
    line_terms = _line_terms
    for (
        contract_id,
        line_id,
        text,
        qty,
        price,
        vat,
        recurring,
        vfrom,
        vto,
        freq,
        price_period,
        nature,
    ) in db.execute_sql(_LINES_SQL.format(ids=ids)):
        made = line_terms(
            str(line_id),
            text,
            _scaled(qty),
            _scaled(price),
            _rate(vat),
            bool(recurring),
            stored_date(vfrom) if vfrom else None,
            stored_date(vto) if vto else None,
            stored_frequency(freq) if freq else None,
            stored_frequency(price_period) if price_period else None,
            vat_nature=nature,
        )
        found = lines.get(contract_id)
        if found is None:
            lines[contract_id] = [made]
        else:
            found.append(made)
    result = {}
    for (
        cid,
        code,
        status,
        customer,
        start,
        end,
        freq,
        alignment,
        cut,
        timing,
        offset,
        prorate,
        display,
        one_off_first,
        language,
    ) in db.execute_sql(_CONTRACTS_SQL.format(ids=ids)):
        result[cid] = _contract_terms(
            code,
            status,
            customer,
            stored_date(start),
            stored_date(end),
            stored_frequency(freq),
            alignment,
            bool(cut),
            timing,
            offset,
            bool(prorate),
            display,
            bool(one_off_first),
            tuple(lines.get(cid, ())),
            language,
        )
    result = with_economics(result)  # the few indexed, stepped, revenue or advance contracts
    return with_installment_plans(result) if plans else result


_PLANS_SQL = (
    "SELECT id, installment_amount, installment_count FROM contract WHERE id IN ({ids})"
    " AND (installment_amount IS NOT NULL OR installment_count IS NOT NULL)"
)


def with_installment_plans(terms: dict[int, ContractTerms]) -> dict[int, ContractTerms]:
    """The hook of installment plans: the terms of contracts with a plan (amount per
    installment, number of installments) replaced by the terms that bill it."""
    if not terms:
        return terms
    db = Contract._meta.database
    ids = ",".join(str(int(i)) for i in terms)
    for cid, amount, count in db.execute_sql(_PLANS_SQL.format(ids=ids)):
        terms[cid] = with_plan(
            terms[cid], None if amount is None else Decimal(amount).scaleb(-2), count
        )
    return terms
