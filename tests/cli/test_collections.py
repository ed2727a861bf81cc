"""Collecting on the command line, on SQLite and PostgreSQL: mandates on every entry path
(refusals naming record and field), the SEPA direct debit file (valid against the XSD,
FRST then RCUR, FRST again on a changed IBAN, split payment, lead time), never presented
twice, --again, and the CBI Ri.Ba. file read back record by record."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from lxml import etree

from tests.support.collection_db import COMPANY, DATA, OTHER_IBAN, TODAY, document, load
from tests.support.riba_parser import parse_riba
from tui_billing.output.sdd_xml import sdd_schema

NS = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.008.001.02"}


def debits(path) -> list[dict[str, str]]:
    """Each debit of an SDD file (after checking the file against the XSD)."""
    tree = etree.parse(str(path))
    assert sdd_schema().validate(tree), sdd_schema().error_log
    out = []
    for block in tree.iterfind(".//p:PmtInf", NS):
        for tx in block.iterfind("p:DrctDbtTxInf", NS):
            out.append(
                {
                    "invoice": tx.findtext("p:PmtId/p:EndToEndId", namespaces=NS),
                    "amount": tx.findtext("p:InstdAmt", namespaces=NS),
                    "seq": block.findtext("p:PmtTpInf/p:SeqTp", namespaces=NS),
                    "date": block.findtext("p:ReqdColltnDt", namespaces=NS),
                    "mandate": tx.findtext(".//p:MndtId", namespaces=NS),
                    "iban": tx.findtext("p:DbtrAcct/p:Id/p:IBAN", namespaces=NS),
                    "amended": tx.findtext(".//p:AmdmntInd", namespaces=NS),
                }
            )
    return out


def sdd(cli, tmp_path, name: str, *extra: str, today: str = TODAY):
    return cli("--today", today, "collections", "sdd", "-o", str(tmp_path / name), *extra)


def test_sdd_file_frst_then_rcur_split_payment_never_twice_and_again(cli, tmp_path):
    load(cli, tmp_path)
    result = sdd(cli, tmp_path, "one.xml", "--due-to", "2026-03-31", "--json")
    assert result.code == 0, result
    first = debits(tmp_path / "one.xml")
    # three months of invoices of two mandates: one FRST each, the later ones wait
    assert sorted((d["invoice"], d["seq"], d["amount"]) for d in first) == [
        ("A/2026/0001", "FRST", "122.00"),
        ("A/2026/0002", "FRST", "500.00"),  # split payment: the amount due, net of VAT
    ]
    assert {d["date"] for d in first} == {"2026-03-03"}  # D-1 from Monday 2 March
    assert sorted(x["invoice"] for x in result.json()["left_out"]) == [
        "A/2026/0004",
        "A/2026/0005",
        "A/2026/0007",
        "A/2026/0008",
    ]
    second = sdd(cli, tmp_path, "two.xml", "--due-to", "2026-03-31")
    assert second.code == 0, second
    assert sorted((d["invoice"], d["seq"], d["date"]) for d in debits(tmp_path / "two.xml")) == [
        ("A/2026/0004", "RCUR", "2026-03-03"),
        ("A/2026/0005", "RCUR", "2026-03-03"),
        ("A/2026/0007", "RCUR", "2026-03-31"),
        ("A/2026/0008", "RCUR", "2026-03-31"),
    ]
    again = sdd(cli, tmp_path, "three.xml", "--due-to", "2026-03-31")
    assert again.code == 2 and "no CORE direct debit is due" in again.err
    assert not (tmp_path / "three.xml").exists()
    listing = cli("collections", "--json").json()
    presented = [c["invoice"] for c in listing["collections"]]
    assert sorted(presented) == [
        "A/2026/0001",
        "A/2026/0002",
        "A/2026/0004",
        "A/2026/0005",
        "A/2026/0007",
        "A/2026/0008",
    ]
    file_id = str(result.json()["file"])
    assert cli("collections", "sdd", "--again", file_id, "-o", str(tmp_path / "copy.xml")).code == 0
    assert (tmp_path / "copy.xml").read_bytes() == (tmp_path / "one.xml").read_bytes()
    message_id = result.json()["message_id"]
    assert (
        cli("collections", "sdd", "--again", message_id, "-o", str(tmp_path / "copy2.xml")).code
        == 0
    )
    assert (tmp_path / "copy2.xml").read_bytes() == (tmp_path / "one.xml").read_bytes()
    assert len(cli("collections", "--json").json()["collections"]) == 6  # nothing new


def test_changed_iban_starts_again_with_frst_and_an_amendment(cli, tmp_path):
    load(cli, tmp_path, run_dates=("2026-01-01",))
    assert sdd(cli, tmp_path, "a.xml", "--due-to", "2026-01-31").code == 0
    changed = document()
    changed["mandates"][0] = {**changed["mandates"][0], "iban": OTHER_IBAN}
    (tmp_path / "m.json").write_text(json.dumps({"mandates": changed["mandates"]}))
    assert cli("--today", TODAY, "import", str(tmp_path / "m.json")).code == 0
    assert cli("run", "--date", "2026-03-01", "--status", "issued", "--no-email").code == 0
    assert sdd(cli, tmp_path, "b.xml", "--due-to", "2026-03-05").code == 0
    by_invoice = {d["invoice"]: d for d in debits(tmp_path / "b.xml")}
    dd1 = by_invoice["A/2026/0004"]  # DD1's February invoice, after its IBAN changed
    assert (dd1["seq"], dd1["iban"], dd1["amended"]) == ("FRST", OTHER_IBAN, "true")
    dd2 = by_invoice["A/2026/0005"]  # DD2 unchanged: RCUR, no amendment
    assert (dd2["seq"], dd2["amended"]) == ("RCUR", None)


def test_amended_reference_starts_again_with_frst_naming_the_original(cli, tmp_path):
    load(cli, tmp_path, run_dates=("2026-01-01",))
    assert sdd(cli, tmp_path, "a.xml", "--due-to", "2026-01-31").code == 0
    amended = {**DATA["mandates"][0], "reference": "M-DD1-002", "replaces": "M-DD1-001"}
    (tmp_path / "m.json").write_text(json.dumps({"mandates": [amended]}))
    result = cli("--today", TODAY, "import", str(tmp_path / "m.json"))
    assert result.code == 0 and "mandates: 0 new, 1 updated" in result.out, result
    assert [m["reference"] for m in cli("export").json()["mandates"]] == ["M-DD1-002", "M-DD2-001"]
    assert cli("run", "--date", "2026-03-01", "--status", "issued", "--no-email").code == 0
    assert sdd(cli, tmp_path, "b.xml", "--due-to", "2026-03-05").code == 0
    tree = etree.parse(str(tmp_path / "b.xml"))
    tx = next(
        t
        for t in tree.iterfind(".//p:DrctDbtTxInf", NS)
        if t.findtext("p:PmtId/p:EndToEndId", namespaces=NS) == "A/2026/0004"
    )
    assert tx.findtext(".//p:MndtId", namespaces=NS) == "M-DD1-002"
    assert tx.findtext(".//p:OrgnlMndtId", namespaces=NS) == "M-DD1-001"
    assert tx.getparent().findtext("p:PmtTpInf/p:SeqTp", namespaces=NS) == "FRST"
    unknown = {**DATA["mandates"][0], "reference": "M-X", "replaces": "M-NONE"}
    (tmp_path / "m.json").write_text(json.dumps({"mandates": [unknown]}))
    refused = cli("--today", TODAY, "import", str(tmp_path / "m.json"))
    assert refused.code == 2 and "mandates[0].replaces" in refused.err


def test_collection_date_too_early_or_closed_is_refused_and_nothing_presented(cli, tmp_path):
    load(cli, tmp_path)
    for day, why in (("2026-03-02", "too early"), ("2026-03-07", "not a TARGET2")):
        result = sdd(cli, tmp_path, "x.xml", "--due-to", "2026-02-28", "--collection-date", day)
        assert result.code == 2 and why in result.err, result
        assert "Traceback" not in result.err
    assert not (tmp_path / "x.xml").exists()
    assert cli("collections", "--json").json()["collections"] == []
    ok = sdd(cli, tmp_path, "x.xml", "--due-to", "2026-02-28", "--collection-date", "2026-03-10")
    assert ok.code == 0, ok
    assert {d["date"] for d in debits(tmp_path / "x.xml")} == {"2026-03-10"}


def test_invoice_without_mandate_is_refused_naming_it(cli, tmp_path):
    load(cli, tmp_path, document(mandates=DATA["mandates"][1:]))
    result = sdd(cli, tmp_path, "x.xml", "--due-to", "2026-02-28")
    assert result.code == 2
    assert "invoices[A/2026/0001].mandate" in result.err and "no mandate" in result.err
    assert not (tmp_path / "x.xml").exists()
    assert cli("collections", "--json").json()["files"] == []


def test_suspended_mandate_is_left_out_and_said_why(cli, tmp_path, db_target):
    from tui_billing.billing.mandates import suspend_mandate
    from tui_billing.store.database import open_database

    load(cli, tmp_path)
    suspend_mandate(open_database(db_target), "M-DD1-001", "two returns in a row")
    result = sdd(cli, tmp_path, "x.xml", "--due-to", "2026-02-28", "--json")
    assert result.code == 0, result
    assert {d["invoice"] for d in debits(tmp_path / "x.xml")} == {"A/2026/0002"}
    reasons = {x["invoice"]: x["reason"] for x in result.json()["left_out"]}
    assert "suspended: two returns in a row" in reasons["A/2026/0001"]


@pytest.mark.parametrize(
    ("change", "path", "words"),
    [
        ({"iban": "IT00X0000000000000000000000"}, "mandates[0].iban", "not a valid IBAN"),
        ({"signed_on": "2026-03-03"}, "mandates[0].signed_on", "in the future"),
        ({"reference": "M-DD2-001"}, "mandates[1].reference", "used by another mandate"),
        ({"customer": "NOPE"}, "mandates[0].customer", "unknown customer"),
        ({"scheme": "COR1"}, "mandates[0].scheme", "unknown value"),
        ({"colour": "red"}, "mandates[0].colour", "unknown field"),
        ({"contract": "K-DD2"}, "mandates[0].contract", "not a contract of"),
        ({"reference": "M 1"}, "mandates[0].reference", "no spaces"),
    ],
)
def test_bad_mandates_are_refused_naming_record_and_field(cli, tmp_path, change, path, words):
    data = document()
    data["mandates"][0] = {**data["mandates"][0], **change}
    (tmp_path / "bad.json").write_text(json.dumps(data))
    result = cli("--today", TODAY, "import", str(tmp_path / "bad.json"))
    assert result.code == 2, result
    assert path in result.err and words in result.err, result.err
    assert "Traceback" not in result.err
    assert cli("export").json().get("mandates") is None  # nothing written


def test_company_creditor_id_and_sia_code_are_checked(cli, tmp_path):
    for key, value in (
        ("creditor_id", "IT05ZZZ0000012345678903"),
        ("sia_code", "AB"),
        ("bic", "NOTABIC"),
    ):
        (tmp_path / "c.json").write_text(json.dumps({"company": {**COMPANY, key: value}}))
        result = cli("import", str(tmp_path / "c.json"))
        assert result.code == 2 and f"company.{key}" in result.err, result


def test_mandates_export_round_trip_and_csv(cli, tmp_path):
    load(cli, tmp_path)
    exported = cli("export").json()
    assert [m["reference"] for m in exported["mandates"]] == ["M-DD1-001", "M-DD2-001"]
    assert exported["company"]["creditor_id"] == "IT04ZZZ0000012345678903"
    (tmp_path / "again.json").write_text(json.dumps(exported))
    result = cli("--today", TODAY, "import", str(tmp_path / "again.json"))
    assert result.code == 0 and "mandates: 0 new, 0 updated, 2 unchanged" in result.out
    csv = (
        "reference;customer;contract;signed_on;scheme;iban;status;suspended_reason\n"
        "M-K-DD1;DD1;K-DD1;2026-02-01;B2B;IT87X0306909606100000063287;active;\n"
        f"M-BAD;DD1;;2026-02-01;CORE;{OTHER_IBAN}x;active;\n"
    )
    (tmp_path / "m.csv").write_text(csv)
    bad = cli("--today", TODAY, "import-csv", "mandates", str(tmp_path / "m.csv"))
    assert bad.code == 2 and "row 3, column iban" in bad.err, bad
    (tmp_path / "m.csv").write_text(
        csv.splitlines(keepends=True)[0] + csv.splitlines(keepends=True)[1]
    )
    assert cli("--today", TODAY, "import-csv", "mandates", str(tmp_path / "m.csv")).code == 0
    mandates = {m["reference"]: m for m in cli("export").json()["mandates"]}
    assert mandates["M-K-DD1"]["contract"] == "K-DD1"
    assert mandates["M-K-DD1"]["scheme"] == "B2B"


def test_riba_file_one_flow_per_due_date_with_ef_totals(cli, tmp_path):
    load(cli, tmp_path)
    result = cli(
        "--today",
        TODAY,
        "collections",
        "riba",
        "--due-to",
        "2026-04-30",
        "-o",
        str(tmp_path / "riba.txt"),
        "--json",
    )
    assert result.code == 0, result
    flows = parse_riba((tmp_path / "riba.txt").read_bytes())
    assert [f["header"]["sender_sia"] for f in flows] == ["A1B2C"] * 3
    assert [f["total"] for f in flows] == [Decimal("244.00")] * 3
    assert [int(f["footer"]["receipts"]) for f in flows] == [1, 1, 1]
    receipt = flows[0]["receipts"][0]
    assert (receipt["14"]["debtor_abi"], receipt["14"]["debtor_cab"]) == ("03069", "09606")
    assert (receipt["14"]["creditor_abi"], receipt["14"]["creditor_cab"]) == ("05428", "11101")
    assert receipt["14"]["due"] == "020326"  # 1 January + 60 days
    assert receipt["50"]["reference"].startswith("FATTURA N. A/2026/0003 DEL 01/01/2026")
    assert receipt["30"]["debtor_name"].strip() == "Verdi S.p.A."
    late = cli(
        "--today",
        "2026-04-01",
        "collections",
        "riba",
        "--due-to",
        "2026-04-30",
        "-o",
        str(tmp_path / "late.txt"),
    )
    assert late.code == 2 and not (tmp_path / "late.txt").exists()  # all presented already
    rerun = cli(
        "--today",
        TODAY,
        "collections",
        "riba",
        "--due-to",
        "2026-04-30",
        "-o",
        str(tmp_path / "riba2.txt"),
    )
    assert rerun.code == 2 and not (tmp_path / "riba2.txt").exists()
    again = cli(
        "collections",
        "riba",
        "--again",
        str(result.json()["file"]),
        "-o",
        str(tmp_path / "riba3.txt"),
    )
    assert again.code == 0
    assert (tmp_path / "riba3.txt").read_bytes() == (tmp_path / "riba.txt").read_bytes()
    states = {c["invoice"]: c["state"] for c in cli("collections", "--json").json()["collections"]}
    assert set(states.values()) == {"presented"}


def test_riba_leaves_out_a_receipt_whose_due_date_has_passed(cli, tmp_path):
    load(cli, tmp_path)
    result = cli(
        "--today",
        "2026-03-03",
        "collections",
        "riba",
        "--due-to",
        "2026-04-30",
        "-o",
        str(tmp_path / "riba.txt"),
        "--json",
    )
    assert result.code == 0, result
    assert [x["invoice"] for x in result.json()["left_out"]] == ["A/2026/0003"]
    flows = parse_riba((tmp_path / "riba.txt").read_bytes())
    assert [f["receipts"][0]["14"]["due"] for f in flows] == ["020426", "300426"]


def test_riba_without_sia_code_is_refused(cli, tmp_path):
    load(cli, tmp_path, document(company={**COMPANY, "sia_code": None}))
    result = cli(
        "--today",
        TODAY,
        "collections",
        "riba",
        "--due-to",
        "2026-04-30",
        "-o",
        str(tmp_path / "r.txt"),
    )
    assert result.code == 2 and "company.sia_code" in result.err
    assert not (tmp_path / "r.txt").exists()


def test_a_return_frees_the_debit_and_two_in_a_row_suspend_the_mandate(cli, tmp_path):
    load(cli, tmp_path)
    assert sdd(cli, tmp_path, "one.xml", "--due-to", "2026-03-31").code == 0
    assert sdd(cli, tmp_path, "two.xml", "--due-to", "2026-03-31").code == 0
    for number, amount in (("A/2026/0001", "122.00"), ("A/2026/0004", "122.00")):
        paid = cli(
            "--today",
            "2026-03-10",
            "payments",
            "add",
            number,
            "--amount",
            amount,
            "--date",
            "2026-03-04",
        )
        assert paid.code == 0, paid
    first = cli(
        "--today",
        "2026-03-10",
        "payments",
        "return",
        "A/2026/0001",
        "--date",
        "2026-03-09",
        "--json",
    )
    assert first.code == 0, first
    states = {c["invoice"]: c["state"] for c in cli("collections", "--json").json()["collections"]}
    assert states["A/2026/0001"] == "returned"
    assert states["A/2026/0004"] != "returned"
    # the returned debit is due to be presented again, under the same (still active) mandate
    again = sdd(cli, tmp_path, "three.xml", "--due-to", "2026-03-31", today="2026-03-10")
    assert again.code == 0, again
    assert [(d["invoice"], d["seq"]) for d in debits(tmp_path / "three.xml")] == [
        ("A/2026/0001", "RCUR")
    ]
    second = cli(
        "--today",
        "2026-03-10",
        "payments",
        "return",
        "A/2026/0004",
        "--date",
        "2026-03-09",
        "--json",
    )
    assert second.code == 0, second
    assert "2 collections returned in a row" in second.json()[0]["collection_hold"]
    # the mandate is suspended: the contract's next debits wait, and say why
    listing = cli("--today", "2026-03-10", "collections", "--json").json()
    problems = {x["invoice"]: x["problem"] or "" for x in listing["due"]}
    assert "suspended" in problems["A/2026/0004"], problems
    assert "2 collections returned in a row" in problems["A/2026/0004"]


def test_a_credit_note_takes_off_what_was_owed_under_split_payment(cli, tmp_path):
    load(cli, tmp_path)
    credit = cli("--today", TODAY, "credit", "A/2026/0002", "--amount", "100.00", "--date", TODAY)
    assert credit.code == 0, credit
    assert sdd(cli, tmp_path, "one.xml", "--due-to", "2026-03-31").code == 0
    amounts = {d["invoice"]: d["amount"] for d in debits(tmp_path / "one.xml")}
    # 500.00 owed (the public administration pays the VAT to the State), 100.00 credited:
    # the note's VAT was never owed either
    assert amounts["A/2026/0002"] == "400.00"
