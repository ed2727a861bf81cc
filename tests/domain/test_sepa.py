"""SEPA identifiers, mandates and collections: what is refused (naming the field), FRST/RCUR."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from tests.support.collections_data import CREDITOR_ID, DEBTOR_IBAN, collection, mandate
from tui_billing.domain.errors import UserError
from tui_billing.domain.sepa import (
    Amendment,
    LastCollection,
    amendment,
    check_creditor_id,
    check_unique_references,
    make_creditor,
    make_mandate,
    sepa_text,
    sequence_type,
)


def test_italian_creditor_id_is_accepted_and_compacted():
    assert check_creditor_id("IT04 ZZZ 0000012345678903") == CREDITOR_ID
    assert check_creditor_id("IT22ZZZRSSMRA80A01H501U") == "IT22ZZZRSSMRA80A01H501U"


@pytest.mark.parametrize(
    "bad",
    [
        "IT05ZZZ0000012345678903",  # check digits off by one
        "IT04ZZZ000012345678903",  # national part 15 characters
        "IT04ZZZ0000012345678903X",
        "",
    ],
)
def test_bad_creditor_id_is_refused_naming_the_field(bad):
    with pytest.raises(UserError) as error:
        make_creditor("Rossi", bad, "IT60X0542811101000000123456", "BPPIITRRXXX")
    assert error.value.path == "creditor.creditor_id"


def test_business_code_does_not_enter_the_check_digits():
    assert check_creditor_id("IT04ABC0000012345678903") == "IT04ABC0000012345678903"


def test_bad_iban_and_bic_are_refused_naming_the_field():
    with pytest.raises(UserError) as error:
        mandate(iban="IT61X0542811101000000123456")
    assert error.value.path == "mandate.debtor_iban"
    with pytest.raises(UserError) as error:
        mandate(bic="BPPI1TRR")
    assert error.value.path == "mandate.debtor_bic"
    with pytest.raises(UserError) as error:
        make_creditor("Rossi", CREDITOR_ID, "IT60X0542811101000000123457", "BPPIITRRXXX")
    assert error.value.path == "creditor.iban"


@pytest.mark.parametrize("reference", ["", "A" * 36, "M 1", "/M1", "M1/", "M//1", "MÀ1"])
def test_bad_mandate_reference_is_refused(reference):
    with pytest.raises(UserError) as error:
        mandate(reference=reference)
    assert error.value.path == "mandate.reference"


def test_mandate_reference_of_35_sepa_characters_is_accepted():
    assert mandate(reference="A" * 30 + "-?:(+").reference == "A" * 30 + "-?:(+"


def test_mandate_fields_are_checked():
    with pytest.raises(UserError, match="CORE or B2B") as error:
        make_mandate("M1", date(2026, 1, 1), "COR1", "Bianchi")
    assert error.value.path == "mandate.scheme"
    with pytest.raises(UserError) as error:
        make_mandate("M1", None, "B2B", "Bianchi")
    assert error.value.path == "mandate.signed_on"
    with pytest.raises(UserError) as error:
        make_mandate("M1", date(2026, 1, 1), "B2B", " ")
    assert error.value.path == "mandate.debtor_name"


def test_mandate_without_iban_may_exist_but_not_be_collected():
    bare = mandate(iban=None)
    assert bare.debtor_iban is None
    with pytest.raises(UserError) as error:
        collection(the_mandate=bare)
    assert error.value.path == "collection.mandate.debtor_iban"


@pytest.mark.parametrize("amount", ["0", "-1.00", "1.001", "1000000000.00"])
def test_bad_amounts_are_refused(amount):
    with pytest.raises(UserError) as error:
        collection(amount=amount)
    assert error.value.path == "collection.amount"


def test_repeated_reference_is_refused():
    with pytest.raises(UserError) as error:
        check_unique_references([mandate("M1"), mandate("M2"), mandate("M1")])
    assert error.value.path == "mandates[2].reference"
    check_unique_references([mandate("M1"), mandate("M2")])


def test_sequence_type_first_then_recurring():
    current = mandate("M1")
    assert sequence_type(current, None) == "FRST"
    assert sequence_type(current, LastCollection("M1", DEBTOR_IBAN)) == "RCUR"


def test_changed_iban_or_mandate_starts_again_as_first():
    amended = mandate("M1", iban="IT60X0542811101000000123456")
    assert sequence_type(amended, LastCollection("M1", DEBTOR_IBAN)) == "FRST"
    assert sequence_type(mandate("M1-BIS"), LastCollection("M1", DEBTOR_IBAN)) == "FRST"


def test_sepa_text_drops_accents_and_foreign_characters():
    assert sepa_text("Caffè & Tè  «Rossi»", 140) == "Caffe Te Rossi"
    assert sepa_text("x" * 200, 140) == "x" * 140


def test_collection_keeps_the_exact_amount():
    assert collection(amount="10.5").amount == Decimal("10.5")


def test_amendment_tells_what_changed_since_the_last_collection():
    assert amendment(mandate("M1"), None) is None
    assert amendment(mandate("M1"), LastCollection("M1", DEBTOR_IBAN)) is None
    assert amendment(mandate("M2"), LastCollection("M1", DEBTOR_IBAN)) == Amendment(
        original_reference="M1"
    )
    moved = mandate("M1", iban="IT60X0542811101000000123456")
    assert amendment(moved, LastCollection("M1", DEBTOR_IBAN)) == Amendment(new_debtor_account=True)
