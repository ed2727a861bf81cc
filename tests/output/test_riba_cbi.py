"""The CBI Ri.Ba. writer, read back position by position by the test parser."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from tests.support.riba_parser import RibaFormatError, parse_riba
from tui_billing.domain.errors import UserError
from tui_billing.domain.riba import make_riba_creditor, make_riba_receipt
from tui_billing.output.riba_cbi import write_riba

CREATED = date(2026, 12, 7)


def creditor():
    return make_riba_creditor(
        "A1B2C",
        "Rossi Impianti S.r.l.",
        "Via Roma 1",
        "20121 Milano MI",
        "IT12345678903",
        "IT60X0542811101000000123456",
    )


def receipt(number=1, amount="122.00", due=date(2027, 1, 31), **changes):
    values = dict(
        number=number,
        invoice_number=f"A/2026/{number:04d}",
        invoice_date=date(2026, 12, 1),
        amount=Decimal(amount),
        due_date=due,
        debtor_name="Bianchi Caffè S.n.c.",
        debtor_tax_code="RSSMRA80A01H501U",
        debtor_address="Piazza Duomo 3",
        debtor_cap="10121",
        debtor_comune="Torino",
        debtor_provincia="TO",
        debtor_iban="IT87X0306909606100000063287",
        debtor_bank_name="Intesa Sanpaolo",
    )
    values.update(changes)
    return make_riba_receipt(**values)


def write(receipts):
    return write_riba(creditor(), receipts, file_id="RB0001", created_on=CREATED)


def test_every_record_is_120_characters_with_crlf():
    data = write([receipt(1), receipt(2, "0.01")])
    lines = data.split(b"\r\n")
    assert lines[-1] == b""
    assert [len(line) for line in lines[:-1]] == [120] * (2 + 2 * 7)
    assert b"\n" not in data.replace(b"\r\n", b"")


def test_records_read_back_field_by_field():
    [flow] = parse_riba(write([receipt(7, "1234.56")]))
    header = flow["header"]
    assert (header["sender_sia"], header["receiver_abi"], header["created"]) == (
        "A1B2C",
        "05428",
        "071226",
    )
    assert header["support"] == "RB0001310127".ljust(20) and header["currency"] == "E"
    records = flow["receipts"][0]
    r14 = records["14"]
    assert r14["due"] == "310127" and r14["causale"] == "30000" and r14["sign"] == "-"
    assert r14["amount"] == "0000000123456"
    assert (r14["creditor_abi"], r14["creditor_cab"], r14["creditor_account"]) == (
        "05428",
        "11101",
        "000000123456",
    )
    assert (r14["debtor_abi"], r14["debtor_cab"]) == ("03069", "09606")
    assert r14["creditor_sia"] == "A1B2C" and r14["currency"] == "E"
    assert records["20"]["creditor_1"].rstrip() == "Rossi Impianti S.r.l."
    assert records["30"]["debtor_name"].rstrip() == "Bianchi Caffe S.n.c."
    assert records["30"]["debtor_tax_code"] == "RSSMRA80A01H501U"
    r40 = records["40"]
    assert (r40["address"].rstrip(), r40["cap"], r40["comune"].rstrip(), r40["provincia"]) == (
        "Piazza Duomo 3",
        "10121",
        "Torino",
        "TO",
    )
    assert r40["debtor_bank"].rstrip() == "Intesa Sanpaolo"
    assert records["50"]["reference"].rstrip() == "FATTURA N. A/2026/0007 DEL 01/12/2026"
    assert records["50"]["creditor_tax_code"].rstrip() == "12345678903"
    assert records["51"]["receipt_number"] == "0000000007"
    assert records["51"]["creditor_name"] == "Rossi Impianti S.r.l"
    assert records["70"]["blank"] == " " * 110


def test_one_flow_per_due_date_with_ef_totals():
    jan, feb = date(2027, 1, 31), date(2027, 2, 28)
    flows = parse_riba(
        write(
            [
                receipt(3, "10.00", feb),
                receipt(1, "0.10", jan),
                receipt(2, "99999.99", jan),
                receipt(4, "5.55", feb),
            ]
        )
    )
    assert [f["receipts"][0]["14"]["due"] for f in flows] == ["310127", "280227"]
    jan_flow, feb_flow = flows
    assert [r["51"]["receipt_number"][-1] for r in jan_flow["receipts"]] == ["1", "2"]
    assert jan_flow["footer"]["receipts"] == "0000002"
    assert jan_flow["footer"]["total"] == "000000010000009"
    assert jan_flow["footer"]["records"] == "0000016"
    assert jan_flow["total"] == Decimal("100000.09")
    assert feb_flow["total"] == Decimal("15.55")
    assert feb_flow["footer"]["credits"] == "0" * 15


def test_parser_catches_a_wrong_total():
    data = bytearray(write([receipt(1)]))
    ef = data.rindex(b" EF")
    data[ef + 60] = ord("9")  # inside the total field (positions 53-67)
    with pytest.raises(RibaFormatError, match="total"):
        parse_riba(bytes(data))


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"debtor_iban": "DE89370400440532013000"}, "receipt.debtor_iban"),
        ({"debtor_iban": "IT61X0542811101000000123456"}, "receipt.debtor_iban"),
        ({"debtor_cap": "1012"}, "receipt.debtor_cap"),
        ({"debtor_provincia": "Torino"}, "receipt.debtor_provincia"),
        ({"debtor_tax_code": "123"}, "receipt.debtor_tax_code"),
        ({"amount": Decimal("0")}, "receipt.amount"),
        ({"debtor_name": ""}, "receipt.debtor_name"),
    ],
)
def test_bad_receipt_is_refused_naming_the_field(change, field):
    with pytest.raises(UserError) as error:
        receipt(**change)
    assert error.value.path == field


def test_bad_creditor_and_file_are_refused():
    with pytest.raises(UserError) as error:
        make_riba_creditor(
            "A1B2",
            "Rossi",
            "Via Roma 1",
            "20121 Milano",
            "12345678903",
            "IT60X0542811101000000123456",
        )
    assert error.value.path == "creditor.sia_code"
    with pytest.raises(UserError) as error:
        write([receipt(1), receipt(1)])
    assert error.value.path == "receipts"
    with pytest.raises(UserError) as error:
        write_riba(creditor(), [receipt()], file_id="RB 1", created_on=CREATED)
    assert error.value.path == "file_id"


def test_parser_refuses_short_records_and_bare_line_feeds():
    data = write([receipt(1)])
    with pytest.raises(RibaFormatError, match="CR LF"):
        parse_riba(data.replace(b"\r\n", b"\n"))
    with pytest.raises(RibaFormatError, match="characters"):
        parse_riba(data.replace(b" 70", b"70", 1))


def test_long_texts_are_cut_to_their_fields():
    long = receipt(1, debtor_name="N" * 80, debtor_address="A" * 40, debtor_comune="C" * 30)
    [flow] = parse_riba(write([long]))
    records = flow["receipts"][0]
    assert records["30"]["debtor_name"] == "N" * 60
    assert records["40"]["address"] == "A" * 30 and records["40"]["comune"] == "C" * 23
    assert records["40"]["provincia"] == "TO"


def test_same_receipts_give_the_same_bytes():
    assert write([receipt(1), receipt(2)]) == write([receipt(2), receipt(1)])
