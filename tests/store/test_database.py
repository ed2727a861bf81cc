"""Choosing and opening the database: files, URLs, pragmas, refusals."""

import sqlite3
from pathlib import Path

import pytest

from tui_billing.domain.errors import UserError
from tui_billing.store.database import open_database, resolve_target, sqlite_path
from tui_billing.store.migrations import LATEST_VERSION
from tui_billing.store.models import Contract, SchemaVersion

FIXTURE = Path(__file__).parent.parent / "fixtures" / "schema_v1.sql"


def test_sqlite_pragmas(sqlite_target):
    db = open_database(sqlite_target)
    assert db.execute_sql("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute_sql("PRAGMA foreign_keys").fetchone()[0] == 1
    assert db.execute_sql("PRAGMA busy_timeout").fetchone()[0] >= 5000
    db.close()


def test_new_sqlite_file_has_big_pages_and_an_existing_one_keeps_its_own(tmp_path):
    db = open_database(str(tmp_path / "new.sqlite"))
    assert db.execute_sql("PRAGMA page_size").fetchone()[0] == 16384
    db.close()
    old = tmp_path / "old.sqlite"  # a file of an earlier version, with 4 KiB pages
    con = sqlite3.connect(old)
    con.execute("PRAGMA page_size = 4096")
    con.executescript(FIXTURE.read_text())
    con.close()
    db = open_database(str(old))
    assert db.execute_sql("PRAGMA page_size").fetchone()[0] == 4096
    assert Contract.get(Contract.code == "K-001").code == "K-001"
    db.close()


def test_new_database_is_at_latest_version(db):
    assert max(v.version for v in SchemaVersion.select()) == LATEST_VERSION


def test_not_a_database_is_left_untouched(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_bytes(b"this is not a database\n" * 10)
    before = path.read_bytes()
    with pytest.raises(UserError, match="not an SQLite database"):
        open_database(str(path))
    assert path.read_bytes() == before
    assert not (tmp_path / "notes.txt-wal").exists()


def test_foreign_sqlite_database_is_refused(tmp_path):
    path = tmp_path / "other.sqlite"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE stuff (x)")
    con.commit()
    con.close()
    with pytest.raises(UserError, match="not a tui-billing database"):
        open_database(str(path))
    con = sqlite3.connect(path)
    assert [r[0] for r in con.execute("SELECT name FROM sqlite_master")] == ["stuff"]


def test_newer_database_is_refused(db_target):
    db = open_database(db_target)
    SchemaVersion.create(version=LATEST_VERSION + 1, description="from the future")
    db.close()
    with pytest.raises(UserError, match="newer than this program"):
        open_database(db_target)


def test_targets(monkeypatch, tmp_path):
    monkeypatch.delenv("TUI_BILLING_DB", raising=False)
    assert resolve_target("x.sqlite") == "x.sqlite"
    monkeypatch.setenv("TUI_BILLING_DB", str(tmp_path / "env.sqlite"))
    assert resolve_target(None) == str(tmp_path / "env.sqlite")
    assert str(sqlite_path("sqlite:////abs/file.db")) == "/abs/file.db"
    assert str(sqlite_path("sqlite:///rel/file.db")) == "rel/file.db"


def test_missing_directory_is_an_error(tmp_path):
    with pytest.raises(UserError, match="no such directory"):
        open_database(str(tmp_path / "nope" / "x.sqlite"))
