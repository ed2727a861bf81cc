"""import / export of the interchange format: round trips, idempotence, all-or-nothing errors."""

import copy
import json

import pytest

SAMPLE = {
    "customers": [
        {
            "code": "ACME",
            "name": "ACME S.r.l.",
            "vat_number": "IT01234560017",
            "tax_code": "01234560017",
            "address": "Via Roma 1, 20100 Milano (MI)",
            "email": "billing@acme.example",
            "payment_terms_days": 30,
            "iban": "IT60X0542811101000000123456",
            "payment_method": "bank_transfer",
            "collective_billing": False,
        }
    ],
    "articles": [
        {
            "code": "MAINT",
            "name": "Maintenance",
            "unit": "month",
            "price": "50.00",
            "vat_rate": "22.00",
            "recurring": True,
            "kind": "service",
        }
    ],
    "contracts": [
        {
            "code": "K-001",
            "customer": "ACME",
            "status": "active",
            "start_date": "2024-07-01",
            "end_date": None,
            "frequency": "quarterly",
            "alignment": "start",
            "year_end_cut": False,
            "timing": "advance",
            "invoice_offset_days": 0,
            "prorate": True,
            "line_display": "single",
            "one_off_with_first": False,
            "document_type": "invoice",
            "series": "A",
            "lines": [
                {
                    "article": "MAINT",
                    "description": "Maintenance",
                    "quantity": "1",
                    "unit_price": "50.00",
                    "price_period": "monthly",
                    "recurring": True,
                    "valid_from": None,
                    "valid_to": None,
                    "vat_rate": "22.00",
                    "frequency": None,
                },
                {
                    "description": "Setup",
                    "quantity": "2.5",
                    "unit_price": "12.3456",
                    "recurring": False,
                    "vat_rate": "22.00",
                    "frequency": {"every": 2, "unit": "week"},
                },
            ],
        }
    ],
    "orders": [
        {
            "code": "O-1",
            "customer": "ACME",
            "date": "2024-05-02",
            "status": "draft",
            "lines": [
                {
                    "article": "MAINT",
                    "description": "Maintenance",
                    "quantity": "1",
                    "unit_price": "50.00",
                    "vat_rate": "22.00",
                }
            ],
        }
    ],
}


def write(tmp_path, data, name="in.json"):
    path = tmp_path / name
    path.write_text(json.dumps(data) if not isinstance(data, str) else data)
    return str(path)


def export(cli):
    result = cli("export")
    assert result.code == 0, result
    return result.out


def test_round_trip_and_idempotence(cli, tmp_path):
    assert cli("import", write(tmp_path, SAMPLE)).code == 0
    first = export(cli)
    doc = json.loads(first)
    assert doc["contracts"][0]["lines"][1]["unit_price"] == "12.3456"
    assert doc["contracts"][0]["lines"][1]["quantity"] == "2.5"
    assert doc["contracts"][0]["lines"][1]["frequency"] == {"every": 2, "unit": "week"}
    assert doc["contracts"][0]["lines"][0]["unit_price"] == "50.00"
    again = cli("import", write(tmp_path, first, "export.json"))
    assert again.code == 0 and "contracts: 0 new, 0 updated, 1 unchanged" in again.out
    assert export(cli) == first


def test_export_import_export_into_another_database(cli, tmp_path):
    from tui_billing.cli.main import main

    assert cli("import", write(tmp_path, SAMPLE)).code == 0
    first = export(cli)
    other = str(tmp_path / "other.sqlite")
    assert main(["--db", other, "import", write(tmp_path, first, "e.json")]) == 0
    assert main(["--db", other, "export", str(tmp_path / "e2.json")]) == 0
    assert (tmp_path / "e2.json").read_text() == first


def test_update_by_code(cli, tmp_path):
    cli("import", write(tmp_path, SAMPLE))
    changed = copy.deepcopy(SAMPLE)
    changed["contracts"][0]["lines"][0]["unit_price"] = "55.00"
    result = cli("import", write(tmp_path, {"contracts": changed["contracts"]}))
    assert result.code == 0 and "contracts: 0 new, 1 updated" in result.out
    assert json.loads(export(cli))["contracts"][0]["lines"][0]["unit_price"] == "55.00"


def broken(path, value):
    data = copy.deepcopy(SAMPLE)
    target = data
    keys = path.split(".")
    for key in keys[:-1]:
        target = target[int(key)] if key.isdigit() else target[key]
    last = keys[-1]
    if value is KeyError:
        del target[last]
    else:
        target[int(last) if last.isdigit() else last] = value
    return data


BAD_INPUTS = [
    (broken("contracts.0.customer", "NOPE"), "contracts[0].customer: unknown customer 'NOPE'"),
    (
        broken("contracts.0.lines.0.article", "NOPE"),
        "contracts[0].lines[0].article: unknown article 'NOPE'",
    ),
    (
        broken("contracts.0.start_date", "2024-02-30"),
        "contracts[0].start_date: not a valid date: '2024-02-30'",
    ),
    (
        broken("contracts.0.frequency", "fortnightly"),
        "contracts[0].frequency: unknown frequency 'fortnightly'",
    ),
    (
        broken("contracts.0.end_date", "2024-01-01"),
        "contracts[0].end_date: end_date 2024-01-01 is before start_date 2024-07-01",
    ),
    (
        broken("contracts.0.lines.0.unit_price", "abc"),
        "contracts[0].lines[0].unit_price: not a decimal number",
    ),
    (
        broken("contracts.0.lines.0.unit_price", "-5"),
        "contracts[0].lines[0].unit_price: must not be negative",
    ),
    (
        broken("contracts.0.lines.1.quantity", "-1"),
        "contracts[0].lines[1].quantity: must not be negative",
    ),
    (broken("articles.0.price", "1,5"), "articles[0].price: not a decimal number"),
    (
        broken("customers.0.vat_number", "IT01234567890"),
        "customers[0].vat_number: 'IT01234567890' is not a valid Italian VAT number",
    ),
    (
        broken("customers.0.iban", "IT61X0542811101000000123456"),
        "customers[0].iban: 'IT61X0542811101000000123456' is not a valid IBAN",
    ),
    (broken("orders.0.status", "lost"), "orders[0].status: unknown value 'lost'"),
    (broken("contracts.0.status", "running"), "contracts[0].status: unknown value 'running'"),
    ('{"customers": [', "not valid JSON"),
    ("[1, 2]", "the file must hold one JSON object"),
]


@pytest.mark.parametrize(("data", "message"), BAD_INPUTS)
def test_bad_input_is_one_line_exit_2_nothing_written(cli, tmp_path, data, message):
    assert cli("import", write(tmp_path, {"customers": [{"code": "OLD", "name": "Old"}]})).code == 0
    before = export(cli)
    result = cli("import", write(tmp_path, data, "bad.json"))
    assert result.code == 2, result
    assert result.out == ""
    assert len(result.err.strip().splitlines()) == 1, result.err
    assert message in result.err
    assert "Traceback" not in result.err
    assert export(cli) == before


def test_bad_record_late_in_file_rejects_everything(cli, tmp_path):
    data = copy.deepcopy(SAMPLE)
    data["contracts"].append({**copy.deepcopy(data["contracts"][0]), "code": "K-002"})
    data["contracts"].append({**copy.deepcopy(data["contracts"][0]), "code": "K-003"})
    data["contracts"][2]["lines"][0]["unit_price"] = "x"
    result = cli("import", write(tmp_path, data))
    assert result.code == 2
    assert "contracts[2].lines[0].unit_price: not a decimal number" in result.err
    assert json.loads(export(cli))["customers"] == []


def test_import_from_stdin(cli, monkeypatch):
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps(SAMPLE)))
    assert cli("import", "-").code == 0
    assert json.loads(export(cli))["contracts"][0]["code"] == "K-001"


def test_missing_file(cli):
    result = cli("import", "/nonexistent/file.json")
    assert result.code == 2 and "no such file" in result.err


CUSTOMERS_CSV = """code;name;vat_number;email;payment_terms_days;collective_billing
C1;Alfa S.r.l.;IT01234560017;a@alfa.example;60;si
C2;Beta S.p.A.;;b@beta.example;30;no
"""
CONTRACTS_CSV = """code,customer,status,start_date,frequency,timing,line_description,line_quantity,line_unit_price,line_vat_rate,line_price_period,line_recurring
K-1,C1,active,2024-01-01,quarterly,advance,Assistenza,1,"50,00",22,monthly,true
K-1,,,,,,Installazione,1,"1.200,00",22,,false
K-2,C2,active,2024-03-01,every 2 months,arrears,Noleggio,2,10.5,22,,true
"""


def test_csv_import(cli, tmp_path):
    customers = tmp_path / "customers.csv"
    customers.write_text(CUSTOMERS_CSV)
    contracts = tmp_path / "contracts.csv"
    contracts.write_text(CONTRACTS_CSV)
    assert cli("import-csv", "customers", str(customers)).code == 0
    result = cli("import-csv", "contracts", str(contracts))
    assert result.code == 0, result
    doc = json.loads(export(cli))
    assert doc["customers"][0]["collective_billing"] is True
    assert doc["customers"][0]["payment_terms_days"] == 60
    k1, k2 = doc["contracts"]
    assert [li["unit_price"] for li in k1["lines"]] == ["50.00", "1200.00"]
    assert k1["lines"][1]["recurring"] is False
    assert k2["frequency"] == "bimonthly"  # "every 2 months" is the named frequency
    assert k2["timing"] == "arrears"
    again = cli("import-csv", "contracts", str(contracts))
    assert "0 new, 0 updated, 2 unchanged" in again.out


def test_csv_error_names_row_and_column(cli, tmp_path):
    (tmp_path / "c.csv").write_text(CUSTOMERS_CSV)
    cli("import-csv", "customers", str(tmp_path / "c.csv"))
    bad = CONTRACTS_CSV.replace("Noleggio,2,10.5", "Noleggio,2,ten")
    (tmp_path / "k.csv").write_text(bad)
    before = export(cli)
    result = cli("import-csv", "contracts", str(tmp_path / "k.csv"))
    assert result.code == 2
    assert "k.csv row 4, column line_unit_price: not a decimal number" in result.err
    assert export(cli) == before
