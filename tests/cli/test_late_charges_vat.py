"""Late-payment interest and the recovery fee are out of the scope of VAT (N1, art. 15 DPR
633/72), end to end on SQLite and PostgreSQL: out of the taxable base, no VAT on them, in
the total to pay; in ``due --json``, ``invoices --json``, ``run --json`` and the PDF (read
back with pypdf), to the cent."""

from __future__ import annotations

import json
import re

import pypdf

CUSTOMER = {"code": "ACME", "name": "ACME S.r.l.", "payment_terms_days": 30}
CONTRACT = {
    "code": "K-1",
    "customer": "ACME",
    "status": "active",
    "start_date": "2025-04-01",
    "frequency": "quarterly",
    "late_interest": "legal",
    "late_fee": "40.00",
    "lines": [
        {"description": "Canone", "quantity": "1", "unit_price": "1000.00", "vat_rate": "22.00"},
        {"description": "Assistenza", "quantity": "1", "unit_price": "333.33", "vat_rate": "10.00"},
    ],
}


def _run(cli, day: str, *options: str) -> dict:
    result = cli("run", "--date", day, "--no-email", "--json", *options)
    assert result.code == 0, result
    return result.json()


def _invoice(cli, number: str) -> dict:
    [found] = [i for i in cli("invoices", "--json").json() if i["number"] == number]
    return found


def _pdf_text(cli, tmp_path, number: str, language: str) -> str:
    path = tmp_path / f"{language}.pdf"
    result = cli("pdf", number, "-o", str(path), "--language", language)
    assert result.code == 0, result
    text = "\n".join(page.extract_text() for page in pypdf.PdfReader(path).pages)
    return re.sub(r"\s+", " ", text)


def _late_invoice(cli, tmp_path) -> None:
    """A/2025/0001 of 01/04/2025 left unpaid; the run of 01/07/2025 bills its charges."""
    path = tmp_path / "contracts.json"
    path.write_text(json.dumps({"customers": [CUSTOMER], "contracts": [CONTRACT]}))
    assert cli("import", str(path)).code == 0
    _run(cli, "2025-04-01", "--status", "issued")


def test_interest_and_fee_are_out_of_the_taxable_base_and_in_the_total(cli, tmp_path):
    _late_invoice(cli, tmp_path)
    first = _invoice(cli, "A/2025/0001")
    # 1,000.00 at 22 % -> 220.00; 333.33 at 10 % -> 33.333 -> 33.33
    assert (first["taxable"], first["vat"], first["out_of_scope"], first["total"]) == (
        "1333.33",
        "253.33",
        "0.00",
        "1586.66",
    )

    # The charges on the next installment, before it is invoiced: only they carry a nature.
    [due] = cli("due", "--date", "2025-07-01", "--json").json()
    assert [
        (li["amount"], li["vat_rate"], li.get("vat_nature", "absent")) for li in due["lines"]
    ] == [
        ("1000.00", "22.00", "absent"),
        ("333.33", "10.00", "absent"),
        ("29.52", "0.00", "N1"),
        ("40.00", "0.00", "N1"),
    ]

    # Interest on the 1,586.66 left unpaid from 02/05 to 01/07/2025:
    #   H1 2025 at 11.15 %, 60 days: 1,586.66 x 11.15 % x 60 / 365 = 29.08152164...
    #   H2 2025 at 10.15 %, 1 day:   1,586.66 x 10.15 % x 1 / 365  =  0.44122189...
    #   29.52274353... -> 29.52; recovery fee 40.00: 69.52 out of VAT scope.
    # Taxable = the contract's lines only, 1,333.33; VAT on them only, 253.33;
    # total = 1,333.33 + 253.33 + 69.52 = 1,656.18.
    report = _run(cli, "2025-07-01", "--status", "issued")
    assert (report["taxable"], report["vat"], report["out_of_scope"], report["total"]) == (
        "1333.33",
        "253.33",
        "69.52",
        "1656.18",
    )
    second = _invoice(cli, "A/2025/0002")
    assert (second["taxable"], second["vat"], second["out_of_scope"], second["total"]) == (
        "1333.33",
        "253.33",
        "69.52",
        "1656.18",
    )
    assert [(li["amount"], li["vat_rate"], li["vat_nature"]) for li in second["lines"]] == [
        ("1000.00", "22.00", None),
        ("333.33", "10.00", None),
        ("29.52", "0.00", "N1"),
        ("40.00", "0.00", "N1"),
    ]
    open_items = cli("open-items", "--date", "2025-07-02", "--json").json()
    assert [(i["invoice"], i["open"]) for i in open_items] == [
        ("A/2025/0001", "1586.66"),
        ("A/2025/0002", "1656.18"),
    ]

    italian = _pdf_text(cli, tmp_path, "A/2025/0002", "it")
    assert "Fuori campo IVA art. 15 DPR 633/72 (N1) 69,52 —" in italian
    assert "22% 1.000,00 220,00" in italian and "10% 333,33 33,33" in italian
    assert "Imponibile € 1.333,33" in italian
    assert "IVA € 253,33" in italian
    assert "Fuori campo IVA (N1) € 69,52" in italian
    assert "Totale documento € 1.656,18" in italian
    assert not re.search(r"(?<![\d,.])0%", italian)  # the charges print N1, not 0%
    assert "1 29,52 N1 29,52" in italian and "1 40,00 N1 40,00" in italian

    english = _pdf_text(cli, tmp_path, "A/2025/0002", "en")
    assert "Out of VAT scope (art. 15 DPR 633/72) 69.52 —" in english
    assert "Taxable amount € 1,333.33" in english
    assert "Out of VAT scope € 69.52" in english
    assert "Total € 1,656.18" in english

    # The human listings add up the same way.
    listing = cli("invoices").out
    assert "out of VAT scope 69.52, total 3,242.84" in listing


def test_an_invoice_without_charges_prints_no_nature(cli, tmp_path):
    _late_invoice(cli, tmp_path)
    text = _pdf_text(cli, tmp_path, "A/2025/0001", "it")
    assert "Fuori campo" not in text and "N1" not in text
    assert "Aliquota Imponibile IVA" in text and "Totale documento € 1.586,66" in text


def test_an_installment_appended_to_a_draft_with_charges(cli, tmp_path):
    _late_invoice(cli, tmp_path)
    _run(cli, "2025-07-01", "--status", "draft")
    [due] = cli("due", "--date", "2025-10-01", "--json").json()
    appended = cli("invoice", "--installments", due["installment"], "--append-to-draft", "--json")
    assert appended.code == 0, appended
    [draft] = [i for i in cli("invoices", "--json").json() if i["status"] == "draft"]
    # The draft had 1,333.33 taxable and 69.52 out of scope. The appended installment adds
    # the same contract lines and the interest from 02/07 to 01/10/2025 (the fee is billed):
    #   1,586.66 x 10.15 % x 92 / 365 = 40.59241391... -> 40.59
    # VAT once per rate on the sums: 22 % of 2,000.00 = 440.00; 10 % of 666.66 = 66.666
    # -> 66.67; taxable 2,666.66; out of scope 69.52 + 40.59 = 110.11;
    # total = 2,666.66 + 506.67 + 110.11 = 3,283.44.
    assert (draft["taxable"], draft["vat"], draft["out_of_scope"], draft["total"]) == (
        "2666.66",
        "506.67",
        "110.11",
        "3283.44",
    )
    assert [li["vat_nature"] for li in draft["lines"]] == [None, None, "N1", "N1", None, None, "N1"]
