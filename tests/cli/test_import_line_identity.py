"""An import keeps a line's identity while the line is still in the file: a line's id is
its key in the billing engine (the days it invoiced, the invoice of an order line), so a
line removed, added or moved around it must not hand its id to another line. Contracts
then bill exactly the days not invoiced yet, and an invoiced order line stays put (locked)
while the lines around it come and go; read back from the database, on SQLite and
PostgreSQL."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest

from tests.support.k1_steps import due, line_ids, load, run
from tui_billing.billing.contract_editing import current_record
from tui_billing.store.models import (
    Contract,
    Installment,
    InvoiceLine,
    Order,
    OrderLine,
)

D = dt.date.fromisoformat


def line(description, price, **more):
    return {
        "description": description,
        "quantity": "1",
        "unit_price": price,
        "price_period": "monthly",
        "vat_rate": "22.00",
        **more,
    }


MAINTENANCE = line("Maintenance", "50.00")
GARDENING = line("Gardening", "40.00")
# The middle line, invoiced over other days than Gardening: for a quarter ahead (Gardening
# starts later), or for January only (it ended).
CLEANING_QUARTERLY = line("Cleaning", "30.00", frequency="quarterly")
CLEANING_ENDED = line("Cleaning", "30.00", valid_to="2024-01-31")


def contract_document(*lines):
    return {
        "customers": [{"code": "ACME", "name": "ACME S.r.l."}],
        "contracts": [
            {
                "code": "K-1",
                "customer": "ACME",
                "status": "active",
                "start_date": "2024-01-01",
                "frequency": "monthly",
                "language": "en",
                "lines": list(lines),
            }
        ],
    }


def invoiced_by_line():
    """Each line key of K-1 with the periods and amounts of its invoice lines, from the
    database (the key from the installment's stored lines)."""
    found: dict[str, list[tuple[dt.date, dt.date, Decimal]]] = {}
    query = (
        InvoiceLine.select(InvoiceLine, Installment)
        .join(Installment, on=(InvoiceLine.installment == Installment.id))
        .where(InvoiceLine.contract == Contract.get(Contract.code == "K-1").id)
    )
    for row in query:
        key = json.loads(row.installment.lines)[row.installment_line]["line"]
        found.setdefault(key, []).append((row.period_start, row.period_end, row.amount))
    return found


def billed(periods):
    """The days invoiced (none twice) and the amount."""
    days: set[dt.date] = set()
    for start, end, _ in periods:
        for n in range((end - start).days + 1):
            day = start + dt.timedelta(days=n)
            assert day not in days, f"{day} invoiced twice"
            days.add(day)
    return days, sum(amount for *_, amount in periods)


def span(first, last):
    first, last = D(first), D(last)
    return {first + dt.timedelta(days=n) for n in range((last - first).days + 1)}


@pytest.mark.parametrize(
    ("cleaning", "gardening", "gardening_from", "cleaning_to"),
    [
        (CLEANING_QUARTERLY, {**GARDENING, "valid_from": "2024-02-01"}, "2024-02-01", "2024-03-31"),
        (CLEANING_ENDED, GARDENING, "2024-01-01", "2024-01-31"),
    ],
    ids=["middle-invoiced-further", "middle-invoiced-shorter"],
)
def test_a_contract_reimported_without_its_middle_line_bills_what_remains(
    cli, tmp_path, cleaning, gardening, gardening_from, cleaning_to
):
    load(cli, tmp_path, contract_document(MAINTENANCE, cleaning, gardening))
    run(cli, "2024-02-01")  # January and February (Cleaning as it bills)
    maintenance_id, cleaning_id, gardening_id = line_ids()
    without = contract_document(MAINTENANCE, gardening)
    assert "contracts: 0 new, 1 updated" in load(cli, tmp_path, without)
    assert line_ids() == [maintenance_id, gardening_id]
    assert "contracts: 0 new, 0 updated, 1 unchanged" in load(cli, tmp_path, without)
    # March and April of Maintenance (50) and Gardening (40): nothing before, nothing twice
    assert due(cli, "2024-04-01") == [
        ("2024-03-01", "2024-03-31", "90.00"),
        ("2024-04-01", "2024-04-30", "90.00"),
    ]
    run(cli, "2024-04-01")
    assert due(cli, "2024-04-01") == []
    invoiced = invoiced_by_line()
    assert set(invoiced) == {str(maintenance_id), str(cleaning_id), str(gardening_id)}
    assert billed(invoiced[str(maintenance_id)]) == (
        span("2024-01-01", "2024-04-30"),
        Decimal("200.00"),
    )
    days, amount = billed(invoiced[str(gardening_id)])
    assert days == span(gardening_from, "2024-04-30")
    assert amount == Decimal("40.00") * (4 if gardening_from == "2024-01-01" else 3)
    assert billed(invoiced[str(cleaning_id)])[0] == span("2024-01-01", cleaning_to)


def test_reordered_lines_keep_their_ids_and_bill_nothing_twice(cli, tmp_path):
    load(cli, tmp_path, contract_document(MAINTENANCE, CLEANING_QUARTERLY, GARDENING))
    run(cli, "2024-02-01")
    maintenance_id, cleaning_id, gardening_id = line_ids()
    reordered = contract_document(GARDENING, MAINTENANCE, CLEANING_QUARTERLY)
    load(cli, tmp_path, reordered)
    assert line_ids() == [gardening_id, maintenance_id, cleaning_id]
    record = current_record(Contract.get(Contract.code == "K-1").id)
    assert [li["description"] for li in record["lines"]] == ["Gardening", "Maintenance", "Cleaning"]
    assert "contracts: 0 new, 0 updated, 1 unchanged" in load(cli, tmp_path, reordered)
    # an edited line moved too keeps the id of its service
    edited = contract_document(MAINTENANCE, {**GARDENING, "unit_price": "45.00"})
    load(cli, tmp_path, edited)
    assert line_ids() == [maintenance_id, gardening_id]
    assert due(cli, "2024-03-01") == [("2024-03-01", "2024-03-31", "95.00")]
    exported = json.loads(cli("export").out)
    assert "contracts: 0 new, 0 updated, 1 unchanged" in load(cli, tmp_path, exported)
    assert line_ids() == [maintenance_id, gardening_id]


def order_line(description, price, **more):
    return {
        "description": description,
        "quantity": "1",
        "unit_price": price,
        "vat_rate": "22.00",
        **more,
    }


INVOICED = order_line("Impianto", "800.00")
EXTRA = order_line("Sopralluogo", "100.00")


def order_document(*lines):
    return {
        "customers": [{"code": "ACME", "name": "ACME S.r.l."}],
        "orders": [{"code": "O-1", "customer": "ACME", "date": "2024-05-02", "lines": list(lines)}],
    }


def order_lines():
    order = Order.get(Order.code == "O-1")
    return [
        (row.id, row.description, row.unit_price, row.locked)
        for row in OrderLine.select()
        .where(OrderLine.order == order)
        .order_by(OrderLine.position, OrderLine.id)
    ]


@pytest.fixture
def invoiced_after_extra(cli, tmp_path):
    """O-1 with its line Impianto invoiced (locked) and a line Sopralluogo not invoiced,
    placed before it (as the order was put together elsewhere); their ids."""
    load(cli, tmp_path, order_document(INVOICED))
    assert cli("order", "partial", "O-1", "--date", "2024-05-10").code == 0
    load(cli, tmp_path, order_document(INVOICED, EXTRA))
    (invoiced_id, *_), (extra_id, *_) = order_lines()
    OrderLine.update(position=0).where(OrderLine.id == extra_id).execute()
    OrderLine.update(position=1).where(OrderLine.id == invoiced_id).execute()
    assert [row[1] for row in order_lines()] == ["Sopralluogo", "Impianto"]
    return invoiced_id, extra_id


def test_removing_a_line_before_an_invoiced_one_keeps_the_invoiced_line(
    cli, tmp_path, invoiced_after_extra
):
    invoiced_id, _ = invoiced_after_extra
    out = load(cli, tmp_path, order_document({**INVOICED, "locked": True}))
    assert "orders: 0 new, 1 updated" in out
    assert order_lines() == [(invoiced_id, "Impianto", Decimal("800.00"), True)]
    assert InvoiceLine.select().where(InvoiceLine.order_line == invoiced_id).count() == 1
    again = load(cli, tmp_path, json.loads(cli("export").out))
    assert "orders: 0 new, 0 updated, 1 unchanged" in again
    # a line added before it, then the lines swapped: the invoiced line keeps its id
    load(cli, tmp_path, order_document(EXTRA, INVOICED))
    load(cli, tmp_path, order_document(INVOICED, EXTRA))
    [first, second] = order_lines()
    assert first == (invoiced_id, "Impianto", Decimal("800.00"), True)
    assert second[1:] == ("Sopralluogo", Decimal("100.00"), False)


def test_editing_an_invoiced_order_line_is_still_refused(cli, tmp_path, invoiced_after_extra):
    before = order_lines()
    for lines, at, number in (
        ((EXTRA, {**INVOICED, "unit_price": "900.00"}), "orders[0].lines[1]", 2),
        (({**INVOICED, "unit_price": "900.00"},), "orders[0].lines[0]", 2),
        ((EXTRA, {**INVOICED, "locked": False}), "orders[0].lines[1]", 2),
    ):
        path = tmp_path / "edited.json"
        path.write_text(json.dumps(order_document(*lines)))
        result = cli("import", str(path))
        assert result.code == 2, result
        assert result.err.strip() == (
            f"tui-billing: error: {at}: line {number} of order O-1 ('Impianto') is locked, "
            "invoiced on A/2024/0001: it cannot be changed"
        )
        assert order_lines() == before
    path = tmp_path / "deleted.json"
    path.write_text(json.dumps(order_document(EXTRA)))
    result = cli("import", str(path))
    assert result.code == 2
    assert result.err.strip() == (
        "tui-billing: error: orders[0].lines: line 2 of order O-1 ('Impianto') is locked, "
        "invoiced on A/2024/0001: it cannot be deleted"
    )
    assert order_lines() == before
