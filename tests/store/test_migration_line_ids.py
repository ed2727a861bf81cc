"""Version 12: contract line ids are never given twice. An older SQLite file's contract_line
is rebuilt with AUTOINCREMENT, keeping its rows, ids, indexes and foreign keys, and its
sequence starts past every id the installments name (a line removed before the upgrade
too); on PostgreSQL, whose SERIAL never reuses an id, the step is recorded and changes
nothing."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from tests.cli.test_line_ids import CLEANING, GARDENING, IN_FULL, MAINTENANCE, document
from tests.support.k1_steps import due, line_ids, load, run
from tests.support.schema_before_12 import BEFORE_12
from tui_billing.billing.contract_editing import add_line, remove_line
from tui_billing.store.database import open_database
from tui_billing.store.models import Contract, ContractLine, SchemaVersion, database_proxy

FIXTURE = Path(__file__).parent.parent / "fixtures" / "schema_v1.sql"


def _installment(con, key, invoice_date, lines, status="invoiced"):
    con.execute(
        "INSERT INTO installment (contract_id, key, period_start, period_end, invoice_date,"
        " amount, lines, status) VALUES (1, ?, NULL, NULL, ?, 0, ?, ?)",
        (key, invoice_date, json.dumps([{"line": k} for k in lines]), status),
    )


def _old_file(tmp_path, *installments) -> Path:
    """The version-1 fixture: contract K-001 with line 1, and lines 2 to 4 of which 4 (the
    newest) is removed again, so a plain INTEGER PRIMARY KEY would give 4 next."""
    path = tmp_path / "old.sqlite"
    con = sqlite3.connect(path)
    con.executescript(FIXTURE.read_text())
    for n in (2, 3, 4):
        con.execute(
            "INSERT INTO contract_line VALUES (?, 1, ?, NULL, ?, 10000, 100000, "
            "'monthly', 1, NULL, NULL, 2200, NULL)",
            (n, n - 1, f"Line {n}"),
        )
    con.execute("DELETE FROM contract_line WHERE id = 4")
    for args in installments:
        _installment(con, *args)
    con.commit()
    con.close()
    return path


def _rows(path: Path) -> list[tuple]:
    con = sqlite3.connect(path)
    try:
        return con.execute("SELECT * FROM contract_line ORDER BY id").fetchall()
    finally:
        con.close()


def _sequence(path: Path) -> int | None:
    con = sqlite3.connect(path)
    try:
        row = con.execute("SELECT seq FROM sqlite_sequence WHERE name = 'contract_line'").fetchone()
        return row[0] if row else None
    finally:
        con.close()


def test_an_old_file_keeps_its_lines_and_their_ids(tmp_path):
    path = _old_file(tmp_path)
    before = _rows(path)
    db = open_database(str(path))
    try:
        assert 12 in {v for (v,) in SchemaVersion.select(SchemaVersion.version).tuples()}
        assert [
            (li.id, li.description) for li in ContractLine.select().order_by(ContractLine.id)
        ] == [(1, "Maintenance"), (2, "Line 2"), (3, "Line 3")]
        assert db.execute_sql("PRAGMA foreign_keys").fetchone() == (1,)  # on again
        assert db.execute_sql("PRAGMA foreign_key_check").fetchall() == []
        # the rebuilt table still refuses a line of no contract, and cascades from it
        with pytest.raises(Exception, match="FOREIGN KEY"):
            ContractLine.create(contract=99, description="orphan")
    finally:
        db.close()
    after = _rows(path)
    assert [row[:13] for row in after] == before and all(row[13] is None for row in after)
    con = sqlite3.connect(path)
    (sql,) = con.execute("SELECT sql FROM sqlite_master WHERE name = 'contract_line'").fetchone()
    con.close()
    assert '"id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT' in sql


def test_an_old_file_never_gives_an_id_again_even_one_removed_before_the_upgrade(tmp_path):
    # Line 6 billed and removed before the upgrade (4 and 5 never billed, removed too); its
    # balancing, a late charge and an order line name other things.
    path = _old_file(
        tmp_path,
        ("2024-07-01", "2024-07-01", ["1", "6", "6:balance", "late-interest:40"]),
        ("2024-10-01", "2024-10-01", ["1"], "pending"),
    )
    db = open_database(str(path))
    try:
        assert _sequence(path) == 6
        cid = Contract.get(Contract.code == "K-001").id
        new = add_line(
            db,
            cid,
            {
                "description": "Cleaning",
                "quantity": "1",
                "unit_price": "30.00",
                "price_period": "monthly",
                "vat_rate": "22",
            },
        )
        assert new == 7
        remove_line(db, cid, new)
        assert (
            add_line(
                db,
                cid,
                {
                    "description": "Other",
                    "quantity": "1",
                    "unit_price": "1.00",
                    "vat_rate": "22",
                    "recurring": False,
                },
            )
            == 8
        )
    finally:
        db.close()
    db = open_database(str(path))  # a second open changes nothing
    try:
        assert SchemaVersion.select().where(SchemaVersion.version == 12).count() == 1
        assert [li.id for li in ContractLine.select().order_by(ContractLine.id)] == [1, 2, 3, 8]
    finally:
        db.close()


def test_an_old_file_with_no_lines_at_all_gives_ids_from_1(tmp_path):
    path = tmp_path / "old.sqlite"
    con = sqlite3.connect(path)
    con.executescript(FIXTURE.read_text())
    con.execute("DELETE FROM contract_line")
    con.commit()
    con.close()
    db = open_database(str(path))
    try:
        assert _sequence(path) in (None, 0)
        assert ContractLine.create(contract=1, description="First").id == 1
    finally:
        db.close()


def test_a_rebuild_that_breaks_a_foreign_key_undoes_the_upgrade(tmp_path, monkeypatch, capsys):
    """The foreign keys are checked after the rebuild, and a break undoes the whole upgrade
    (here a definition pointing the lines to a table that does not exist stands for one):
    one line naming the row, exit status 2."""
    from tui_billing.cli.main import main
    from tui_billing.store import migrations

    path = _old_file(tmp_path)
    real = migrations._with_autoincrement
    monkeypatch.setattr(
        migrations,
        "_with_autoincrement",
        lambda sql: real(sql).replace('REFERENCES "contract" ', 'REFERENCES "contract_gone" '),
    )
    assert main(["--db", str(path), "due", "--date", "2024-07-01"]) == 2
    err = capsys.readouterr().err.strip()
    assert err == (
        f"tui-billing: error: --db: {path}: contract_line row 1 refers to a missing contract_gone row "
        "after rebuilding contract_line; upgrade undone, nothing changed"
    )
    database_proxy.obj.close()
    con = sqlite3.connect(path)
    try:
        assert con.execute("SELECT MAX(version) FROM schema_version").fetchone() == (1,)
        (sql,) = con.execute(
            "SELECT sql FROM sqlite_master WHERE name = 'contract_line'"
        ).fetchone()
        assert "AUTOINCREMENT" not in sql and 'REFERENCES "contract" ' in sql
        assert [row[0] for row in con.execute("SELECT id FROM contract_line ORDER BY id")] == [
            1,
            2,
            3,
        ]
    finally:
        con.close()


@pytest.mark.parametrize("db_target", ["sqlite"], indirect=True)
def test_a_file_from_before_12_with_a_removed_invoiced_line_bills_a_new_line_in_full(cli, tmp_path):
    """Cleaning, the newest line, invoiced and removed before version 12: after it the
    next line does not get its id, and bills its days in full."""
    load(cli, tmp_path, document(MAINTENANCE, CLEANING))
    run(cli, "2024-01-01")
    maintenance, cleaning = line_ids()
    remove_line(database_proxy.obj, Contract.get(Contract.code == "K-1").id, cleaning)
    database_proxy.obj.close()
    con = sqlite3.connect(cli.target)
    for statement in BEFORE_12:
        con.execute(statement)
    con.commit()
    con.close()
    assert _sequence(Path(cli.target)) is None  # a plain key would give Cleaning's id again

    db = open_database(cli.target)
    assert _sequence(Path(cli.target)) == cleaning
    gardening = add_line(db, Contract.get(Contract.code == "K-1").id, GARDENING)
    assert gardening == cleaning + 1
    assert line_ids() == [maintenance, gardening]
    assert due(cli, "2024-04-01") == IN_FULL


@pytest.mark.parametrize("db_target", ["postgres"], indirect=True)
def test_postgresql_records_version_12_and_its_sequence_never_goes_back(db, db_target):
    k = Contract.create(code="K-1")
    first, newest = (ContractLine.create(contract=k, description=d).id for d in ("A", "B"))
    ContractLine.delete().where(ContractLine.id == newest).execute()
    db.execute_sql("DELETE FROM schema_version WHERE version = 12")
    db.execute_sql("UPDATE schema_version SET description = 'upgraded' WHERE version > 12")
    db.close()
    db = open_database(db_target)  # version 12 again: nothing to change
    try:
        assert SchemaVersion.get(SchemaVersion.version == 12).description == (
            "contract line ids never reused"
        )
        assert [li.id for li in ContractLine.select()] == [first]
        assert ContractLine.create(contract=k, description="C").id == newest + 1
    finally:
        db.close()
