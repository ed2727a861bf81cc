"""Customers created and edited from a form or the command line: checked field by field as
the import checks them, refused naming the field with nothing written; archived customers
take no new contracts or orders; a customer in use is never deleted."""

from __future__ import annotations

import pytest

from tests.billing.contract_data import contract_id, load
from tui_billing.billing.contract_editing import create_contract, update_contract
from tui_billing.billing.customer_editing import (
    create_customer,
    customer_record,
    delete_customer,
    set_archived,
    update_customer,
)
from tui_billing.billing.customer_views import list_customers
from tui_billing.billing.lookups import customer_codes
from tui_billing.domain.errors import UserError
from tui_billing.output.interchange_export import export_document
from tui_billing.output.interchange_write import import_data
from tui_billing.store.models import Contract, Customer, Order

VERDI = {
    "code": "VERDI",
    "name": "Verdi Arredamenti S.r.l.",
    "street": "Via Garibaldi 3",
    "postal_code": "20121",
    "city": "Milano",
    "province": "mi",
    "vat_number": "IT00743110157",
    "sdi_code": "m5uxcr1",
    "email": "fatture@verdi.example",
    "payment_method": "bank_transfer",
    "payment_terms_days": "60",
    "iban": "IT60 X054 2811 1010 0000 0123 456",
    "collective_billing": True,
    "language": "it",
}


def _rows() -> list[dict]:
    return [dict(c.__data__) for c in Customer.select().order_by(Customer.id)]


def test_a_customer_is_created_as_the_import_would_store_it(db):
    load(db)
    create_customer(db, VERDI)
    c = Customer.get(Customer.code == "VERDI")
    assert (c.vat_country, c.vat_number, c.province, c.sdi_code, c.country) == (
        "IT",
        "00743110157",
        "MI",
        "M5UXCR1",
        "IT",
    )
    assert (c.payment_terms_days, c.iban, c.collective_billing, c.archived) == (
        60,
        "IT60X0542811101000000123456",
        True,
        False,
    )
    assert c.withholding_agent is True  # a business with a VAT number, as the import says


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("vat_number", "IT12345678901", "not a valid Italian VAT number"),
        ("tax_code", "NOTACF", "not a valid codice fiscale"),
        ("postal_code", "2012", "is not a CAP"),
        ("country", "XX", "country"),
        ("email", "fatture-at-verdi", "not an e-mail address"),
        ("pec", "pec@", "not an e-mail address"),
        ("sdi_code", "ABC", "SdI recipient code"),
        ("payment_method", "cheque", "unknown value"),
        ("payment_terms_days", "-1", "must be at least 0"),
        ("iban", "IT60X0542811101000000123457", "IBAN"),
        ("language", "fr", "unknown value"),
        ("public_administration", "maybe", "must be true or false"),
        ("name", "", "is required"),
    ],
)
def test_a_bad_value_is_refused_naming_its_field_and_nothing_changes(db, field, value, message):
    load(db)
    before = _rows()
    with pytest.raises(UserError) as refused:
        create_customer(db, {**VERDI, field: value})
    assert refused.value.path == f"customer.{field}"
    assert message in refused.value.message
    with pytest.raises(UserError) as refused:
        update_customer(db, "ROSSI", {field: value})
    assert refused.value.path == f"customer.{field}"
    assert _rows() == before


def test_unknown_fields_duplicates_and_code_changes_are_refused(db):
    load(db)
    with pytest.raises(UserError, match="unknown field") as refused:
        create_customer(db, {**VERDI, "codice_destinatario": "M5UXCR1"})
    assert refused.value.path == "customer.codice_destinatario"
    with pytest.raises(UserError, match="exists already"):
        create_customer(db, {**VERDI, "code": "ROSSI"})
    with pytest.raises(UserError, match="cannot be changed") as refused:
        update_customer(db, "ROSSI", {"code": "ROSSI2"})
    assert refused.value.path == "customer.code"
    assert Customer.select().count() == 2


def test_an_edit_changes_the_fields_given_and_keeps_the_rest(db):
    load(db)
    create_customer(db, VERDI)
    assert update_customer(db, "VERDI", {"city": "Monza", "province": "MB", "sdi_code": ""})
    c = Customer.get(Customer.code == "VERDI")
    assert (c.city, c.province, c.sdi_code, c.payment_terms_days) == ("Monza", "MB", None, 60)
    assert customer_record("VERDI")["vat_number"] == "IT00743110157"
    assert not update_customer(db, "VERDI", {"city": "Monza"})  # nothing changed


def test_an_archived_customer_is_hidden_and_takes_no_new_contract_or_order(db):
    load(db)
    assert set_archived(db, "BIANCHI", True)
    assert [r.code for r in list_customers()] == ["ROSSI"]
    assert [r.code for r in list_customers(archived=True)] == ["BIANCHI", "ROSSI"]
    contracts = Contract.select().count()
    with pytest.raises(UserError, match="customer 'BIANCHI' is archived") as refused:
        create_contract(db, {"code": "K-NEW", "customer": "BIANCHI"})
    assert refused.value.path == "contract.customer"
    with pytest.raises(UserError, match="is archived"):
        update_contract(db, contract_id("K-001"), {"customer": "BIANCHI"})
    with pytest.raises(UserError, match="is archived") as refused:
        import_data(
            db,
            {
                "orders": [
                    {
                        "code": "O-NEW",
                        "customer": "BIANCHI",
                        "date": "2024-11-01",
                        "lines": [
                            {"description": "Caldaia", "unit_price": "900", "vat_rate": "22"}
                        ],
                    }
                ]
            },
        )
    assert refused.value.path == "orders[0].customer"
    assert (Contract.select().count(), Order.select().count()) == (contracts, 0)
    # what the archived customer already has is imported again unchanged
    assert import_data(db, export_document())
    assert not set_archived(db, "BIANCHI", True)
    assert set_archived(db, "BIANCHI", False)
    create_contract(db, {"code": "K-NEW", "customer": "BIANCHI"})


def test_archived_travels_through_export_and_import(db):
    load(db)
    set_archived(db, "ROSSI", True)
    exported = export_document()
    assert {c["code"]: c["archived"] for c in exported["customers"]} == {
        "BIANCHI": False,
        "ROSSI": True,
    }
    set_archived(db, "ROSSI", False)
    import_data(db, exported)
    assert Customer.get(Customer.code == "ROSSI").archived is True
    import_data(db, {"customers": [{"code": "NEW", "name": "Nuovo"}]})
    assert Customer.get(Customer.code == "NEW").archived is False  # optional, false


def test_a_customer_in_use_is_not_deleted_an_unused_one_is(db):
    load(db)
    with pytest.raises(UserError, match=r"customer 'ROSSI' is in use \(\d+ contracts?\)"):
        delete_customer(db, "ROSSI")
    assert Customer.get_or_none(Customer.code == "ROSSI") is not None
    create_customer(db, VERDI)
    delete_customer(db, "VERDI")
    assert Customer.get_or_none(Customer.code == "VERDI") is None
    with pytest.raises(UserError, match="no customer with code 'VERDI'"):
        delete_customer(db, "VERDI")


def test_the_search_takes_code_or_name_in_any_case(db):
    load(db)
    assert [r.code for r in list_customers("bianc")] == ["BIANCHI"]
    assert [r.code for r in list_customers("IMPIANTI")] == ["ROSSI"]
    assert [r.code for r in list_customers("r")] == ["BIANCHI", "ROSSI"]
    assert list_customers("zzz") == []


def test_a_customers_mandates_are_listed_for_its_form(db):
    import datetime as dt

    from tui_billing.billing.customer_views import customer_mandates

    load(db)
    import_data(
        db,
        {
            "mandates": [
                {
                    "reference": "MND-ROSSI-2",
                    "customer": "ROSSI",
                    "contract": "K-001",
                    "signed_on": "2024-03-01",
                    "iban": "IT60X0542811101000000123456",
                },
                {
                    "reference": "MND-ROSSI-1",
                    "customer": "ROSSI",
                    "signed_on": "2024-01-10",
                    "iban": "IT60X0542811101000000123456",
                },
            ]
        },
        today=dt.date(2024, 11, 15),
    )
    rows = customer_mandates("ROSSI")
    assert [(m.reference, m.contract, m.signed_on) for m in rows] == [
        ("MND-ROSSI-1", None, dt.date(2024, 1, 10)),
        ("MND-ROSSI-2", "K-001", dt.date(2024, 3, 1)),
    ]
    assert customer_mandates("BIANCHI") == []
    with pytest.raises(UserError, match=r"in use \(.*2 mandates"):
        delete_customer(db, "ROSSI")


def test_a_form_suggests_no_archived_customer_but_the_one_a_contract_has(db):
    load(db)
    assert customer_codes() == ["BIANCHI", "ROSSI"]
    set_archived(db, "BIANCHI", True)
    assert customer_codes() == ["ROSSI"]
    # the settings of K-002, whose customer is BIANCHI, still suggest BIANCHI
    assert customer_codes(keep="BIANCHI") == ["BIANCHI", "ROSSI"]
    assert customer_codes(keep="ROSSI") == ["ROSSI"]
    set_archived(db, "BIANCHI", False)
    assert customer_codes() == ["BIANCHI", "ROSSI"]
