"""How a refusal or a note of the billing layer names a vocabulary code to a person.

In Italian a code is the glossary's word (:func:`tui_billing.domain.words.word`:
``in lavorazione``, ``nota di credito``); in English the messages keep the text they have
always shown (the code itself, or the spelling given), so that what an English operator
reads, and what scripts match, does not change.
"""

from __future__ import annotations

from tui_billing.domain.i18n import _, current_language
from tui_billing.domain.words import word


def shown(kind: str, code: str, english: str | None = None) -> str:
    """``code`` of ``kind`` (status, document type...) as a message shows it."""
    if current_language() == "en":
        return code if english is None else english
    return word(kind, code)


class Said(str):
    """A text a person reads that JSON keeps in English: the string is the text in the
    language in use, :attr:`english` the English one (see :func:`english`)."""

    english: str

    def __new__(cls, english: str, shown: str | None = None) -> Said:
        text = super().__new__(cls, english if shown is None else shown)
        text.english = english
        return text


def said(template: str, **values: object) -> Said:
    """``template`` (an English message marked with ``N_``) filled with ``values``, in the
    language in use, remembering its English."""
    return Said(template.format(**values), _(template).format(**values))


def english(text: str) -> str:
    """The English of ``text`` (a :class:`Said`), or ``text`` itself: what JSON writes."""
    return getattr(text, "english", text)


__all__ = ["Said", "english", "said", "shown"]
