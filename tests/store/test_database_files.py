"""The SQLite files: private when new, and one run lock per database however it is reached."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.data import bulk_document, write_document
from tui_billing.cli.main import main
from tui_billing.store.database import open_database
from tui_billing.store.locking import billing_run_lock, run_lock_path
from tui_billing.store.models import Customer, Invoice


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def umask_022():
    old = os.umask(0o022)
    yield
    os.umask(old)


def test_a_new_database_and_its_companions_are_0600(tmp_path, umask_022):
    path = tmp_path / "new.sqlite"
    db = open_database(str(path))
    Customer.create(code="C1", name="One")  # the -wal and -shm files exist while it is open
    assert {p.name: mode(p) for p in tmp_path.iterdir()} == {
        "new.sqlite": 0o600,
        "new.sqlite-wal": 0o600,
        "new.sqlite-shm": 0o600,
    }
    with billing_run_lock(db):
        assert mode(Path(run_lock_path(db))) == 0o600
    db.close()


def test_an_existing_database_keeps_its_mode(tmp_path, umask_022):
    path = tmp_path / "shared.sqlite"
    open_database(str(path)).close()
    path.chmod(0o640)
    db = open_database(str(path))
    Customer.create(code="C1", name="One")
    assert mode(path) == 0o640 and mode(tmp_path / "shared.sqlite-wal") == 0o640
    db.close()


def test_the_default_data_folder_is_created_0700(tmp_path, monkeypatch, umask_022, capsys):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.delenv("TUI_BILLING_DB", raising=False)
    monkeypatch.delenv("TUI_BILLING_CONFIG", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    assert main(["invoices"]) == 0
    folder = tmp_path / "data" / "tui-billing"
    assert mode(folder) == 0o700 and mode(folder / "billing.sqlite") == 0o600
    assert main(["--today", "2026-01-15", "demo"]) == 0
    assert mode(folder / "demo.sqlite") == 0o600
    capsys.readouterr()


def _hold_lock(target: str) -> subprocess.Popen:
    code = (
        "import time; from tui_billing.store.database import open_database; "
        "from tui_billing.store.locking import billing_run_lock; "
        f"db = open_database({target!r}); "
        "cm = billing_run_lock(db); cm.__enter__(); print('locked', flush=True); "
        "time.sleep(60)"
    )
    holder = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "locked"
    return holder


@pytest.mark.parametrize("through", ["file link", "folder link", "dotted path"])
def test_a_run_through_another_path_to_the_same_file_exits_3(tmp_path, capsys, through):
    real = tmp_path / "data" / "billing.sqlite"
    real.parent.mkdir()
    document = write_document(tmp_path / "d.json", bulk_document(3))
    assert main(["--db", str(real), "import", document]) == 0
    if through == "file link":
        other = tmp_path / "link.sqlite"
        other.symlink_to(real)
    elif through == "folder link":
        (tmp_path / "alias").symlink_to(real.parent)
        other = tmp_path / "alias" / "billing.sqlite"
    else:
        other = tmp_path / "data" / ".." / "data" / "billing.sqlite"
    holder = _hold_lock(str(real))
    try:
        capsys.readouterr()
        assert main(["--db", str(other), "run", "--date", "2024-01-31", "--json"]) == 3
        captured = capsys.readouterr()
        assert "another billing run holds the lock" in captured.err
        assert json.loads(captured.out) == {
            "error": "another billing run holds the lock on this database",
            "exit_status": 3,
        }
        assert Invoice.select().count() == 0
    finally:
        holder.kill()
        holder.wait()
    assert main(["--db", str(other), "run", "--date", "2024-01-31"]) == 0
    assert Invoice.select().count() > 0
    capsys.readouterr()
