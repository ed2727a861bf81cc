"""Nothing is billed twice after a contract changes: invoice some periods, change its
frequency, start, alignment or lines, and `due` and `run` bill only the days not invoiced
yet, to the cent; read back from the invoice lines in the database, on SQLite and
PostgreSQL. The contract screens' schedule and its preview show the same cut amounts."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

from tests.support import k1_steps
from tests.support.k1_steps import load, run
from tui_billing.billing.contract_editing import (
    add_line,
    current_record,
    remove_line,
    update_contract,
)
from tui_billing.billing.contract_views import contract_schedule, preview_schedule
from tui_billing.domain.descriptions import period_suffix
from tui_billing.store.models import Contract, Installment, InvoiceLine, database_proxy

D = dt.date.fromisoformat


def document(start="2024-01-01", frequency="monthly", **settings):
    return {
        "customers": [{"code": "ACME", "name": "ACME S.r.l."}],
        "contracts": [
            {
                "code": "K-1",
                "customer": "ACME",
                "status": "active",
                "start_date": start,
                "frequency": frequency,
                "language": "en",
                **settings,
                "lines": [
                    {
                        "description": "Maintenance",
                        "quantity": "1",
                        "unit_price": "50.00",
                        "price_period": "monthly",
                        "vat_rate": "22.00",
                    },
                    {
                        "description": "Setup",
                        "quantity": "1",
                        "unit_price": "200.00",
                        "recurring": False,
                        "vat_rate": "22.00",
                    },
                ],
            }
        ],
    }


def due(cli, day):
    return k1_steps.due(cli, day, ("period_start", "period_end", "invoice_date", "amount"))


def contract_id():
    return Contract.get(Contract.code == "K-1").id


def edit(changes):
    update_contract(database_proxy.obj, contract_id(), changes)


def invoiced_lines():
    """(line key, service, start, end, amount) of every invoice line of K-1, from the
    database: the key from its installment's stored lines."""
    found = []
    query = (
        InvoiceLine.select(InvoiceLine, Installment)
        .join(Installment, on=(InvoiceLine.installment == Installment.id))
        .where(InvoiceLine.contract == contract_id())
    )
    for row in query:
        stored = json.loads(row.installment.lines)[row.installment_line]
        service = row.description
        if row.period_start is not None:
            service = service.removesuffix(period_suffix(row.period_start, row.period_end, "en"))
        found.append((stored["line"], service, row.period_start, row.period_end, row.amount))
    return found


def billed_days(service):
    """Each day the service has been invoiced for, checking that none is invoiced twice;
    and the total amount invoiced for it."""
    days: set[dt.date] = set()
    total = Decimal(0)
    for _, name, start, end, amount in invoiced_lines():
        if name != service:
            continue
        total += amount
        if start is None:
            days.add(dt.date.min)
            continue
        day = start
        while day <= end:
            assert day not in days, f"{day} of {service} invoiced twice"
            days.add(day)
            day += dt.timedelta(days=1)
    return days, total


def span(first, last):
    return {first + dt.timedelta(days=n) for n in range((last - first).days + 1)}


def test_monthly_invoiced_then_quarterly(cli, tmp_path):
    load(cli, tmp_path, document())
    assert run(cli, "2024-04-01")["installments_billed"] == 5  # Jan-Apr, and the setup
    edit({"frequency": "quarterly"})
    assert due(cli, "2024-07-01") == [
        ("2024-05-01", "2024-06-30", "2024-04-01", "100.00"),
        ("2024-07-01", "2024-09-30", "2024-07-01", "150.00"),
    ]
    run(cli, "2024-07-01")
    assert due(cli, "2024-07-01") == []
    days, total = billed_days("Maintenance")
    assert days == span(D("2024-01-01"), D("2024-09-30"))
    assert total == Decimal("450.00")  # 9 months of 50
    assert billed_days("Setup") == ({dt.date.min}, Decimal("200.00"))


def test_quarterly_invoiced_then_monthly(cli, tmp_path):
    load(cli, tmp_path, document(frequency="quarterly"))
    run(cli, "2024-04-01")  # Jan-Jun
    edit({"frequency": "monthly"})
    assert due(cli, "2024-06-30") == []
    assert due(cli, "2024-07-01") == [("2024-07-01", "2024-07-31", "2024-07-01", "50.00")]
    run(cli, "2024-08-01")
    days, total = billed_days("Maintenance")
    assert days == span(D("2024-01-01"), D("2024-08-31"))
    assert total == Decimal("400.00")


def test_start_moved_later_then_earlier(cli, tmp_path):
    load(cli, tmp_path, document(one_off_with_first=True))
    run(cli, "2024-03-01")  # Jan-Mar
    edit({"start_date": "2024-01-15"})
    # 1-14 April, the rest of the new period 15/3-14/4: 14/30 of 50
    assert due(cli, "2024-04-15") == [
        ("2024-04-01", "2024-04-14", "2024-03-15", "23.33"),
        ("2024-04-15", "2024-05-14", "2024-04-15", "50.00"),
    ]
    run(cli, "2024-04-15")
    edit({"start_date": "2023-12-01"})  # December is new; the rest is invoiced
    assert due(cli, "2024-05-01") == [
        ("2023-12-01", "2023-12-31", "2023-12-01", "50.00"),
        ("2024-05-15", "2024-05-31", "2024-05-01", "27.42"),  # 17/31 of May
    ]
    run(cli, "2024-05-01")
    days, total = billed_days("Maintenance")
    assert days == span(D("2023-12-01"), D("2024-05-31"))
    # January-March, 1-14 April, 15 April-14 May, December, 15-31 May
    assert total == Decimal("150.00") + Decimal("23.33") + Decimal("50.00") + Decimal(
        "50.00"
    ) + Decimal("27.42")
    assert billed_days("Setup")[1] == Decimal("200.00")


def test_alignment_changed_to_calendar(cli, tmp_path):
    load(cli, tmp_path, document(start="2024-01-15"))
    run(cli, "2024-02-15")  # 15/1-14/2, 15/2-14/3
    edit({"alignment": "calendar"})
    assert due(cli, "2024-04-01") == [
        ("2024-03-15", "2024-03-31", "2024-03-01", "27.42"),  # 17/31 of March
        ("2024-04-01", "2024-04-30", "2024-04-01", "50.00"),
    ]
    run(cli, "2024-04-01")
    days, total = billed_days("Maintenance")
    assert days == span(D("2024-01-15"), D("2024-04-30"))
    assert total == Decimal("177.42")


def test_a_line_removed_and_added_back(cli, tmp_path):
    load(cli, tmp_path, document(frequency="quarterly"))
    run(cli, "2024-01-01")  # Q1 and the setup
    db, cid = database_proxy.obj, contract_id()
    old = [li["id"] for li in current_record(cid)["lines"]]
    add_line(
        db,
        cid,
        {
            "description": "Maintenance",
            "quantity": "1",
            "unit_price": "60.00",
            "price_period": "monthly",
            "vat_rate": "22",
            "valid_from": "2024-02-10",
        },
    )
    add_line(
        db,
        cid,
        {
            "description": "Setup",
            "quantity": "1",
            "unit_price": "200.00",
            "recurring": False,
            "vat_rate": "22",
        },
    )
    for line_id in old:
        remove_line(db, cid, line_id)
    # the new line's period 10/2-9/5 less what the old one invoiced: 1/4-9/5 = 1 + 9/31 months
    assert due(cli, "2024-05-10") == [
        ("2024-04-01", "2024-05-09", "2024-02-10", "77.42"),
        ("2024-05-10", "2024-08-09", "2024-05-10", "180.00"),
    ]
    run(cli, "2024-05-10")
    days, total = billed_days("Maintenance")
    assert days == span(D("2024-01-01"), D("2024-08-09"))
    assert total == Decimal("150.00") + Decimal("77.42") + Decimal("180.00")
    assert billed_days("Setup")[1] == Decimal("200.00")  # once
    assert {key for key, *_ in invoiced_lines()} >= {str(i) for i in old}


def test_the_schedule_and_its_preview_show_the_cut_amounts(cli, tmp_path):
    load(cli, tmp_path, document(frequency="quarterly"))
    run(cli, "2024-04-01")  # Jan-Jun
    db, cid, today = database_proxy.obj, contract_id(), D("2024-05-15")
    changes = {"frequency": "monthly", "start_date": "2024-01-15"}
    preview = preview_schedule(db, cid, changes, today)

    def planned(schedule):
        return [
            (r.invoice_date, r.period_start, r.period_end, r.amount)
            for r in schedule.rows
            if r.status != "invoiced"
        ][:2]

    # 15/6-14/7 less June: 1-14 July, 14/31 of 50
    assert planned(preview) == [
        (D("2024-06-15"), D("2024-07-01"), D("2024-07-14"), Decimal("22.58")),
        (D("2024-07-15"), D("2024-07-15"), D("2024-08-14"), Decimal("50.00")),
    ]
    edit(changes)
    assert planned(contract_schedule(db, cid, today)) == planned(preview)
    assert due(cli, "2024-06-15") == [("2024-07-01", "2024-07-14", "2024-06-15", "22.58")]


def test_the_schedule_lists_a_cut_installment_after_the_periods_before_it(cli, tmp_path):
    """Quarterly, invoiced to the end of September, then made annual: the annual period
    that started in January keeps its invoice date but now bills from October. The plan
    lists it after the quarters it follows, by period."""
    data = document(frequency="quarterly")
    data["contracts"][0]["lines"].pop()  # no one-off
    load(cli, tmp_path, data)
    run(cli, "2024-07-01")
    edit({"frequency": "annual"})
    rows = contract_schedule(database_proxy.obj, contract_id(), D("2024-07-15")).rows
    starts = [r.period_start for r in rows]
    assert starts == sorted(starts)
    cut = next(r for r in rows if r.status != "invoiced")
    assert (cut.period_start, cut.period_end, cut.amount) == (
        D("2024-10-01"),
        D("2024-12-31"),
        Decimal("150.00"),
    )
    assert [r.status for r in rows][:3] == ["invoiced"] * 3
