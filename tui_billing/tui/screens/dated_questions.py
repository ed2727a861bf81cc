"""The words of a question about dates: a span of document dates, and the second question
asked before numbering a document dated after today."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from tui_billing.domain.display import day
from tui_billing.domain.i18n import _, ngettext


def date_span(dates: Sequence[dt.date]) -> str:
    """``06/12/2026``, or ``01/11/2026 to 06/12/2026`` for dates that differ."""
    first, last = min(dates), max(dates)
    if first == last:
        return day(first)
    return _("{first} to {last}").format(first=day(first), last=day(last))


def future_question(items: Sequence[tuple[str, dt.date]], today: dt.date) -> str | None:
    """The second question when a document to be numbered, given as (series, date), is
    dated after ``today``: once numbered, nothing dated before it can be numbered in its
    series that year."""
    later = [(series, when) for series, when in items if when > today]
    if not later:
        return None
    last = max(when for _series, when in later)
    return ngettext(
        "{count} document dated after today ({today}), up to {date}. Numbers must follow "
        "the dates: once numbered, series {series} cannot number any document dated "
        "before {date} in {year} (today's included). Number it anyway?",
        "{count} documents dated after today ({today}), up to {date}. Numbers must follow "
        "the dates: once numbered, series {series} cannot number any document dated "
        "before {date} in {year} (today's included). Number them anyway?",
        len(later),
    ).format(
        count=len(later),
        today=day(today),
        date=day(last),
        series=", ".join(sorted({series for series, _when in later})),
        year=last.year,
    )
