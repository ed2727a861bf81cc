"""Passwords never reach stdout, stderr or a log; errors.log is private; a configuration
that leaks the SMTP password is refused before anything is written."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import pytest

from tests.conftest import new_pg_database
from tests.support.data import bulk_document, write_document
from tui_billing.cli import invoice_commands
from tui_billing.cli.main import main
from tui_billing.store.database import connect, open_database, reopen_target
from tui_billing.store.models import BillingRun, Installment, Invoice, Outbox

SECRET = "Sup3r-S3cret"


@pytest.fixture
def no_config(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "no-config"))
    monkeypatch.delenv("TUI_BILLING_CONFIG", raising=False)
    monkeypatch.delenv("TUI_BILLING_DB", raising=False)
    monkeypatch.delenv("TUI_BILLING_SMTP_PASSWORD", raising=False)


@pytest.mark.parametrize(
    ("url", "why"),
    [
        (f"postgresql://billing:{SECRET[:5]}/{SECRET[5:]}@db.example:5432/billing", "unencoded"),
        (f"postgresql://billing:{SECRET[:5]}#{SECRET[5:]}@db.example:5432/billing", "unencoded"),
        (f"postgresql://billing:{SECRET[:5]}?{SECRET[5:]}@db.example/billing", "unencoded"),
        (f"postgresql://billing:{SECRET}@db.example:99999/billing", "the port"),
        (f"postgresql://billing:{SECRET}@db.example:0/billing", "the port"),
        (f"postgresql://billing:{SECRET}@db.example:port/billing", "the port"),
        (f"postgres://billing:{SECRET}@[db.example/billing", "not a valid PostgreSQL URL"),
    ],
)
@pytest.mark.parametrize("given", ["option", "environment"])
def test_a_bad_postgresql_url_is_refused_without_its_password(
    url, why, given, no_config, monkeypatch, capsys
):
    if given == "environment":
        monkeypatch.setenv("TUI_BILLING_DB", url)
    argv = (["--db", url] if given == "option" else []) + ["invoices", "--json"]
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert why in captured.err and len(captured.err.strip().splitlines()) == 1, captured.err
    for shown in (captured.err, captured.out):
        assert SECRET[:5] not in shown and SECRET[5:] not in shown, shown
    assert why in captured.out  # the JSON error object


def test_the_url_given_to_worker_processes_keeps_an_encoded_password(pg_cluster):
    url = new_pg_database(pg_cluster)
    with_password = url.replace("postgres@", "postgres:p%2Fw%23d%40x%3Ay%25z@")
    db = open_database(with_password)
    assert db.connect_params["password"] == "p/w#d@x:y%z"
    again = connect(reopen_target(db))
    assert again.connect_params == db.connect_params and again.database == db.database
    db.close()
    odd = connect("postgresql://u%3An:p%2F%40@[::1]:5433/a%2Fb%23c")
    assert (odd.database, odd.connect_params["host"]) == ("a/b#c", "::1")
    again = connect(reopen_target(odd))
    assert (again.database, again.connect_params) == (odd.database, odd.connect_params)


def test_errors_log_is_0600_and_holds_no_password(tmp_path, monkeypatch, capsys, no_config):
    log_dir = tmp_path / "log"
    monkeypatch.setattr("platformdirs.user_log_dir", lambda *a, **k: str(log_dir))
    url = f"postgresql://billing:{SECRET}@db.example:5432/billing"
    smtp = "Smtp-Pass-Word"
    monkeypatch.setenv("TUI_BILLING_SMTP_PASSWORD", smtp)
    argv = ["--db", url, "invoices"]
    monkeypatch.setattr(sys, "argv", ["tui-billing", *argv])

    def broken(args):
        raise RuntimeError(f"cannot reach {args.db} with {smtp}")

    monkeypatch.setattr(invoice_commands, "cmd_invoices", broken)
    old = os.umask(0o022)
    try:
        assert main(argv) == 70
        log = log_dir / "errors.log"
        log.chmod(0o644)  # as an earlier version left it
        assert main(argv) == 70
    finally:
        os.umask(old)
    captured = capsys.readouterr()
    assert "internal error: RuntimeError" in captured.err
    text = log.read_text()
    assert text.count("RuntimeError: cannot reach postgresql://billing:***@db.example") == 2
    assert "--db postgresql://billing:***@db.example:5432/billing invoices" in text
    for shown in (text, captured.err, captured.out):
        assert SECRET not in shown and smtp not in shown
    assert stat.S_IMODE(log.stat().st_mode) == 0o600
    assert stat.S_IMODE(log_dir.stat().st_mode) == 0o700


def test_demo_shows_the_postgresql_url_without_its_password(pg_cluster, capsys, no_config):
    url = new_pg_database(pg_cluster).replace("postgres@", f"postgres:{SECRET}@")
    assert main(["--db", url, "--today", "2026-01-15", "demo"]) == 0
    captured = capsys.readouterr()
    assert "postgresql://postgres:***@127.0.0.1" in captured.out
    assert SECRET not in captured.out and SECRET not in captured.err


def _config(tmp_path: Path, mode: int) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(
        '[smtp]\nhost = "127.0.0.1"\nport = 1\nsecurity = "none"\n'
        'sender = "billing@example.com"\npassword = "Smtp-File-Password"\n'
    )
    path.chmod(mode)
    return path


@pytest.mark.parametrize("smtp_env", [None, "from-the-environment"])
def test_a_readable_config_with_a_password_is_refused_before_anything_is_written(
    cli, tmp_path, monkeypatch, smtp_env
):
    if smtp_env:
        monkeypatch.setenv("TUI_BILLING_SMTP_PASSWORD", smtp_env)
    document = bulk_document(4, email="billing@customer.example")
    assert cli("import", write_document(tmp_path / "d.json", document)).code == 0
    config = _config(tmp_path, 0o644)
    result = cli("--config", str(config), "run", "--date", "2024-03-31", "--json")
    assert result.code == 2, result
    assert result.json()["exit_status"] == 2
    assert "chmod 600" in result.json()["error"] and str(config) in result.json()["error"]
    assert "Smtp-File-Password" not in result.out + result.err
    assert len(result.err.strip().splitlines()) == 1
    assert (
        Invoice.select().count(),
        Installment.select().count(),
        BillingRun.select().count(),
        Outbox.select().count(),
    ) == (0, 0, 0, 0)
    config.chmod(0o600)
    ok = cli("--config", str(config), "run", "--date", "2024-03-31", "--json", "--no-email")
    assert ok.code == 0 and ok.json()["invoices_created"] > 0


def test_an_unsafe_config_creates_no_database(tmp_path, capsys, no_config):
    config = _config(tmp_path, 0o640)
    target = tmp_path / "new" / "billing.sqlite"
    target.parent.mkdir()
    document = write_document(tmp_path / "d.json", bulk_document(1))
    for argv in (["run", "--date", "2024-03-31"], ["import", document], ["demo"]):
        assert main(["--db", str(target), "--config", str(config), *argv]) == 2
        assert "others may read it (mode 0640)" in capsys.readouterr().err
    assert list(target.parent.iterdir()) == []
