"""The domain's refusals in Italian: the same field or record path, the values as typed,
the message from the Italian catalogue; the same refusals stay English outside."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal
from typing import Any

import pytest

from tests.domain.helpers import contract, line
from tui_billing.domain.billability import NOTHING_LEFT, nothing_left, why_not_billable
from tui_billing.domain.errors import UserError
from tui_billing.domain.fatturapa_checks import InvalidEInvoice, RuleViolation
from tui_billing.domain.frequency import Frequency
from tui_billing.domain.i18n import language
from tui_billing.domain.identifiers import check_iban, check_vat_number
from tui_billing.domain.indexation import IndexPoint, IndexSeriesData
from tui_billing.domain.lifecycle import Lifecycle, RenewalPrice
from tui_billing.domain.number_formats import format_number
from tui_billing.domain.parsing import Reader
from tui_billing.domain.plans import recurrence_plan, split_plan
from tui_billing.domain.price_rules import IndexRule, PriceRules, StepRule, price_changes
from tui_billing.domain.revenue_wait import waiting_text
from tui_billing.domain.typed_input import parse_amount, parse_day


def refusal(call: Callable[[], Any]) -> UserError:
    with pytest.raises(UserError) as caught:
        call()
    return caught.value


MONTHLY = Frequency(1, "month")
START = dt.date(2026, 1, 1)

# (what is refused, its path, the Italian message, the English message)
CASES: list[tuple[Callable[[], Any], str | None, str, str]] = [
    (
        lambda: parse_day("31/02/2026", "contracts[0].start_date"),
        "contracts[0].start_date",
        "data inesistente: 31/02/2026",
        "no such date: 31/02/2026",
    ),
    (
        lambda: parse_day("domani", "invoice_date"),
        "invoice_date",
        "data non valida: 'domani' (gg/mm/aaaa)",
        "not a date: 'domani' (dd/mm/yyyy)",
    ),
    (
        lambda: parse_day("  ", "due_date"),
        "due_date",
        "data obbligatoria (gg/mm/aaaa)",
        "a date is required (dd/mm/yyyy)",
    ),
    (
        lambda: parse_amount("12,3,4", "contracts[3].lines[0].unit_price"),
        "contracts[3].lines[0].unit_price",
        "numero decimale non valido",
        "not a decimal number",
    ),
    (
        lambda: parse_amount("1,234", "amount", places=2),
        "amount",
        "ha più di 2 decimali",
        "has more than 2 decimals",
    ),
    (
        lambda: parse_amount("-5", "payments[0].amount"),
        "payments[0].amount",
        "non deve essere negativo",
        "must not be negative",
    ),
    (
        lambda: check_vat_number("IT01234567890", None, "customers[2].vat_number"),
        "customers[2].vat_number",
        "'IT01234567890' non è una partita IVA italiana valida (11 cifre con cifra di controllo)",
        "'IT01234567890' is not a valid Italian VAT number (partita IVA: 11 digits and a "
        "check digit)",
    ),
    (
        lambda: check_iban("IT60X0542811101000000123455", "customers[2].iban"),
        "customers[2].iban",
        "'IT60X0542811101000000123455' non è un IBAN valido (cifre di controllo)",
        "'IT60X0542811101000000123455' is not a valid IBAN (check digits)",
    ),
    (
        lambda: Frequency.parse("quindicinale", "contracts[0].frequency"),
        "contracts[0].frequency",
        "periodicità sconosciuta 'quindicinale'",
        "unknown frequency 'quindicinale'",
    ),
    (
        lambda: Frequency.parse({"every": 0, "unit": "month"}, "contracts[0].frequency"),
        "contracts[0].frequency.every",
        "deve essere tra 1 e 1000",
        "must be between 1 and 1000",
    ),
    (
        lambda: recurrence_plan(Decimal(100), MONTHLY, START, count=0),
        None,
        "il numero di rate deve essere tra 1 e 10000",
        "the number of installments must be between 1 and 10000",
    ),
    (
        lambda: recurrence_plan(Decimal(100), MONTHLY, START, end=dt.date(2025, 1, 1)),
        None,
        "la data di fine è precedente alla data di inizio",
        "the end date is before the start date",
    ),
    (
        lambda: split_plan(Decimal("100.005"), 2, MONTHLY, START),
        None,
        "il totale ha più di 2 decimali",
        "the total has more than 2 decimals",
    ),
    (
        lambda: Reader({"code": "C1"}, "contracts[4]").date("start_date"),
        "contracts[4].start_date",
        "campo obbligatorio",
        "is required",
    ),
    (
        lambda: Reader({"start_date": "2026-02-30"}, "contracts[4]").date("start_date"),
        "contracts[4].start_date",
        "data inesistente: '2026-02-30'",
        "not a valid date: '2026-02-30'",
    ),
    (
        lambda: format_number("{series}/{year}", "A", 2026, 1, "series[0].format"),
        "series[0].format",
        "il formato di numerazione '{series}/{year}' del sezionale 'A' non stampa {seq}",
        "number format '{series}/{year}' of series 'A' does not print {seq}",
    ),
]


def _name(case: tuple[Callable[[], Any], str | None, str, str]) -> str:
    return case[3][:40]


@pytest.mark.parametrize("case", CASES, ids=[_name(c) for c in CASES])
def test_a_refusal_comes_in_italian_naming_the_same_path(italian, case) -> None:
    call, path, italian_text, english_text = case
    error = refusal(call)
    assert error.message == italian_text
    assert error.path == path
    assert str(error) == (f"{path}: {italian_text}" if path else italian_text)
    with language("en"):
        english = refusal(call)
    assert (english.message, english.path) == (english_text, path)


def test_an_unknown_field_suggests_the_near_one_in_italian(italian) -> None:
    reader = Reader({"customer": "C1", "custmer_name": "x"}, "contracts[0]")
    reader.text("customer")
    reader.raw("customer_name", None)
    error = refusal(reader.refuse_unknown)
    assert (error.path, error.message) == (
        "contracts[0].custmer_name",
        "campo sconosciuto (forse 'customer_name'?)",
    )


def test_italian_frequency_names_are_read_in_both_languages(italian) -> None:
    assert Frequency.parse("trimestrale") == Frequency(3, "month")
    assert Frequency.parse("quarterly") == Frequency(3, "month")
    with language("en"):
        assert Frequency.parse("quadrimestrale") == Frequency(4, "month")


def test_why_a_contract_cannot_bill_reads_in_italian_with_the_status_word(italian) -> None:
    terms = replace(contract(None, None, status="suspended", customer=None), lines=())
    assert why_not_billable(terms) == [
        "il contratto non è attivo (stato: sospeso)",
        "nessun cliente",
        "nessuna riga",
        "nessuna data di inizio",
    ]
    broken = replace(line("7", "Hosting"), unit_price=None)  # type: ignore[arg-type]
    assert why_not_billable(contract("2024-01-01", "monthly", broken)) == [
        "riga 1 (Hosting): manca il prezzo unitario"
    ]
    assert nothing_left() == "niente da fatturare: ogni riga è fatturata fino alla fine"
    with language("en"):
        assert nothing_left() == NOTHING_LEFT


def test_an_invalid_e_invoice_is_refused_in_italian(italian) -> None:
    violations = [
        RuleViolation("00400", "riga 1", "AliquotaIVA 0.00 senza Natura"),
        RuleViolation("00425", "Numero", "'X' non contiene cifre"),
        RuleViolation("00403", "Data", "oggi"),
    ]
    error = InvalidEInvoice("A/2026/0001", violations)
    assert error.path == "A/2026/0001"
    assert error.message == "00400 riga 1: AliquotaIVA 0.00 senza Natura (e altre 2)"
    assert InvalidEInvoice("A/2026/0001", violations[:2]).message.endswith("(e un'altra)")


@pytest.mark.parametrize("spoken", ["it", "en"])
def test_a_typed_vocabulary_word_is_read_in_either_language(spoken) -> None:
    with language(spoken):
        typed = Reader(
            {"timing": "anticipato", "status": "Sospeso", "method": "bonifico"},
            "contracts[0]",
            typed_text=True,
        )
        assert typed.choice("timing", ("advance", "arrears")) == "advance"
        assert typed.choice("status", ("draft", "active", "suspended", "closed")) == "suspended"
        assert typed.choice("method", ("bank_transfer", "cash")) == "bank_transfer"
        english = Reader({"timing": "in arrears"}, "contracts[0]", typed_text=True)
        assert english.choice("timing", ("advance", "arrears")) == "arrears"
        # the interchange file keeps its codes: a word there is refused
        stored = Reader({"timing": "anticipato"}, "contracts[0]")
        error = refusal(lambda: stored.choice("timing", ("advance", "arrears")))
        assert error.path == "contracts[0].timing"


def test_what_a_waiting_installment_waits_for_reads_in_italian(italian) -> None:
    lines = [
        {"description": "Royalty - waiting for the revenue of 01/10/2026-31/10/2026"},
        {"description": "Royalty - in attesa del fatturato dal 01/11/2026 al 31/12/2026"},
    ]
    assert waiting_text(lines, "K-0127") == (
        "attende il dato di fatturato 2026-10 e da 2026-11 a 2026-12 del contratto K-0127"
    )


def test_a_price_change_is_explained_in_italian_with_italian_numbers(italian) -> None:
    foi = IndexSeriesData(
        "FOI",
        "",
        {
            dt.date(y, 10, 1): IndexPoint(dt.date(y, 10, 1), Decimal(v), "2015")
            for y, v in ((2023, "119.5"), (2024, "121.3"))
        },
        {},
    )
    rules = PriceRules(
        IndexRule("FOI", Decimal(75), 1, dt.date(2023, 10, 1)),
        (StepRule(dt.date(2025, 1, 1), amount=Decimal("10")),),
    )
    step, index, missing = price_changes(
        rules, Decimal("1000.00"), {"FOI": foi}, START.replace(2026)
    )
    assert step.explain() == ["dal 01/01/2025: aumento programmato 1.000,00 + 10,00 = 1.010,00"]
    assert index.explain() == [
        "dal 01/01/2025: indice FOI",
        "  indice di base 2023-10: 119,5 (base 2015=100)",
        "  nuovo indice 2024-10: 121,3 (base 2015=100)",
        "  variazione: (121,3 / 119,5 - 1) x 100 = 1,5%",
        "  quota: 75% di 1,5% = 1,125%",
        "  prezzo: 1.010,00 x (1 + 1,125%) = 1.021,36",
    ]
    assert missing.explain()[0].startswith("dal 01/01/2026: index FOI 2025-10")
    assert missing.explain()[0].endswith("; il prezzo resta 1.021,36")
    with language("en"):
        assert step.explain() == ["from 01/01/2025: step-up 1000.00 + 10.00 = 1010.00"]


def test_a_typed_yes_or_no_is_read_in_italian_too() -> None:
    typed = Reader({"a": "Sì", "b": "falso", "c": "vero", "d": "S"}, "", typed_text=True)
    assert [typed.boolean(key, False) for key in "abcd"] == [True, False, True, True]


def test_what_happens_at_the_end_of_a_term_reads_in_italian_and_stays_english_for_json(
    italian,
) -> None:
    yearly = Frequency(1, "year")
    tacit = Lifecycle(
        dt.date(2025, 1, 1),
        dt.date(2025, 12, 31),
        duration=yearly,
        renewal="tacit",
        notice_days=90,
        price=RenewalPrice(percent=Decimal("2.5")),
    )
    assert tacit.at_end_text() == (
        "si rinnova tacitamente (annuale) fino al 31/12/2026, prezzo +2,5%, salvo disdetta "
        "entro il 02/10/2025"
    )
    assert tacit.at_end() == (
        "renews by itself for annual to 31/12/2026, price +2.5%, unless cancelled by 02/10/2025"
    )
    indexed = RenewalPrice(index="FOI", share=Decimal(75))
    assert indexed.describe() == "FOI review x 75%"
    open_ended = Lifecycle(dt.date(2025, 1, 1), None)
    assert open_ended.at_end_text() == "a tempo indeterminato: si fattura fino alla disdetta"
    assert open_ended.at_end() == "open-ended: bills until cancelled"


def test_a_stored_moment_is_shown_on_the_local_clock():
    """Runs keep their times in UTC; the operator reads them on the office's clock."""
    import datetime as dt
    import os
    import time

    from tui_billing.domain import display

    before = os.environ.get("TZ")
    os.environ["TZ"] = "Europe/Rome"
    time.tzset()
    try:
        assert display.moment(dt.datetime(2026, 12, 6, 1, 30)) == "06/12/2026 02:30"
        summer = dt.datetime(2026, 7, 6, 1, 30)
        assert display.moment(summer, seconds=True) == "06/07/2026 03:30:00"
        assert display.moment(None) == ""
    finally:
        if before is None:
            del os.environ["TZ"]
        else:
            os.environ["TZ"] = before
        time.tzset()
