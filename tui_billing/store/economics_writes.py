"""Writing revenue figures and marking for recomputation the contracts that index values or
figures affect (inside the caller's write transaction)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from tui_billing.domain.economics_rules import economics_json
from tui_billing.store.models import (
    Contract,
    ContractLine,
    IndexLink,
    IndexSeries,
    IndexValue,
    RevenueFigure,
)


def touch_contracts(ids: Iterable[int]) -> int:
    """Bump the revision of the contracts, so their installments are recomputed."""
    ids = sorted(set(ids))
    if ids:
        Contract.update(revision=Contract.revision + 1).where(Contract.id.in_(ids)).execute()
    return len(ids)


def _indexed_contracts(series_code: str) -> set[int]:
    return {
        line.contract_id
        for line in ContractLine.select(ContractLine.contract, ContractLine.economics).where(
            ContractLine.economics.is_null(False)
        )
        if economics_json(line.economics).get("index", {}).get("series") == series_code
    }


def count_indexed_contracts(series_code: str) -> int:
    """How many contracts have a line indexed to the series."""
    return len(_indexed_contracts(series_code))


def touch_indexed_contracts(series_code: str) -> int:
    """Mark the contracts with a line indexed to the series for recomputation."""
    return touch_contracts(_indexed_contracts(series_code))


def upsert_figures(
    rows: Iterable[tuple[Contract, dt.date, dt.date, Decimal, str | None]],
) -> tuple[int, int, int]:
    """Create or correct figures matched by contract and period: (created, updated, same)."""
    created = updated = unchanged = 0
    touched: set[int] = set()
    for contract, start, end, amount, note in rows:
        old = RevenueFigure.get_or_none(
            RevenueFigure.contract == contract,
            RevenueFigure.period_start == start,
            RevenueFigure.period_end == end,
        )
        if old is None:
            RevenueFigure.create(
                contract=contract, period_start=start, period_end=end, amount=amount, note=note
            )
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


def upsert_index_values(
    series_code: str, name: str | None, values: Iterable[tuple[dt.date, Decimal, str]]
) -> tuple[int, int, int]:
    """Create the series if new (renamed when ``name`` differs) and its values matched by
    month; the contracts indexed to it are marked when anything changed: (created,
    updated, same) values."""
    series, made = IndexSeries.get_or_create(
        code=series_code, defaults={"name": name or series_code}
    )
    renamed = bool(name) and not made and series.name != name
    if renamed:
        series.name = name
        series.save()
    created = updated = unchanged = 0
    stored = {v.month: v for v in IndexValue.select().where(IndexValue.series == series)}
    for month, value, base in values:
        old = stored.get(month)
        if old is None:
            IndexValue.create(series=series, month=month, value=value, base=base)
            created += 1
        elif (old.value, old.base) != (value, base):
            old.value, old.base = value, base
            old.save()
            updated += 1
        else:
            unchanged += 1
    if created or updated:
        touch_indexed_contracts(series_code)
    return created, updated, unchanged


def upsert_link(series: IndexSeries, old_base: str, new_base: str, coefficient: Decimal) -> bool:
    """Store a linking coefficient between two bases of a series; whether anything changed."""
    link = IndexLink.get_or_none(
        IndexLink.series == series, IndexLink.old_base == old_base, IndexLink.new_base == new_base
    )
    if link is None:
        IndexLink.create(
            series=series, old_base=old_base, new_base=new_base, coefficient=coefficient
        )
        return True
    if link.coefficient == coefficient:
        return False
    link.coefficient = coefficient
    link.save()
    return True
