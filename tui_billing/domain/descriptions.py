"""Invoice line descriptions that carry the competence period, in English and Italian."""

from __future__ import annotations

from datetime import date


def _english(start: str, end: str) -> str:
    return f" - period {start}-{end}"


def _italian(start: str, end: str) -> str:
    return f" - competenza dal {start} al {end}"


_PERIOD_TEXT = {"en": _english, "it": _italian}


def dmy(iso: str) -> str:
    """``YYYY-MM-DD`` rewritten ``DD/MM/YYYY``, as dates are written on European invoices."""
    return f"{iso[8:10]}/{iso[5:7]}/{iso[0:4]}"


def format_date(d: date) -> str:
    """``dd/mm/yyyy``, as dates are written on Italian and European invoices."""
    return dmy(d.isoformat())


def period_suffix_iso(start: str, end: str, language: str = "en") -> str:
    """:func:`period_suffix` from ISO dates (the schedule engine has them at hand)."""
    return _PERIOD_TEXT.get(language, _english)(
        f"{start[8:10]}/{start[5:7]}/{start[0:4]}", f"{end[8:10]}/{end[5:7]}/{end[0:4]}"
    )


def period_suffix(start: date, end: date, language: str = "en") -> str:
    """`` - period 01/07/2024-30/09/2024`` / `` - competenza dal 01/07/2024 al 30/09/2024``."""
    return period_suffix_iso(start.isoformat(), end.isoformat(), language)


def line_description(text: str, start: date | None, end: date | None, language: str = "en") -> str:
    """A line's description followed by its competence period (none for a one-off line)."""
    if start is None or end is None:
        return text
    return text + period_suffix(start, end, language)


__all__ = ["dmy", "format_date", "line_description", "period_suffix", "period_suffix_iso"]
