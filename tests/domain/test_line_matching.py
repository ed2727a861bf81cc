"""Pairing a file's lines with the stored ones: identical first, then the same service,
then by position among what is left."""

from __future__ import annotations

from tui_billing.domain.line_matching import LineKeys, pair_lines


def line(service: str, price: str = "50", *extra_keys) -> LineKeys:
    return LineKeys(((service, price), *extra_keys), service)


def test_an_identical_line_keeps_its_row_wherever_it_moved():
    stored = [line("A"), line("B"), line("C")]
    assert pair_lines(stored, [line("A"), line("C")]) == [0, 2]
    assert pair_lines(stored, [line("C"), line("B"), line("A")]) == [2, 1, 0]


def test_an_edited_line_keeps_the_row_of_its_service():
    stored = [line("A"), line("B"), line("C")]
    assert pair_lines(stored, [line("C", "70"), line("A")]) == [2, 0]


def test_identical_lines_win_over_lines_of_the_same_service():
    stored = [line("A", "10"), line("A", "20")]
    assert pair_lines(stored, [line("A", "30"), line("A", "20")]) == [0, 1]
    assert pair_lines(stored, [line("A", "20"), line("A", "30")]) == [1, 0]


def test_the_rest_pair_by_position_among_what_is_left_and_new_lines_have_none():
    stored = [line("A"), line("B"), line("C")]
    assert pair_lines(stored, [line("X"), line("C"), line("Y"), line("Z")]) == [0, 2, 1, None]
    assert pair_lines([], [line("A")]) == [None]
    assert pair_lines(stored, []) == []


def test_twin_lines_pair_in_order():
    stored = [line("A"), line("A"), line("A")]
    assert pair_lines(stored, [line("A"), line("A")]) == [0, 1]


def test_a_stored_line_answers_to_each_of_its_keys():
    """A locked stored line is identical to a wanted line that says locked, or says
    nothing; a wanted line saying unlocked takes the unlocked twin."""
    locked = LineKeys((("A", True), ("A", None)), "A")
    unlocked = LineKeys((("A", False), ("A", None)), "A")
    says = {flag: LineKeys((("A", flag),), "A") for flag in (True, False, None)}
    assert pair_lines([locked, unlocked], [says[False], says[True]]) == [1, 0]
    assert pair_lines([locked, unlocked], [says[None], says[None]]) == [0, 1]
