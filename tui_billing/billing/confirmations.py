"""What an action that issues, numbers, sends or deletes says before it is done: the
question naming the documents, their dates and the numbers they would take (read-only),
and, for a document dated after today, the second question explaining that it blocks
earlier dates in its series."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from peewee import Database

from tui_billing.billing.numbering import Number, preview_numbers
from tui_billing.billing.wording import _, ngettext
from tui_billing.domain.display import count as plural
from tui_billing.domain.display import day
from tui_billing.domain.display import number as number_text
from tui_billing.store.transactions import write_transaction

_TAIL = re.compile(r"^(.*?)([0-9]+)$")
T = TypeVar("T")


class _Rehearsed(Exception):
    """Ends a rehearsal's transaction, carrying what the call returned."""

    def __init__(self, result: object) -> None:
        super().__init__("rehearsal")
        self.result = result


def rehearse(db: Database, call: Callable[[], T]) -> T:
    """What ``call()`` returns, with everything it wrote rolled back (numbers included):
    how an engine operation that validates as it writes is previewed for a confirmation.
    Its refusals (UserError) are raised as they are."""
    try:
        with write_transaction(db):
            raise _Rehearsed(call())
    except _Rehearsed as done:
        return done.result  # type: ignore[return-value]


@dataclass(frozen=True, slots=True)
class Confirmation:
    """The question asked first, and the one asked after it (a future date), if any."""

    question: str
    later: str | None = None


def number_span(numbers: Sequence[Number]) -> str:
    """``A/2026/0411-0413`` for consecutive numbers of one series and year, ranges joined
    with commas otherwise."""
    ordered = sorted(numbers, key=lambda n: (n.numbering, n.year, _prefix(n.number) or "", n.seq))
    runs: list[list[Number]] = []
    for number in ordered:
        last = runs[-1][-1] if runs else None
        if (
            last is not None
            and last.year == number.year
            and last.numbering == number.numbering
            and last.seq + 1 == number.seq
            and _prefix(last.number) == _prefix(number.number)
        ):
            runs[-1].append(number)
        else:
            runs.append([number])
    parts = []
    for run in runs:
        first, end = run[0].number, run[-1].number
        if len(run) == 1:
            parts.append(first)
        elif _prefix(first) is not None and _prefix(first) == _prefix(end):
            parts.append(f"{first}-{_TAIL.match(end).group(2)}")  # type: ignore[union-attr]
        else:
            parts.append(f"{first}-{end}")
    return ", ".join(parts)


def _prefix(number: str) -> str | None:
    match = _TAIL.match(number)
    return match.group(1) if match else None


def date_span(dates: Sequence[dt.date]) -> str:
    first, end = min(dates), max(dates)
    if first == end:
        return day(first)
    return _("{first} to {last}").format(first=day(first), last=day(end))


def _dated(noun: str, count: int, dates: str) -> str:
    """``6 invoices dated 01/01/2024 to 01/03/2024`` in the language in use. ``noun`` is
    one of the documents' names (singular, English), optionally followed by a detail in
    brackets (``invoice (draft #12)``); another noun is shown as it is given."""
    base, bracket, rest = noun.partition(" (")
    detail = f" ({rest}" if bracket else ""
    values = {"count": number_text(count), "detail": detail, "dates": dates}
    if base == "invoice":
        text = ngettext(
            "{count} invoice{detail} dated {dates}", "{count} invoices{detail} dated {dates}", count
        )
    elif base == "partial invoice":
        text = ngettext(
            "{count} partial invoice{detail} dated {dates}",
            "{count} partial invoices{detail} dated {dates}",
            count,
        )
    elif base == "final invoice":
        text = ngettext(
            "{count} final invoice{detail} dated {dates}",
            "{count} final invoices{detail} dated {dates}",
            count,
        )
    elif base == "down-payment invoice":
        text = ngettext(
            "{count} down-payment invoice{detail} dated {dates}",
            "{count} down-payment invoices{detail} dated {dates}",
            count,
        )
    elif base == "installment invoice":
        text = ngettext(
            "{count} installment invoice{detail} dated {dates}",
            "{count} installment invoices{detail} dated {dates}",
            count,
        )
    elif base == "credit note":
        text = ngettext(
            "{count} credit note{detail} dated {dates}",
            "{count} credit notes{detail} dated {dates}",
            count,
        )
    elif base == "pro-forma":
        text = ngettext(
            "{count} pro-forma{detail} dated {dates}",
            "{count} pro-formas{detail} dated {dates}",
            count,
        )
    elif base == "order document":
        text = ngettext(
            "{count} order document{detail} dated {dates}",
            "{count} order documents{detail} dated {dates}",
            count,
        )
    elif base == "document":
        text = ngettext(
            "{count} document{detail} dated {dates}",
            "{count} documents{detail} dated {dates}",
            count,
        )
    else:
        return _("{documents} dated {dates}").format(documents=plural(count, noun), dates=dates)
    return text.format(**values)


def _question(verb: str | None, documents: str, numbers: str, count: int, extra: str) -> str:
    """``Issue 6 invoices dated ..., numbers A/2026/0411-0416 for ...?``"""
    if verb is not None and verb != "Issue":  # a verb of the caller's, shown as given
        text = ngettext(
            "{verb} {documents}, number {numbers}{extra}?",
            "{verb} {documents}, numbers {numbers}{extra}?",
            count,
        )
    else:
        text = ngettext(
            "Issue {documents}, number {numbers}{extra}?",
            "Issue {documents}, numbers {numbers}{extra}?",
            count,
        )
    return text.format(verb=verb, documents=documents, numbers=numbers, extra=extra)


def documents_confirmation(
    documents: Sequence[tuple[str, dt.date, str]], today: dt.date, *, noun: str, extra: str = ""
) -> Confirmation:
    """ "Issue 2 invoices dated 03/06/2024, numbers A/2024/0001-0002 for ...?" for documents
    already numbered in a rehearsal, given as (series, date, number). ``noun`` names one
    document (see :func:`_dated`); ``extra`` ends the question (the caller translates it)."""
    numbers = [n for _unused, _date, n in documents]
    spans = number_span([_parsed(n) for n in numbers])
    dated = _dated(noun, len(documents), date_span([d for _unused, d, _number in documents]))
    question = _question(None, dated, spans, len(numbers), extra)
    return Confirmation(
        question, future_warning([(s, d, "") for s, d, _number in documents], today)
    )


def _parsed(number: str) -> Number:
    match = _TAIL.match(number)
    seq = int(match.group(2)) if match else 0
    return Number(0, seq, number, "")


def future_warning(items: Sequence[tuple[str, dt.date, str]], today: dt.date) -> str | None:
    """The second question when a document to be numbered is dated after ``today``: once
    it has its number, nothing dated before it can be numbered in its series that year."""
    later = [(series, date) for series, date, _type in items if date > today]
    if not later:
        return None
    last = max(date for _series, date in later)
    series = ", ".join(sorted({s for s, _date in later}))
    count = len(later)
    return ngettext(
        "{count} document dated after today ({today}), up to {last}. "
        "Numbers must follow the dates: once numbered, series {series} cannot number "
        "any document dated before {last} in {year} (today's included). "
        "Number them anyway?",
        "{count} documents dated after today ({today}), up to {last}. "
        "Numbers must follow the dates: once numbered, series {series} cannot number "
        "any document dated before {last} in {year} (today's included). "
        "Number them anyway?",
        count,
    ).format(
        count=number_text(count), today=day(today), last=day(last), series=series, year=last.year
    )


def issue_confirmation(
    items: Sequence[tuple[str, dt.date, str]],
    today: dt.date,
    *,
    verb: str | None = None,
    noun: str = "invoice",
    extra: str = "",
) -> Confirmation:
    """ "Issue 3 invoices dated 06/12/2026, numbers A/2026/0411-0413?" for documents given
    as (series, date, document type), with the future-date question when one is due.
    ``noun`` names one document (see :func:`_dated`); ``extra`` ends the question (the
    caller translates it). Raises NumberOrderError when the dates could not be numbered."""
    numbers = preview_numbers(items)
    dated = _dated(noun, len(items), date_span([d for _series, d, _type in items]))
    question = _question(verb, dated, number_span(numbers), len(numbers), extra)
    return Confirmation(question, future_warning(items, today))


__all__ = [
    "Confirmation",
    "date_span",
    "documents_confirmation",
    "future_warning",
    "issue_confirmation",
    "number_span",
    "plural",
    "rehearse",
]
