"""The installment plan of a contract in the interchange format and in CSV: carried both
ways, validated, billed by `due`."""

from __future__ import annotations

import json

from tests.billing.contract_data import contracts_document


def write(tmp_path, data, name="in.json"):
    path = tmp_path / name
    path.write_text(json.dumps(data) if not isinstance(data, str) else data)
    return str(path)


def with_plan(amount, count, **line):
    doc = contracts_document()
    k1 = doc["contracts"][0]
    k1["installment_amount"], k1["installment_count"] = amount, count
    k1["lines"][0].update(line)
    return doc


def test_plan_round_trip_and_due(cli, tmp_path):
    assert cli("import", write(tmp_path, with_plan("120", 2))).code == 0
    first = cli("export").out
    k1 = next(k for k in json.loads(first)["contracts"] if k["code"] == "K-001")
    assert (k1["installment_amount"], k1["installment_count"]) == ("120.00", 2)
    again = cli("import", write(tmp_path, first, "export.json"))
    assert again.code == 0 and "0 updated" in again.out
    assert cli("export").out == first
    due = cli("due", "--date", "2025-12-31", "--contract", "K-001", "--json").json()
    assert [(i["period_start"], i["amount"]) for i in due] == [
        ("2024-07-01", "120.00"),
        ("2024-10-01", "120.00"),
    ]
    assert due[0]["lines"][0]["description"].startswith("Manutenzione caldaia")


def test_bad_plans_are_refused_naming_the_field(cli, tmp_path):
    doc = with_plan("50.00", None)
    doc["contracts"][0]["lines"].append(
        {"description": "Rivista", "unit_price": "5.00", "vat_rate": "4.00"}
    )
    for data, where in (
        (doc, "contracts[0].installment_amount"),
        (with_plan("1,5", None), "contracts[0].installment_amount"),
        (with_plan(None, 0), "contracts[0].installment_count"),
        (with_plan(None, "dodici"), "contracts[0].installment_count"),
    ):
        result = cli("import", write(tmp_path, data))
        assert result.code == 2, result
        assert where in result.err
    assert json.loads(cli("export").out)["contracts"] == []


def test_plan_columns_in_csv(cli, tmp_path):
    assert cli("import", write(tmp_path, {"customers": [{"code": "C1", "name": "Uno"}]})).code == 0
    csv = (
        "code;customer;status;start_date;frequency;installment_amount;installment_count;"
        "line_description;line_unit_price;line_vat_rate\n"
        "K-9;C1;active;2024-01-01;monthly;1.234,50;3;Canone;10,00;22\n"
    )
    path = tmp_path / "k.csv"
    path.write_text(csv)
    assert cli("import-csv", "contracts", str(path)).code == 0
    k9 = json.loads(cli("export").out)["contracts"][0]
    assert (k9["installment_amount"], k9["installment_count"]) == ("1234.50", 3)
