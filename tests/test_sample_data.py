"""The demo data in sample_db/demo.json: valid identifiers, resolvable references, full coverage.

The file is read with the json module only (no application code), so these checks hold
for the data itself, whatever the importer does with it.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

SAMPLE_DB = Path(__file__).resolve().parent.parent / "sample_db"
DEMO = SAMPLE_DB / "demo.json"

MONEY = re.compile(r"^\d+\.\d{2}$")
QUANTITY = re.compile(r"^\d+(\.\d+)?$")
NAMED_FREQUENCIES = {
    "daily", "weekly", "monthly", "bimonthly", "quarterly", "fourmonthly", "semiannual",
    "annual",
}  # fmt: skip
UNITS = {"day", "week", "month", "year"}
CONTRACT_STATUSES = {"draft", "active", "suspended", "closed"}
ORDER_STATUSES = {"draft", "in_progress", "shipped", "completed", "cancelled"}


@pytest.fixture(scope="module")
def data() -> dict:
    with DEMO.open(encoding="utf-8") as handle:
        return json.load(handle)


@pytest.fixture(scope="module")
def reference(data: dict) -> dt.date:
    return dt.date.fromisoformat(data["reference_date"])


def date_or_none(value: str | None) -> dt.date | None:
    return None if value is None else dt.date.fromisoformat(value)


def months_before(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 - months
    return dt.date(index // 12, index % 12 + 1, 1)


# --- check digits, implemented here independently of the generator ----------------------


def partita_iva_ok(digits: str) -> bool:
    if not re.fullmatch(r"\d{11}", digits):
        return False
    total = 0
    for position, char in enumerate(digits[:10]):
        value = int(char)
        if position % 2:  # 2nd, 4th, ... digit: doubled, minus 9 above 9
            value = value * 2 - 9 if value * 2 > 9 else value * 2
        total += value
    return (10 - total % 10) % 10 == int(digits[10])


# value of a character in an odd position (codice fiscale check letter, IBAN CIN)
ODD_VALUES = [1, 0, 5, 7, 9, 13, 15, 17, 19, 21] * 2 + [
    2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23,
]  # fmt: skip
ODD = dict(zip("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ", ODD_VALUES, strict=True))


def odd_even_letter(text: str) -> str:
    total = sum(
        ODD[c] if i % 2 == 0 else (int(c) if c.isdigit() else ord(c) - 65)
        for i, c in enumerate(text)
    )
    return chr(65 + total % 26)


def codice_fiscale_ok(code: str) -> bool:
    pattern = r"[A-Z]{6}\d{2}[ABCDEHLMPRST]\d{2}[A-Z]\d{3}[A-Z]"
    return bool(re.fullmatch(pattern, code)) and odd_even_letter(code[:15]) == code[15]


def iban_mod97_ok(iban: str) -> bool:
    rearranged = iban[4:] + iban[:4]
    return int("".join(str(int(c, 36)) for c in rearranged)) % 97 == 1


def italian_cin_ok(iban: str) -> bool:
    cin, rest = iban[4], iban[5:]
    return odd_even_letter(rest) == cin


def test_check_digit_helpers_on_known_values() -> None:
    assert partita_iva_ok("00860340157")
    assert not partita_iva_ok("00860340158")
    assert codice_fiscale_ok("RSSMRA85T10A562S")
    assert iban_mod97_ok("IT60X0542811101000000123456")
    assert italian_cin_ok("IT60X0542811101000000123456")
    assert not iban_mod97_ok("IT61X0542811101000000123456")


# --- the file ---------------------------------------------------------------------------


def test_top_level(data: dict, reference: dt.date) -> None:
    assert set(data) == {"reference_date", "company", "series", "customers", "articles",
                         "contracts",
                         "orders", "index_series", "revenue_figures",
                         "payment_habits", "mandates"}  # fmt: skip
    assert reference == dt.date(2026, 1, 15)
    from tui_billing.domain.parsing import Reader
    from tui_billing.domain.parties import missing_for_issue, read_company

    assert missing_for_issue(read_company(Reader(data["company"], "company"))) == []
    assert [s["code"] for s in data["series"]] == ["A", "B", "P", "M"]
    for series in data["series"]:
        assert series["description"] and "{seq" in series["format"]


def test_sizes(data: dict) -> None:
    assert 35 <= len(data["customers"]) <= 45
    assert 12 <= len(data["articles"]) <= 24
    assert 110 <= len(data["contracts"]) <= 140
    assert 8 <= len(data["orders"]) <= 12


@pytest.mark.parametrize("section", ["customers", "articles", "contracts", "orders"])
def test_codes_unique(data: dict, section: str) -> None:
    codes = [record["code"] for record in data[section]]
    assert len(codes) == len(set(codes)), Counter(codes).most_common(3)


def test_code_patterns(data: dict) -> None:
    assert all(re.fullmatch(r"C\d{3}", c["code"]) for c in data["customers"])
    assert all(re.fullmatch(r"K-\d{4}", c["code"]) for c in data["contracts"])
    assert all(re.fullmatch(r"O-\d{3}", o["code"]) for o in data["orders"])


def test_vat_numbers_have_valid_check_digit(data: dict) -> None:
    for customer in data["customers"]:
        vat = customer["vat_number"]
        assert vat.startswith("IT") and partita_iva_ok(vat[2:]), (customer["code"], vat)
    vats = [c["vat_number"] for c in data["customers"]]
    assert len(vats) == len(set(vats))


def test_tax_codes(data: dict) -> None:
    people = 0
    for customer in data["customers"]:
        tax_code = customer["tax_code"]
        if len(tax_code) == 16:
            people += 1
            assert codice_fiscale_ok(tax_code), (customer["code"], tax_code)
        else:
            assert tax_code == customer["vat_number"][2:], customer["code"]
    assert 1 <= people <= 8


def test_ibans(data: dict) -> None:
    for customer in data["customers"]:
        iban = customer["iban"]
        assert re.fullmatch(r"IT\d{2}[A-Z]\d{10}[0-9A-Z]{12}", iban), iban
        assert iban_mod97_ok(iban), (customer["code"], iban)
        assert italian_cin_ok(iban), (customer["code"], iban)


def test_customer_fields(data: dict) -> None:
    customers = data["customers"]
    for customer in customers:
        assert re.search(r"\b\d{5} .+ \([A-Z]{2}\)$", customer["address"]), customer["address"]
        assert re.fullmatch(r"[a-z.]+@[a-z0-9-]+\.example", customer["email"])
        assert customer["payment_terms_days"] in {0, 30, 60, 90}
        assert customer["payment_method"] in {"bank_transfer", "sepa_direct_debit", "riba"}
        assert isinstance(customer["collective_billing"], bool)
    assert {c["payment_method"] for c in customers} == {
        "bank_transfer", "sepa_direct_debit", "riba",
    }  # fmt: skip
    assert {c["payment_terms_days"] for c in customers} == {0, 30, 60, 90}
    collective = sum(c["collective_billing"] for c in customers)
    assert 0.1 <= collective / len(customers) <= 0.3


def test_articles(data: dict) -> None:
    articles = data["articles"]
    for article in articles:
        assert MONEY.match(article["price"]), article["code"]
        assert MONEY.match(article["purchase_price"]), article["code"]
        assert article["kind"] in {"service", "goods"}
        assert isinstance(article["recurring"], bool)
        assert article["name"] and article["description"] and article["unit"]
    rates = Counter(a["vat_rate"] for a in articles)
    assert set(rates) == {"22.00", "10.00", "4.00", "0.00"}  # 0%: with a VAT nature
    assert all(a["vat_nature"] for a in articles if a["vat_rate"] == "0.00")
    assert rates["4.00"] == 1 and rates["22.00"] > rates["10.00"]
    assert {a["kind"] for a in articles} == {"service", "goods"}
    assert {a["recurring"] for a in articles} == {True, False}


def test_references_resolve(data: dict) -> None:
    customers = {c["code"] for c in data["customers"]}
    articles = {a["code"] for a in data["articles"]}
    series = {s["code"] for s in data["series"]}
    for contract in data["contracts"]:
        assert contract["customer"] in customers, contract["code"]
        assert contract["series"] in series, contract["code"]
        for line in contract["lines"]:
            assert line["article"] in articles, contract["code"]
    for order in data["orders"]:
        assert order["customer"] in customers, order["code"]
        for line in order["lines"]:
            assert line["article"] in articles, order["code"]
    # every customer has a contract, but the archived one (a former customer)
    archived = {c["code"] for c in data["customers"] if c.get("archived")}
    assert len(archived) == 1
    assert {c["customer"] for c in data["contracts"]} == customers - archived
    assert not archived & {o["customer"] for o in data["orders"]}


def frequency_key(frequency: str | dict) -> str:
    if isinstance(frequency, dict):
        assert set(frequency) == {"every", "unit"}
        assert isinstance(frequency["every"], int) and frequency["every"] >= 1
        assert frequency["unit"] in UNITS
        return "every-" + frequency["unit"]
    assert frequency in NAMED_FREQUENCIES, frequency
    return frequency


def test_every_option_is_used(data: dict) -> None:
    contracts = data["contracts"]
    frequencies = {frequency_key(c["frequency"]) for c in contracts}
    line_frequencies = {
        frequency_key(ln["frequency"]) for c in contracts for ln in c["lines"] if ln["frequency"]
    }
    assert frequencies >= NAMED_FREQUENCIES
    assert frequencies >= {"every-" + unit for unit in UNITS}
    assert line_frequencies, "no line overrides the contract's frequency"

    def used(key: str) -> set:
        return {c[key] for c in contracts}

    assert used("alignment") == {"start", "month_end", "calendar"}
    assert used("timing") == {"advance", "arrears"}
    assert used("status") == CONTRACT_STATUSES
    assert used("line_display") == {"single", "per_period"}
    assert used("document_type") == {"invoice", "proforma"}
    assert used("series") == {"A", "B", "P", "M"}
    # pro-formas are numbered apart from the invoices, and only they use series P
    for contract in data["contracts"]:
        assert (contract["document_type"] == "proforma") == (contract["series"] == "P"), contract[
            "code"
        ]
    for flag in ("year_end_cut", "prorate", "one_off_with_first"):
        assert used(flag) == {True, False}, flag
    assert any(c["invoice_offset_days"] > 0 for c in contracts)
    assert all(isinstance(c["invoice_offset_days"], int) for c in contracts)

    statuses = Counter(c["status"] for c in contracts)
    assert statuses["active"] > len(contracts) / 2

    lines = [ln for c in contracts for ln in c["lines"]]
    assert {ln["recurring"] for ln in lines} == {True, False}
    assert any(ln["valid_to"] for ln in lines)
    assert any(ln["valid_from"] and ln["recurring"] for ln in lines)
    assert any(ln["price_period"] not in (None, c["frequency"])
               for c in contracts for ln in c["lines"])  # fmt: skip
    assert {int(c["start_date"][8:]) for c in contracts} & {29, 30, 31}


def test_amounts_are_decimal_strings(data: dict) -> None:
    for contract in data["contracts"]:
        assert 1 <= len(contract["lines"]) <= 4, contract["code"]
        for index, line in enumerate(contract["lines"]):
            where = f"{contract['code']}.lines[{index}]"
            assert isinstance(line["unit_price"], str) and MONEY.match(line["unit_price"]), where
            assert isinstance(line["quantity"], str) and QUANTITY.match(line["quantity"]), where
            assert MONEY.match(line["vat_rate"]), where
            if line["price_period"] is not None:
                frequency_key(line["price_period"])
    for order in data["orders"]:
        assert 1 <= len(order["lines"]) <= 5, order["code"]
        for line in order["lines"]:
            assert MONEY.match(line["unit_price"]) and QUANTITY.match(line["quantity"])
            assert MONEY.match(line["vat_rate"])


def test_contract_dates(data: dict, reference: dt.date) -> None:
    earliest = months_before(reference, 31)
    ends_after = 0
    for contract in data["contracts"]:
        code = contract["code"]
        start = dt.date.fromisoformat(contract["start_date"])
        end = date_or_none(contract["end_date"])
        assert earliest <= start < reference, code
        if end is not None:
            assert end >= start, code
            ends_after += end > reference
        if contract["status"] == "closed":
            assert end is not None and end < reference, code
        for index, line in enumerate(contract["lines"]):
            valid_from = date_or_none(line["valid_from"])
            valid_to = date_or_none(line["valid_to"])
            where = f"{code}.lines[{index}]"
            if valid_from is not None:
                assert valid_from >= start, where
                assert end is None or valid_from <= end, where
            if valid_to is not None:
                assert valid_to >= (valid_from or start), where
                assert end is None or valid_to <= end, where
    assert ends_after >= 5


def test_orders(data: dict, reference: dt.date) -> None:
    orders = data["orders"]
    assert {o["status"] for o in orders} >= {"draft", "in_progress", "shipped", "completed"}
    for order in orders:
        assert order["status"] in ORDER_STATUSES
        assert dt.date.fromisoformat(order["date"]) <= reference


def test_generator_is_deterministic(tmp_path: Path) -> None:
    output = tmp_path / "demo.json"
    subprocess.run(
        [sys.executable, str(SAMPLE_DB / "generate.py"), "--output", str(output)],
        check=True,
        capture_output=True,
    )
    assert output.read_bytes() == DEMO.read_bytes(), "demo.json is stale: run the generator"


# --- contract economics and payments ------------------------------------------------------


def month_of(text: str) -> dt.date:
    return dt.date.fromisoformat(text + "-01")


def test_foi_series_crosses_the_rebase_with_its_coefficient(data: dict, reference: dt.date) -> None:
    [foi] = data["index_series"]
    assert foi["code"] == "FOI" and "approssimati" in foi["name"]
    months = [month_of(v["month"]) for v in foi["values"]]
    assert months == sorted(months) and len(set(months)) == len(months)
    # monthly, without holes, up to the month before the reference date
    assert all(
        months_before(later, 1) == earlier
        for earlier, later in zip(months, months[1:], strict=False)
    )
    assert months[-1] == months_before(reference, 1)
    bases = [v["base"] for v in foi["values"]]
    assert bases == sorted(bases) and set(bases) == {"2015", "2025"}
    assert foi["links"] == [{"old_base": "2015", "new_base": "2025", "coefficient": "1.2180"}]
    for value in foi["values"]:
        level = float(value["value"])
        assert (115 < level < 125) if value["base"] == "2015" else (99 < level < 101.5)
    # the rebase is seamless: the first value in base 2025 x coefficient is close to the
    # last in base 2015
    last_old = next(float(v["value"]) for v in reversed(foi["values"]) if v["base"] == "2015")
    first_new = next(float(v["value"]) for v in foi["values"] if v["base"] == "2025")
    assert abs(first_new * 1.218 - last_old) < 0.5


def test_economics_lines_cover_every_rule(data: dict) -> None:
    lines = [(k["code"], ln) for k in data["contracts"] for ln in k["lines"]]
    shares = sorted(ln["index"]["share"] for _, ln in lines if "index" in ln)
    assert shares == ["100", "75"]
    months = {m["month"][:7] for m in data["index_series"][0]["values"]}
    for _, ln in lines:
        if "index" in ln:
            assert ln["index"]["series"] == "FOI" and ln["index"]["base_month"] in months
            assert 1 <= ln["index"]["month"] <= 12
    steps = [s for _, ln in lines for s in ln.get("steps", [])]
    assert {"amount", "percent"} <= {k for s in steps for k in s} and len(steps) >= 2
    revenue = [(code, ln["revenue"]) for code, ln in lines if "revenue" in ln]
    assert sorted(r["minimum"] for _, r in revenue) == [False, True]
    advances = [code for code, ln in lines if "advance" in ln]
    assert len(advances) == 1
    codes_with_figures = {f["contract"] for f in data["revenue_figures"]}
    assert codes_with_figures == {code for code, _ in revenue} | set(advances)
    for figure in data["revenue_figures"]:
        assert MONEY.match(figure["amount"])
        assert figure["period_start"] < figure["period_end"]


def test_late_payment_terms_cost_centres_and_payment_methods(data: dict) -> None:
    contracts = data["contracts"]
    rules = Counter(k.get("late_interest") for k in contracts)
    assert rules["legal"] >= 2 and rules["fixed"] >= 2
    assert {k["late_interest_rate"] for k in contracts if k.get("late_interest") == "fixed"} <= {
        "8.00",
        "9.50",
    }
    assert {k.get("late_fee") for k in contracts if k.get("late_fee")} == {"40.00"}
    assert any(k.get("late_grace_days") for k in contracts)
    assert all(
        "late_interest_rate" not in k for k in contracts if k.get("late_interest") != "fixed"
    )
    assert len({k["cost_centre"] for k in contracts if k.get("cost_centre")}) >= 4
    assert {c["payment_method"] for c in data["customers"]} == {
        "bank_transfer",
        "sepa_direct_debit",
        "riba",
    }


def test_payment_habits_name_customers_who_owe_late_charges(data: dict) -> None:
    habits = data["payment_habits"]
    customers = {c["code"] for c in data["customers"]}
    assert set(habits) <= customers
    assert {h["habit"] for h in habits.values()} == {"late", "partial", "stopped"}
    with_terms = {k["customer"] for k in data["contracts"] if k.get("late_interest")}
    assert len(with_terms & set(habits)) >= 4


def test_mandates_cover_every_direct_debit(data: dict) -> None:
    """Every customer paying by direct debit has a mandate on its own IBAN, and so has every
    direct-debit contract of a customer that pays otherwise."""
    customers = {c["code"]: c for c in data["customers"]}
    by_customer = {m["customer"] for m in data["mandates"] if m["contract"] is None}
    by_contract = {m["contract"] for m in data["mandates"] if m["contract"]}
    for code, c in customers.items():
        assert (code in by_customer) == (c["payment_method"] == "sepa_direct_debit")
    for k in data["contracts"]:
        if k.get("payment_method") == "sepa_direct_debit":
            assert k["customer"] in by_customer or k["code"] in by_contract
    assert len({m["reference"] for m in data["mandates"]}) == len(data["mandates"])
    assert data["company"]["sia_code"] and data["company"]["creditor_id"]
