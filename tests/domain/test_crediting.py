"""What a credit note takes off each line: whole, chosen lines, an amount in proportion."""

from __future__ import annotations

import pytest

from tui_billing.domain.crediting import CreditableLine, credit_shares
from tui_billing.domain.errors import UserError

LINES = [CreditableLine(1, 10000), CreditableLine(2, 5000, credited=2000), CreditableLine(3, 0)]


def test_whole_takes_what_is_left_of_each_line():
    assert credit_shares("A/1", LINES) == {1: 10000, 2: 3000}


def test_chosen_lines_take_their_rest():
    assert credit_shares("A/1", LINES, chosen=[2]) == {2: 3000}
    with pytest.raises(UserError, match="already wholly credited") as refused:
        credit_shares("A/1", LINES, chosen=[3])
    assert refused.value.path == "--lines"
    with pytest.raises(UserError, match="not a line of A/1: 7"):
        credit_shares("A/1", LINES, chosen=[7])


def test_an_amount_is_shared_in_proportion_to_what_is_left_to_the_cent():
    # 100.01 shared 10000 : 3000 = 76.93... : 23.07... -> largest remainder
    shares = credit_shares("A/1", LINES, amount=10001)
    assert shares == {1: 7693, 2: 2308} and sum(shares.values()) == 10001
    assert credit_shares("A/1", LINES, amount=13000) == {1: 10000, 2: 3000}
    with pytest.raises(UserError, match="130.01 is more than the 130.00 left") as refused:
        credit_shares("A/1", LINES, amount=13001)
    assert refused.value.path == "--amount"
    with pytest.raises(UserError, match="30.01 is more than the 30.00 left"):
        credit_shares("A/1", LINES, chosen=[2], amount=3001)


def test_a_negative_line_lowers_what_is_left_and_takes_no_share_of_an_amount():
    lines = [CreditableLine(1, 10000), CreditableLine(2, -4000)]  # e.g. a deduction
    assert credit_shares("F/1", lines) == {1: 10000, 2: -4000}
    assert credit_shares("F/1", lines, amount=6000) == {1: 6000}
    with pytest.raises(UserError, match="more than the 60.00 left"):
        credit_shares("F/1", lines, amount=6001)
