"""The messages of the billing layer: in the language in use, remembering their English.

A refusal, a warning or a note is written in English and translated with :func:`_`,
:func:`ngettext` or :func:`pgettext` of this module (the standard ones of
:mod:`tui_billing.domain.i18n`, whose result also remembers the English). Filled in with
``.format``, it stays so: a :class:`Said` is the text in the language in use, and
:func:`english` gives back the English one, values included. A person reads the first; JSON,
which never changes with the language, writes the second (a run's failures and warnings, a
collection's problem).

:func:`shown` names a vocabulary code: in Italian the glossary's word
(:func:`tui_billing.domain.words.word`: ``in lavorazione``, ``nota di credito``); in English
the text the messages have always shown (the code itself, or the spelling given), so that
what an English operator reads, and what scripts match, does not change.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from tui_billing.domain import i18n
from tui_billing.domain.display import day
from tui_billing.domain.i18n import current_language
from tui_billing.domain.words import word


class Said(str):
    """A text a person reads that JSON keeps in English: the string is the text in the
    language in use, :attr:`english` the English one (see :func:`english`)."""

    english: str

    def __new__(cls, english: str, shown: str | None = None) -> Said:
        text = super().__new__(cls, english if shown is None else shown)
        text.english = english
        return text

    def format(self, *args: Any, **kwargs: Any) -> Said:
        """Filled in, in both languages (each value in its English, where it has one)."""
        return Said(
            self.english.format(
                *(english(a) for a in args), **{k: english(v) for k, v in kwargs.items()}
            ),
            str.format(self, *args, **kwargs),
        )


def _(message: str) -> Said:
    """``message`` in the language in use, remembering its English."""
    return Said(message, i18n._(message))


def ngettext(singular: str, plural: str, count: int) -> Said:
    """The singular or plural of a message for ``count``, remembering its English."""
    return Said(singular if count == 1 else plural, i18n.ngettext(singular, plural, count))


def pgettext(context: str, message: str) -> Said:
    """``message`` as it reads in ``context``, remembering its English."""
    return Said(message, i18n.pgettext(context, message))


def said(template: str, **values: object) -> Said:
    """``template`` (an English message marked with ``N_``) filled with ``values``, in the
    language in use, remembering its English."""
    return _(template).format(**values)


def english(value: Any) -> Any:
    """The English of ``value`` (a :class:`Said`, or an error whose message is one), or
    ``value`` itself: what JSON writes."""
    return getattr(value, "english", value)


def error_text(exc: BaseException) -> str:
    """An error as a run names it (``path: message``), remembering its English when its
    message does."""
    message = getattr(exc, "message", None)
    path = getattr(exc, "path", None)
    if isinstance(message, Said):
        return Said(
            f"{path}: {message.english}" if path else message.english,
            f"{path}: {message}" if path else str(message),
        )
    return str(exc)


def dated(value: dt.date) -> str:
    """A date in a message: ``2024-03-01`` as English messages have always written it,
    ``01/03/2024`` in Italian (the English is remembered for JSON)."""
    iso = value.isoformat()
    if current_language() == "en":
        return iso
    return Said(iso, day(value))


def shown(kind: str, code: str, english_text: str | None = None) -> str:
    """``code`` of ``kind`` (status, document type...) as a message shows it, remembering
    the English."""
    in_english = code if english_text is None else english_text
    if current_language() == "en":
        return in_english
    return Said(in_english, word(kind, code))


__all__ = ["Said", "dated", "english", "error_text", "ngettext", "pgettext", "said", "shown"]
