"""SdI-ready parties: customer and company fields through import, CSV and export, checked by
python-stdnum; the seller a database needs to issue; what an issued document keeps."""

from __future__ import annotations

import copy
import io
import json

import pypdf
import pytest

from tests.support.seller import SELLER

CUSTOMER = {
    "code": "COMUNE",
    "name": "Comune di Osimo",
    "street": "Piazza del Comune 1",
    "postal_code": "60027",
    "city": "Osimo",
    "province": "AN",
    "vat_number": "00384350427",
    "tax_code": "00384350427",
    "sdi_code": "UFABCD",
    "pec": "protocollo@pec.comune.osimo.example",
    "public_administration": True,
    "email": "ragioneria@comune.osimo.example",
}
CONTRACT = {
    "code": "K-PA",
    "customer": "COMUNE",
    "status": "active",
    "start_date": "2024-07-01",
    "frequency": "monthly",
    "cig": "Z1A2B3C4D5",
    "cup": "J91H18000010004",
    "lines": [{"description": "Manutenzione impianti", "unit_price": "100.00", "vat_rate": "22"}],
}


def write(tmp_path, data, name="in.json"):
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data))
    return str(path)


def document(**overrides):
    doc = {
        "company": dict(SELLER),
        "customers": [dict(CUSTOMER)],
        "contracts": [copy.deepcopy(CONTRACT)],
    }
    doc.update(overrides)
    return doc


def test_parties_round_trip_through_import_and_export(cli, tmp_path):
    result = cli("import", write(tmp_path, document()))
    assert result.code == 0, result
    exported = json.loads(cli("export").out)
    customer = exported["customers"][0]
    assert {
        k: customer[k]
        for k in (
            "street",
            "postal_code",
            "city",
            "province",
            "country",
            "vat_country",
            "vat_number",
            "sdi_code",
            "pec",
            "public_administration",
            "split_payment",
        )
    } == {
        "street": "Piazza del Comune 1",
        "postal_code": "60027",
        "city": "Osimo",
        "province": "AN",
        "country": "IT",
        "vat_country": "IT",
        "vat_number": "00384350427",
        "sdi_code": "UFABCD",
        "pec": "protocollo@pec.comune.osimo.example",
        "public_administration": True,
        "split_payment": True,
    }  # on by default for PA
    assert "address" not in customer
    assert (exported["contracts"][0]["cig"], exported["contracts"][0]["cup"]) == (
        "Z1A2B3C4D5",
        "J91H18000010004",
    )
    company = exported["company"]
    assert (company["vat_country"], company["vat_number"]) == ("IT", "01234560017")
    assert company["tax_regime"] == "RF01" and company["share_capital"] == "10000.00"
    assert (
        company["rea_office"],
        company["rea_number"],
        company["sole_shareholder"],
        company["liquidation"],
    ) == ("AN", "123456", "SU", "LN")
    again = cli("import", write(tmp_path, json.dumps(exported), "again.json"))
    assert "company: 0 new, 0 updated, 1 unchanged" in again.out, again
    assert "customers: 0 new, 0 updated, 1 unchanged" in again.out


def test_split_payment_is_settable_for_a_customer_that_is_no_pa(cli, tmp_path):
    customer = {
        "code": "SPA",
        "name": "Partecipata S.p.A.",
        "vat_number": "IT01234560017",
        "split_payment": True,
        "sdi_code": "M5UXCR1",
    }
    assert cli("import", write(tmp_path, {"customers": [customer]})).code == 0
    [stored] = json.loads(cli("export").out)["customers"]
    assert (stored["public_administration"], stored["split_payment"]) == (False, True)


def test_an_old_free_text_address_is_split_into_its_fields(cli, tmp_path):
    old = {"code": "OLD", "name": "Old S.r.l.", "address": "Via Roma 1, 20121 Milano (MI)"}
    odd = {"code": "ODD", "name": "Odd S.r.l.", "address": "Cascina Bianca"}
    assert cli("import", write(tmp_path, {"customers": [old, odd]})).code == 0
    result = cli("export")
    customers = {c["code"]: c for c in json.loads(result.out)["customers"]}
    assert (
        customers["OLD"]["street"],
        customers["OLD"]["postal_code"],
        customers["OLD"]["city"],
        customers["OLD"]["province"],
    ) == ("Via Roma 1", "20121", "Milano", "MI")
    assert customers["ODD"]["street"] == "Cascina Bianca"
    assert customers["ODD"]["postal_code"] is None
    assert "1 customer lacks a CAP or comune" in result.err and "ODD" in result.err
    assert "OLD" not in result.err


BAD = [
    (
        "company",
        "vat_number",
        "IT12345678901",
        "company.vat_number: 'IT12345678901' is not a valid Italian VAT number",
    ),
    ("company", "tax_code", "NOTACF", "company.tax_code: 'NOTACF' is not a valid codice fiscale"),
    (
        "company",
        "iban",
        "IT61X0542811101000000123456",
        "company.iban: 'IT61X0542811101000000123456' is not a valid IBAN",
    ),
    ("company", "tax_regime", "RF03", "company.tax_regime: unknown value 'RF03'"),
    ("company", "rea_office", "Ancona", "company.rea_office: 'ANCONA' is not a REA office"),
    ("company", "sole_shareholder", "XX", "company.sole_shareholder: unknown value 'XX'"),
    ("company", "liquidation", "LQ", "company.liquidation: unknown value 'LQ'"),
    ("company", "pec", "not-an-address", "company.pec: not an e-mail address"),
    (
        "customers",
        "tax_code",
        "NOTACF",
        "customers[0].tax_code: 'NOTACF' is not a valid codice fiscale",
    ),
    (
        "customers",
        "vat_number",
        "DE123",
        "customers[0].vat_number: 'DE123' is not a valid DE VAT number",
    ),
    ("customers", "postal_code", "6002", "customers[0].postal_code: '6002' is not a CAP"),
    ("customers", "province", "Ancona", "customers[0].province: 'ANCONA' is not a province"),
    (
        "customers",
        "country",
        "ITA",
        "customers[0].country: 'ITA' is not an ISO 3166-1 alpha-2 country code",
    ),
    (
        "customers",
        "sdi_code",
        "M5UXCR1",  # 7 characters: a PA office has 6
        "customers[0].sdi_code: 'M5UXCR1' is not an SdI recipient code of a public "
        "administration office (6 characters)",
    ),
    ("customers", "pec", "pec@", "customers[0].pec: not an e-mail address"),
    ("customers", "street", "x" * 61, "customers[0].street: must be at most 60 characters"),
    ("contracts", "cig", "123", "contracts[0].cig: '123' is not a CIG"),
    ("contracts", "cup", "J91", "contracts[0].cup: 'J91' is not a CUP"),
]


@pytest.mark.parametrize(
    ("section", "key", "value", "message"), BAD, ids=[f"{s}.{k}" for s, k, _, _ in BAD]
)
def test_a_bad_value_is_refused_naming_its_field_and_nothing_is_written(
    cli, tmp_path, section, key, value, message
):
    doc = document()
    target = doc[section] if section == "company" else doc[section][0]
    target[key] = value
    result = cli("import", write(tmp_path, doc))
    assert result.code == 2, result
    assert message in result.err
    assert len(result.err.strip().splitlines()) == 1
    assert json.loads(cli("export").out)["customers"] == []


def test_the_csv_import_checks_the_same_fields(cli, tmp_path):
    good = tmp_path / "customers.csv"
    good.write_text(
        "code;name;street;postal_code;city;province;vat_number;sdi_code;"
        "public_administration\n"
        "C1;Uno S.r.l.;Via Roma 1;20121;Milano;MI;IT01234560017;M5UXCR1;no\n"
    )
    assert cli("import-csv", "customers", str(good)).code == 0
    [stored] = json.loads(cli("export").out)["customers"]
    assert (stored["street"], stored["city"], stored["sdi_code"]) == (
        "Via Roma 1",
        "Milano",
        "M5UXCR1",
    )
    bad = tmp_path / "bad.csv"
    bad.write_text("code;name;tax_code\nC2;Due S.r.l.;NOTACF\n")
    result = cli("import-csv", "customers", str(bad))
    assert result.code == 2
    assert f"{bad} row 2, column tax_code: 'NOTACF' is not a valid codice fiscale" in result.err


def _due_ids(cli, date="2024-07-01"):
    due = cli("due", "--date", date, "--json")
    assert due.code == 0, due
    return ",".join(str(i["installment"]) for i in due.json())


def _pdf_text(path) -> str:
    reader = pypdf.PdfReader(io.BytesIO(path.read_bytes()))
    return "\n".join(page.extract_text() for page in reader.pages)


@pytest.mark.no_seller
def test_without_a_complete_seller_nothing_is_issued_but_drafts_work(cli, tmp_path):
    doc = document()
    del doc["company"]
    assert cli("import", write(tmp_path, doc)).code == 0
    ids = _due_ids(cli)
    refused = cli("invoice", "--installments", ids, "--status", "issued")
    assert refused.code == 2
    assert refused.err.startswith(
        "tui-billing: error: company.name, company.street, "
        "company.postal_code, company.city, company.province, "
        "company.vat_number: missing; needed to issue invoices"
    )
    assert cli("invoices", "--json").json() == []
    draft = cli("invoice", "--installments", ids, "--json")
    assert draft.code == 0
    draft_id = draft.json()[0]["id"]
    assert cli("pdf", str(draft_id), "-o", str(tmp_path / "draft.pdf")).code == 0
    partial = {k: v for k, v in SELLER.items() if k != "vat_number"}
    assert cli("import", write(tmp_path, {"company": partial}, "co.json")).code == 0
    from tui_billing.billing.drafts import issue_draft
    from tui_billing.domain.errors import UserError
    from tui_billing.store.database import open_database

    db = open_database(cli.target)
    try:
        with pytest.raises(UserError, match="company.vat_number: missing; needed to issue"):
            issue_draft(db, draft_id)
    finally:
        db.close()
    assert cli("import", write(tmp_path, {"company": SELLER}, "co2.json")).code == 0
    db = open_database(cli.target)
    try:
        assert issue_draft(db, draft_id) == "A/2024/0001"
    finally:
        db.close()


def test_an_issued_document_keeps_its_parties_and_a_draft_shows_todays(cli, tmp_path):
    assert cli("import", write(tmp_path, document())).code == 0
    ids = _due_ids(cli, "2024-08-01").split(",")
    issued = cli("invoice", "--installments", ids[0], "--status", "issued", "--json")
    number = issued.json()[0]["number"]
    before = tmp_path / "before.pdf"
    assert cli("pdf", number, "-o", str(before)).code == 0
    text = _pdf_text(before)
    for printed in (
        "Comune di Osimo",
        "Piazza del Comune 1",
        "60027 Osimo (AN)",
        "UFABCD",
        "Manutenzioni Adriatiche S.r.l.",
        "IT01234560017",
        "REA AN-123456",
        "art. 17-ter",
    ):
        assert printed in text, printed

    edited = document()
    edited["customers"][0].update(
        name="Comune di Ancona",
        street="Largo XXIV Maggio 1",
        postal_code="60123",
        city="Ancona",
        sdi_code="UFZZZZ",
    )
    edited["company"].update(
        name="Nuova Ragione Sociale S.r.l.", street="Via Nuova 2", vat_number="IT00743110157"
    )
    assert cli("import", write(tmp_path, edited, "edited.json")).code == 0
    after = tmp_path / "after.pdf"
    assert cli("pdf", number, "-o", str(after)).code == 0
    assert _pdf_text(after) == text

    draft = cli("invoice", "--installments", ids[1], "--json").json()[0]
    current = tmp_path / "draft.pdf"
    assert cli("pdf", str(draft["id"]), "-o", str(current)).code == 0
    draft_text = _pdf_text(current)
    for printed in (
        "Comune di Ancona",
        "Largo XXIV Maggio 1",
        "UFZZZZ",
        "Nuova Ragione Sociale S.r.l.",
        "IT00743110157",
    ):
        assert printed in draft_text, printed

    listed = {i["id"]: i for i in cli("invoices", "--json").json()}
    kept, now = listed[issued.json()[0]["id"]], listed[draft["id"]]
    assert (
        kept["buyer"]["name"],
        kept["buyer"]["sdi_code"],
        kept["buyer"]["split_payment"],
        kept["seller"]["name"],
        kept["seller"]["vat_number"],
    ) == ("Comune di Osimo", "UFABCD", True, "Manutenzioni Adriatiche S.r.l.", "01234560017")
    assert (now["buyer"]["name"], now["seller"]["name"], now["seller"]["share_capital"]) == (
        "Comune di Ancona",
        "Nuova Ragione Sociale S.r.l.",
        "10000.00",
    )


@pytest.mark.no_seller
def test_the_company_of_an_older_configuration_is_copied_in_once(cli, tmp_path, monkeypatch):
    config = tmp_path / "config.toml"
    config.write_text(
        '[company]\nname = "Manutenzioni Adriatiche S.r.l."\n'
        'address = "Via dell\'Industria 42, 60027 Osimo (AN)"\n'
        'vat_number = "IT01234560017"\niban = "IT60X0542811101000000123456"\n'
    )
    monkeypatch.setenv("TUI_BILLING_CONFIG", str(config))
    first = cli("export")
    assert first.code == 0
    assert "[company] section was copied into the database" in first.err
    company = json.loads(first.out)["company"]
    assert (
        company["name"],
        company["street"],
        company["postal_code"],
        company["city"],
        company["province"],
        company["vat_number"],
    ) == (
        "Manutenzioni Adriatiche S.r.l.",
        "Via dell'Industria 42",
        "60027",
        "Osimo",
        "AN",
        "01234560017",
    )
    second = cli("export")
    assert "copied" not in second.err
    assert json.loads(second.out)["company"] == company


@pytest.mark.no_seller
def test_a_run_without_a_seller_is_refused_but_its_dry_run_previews(cli, tmp_path):
    doc = document()
    del doc["company"]
    assert cli("import", write(tmp_path, doc)).code == 0
    preview = cli("run", "--date", "2024-08-01", "--dry-run", "--status", "issued", "--json")
    assert preview.code == 0, preview
    assert preview.json()["installments_billed"] == 2
    assert "company.name, company.street" in preview.err and "dry run" in preview.err
    refused = cli("run", "--date", "2024-08-01", "--status", "issued", "--no-email")
    assert refused.code == 2
    assert "company.vat_number: missing; needed to issue invoices" in refused.err
    assert cli("invoices", "--json").json() == []
