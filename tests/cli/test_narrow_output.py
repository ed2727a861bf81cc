"""Every listing of the command line at 80 columns (a pipe, a cron log): codes, dates and
amounts appear whole, only names and descriptions shrink, no line is longer than 80."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest

from tests.support.data import write_document

LONG_NAME = "Termoidraulica Bianchi Mario & Figli S.n.c. di Bianchi Mario e Luigi"
DATA = {
    "customers": [{"code": "CUST-000042", "name": LONG_NAME, "payment_terms_days": 30}],
    "contracts": [
        {
            "code": "K-2025-000123",
            "customer": "CUST-000042",
            "status": "active",
            "start_date": "2025-01-01",
            "frequency": "quarterly",
            "series": "A",
            "lines": [
                {
                    "description": "Canone di manutenzione programmata degli impianti termici "
                    "della sede centrale",
                    "quantity": "1",
                    "unit_price": "12345.67",
                    "vat_rate": "22.00",
                }
            ],
        },
        {
            "code": "K-2025-000124",
            "customer": "CUST-000042",
            "status": "active",
            "start_date": "2025-01-01",
            "frequency": "annual",
            "series": "A",
            "lines": [
                {
                    "description": "Canone adeguato all'indice dei prezzi al consumo",
                    "quantity": "1",
                    "unit_price": "24000.00",
                    "vat_rate": "22.00",
                    "index": {"series": "FOI", "share": "75", "month": 1, "base_month": "2024-10"},
                }
            ],
        },
    ],
    "index_series": [{"code": "FOI"}],  # its values come from CSV
    "orders": [
        {
            "code": "ORD-2025-00077",
            "customer": "CUST-000042",
            "date": "2025-02-03",
            "status": "draft",
            "lines": [
                {
                    "description": "Fornitura e posa di una caldaia a condensazione "
                    "da 35 kW con accessori",
                    "quantity": "1",
                    "unit_price": "18750.00",
                    "vat_rate": "22.00",
                }
            ],
        }
    ],
}
TODAY = "2025-12-31"


@pytest.fixture
def narrow(cli, tmp_path, monkeypatch):
    """The cli fixture on a console of exactly 80 columns, with the data above."""
    from tui_billing.cli import output

    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setattr(output.stdout, "_width", None)  # width read from COLUMNS, per print
    monkeypatch.chdir(tmp_path)
    (tmp_path / "data.json").write_text(json.dumps(DATA))
    assert cli("import", "data.json").code == 0
    (tmp_path / "foi.csv").write_text("month,value,base\n2024-10,120.5,2015\n2025-10,121.8,2015\n")
    assert cli("index", "import", "FOI", "foi.csv").code == 0
    return cli


def check(out: str, *whole: str) -> list[str]:
    """Each of ``whole`` appears uncut, lines fit 80 columns, no number or date was cut."""
    lines = out.splitlines()
    assert max(map(len, lines)) <= 80, out
    for text in whole:
        assert text in out, f"{text!r} not whole in:\n{out}"
    assert not re.search(r"[0-9/,.%-]…", out), out
    return lines


def row(out: str, key: str, also: str = "") -> str:
    """The one line of the table whose first cell is ``key`` (and that holds ``also``)."""
    [line] = [line for line in out.splitlines() if line.split()[:1] == [key] and also in line]
    return line


def date(iso: str) -> str:
    year, month, day = iso.split("-")
    return f"{day}/{month}/{year}"


def test_due(narrow):
    result = narrow("due", "--date", "2025-12-31")
    assert result.code == 0
    rows = narrow("due", "--date", "2025-12-31", "--json").json()
    assert len(rows) == 5
    for r in rows:
        line = row(result.out, r["installment"], r["contract"])
        period = f"{date(r['period_start'])}-{date(r['period_end'])}"
        check(line, r["contract"], date(r["invoice_date"]), period, f"{float(r['amount']):,.2f}")
    check(result.out, "Due on 31/12/2025", "12,345.67", "24,000.00")
    assert "Termoidrauli…" in result.out and LONG_NAME not in result.out  # text shrinks
    assert "5 installments due, total 73,382.68 (net of VAT)" in result.out
    assert narrow("due", "--date", "2024-01-01").out == "Nothing due on 01/01/2024.\n"


@pytest.fixture
def invoiced(narrow):
    assert narrow("run", "--date", "2025-06-30", "--status", "issued", "--no-email").code == 0
    return narrow


def test_invoices(invoiced):
    result = invoiced("invoices")
    assert result.code == 0
    for inv in invoiced("invoices", "--json").json():
        line = row(result.out, inv["number"])
        check(
            line,
            inv["number"],
            date(inv["date"]),
            f"{float(inv['taxable']):,.2f}",
            f"{float(inv['vat']):,.2f}",
            f"{float(inv['total']):,.2f}",
        )
    check(result.out, "A/2025/0001", "12,345.67", "2,716.05", "15,061.72", "22%")
    assert "3 invoices: taxable 48,691.34, VAT 10,712.10, total 59,403.44" in result.out
    assert invoiced("invoices", "--from", "2030-01-01").out == "No invoices.\n"


def test_invoice_created(narrow):
    [first] = [
        r
        for r in narrow("due", "--date", "2025-01-01", "--json").json()
        if r["contract"] == "K-2025-000123"
    ]
    result = narrow("invoice", "--installments", first["installment"], "--status", "issued")
    assert result.code == 0
    check(
        result.out,
        "A/2025/0001",
        "01/01/2025",
        "12,345.67",
        "15,061.72",
        "1 invoice (issued), 1 installment billed",
    )


def test_payments_and_open_items(invoiced):
    paid = invoiced(
        "--today",
        TODAY,
        "payments",
        "add",
        "A/2025/0001",
        "--amount",
        "10000.00",
        "--date",
        "2025-02-15",
        "--reference",
        "CRO 000012345678",
    )
    assert paid.code == 0
    result = invoiced("payments")
    line = check(
        row(result.out, "1", "A/2025/0001"),
        "A/2025/0001",
        "15/02/2025",
        "10,000.00",
        "Termoidrauli",
    )
    assert line and "1 payment, total 10,000.00" in result.out
    assert invoiced("payments", "--invoice", "A/2025/0002").out == "No payments of A/2025/0002.\n"

    result = invoiced("--today", TODAY, "open-items")
    assert result.code == 0
    for item in invoiced("--today", TODAY, "open-items", "--json").json():
        line = row(result.out, item["invoice"])
        check(
            line,
            item["invoice"],
            date(item["due_date"]),
            f"{float(item['open']):,.2f}",
            f"{item['days_overdue']} d",
        )
    check(result.out, "Open items on 31/12/2025", "5,061.72")
    assert invoiced("open-items", "--date", "2024-01-01").out == "No open items on 01/01/2024.\n"


def test_orders_and_order_invoices(narrow):
    result = narrow(
        "order", "down-payment", "ORD-2025-00077", "--percent", "40", "--date", "2025-02-10"
    )
    assert result.code == 0
    check(result.out, "A/2025/0001", "10/02/2025", "7,500.00", "1,650.00", "9,150.00")
    assert (
        "Order ORD-2025-00077 (CUST-000042) is in progress: total 18,750.00, invoiced "
        "7,500.00, remaining 11,250.00 (net of VAT)"
    ) in " ".join(result.out.split())

    result = narrow("orders")
    line = check(
        row(result.out, "ORD-2025-00077"),
        "ORD-2025-00077",
        "03/02/2025",
        "in progress",  # the status as people read it (JSON keeps in_progress)
        "18,750.00",
        "11,250.00",
    )
    assert line and "1 order" in result.out
    assert "(Invoiced, Invoices: not shown at 80 columns" in result.out
    assert narrow("orders", "--status", "cancelled").out == "No orders cancelled.\n"

    assert narrow("order", "status", "ORD-2025-00077", "shipped").code == 0
    result = narrow(
        "order",
        "installments",
        "ORD-2025-00077",
        "--count",
        "3",
        "--start",
        "2025-03-01",
        "--frequency",
        "monthly",
    )
    assert result.code == 0
    check(result.out, "01/03/2025", "01/04/2025", "01/05/2025", "3,750.00")


def test_economics(narrow, tmp_path):
    (tmp_path / "rev.csv").write_text(
        "contract,period_start,period_end,amount,note\n"
        "K-2025-000123,2025-01-01,2025-12-31,1234567.89,fatturato dichiarato dal cliente "
        "con la dichiarazione annuale dei corrispettivi\n"
    )
    assert narrow("revenue", "import", "rev.csv").code == 0
    result = narrow("revenue", "list")
    check(row(result.out, "K-2025-000123"), "01/01/2025-31/12/2025", "1,234,567.89")
    assert "fatturato dichiarato" in result.out
    assert (
        narrow("revenue", "list", "--contract", "K-2025-000124").out
        == "No revenue figures of K-2025-000124.\n"
    )

    result = narrow("index", "list")
    check(row(result.out, "2025-10"), "2025-10", "121.8", "2015=100")

    assert narrow("due", "--date", "2026-01-31").code == 0
    result = narrow("contract", "price-history", "K-2025-000124", "--date", "2026-01-31")
    assert result.code == 0
    check(result.out, "K-2025-000124", "24000.00", "01/01/2026")


def test_interest_rates(narrow):
    result = narrow("interest-rates")
    check(row(result.out, "2025-H2"), "2025-H2", "01/07/2025", "2.15%", "8.00", "10.15%")


def _narrow(target: str, *argv: str) -> str:
    """The command's output to a pipe 80 columns wide (as cron and `| less` get it)."""
    env = {k: v for k, v in os.environ.items() if k != "TUI_BILLING_CONFIG"}
    env["COLUMNS"] = "80"
    return subprocess.run(
        [sys.executable, "-m", "tui_billing", "--db", target, *argv],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    ).stdout


def _document() -> dict:
    name = "Ristorante Da Mario S.a.s. di Mario Rossi e figli, sede di Ancona"
    return {
        "customers": [{"code": "C1", "name": name, "payment_terms_days": 30}],
        "contracts": [
            {
                "code": f"K-{i:04d}",
                "customer": "C1",
                "status": "active",
                "start_date": "2024-01-01",
                "frequency": "monthly",
                "lines": [
                    {
                        "description": "Canone",
                        "quantity": "1",
                        "unit_price": "123456.78",
                        "vat_rate": "22.00",
                    }
                ],
            }
            for i in range(3)
        ],
    }


def test_due_table_keeps_ids_amounts_and_periods_whole(cli, tmp_path):
    cli("import", write_document(tmp_path / "d.json", _document()))
    ids = [row["installment"] for row in cli("due", "--date", "2024-02-29", "--json").json()]
    out = _narrow(cli.target, "due", "--date", "2024-02-29")
    assert max(len(line) for line in out.splitlines()) <= 80
    rows = [line for line in out.splitlines() if "K-000" in line]
    assert len(rows) == 6
    for row, installment in zip(rows, ids, strict=True):
        assert re.match(rf"\s*{installment}  ", row), row
        assert "123,456.78" in row
        assert re.search(r"01/0[12]/2024-(31/01|29/02)/2024", row)
    assert "6 installments due, total 740,740.68 (net of VAT)" in out


def test_invoices_table_dates_in_day_month_year(cli, tmp_path):
    cli("import", write_document(tmp_path / "d.json", _document()))
    cli("run", "--date", "2024-01-31")
    out = _narrow(cli.target, "invoices")
    assert re.search(r"A/2024/0001  01/01/2024  Ristorante Da Mario", out), out
    assert "2024-01-01" not in out
