"""`invoice`, `invoices` and `pdf` on the command line, on SQLite and PostgreSQL."""

from __future__ import annotations

import io

import pypdf

from tests.billing.invoice_fixtures import contract, customer, installment, line
from tui_billing.store.models import Installment

INVOICE_KEYS = [
    "id",
    "number",
    "series",
    "year",
    "seq",
    "numbering",
    "status",
    "document_type",
    "sdi_document_type",
    "date",
    "due_date",
    "customer",
    "contracts",
    "orders",
    "taxable",
    "vat",
    "out_of_scope",
    "total",
    "stamp_duty",
    "split_payment",
    "contribution",
    "withholding",
    "net_due",
    "amount_due",
    "paid",
    "open",
    "overdue_since",
    "corrects",
    "credited",
    "credited_by",
    "lines",
    "seller",
    "buyer",
]
LINE_KEYS = [
    "id",
    "description",
    "contract",
    "installment",
    "period_start",
    "period_end",
    "quantity",
    "unit_price",
    "amount",
    "vat_rate",
    "vat_nature",
    "cost_centre",
    "credited",
    "credits_line",
]


def setup_data(db):
    acme = customer("ACME", payment_terms_days=30)
    beta = customer("BETA", payment_terms_days=60)
    k1 = contract("K-001", acme)
    k2 = contract("K-002", beta)
    a = installment(
        k1,
        "2024-07-01",
        line(
            "150.00",
            unit_price="50.00",
            description="Maintenance - period 01/07/2024-30/09/2024",
            start="2024-07-01",
            end="2024-09-30",
        ),
        start="2024-07-01",
        end="2024-09-30",
    )
    b = installment(k1, "2024-07-01", line("200.00", description="Setup", vat_rate="10.00"))
    c = installment(
        k2, "2024-07-15", line("20.00", quantity="2", unit_price="10.00", description="Hosting")
    )
    e = installment(
        k2, "2024-08-15", line("20.00", quantity="2", unit_price="10.00", description="Hosting")
    )
    return a, b, c, e


def test_invoice_then_invoices_json_is_the_spec_shape(db, cli):
    a, b, c, e = setup_data(db)
    result = cli("invoice", "--installments", f"{a.id},{b.id}", "--status", "issued", "--json")
    assert result.code == 0, result
    [created] = result.json()
    assert created["number"] == "A/2024/0001"
    drafted = cli("invoice", "--installments", str(c.id), "--json")
    assert drafted.code == 0, drafted
    listed = cli("invoices", "--json").json()
    assert [list(inv) for inv in listed] == [INVOICE_KEYS, INVOICE_KEYS]
    first, second = listed
    assert first == created
    assert [i["buyer"]["code"] for i in listed] == [i["customer"] for i in listed]
    assert {k: v for k, v in first.items() if k not in ("lines", "seller", "buyer")} == {
        "id": first["id"],
        "number": "A/2024/0001",
        "series": "A",
        "year": 2024,
        "seq": 1,
        "numbering": "fiscal",
        "status": "issued",
        "document_type": "invoice",
        "sdi_document_type": "TD01",
        "date": "2024-07-01",
        "due_date": "2024-07-31",
        "customer": "ACME",
        "contracts": ["K-001"],
        "orders": [],
        "taxable": "350.00",
        "vat": "53.00",
        "out_of_scope": "0.00",
        "total": "403.00",
        "stamp_duty": None,
        "split_payment": False,
        "contribution": None,
        "withholding": None,
        "net_due": "403.00",
        "amount_due": "403.00",
        "paid": "0.00",
        "open": "403.00",
        "overdue_since": "2024-08-01",
        "corrects": None,
        "credited": "0.00",
        "credited_by": [],
    }
    assert isinstance(first["id"], int)
    assert [{k: v for k, v in li.items() if k != "id"} for li in first["lines"]] == [
        {
            "description": "Setup",
            "contract": "K-001",
            "installment": str(b.id),
            "period_start": None,
            "period_end": None,
            "quantity": "1",
            "unit_price": "200.00",
            "amount": "200.00",
            "vat_rate": "10.00",
            "vat_nature": None,
            "cost_centre": None,
            "credited": "0.00",
            "credits_line": None,
        },
        {
            "description": "Maintenance - period 01/07/2024-30/09/2024",
            "contract": "K-001",
            "installment": str(a.id),
            "period_start": "2024-07-01",
            "period_end": "2024-09-30",
            "quantity": "1",
            "unit_price": "150.00",
            "amount": "150.00",
            "vat_rate": "22.00",
            "vat_nature": None,
            "cost_centre": None,
            "credited": "0.00",
            "credits_line": None,
        },
    ]
    assert all(list(li) == LINE_KEYS for inv in listed for li in inv["lines"])
    assert (
        second["number"],
        second["seq"],
        second["numbering"],
        second["year"],
        second["status"],
    ) == (None, None, None, 2024, "draft")
    assert (second["due_date"], second["total"], second["lines"][0]["quantity"]) == (
        "2024-09-13",
        "24.40",
        "2",
    )
    # filters
    assert [i["customer"] for i in cli("invoices", "--customer", "BETA", "--json").json()] == [
        "BETA"
    ]
    assert [i["contracts"] for i in cli("invoices", "--contract", "K-001", "--json").json()] == [
        ["K-001"]
    ]
    assert [i["status"] for i in cli("invoices", "--status", "draft", "--json").json()] == ["draft"]
    assert cli("invoices", "--from", "2024-07-02", "--json").json()[0]["customer"] == "BETA"
    unknown = cli("invoices", "--contract", "NOPE")
    assert unknown.code == 2 and "unknown contract" in unknown.err


def test_invoice_options_collective_and_append(db, cli):
    a, b, c, e = setup_data(db)
    result = cli(
        "invoice",
        "--installments",
        str(c.id),
        "--date",
        "2024-09-01",
        "--series",
        "S",
        "--doc-type",
        "proforma",
        "--json",
    )
    [inv] = result.json()
    assert (inv["date"], inv["due_date"], inv["series"], inv["document_type"]) == (
        "2024-09-01",
        "2024-10-31",
        "S",
        "proforma",
    )
    appended = cli(
        "invoice",
        "--installments",
        str(e.id),
        "--series",
        "S",
        "--doc-type",
        "proforma",
        "--append-to-draft",
        "--json",
    ).json()
    assert [x["id"] for x in appended] == [inv["id"]]
    assert [li["installment"] for li in appended[0]["lines"]] == [str(c.id), str(e.id)]
    assert appended[0]["total"] == "48.80"
    human = cli("invoice", "--installments", f"{a.id},{b.id}")
    assert human.code == 0 and "1 invoice (draft), 2 installments billed" in human.out


def test_already_invoiced_is_refused_with_exit_2_on_one_line_and_nothing_written(db, cli):
    a, b, c, e = setup_data(db)
    assert cli("invoice", "--installments", str(a.id), "--status", "issued").code == 0
    before = cli("invoices", "--json").json()
    result = cli("invoice", "--installments", f"{c.id},{a.id}", "--status", "issued")
    assert result.code == 2
    assert result.out == ""
    assert len(result.err.strip().splitlines()) == 1
    assert f"installment {a.id} (K-001 2024-07-01, on A/2024/0001)" in result.err
    assert "Traceback" not in result.err
    assert cli("invoices", "--json").json() == before
    assert Installment.get_by_id(c.id).status == "pending"
    for bad in ("x", "1,,y", ""):
        bad_result = cli("invoice", "--installments", bad)
        assert bad_result.code == 2 and len(bad_result.err.strip().splitlines()) == 1
    missing = cli("invoice", "--installments", "987654")
    assert missing.code == 2 and "no such installment: 987654" in missing.err


def test_pdf_has_the_number_and_the_total(db, cli, tmp_path, monkeypatch):
    a, b, c, e = setup_data(db)
    cli("invoice", "--installments", f"{a.id},{b.id}", "--status", "issued")
    monkeypatch.chdir(tmp_path)
    result = cli("pdf", "A/2024/0001")
    assert result.code == 0, result
    path = tmp_path / "A-2024-0001.pdf"
    assert result.out.strip() == "A-2024-0001.pdf" and path.exists()
    text = "\n".join(page.extract_text() for page in pypdf.PdfReader(path).pages)
    assert "A/2024/0001" in text and "403,00" in text
    # by id, to a chosen file, in English
    [inv] = cli("invoices", "--json").json()
    target = tmp_path / "out" / "copy.pdf"
    target.parent.mkdir()
    result = cli("pdf", str(inv["id"]), "-o", str(target), "--language", "en")
    assert result.code == 0 and result.out.strip() == str(target)
    reader = pypdf.PdfReader(io.BytesIO(target.read_bytes()))
    english = reader.pages[0].extract_text()
    assert "A/2024/0001" in english and "403.00" in english
    # a draft prints as such; an unknown invoice is a user error
    [draft] = cli("invoice", "--installments", str(c.id), "--json").json()
    assert cli("pdf", str(draft["id"])).out.strip() == f"draft-{draft['id']}.pdf"
    missing = cli("pdf", "Z/1999/0001")
    assert missing.code == 2 and "no invoice with number or id" in missing.err


def test_end_to_end_from_materialized_installments(cli, tmp_path):
    """Imported contracts, `due`, then `invoice` of everything due: nothing is due after,
    the competence periods and amounts carry over, and a second `due` stays empty."""
    import json

    data = {
        "customers": [
            {
                "code": "ACME",
                "name": "ACME S.r.l.",
                "payment_terms_days": 30,
                "collective_billing": True,
            }
        ],
        "contracts": [
            {
                "code": "K-001",
                "customer": "ACME",
                "status": "active",
                "start_date": "2024-07-01",
                "frequency": "quarterly",
                "lines": [
                    {
                        "description": "Maintenance",
                        "quantity": "1",
                        "unit_price": "50.00",
                        "price_period": "monthly",
                        "vat_rate": "22.00",
                    }
                ],
            },
            {
                "code": "K-002",
                "customer": "ACME",
                "status": "active",
                "start_date": "2024-07-01",
                "frequency": "monthly",
                "lines": [
                    {
                        "description": "Hosting",
                        "quantity": "3",
                        "unit_price": "3.335",
                        "vat_rate": "22.00",
                    }
                ],
            },
        ],
    }
    source = tmp_path / "in.json"
    source.write_text(json.dumps(data))
    assert cli("import", str(source)).code == 0
    due = cli("due", "--date", "2024-08-01", "--json").json()
    assert len(due) == 3
    ids = ",".join(r["installment"] for r in due)
    created = cli("invoice", "--installments", ids, "--status", "issued", "--json").json()
    # collective billing: one invoice per date for both contracts
    assert [(i["number"], i["date"], i["contracts"]) for i in created] == [
        ("A/2024/0001", "2024-07-01", ["K-001", "K-002"]),
        ("A/2024/0002", "2024-08-01", ["K-002"]),
    ]
    first = created[0]
    assert [li["amount"] for li in first["lines"]] == ["150.00", "10.01"]
    assert (first["taxable"], first["vat"], first["total"]) == ("160.01", "35.20", "195.21")
    assert first["lines"][0]["period_start"] == "2024-07-01"
    assert first["lines"][0]["period_end"] == "2024-09-30"
    assert cli("due", "--date", "2024-08-01", "--json").json() == []
    again = cli("invoice", "--installments", ids)
    assert again.code == 2 and "already invoiced" in again.err


def test_pdf_name_too_long_for_the_file_system(db, cli, tmp_path):
    a, b, c, e = setup_data(db)
    cli("invoice", "--installments", f"{a.id}", "--status", "issued")
    result = cli("pdf", "A/2024/0001", "-o", str(tmp_path / ("x" * 300 + ".pdf")))
    assert result.code == 2, result
    assert "the file name is 304 bytes long, the file system allows 255" in result.err
    assert len(result.err.splitlines()) == 1
    assert list(tmp_path.glob("x*")) == []
