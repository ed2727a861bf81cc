"""Human tables on an 80-column terminal or pipe: what a user copies from them (installment
ids, amounts, dates) always shows whole; only names give way."""

from __future__ import annotations

import os
import re
import subprocess
import sys

from tests.support.data import write_document


def _narrow(target: str, *argv: str) -> str:
    """The command's output to a pipe 80 columns wide (as cron and `| less` get it)."""
    env = {k: v for k, v in os.environ.items() if k != "TUI_BILLING_CONFIG"}
    env["COLUMNS"] = "80"
    return subprocess.run([sys.executable, "-m", "tui_billing", "--db", target, *argv],
                          capture_output=True, text=True, env=env, check=True).stdout


def _document() -> dict:
    name = "Ristorante Da Mario S.a.s. di Mario Rossi e figli, sede di Ancona"
    return {
        "customers": [{"code": "C1", "name": name, "payment_terms_days": 30}],
        "contracts": [{"code": f"K-{i:04d}", "customer": "C1", "status": "active",
                       "start_date": "2024-01-01", "frequency": "monthly",
                       "lines": [{"description": "Canone", "quantity": "1",
                                  "unit_price": "123456.78", "vat_rate": "22.00"}]}
                      for i in range(3)],
    }


def test_due_table_keeps_ids_amounts_and_periods_whole(cli, tmp_path):
    cli("import", write_document(tmp_path / "d.json", _document()))
    ids = [row["installment"] for row in cli("due", "--date", "2024-02-29", "--json").json()]
    out = _narrow(cli.target, "due", "--date", "2024-02-29")
    assert max(len(line) for line in out.splitlines()) <= 80
    rows = [line for line in out.splitlines() if "K-000" in line]
    assert len(rows) == 6
    for row, installment in zip(rows, ids, strict=True):
        assert re.match(rf"│\s*{installment} │", row), row
        assert "123,456.78" in row
        assert re.search(r"01/0[12]/2024-(31/01|29/02)/2024", row)
    assert "6 installments due, total 740,740.68 (net of VAT)" in out


def test_invoices_table_dates_in_day_month_year(cli, tmp_path):
    cli("import", write_document(tmp_path / "d.json", _document()))
    cli("run", "--date", "2024-01-31")
    out = _narrow(cli.target, "invoices")
    assert re.search(r"│ A/2024/0001 │ 01/01/2024 │ C1 ", out), out
    assert "2024-01-01" not in out
