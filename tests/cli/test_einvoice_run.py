"""The billing run exports the e-invoice of every document it issues when [einvoice] dir
is configured, says how many, and names an invalid one (exit 1; it stays issued, pending)."""

from __future__ import annotations

import email
import email.policy
import json

import pytest

from tests.output.test_mail import make_server  # noqa: F401 - fixture
from tests.support.einvoice_data import einvoice_document


def _setup(cli, tmp_path, *, folder: bool = True):
    data = tmp_path / "data.json"
    data.write_text(json.dumps(einvoice_document(2)))
    assert cli("import", str(data)).code == 0
    hot = tmp_path / "hot"
    hot.mkdir()
    config = tmp_path / "config.toml"
    config.write_text(f'[einvoice]\ndir = "{hot}"\n' if folder else "")
    return hot, config


def test_the_run_exports_what_it_issues(cli, tmp_path):
    hot, config = _setup(cli, tmp_path)
    result = cli(
        "--config",
        str(config),
        "--today",
        "2026-01-31",
        "run",
        "--date",
        "2026-01-31",
        "--status",
        "issued",
        "--no-email",
    )
    assert result.code == 0, result
    assert "E-invoices: 2 written." in result.out
    assert sorted(p.name for p in hot.iterdir()) == [
        "IT01234560017_00001.xml",
        "IT01234560017_00002.xml",
    ]
    states = {r["number"]: r["state"] for r in cli("einvoices", "--json").json()}
    assert states == {"A/2026/0001": "exported", "A/2026/0002": "exported"}
    again = cli(
        "--config",
        str(config),
        "--today",
        "2026-01-31",
        "run",
        "--date",
        "2026-01-31",
        "--status",
        "issued",
        "--no-email",
        "--json",
    )
    assert again.code == 0 and again.json()["einvoices_exported"] == 0
    assert len(list(hot.iterdir())) == 2


def test_an_invalid_document_fails_the_run_and_stays_pending(cli, tmp_path):
    hot, config = _setup(cli, tmp_path)
    # Written on 2025-12-31, the invoices of 2026-01-01 are dated in the future (00403).
    result = cli(
        "--config",
        str(config),
        "--today",
        "2025-12-31",
        "run",
        "--date",
        "2026-01-01",
        "--status",
        "issued",
        "--no-email",
    )
    assert result.code == 1, result
    assert "e-invoice not written: A/2026/0001: 00403" in result.err
    assert "E-invoices: 0 written, 2 not written" in result.out
    assert list(hot.iterdir()) == []
    rows = cli("einvoices", "--json").json()
    assert [(r["number"], r["state"]) for r in rows] == [
        ("A/2026/0001", "pending"),
        ("A/2026/0002", "pending"),
    ]


def test_without_a_folder_the_run_writes_no_e_invoice(cli, tmp_path):
    hot, config = _setup(cli, tmp_path, folder=False)
    result = cli(
        "--config",
        str(config),
        "--today",
        "2026-01-31",
        "run",
        "--date",
        "2026-01-31",
        "--status",
        "issued",
        "--no-email",
        "--json",
    )
    assert result.code == 0 and result.json()["einvoices_exported"] is None
    assert (
        "E-invoices"
        not in cli(
            "--config",
            str(config),
            "--today",
            "2026-01-31",
            "run",
            "--date",
            "2026-01-31",
            "--no-email",
        ).out
    )


@pytest.mark.parametrize("channel", [True, False], ids=["einvoice", "no-einvoice"])
def test_the_courtesy_e_mail_says_what_is_true(cli, tmp_path, make_server, channel):  # noqa: F811
    server = make_server()
    hot, config = _setup(cli, tmp_path, folder=channel)
    config.write_text(
        config.read_text()
        + (
            f'[smtp]\nhost = "127.0.0.1"\nport = {server.port}\nsecurity = "none"\n'
            'sender = "fatture@manutenzioni.example"\n'
        )
    )
    run = cli(
        "--config",
        str(config),
        "--today",
        "2026-01-31",
        "run",
        "--date",
        "2026-01-31",
        "--status",
        "issued",
        "--json",
    )
    assert run.code == 0, run
    assert run.json()["emailed"] == 2
    for envelope in server.handler.envelopes:
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        body = message.get_body(("plain",)).get_content()
        assert "copia di cortesia" in body
        if channel:
            assert "trasmessa tramite il Sistema di Interscambio (SdI)" in body
        else:
            assert "SdI" not in body and "Interscambio" not in body
    assert len(list(hot.iterdir())) == (2 if channel else 0)


def test_the_einvoice_section_is_read_and_checked(tmp_path, monkeypatch):
    from tui_billing.config import load_config
    from tui_billing.domain.errors import UserError

    monkeypatch.setenv("HOME", str(tmp_path))
    config = tmp_path / "config.toml"
    config.write_text('[einvoice]\ndir = "~/sdi"\n')
    assert load_config(config).einvoice.dir == str(tmp_path / "sdi")
    config.write_text('[einvoice]\nfolder = "/srv/sdi"\n')
    with pytest.raises(UserError, match=r"\[einvoice\].folder: unknown setting"):
        load_config(config)
    config.write_text("[einvoice]\ndir = 5\n")
    with pytest.raises(UserError, match="must be text"):
        load_config(config)
