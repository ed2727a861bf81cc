"""The listing layout of the command line: what shrinks, what is left out, what never is."""

from __future__ import annotations

import io

from rich.console import Console

from tui_billing.cli.tables import Col, Listing, day, money, plural, print_listing, span


def printed(listing: Listing, width: int, **kwargs: str) -> str:
    console = Console(file=io.StringIO(), width=width, color_system=None, soft_wrap=True)
    print_listing(
        console, listing, empty=kwargs.get("empty", "nothing"), summary=kwargs.get("summary", "")
    )
    return console.file.getvalue()


def sample() -> Listing:
    listing = Listing(
        "Sample",
        (
            Col("Code"),
            Col("Name", "text"),
            Col("Period", "date", drop=1),
            Col("Note", drop=2),
            Col("Amount", "money"),
        ),
    )
    listing.add(
        "K-2025-000123",
        "Termoidraulica Bianchi Mario & Figli S.n.c.",
        span("2025-01-01", "2025-03-31"),
        "",
        money("1234567.89"),
    )
    listing.add("K-7", "Rossi", span("2025-04-01", "2025-06-30"), "", money("-5"))
    return listing


def test_wide_console_shows_everything_but_empty_columns_that_do_not_fit():
    out = printed(sample(), 120)
    assert "Termoidraulica Bianchi Mario & Figli S.n.c." in out
    assert "01/01/2025-31/03/2025" in out and "1,234,567.89" in out and "-5.00" in out
    assert "Note" in out  # it fits, so it stays, empty or not
    assert all(line == line.rstrip() for line in out.splitlines())


def test_narrow_console_shrinks_text_then_leaves_out_columns():
    out = printed(sample(), 64)
    lines = out.splitlines()
    assert max(map(len, lines)) <= 64
    assert "K-2025-000123" in out and "01/01/2025-31/03/2025" in out and "1,234,567.89" in out
    assert "Termoidraul…" in out and "Note" not in out
    assert "not shown" not in out  # an empty column goes silently

    out = printed(sample(), 40)
    assert max(map(len, out.splitlines())) <= 40
    assert "Period" not in out.splitlines()[1] and "01/01/2025" not in out
    assert "(Period: not shown at 40 columns" in " ".join(out.split())
    assert "K-2025-000123" in out and "1,234,567.89" in out


def test_too_narrow_for_the_essential_columns_gives_long_lines_not_cut_codes():
    out = printed(sample(), 20)
    assert "K-2025-000123" in out and "1,234,567.89" in out
    assert max(map(len, out.splitlines()[1:4])) > 20


def test_lists_wrap_between_items_and_empty_listings_say_so():
    listing = Listing(None, (Col("Order"), Col("Invoices", "list", drop=1)))
    listing.add("O-1", "A/2025/0001 A/2025/0002 A/2025/0003")
    out = printed(listing, 20)
    assert "A/2025/0001" in out and "A/2025/0003" in out and "…" not in out
    assert printed(Listing("T", (Col("A"),)), 80, empty="No rows.") == "No rows.\n"


def test_formats():
    assert (
        money("1234.5"),
        money(None),
        day("2025-01-31"),
        plural(1, "item"),
        plural(2, "entry", "entries"),
    ) == ("1,234.50", "", "31/01/2025", "1 item", "2 entries")
