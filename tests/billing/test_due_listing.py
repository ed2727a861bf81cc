"""The due listing and the materializer's fast paths, on SQLite and PostgreSQL: order across
customers, contracts and orders, lazy rows, the JSON text, the stale-contract check, a plan
made outside the lock that no longer fits, and the collector pause."""

from __future__ import annotations

import datetime as dt
import gc
import json
import pickle
import threading
from decimal import Decimal

from tests.billing.invoice_fixtures import contract, customer, d, installment, line
from tests.support.data import bulk_document, write_document
from tui_billing.billing import materialize as m
from tui_billing.billing.due import DueInstallment, iter_due, list_due
from tui_billing.billing.gc_pause import gc_paused
from tui_billing.store.models import Contract, Installment, Order


def test_order_across_customers_contracts_orders_and_one_offs(db):
    zed, acme = customer("ZED"), customer("ACME")
    k2, k1 = contract("K-2", acme), contract("K-1", acme)
    kz = contract("K-0", zed)
    order = Order.create(code="O-9", customer=acme, date=d("2024-01-01"))
    made = [
        installment(kz, "2024-02-01", start="2024-02-01", end="2024-02-29"),
        installment(k2, "2024-02-01", start="2024-02-01", end="2024-02-29"),
        installment(k1, "2024-02-01", start="2024-02-01", end="2024-02-29"),
        installment(k1, "2024-02-01"),  # one-off: before the periods of its contract
        installment(k1, "2024-01-15", start="2024-01-15", end="2024-01-31"),
        installment(k1, "2024-03-01", start="2024-03-01", end="2024-03-31"),  # not due yet
    ]
    Installment.create(
        order=order,
        key="1",
        invoice_date=d("2024-02-01"),
        amount=Decimal("5"),
        lines=json.dumps([line("5.00")]),
        status="pending",
    )
    Installment.update(status="invoiced").where(Installment.id == made[0].id).execute()
    rows = list_due(db, d("2024-02-15"))
    assert [
        (
            str(r.invoice_date),
            r.customer,
            r.contract,
            r.order,
            r.period_start and str(r.period_start),
        )
        for r in rows
    ] == [
        ("2024-01-15", "ACME", "K-1", None, "2024-01-15"),
        ("2024-02-01", "ACME", None, "O-9", None),  # no contract code sorts first
        ("2024-02-01", "ACME", "K-1", None, None),
        ("2024-02-01", "ACME", "K-1", None, "2024-02-01"),
        ("2024-02-01", "ACME", "K-2", None, "2024-02-01"),
    ]
    assert [r.contract for r in list_due(db, d("2024-02-15"), contract="K-2")] == ["K-2"]
    assert {r.customer for r in list_due(db, d("2024-02-15"), customer="ZED")} == set()
    assert len(list_due(db, d("2024-02-15"), customer="ACME", series="A")) == 5
    assert list_due(db, d("2024-02-15"), series="B") == []


def test_one_row_per_owner_on_a_date_is_ordered_by_customer_and_code_not_by_id(db):
    zed, acme = customer("ZED"), customer("ACME")
    owners = [
        contract("K-3", zed),
        contract("K-2", acme),
        contract("K-1", acme),
        contract("K-0", zed),
    ]  # created (ids) against the listing order
    for owner in owners:
        installment(owner, "2024-02-01", start="2024-02-01", end="2024-02-29")
    order = Order.create(code="O-1", customer=zed, date=d("2024-01-01"))
    Installment.create(
        order=order,
        key="1",
        invoice_date=d("2024-02-01"),
        amount=Decimal("5"),
        lines=json.dumps([line("5.00")]),
        status="pending",
    )
    rows = list_due(db, d("2024-02-01"))
    assert [(r.customer, r.contract or r.order) for r in rows] == [
        ("ACME", "K-1"),
        ("ACME", "K-2"),
        ("ZED", "O-1"),
        ("ZED", "K-0"),
        ("ZED", "K-3"),
    ]


def test_rows_are_lazy_but_typed_and_json_text_matches_to_json(db):
    k = contract("K-1", customer("ACME", name='Àcme "quoted" S.r.l.'))
    installment(
        k,
        "2024-02-01",
        line(
            "10.005",
            key="a",
            start="2024-02-01",
            end="2024-02-29",
            description='Canone "speciale" è',
        ),
        line("-3.50", key="b", start="2024-02-01", end="2024-02-29"),
        start="2024-02-01",
        end="2024-02-29",
    )
    installment(k, "2024-02-02")
    rows = list(iter_due(db, d("2024-02-28"), with_lines=True))
    first = rows[0]
    assert isinstance(first.invoice_date, dt.date) and isinstance(first.amount, Decimal)
    assert first.amount == Decimal("6.51")  # 10.005 - 3.50, stored to the cent half up
    assert (first.customer_name, first.series, first.status) == (
        'Àcme "quoted" S.r.l.',
        "A",
        "pending",
    )
    for row in rows:
        assert json.loads(row.json_text()) == row.to_json()
    assert rows[1].to_json()["period_start"] is None
    assert "line" not in rows[0].to_json()["lines"][0]
    # Listing without lines reads them when asked for; rows survive pickling and compare.
    plain = list_due(db, d("2024-02-28"))
    assert plain[0].lines_json is None and plain[0].lines == rows[0].lines
    assert pickle.loads(pickle.dumps(plain[0])) == plain[0]
    built = DueInstallment(
        7, "K", None, "C", "Name", "A", None, None, d("2024-01-01"), Decimal("1.50"), "pending"
    )
    assert (built.id, built.contract, built.amount, built.invoice_date) == (
        7,
        "K",
        Decimal("1.50"),
        d("2024-01-01"),
    )


def test_stale_check_finds_only_what_changed_and_uses_indexes(cli, tmp_path, db_target):
    cli("import", write_document(tmp_path / "d.json", bulk_document(5)))
    from tui_billing.store.database import open_database

    database = open_database(db_target)
    on = d("2024-03-31")
    assert len(m.stale_contracts(on)) == 5
    m.materialize(database, on)
    assert m.stale_contracts(on) == []
    edited = Contract.get(Contract.code == "K-0002")
    Contract.update(revision=Contract.revision + 1).where(Contract.id == edited.id).execute()
    assert [row[0] for row in m.stale_contracts(on)] == [edited.id]
    later = m.stale_contracts(d("2024-04-30"))
    assert len(later) == 5 and later[0][2] == on  # a date, on both databases
    assert m.stale_contracts(d("2024-04-30"), [edited.id]) == [(edited.id, edited.revision + 1, on)]
    if database.__class__.__name__.startswith("Sqlite"):
        for sql in (
            "SELECT id FROM contract WHERE revision <> materialized_revision",
            "SELECT id FROM contract WHERE status = 'active' AND materialized_until < '2024-05-01'",
        ):
            plan = " ".join(str(r) for r in database.execute_sql("EXPLAIN QUERY PLAN " + sql))
            assert "USING INDEX" in plan or "USING COVERING INDEX" in plan, plan
    database.close()


def test_plan_made_before_an_edit_is_planned_again_under_the_lock(cli, tmp_path, db_target):
    doc = bulk_document(3)
    cli("import", write_document(tmp_path / "d.json", doc))
    from tui_billing.store.database import open_database

    database = open_database(db_target)
    on = d("2024-03-31")
    chunk = m.stale_contracts(on)
    plan = m.plan_chunk(database, chunk, on)
    assert len(plan.inserts) == 9
    # Meanwhile the first contract gets a new price (and its revision moves on).
    doc["contracts"][0]["lines"][0]["unit_price"] = "99.00"
    cli("import", write_document(tmp_path / "d2.json", doc))
    result = m.MaterializeResult()
    m._write_planned(database, chunk, plan, on, result)
    assert result.created == 9
    first = Contract.get(Contract.code == "K-0000")
    amounts = {i.amount for i in Installment.select().where(Installment.contract == first.id)}
    assert amounts == {Decimal("99.00") + Decimal("5.00")}  # 1.5 x 3.33 = 4.995 -> 5.00
    assert m.stale_contracts(on) == []  # marked with the revision it was planned from
    assert m.materialize(database, on).created == 0
    database.close()


def test_parallel_materialize_writes_bounded_chunks(cli, tmp_path, monkeypatch):
    cli("import", write_document(tmp_path / "d.json", bulk_document(30)))
    from tui_billing.store.database import open_database

    database = open_database(cli.target)
    monkeypatch.setattr(m, "PARALLEL_FROM", 1)
    monkeypatch.setattr(m, "CHUNK", 4)
    monkeypatch.setattr(m, "IN_FLIGHT", 1)
    submitted = []
    real = m._materialize_parallel

    def spy(db, chunks, until, result, workers):
        submitted.append(len(chunks))
        return real(db, chunks, until, result, workers)

    monkeypatch.setattr(m, "_materialize_parallel", spy)
    result = m.materialize(database, d("2024-02-29"), workers=2)
    assert submitted == [8] and result.created == 60 and result.failed == []
    assert Installment.select().count() == 60
    # Each chunk's new rows are written in invoice-date order (one date's rows together).
    by_chunk: dict[int, list] = {}
    for i in Installment.select().order_by(Installment.id):
        by_chunk.setdefault((i.contract_id - 1) // 4, []).append(i.invoice_date)
    assert len(by_chunk) == 8
    assert all(dates == sorted(dates) for dates in by_chunk.values())
    assert m.materialize(database, d("2024-02-29"), workers=2).created == 0
    database.close()


def test_gc_pause_nests_and_restores():
    assert gc.isenabled()
    with gc_paused():
        assert not gc.isenabled()
        with gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
        done = threading.Event()

        def other():
            with gc_paused():
                pass
            done.set()

        threading.Thread(target=other).start()
        done.wait(5)
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with gc_paused():
            pass
        assert not gc.isenabled()  # off before: left off
    finally:
        gc.enable()


def test_a_renamed_customer_moves_in_the_listing_at_once(db):
    first, second = customer("AAA"), customer("BBB")
    installment(contract("K-1", first), "2024-02-01")
    installment(contract("K-2", second), "2024-02-01")
    assert [r.customer for r in list_due(db, d("2024-02-01"))] == ["AAA", "BBB"]
    first.code = "CCC"  # nothing about the order is stored with the installments
    first.save()
    assert [r.customer for r in list_due(db, d("2024-02-01"))] == ["BBB", "CCC"]


def test_waiting_installments_merge_into_the_stream_by_date(db):
    acme, beta = customer("ACME"), customer("BETA")
    ka, kb = contract("K-A", acme), contract("K-B", beta)
    rows = [
        installment(kb, "2024-01-01"),
        installment(ka, "2024-02-01"),
        installment(kb, "2024-03-01"),
        installment(ka, "2024-03-01"),
        installment(ka, "2024-04-01"),
        installment(kb, "2024-05-01"),
    ]
    for held in (rows[1], rows[3], rows[4]):
        Installment.update(status="waiting").where(Installment.id == held.id).execute()
    listed = list(iter_due(db, d("2024-04-30"), waiting=True))
    assert [(str(r.invoice_date), r.contract, r.status) for r in listed] == [
        ("2024-01-01", "K-B", "pending"),
        ("2024-02-01", "K-A", "waiting"),
        ("2024-03-01", "K-A", "waiting"),  # ACME before BETA, whatever the status
        ("2024-03-01", "K-B", "pending"),
        ("2024-04-01", "K-A", "waiting"),
    ]
    assert [r.status for r in iter_due(db, d("2024-04-30"))] == ["pending", "pending"]
