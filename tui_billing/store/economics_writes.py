"""Writing revenue figures and marking for recomputation the contracts that index values or
figures affect (inside the caller's write transaction)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from tui_billing.domain.economics_rules import economics_json
from tui_billing.store.models import Contract, ContractLine, RevenueFigure


def touch_contracts(ids: Iterable[int]) -> int:
    """Bump the revision of the contracts, so their installments are recomputed."""
    ids = sorted(set(ids))
    if ids:
        Contract.update(revision=Contract.revision + 1).where(Contract.id.in_(ids)).execute()
    return len(ids)


def touch_indexed_contracts(series_code: str) -> int:
    """Mark the contracts with a line indexed to the series for recomputation."""
    return touch_contracts(
        line.contract_id
        for line in ContractLine.select(ContractLine.contract, ContractLine.economics)
        .where(ContractLine.economics.is_null(False))
        if economics_json(line.economics).get("index", {}).get("series") == series_code
    )


def upsert_figures(
    rows: Iterable[tuple[Contract, dt.date, dt.date, Decimal, str | None]],
) -> tuple[int, int, int]:
    """Create or correct figures matched by contract and period: (created, updated, same)."""
    created = updated = unchanged = 0
    touched: set[int] = set()
    for contract, start, end, amount, note in rows:
        old = RevenueFigure.get_or_none(RevenueFigure.contract == contract,
                                        RevenueFigure.period_start == start,
                                        RevenueFigure.period_end == end)
        if old is None:
            RevenueFigure.create(contract=contract, period_start=start, period_end=end,
                                 amount=amount, note=note)
            created += 1
        elif (old.amount, old.note) != (amount, note):
            old.amount, old.note = amount, note
            old.save()
            updated += 1
        else:
            unchanged += 1
            continue
        touched.add(contract.id)
    touch_contracts(touched)
    return created, updated, unchanged
