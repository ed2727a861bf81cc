"""A contract line's id is its key in the billing engine (what it has invoiced is never
billed again), so an id is never given twice: a line added after the newest one was removed
gets a new id and bills in full, not the removed line's invoiced days. Through contract
editing (TUI, CLI), import and the demo, on SQLite and PostgreSQL."""

from __future__ import annotations

import json

from tests.support.k1_steps import due, line_ids, load, run
from tui_billing.billing.contract_editing import add_line, remove_line
from tui_billing.store.models import Contract, ContractLine, Installment, database_proxy

MAINTENANCE = {
    "description": "Maintenance",
    "quantity": "1",
    "unit_price": "50.00",
    "price_period": "monthly",
    "vat_rate": "22.00",
}
CLEANING = {
    "description": "Cleaning",
    "quantity": "1",
    "unit_price": "30.00",
    "price_period": "monthly",
    "vat_rate": "22.00",
}
GARDENING = {
    "description": "Gardening",
    "quantity": "1",
    "unit_price": "40.00",
    "price_period": "monthly",
    "vat_rate": "22.00",
    "valid_from": "2024-02-01",
}


def document(*lines):
    return {
        "customers": [{"code": "ACME", "name": "ACME S.r.l."}],
        "contracts": [
            {
                "code": "K-1",
                "customer": "ACME",
                "status": "active",
                "start_date": "2024-01-01",
                "frequency": "quarterly",
                "language": "en",
                "lines": list(lines),
            }
        ],
    }


def invoiced_keys():
    keys = set()
    for (text,) in (
        Installment.select(Installment.lines).where(Installment.status == "invoiced").tuples()
    ):
        keys |= {li["line"] for li in json.loads(text)}
    return keys


# Q1 invoiced with Cleaning (30 a month); Gardening (40 a month from February) replaces it
# and bills its own first quarter in full, February to April; then Maintenance's second
# quarter. With Cleaning's id it would inherit Cleaning's January-March and bill April only.
IN_FULL = [("2024-02-01", "2024-04-30", "120.00"), ("2024-04-01", "2024-06-30", "150.00")]


def test_a_line_added_after_the_newest_was_removed_in_editing_bills_in_full(cli, tmp_path):
    load(cli, tmp_path, document(MAINTENANCE, CLEANING))
    run(cli, "2024-01-01")  # Q1: 150 + 90
    maintenance, cleaning = line_ids()
    assert str(cleaning) in invoiced_keys()
    db, cid = database_proxy.obj, Contract.get(Contract.code == "K-1").id
    remove_line(db, cid, cleaning)
    gardening = add_line(db, cid, GARDENING)
    assert gardening > cleaning
    assert line_ids() == [maintenance, gardening]
    assert due(cli, "2024-04-01") == IN_FULL


def test_a_line_added_after_the_newest_was_removed_by_import_bills_in_full(cli, tmp_path):
    load(cli, tmp_path, document(MAINTENANCE, CLEANING))
    run(cli, "2024-01-01")
    _, cleaning = line_ids()
    load(cli, tmp_path, document(MAINTENANCE))  # the file no longer has Cleaning
    load(cli, tmp_path, document(MAINTENANCE, GARDENING))
    [_, gardening] = line_ids()
    assert gardening > cleaning
    assert due(cli, "2024-04-01") == IN_FULL


def test_no_id_is_reused_after_the_newest_line_of_the_table_is_removed(cli, tmp_path):
    """The highest id of the whole table, removed with its contract too."""
    load(cli, tmp_path, document(MAINTENANCE, CLEANING))
    highest = max(line_ids())
    cid = Contract.get(Contract.code == "K-1").id
    ContractLine.delete().where(ContractLine.id == highest).execute()
    assert ContractLine.create(contract=cid, description="Other").id > highest


def test_the_demo_database_never_gives_a_removed_lines_id_again(cli):
    result = cli("--today", "2027-03-10", "demo")
    assert result.code == 0, result
    from tui_billing.store.database import open_database

    db = open_database(cli.target)
    try:
        newest = ContractLine.select().order_by(ContractLine.id.desc()).get()
        assert str(newest.id) in invoiced_keys()  # the demo's past billed it
        remove_line(db, newest.contract_id, newest.id)
        added = add_line(db, newest.contract_id, GARDENING)
        assert added > newest.id
        assert str(added) not in invoiced_keys()
    finally:
        db.close()
