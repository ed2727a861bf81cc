"""What contracts have invoiced, read back from their invoiced installments' lines: the
input of ``domain.coverage`` (what is never billed again). A line that a credit note
cancelled to bill it again (``"rebilled_by"``, ``billing.credit_notes``) no longer counts."""

from __future__ import annotations

from collections.abc import Sequence

from peewee import Database

from tui_billing.domain.billing_dates import InvoicedInstallment
from tui_billing.domain.coverage import BilledLine
from tui_billing.domain.stored_lines import REBILLED, decode_lines
from tui_billing.store.database import stored_date

_INVOICED_SQL = (
    "SELECT contract_id, lines FROM installment WHERE status = 'invoiced'"
    " AND contract_id IN ({ids})"
)


def billed_of(text: str | None) -> list[BilledLine]:
    """The lines of one invoiced installment (its stored JSON) as billed lines, less those
    a credit note made billable again."""
    return [
        (
            str(li.get("line")),
            li.get("description") or "",
            li.get("period_start"),
            li.get("period_end"),
        )
        for li in decode_lines(text)
        if REBILLED not in li
    ]


def billed_lines(db: Database, contract_ids: Sequence[int]) -> dict[int, list[BilledLine]]:
    """The billed lines of each of these contracts (absent: nothing invoiced)."""
    found: dict[int, list[BilledLine]] = {}
    if not contract_ids:
        return found
    ids = ",".join(str(int(i)) for i in contract_ids)
    for cid, text in db.execute_sql(_INVOICED_SQL.format(ids=ids)):
        found.setdefault(cid, []).extend(billed_of(text))
    return found


def invoiced_installments(db: Database, contract_id: int) -> list[InvoicedInstallment]:
    """The contract's invoiced installments (on a draft or an issued invoice): their
    invoice dates and billed lines, in invoice-date order."""
    p = db.param
    rows = db.execute_sql(
        "SELECT invoice_date, lines FROM installment WHERE status = 'invoiced'"
        f" AND contract_id = {p} ORDER BY invoice_date, id",
        (int(contract_id),),
    )
    return [InvoicedInstallment(stored_date(day), tuple(billed_of(text))) for day, text in rows]


__all__ = ["REBILLED", "billed_lines", "billed_of", "invoiced_installments"]
