"""Credit notes that correct an issued invoice, end to end on SQLite and PostgreSQL: whole,
by lines, by amount, what is refused, rebilling, open items and late interest, the PDF read
back, the JSON keys, and the numbers without gaps."""

from __future__ import annotations

import json

from pypdf import PdfReader

CUSTOMER = {"code": "ACME", "name": "ACME S.r.l.", "payment_terms_days": 30}
LINES = [
    {"description": "Canone", "quantity": "1", "unit_price": "100.00", "vat_rate": "22.00"},
    {"description": "Assistenza", "quantity": "2", "unit_price": "25.00", "vat_rate": "10.00"},
]


def load(cli, tmp_path, **contract) -> None:
    document = {
        "customers": [CUSTOMER],
        "contracts": [
            {
                "code": "K-1",
                "customer": "ACME",
                "status": "active",
                "start_date": "2026-01-01",
                "frequency": "monthly",
                "lines": LINES,
                **contract,
            }
        ],
    }
    path = tmp_path / "k.json"
    path.write_text(json.dumps(document))
    assert cli("import", str(path)).code == 0


def run(cli, day: str) -> dict:
    result = cli("run", "--date", day, "--status", "issued", "--no-email", "--json")
    assert result.code == 0, result
    return result.json()


def invoices(cli) -> dict[str, dict]:
    return {i["number"]: i for i in cli("invoices", "--json").json()}


def credit(cli, *args: str, today: str = "2026-02-10"):
    return cli("--today", today, "credit", *args, "--json")


def due(cli, day: str) -> list[tuple]:
    result = cli("due", "--date", day, "--json")
    assert result.code == 0, result
    return [(r["period_start"], r["period_end"], r["amount"]) for r in result.json()]


def pdf_text(cli, tmp_path, number: str, language: str = "it") -> str:
    target = tmp_path / f"{number.replace('/', '-')}-{language}.pdf"
    result = cli("pdf", number, "-o", str(target), "--language", language)
    assert result.code == 0, result
    return " ".join(page.extract_text() for page in PdfReader(target).pages).replace("\n", " ")


def test_whole_credit_note_names_the_invoice_closes_it_and_continues_the_numbers(cli, tmp_path):
    load(cli, tmp_path)
    assert run(cli, "2026-02-01")["invoices"] == ["A/2026/0001", "A/2026/0002"]
    note = credit(cli, "A/2026/0001", "--reason", "Fattura emessa per errore")
    assert note.code == 0, note
    shown = note.json()
    assert (shown["number"], shown["document_type"], shown["date"], shown["series"]) == (
        "A/2026/0003",
        "credit_note",
        "2026-02-10",
        "A",
    )
    assert shown["corrects"] == {"number": "A/2026/0001", "date": "2026-01-01"}
    assert (shown["taxable"], shown["vat"], shown["total"]) == ("-150.00", "-27.00", "-177.00")
    listed = invoices(cli)
    original = listed["A/2026/0001"]
    assert [li["credits_line"] for li in shown["lines"]] == [li["id"] for li in original["lines"]]
    assert [(li["quantity"], li["unit_price"], li["amount"]) for li in shown["lines"]] == [
        ("1", "-100.00", "-100.00"),
        ("2", "-25.00", "-50.00"),
    ]
    assert original["corrects"] is None and listed["A/2026/0003"] == shown
    assert (original["credited"], original["open"], original["overdue_since"]) == (
        "177.00",
        "0.00",
        None,
    )
    assert original["credited_by"] == [
        {"number": "A/2026/0003", "date": "2026-02-10", "credited": "177.00"}
    ]
    assert [li["credited"] for li in original["lines"]] == ["100.00", "50.00"]
    # no longer open nor overdue; the other invoice is
    items = cli("open-items", "--date", "2026-03-15", "--json").json()
    assert [(i["invoice"], i["open"]) for i in items] == [("A/2026/0002", "177.00")]
    # nothing left: a second note is refused, naming the invoice
    again = credit(cli, "A/2026/0001")
    assert again.code == 2 and "already wholly credited" in again.err
    # no rebill: the credited month is not billed again
    assert due(cli, "2026-02-28") == []
    # the numbers go on without a gap, notes and invoices in one sequence
    run(cli, "2026-03-01")
    listed = invoices(cli)
    assert [(i["seq"], i["document_type"]) for i in listed.values()] == [
        (1, "invoice"),
        (2, "invoice"),
        (3, "credit_note"),
        (4, "invoice"),
    ]
    text = pdf_text(cli, tmp_path, "A/2026/0003")
    assert "Nota di credito" in text
    assert "Nota di credito a storno totale della fattura A/2026/0001 del 01/01/2026" in text
    assert "Fattura emessa per errore" in text
    english = pdf_text(cli, tmp_path, "A/2026/0003", "en")
    assert "Credit note cancelling in full invoice A/2026/0001 of 01/01/2026" in english


def test_partial_by_lines_then_the_rest_and_over_credit_refused(cli, tmp_path):
    load(cli, tmp_path)
    run(cli, "2026-01-01")
    canone, assistenza = (li["id"] for li in invoices(cli)["A/2026/0001"]["lines"])
    note = credit(cli, "A/2026/0001", "--lines", str(assistenza), "--date", "2026-01-15")
    assert note.code == 0, note
    assert (note.json()["total"], len(note.json()["lines"])) == ("-55.00", 1)
    assert note.json()["lines"][0]["credits_line"] == assistenza
    original = invoices(cli)["A/2026/0001"]
    assert (original["credited"], original["open"]) == ("55.00", "122.00")
    assert [li["credited"] for li in original["lines"]] == ["0.00", "50.00"]
    # that line again, a line of another invoice, a bad id: refused, nothing written
    for lines, message in (
        (str(assistenza), "already wholly credited"),
        ("9999", "not a line of A/2026/0001"),
        ("x", "not a line id"),
    ):
        refused = credit(cli, "A/2026/0001", "--lines", lines)
        assert refused.code == 2 and refused.err.count("\n") == 1, refused
        assert "--lines" in refused.err and message in refused.err
    assert len(invoices(cli)) == 2
    assert "storno parziale della fattura A/2026/0001 del 01/01/2026" in pdf_text(
        cli, tmp_path, "A/2026/0002"
    )
    # the rest, then nothing is left
    rest = credit(cli, "A/2026/0001", "--date", "2026-01-20")
    assert rest.code == 0 and [li["credits_line"] for li in rest.json()["lines"]] == [canone]
    assert invoices(cli)["A/2026/0001"]["open"] == "0.00"
    assert "storno parziale" in pdf_text(cli, tmp_path, "A/2026/0003")


def test_partial_by_amount_shared_among_the_vat_rates(cli, tmp_path):
    load(cli, tmp_path)
    run(cli, "2026-01-01")  # 100.00 at 22 % and 50.00 at 10 %
    over = credit(cli, "A/2026/0001", "--amount", "150.01")
    assert over.code == 2 and "--amount: 150.01 is more than the 150.00 left" in over.err
    for bad in ("0", "-5", "abc"):
        assert credit(cli, "A/2026/0001", "--amount", bad).code == 2
    note = credit(cli, "A/2026/0001", "--amount", "30,00", "--date", "2026-01-31")
    assert note.code == 0, note
    shown = note.json()
    # 30.00 shared as 100 : 50 -> 20.00 at 22 % (VAT 4.40) and 10.00 at 10 % (VAT 1.00)
    assert [(li["amount"], li["vat_rate"]) for li in shown["lines"]] == [
        ("-20.00", "22.00"),
        ("-10.00", "10.00"),
    ]
    assert (shown["taxable"], shown["vat"], shown["total"]) == ("-30.00", "-5.40", "-35.40")
    original = invoices(cli)["A/2026/0001"]
    assert (original["credited"], original["open"]) == ("35.40", "141.60")
    # what is left is 120.00: a line's rest and the invoice's rest are the limits
    canone = original["lines"][0]["id"]
    over_line = credit(cli, "A/2026/0001", "--lines", str(canone), "--amount", "80.01")
    assert over_line.code == 2 and "80.00 left to credit on its chosen lines" in over_line.err
    assert credit(cli, "A/2026/0001", "--amount", "120.01").code == 2
    assert credit(cli, "A/2026/0001", "--amount", "120.00", "--date", "2026-01-31").code == 0
    assert invoices(cli)["A/2026/0001"]["open"] == "0.00"
    assert [i["seq"] for i in invoices(cli).values()] == [1, 2, 3]


def test_what_cannot_be_credited_is_refused_naming_the_field(cli, tmp_path):
    load(cli, tmp_path)
    run(cli, "2026-01-01")
    draft = cli("run", "--date", "2026-02-01", "--status", "draft", "--no-email", "--json")
    assert draft.code == 0
    assert credit(cli, "A/2026/0001", "--amount", "10", "--date", "2026-01-10").code == 0
    cases = [
        (("A/2026/0002",), "a credit note cannot be credited"),
        (("A/2026/9999",), "no invoice numbered"),
        (("A/2026/0001", "--date", "2025-12-31"), "--date: 2025-12-31 is before the date of"),
        (("A/2026/0001", "--amount", "10", "--rebill"), "--rebill:"),
    ]
    for args, message in cases:
        refused = credit(cli, *args)
        assert refused.code == 2 and message in refused.err, (args, refused)
    # numbers follow the dates: nothing before the note just issued
    late = cli("--today", "2026-01-05", "credit", "A/2026/0001", "--amount", "10")
    assert late.code == 2 and "--date:" in late.err and "A/2026/0002" in late.err
    [draft_invoice] = [i for i in cli("invoices", "--json").json() if i["status"] == "draft"]
    drafted = credit(cli, f"{draft_invoice['id']}")
    assert drafted.code == 2 and "is not issued: delete or edit it instead" in drafted.err
    assert len(cli("invoices", "--json").json()) == 3


def test_rebill_makes_the_installments_due_again_and_the_next_run_bills_them_once(cli, tmp_path):
    load(cli, tmp_path)
    run(cli, "2026-02-01")  # January: A/2026/0001, February: A/2026/0002
    assert due(cli, "2026-02-28") == []
    note = credit(cli, "A/2026/0002", "--rebill", "--date", "2026-02-01")
    assert note.code == 0, note
    assert due(cli, "2026-02-28") == [("2026-02-01", "2026-02-28", "150.00")]
    report = run(cli, "2026-02-28")
    assert report["invoices"] == ["A/2026/0004"]
    assert [li["amount"] for li in invoices(cli)["A/2026/0004"]["lines"]] == ["100.00", "50.00"]
    assert run(cli, "2026-02-28")["invoices_created"] == 0
    assert due(cli, "2026-02-28") == []
    # one line only, with rebill: that line alone is billed again
    assistenza = invoices(cli)["A/2026/0001"]["lines"][1]["id"]
    assert (
        credit(
            cli, "A/2026/0001", "--lines", str(assistenza), "--rebill", "--date", "2026-02-28"
        ).code
        == 0
    )
    assert due(cli, "2026-02-28") == [("2026-01-01", "2026-01-31", "50.00")]
    run(cli, "2026-03-01")
    billed = [
        (li["period_start"], li["amount"])
        for number, inv in invoices(cli).items()
        if number > "A/2026/0005"
        for li in inv["lines"]
    ]
    assert sorted(billed) == [
        ("2026-01-01", "50.00"),
        ("2026-03-01", "100.00"),
        ("2026-03-01", "50.00"),
    ]
    assert run(cli, "2026-03-01")["invoices_created"] == 0


def test_open_items_and_late_interest_run_on_what_is_left(cli, tmp_path):
    document = {
        "customers": [CUSTOMER],
        "contracts": [
            {
                "code": "K-L",
                "customer": "ACME",
                "status": "active",
                "start_date": "2025-04-01",
                "frequency": "quarterly",
                "late_interest": "legal",
                "late_fee": "40.00",
                "lines": [
                    {
                        "description": "Canone",
                        "quantity": "1",
                        "unit_price": "1000.00",
                        "vat_rate": "22.00",
                    }
                ],
            }
        ],
    }
    path = tmp_path / "late.json"
    path.write_text(json.dumps(document))
    assert cli("import", str(path)).code == 0
    run(cli, "2025-04-01")  # A/2025/0001: 1,220.00 due 01/05/2025
    assert credit(cli, "A/2025/0001", "--amount", "500", today="2025-04-10").code == 0
    items = cli("open-items", "--date", "2025-06-01", "--json").json()
    assert [(i["invoice"], i["total"], i["credited"], i["open"]) for i in items] == [
        ("A/2025/0001", "1220.00", "610.00", "610.00")
    ]
    # a payment above what is left is refused
    paid = cli("--today", "2025-06-01", "payments", "add", "A/2025/0001", "--amount", "610.01")
    assert paid.code == 2 and "610.00 still open" in paid.err
    # interest on the 610.00 left, 02/05 - 01/07/2025:
    #   610.00 x 11.15 % x 60 / 365 = 11.18054794...;  610.00 x 10.15 % x 1 / 365 = 0.16963...
    #   = 11.35018... -> 11.35, and the fee 40.00
    run(cli, "2025-07-01")
    second = invoices(cli)["A/2025/0003"]
    assert [li["amount"] for li in second["lines"]] == ["1000.00", "11.35", "40.00"]
    assert "al 11,15% su 610,00" in second["lines"][1]["description"]
    # the rest credited: no longer open nor late, no more interest
    assert credit(cli, "A/2025/0001", today="2025-07-02").code == 0
    items = cli("open-items", "--date", "2025-09-01", "--json").json()
    assert [i["invoice"] for i in items] == ["A/2025/0003"]
    run(cli, "2025-10-01")
    third = [i for i in invoices(cli).values() if i["date"] == "2025-10-01"][0]
    late = [li["description"] for li in third["lines"][1:]]
    assert late and all("A/2025/0003" in text for text in late), late
