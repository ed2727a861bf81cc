"""The interchange sections of contract economics data: index series (values and links) and
revenue figures; read with errors naming the record, written matched by key, exported."""

from __future__ import annotations

from typing import Any

from tui_billing.domain.economics_rules import parse_month
from tui_billing.domain.errors import UserError
from tui_billing.domain.i18n import _
from tui_billing.domain.indexation import month_text
from tui_billing.domain.number_text import decimal_text, index_text
from tui_billing.domain.parsing import Reader
from tui_billing.store.economics_writes import (
    touch_indexed_contracts,
    upsert_figures,
    upsert_index_values,
    upsert_link,
)
from tui_billing.store.models import Contract, IndexLink, IndexSeries, IndexValue, RevenueFigure

SECTIONS = ("index_series", "revenue_figures")


def read_index_series(r: Reader) -> dict[str, Any]:
    values = []
    months: set = set()
    for vr in r.items("values"):
        month = parse_month(vr.raw("month"), vr.at("month"))
        if month in months:
            raise UserError(
                _("month {month} is given twice").format(month=month_text(month)), vr.at("month")
            )
        months.add(month)
        value = vr.decimal("value")
        if value <= 0:
            raise UserError(_("must be above zero"), vr.at("value"))
        values.append({"month": month, "value": value, "base": vr.text("base")})
    links = []
    for lr in r.items("links"):
        coefficient = lr.decimal("coefficient", places=6)
        if coefficient <= 0:
            raise UserError(_("must be above zero"), lr.at("coefficient"))
        links.append(
            {
                "old_base": lr.text("old_base"),
                "new_base": lr.text("new_base"),
                "coefficient": coefficient,
            }
        )
    return {"code": r.text("code"), "name": r.text("name", ""), "values": values, "links": links}


def read_revenue_figure(r: Reader, contracts: set[str]) -> dict[str, Any]:
    contract = r.text("contract")
    if contract not in contracts:
        raise UserError(_("unknown contract {code}").format(code=repr(contract)), r.at("contract"))
    start, end = r.date("period_start"), r.date("period_end")
    if end < start:
        raise UserError(
            _("{end_field} {end} is before {start_field} {start}").format(
                end_field="period_end", end=end, start_field="period_start", start=start
            ),
            r.at("period_end"),
        )
    return {
        "contract": contract,
        "period_start": start,
        "period_end": end,
        "amount": r.decimal("amount", places=2, allow_negative=True),
        "note": r.optional_text("note"),
    }


def write_economics(
    index_series: list[dict], figures: list[dict]
) -> dict[str, tuple[int, int, int]]:
    """Write the sections (inside the caller's transaction): per section (new, updated,
    unchanged)."""
    counts = {"index_series": [0, 0, 0], "revenue_figures": [0, 0, 0]}
    for rec in index_series:
        known = IndexSeries.get_or_none(IndexSeries.code == rec["code"])
        created, updated, _unchanged = upsert_index_values(
            rec["code"], rec["name"], ((v["month"], v["value"], v["base"]) for v in rec["values"])
        )
        changed = bool(known is None or known.name != rec["name"] or created or updated)
        series = IndexSeries.get(IndexSeries.code == rec["code"])
        for link in rec["links"]:
            changed = (
                upsert_link(series, link["old_base"], link["new_base"], link["coefficient"])
                or changed
            )
        if changed:
            touch_indexed_contracts(rec["code"])
        counts["index_series"][0 if known is None else 1 if changed else 2] += 1
    if figures:
        contracts = {
            c.code: c
            for c in Contract.select().where(
                Contract.code.in_(sorted({f["contract"] for f in figures}))
            )
        }
        created, updated, unchanged = upsert_figures(
            (contracts[f["contract"]], f["period_start"], f["period_end"], f["amount"], f["note"])
            for f in figures
        )
        counts["revenue_figures"] = [created, updated, unchanged]
    return {k: (v[0], v[1], v[2]) for k, v in counts.items()}


def export_economics() -> dict[str, list[dict]]:
    """The sections that have data (none at all for a database without economics)."""
    found: dict[str, list[dict]] = {}
    series = []
    for s in IndexSeries.select().order_by(IndexSeries.code):
        series.append(
            {
                "code": s.code,
                "name": s.name,
                "values": [
                    {"month": month_text(v.month), "value": index_text(v.value), "base": v.base}
                    for v in IndexValue.select()
                    .where(IndexValue.series == s)
                    .order_by(IndexValue.month)
                ],
                "links": [
                    {
                        "old_base": x.old_base,
                        "new_base": x.new_base,
                        "coefficient": decimal_text(x.coefficient),
                    }
                    for x in IndexLink.select()
                    .where(IndexLink.series == s)
                    .order_by(IndexLink.old_base, IndexLink.new_base)
                ],
            }
        )
    if series:
        found["index_series"] = series
    figures = [
        {
            "contract": f.contract.code,
            "period_start": f.period_start.isoformat(),
            "period_end": f.period_end.isoformat(),
            "amount": f"{f.amount:.2f}",
            "note": f.note,
        }
        for f in RevenueFigure.select(RevenueFigure, Contract)
        .join(Contract)
        .order_by(Contract.code, RevenueFigure.period_start, RevenueFigure.period_end)
    ]
    if figures:
        found["revenue_figures"] = figures
    return found
