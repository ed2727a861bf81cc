"""Reading the economics of contracts (line rules, revenue figures, index series) out of the
store, beside their terms: only for the few contracts that have any."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from tui_billing.domain.economics import ContractEconomics
from tui_billing.domain.economics_rules import LineEconomics, line_economics
from tui_billing.domain.indexation import IndexPoint, IndexSeriesData
from tui_billing.domain.number_text import INDEX_PLACES, plain_decimal
from tui_billing.domain.revenue_rules import Figure
from tui_billing.domain.terms import ContractTerms
from tui_billing.store.database import stored_date
from tui_billing.store.models import ContractLine, IndexLink, IndexSeries, IndexValue

_LINES_SQL = (
    "SELECT contract_id, id, economics FROM contract_line"
    " WHERE economics IS NOT NULL AND contract_id IN ({ids})"
)
_FIGURES_SQL = (
    "SELECT contract_id, period_start, period_end, amount FROM revenue_figure"
    " WHERE contract_id IN ({ids})"
)


def load_series(codes: set[str]) -> dict[str, IndexSeriesData]:
    """The index series of ``codes`` with their values and links (the unknown ones left out)."""
    if not codes:
        return {}
    found = {}
    for series in IndexSeries.select().where(IndexSeries.code.in_(sorted(codes))):
        values = {
            v.month: IndexPoint(v.month, plain_decimal(v.value, INDEX_PLACES), v.base)
            for v in IndexValue.select().where(IndexValue.series == series)
        }
        links = {
            (link.old_base, link.new_base): plain_decimal(link.coefficient)
            for link in IndexLink.select().where(IndexLink.series == series)
        }
        found[series.code] = IndexSeriesData(series.code, series.name, values, links)
    return found


def load_economics(contract_ids: list[int]) -> dict[int, ContractEconomics]:
    """The economics of those of ``contract_ids`` that have any, by contract id."""
    if not contract_ids:
        return {}
    db = ContractLine._meta.database
    ids = ",".join(str(int(i)) for i in contract_ids)
    rules: dict[int, dict[str, LineEconomics]] = {}
    for contract_id, line_id, text in db.execute_sql(_LINES_SQL.format(ids=ids)):
        rules.setdefault(contract_id, {})[str(line_id)] = line_economics(text)
    if not rules:
        return {}
    figures: dict[int, list[Figure]] = {}
    for contract_id, start, end, cents in db.execute_sql(
        _FIGURES_SQL.format(ids=",".join(str(i) for i in rules))
    ):
        figures.setdefault(contract_id, []).append(
            Figure(stored_date(start), stored_date(end), Decimal(cents).scaleb(-2))
        )
    codes = {
        r.prices.index.series
        for lines in rules.values()
        for r in lines.values()
        if r.prices is not None and r.prices.index is not None
    }
    series = load_series(codes)
    return {
        cid: ContractEconomics(lines, tuple(figures.get(cid, ())), series)
        for cid, lines in rules.items()
    }


def with_economics(terms: dict[int, ContractTerms]) -> dict[int, ContractTerms]:
    """``terms`` with the economics attached to the contracts that have any."""
    for cid, economics in load_economics(list(terms)).items():
        if cid in terms:
            terms[cid] = replace(terms[cid], economics=economics)
    return terms
