"""VAT natures on articles, contract and order lines, end to end on SQLite and PostgreSQL:
imported, refused where they do not fit (exit 2 naming the field, nothing written),
exported, carried onto the invoice lines and printed with their legal reference."""

from __future__ import annotations

import json
import re

import pypdf

CUSTOMER = {"code": "ACME", "name": "ACME S.r.l.", "payment_terms_days": 30}


def _contract(*lines: dict) -> dict:
    return {
        "code": "K-1",
        "customer": "ACME",
        "status": "active",
        "start_date": "2025-04-01",
        "frequency": "monthly",
        "lines": list(lines),
    }


def _import(cli, tmp_path, data: dict):
    path = tmp_path / "data.json"
    path.write_text(json.dumps(data))
    return cli("import", str(path))


def _pdf_text(cli, tmp_path, number: str) -> str:
    path = tmp_path / "doc.pdf"
    result = cli("pdf", number, "-o", str(path), "--language", "it")
    assert result.code == 0, result
    text = "\n".join(page.extract_text() for page in pypdf.PdfReader(path).pages)
    return re.sub(r"\s+", " ", text)


def test_a_nature_is_imported_exported_and_billed(cli, tmp_path):
    data = {
        "customers": [CUSTOMER],
        "articles": [
            {
                "code": "VISITA",
                "name": "Visita medica",
                "price": "90.00",
                "vat_rate": "0",
                "vat_nature": "N4",
            }
        ],
        "contracts": [
            _contract(
                {"article": "VISITA", "quantity": "1"},
                {
                    "description": "Subappalto",
                    "unit_price": "500.00",
                    "vat_rate": "0",
                    "vat_nature": "N6.3",
                },
                {"description": "Canone", "unit_price": "100.00", "vat_rate": "22"},
            )
        ],
    }
    assert _import(cli, tmp_path, data).code == 0
    exported = cli("export").json()
    [article] = exported["articles"]
    assert article["vat_nature"] == "N4"
    lines = exported["contracts"][0]["lines"]
    assert [li.get("vat_nature") for li in lines] == ["N4", "N6.3", None]

    result = cli("run", "--date", "2025-04-01", "--no-email", "--json", "--status", "issued")
    assert result.code == 0, result
    [invoice] = [i for i in cli("invoices", "--json").json() if i["number"]]
    assert [(li["vat_rate"], li["vat_nature"]) for li in invoice["lines"]] == [
        ("0.00", "N4"),
        ("0.00", "N6.3"),
        ("22.00", None),
    ]
    # VAT only on the taxed line; the N4 and N6.3 lines carry none.
    assert (invoice["vat"], invoice["total"]) == ("22.00", "712.00")

    text = _pdf_text(cli, tmp_path, invoice["number"])
    assert "Esente art. 10 DPR 633/72" in text
    assert "Inversione contabile art. 17 c.6 lett. a DPR 633/72 (N6.3)" in text


def test_a_zero_rate_line_without_a_nature_is_refused(cli, tmp_path):
    data = {
        "customers": [CUSTOMER],
        "contracts": [
            _contract(
                {"description": "Canone", "unit_price": "100.00", "vat_rate": "22"},
                {"description": "Esente", "unit_price": "100.00", "vat_rate": "0"},
            )
        ],
    }
    result = _import(cli, tmp_path, data)
    assert result.code == 2
    assert "contracts[0].lines[1].vat_nature: is required on a 0% line" in result.err
    assert cli("export").json()["customers"] == []


def test_a_nature_on_a_line_with_vat_is_refused(cli, tmp_path):
    data = {
        "customers": [CUSTOMER],
        "contracts": [
            _contract(
                {"description": "Canone", "unit_price": "100.00", "vat_rate": "22"},
                {
                    "description": "Subappalto",
                    "unit_price": "100.00",
                    "vat_rate": "22",
                    "vat_nature": "N6.3",
                },
            )
        ],
    }
    result = _import(cli, tmp_path, data)
    assert result.code == 2
    assert "contracts[0].lines[1].vat_nature: N6.3 is only for a line without VAT" in (result.err)


def test_an_unknown_nature_is_refused(cli, tmp_path):
    data = {
        "customers": [CUSTOMER],
        "contracts": [
            _contract(
                {
                    "description": "Esente",
                    "unit_price": "100.00",
                    "vat_rate": "0",
                    "vat_nature": "N9",
                }
            )
        ],
    }
    result = _import(cli, tmp_path, data)
    assert result.code == 2
    assert "contracts[0].lines[0].vat_nature: unknown VAT nature 'N9'" in result.err


def test_order_lines_carry_their_nature(cli, tmp_path):
    data = {
        "customers": [CUSTOMER],
        "orders": [
            {
                "code": "O-1",
                "customer": "ACME",
                "date": "2025-04-01",
                "status": "in_progress",
                "lines": [
                    {
                        "description": "Export",
                        "unit_price": "80.00",
                        "vat_rate": "0",
                        "vat_nature": "N3.1",
                    }
                ],
            }
        ],
    }
    assert _import(cli, tmp_path, data).code == 0, "import"
    [order] = cli("export").json()["orders"]
    assert order["lines"][0]["vat_nature"] == "N3.1"
    bad = {
        "customers": [CUSTOMER],
        "orders": [
            {
                "code": "O-2",
                "customer": "ACME",
                "date": "2025-04-01",
                "lines": [{"description": "x", "unit_price": "80.00", "vat_rate": "0"}],
            }
        ],
    }
    result = _import(cli, tmp_path, bad)
    assert result.code == 2
    assert "orders[0].lines[0].vat_nature: is required" in result.err


def _exempt(amount: str) -> dict:
    return {
        "customers": [CUSTOMER],
        "contracts": [
            _contract(
                {
                    "description": "Visita",
                    "unit_price": amount,
                    "vat_rate": "0",
                    "vat_nature": "N4",
                },
                {
                    "description": "Export",
                    "unit_price": "500.00",
                    "vat_rate": "0",
                    "vat_nature": "N3.1",
                },
            )
        ],
    }


def _issued(cli) -> dict:
    result = cli("run", "--date", "2025-04-01", "--no-email", "--json", "--status", "issued")
    assert result.code == 0, result
    [invoice] = [i for i in cli("invoices", "--json").json() if i["number"]]
    return invoice


def test_no_bollo_at_77_47(cli, tmp_path):
    assert _import(cli, tmp_path, _exempt("77.47")).code == 0
    invoice = _issued(cli)
    # N3.1 (export) does not count toward the threshold: only the N4 line's 77.47.
    assert (invoice["stamp_duty"], invoice["total"]) == (None, "577.47")
    assert "Imposta di bollo" not in _pdf_text(cli, tmp_path, invoice["number"])


def test_bollo_at_77_48_borne_by_the_company(cli, tmp_path):
    assert _import(cli, tmp_path, _exempt("77.48")).code == 0
    invoice = _issued(cli)
    assert (invoice["stamp_duty"], invoice["total"], invoice["amount_due"]) == (
        "2.00",
        "577.48",
        "577.48",
    )
    assert len(invoice["lines"]) == 2
    text = _pdf_text(cli, tmp_path, invoice["number"])
    assert "Imposta di bollo assolta in modo virtuale ai sensi del D.M. 17/06/2014" in text


def test_bollo_charged_to_the_customer_is_its_own_n1_line(cli, tmp_path):
    company = cli("export").json()["company"]
    data = _exempt("100.00") | {"company": {**company, "stamp_duty_charged": True}}
    assert _import(cli, tmp_path, data).code == 0
    assert cli("export").json()["company"]["stamp_duty_charged"] is True
    invoice = _issued(cli)
    assert invoice["stamp_duty"] == "2.00"
    assert [(li["description"], li["amount"], li["vat_nature"]) for li in invoice["lines"]][-1] == (
        "Imposta di bollo",
        "2.00",
        "N1",
    )
    assert (invoice["taxable"], invoice["out_of_scope"], invoice["total"]) == (
        "600.00",
        "2.00",
        "602.00",
    )


def test_split_payment_customer_pays_the_total_less_vat(cli, tmp_path):
    pa = {**CUSTOMER, "public_administration": True, "split_payment": True, "sdi_code": "UFABCD"}
    data = {
        "customers": [pa],
        "contracts": [
            _contract({"description": "Canone", "unit_price": "1000.00", "vat_rate": "22"})
        ],
    }
    assert _import(cli, tmp_path, data).code == 0, "import"
    invoice = _issued(cli)
    assert (
        invoice["split_payment"],
        invoice["total"],
        invoice["vat"],
        invoice["amount_due"],
        invoice["open"],
    ) == (True, "1220.00", "220.00", "1000.00", "1000.00")
    [item] = cli("open-items", "--date", "2025-06-01", "--json").json()
    assert (item["amount_due"], item["open"]) == ("1000.00", "1000.00")
    text = _pdf_text(cli, tmp_path, invoice["number"])
    assert "Scissione dei pagamenti - art. 17-ter DPR 633/72" in text
    assert "1.000,00" in text
    # Editing the customer later does not change the issued document.
    data["customers"][0]["split_payment"] = False
    assert _import(cli, tmp_path, data).code == 0
    again = [i for i in cli("invoices", "--json").json() if i["number"]][0]
    assert (again["split_payment"], again["amount_due"]) == (True, "1000.00")


NATURE_CSV = """code,customer,status,start_date,frequency,line_description,line_unit_price,line_vat_rate,line_vat_nature
K-1,ACME,active,2025-04-01,monthly,Visita,90.00,0,N4
K-1,,,,,Canone,10.00,22,
"""


def test_csv_line_vat_nature(cli, tmp_path):
    assert _import(cli, tmp_path, {"customers": [CUSTOMER]}).code == 0
    (tmp_path / "k.csv").write_text(NATURE_CSV)
    result = cli("import-csv", "contracts", str(tmp_path / "k.csv"))
    assert result.code == 0, result
    lines = cli("export").json()["contracts"][0]["lines"]
    assert [li.get("vat_nature") for li in lines] == ["N4", None]
    # an empty cell leaves an existing line's nature as it is; "-" clears it
    (tmp_path / "same.csv").write_text(NATURE_CSV.replace("0,N4", "0,"))
    assert cli("import-csv", "contracts", str(tmp_path / "same.csv")).code == 0
    (tmp_path / "bad.csv").write_text(NATURE_CSV.replace("0,N4", "0,-"))
    result = cli("import-csv", "contracts", str(tmp_path / "bad.csv"))
    assert result.code == 2
    assert "row 2, column line_vat_nature: is required on a 0% line" in result.err


def test_late_interest_counts_the_amount_due_of_split_payment(cli, tmp_path):
    pa = {**CUSTOMER, "public_administration": True, "split_payment": True, "sdi_code": "UFABCD"}
    contract = _contract({"description": "Canone", "unit_price": "1000.00", "vat_rate": "22"})
    contract |= {"frequency": "quarterly", "late_interest": "fixed", "late_interest_rate": "10"}
    assert _import(cli, tmp_path, {"customers": [pa], "contracts": [contract]}).code == 0
    cli("run", "--date", "2025-04-01", "--no-email", "--status", "issued")
    [due] = cli("due", "--date", "2025-07-01", "--json").json()
    [interest] = [li for li in due["lines"] if li.get("vat_nature") == "N1"]
    # 10% a year on 1,000.00 (the amount due, not the total of 1,220.00): 61 days
    assert interest["description"].endswith(
        "61 gg dal 02/05/2025 al 01/07/2025 al 10,00% su 1.000,00"
    )
    assert interest["amount"] == "16.71"  # 1,000.00 x 10% x 61 / 365 = 16.712...
