"""The command line in Italian: the language switch ([ui] language, $TUI_BILLING_LANG, the
locale), --help and error lines in Italian, Italian tables (1.234,56, 06/12/2026, the
glossary's words), and --json output that is the same, byte for byte, in both languages."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

DATA = {
    "customers": [
        {
            "code": "ACME",
            "name": "ACME S.r.l.",
            "payment_terms_days": 30,
            "payment_method": "bank_transfer",
        }
    ],
    "contracts": [
        {
            "code": "K-1",
            "customer": "ACME",
            "status": "active",
            "start_date": "2026-12-06",
            "frequency": "quarterly",
            "lines": [
                {
                    "description": "Canone assistenza",
                    "quantity": "1",
                    "unit_price": "1234.56",
                    "vat_rate": "22.00",
                }
            ],
        }
    ],
}
DAY = "2026-12-06"


def _console_script() -> list[str]:
    """The installed console script (as the operator runs it), else the module."""
    script = Path(sys.executable).with_name("tui-billing")
    if script.exists():
        return [str(script)]
    found = shutil.which("tui-billing")
    return [found] if found else [sys.executable, "-m", "tui_billing"]


def _run(tmp_path: Path, *argv: str, **env: str) -> subprocess.CompletedProcess:
    """The real program in a child process, its language left to ``env`` (the suite's
    $TUI_BILLING_LANG=en, the machine's locale and configuration removed)."""
    child = {
        key: value
        for key, value in os.environ.items()
        if key not in ("TUI_BILLING_LANG", "TUI_BILLING_CONFIG", "LANG", "LC_ALL", "LC_MESSAGES")
    }
    child.update(
        TUI_BILLING_DB=str(tmp_path / "billing.sqlite"),
        XDG_CONFIG_HOME=str(tmp_path / "config"),  # no configuration file of the machine's
        COLUMNS="100",
        **env,
    )
    return subprocess.run(
        [*_console_script(), *argv],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=child,
        timeout=60,
        check=False,
    )


def test_help_and_error_lines_are_italian_under_an_italian_locale(tmp_path):
    shown = _run(tmp_path, "--help", LANG="it_IT.UTF-8")
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.startswith("uso: tui-billing [-h]")
    for text in (
        "Fatturazione programmata e ricorrente di contratti e ordini.",
        "argomenti posizionali:",
        "opzioni:",
        "mostra questo aiuto ed esce",
        "elenca le rate da fatturare a una data",
        "Con --json un comando parla inglese",
    ):
        assert text in " ".join(shown.stdout.split())
    assert "show this help message" not in shown.stdout

    due = _run(tmp_path, "due", "--help", LANG="it_IT.UTF-8")
    assert due.returncode == 0, due.stderr
    assert due.stdout.startswith("uso: tui-billing due [-h] --date D")
    assert "elenca ciò che va fatturato entro D (AAAA-MM-GG)" in " ".join(due.stdout.split())
    assert "sezionale" in due.stdout

    missing = _run(tmp_path, "due", LANG="it_IT.UTF-8")
    assert (missing.returncode, missing.stdout) == (2, "")
    assert missing.stderr == (
        "tui-billing: errore: sono obbligatori i seguenti argomenti: --date "
        "(vedere 'tui-billing due --help')\n"
    )

    wrong = _run(tmp_path, "run", "--date", DAY, "--status", "sent", LANG="it_IT.UTF-8")
    assert wrong.returncode == 2
    assert wrong.stderr.startswith(
        "tui-billing: errore: argomento --status: scelta non valida: 'sent' (scegliere tra "
    )
    assert wrong.stderr.count("\n") == 1

    english = _run(tmp_path, "due", LANG="en_GB.UTF-8")
    assert english.stderr == (
        "tui-billing: error: the following arguments are required: --date "
        "(see 'tui-billing due --help')\n"
    )


def test_the_configuration_wins_over_the_environment_and_a_bad_language_is_refused(tmp_path):
    config = tmp_path / "config.toml"
    config.write_text('[ui]\nlanguage = "en"\n', encoding="utf-8")
    shown = _run(
        tmp_path, "--config", str(config), "--help", LANG="it_IT.UTF-8", TUI_BILLING_LANG="it"
    )
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.startswith("usage: tui-billing")
    assert "show this help message and exit" in shown.stdout

    config.write_text('[ui]\nlanguage = "it"\n', encoding="utf-8")
    named_by_env = _run(tmp_path, "due", LANG="en_US.UTF-8", TUI_BILLING_CONFIG=str(config))
    assert named_by_env.stderr.startswith("tui-billing: errore: sono obbligatori")

    config.write_text('[ui]\nlanguage = "fr"\n', encoding="utf-8")
    refused = _run(tmp_path, "--config", str(config), "due", "--date", DAY, LANG="it_IT.UTF-8")
    assert (refused.returncode, refused.stdout) == (2, "")
    assert refused.stderr == (
        f"tui-billing: errore: {config}: [ui].language: deve essere uno tra en, it, non 'fr'\n"
    )
    assert not (tmp_path / "billing.sqlite").exists()  # refused before anything is opened

    bad_env = _run(tmp_path, "due", "--date", DAY, TUI_BILLING_LANG="fr", LANG="it_IT.UTF-8")
    assert (bad_env.returncode, bad_env.stdout) == (2, "")
    assert bad_env.stderr == (  # the locale's language, since the setting is refused
        "tui-billing: errore: $TUI_BILLING_LANG: deve essere uno tra en, it, non 'fr'\n"
    )


@pytest.fixture
def billed(sqlite_target, tmp_path, capsys, monkeypatch):
    """The data billed on 06/12/2026 (one invoice of 1,234.56 + VAT, issued, part paid by
    bank transfer); returns a runner of the CLI in-process in a language."""
    from tui_billing.cli.main import main

    monkeypatch.delenv("TUI_BILLING_CONFIG", raising=False)
    monkeypatch.setenv("COLUMNS", "100")

    def run(language: str, *argv: str) -> tuple[int, str, str]:
        monkeypatch.setenv("TUI_BILLING_LANG", language)
        capsys.readouterr()
        code = main(["--db", sqlite_target, "--today", DAY, *argv])
        out, err = capsys.readouterr()
        return int(code), out, err

    path = tmp_path / "data.json"
    path.write_text(json.dumps(DATA), encoding="utf-8")
    assert run("en", "import", str(path))[0] == 0
    return run


def test_a_human_table_in_italian_shows_italian_numbers_dates_and_words(billed):
    code, due, err = billed("it", "due", "--date", DAY)
    assert code == 0, err
    assert "Rate da fatturare al 06/12/2026" in due
    assert "Data fattura" in due and "Importo" in due
    assert "06/12/2026" in due and "1.234,56" in due
    assert "1 rata da fatturare, totale 1.234,56 (IVA esclusa)" in due

    code, run, err = billed("it", "run", "--date", DAY, "--status", "issued", "--no-email")
    assert code == 0, err
    assert "Elaborazione del 06/12/2026: creata 1 fattura da 1 rata." in run
    assert "  Importo: 1.234,56 imponibile + 271,60 IVA = 1.506,16 EUR" in run
    assert "  Copie di cortesia: 0 inviate." in run

    code, invoices, err = billed("it", "invoices")
    assert code == 0, err
    assert "Imponibile" in invoices and "IVA" in invoices and "Totale" in invoices
    assert "1 fattura: imponibile 1.234,56, IVA 271,60, totale 1.506,16" in invoices

    number = json.loads(billed("en", "invoices", "--json")[1])[0]["number"]
    code, added, err = billed(
        "it", "payments", "add", number, "--amount", "1000", "--method", "bank_transfer"
    )
    assert code == 0, err
    code, payments, err = billed("it", "payments")
    assert code == 0, err
    assert "Incassi" in payments and "Modalità" in payments
    assert "bonifico" in payments and "bank_transfer" not in payments
    assert "1.000,00" in payments and "06/12/2026" in payments
    assert "1 incasso, totale 1.000,00" in payments

    code, customers, err = billed("it", "customers")
    assert code == 0, err
    assert "Clienti" in customers and "attivo" in customers and "1 cliente" in customers

    code, out, err = billed("it", "invoices", "--customer", "NOBODY")
    assert (code, out) == (2, "")
    assert err == "tui-billing: errore: --customer: cliente sconosciuto 'NOBODY'\n"


def test_json_output_is_byte_identical_in_both_languages(billed):
    assert billed("en", "run", "--date", DAY, "--status", "issued", "--no-email")[0] == 0
    commands = (
        ("due", "--date", "2027-03-06", "--json"),
        ("invoices", "--json"),
        ("payments", "--json"),
        ("customers", "--json"),
        ("open-items", "--json"),
        ("invoices", "--customer", "NOBODY", "--json"),  # an error object
        ("due", "--json"),  # a usage error under --json
    )
    for argv in commands:
        english = billed("en", *argv)
        italian = billed("it", *argv)
        assert italian == english, argv
        assert english[1].strip(), argv  # there is something to compare
    error = json.loads(billed("it", "invoices", "--customer", "NOBODY", "--json")[1])
    assert error == {"error": "--customer: unknown customer 'NOBODY'", "exit_status": 2}
