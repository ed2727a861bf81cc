"""From the command line: a billing run and `invoice --doc-type` number invoices, pro-formas
and order documents of one series in sequences of their own; series set each class's
format in the interchange file."""

from __future__ import annotations

import json


def _contract(code: str, document_type: str, price: str) -> dict:
    return {
        "code": code,
        "customer": "ACME",
        "status": "active",
        "start_date": "2024-01-01",
        "frequency": "monthly",
        "document_type": document_type,
        "series": "A",
        "lines": [
            {
                "description": f"Servizio {code}",
                "quantity": "1",
                "unit_price": price,
                "vat_rate": "22.00",
            }
        ],
    }


DOCUMENT = {
    "series": [
        {
            "code": "A",
            "description": "Fatture",
            "format": "{series}/{year}/{seq:04d}",
            "order_format": "ORD{year}-{seq:03d}",
        }
    ],
    "customers": [{"code": "ACME", "name": "ACME S.r.l.", "payment_terms_days": 30}],
    "contracts": [
        _contract("K-INV", "invoice", "100.00"),
        _contract("K-PF", "proforma", "50.00"),
        _contract("K-INV2", "invoice", "70.00"),
        _contract("K-ORD", "order", "30.00"),
    ],
}


def _import(cli, tmp_path, document) -> object:
    path = tmp_path / "data.json"
    path.write_text(json.dumps(document))
    return cli("import", str(path))


def test_a_run_numbers_each_class_of_one_series_gaplessly(cli, tmp_path):
    assert _import(cli, tmp_path, DOCUMENT).code == 0
    report = cli("run", "--date", "2024-04-15", "--no-email", "--json")
    assert report.code == 0, report
    assert report.json()["invoices_created"] == 16
    listed = cli("invoices", "--json").json()
    by_class: dict[str, list[tuple[int, str, str]]] = {}
    for invoice in listed:
        assert invoice["status"] == "issued" and invoice["series"] == "A"
        assert invoice["year"] == 2024
        by_class.setdefault(invoice["numbering"], []).append(
            (invoice["seq"], invoice["number"], invoice["document_type"])
        )
    fiscal = sorted(by_class.pop("fiscal"))
    assert fiscal == [(n, f"A/2024/{n:04d}", "invoice") for n in range(1, 9)]
    assert sorted(by_class.pop("proforma")) == [
        (n, f"PF-A/2024/{n:04d}", "proforma") for n in range(1, 5)
    ]
    assert sorted(by_class.pop("order")) == [(n, f"ORD2024-{n:03d}", "order") for n in range(1, 5)]
    assert by_class == {}
    # the numbers follow the dates within each class
    for cls in ("fiscal", "proforma", "order"):
        dates = [i["date"] for i in sorted(listed, key=lambda i: i["seq"]) if i["numbering"] == cls]
        assert dates == sorted(dates), cls

    # the next month continues each sequence; the summary names each one
    human = cli("run", "--date", "2024-05-01", "--no-email")
    assert human.code == 0, human
    assert "Numbers: A/2024/0009 to A/2024/0010 (2), ORD2024-005, PF-A/2024/0005" in human.out, (
        human.out
    )


def test_invoice_doc_type_draws_from_the_class_of_the_type(cli, tmp_path, db):
    assert _import(cli, tmp_path, DOCUMENT).code == 0
    due = {
        d["contract"]: d["installment"] for d in cli("due", "--date", "2024-01-31", "--json").json()
    }
    made = cli(
        "invoice",
        "--installments",
        due["K-INV"],
        "--doc-type",
        "order",
        "--status",
        "issued",
        "--json",
    )
    assert made.code == 0, made
    assert [i["number"] for i in made.json()] == ["ORD2024-001"]
    credit = cli(
        "invoice",
        "--installments",
        due["K-PF"],
        "--doc-type",
        "credit_note",
        "--status",
        "issued",
        "--json",
    )
    assert [i["number"] for i in credit.json()] == ["A/2024/0001"]
    listed = {
        i["number"]: (i["document_type"], i["numbering"], i["seq"])
        for i in cli("invoices", "--json").json()
    }
    assert listed == {
        "ORD2024-001": ("order", "order", 1),
        "A/2024/0001": ("credit_note", "fiscal", 1),
    }


def test_series_formats_round_trip_and_bad_ones_are_refused(cli, tmp_path):
    assert _import(cli, tmp_path, DOCUMENT).code == 0
    exported = cli("export").json()
    assert exported["series"] == [
        {
            "code": "A",
            "description": "Fatture",
            "format": "{series}/{year}/{seq:04d}",
            "proforma_format": None,
            "order_format": "ORD{year}-{seq:03d}",
        }
    ]

    broken = dict(DOCUMENT, series=[{"code": "A", "proforma_format": "PF-{year}"}])
    refused = _import(cli, tmp_path, broken)
    assert refused.code == 2
    assert "series[0].proforma_format" in refused.err and "{seq}" in refused.err

    same = dict(
        DOCUMENT,
        series=[{"code": "A", "format": "{series}-{seq}", "order_format": "{series}-{seq}"}],
    )
    refused = _import(cli, tmp_path, same)
    assert refused.code == 2
    assert "series[0].order_format" in refused.err and "would be the same" in refused.err
    assert cli("export").json()["series"] == exported["series"]  # nothing written


def test_the_import_keeps_a_format_that_numbered_documents_this_year(cli, tmp_path):
    assert _import(cli, tmp_path, DOCUMENT).code == 0
    assert cli("run", "--date", "2024-01-31", "--no-email").code == 0
    before = cli("export").json()
    series_a = {**DOCUMENT["series"][0], "order_format": "ORD-{year}-{seq:04d}"}
    reformatted = dict(
        DOCUMENT,
        series=[series_a, {**series_a, "code": "B"}],
        customers=[{**DOCUMENT["customers"][0], "name": "ACME S.p.A."}],
    )
    path = tmp_path / "again.json"
    path.write_text(json.dumps(reformatted))
    refused = cli("--today", "2024-06-01", "import", str(path))
    assert refused.code == 2
    assert refused.err.count("\n") == 1
    assert "series[0].order_format: series 'A' has numbered order documents in 2024" in refused.err
    assert "(last ORD2024-001)" in refused.err
    assert cli("export").json() == before  # nothing written: no series B, the same name

    # the description may change; the format again from the next year
    described = dict(DOCUMENT, series=[{**DOCUMENT["series"][0], "description": "Vendite"}])
    path.write_text(json.dumps(described))
    assert cli("--today", "2024-06-01", "import", str(path)).code == 0
    path.write_text(json.dumps(reformatted))
    assert cli("--today", "2025-01-01", "import", str(path)).code == 0, "a new year"
    assert [s["order_format"] for s in cli("export").json()["series"]] == [
        "ORD-{year}-{seq:04d}",
        "ORD-{year}-{seq:04d}",
    ]
