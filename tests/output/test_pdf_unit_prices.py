"""The PDF prints a unit price with the decimals it needs: at least 2, up to 8, no trailing
zeros beyond the cents, never in exponent form."""

from decimal import Decimal as D

import pytest

from tui_billing.output.pdf_labels import ENGLISH, ITALIAN


@pytest.mark.parametrize(
    ("value", "italian", "english"),
    [
        (D("114.00000000"), "114,00", "114.00"),
        (D("24.51612903"), "24,51612903", "24.51612903"),
        (D("24.516"), "24,516", "24.516"),
        (D("0.00000001"), "0,00000001", "0.00000001"),
        (D("1E-8"), "0,00000001", "0.00000001"),
        (D("1E+3"), "1.000,00", "1,000.00"),
        (D("-3.333"), "-3,333", "-3.333"),
    ],
)
def test_unit_prices_show_the_decimals_they_need(value, italian, english) -> None:
    assert ITALIAN.unit_price_text(value) == italian
    assert ENGLISH.unit_price_text(value) == english
