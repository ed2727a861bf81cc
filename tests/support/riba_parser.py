"""A reader of CBI Ri.Ba. files, written from the record layout (CBI-RIB-001), not from the
writer: each field by its 1-based start and end position. It reads every record back,
checks lengths, line ends, record order, progressive numbers and the EF counts and totals,
and returns the flows as plain dictionaries."""

from __future__ import annotations

from decimal import Decimal

# (field, first position, last position), positions 1-based and inclusive, as in the spec
LAYOUT: dict[str, list[tuple[str, int, int]]] = {
    "IB": [
        ("filler", 1, 1),
        ("type", 2, 3),
        ("sender_sia", 4, 8),
        ("receiver_abi", 9, 13),
        ("created", 14, 19),
        ("support", 20, 39),
        ("free", 40, 113),
        ("currency", 114, 114),
        ("tail", 115, 120),
    ],
    "14": [
        ("filler", 1, 1),
        ("type", 2, 3),
        ("progressive", 4, 10),
        ("blank1", 11, 22),
        ("due", 23, 28),
        ("causale", 29, 33),
        ("amount", 34, 46),
        ("sign", 47, 47),
        ("creditor_abi", 48, 52),
        ("creditor_cab", 53, 57),
        ("creditor_account", 58, 69),
        ("debtor_abi", 70, 74),
        ("debtor_cab", 75, 79),
        ("blank2", 80, 91),
        ("creditor_sia", 92, 96),
        ("code_type", 97, 97),
        ("customer_code", 98, 113),
        ("blank3", 114, 119),
        ("currency", 120, 120),
    ],
    "20": [
        ("filler", 1, 1),
        ("type", 2, 3),
        ("progressive", 4, 10),
        ("creditor_1", 11, 34),
        ("creditor_2", 35, 58),
        ("creditor_3", 59, 82),
        ("creditor_4", 83, 106),
        ("blank", 107, 120),
    ],
    "30": [
        ("filler", 1, 1),
        ("type", 2, 3),
        ("progressive", 4, 10),
        ("debtor_name", 11, 70),
        ("debtor_tax_code", 71, 86),
        ("blank", 87, 120),
    ],
    "40": [
        ("filler", 1, 1),
        ("type", 2, 3),
        ("progressive", 4, 10),
        ("address", 11, 40),
        ("cap", 41, 45),
        ("comune", 46, 68),
        ("provincia", 69, 70),
        ("debtor_bank", 71, 120),
    ],
    "50": [
        ("filler", 1, 1),
        ("type", 2, 3),
        ("progressive", 4, 10),
        ("reference", 11, 90),
        ("blank1", 91, 100),
        ("creditor_tax_code", 101, 116),
        ("blank2", 117, 120),
    ],
    "51": [
        ("filler", 1, 1),
        ("type", 2, 3),
        ("progressive", 4, 10),
        ("receipt_number", 11, 20),
        ("creditor_name", 21, 40),
        ("blank", 41, 120),
    ],
    "70": [("filler", 1, 1), ("type", 2, 3), ("progressive", 4, 10), ("blank", 11, 120)],
    "EF": [
        ("filler", 1, 1),
        ("type", 2, 3),
        ("sender_sia", 4, 8),
        ("receiver_abi", 9, 13),
        ("created", 14, 19),
        ("support", 20, 39),
        ("blank1", 40, 45),
        ("receipts", 46, 52),
        ("total", 53, 67),
        ("credits", 68, 82),
        ("records", 83, 89),
        ("blank2", 90, 113),
        ("currency", 114, 114),
        ("tail", 115, 120),
    ],
}
RECEIPT_TYPES = ["14", "20", "30", "40", "50", "51", "70"]


class RibaFormatError(AssertionError):
    pass


def parse_record(line: str) -> dict[str, str]:
    if len(line) != 120:
        raise RibaFormatError(f"record of {len(line)} characters: {line!r}")
    kind = line[1:3]
    if kind not in LAYOUT:
        raise RibaFormatError(f"unknown record type {kind!r}")
    fields = {name: line[start - 1 : end] for name, start, end in LAYOUT[kind]}
    assert sum(end - start + 1 for _, start, end in LAYOUT[kind]) == 120, kind
    if fields["filler"] != " ":
        raise RibaFormatError(f"record {kind} does not start with a space")
    return fields


def parse_riba(data: bytes) -> list[dict]:
    """The flows of a Ri.Ba. file: each {"header", "receipts": [{type: fields}], "footer"}."""
    text = data.decode("ascii")
    if not text.endswith("\r\n"):
        raise RibaFormatError("the file does not end with CR LF")
    lines = text[:-2].split("\r\n")
    if any("\n" in line or "\r" in line for line in lines):
        raise RibaFormatError("a line end other than CR LF")
    records = [parse_record(line) for line in lines]
    flows: list[dict] = []
    index = 0
    while index < len(records):
        header = records[index]
        if header["type"] != "IB":
            raise RibaFormatError(f"expected IB, found {header['type']}")
        index += 1
        receipts = []
        while records[index]["type"] == "14":
            group = records[index : index + 7]
            if [r["type"] for r in group] != RECEIPT_TYPES:
                raise RibaFormatError(f"receipt records out of order: {[r['type'] for r in group]}")
            progressive = {r["progressive"] for r in group}
            if progressive != {str(len(receipts) + 1).rjust(7, "0")}:
                raise RibaFormatError(f"progressive numbers {progressive}")
            receipts.append({r["type"]: r for r in group})
            index += 7
        footer = records[index]
        index += 1
        if footer["type"] != "EF":
            raise RibaFormatError(f"expected EF, found {footer['type']}")
        for key in ("sender_sia", "receiver_abi", "created", "support", "currency"):
            if footer[key] != header[key]:
                raise RibaFormatError(f"EF {key} differs from IB")
        total = sum(int(r["14"]["amount"]) for r in receipts)
        if int(footer["receipts"]) != len(receipts):
            raise RibaFormatError("EF count of receipts is wrong")
        if int(footer["total"]) != total:
            raise RibaFormatError("EF total is wrong")
        if int(footer["records"]) != len(receipts) * 7 + 2:
            raise RibaFormatError("EF count of records is wrong")
        flows.append(
            {
                "header": header,
                "receipts": receipts,
                "footer": footer,
                "total": Decimal(total) / 100,
            }
        )
    return flows
