"""``customers`` and ``customer archive|restore|delete``; an archived customer refused a new
contract by the import; an issued document unchanged after its customer is edited."""

from __future__ import annotations

import copy

from tests.cli.test_parties import CONTRACT, _due_ids, _pdf_text, document, write
from tui_billing.billing.customer_editing import update_customer
from tui_billing.store.database import open_database

OTHER = {"code": "ACME", "name": "Acme Forniture S.r.l.", "tax_code": "00743110157"}


def _load(cli, tmp_path) -> None:
    doc = document()
    doc["customers"].append(dict(OTHER))
    assert cli("import", write(tmp_path, doc)).code == 0


def test_customers_lists_searches_and_hides_the_archived(cli, tmp_path):
    _load(cli, tmp_path)
    listed = cli("customers", "--json").json()
    assert [c["code"] for c in listed] == ["ACME", "COMUNE"]
    comune = listed[1]
    assert (comune["vat_number"], comune["sdi_code"], comune["city"], comune["archived"]) == (
        "IT00384350427",
        "UFABCD",
        "Osimo",
        False,
    )
    assert [c["code"] for c in cli("customers", "--search", "osimo", "--json").json()] == ["COMUNE"]
    assert [c["code"] for c in cli("customers", "--search", "acm", "--json").json()] == ["ACME"]

    archived = cli("customer", "archive", "ACME")
    assert (archived.code, archived.out.strip()) == (0, "Customer ACME is archived.")
    assert [c["code"] for c in cli("customers", "--json").json()] == ["COMUNE"]
    both = cli("customers", "--archived", "--json").json()
    assert [(c["code"], c["archived"]) for c in both] == [("ACME", True), ("COMUNE", False)]
    text = cli("customers", "--archived")
    assert "ACME" in text.out and "archived" in text.out and "2 customers" in text.out
    assert cli("customer", "archive", "ACME").out.strip() == "Customer ACME is archived already."
    assert cli("customer", "restore", "ACME").out.strip() == "Customer ACME is active."
    assert [c["code"] for c in cli("customers", "--json").json()] == ["ACME", "COMUNE"]
    unknown = cli("customer", "archive", "NOPE")
    assert unknown.code == 2 and "no customer with code 'NOPE'" in unknown.err


def test_an_archived_customer_gets_no_new_contract_from_the_import(cli, tmp_path):
    _load(cli, tmp_path)
    assert cli("customer", "archive", "COMUNE").code == 0
    again = cli("import", write(tmp_path, document(customers=[]), "again.json"))
    assert again.code == 0, again  # its own contract, unchanged, imports again
    second = copy.deepcopy(CONTRACT)
    second["code"] = "K-PA2"
    refused = cli("import", write(tmp_path, {"contracts": [second]}, "new.json"))
    assert refused.code == 2
    assert refused.err.strip().splitlines() == [
        "tui-billing: error: contracts[0].customer: customer 'COMUNE' is archived: restore "
        "it before giving it a new contract"
    ]
    assert [k["code"] for k in cli("export").json()["contracts"]] == ["K-PA"]


def test_delete_refuses_a_customer_in_use_and_deletes_an_unused_one(cli, tmp_path):
    _load(cli, tmp_path)
    refused = cli("customer", "delete", "COMUNE")
    assert refused.code == 2
    assert "customer 'COMUNE' is in use (1 contract): it cannot be deleted" in refused.err
    deleted = cli("customer", "delete", "ACME")
    assert (deleted.code, deleted.out.strip()) == (0, "Customer ACME deleted.")
    assert [c["code"] for c in cli("customers", "--archived", "--json").json()] == ["COMUNE"]


def test_editing_a_customer_never_changes_an_issued_invoice(cli, tmp_path):
    _load(cli, tmp_path)
    ids = _due_ids(cli, "2024-08-01").split(",")
    issued = cli("invoice", "--installments", ids[0], "--status", "issued", "--json").json()[0]
    before = tmp_path / "before.pdf"
    assert cli("pdf", issued["number"], "-o", str(before)).code == 0
    text = _pdf_text(before)
    buyer = {i["id"]: i for i in cli("invoices", "--json").json()}[issued["id"]]["buyer"]
    assert "Comune di Osimo" in text and "Piazza del Comune 1" in text

    db = open_database(cli.target)
    try:
        update_customer(
            db,
            "COMUNE",
            {
                "name": "Comune di Ancona",
                "street": "Largo XXIV Maggio 1",
                "postal_code": "60123",
                "city": "Ancona",
                "sdi_code": "UFZZZZ",
                "vat_number": "IT00743110157",
            },
        )
    finally:
        db.close()
    assert cli("customers", "--json").json()[1]["name"] == "Comune di Ancona"
    after = tmp_path / "after.pdf"
    assert cli("pdf", issued["number"], "-o", str(after)).code == 0
    assert _pdf_text(after) == text
    listed = {i["id"]: i for i in cli("invoices", "--json").json()}
    assert listed[issued["id"]]["buyer"] == buyer
    assert buyer["name"] == "Comune di Osimo"


def test_a_customers_csv_keeps_or_sets_the_archived_state(cli, tmp_path):
    _load(cli, tmp_path)
    assert cli("customer", "archive", "ACME").code == 0
    sheet = tmp_path / "customers.csv"
    sheet.write_text("code;name;archived\nACME;Acme Forniture S.p.A.;\nCOMUNE;Comune di Osimo;si\n")
    result = cli("import-csv", "customers", str(sheet))
    assert result.code == 0, result
    listed = {c["code"]: c for c in cli("customers", "--archived", "--json").json()}
    assert (listed["ACME"]["name"], listed["ACME"]["archived"]) == ("Acme Forniture S.p.A.", True)
    assert listed["COMUNE"]["archived"] is True
