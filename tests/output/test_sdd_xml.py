"""The pain.008.001.02 writer: valid against the XSD, grouped by sequence type and date,
with exact counts and control sums; bad input refused naming the field, nothing returned."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from tests.support.collections_data import (
    PRESENTED_ON,
    collection,
    creditor,
    mandate,
)
from tui_billing.domain.errors import UserError
from tui_billing.domain.sepa import Amendment, Mandate, make_collection
from tui_billing.output.sdd_xml import new_message_id, sdd_schema, write_sdd

NS = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.008.001.02"}
CREATED = datetime(2026, 12, 7, 9, 30)


def write(collections, message_id="MSG-1"):
    return write_sdd(
        creditor(),
        collections,
        message_id=message_id,
        created_at=CREATED,
        presented_on=PRESENTED_ON,
    )


def blocks(xml: bytes):
    root = etree.fromstring(xml)
    out = []
    for block in root.iterfind(".//p:PmtInf", NS):
        out.append(
            (
                block.findtext("p:PmtTpInf/p:SeqTp", namespaces=NS),
                block.findtext("p:ReqdColltnDt", namespaces=NS),
                block.findtext("p:NbOfTxs", namespaces=NS),
                block.findtext("p:CtrlSum", namespaces=NS),
                [e.text for e in block.iterfind(".//p:EndToEndId", NS)],
            )
        )
    return root, out


@pytest.mark.parametrize("scheme", ["CORE", "B2B"])
def test_file_is_valid_against_the_xsd(scheme):
    xml = write([collection(the_mandate=mandate(scheme=scheme, bic="BCITITMM"))])
    root = etree.fromstring(xml)
    assert sdd_schema().validate(root)
    assert root.findtext(".//p:LclInstrm/p:Cd", namespaces=NS) == scheme
    assert root.findtext(".//p:GrpHdr/p:MsgId", namespaces=NS) == "MSG-1"
    assert root.findtext(".//p:GrpHdr/p:CreDtTm", namespaces=NS) == "2026-12-07T09:30:00"
    assert root.findtext(".//p:DbtrAgt//p:BIC", namespaces=NS) == "BCITITMM"
    assert (
        root.findtext(".//p:CdtrSchmeId//p:Othr/p:Id", namespaces=NS) == "IT04ZZZ0000012345678903"
    )


def test_grouped_by_sequence_type_and_date_with_control_sums():
    later = date(2026, 12, 15)
    xml = write(
        [
            collection("A/1", "100.10", the_mandate=mandate("M1"), sequence="FRST"),
            collection("A/2", "0.01", the_mandate=mandate("M2"), sequence="RCUR"),
            collection("A/3", "99999.99", the_mandate=mandate("M3"), sequence="RCUR"),
            collection("A/4", "50.00", due=later, the_mandate=mandate("M4"), sequence="RCUR"),
            collection("A/5", "12.34", due=later, the_mandate=mandate("M5"), sequence="FRST"),
        ]
    )
    root, found = blocks(xml)
    assert found == [
        ("FRST", "2026-12-09", "1", "100.10", ["A/1"]),
        ("FRST", "2026-12-15", "1", "12.34", ["A/5"]),
        ("RCUR", "2026-12-09", "2", "100000.00", ["A/2", "A/3"]),
        ("RCUR", "2026-12-15", "1", "50.00", ["A/4"]),
    ]
    assert root.findtext(".//p:GrpHdr/p:NbOfTxs", namespaces=NS) == "5"
    assert root.findtext(".//p:GrpHdr/p:CtrlSum", namespaces=NS) == "100162.44"
    amounts = [Decimal(a.text) for a in root.iterfind(".//p:InstdAmt", NS)]
    assert sorted(amounts) == sorted(
        Decimal(x) for x in ["100.10", "0.01", "99999.99", "50.00", "12.34"]
    )
    ids = [e.text for e in root.iterfind(".//p:PmtInfId", NS)]
    assert len(set(ids)) == 4 and all(i.startswith("MSG-1-") for i in ids)


def test_mandate_and_text_go_into_the_transaction():
    root = etree.fromstring(write([collection("A/2026/0012")]))
    tx = root.find(".//p:DrctDbtTxInf", NS)
    assert tx.findtext(".//p:MndtId", namespaces=NS) == "M-2026-001"
    assert tx.findtext(".//p:DtOfSgntr", namespaces=NS) == "2026-01-10"
    assert tx.findtext("p:Dbtr/p:Nm", namespaces=NS) == "Bianchi Caffe S.n.c."
    assert tx.findtext("p:RmtInf/p:Ustrd", namespaces=NS) == "Fattura A/2026/0012"
    assert tx.findtext(".//p:DbtrAgt//p:Id", namespaces=NS) == "NOTPROVIDED"


def test_message_ids_are_unique():
    ids = {new_message_id(CREATED) for _ in range(1000)}
    assert len(ids) == 1000
    assert all(len(i) <= 35 for i in ids)


def test_too_early_collection_is_refused_naming_the_collection():
    with pytest.raises(UserError, match="too early") as error:
        write(
            [
                collection("A/1", the_mandate=mandate("M1")),
                collection("A/2", due=PRESENTED_ON, the_mandate=mandate("M2")),
            ]
        )
    assert error.value.path == "collections[1].due_date"


def test_two_schemes_in_one_file_are_refused():
    with pytest.raises(UserError, match="one scheme") as error:
        write(
            [
                collection("A/1", the_mandate=mandate("M1")),
                collection("A/2", the_mandate=mandate("M2", scheme="B2B")),
            ]
        )
    assert error.value.path == "collections[1].mandate.scheme"


def test_first_debit_with_another_of_its_mandate_is_refused():
    with pytest.raises(UserError) as error:
        write([collection("A/1", sequence="FRST"), collection("A/2", sequence="RCUR")])
    assert error.value.path == "collections[0].sequence_type"


def test_bad_message_id_and_empty_file_are_refused():
    with pytest.raises(UserError) as error:
        write([collection()], message_id="MSG 1")
    assert error.value.path == "message_id"
    with pytest.raises(UserError) as error:
        write([])
    assert error.value.path == "collections"


def test_invalid_document_returns_nothing():
    # A value built around the checking constructors (an IBAN off its pattern): the XSD
    # check refuses the file and no bytes come back.
    unchecked = dataclasses.replace(mandate(), debtor_iban="NOT AN IBAN")
    with pytest.raises(UserError, match="not valid against pain.008.001.02"):
        write([dataclasses.replace(collection(), mandate=unchecked)])


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99999.99"), places=2),
            st.sampled_from(["FRST", "RCUR"]),
            st.sampled_from([date(2026, 12, 8), date(2026, 12, 9)]),
        ),
        min_size=1,
        max_size=30,
    )
)
def test_control_sums_match_the_amounts(items):
    collections = [
        collection(f"A/{i}", str(amount), due=due, the_mandate=mandate(f"M{i}"), sequence=sequence)
        for i, (amount, sequence, due) in enumerate(items)
    ]
    root = etree.fromstring(write(collections))
    assert sdd_schema().validate(root)
    assert Decimal(root.findtext(".//p:GrpHdr/p:CtrlSum", namespaces=NS)) == sum(
        amount for amount, _, _ in items
    )
    for block in root.iterfind(".//p:PmtInf", NS):
        amounts = [Decimal(a.text) for a in block.iterfind(".//p:InstdAmt", NS)]
        assert Decimal(block.findtext("p:CtrlSum", namespaces=NS)) == sum(amounts)
        assert int(block.findtext("p:NbOfTxs", namespaces=NS)) == len(amounts)
    expected = {(s, d.isoformat()) for _, s, d in items}
    found = [
        (
            b.findtext("p:PmtTpInf/p:SeqTp", namespaces=NS),
            b.findtext("p:ReqdColltnDt", namespaces=NS),
        )
        for b in root.iterfind(".//p:PmtInf", NS)
    ]
    assert sorted(found) == found and set(found) == expected and len(found) == len(expected)


def test_amendment_goes_with_the_next_collection():
    changed = dataclasses.replace(
        collection("A/1", the_mandate=mandate("M2")),
        amendment=Amendment(original_reference="M1", new_debtor_account=True),
    )
    plain = collection("A/2", the_mandate=mandate("M3"))
    root = etree.fromstring(write([changed, plain]))
    assert sdd_schema().validate(root)
    first, second = root.iterfind(".//p:MndtRltdInf", NS)
    assert first.findtext("p:AmdmntInd", namespaces=NS) == "true"
    assert first.findtext("p:AmdmntInfDtls/p:OrgnlMndtId", namespaces=NS) == "M1"
    assert (
        first.findtext("p:AmdmntInfDtls/p:OrgnlDbtrAcct/p:Id/p:Othr/p:Id", namespaces=NS) == "SMNDA"
    )
    assert second.find("p:AmdmntInd", NS) is None


def test_same_collections_and_message_id_give_the_same_bytes():
    # what lets a file be written again from what was stored at presentation
    items = [
        collection("A/1", the_mandate=mandate("M1")),
        collection("A/2", "7.00", the_mandate=mandate("M2"), sequence="RCUR"),
        collection("A/3", "8.00", the_mandate=mandate("M3"), sequence="RCUR"),
    ]
    assert write(items) == write(list(reversed(items)))


GOLDEN = Path(__file__).parent / "data" / "sdd_golden.xml"


def test_every_element_gives_the_bytes_of_the_golden_file():
    # the golden file was written by the element-by-element lxml writer: the text writer
    # must give a bank the very same bytes (amendments, BICs, accents, markup characters)
    odd = Mandate(
        "M'+(x)?:,.-/1",
        date(2025, 5, 31),
        "CORE",
        "Società  Àlfa & Figli <srl>",
        "IT87X0306909606100000063287",
        "BCITITMMXXX",
    )
    items = [
        collection("A/2026/0003", "10.00", date(2026, 12, 15), mandate("M-3"), "RCUR"),
        collection("A/2026/0001", "122.00", the_mandate=mandate("M-1")),
        collection(
            "A/2026/0002", "0.01", the_mandate=mandate("M-2", bic="BCITITMM"), sequence="RCUR"
        ),
        make_collection(
            "A/2026/0004",
            Decimal("999999999.99"),
            date(2026, 12, 9),
            odd,
            "FRST",
            "Fattura n. 4 dell'1/12 è «pagata» & saldata",
            Amendment("OLD-REF", True),
        ),
        make_collection(
            "A/2026/0005",
            Decimal("5.50"),
            date(2026, 12, 9),
            mandate("M-5"),
            "FRST",
            "",
            Amendment(None, True),
        ),
        make_collection(
            "A/2026/0006",
            Decimal("7.25"),
            date(2026, 12, 15),
            mandate("M-6"),
            "FRST",
            "x" * 200,
            Amendment("M-OLD-6", False),
        ),
        # stored values are not checked again: markup characters are escaped
        make_collection(
            "A/2026/0007",
            Decimal("1.00"),
            date(2026, 12, 9),
            Mandate(
                'R&D<7>\r"x"', date(2026, 1, 1), "CORE", "Debtor", "IT87X0306909606100000063287"
            ),
            "RCUR",
            "Fattura 7",
            Amendment("O&L<D>", False),
        ),
    ]
    xml = write_sdd(
        creditor(),
        items,
        message_id="20261207093000-0A1B2C3D4E5F",
        created_at=CREATED,
        presented_on=PRESENTED_ON,
    )
    assert xml == GOLDEN.read_bytes()
    references = [e.text for e in etree.fromstring(xml).iterfind(".//p:MndtId", NS)]
    assert 'R&D<7>\r"x"' in references


def test_a_character_xml_cannot_hold_is_refused_naming_the_collections():
    bad = collection(
        "A/1",
        the_mandate=Mandate(
            "M\x01", date(2026, 1, 1), "CORE", "Debtor", "IT87X0306909606100000063287"
        ),
    )
    with pytest.raises(UserError) as raised:
        write([bad])
    assert raised.value.path == "collections"
