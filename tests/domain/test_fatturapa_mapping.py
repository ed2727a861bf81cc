"""The pure rules that turn stored values into FatturaPA blocks."""

from __future__ import annotations

from decimal import Decimal

from tui_billing.domain import fatturapa_mapping as mapping


def test_long_notes_become_causale_pieces_of_at_most_200_characters():
    note = " ".join(f"parola{n:03d}" for n in range(60))  # 599 characters
    pieces = mapping.reasons([note, "  ", "Breve"])
    assert all(len(p) <= 200 for p in pieces)
    assert " ".join(pieces[:-1]) == note  # cut at spaces, nothing lost
    assert pieces[-1] == "Breve"
    unbroken = "x" * 450
    assert mapping.reasons([unbroken]) == ("x" * 200, "x" * 200, "x" * 50)


def test_recipient_code_by_kind_of_buyer():
    seller = {"tax_code": "01234560017", "vat_number": "01234560017", "vat_country": "IT"}
    pa = mapping.transmission(
        seller, {"public_administration": True, "sdi_code": "UFX7Q2", "country": "IT"}, "1"
    )
    assert (pa.format, pa.recipient_code, pa.recipient_pec) == ("FPA12", "UFX7Q2", None)
    own = mapping.transmission(
        seller, {"sdi_code": "ABC1234", "pec": "a@pec.it", "country": "IT"}, "1"
    )
    assert (own.format, own.recipient_code, own.recipient_pec) == ("FPR12", "ABC1234", None)
    pec = mapping.transmission(seller, {"pec": "a@pec.it", "country": "IT"}, "1")
    assert (pec.recipient_code, pec.recipient_pec) == ("0000000", "a@pec.it")
    abroad = mapping.transmission(seller, {"country": "FR", "pec": "a@pec.fr"}, "1")
    assert (abroad.recipient_code, abroad.recipient_pec) == ("XXXXXXX", None)
    identified_in_italy = mapping.transmission(
        seller, {"country": "FR", "vat_country": "IT", "vat_number": "01114601006"}, "1"
    )
    assert identified_in_italy.recipient_code == "0000000"
    # IdPaese DE: XXXXXXX, whatever the address (SdI check 00313)
    german = mapping.transmission(
        seller, {"country": "IT", "vat_country": "DE", "vat_number": "136695976"}, "1"
    )
    assert german.recipient_code == "XXXXXXX"
    assert pa.sender_id.code == "01234560017"


def test_buyer_abroad_without_vat_number_and_italian_consumer():
    abroad = mapping.buyer(
        {
            "name": "Jean Dupont",
            "country": "FR",
            "postal_code": "75001",
            "tax_code": "XYZ",
            "street": "Rue 1",
            "city": "Paris",
            "province": "PA",
        }
    )
    assert (abroad.vat_id.country, abroad.vat_id.code) == ("FR", "99999999999")
    assert abroad.tax_code is None
    assert (abroad.address.postcode, abroad.address.province) == ("00000", None)
    person = mapping.buyer(
        {
            "name": "Mario Rossi",
            "country": "IT",
            "postal_code": "60121",
            "tax_code": "RSSMRA85T10A562S",
            "street": "Via 1",
            "city": "Ancona",
            "province": "AN",
        }
    )
    assert person.vat_id is None and person.tax_code == "RSSMRA85T10A562S"


def test_credit_note_line_positive_and_negative_quantity_moved_to_the_price():
    line = mapping.line(
        1,
        "Canone",
        Decimal(2),
        None,
        Decimal("-10.50"),
        Decimal("-21.00"),
        Decimal(22),
        None,
        (None, None),
        None,
        sign=-1,
    )
    assert (line.quantity, line.unit_price, line.total) == (2, Decimal("10.50"), Decimal("21.00"))
    discount = mapping.line(
        2,
        "Reso",
        Decimal(-1),
        None,
        Decimal("5.00"),
        Decimal("-5.00"),
        Decimal(22),
        None,
        (None, None),
        None,
    )
    assert (discount.quantity, discount.unit_price, discount.total) == (
        1,
        Decimal("-5.00"),
        Decimal("-5.00"),
    )


def test_payment_methods_and_their_iban():
    transfer = mapping.payment("bank_transfer", Decimal("10.00"), None, "IT60SELLER", "ITBUYER")
    assert (transfer.terms, transfer.details[0].method, transfer.details[0].iban) == (
        "TP02",
        "MP05",
        "IT60SELLER",
    )
    assert mapping.payment("sepa_direct_debit", Decimal(1), None, "S", "B").details[0].iban == "B"
    assert mapping.payment("riba", Decimal(1), None, "S", "B").details[0].method == "MP12"
    assert mapping.payment(None, Decimal(1), None, "S", "B") is None
