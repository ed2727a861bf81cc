"""Fuzzed input on the entry paths (interchange JSON, customer and contract spreadsheets,
payment files), a CI-sized run: no traceback, exit status 0 or 2 only, nothing changed by a
refusal, and every accepted document exports, re-imports into a fresh database and exports
the same. bench/bench_fuzz_input.py runs 10,000 documents."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings

from tests.support.fuzz_input import (
    Checker,
    bent_documents,
    new_checker,
    payment_files,
    spreadsheets,
)

FUZZ = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@pytest.fixture(scope="module")
def checker() -> Checker:
    return new_checker()


@pytest.fixture(scope="module")
def payments_checker() -> Checker:
    found = new_checker()
    found.setup_payments()
    return found


@FUZZ
@given(text=bent_documents())
def test_interchange_documents(checker, text):
    checker.feed("json", "doc.json", text, "import")
    assert not checker.problems, checker.problems


@FUZZ
@given(sheet=spreadsheets())
def test_spreadsheets(checker, sheet):
    kind, text = sheet
    checker.feed(f"csv {kind}", f"{kind}.csv", text, "import-csv", kind)
    assert not checker.problems, checker.problems


@FUZZ
@given(file=payment_files())
def test_payment_files(payments_checker, file):
    name, text = file
    payments_checker.feed("payments", name, text, "payments", "import")
    assert not payments_checker.problems, payments_checker.problems


def test_the_fuzzing_reaches_both_outcomes(checker, payments_checker):
    """Both acceptance and refusal were exercised (the generators are not all junk)."""
    seen = checker.outcomes + payments_checker.outcomes
    assert seen["json exit 0"] and seen["json exit 2"], seen
    assert seen["payments exit 0"] and seen["payments exit 2"], seen
