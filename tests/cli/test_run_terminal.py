"""`tui-billing run` as people and cron see it, through the installed console script: a
rich progress bar and a clear summary on a terminal (a pseudo-terminal, and the screen tmux
shows afterwards), plain lines without ANSI escapes when the output goes to a pipe or a file."""

from __future__ import annotations

import fcntl
import os
import pty
import re
import shutil
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest

from tests.support.data import bulk_document, write_document

SCRIPT = Path(sys.executable).with_name("tui-billing")
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


@pytest.fixture
def billing_db(tmp_path) -> str:
    """30 monthly contracts from January plus one that cannot be billed."""
    target = str(tmp_path / "billing.sqlite")
    doc = bulk_document(30, collective_every=0)
    doc["contracts"].append(
        {
            "code": "K-BAD",
            "status": "active",
            "start_date": "2024-01-01",
            "frequency": "monthly",
            "lines": [],
        }
    )
    path = write_document(tmp_path / "d.json", doc)
    subprocess.run([str(SCRIPT), "--db", target, "import", path], check=True, capture_output=True)
    return target


def _env() -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("NO_COLOR", "TUI_BILLING_CONFIG", "COLUMNS", "LINES")
    }
    env["TERM"] = "xterm-256color"
    return env


def _run_on_pty(argv: list[str]) -> tuple[int, str]:
    """Run with stdin, stdout and stderr on a 100x30 pseudo-terminal; all it wrote."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    proc = subprocess.Popen(
        argv, stdin=slave, stdout=slave, stderr=slave, env=_env(), close_fds=True
    )
    os.close(slave)
    chunks = []
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: the other end is closed
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(master)
    return proc.wait(timeout=60), b"".join(chunks).decode("utf-8", "replace")


SUMMARY = [
    "Billing run of 31/03/2024: created 90 invoices from 90 installments.",
    "  Numbers: A/2024/0001 to A/2024/0066 (66), B/2024/0001 to B/2024/0024 (24)",
    "  Amount: 1,614.00 taxable + 300.90 VAT = 1,914.90 EUR",  # worked out by hand
    "  Courtesy copies: 0 sent.",
    "  Contracts failed: 1 (K-BAD; retried at the next run).",
]
FAILED = "tui-billing: contract K-BAD: cannot be billed: no customer, no lines"


def test_run_on_a_terminal_shows_a_progress_bar_then_the_summary(billing_db):
    code, out = _run_on_pty([str(SCRIPT), "--db", billing_db, "run", "--date", "2024-03-31"])
    assert code == 1  # one contract failed
    assert ANSI.search(out), "rich writes terminal control sequences"
    plain = ANSI.sub("", out)
    # the bar: its label, the bar itself and the count done of the total
    assert "Computing installments" in plain
    assert re.search(r"Invoicing installments\s+━+\s+90/90", plain), plain[-2000:]
    assert "\x1b[?25l" in out and "\x1b[?25h" in out  # cursor hidden while it runs, restored
    lines = [line.strip("\r") for line in plain.replace("\r\n", "\n").split("\n")]
    tail = [line.rsplit("\r", 1)[-1] for line in lines if line.strip()][-len(SUMMARY) - 1 :]
    assert FAILED in tail[0]
    assert tail[1:] == SUMMARY


def test_run_in_cron_prints_plain_lines(billing_db, tmp_path):
    """Output to a pipe (cron mails it, logger keeps it): no escapes, no bar, line by line."""
    result = subprocess.run(
        [str(SCRIPT), "--db", billing_db, "run", "--date", "2024-03-31"],
        capture_output=True,
        env=_env(),
        timeout=60,
    )
    assert result.returncode == 1
    assert b"\x1b" not in result.stdout and b"\x1b" not in result.stderr
    assert result.stdout.decode().splitlines() == SUMMARY
    assert result.stderr.decode().splitlines() == [FAILED]
    # to a file, as `>> run.log 2>&1` in a crontab line: the same plain lines
    log = tmp_path / "run.log"
    with log.open("wb") as handle:
        again = subprocess.run(
            [str(SCRIPT), "--db", billing_db, "run", "--date", "2024-03-31"],
            stdout=handle,
            stderr=subprocess.STDOUT,
            env=_env(),
            timeout=60,
        )
    assert again.returncode == 1
    text = log.read_text()
    assert "\x1b" not in text
    assert text.splitlines() == [
        FAILED,
        "Billing run of 31/03/2024: created 0 invoices from 0 installments.",
        "  Courtesy copies: 0 sent.",
        "  Contracts failed: 1 (K-BAD; retried at the next run).",
    ]


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux not installed")
def test_terminal_screen_after_the_run_holds_the_summary_not_the_bar(billing_db, tmp_path):
    session = f"tb-run-{os.getpid()}"
    done = tmp_path / "done"
    command = f"{SCRIPT} --db {billing_db} run --date 2024-03-31; echo exit=$? > {done}; sleep 30"
    subprocess.run(
        ["tmux", "new-session", "-d", "-s", session, "-x", "100", "-y", "30", command],
        check=True,
        env=_env(),
    )
    try:
        deadline = time.monotonic() + 60
        while not done.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert done.read_text().strip() == "exit=1"
        screen = subprocess.run(
            ["tmux", "capture-pane", "-p", "-t", session],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)
    rows = [row.rstrip() for row in screen.splitlines() if row.strip()]
    assert rows == [FAILED, *SUMMARY], screen
    assert "━" not in screen  # the bar is gone once the run is over
