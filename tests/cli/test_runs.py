"""`runs` and `runs log ID` on both databases: after a real run (one contract billed, one
that cannot be), the list has its counts and the log its entries, in JSON (the same in both
languages) and in a table; an unknown run id is one line, exit 2."""

from __future__ import annotations

import json

import pytest

DAY = "2026-12-07"


def _line(description: str = "Assistenza") -> dict:
    return {
        "description": description,
        "unit_price": "100.00",
        "price_period": "monthly",
        "vat_rate": "22.00",
    }


DATA = {
    "customers": [{"code": "C1", "name": "Uno S.r.l."}],
    "contracts": [
        {
            "code": "K-1",
            "customer": "C1",
            "status": "active",
            "start_date": "2026-10-01",
            "frequency": "monthly",
            "lines": [_line()],
        },
        {  # no lines: the run cannot bill it, and logs why
            "code": "K-EMPTY",
            "customer": "C1",
            "status": "active",
            "start_date": "2026-10-01",
            "frequency": "monthly",
            "lines": [],
        },
    ],
}


@pytest.fixture
def ran(cli, tmp_path):
    """The database after one real run: its ``run --json`` report."""
    path = tmp_path / "in.json"
    path.write_text(json.dumps(DATA))
    assert cli("import", str(path)).code == 0
    done = cli("run", "--date", DAY, "--no-email", "--json")
    assert done.code in (0, 1), done
    return done.json()


def test_runs_and_the_log_of_a_real_run(cli, ran, monkeypatch):
    runs = cli("runs", "--json")
    assert runs.code == 0, runs
    [run] = runs.json()
    assert run["run_date"] == DAY
    assert (run["status"], run["origin"], run["dry_run"]) == ("done", "cli", False)
    assert run["invoices_created"] == ran["invoices_created"] == 3
    assert run["installments_billed"] == ran["installments_billed"] == 3
    assert run["failed"] == len(ran["failed"]) == 1
    assert run["emailed"] == 0
    assert run["started_at"] <= run["finished_at"]

    log = cli("runs", "log", str(run["id"]), "--json")
    assert log.code == 0, log
    entries = log.json()
    assert set(entries[0]) == {"at", "level", "contract", "message"}
    assert any(e["contract"] == "K-EMPTY" and e["level"] == "error" for e in entries), entries
    assert any("done: 3 invoices" in e["message"] for e in entries), entries
    # --json before the action counts too
    assert cli("runs", "--json", "log", str(run["id"])).json() == entries

    # a second run (nothing new to bill) comes first; --limit keeps the newest
    assert cli("run", "--date", DAY, "--no-email").code in (0, 1)
    newest = cli("runs", "--limit", "1", "--json").json()
    assert [r["id"] for r in newest] == [run["id"] + 1]

    table = cli("runs")
    assert table.code == 0, table
    assert "Billing runs" in table.out and "2 billing runs" in table.out
    row = next(ln.split() for ln in table.out.splitlines() if ln.split()[:1] == [str(run["id"])])
    assert row[1] == "07/12/2026" and "done" in row and row[-4:] == ["3", "3", "1", "0"]

    shown = cli("runs", "log", str(run["id"]))
    assert shown.code == 0, shown
    assert f"Log of billing run {run['id']}" in shown.out
    assert "K-EMPTY" in shown.out and "error" in shown.out
    assert "done: 3 invoices" in " ".join(shown.out.split())

    # in Italian: the words and dates of the language, the JSON byte for byte the same
    english = cli("runs", "--json").out
    monkeypatch.setenv("TUI_BILLING_LANG", "it")
    assert cli("runs", "--json").out == english
    assert cli("runs", "log", str(run["id"]), "--json").out == log.out
    tabella = cli("runs").out
    assert "Elaborazioni" in tabella and "2 elaborazioni" in tabella
    assert "conclusa" in tabella and "07/12/2026" in tabella
    registro = cli("runs", "log", str(run["id"])).out
    assert f"Log dell’elaborazione {run['id']}" in registro and "errore" in registro


def test_an_unknown_run_is_one_line_exit_2(cli, ran):
    for argv in (("runs", "log", "999"), ("runs", "log", "999", "--json")):
        refused = cli(*argv)
        assert refused.code == 2
        assert refused.err.strip().splitlines() == ["tui-billing: error: unknown billing run 999"]
    assert cli("runs", "log", "999", "--json").json() == {
        "error": "unknown billing run 999",
        "exit_status": 2,
    }
    bad = cli("runs", "log", "x")
    assert bad.code == 2 and len(bad.err.strip().splitlines()) == 1 and "'x'" in bad.err
    assert cli("runs", "--limit", "0").code == 2


def test_no_runs_yet(cli):
    assert cli("runs", "--json").json() == []
    assert cli("runs").out.strip() == "No billing runs."
