"""Payments on the command line, on SQLite and PostgreSQL: importing CSV and JSON (all or
nothing, errors naming row and field), listing, open items, the legal rate table."""

from __future__ import annotations

import io
import json

import pytest

DATA = {
    "customers": [
        {
            "code": "ACME",
            "name": "ACME S.r.l.",
            "payment_terms_days": 30,
            "payment_method": "sepa_direct_debit",
            "iban": "IT60X0542811101000000123456",
        }
    ],
    "contracts": [
        {
            "code": "K-1",
            "customer": "ACME",
            "status": "active",
            "start_date": "2025-01-01",
            "frequency": "quarterly",
            "lines": [
                {
                    "description": "Canone",
                    "quantity": "1",
                    "unit_price": "1000.00",
                    "vat_rate": "22.00",
                }
            ],
        }
    ],
}
TODAY = "2025-06-30"


@pytest.fixture
def invoiced(cli, tmp_path, monkeypatch):
    """Two issued invoices of 1,220.00: A/2025/0001 (01/01, due 31/01) and A/2025/0002
    (01/04, due 01/05); a draft of 01/07 left unnumbered. Files are named from tmp_path."""
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "data.json"
    path.write_text(json.dumps(DATA))
    assert cli("import", str(path)).code == 0
    assert cli("run", "--date", "2025-04-01", "--status", "issued", "--no-email").code == 0
    assert cli("run", "--date", "2025-07-01", "--status", "draft", "--no-email").code == 0
    return cli


def import_file(cli, tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return cli("--today", TODAY, "payments", "import", name)


def payments(cli) -> list[tuple]:
    return [
        (p["invoice"], p["date"], p["amount"], p["method"], p["reference"])
        for p in cli("payments", "--json").json()
    ]


def test_csv_import_partial_payments_and_open_items(invoiced, tmp_path):
    cli = invoiced
    result = import_file(
        cli,
        tmp_path,
        "pay.csv",
        "invoice;date;amount;method;reference\n"
        "A/2025/0001;2025-02-10;620,00;bank_transfer;CRO 1\n"
        "A/2025/0001;2025-03-01;1.000,00;;\n",  # too much: 600.00 is open
    )
    assert result.code == 2
    assert result.err.strip() == (
        "tui-billing: error: pay.csv row 3, column amount: 1000.00 is more than the 600.00 "
        "still open on A/2025/0001"
    )
    assert payments(cli) == []  # all or nothing

    result = import_file(
        cli,
        tmp_path,
        "pay.csv",
        "invoice;date;amount;method;reference\n"
        "A/2025/0001;2025-02-10;620,00;bank_transfer;CRO 1\n"
        "A/2025/0001;2025-03-01;600,00;;\n"
        "A/2025/0002;2025-05-15;200.5;;\n",
    )
    assert result.code == 0, result
    assert "payments: 3 new, 0 already recorded" in result.out
    assert payments(cli) == [
        ("A/2025/0001", "2025-02-10", "620.00", "bank_transfer", "CRO 1"),
        ("A/2025/0001", "2025-03-01", "600.00", "sepa_direct_debit", None),  # the invoice's
        ("A/2025/0002", "2025-05-15", "200.50", "sepa_direct_debit", None),
    ]
    # the same file again records nothing twice
    again = import_file(cli, tmp_path, "pay.csv", (tmp_path / "pay.csv").read_text())
    assert "payments: 0 new, 3 already recorded" in again.out
    assert len(payments(cli)) == 3
    assert [p["invoice"] for p in cli("payments", "--invoice", "A/2025/0002", "--json").json()] == [
        "A/2025/0002"
    ]

    items = cli("open-items", "--date", "2025-05-20", "--json").json()
    assert items == [
        {
            "invoice": "A/2025/0002",
            "id": items[0]["id"],
            "customer": "ACME",
            "date": "2025-04-01",
            "due_date": "2025-05-01",
            "total": "1220.00",
            "amount_due": "1220.00",
            "credited": "0.00",
            "paid": "200.50",
            "open": "1019.50",
            "overdue_since": "2025-05-02",
            "days_overdue": 19,
        }
    ]
    listed = {i["number"]: i for i in cli("invoices", "--json").json()}
    assert (
        listed["A/2025/0001"]["paid"],
        listed["A/2025/0001"]["open"],
        listed["A/2025/0001"]["overdue_since"],
    ) == ("1220.00", "0.00", None)
    assert listed["A/2025/0002"]["overdue_since"] == "2025-05-02"
    human = cli("open-items", "--date", "2025-05-20")
    assert human.code == 0 and "1 open item, 1,019.50 open" in human.out


def test_json_import_from_stdin_add_and_delete(invoiced, monkeypatch):
    cli = invoiced
    doc = {
        "payments": [
            {
                "invoice": "A/2025/0002",
                "date": "2025-05-01",
                "amount": "1220.00",
                "method": "riba",
                "reference": "RB-77",
            }
        ]
    }
    monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps(doc)))
    result = cli("--today", TODAY, "payments", "import", "-")
    assert result.code == 0, result
    assert payments(cli) == [("A/2025/0002", "2025-05-01", "1220.00", "riba", "RB-77")]
    assert cli("open-items", "--date", TODAY, "--json").json()[0]["invoice"] == "A/2025/0001"

    added = cli(
        "--today",
        TODAY,
        "payments",
        "add",
        "A/2025/0001",
        "--amount",
        "100",
        "--date",
        "2025-02-01",
    )
    assert added.code == 0, added
    refused = cli("--today", TODAY, "payments", "add", "A/2025/0001", "--amount", "1120.01")
    assert refused.code == 2
    assert refused.err.strip().endswith(
        "amount: 1120.01 is more than the 1120.00 still open on A/2025/0001"
    )
    [first] = cli("payments", "--invoice", "A/2025/0001", "--json").json()
    assert cli("payments", "delete", str(first["id"])).code == 0
    assert [p[0] for p in payments(cli)] == ["A/2025/0002"]
    assert cli("payments", "delete", "999").code == 2


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        (
            "p.csv",
            "invoice;date;amount\nA/2099/0001;2025-02-01;10\n",
            "p.csv row 2, column invoice: no invoice numbered 'A/2099/0001'",
        ),
        (
            "p.csv",
            "invoice;date;amount\nA/2025/0001;2025-02-01;10\nA/2025/0001;2025-02-01;1O,00\n",
            "p.csv row 3, column amount: not a decimal number",
        ),
        (
            "p.csv",
            "invoice;date;amount\nA/2025/0001;2025-02-31;10\n",
            "p.csv row 2, column date: not a valid date: '2025-02-31'",
        ),
        (
            "p.csv",
            "invoice;date;amount\nA/2025/0001;2025-07-01;10\n",
            "p.csv row 2, column date: 2025-07-01 is after today (2025-06-30)",
        ),
        (
            "p.csv",
            "invoice;date;amount\nA/2025/0001;2024-12-31;10\n",
            "p.csv row 2, column date: 2024-12-31 is before the invoice date 2025-01-01",
        ),
        (
            "p.csv",
            "invoice;date;amount\nA/2025/0001;2025-02-01;0\n",
            "p.csv row 2, column amount: must be more than zero",
        ),
        (
            "p.csv",
            "invoice;date;amount\nA/2025/0001;2025-02-01;10.001\n",
            "p.csv row 2, column amount: has more than 2 decimals",
        ),
        (
            "p.csv",
            "invoice;date;amount;method\nA/2025/0001;2025-02-01;10;cheque\n",
            "p.csv row 2, column method: unknown value 'cheque'",
        ),
        (
            "p.csv",
            "invoice;amount\nA/2025/0001;10\n",
            "p.csv: the first row must name the columns, including 'date'",
        ),
        (
            "p.csv",
            "invoice;date;amount;note\nA/2025/0001;2025-02-01;10;x\n",
            "p.csv row 2, column note: unknown field",
        ),
        (
            "p.json",
            '[{"invoice": "A/2025/0001", "date": "2025-02-01", "amount": "10"},'
            ' {"invoice": "A/2025/0002", "date": "1/5/2025", "amount": "10"}]',
            "payments[1].date: not a date (YYYY-MM-DD): '1/5/2025'",
        ),
        (
            "p.json",
            '{"payments": [{"invoice": "A/2025/0001", "date": "2025-02-01"}]}',
            "payments[0].amount: is required",
        ),
        (
            "p.json",
            '{"payments": [{"invoice": "A/2025/0001", "date": "2025-02-01", "amount": 5,'
            ' "amout": 5}]}',
            "payments[0].amout: unknown field",
        ),
        ("p.json", '{"payments": [', "p.json: not valid JSON"),
        ("p.json", "[]", "p.json: holds no payments"),
    ],
)
def test_import_errors_name_the_row_and_field_and_write_nothing(
    invoiced, tmp_path, name, text, message
):
    result = import_file(invoiced, tmp_path, name, text)
    assert result.code == 2, result
    assert f"tui-billing: error: {message}" in result.err
    assert "Traceback" not in result.err
    assert payments(invoiced) == []


def test_only_issued_invoices_are_paid(invoiced, tmp_path):
    [draft] = [i for i in invoiced("invoices", "--json").json() if i["status"] == "draft"]
    result = import_file(
        invoiced, tmp_path, "p.csv", f"invoice,date,amount\n#{draft['id']},2025-06-01,10\n"
    )
    assert result.code == 2 and "no invoice numbered" in result.err


def test_interest_rate_table(cli, tmp_path):
    rates = {r["half_year"]: r for r in cli("interest-rates", "--json").json()}
    assert rates["2026-H1"] == {
        "half_year": "2026-H1",
        "from": "2026-01-01",
        "reference_rate": "2.15",
        "points": "8.00",
        "rate": "10.15",
    }
    assert (rates["2025-H1"]["rate"], rates["2024-H2"]["rate"], rates["2023-H1"]["rate"]) == (
        "11.15",
        "12.25",
        "10.50",
    )
    path = tmp_path / "rates.csv"
    path.write_text("half_year;reference_rate;points\n2026-H2;2,00;\n2027-01-01;1.90;8\n")
    result = cli("interest-rates", "import", str(path))
    assert result.code == 0 and "2 half-years added or changed" in result.out
    rates = {r["half_year"]: r["rate"] for r in cli("interest-rates", "--json").json()}
    assert (rates["2026-H2"], rates["2027-H1"]) == ("10.00", "9.90")
    path.write_text("half_year;reference_rate\n2027-H2;1.5\n2027-03-01;1.5\n")
    bad = cli("interest-rates", "import", str(path))
    assert (
        bad.code == 2
        and (
            "rates.csv row 3, column half_year: a half-year starts on "
            "1 January or 1 July, not 2027-03-01"
        )
        in bad.err
    )
    assert "2027-H2" not in {r["half_year"] for r in cli("interest-rates", "--json").json()}
    assert cli("interest-rates", "set", "2027-H2", "abc").code == 2


def test_open_items_on_a_past_date_count_the_payments_made_by_then(invoiced, tmp_path):
    assert (
        import_file(
            invoiced, tmp_path, "p.csv", "invoice,date,amount\nA/2025/0001,2025-03-01,220\n"
        ).code
        == 0
    )
    before = invoiced("open-items", "--date", "2025-02-28", "--json").json()
    after = invoiced("open-items", "--date", "2025-03-01", "--json").json()
    assert [(i["invoice"], i["paid"], i["open"], i["days_overdue"]) for i in before] == [
        ("A/2025/0001", "0.00", "1220.00", 28)
    ]
    assert [(i["invoice"], i["open"]) for i in after] == [("A/2025/0001", "1000.00")]
