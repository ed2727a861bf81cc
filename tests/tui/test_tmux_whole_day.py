"""End to end: an office day in the real console script, in tmux at 80x24, on a fresh demo
database with courtesy copies going to a local SMTP server; each step is checked on the
screen and against the command line's `--json`."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.tui.test_tmux_end_to_end import Tmux, _script

TODAY = dt.date(2026, 12, 7)
WAIT = 90  # seconds: the machine may be loaded

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")


class Collector:
    """aiosmtpd handler that keeps every message it accepts."""

    def __init__(self) -> None:
        self.envelopes: list = []

    async def handle_DATA(self, server, session, envelope) -> str:
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_server() -> Iterator[tuple[Collector, int]]:
    from aiosmtpd.controller import Controller

    class Ephemeral(Controller):
        def _trigger_server(self) -> None:
            assert self.server is not None
            self.port = self.server.sockets[0].getsockname()[1]
            super()._trigger_server()

    handler = Collector()
    controller = Ephemeral(handler, hostname="127.0.0.1", port=0)
    controller.start()
    yield handler, controller.port
    controller.stop()


class Day:
    """The app in tmux and the command line on the same database and configuration."""

    def __init__(self, tmp_path: Path, port: int) -> None:
        self.db = tmp_path / "demo.sqlite"
        self.config = tmp_path / "config.toml"
        self.config.write_text(
            "[billing]\nemail = true\nworkers = 1\n"
            f'[smtp]\nhost = "127.0.0.1"\nport = {port}\nsecurity = "none"\n'
            'sender = "fatture@example.it"\ntimeout = 30\n'
        )
        self.env = {
            **os.environ,
            "XDG_CONFIG_HOME": str(tmp_path / "xdg-config"),
            "XDG_DATA_HOME": str(tmp_path / "xdg-data"),
        }
        self.env.pop("TUI_BILLING_CONFIG", None)
        self.tmux = Tmux(f"tui-billing-day-{os.getpid()}")

    def cli(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [
                _script(),
                "--db",
                str(self.db),
                "--config",
                str(self.config),
                "--today",
                TODAY.isoformat(),
                *args,
            ],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=300,
        )

    def json(self, *args: str):
        done = self.cli(*args, "--json")
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)

    def json_of(self, *args: str):
        """The JSON a command writes without a --json option (export)."""
        done = self.cli(*args)
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)

    def start(self) -> None:
        command = (
            f"env XDG_CONFIG_HOME={self.env['XDG_CONFIG_HOME']} "
            f"XDG_DATA_HOME={self.env['XDG_DATA_HOME']} TERM=xterm-256color "
            f"{_script()} --db {self.db} --config {self.config} --today {TODAY.isoformat()}"
        )
        self.tmux.start(command, width=80, height=24)

    def keys(self, *keys: str) -> None:
        self.tmux.keys(*keys)

    def wait_for(self, text: str) -> str:
        return self.tmux.wait_for(text, timeout=WAIT)

    def wait_for_line(self, label: str, value: str) -> None:
        """Wait until the screen's line that starts with the label shows the value."""
        end = time.monotonic() + WAIT
        while time.monotonic() < end:
            lines = [ln.strip() for ln in self.tmux.screen().splitlines()]
            if any(ln.startswith(label) and value in ln for ln in lines):
                return
            time.sleep(0.2)
        raise AssertionError(f"{label} never showed {value!r}; the screen:\n{self.tmux.screen()}")

    def fill(self, fields: list[tuple[str, str | None]]) -> None:
        """Type each value in the field that has the focus, then tab on: None skips a field.

        Each value must show next to its label before the next key goes: keys sent while
        the app is busy must not run together."""
        # a form shows its fields, then focuses the first: a Tab sent earlier is lost
        self.wait_for_line(fields[0][0], "")
        time.sleep(1)
        for label, value in fields:
            if value is not None:
                self.keys(value)
                self.wait_for_line(label, value)
            self.keys("Tab")
            time.sleep(0.3)


def only_invoice_of(day: Day, customer: str) -> dict:
    [invoice] = [i for i in day.json("invoices") if i["customer"] == customer]
    return invoice


@pytest.mark.slow
def test_a_whole_office_day_in_tmux(tmp_path, smtp_server) -> None:
    collector, port = smtp_server
    day = Day(tmp_path, port)
    demo = day.cli("demo")
    assert demo.returncode == 0, demo.stderr
    try:
        day.start()
        day.wait_for("selected")

        # 1. a customer, on the customers screen
        day.keys("9")
        day.wait_for("Legal late-payment rates")
        day.keys("c")
        day.wait_for("Search code or name")
        day.keys("n")
        day.wait_for("New customer")
        day.fill(
            [
                ("Code", "K9001"),
                ("Name", "Giornata Srl"),
                ("Street", "Via Verdi 2"),
                ("CAP", "24121"),
                ("Comune", "Bergamo"),
                ("Provincia", "BG"),
                ("Country", None),
                ("VAT number", "IT09876540015"),
                ("Codice fiscale", None),
                ("SdI code", "KRRH6B9"),
                ("PEC", None),
                ("E-mail", "giornata@example.it"),
            ]
        )
        day.keys("C-s")
        shown = day.wait_for("customer K9001 saved")
        assert "Giornata Srl" in shown
        customer = {c["code"]: c for c in day.json("customers")}["K9001"]
        assert customer["name"] == "Giornata Srl"
        assert customer["vat_number"] == "IT09876540015"
        assert customer["sdi_code"] == "KRRH6B9"
        assert customer["email"] == "giornata@example.it"
        assert (customer["city"], customer["province"]) == ("Bergamo", "BG")

        # 2. a monthly contract for it, with one line, activated
        day.keys("2")
        day.wait_for("Contracts —")
        day.keys("n")
        day.wait_for("New contract")
        day.fill(
            [
                ("Code", "K-9001"),
                ("Customer", "K9001"),
                ("Description", "Assistenza"),
                ("Start date", "01/12/2026"),
                ("End date", None),
            ]
        )
        day.keys("Enter")  # the frequency's choices: none, daily, weekly, monthly...
        day.wait_for("four-monthly")
        day.keys("Down", "Down", "Down", "Enter")
        day.wait_for_line("Frequency", "monthly")
        day.keys("C-s")
        shown = day.wait_for("No lines yet")
        assert "K-9001 · K9001 Giornata Srl · draft · Assistenza" in shown
        day.keys("n")
        day.wait_for("Contract K-9001: new line")
        day.fill(
            [
                ("Article", None),
                ("Description", "Canone assistenza"),
                ("Quantity", None),
                ("Unit price", "150,00"),
                ("Price per", None),
            ]
        )
        day.keys("2", "2")  # VAT %: its placeholder says 22.00 already
        time.sleep(1)
        day.keys("C-s")
        day.wait_for("line saved")
        day.keys("a")
        shown = day.wait_for("K-9001 activated")
        assert "K-9001 · K9001 Giornata Srl · active · Assistenza" in shown
        exported = day.json_of("export")
        contract = {c["code"]: c for c in exported["contracts"]}["K-9001"]
        assert (contract["customer"], contract["status"]) == ("K9001", "active")
        assert (contract["frequency"], contract["start_date"]) == ("monthly", "2026-12-01")
        [line] = contract["lines"]
        assert (line["description"], line["unit_price"], line["vat_rate"]) == (
            "Canone assistenza",
            "150.00",
            "22.00",
        )
        due = [r for r in day.json("due", "--date", TODAY.isoformat()) if "K-9001" in str(r)]
        assert len(due) == 1, due

        # 3. its due installment billed from the due screen, as a draft
        day.keys("1")
        day.wait_for("Due installments —")
        day.keys("/")
        time.sleep(0.5)
        day.keys("Giornata")
        day.wait_for("Giornata")
        day.keys("Enter")
        day.wait_for("1 of ")
        day.keys("a")
        day.wait_for("1 selected · 150.00")
        day.keys("c")
        day.wait_for("Create invoices for 1 installment, 150.00 net")
        day.keys("Enter")
        day.wait_for("Create 1 draft invoice dated 01/12/2026")
        day.keys("Enter")
        shown = day.wait_for("1 invoice created (draft)")
        assert "total 183.00" in shown
        draft = only_invoice_of(day, "K9001")
        assert draft["status"] == "draft" and draft["number"] is None
        assert (draft["date"], draft["total"], draft["contracts"]) == (
            "2026-12-01",
            "183.00",
            ["K-9001"],
        )
        day.wait_for(f"draft #{draft['id']}")
        day.keys("Enter")
        day.wait_for("0 selected")

        # 4. the draft issued from the invoices screen (the newest, at the top)
        day.keys("3")
        day.wait_for(f"draft #{draft['id']}")
        day.keys("i")
        day.wait_for(f"Issue 1 invoice (draft #{draft['id']}) dated 01/12/2026")
        day.keys("Enter")
        issued = only_invoice_of(day, "K9001")
        number = issued["number"]
        assert issued["status"] == "issued" and number and number.startswith("A/2026/")
        assert issued["id"] == draft["id"] and issued["total"] == "183.00"
        shown = day.wait_for(f"Issued as {number}")
        assert re.search(rf"{re.escape(number)}\s+01/12/2026\s+Giornata Srl\s+issued", shown)

        # 5. its payment recorded on the payments screen
        day.keys("5")
        day.wait_for("Open items on")
        time.sleep(1)
        day.keys(number)  # the focus starts in the form's invoice field, labelled
        day.wait_for(f"Invoice {number}")
        day.keys("Tab")
        time.sleep(0.5)
        day.keys("183,00")
        day.wait_for("Amount 183,00")
        day.keys("C-s")
        day.wait_for(f"on {number} (07/12/2026)")
        [payment] = [p for p in day.json("payments") if p["invoice"] == number]
        assert (payment["customer"], payment["amount"], payment["date"]) == (
            "K9001",
            "183.00",
            TODAY.isoformat(),
        )
        paid = only_invoice_of(day, "K9001")
        assert (paid["paid"], paid["open"]) == ("183.00", "0.00")

        # 6. the day's run, with courtesy copies to the local SMTP server
        before = {i["id"] for i in day.json("invoices")}
        day.keys("F7")  # the payment form is ready for the next invoice: F-keys switch
        day.wait_for("Billing runs —")
        day.wait_for("[x] e-mail")
        day.keys("r")
        day.wait_for("Start the billing run dated 07/12/2026")
        day.keys("Enter")
        shown = day.wait_for(" e-mailed")
        found = re.search(r"done: (\d+) invoices, .*?(\d+) e-mailed", " ".join(shown.split()))
        assert found, shown
        invoiced, mailed = int(found[1]), int(found[2])
        run_invoices = [i for i in day.json("invoices") if i["id"] not in before]
        assert invoiced > 0 and len(run_invoices) == invoiced
        assert all(i["status"] == "issued" and i["number"] for i in run_invoices)
        with_email = [i for i in run_invoices if i["buyer"]["email"]]
        assert mailed == len(with_email) > 0
        end = time.monotonic() + WAIT
        while len(collector.envelopes) < mailed and time.monotonic() < end:
            time.sleep(0.2)
        assert len(collector.envelopes) == mailed
        assert sorted(r for e in collector.envelopes for r in e.rcpt_tos) == sorted(
            i["buyer"]["email"] for i in with_email
        )

        # 7. the run's log, a message read whole
        day.keys("Tab")  # from the runs to the log of the selected run
        time.sleep(0.5)
        day.keys("Enter")
        shown = day.wait_for("enter / esc: close")
        assert f"done: {invoiced} invoices" in shown and f"{mailed} e-mailed" in shown
        # the message read whole is the first entry of the newest run's log, as the CLI has it
        newest = day.json("runs")[0]
        assert (newest["status"], newest["origin"], newest["dry_run"]) == ("done", "tui", False)
        assert (newest["invoices_created"], newest["emailed"]) == (invoiced, mailed)
        first = day.json("runs", "log", str(newest["id"]))[0]
        assert f"done: {invoiced} invoices" in first["message"], first
        on_screen = " ".join(re.sub(r"[│┃║▌▐▎▊]", " ", shown).split())
        assert " ".join(first["message"].split()) in on_screen, (first, shown)
        day.keys("Escape")
    finally:
        day.tmux.kill()
