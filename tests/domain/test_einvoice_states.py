"""A file's e-invoice state follows from the set of SdI notifications it has received,
whatever the order they are read in."""

from __future__ import annotations

import itertools

import pytest

from tui_billing.domain.einvoice_states import file_state, progressive_text


@pytest.mark.parametrize(
    ("notes", "state"),
    [
        ([], "exported"),
        ([("RC", None)], "delivered"),
        ([("MC", None)], "not_delivered"),
        ([("AT", None)], "not_delivered"),
        ([("MC", None), ("RC", None)], "delivered"),
        ([("RC", None), ("NE", "EC01")], "accepted"),
        ([("RC", None), ("NE", "EC02")], "refused"),
        ([("RC", None), ("DT", None)], "deadline_passed"),
        ([("RC", None), ("NS", None)], "rejected"),
    ],
)
def test_state_whatever_the_order(notes, state):
    for order in itertools.permutations(notes):
        assert file_state(order) == state


def test_progressive_out_of_range_is_refused():
    with pytest.raises(ValueError):
        progressive_text(0)
    with pytest.raises(ValueError):
        progressive_text(36**5)
