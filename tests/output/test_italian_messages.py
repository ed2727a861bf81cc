"""The output layer's refusals in Italian: the same record, the same field, the same values,
an Italian sentence. The record paths (``customers[0].colour``), the interchange field names
and the values quoted stay as they are; what a library writes (lxml, the XSD) stays its own."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from tests.support.fatturapa_documents import TODAY, b2b_two_rates
from tui_billing.domain.errors import UserError
from tui_billing.domain.fatturapa_checks import InvalidEInvoice
from tui_billing.domain.i18n import language
from tui_billing.output.csv_import import customers_document, import_csv
from tui_billing.output.fatturapa_xml import fatturapa_xml, sdi_file_name
from tui_billing.output.interchange_read import loads, read_document
from tui_billing.output.mail import MailAddressError, SmtpSettings, parse_address
from tui_billing.output.payments_file import read_payments
from tui_billing.output.safe_files import write_file
from tui_billing.output.sdd_xml import write_sdd


def refusal(read: Any, *args: Any, **kwargs: Any) -> UserError:
    with pytest.raises(UserError) as caught:
        read(*args, **kwargs)
    return caught.value


def in_english(read: Any, *args: Any, **kwargs: Any) -> UserError:
    with language("en"):
        return refusal(read, *args, **kwargs)


def test_interchange_refusals_in_italian_name_the_same_record_and_field(italian) -> None:
    unknown_section = refusal(read_document, {"colours": []}, set(), {})
    assert unknown_section.path == "colours"
    assert unknown_section.message.startswith("sezione sconosciuta 'colours' (sezioni: company,")

    duplicate = refusal(
        read_document,
        {"customers": [{"code": "C1", "name": "Rossi"}, {"code": "C1", "name": "Bianchi"}]},
        set(),
        {},
    )
    assert str(duplicate) == "customers[1].code: codice duplicato 'C1' (anche in customers[0])"

    out_of_range = refusal(
        read_document,
        {"articles": [{"code": "A1", "name": "Canone", "price": "10", "vat_rate": 150}]},
        set(),
        {},
    )
    assert str(out_of_range) == ("articles[0].vat_rate: deve essere una percentuale tra 0 e 100")

    contract = {"code": "K1", "customer": "C9", "lines": []}
    unknown_customer = refusal(read_document, {"contracts": [contract]}, set(), {})
    assert str(unknown_customer) == "contracts[0].customer: cliente sconosciuto 'C9'"

    not_json = refusal(loads, '{"customers": [}', "dati.json")
    assert not_json.path == "dati.json"
    assert not_json.message.startswith("JSON non valido: ")
    assert not_json.message.endswith("(riga 1, colonna 16)")  # json's own reason in between


def test_unknown_field_and_wrong_type_keep_record_field_and_values(italian) -> None:
    """The Reader that says "unknown field" and "not a decimal number" is the domain's: the
    record, the field and the value named stay the same; the sentence is Italian once the
    domain's messages are in the catalogue."""
    cases = [
        ({"customers": [{"code": "C1", "name": "Rossi", "colour": "red"}]}, "customers[0].colour"),
        (
            {"articles": [{"code": "A1", "name": "x", "price": "abc", "vat_rate": 22}]},
            "articles[0].price",
        ),
    ]
    untranslated = []
    for data, path in cases:
        italian_error = refusal(read_document, data, set(), {})
        english_error = in_english(read_document, data, set(), {})
        assert italian_error.path == english_error.path == path
        assert ("'country'" in italian_error.message) == ("'country'" in english_error.message)
        if italian_error.message == english_error.message:
            untranslated.append(english_error.message)
    if untranslated:
        pytest.xfail(f"the domain's reader messages are not translated yet: {untranslated}")


def test_a_bad_csv_is_refused_in_italian_naming_row_and_column(italian, sqlite_target) -> None:
    twice = refusal(customers_document, "code,name,code\nC1,Rossi,C2\n", "clienti.csv")
    assert str(twice) == "clienti.csv row 1: colonna 'code' nominata due volte"

    without_code = refusal(customers_document, "name;city\nRossi;Osimo\n", "clienti.csv")
    assert str(without_code) == (
        "clienti.csv: la prima riga deve nominare le colonne, tra cui 'code'"
    )

    extra = refusal(customers_document, "code,name\nC1,Rossi,Osimo\n", "clienti.csv")
    assert str(extra) == ("clienti.csv row 2: più valori delle colonne nominate nella prima riga")

    from tui_billing.store.database import open_database

    db = open_database(sqlite_target)
    try:
        text = "code,customer,description,line_description,line_unit_price\n"
        text += "K1,C9,Assistenza,Canone,10\n"
        unknown = refusal(import_csv, db, "contracts", text, "contratti.csv")
        summary = import_csv(db, "customers", "code,name\nC1,Rossi S.r.l.\n", "clienti.csv")
    finally:
        db.close()
    assert str(unknown) == "contratti.csv row 2, column customer: cliente sconosciuto 'C9'"
    assert summary.line() == "customers: nuovi 1, aggiornati 0, invariati 0"

    payments = refusal(read_payments, '[{"invoice": "A/1", "colour": 1}]', "incassi.json")
    assert payments.path == "payments[0].colour"
    assert payments.message.startswith("campo sconosciuto (campi: invoice, date, amount")


def test_e_invoice_refusals_in_italian_keep_what_the_schema_says(italian) -> None:
    doc = dataclasses.replace(
        b2b_two_rates(),
        transmission=dataclasses.replace(b2b_two_rates().transmission, progressive="ABC-1"),
    )
    with pytest.raises(InvalidEInvoice) as caught:
        sdi_file_name(doc)
    assert str(caught.value) == (
        "A/2026/0012: 00002 ProgressivoInvio: 'ABC-1' non è di 1-5 lettere o cifre"
    )

    invalid = dataclasses.replace(b2b_two_rates(), total=Decimal("316.975"))
    with pytest.raises(InvalidEInvoice) as italian_error:
        fatturapa_xml(invalid, TODAY)
    with language("en"), pytest.raises(InvalidEInvoice) as english_error:
        fatturapa_xml(invalid, TODAY)
    # the schema's own words, as lxml writes them, in both languages
    assert str(italian_error.value).startswith("A/2026/0012: XSD ")
    assert "ImportoTotaleDocumento" in str(italian_error.value)
    assert italian_error.value.violations == english_error.value.violations


def test_files_and_mail_refusals_in_italian(italian, tmp_path: Path) -> None:
    missing_folder = refusal(write_file, tmp_path / "nessuna" / "fattura.pdf", b"%PDF-")
    assert missing_folder.message == (
        f"cartella inesistente ({tmp_path / 'nessuna'}): nulla scritto"
    )
    folder = refusal(write_file, tmp_path, b"data")
    assert folder.message == "è una cartella, non un file normale: nulla scritto"

    nothing = refusal(
        write_sdd,
        None,
        [],
        message_id="M1",
        created_at=datetime(2026, 12, 7, 9, 0),
        presented_on=date(2026, 12, 7),
    )
    assert str(nothing) == "collections: niente da incassare"

    with pytest.raises(MailAddressError) as caught:
        parse_address("amministrazione.example.it", "sender")
    assert str(caught.value) == (
        "indirizzo del mittente non valido 'amministrazione.example.it': manca '@'"
    )
    with pytest.raises(MailAddressError) as caught:
        parse_address("", "recipient")
    assert str(caught.value) == "manca l'indirizzo del destinatario"

    port = refusal(SmtpSettings, host="smtp.example.it", port=70000)
    assert str(port) == "smtp.port: porta SMTP non valida 70000"
