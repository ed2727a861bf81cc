"""`orders` and `order partial | down-payment | installments | final | status` on the command
line, on SQLite and PostgreSQL: JSON, exit statuses, the final invoice's PDF."""

from __future__ import annotations

import json

import pypdf
import pytest

from tests.support.orders import MIXED, THOUSAND, order_document


@pytest.fixture
def orders(cli, tmp_path):
    """The CLI on a database holding the test orders."""
    path = tmp_path / "orders.json"
    path.write_text(
        json.dumps(
            order_document(
                MIXED,
                THOUSAND,
                {"code": "O-DONE", "status": "completed", "lines": [("1", "5.00", "22.00")]},
            )
        )
    )
    result = cli("import", str(path))
    assert result.code == 0, result
    return cli


def pdf_text(path) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(str(path)).pages)


def listed(cli) -> dict[str, dict]:
    result = cli("orders", "--json")
    assert result.code == 0, result
    return {o["code"]: o for o in result.json()}


def test_orders_json_lists_state_total_invoiced_remaining(orders):
    mixed = listed(orders)["O-MIX"]
    assert {
        k: mixed[k]
        for k in (
            "code",
            "customer",
            "date",
            "status",
            "total",
            "invoiced",
            "remaining",
            "scheduled",
        )
    } == {
        "code": "O-MIX",
        "customer": "ACME",
        "date": "2024-05-02",
        "status": "draft",
        "total": "1000.00",
        "invoiced": "0.00",
        "remaining": "1000.00",
        "scheduled": "0.00",
    }
    assert [
        (li["description"], li["amount"], li["vat_rate"], li["locked"]) for li in mixed["lines"]
    ] == [("Voce 1", "800.00", "22.00", False), ("Voce 2", "200.00", "10.00", False)]
    assert mixed["invoices"] == []
    shipped = orders("orders", "--status", "shipped", "--json").json()
    assert [o["code"] for o in shipped] == ["O-1000"]
    human = orders("orders")
    assert human.code == 0 and "O-MIX" in human.out and "3 orders" in human.out


def test_partial_then_final_and_the_pdf_lists_the_partials(orders, tmp_path):
    first = orders(
        "order", "partial", "O-MIX", "--date", "2024-05-10", "--due", "2024-06-10", "--json"
    )
    assert first.code == 0, first
    doc = first.json()
    assert [(i["number"], i["total"], i["due_date"], i["orders"]) for i in doc["invoices"]] == [
        ("A/2024/0001", "1196.00", "2024-06-10", ["O-MIX"])
    ]
    assert doc["order"]["status"] == "draft"
    assert all(li["locked"] for li in doc["order"]["lines"])
    assert doc["order"]["invoices"][0]["kind"] == "partial"

    nothing = orders("order", "final", "O-MIX", "--date", "2024-05-20")
    assert (nothing.code, nothing.out) == (2, "")
    assert nothing.err.strip() == "tui-billing: error: order O-MIX has nothing left to invoice"

    # more lines come in: export, add one, import (the locked lines stay as they are)
    exported = tmp_path / "export.json"
    assert orders("export", str(exported)).code == 0
    data = json.loads(exported.read_text())
    mix = next(o for o in data["orders"] if o["code"] == "O-MIX")
    assert [li["locked"] for li in mix["lines"]] == [True, True]
    mix["lines"].append(
        {"description": "Collaudo", "quantity": "1", "unit_price": "150.00", "vat_rate": "22.00"}
    )
    exported.write_text(json.dumps(data))
    assert orders("import", str(exported)).code == 0

    second = orders("order", "partial", "O-MIX", "--date", "2024-05-20", "--json").json()
    assert [li["description"] for li in second["invoices"][0]["lines"]] == ["Collaudo"]
    mix["lines"].append(
        {"description": "Trasporto", "quantity": "2", "unit_price": "25.005", "vat_rate": "10.00"}
    )
    exported.write_text(json.dumps(data))
    assert orders("import", str(exported)).code == 0
    final = orders("order", "final", "O-MIX", "--date", "2024-06-01", "--json")
    assert final.code == 0, final
    [inv] = final.json()["invoices"]
    assert (inv["number"], inv["taxable"], inv["vat"], inv["total"]) == (
        "A/2024/0003",
        "50.01",
        "5.00",
        "55.01",
    )
    order = final.json()["order"]
    assert (order["status"], order["total"], order["invoiced"], order["remaining"]) == (
        "completed",
        "1200.01",
        "1200.01",
        "0.00",
    )
    assert [i["number"] for i in orders("invoices", "--order", "O-MIX", "--json").json()] == [
        "A/2024/0001",
        "A/2024/0002",
        "A/2024/0003",
    ]
    assert orders("invoices", "--order", "O-1000", "--json").json() == []

    pdf = tmp_path / "final.pdf"
    assert orders("pdf", "A/2024/0003", "-o", str(pdf)).code == 0
    text = pdf_text(pdf)
    assert "Documenti precedenti dell'ordine" in text
    assert "Fattura parziale N. A/2024/0001 del 10/05/2024" in text
    assert "Fattura parziale N. A/2024/0002 del 20/05/2024" in text
    assert "€ 1.196,00" in text and "€ 183,00" in text
    english = tmp_path / "final-en.pdf"
    assert orders("pdf", "A/2024/0003", "-o", str(english), "--language", "en").code == 0
    assert "Partial invoice No. A/2024/0001 dated 10/05/2024" in pdf_text(english)
    # an earlier invoice lists nothing
    assert orders("pdf", "A/2024/0001", "-o", str(tmp_path)).code == 0
    assert "Documenti precedenti" not in pdf_text(tmp_path / "A-2024-0001.pdf")


def test_down_payments_and_the_final_on_the_pdf(orders, tmp_path):
    dp = orders(
        "order", "down-payment", "O-MIX", "--percent", "30%", "--date", "2024-05-10", "--json"
    )
    assert dp.code == 0, dp
    [inv] = dp.json()["invoices"]
    assert (inv["taxable"], inv["vat"], inv["total"]) == ("300.00", "58.80", "358.80")
    assert dp.json()["order"]["status"] == "in_progress"
    too_much = orders(
        "order", "down-payment", "O-MIX", "--amount", "700.01", "--date", "2024-05-11", "--json"
    )
    assert too_much.code == 2  # under --json the refusal is a JSON object on stdout too
    assert too_much.json() == {
        "error": too_much.err.strip().removeprefix("tui-billing: error: "),
        "exit_status": 2,
    }
    assert too_much.err.count("\n") == 1 and "700.01" in too_much.err and "700.00" in too_much.err
    final = orders("order", "final", "O-MIX", "--date", "2024-06-01", "--json").json()
    [inv] = final["invoices"]
    assert (inv["taxable"], inv["vat"], inv["total"]) == ("700.00", "137.20", "837.20")
    assert final["order"]["status"] == "completed"
    pdf = tmp_path / "final.pdf"
    assert orders("pdf", inv["number"], "-o", str(pdf)).code == 0
    text = pdf_text(pdf)
    assert "Fattura di acconto N. A/2024/0001 del 10/05/2024" in text
    assert "Storno acconto fattura N. A/2024/0001" in text
    assert "-240,00" in text and "€ 837,20" in text


def test_installments_scheduled_then_run_and_the_last_lists_them_all(orders, tmp_path):
    plan = orders(
        "order",
        "installments",
        "O-1000",
        "--count",
        "3",
        "--start",
        "2024-07-01",
        "--frequency",
        "monthly",
        "--json",
    )
    assert plan.code == 0, plan
    assert [(s["invoice_date"], s["amount"]) for s in plan.json()["scheduled"]] == [
        ("2024-07-01", "333.33"),
        ("2024-08-01", "333.33"),
        ("2024-09-01", "333.34"),
    ]
    due = orders("due", "--date", "2024-08-01", "--json").json()
    assert [(r["invoice_date"], r["amount"]) for r in due] == [
        ("2024-07-01", "333.33"),
        ("2024-08-01", "333.33"),
    ]
    assert {(r["contract"], r["order"], r["customer"]) for r in due} == {(None, "O-1000", "ACME")}
    assert orders("run", "--date", "2024-08-01", "--no-email").code == 0
    assert listed(orders)["O-1000"]["status"] == "shipped"
    assert orders("run", "--date", "2024-09-01", "--no-email", "--json").json()["invoices"] == [
        "A/2024/0003"
    ]
    order = listed(orders)["O-1000"]
    assert (order["status"], order["invoiced"], order["remaining"]) == (
        "completed",
        "1000.00",
        "0.00",
    )
    assert [(i["number"], i["kind"], i["taxable"]) for i in order["invoices"]] == [
        ("A/2024/0001", "installment", "333.33"),
        ("A/2024/0002", "installment", "333.33"),
        ("A/2024/0003", "final", "333.34"),
    ]
    pdf = tmp_path / "last.pdf"
    assert orders("pdf", "A/2024/0003", "-o", str(pdf)).code == 0
    text = pdf_text(pdf)
    assert "Fattura rateale N. A/2024/0001 del 01/07/2024" in text
    assert "Fattura rateale N. A/2024/0002 del 01/08/2024" in text
    assert "€ 406,67" in text


def test_installments_issued_now(orders):
    result = orders(
        "order",
        "installments",
        "O-1000",
        "--count",
        "3",
        "--start",
        "2024-07-01",
        "--frequency",
        "quarterly",
        "--issue-now",
        "--json",
    )
    assert result.code == 0, result
    invoices = result.json()["invoices"]
    assert [(i["number"], i["date"], i["due_date"], i["total"]) for i in invoices] == [
        ("A/2024/0001", "2024-07-01", "2024-07-31", "406.66"),
        ("A/2024/0002", "2024-07-01", "2024-10-31", "406.66"),
        ("A/2024/0003", "2024-07-01", "2025-01-31", "406.67"),
    ]
    assert result.json()["order"]["status"] == "completed"
    assert orders("due", "--date", "2025-12-31", "--json").json() == []


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("order", "partial", "O-NONE", "--date", "2024-05-10"), "unknown order 'O-NONE'"),
        (("order", "partial", "O-1000", "--date", "2024-05-10"), "order O-1000 is shipped"),
        (
            ("order", "down-payment", "O-DONE", "--amount", "1", "--date", "2024-05-10"),
            "order O-DONE is completed",
        ),
        (
            ("order", "down-payment", "O-MIX", "--amount", "1000.01", "--date", "2024-05-10"),
            "more than what is left",
        ),
        (
            ("order", "down-payment", "O-MIX", "--amount", "abc", "--date", "2024-05-10"),
            "--amount: not a decimal number",
        ),
        (("order", "down-payment", "O-MIX", "--date", "2024-05-10"), "one of the arguments"),
        (
            (
                "order",
                "installments",
                "O-1000",
                "--count",
                "0",
                "--start",
                "2024-07-01",
                "--frequency",
                "monthly",
            ),
            "--count: must be between 1",
        ),
        (
            (
                "order",
                "installments",
                "O-1000",
                "--count",
                "-3",
                "--start",
                "2024-07-01",
                "--frequency",
                "monthly",
            ),
            "--count: must be between 1",
        ),
        (
            (
                "order",
                "installments",
                "O-MIX",
                "--count",
                "3",
                "--start",
                "2024-07-01",
                "--frequency",
                "monthly",
            ),
            "order O-MIX is draft",
        ),
        (("order", "final", "O-DONE", "--date", "2024-05-10"), "order O-DONE is completed"),
        (
            ("order", "final", "O-MIX", "--date", "2024-05-10", "--due", "2024-05-01"),
            "--due: the due date",
        ),
        (("order", "status", "O-DONE", "draft"), "cannot become draft"),
    ],
)
def test_bad_input_is_one_line_exit_2_and_nothing_written(orders, tmp_path, argv, message):
    before = orders("export").out, orders("invoices", "--json").out
    result = orders(*argv, "--json")
    assert result.code == 2, result
    assert message in result.json()["error"] and result.json()["exit_status"] == 2
    assert message in result.err and result.err.count("\n") == 1, result.err
    assert "Traceback" not in result.err
    assert (orders("export").out, orders("invoices", "--json").out) == before
