"""The stored form of installment lines: what the encoder writes, every reader reads back."""

from __future__ import annotations

import json
from dataclasses import FrozenInstanceError, dataclass
from datetime import date
from decimal import Decimal

import pytest

from tui_billing.domain.fast_construct import fast_constructor
from tui_billing.domain.installments import InstallmentLine
from tui_billing.domain.stored_lines import (
    decode_lines,
    encode_dicts,
    encode_lines,
    output_lines_text,
    without_keys,
)

LINES = [
    InstallmentLine(
        "12",
        'Canone "base" \\ città',
        date(2024, 1, 1),
        date(2024, 3, 31),
        Decimal("3"),
        Decimal("50.00"),
        Decimal("150.00"),
        Decimal("22.00"),
    ),
    InstallmentLine(
        "fee:7",
        "Spese",
        None,
        None,
        Decimal("1.5"),
        Decimal("40"),
        Decimal("60"),
        Decimal("0"),
        vat_nature="N1",
    ),
]


def test_what_is_encoded_decodes_to_the_lines() -> None:
    text = encode_lines(LINES)
    assert decode_lines(text) == [
        {
            "line": "12",
            "description": 'Canone "base" \\ città',
            "period_start": "2024-01-01",
            "period_end": "2024-03-31",
            "quantity": "3",
            "unit_price": "50.00",
            "amount": "150.00",
            "vat_rate": "22.00",
        },
        {
            "line": "fee:7",
            "description": "Spese",
            "period_start": None,
            "period_end": None,
            "quantity": "1.5",
            "unit_price": "40.00",
            "amount": "60.00",
            "vat_rate": "0.00",
            "vat_nature": "N1",
        },
    ]
    assert json.loads(text) == json.loads(encode_dicts(decode_lines(text)))


@pytest.mark.parametrize(
    "encode",
    [
        encode_lines,
        lambda lines: encode_dicts([{**li, "line": 5} for li in decode_lines(encode_lines(lines))]),
    ],
    ids=["keys", "numbers"],
)
def test_the_output_form_leaves_the_keys_out_whichever_way_it_is_read(encode) -> None:
    text = encode(LINES)
    shown = output_lines_text(text)
    assert json.loads(shown) == without_keys(decode_lines(text))
    assert '"line"' not in shown and ", " not in shown


def test_no_lines() -> None:
    assert decode_lines(None) == decode_lines("") == []
    assert output_lines_text(None) == "[]"


def test_a_fast_constructor_makes_the_frozen_class() -> None:
    make = fast_constructor(InstallmentLine)
    made = make(
        "1", "x", None, None, Decimal(1), Decimal(2), Decimal(2), Decimal(22), base_price=Decimal(2)
    )
    assert type(made) is InstallmentLine
    assert made == InstallmentLine(
        "1", "x", None, None, Decimal(1), Decimal(2), Decimal(2), Decimal(22), base_price=Decimal(2)
    )
    with pytest.raises(FrozenInstanceError):
        made.amount = Decimal(0)  # type: ignore[misc]

    @dataclass(frozen=True, slots=True)
    class Checked:
        value: int

        def __post_init__(self) -> None:
            assert self.value > 0

    assert fast_constructor(Checked) is Checked
