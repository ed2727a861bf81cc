"""End to end: the real console script in tmux on the demo database; three installments
selected with the keyboard, invoiced, and found in the database."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

TODAY = dt.date(2026, 12, 1)

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")


def _script() -> str:
    beside = Path(sys.executable).with_name("tui-billing")
    return str(beside) if beside.exists() else (shutil.which("tui-billing") or "tui-billing")


class Tmux:
    """A tmux server of its own (its own socket), killed whatever happens."""

    def __init__(self, name: str) -> None:
        self.socket = name
        self.session = name

    def run(self, *args: str, check: bool = True) -> str:
        done = subprocess.run(
            ["tmux", "-L", self.socket, *args], capture_output=True, text=True, timeout=30
        )
        if check and done.returncode:
            raise AssertionError(f"tmux {args}: {done.stderr}")
        return done.stdout

    def start(self, command: str, width: int = 100, height: int = 30) -> None:
        self.run(
            "new-session", "-d", "-s", self.session, "-x", str(width), "-y", str(height), command
        )

    def keys(self, *keys: str) -> None:
        for key in keys:
            self.run("send-keys", "-t", self.session, key)
            time.sleep(0.15)

    def screen(self) -> str:
        return self.run("capture-pane", "-p", "-t", self.session, check=False)

    def wait_for(self, text: str, timeout: float = 30) -> str:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            shown = self.screen()
            if text in shown:
                return shown
            time.sleep(0.2)
        raise AssertionError(f"{text!r} never appeared; the screen:\n{self.screen()}")

    def alive(self) -> bool:
        return (
            subprocess.run(
                ["tmux", "-L", self.socket, "has-session", "-t", self.session], capture_output=True
            ).returncode
            == 0
        )

    def kill(self) -> None:
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True)


@pytest.mark.slow
def test_select_three_and_invoice_them_in_tmux(tmp_path) -> None:
    db = tmp_path / "demo.sqlite"
    env = {
        **os.environ,
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
    }
    env.pop("TUI_BILLING_CONFIG", None)
    subprocess.run(
        [_script(), "--db", str(db), "--today", TODAY.isoformat(), "demo"],
        check=True,
        env=env,
        capture_output=True,
        timeout=120,
    )

    from tui_billing.billing.due import list_due
    from tui_billing.billing.materialize import materialize
    from tui_billing.store.database import open_database

    tmux = Tmux(f"tui-billing-e2e-{os.getpid()}")
    command = (
        f"env XDG_CONFIG_HOME={tmp_path / 'config'} XDG_DATA_HOME={tmp_path / 'data'} "
        f"TERM=xterm-256color {_script()} --db {db} --today {TODAY.isoformat()}"
    )
    from tui_billing.store.models import Installment, Invoice

    database = open_database(str(db))
    materialize(database, TODAY)
    due = [r.id for r in list_due(database, TODAY)]
    invoices_before = {i.id for i in Invoice.select(Invoice.id)}  # the demo's billed past
    database.close()
    assert len(due) > 3
    first_three = due[:3]
    try:
        tmux.start(command)
        tmux.wait_for(f"{len(due)} due")
        tmux.keys("Space", "Space", "Space")
        shown = tmux.wait_for("3 selected")
        assert "0 hidden by the filter" in shown
        tmux.keys("c")
        tmux.wait_for("Create invoices for 3 installments")
        tmux.keys("Enter")
        tmux.wait_for("Create 3 draft invoices")
        tmux.keys("Enter")
        shown = tmux.wait_for("draft #")
        assert "3 invoices created (draft)" in shown
        tmux.keys("Enter")
        shown = tmux.wait_for(f"{len(due) - 3} due")
        assert "0 selected" in shown
        tmux.keys("q")
        end = time.monotonic() + 10
        while tmux.alive() and time.monotonic() < end:
            time.sleep(0.2)
        assert not tmux.alive(), "q did not leave the app"
    finally:
        tmux.kill()

    open_database(str(db))
    billed = {
        i.id: i.invoice_id
        for i in Installment.select().where(
            Installment.id.in_(due), Installment.status == "invoiced"
        )
    }
    assert sorted(billed) == sorted(first_three)
    new = [inv for inv in Invoice.select() if inv.id not in invoices_before]
    assert {inv.id for inv in new} == set(billed.values())
    assert all(inv.status == "draft" and inv.total > 0 for inv in new)
