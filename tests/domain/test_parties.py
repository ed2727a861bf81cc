"""Identifiers and party fields as the FatturaPA schema and python-stdnum check them."""

from __future__ import annotations

import pytest

from tui_billing.domain.errors import UserError
from tui_billing.domain.identifiers import (
    check_country,
    check_iban,
    check_tax_code,
    check_vat_number,
)
from tui_billing.domain.parsing import Reader
from tui_billing.domain.parties import (
    address_lines,
    missing_for_issue,
    read_company,
    split_legacy_address,
)


@pytest.mark.parametrize(
    ("value", "country", "expected"),
    [
        ("IT01234560017", None, ("IT", "01234560017")),
        ("01234560017", None, ("IT", "01234560017")),
        ("it 012.345.600.17", None, ("IT", "01234560017")),
        ("DE136695976", None, ("DE", "136695976")),
        ("136695976", "DE", ("DE", "136695976")),
        ("EL094259216", None, ("GR", "094259216")),
        ("98-7654321", "US", ("US", "987654321")),
    ],
)
def test_vat_numbers_are_split_from_their_country_and_checked(value, country, expected):
    assert check_vat_number(value, country, "vat_number") == expected


@pytest.mark.parametrize(
    ("value", "country"),
    [
        ("IT12345678901", None),  # bad check digit
        ("IT0123456001", None),  # 10 digits
        ("DE136695977", None),
        ("FR01234560017", "DE"),  # prefix and country disagree
    ],
)
def test_bad_vat_numbers_are_refused_naming_the_field(value, country):
    with pytest.raises(UserError) as caught:
        check_vat_number(value, country, "company.vat_number")
    assert caught.value.path == "company.vat_number"


def test_codice_fiscale_person_and_company_forms():
    assert check_tax_code("rss mra 85t10 a562s") == "RSSMRA85T10A562S"
    assert check_tax_code("01234560017") == "01234560017"
    for bad in ("NOTACF", "RSSMRA85T10A562T", "12345678901"):
        with pytest.raises(UserError, match="not a valid codice fiscale"):
            check_tax_code(bad, "tax_code")


def test_iban_and_country():
    assert check_iban("it60 x054 2811 1010 0000 0123 456") == "IT60X0542811101000000123456"
    with pytest.raises(UserError, match="not a valid IBAN"):
        check_iban("IT61X0542811101000000123456")
    assert check_country("fr") == "FR"
    with pytest.raises(UserError, match="ISO 3166"):
        check_country("XX")


def test_legacy_addresses_split_where_they_can():
    assert split_legacy_address("Via Roma 1, 20121 Milano (MI)") == {
        "street": "Via Roma 1",
        "postal_code": "20121",
        "city": "Milano",
        "province": "MI",
    }
    assert split_legacy_address("Via Po 3\n10123 Torino TO")["province"] == "TO"
    assert split_legacy_address("somewhere")["street"] == "somewhere"
    assert split_legacy_address(None)["street"] is None


def test_a_seller_is_complete_with_name_address_vat_and_regime():
    assert missing_for_issue(None) == [
        "name",
        "street",
        "postal_code",
        "city",
        "province",
        "vat_number",
    ]
    seller = read_company(
        Reader(
            {
                "name": "X S.r.l.",
                "street": "Via Roma 1",
                "postal_code": "20121",
                "city": "Milano",
                "province": "MI",
                "vat_number": "IT01234560017",
            },
            "company",
        )
    )
    assert missing_for_issue(seller) == []
    assert seller["tax_regime"] == "RF01" and seller["liquidation"] == "LN"
    assert address_lines(seller) == ["Via Roma 1", "20121 Milano (MI)"]
    with pytest.raises(UserError, match="company.rea_number"):
        read_company(Reader({"rea_office": "MI"}, "company"))
