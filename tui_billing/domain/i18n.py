"""The language people read: one switch for the TUI, the CLI and their messages, through the
standard gettext machinery.

Every text a person reads is written in English in the code and marked for translation:

- :func:`_` translates at once (``_("Due installments")``); text with values is a
  ``str.format`` template, translated before it is filled in
  (``_("{count} invoices issued").format(count=n)``), never an f-string;
- :func:`ngettext` chooses the singular or the plural by a number;
- :func:`pgettext` translates a short word whose meaning depends on where it stands
  (``pgettext("frequency", "monthly")``);
- :func:`N_` only marks a text (a class attribute, a module constant) that is translated
  with :func:`_` where it is shown.

The catalogues are ``tui_billing/locale/<language>/LC_MESSAGES/tui_billing.po``, compiled to
``.mo`` beside them and shipped in the package (``python -m tui_billing.locale.catalog``
extracts, merges and compiles them). The language is chosen once at start
(:func:`choose_language`): ``[ui] language`` in the configuration, else
``$TUI_BILLING_LANG``, else the locale (``LC_ALL``, ``LC_MESSAGES``, ``LANG``), else English.
It also sets the number style of :mod:`tui_billing.domain.display`. Documents (PDF, e-mail,
FatturaPA) keep their own language, chosen per customer and contract; JSON output, exit
codes, interchange fields and key-binding ids never change with it.
"""

from __future__ import annotations

import gettext
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from tui_billing.domain import display
from tui_billing.domain.errors import UserError

DOMAIN = "tui_billing"
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
LANGUAGES = ("en", "it")  # what the program speaks; English is the source text
ENV_VAR = "TUI_BILLING_LANG"
LOCALE_VARS = ("LC_ALL", "LC_MESSAGES", "LANG")

_translation: gettext.NullTranslations = gettext.NullTranslations()
_language = "en"
_catalogues: dict[str, gettext.NullTranslations] = {}


def _(message: str) -> str:
    """``message`` in the language in use."""
    return _translation.gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """The singular or plural of a message, for ``count``, in the language in use."""
    return _translation.ngettext(singular, plural, count)


def pgettext(context: str, message: str) -> str:
    """``message`` as it reads in ``context``, in the language in use."""
    return _translation.pgettext(context, message)


def N_(message: str) -> str:
    """Mark ``message`` for translation where it is shown; returns it as it is."""
    return message


def current_language() -> str:
    """The language in use: "en" or "it"."""
    return _language


def catalogue(language: str) -> gettext.NullTranslations:
    """The compiled catalogue of ``language`` (English: none, the code's own text)."""
    if language == "en":
        return gettext.NullTranslations()
    if language not in _catalogues:
        _catalogues[language] = gettext.translation(
            DOMAIN, localedir=LOCALE_DIR, languages=[language]
        )
    return _catalogues[language]


def set_language(language: str) -> None:
    """Speak ``language`` ("en" or "it") from now on, numbers included; ValueError for any
    other."""
    global _translation, _language
    if language not in LANGUAGES:
        raise ValueError(f"no language {language!r} (one of: {', '.join(LANGUAGES)})")
    _translation = catalogue(language)
    _language = language
    display.set_style(language)


@contextmanager
def language(code: str) -> Iterator[None]:
    """Speak ``code`` inside the block, then the language in use before it."""
    before = _language
    set_language(code)
    try:
        yield
    finally:
        set_language(before)


def language_of_locale(value: str) -> str | None:
    """The language of a locale name such as ``it_IT.UTF-8`` or ``en``; None when the
    program does not speak it (or for ``C`` and ``POSIX``)."""
    code = value.split(".")[0].split("@")[0].split("_")[0].split("-")[0].strip().lower()
    return code if code in LANGUAGES else None


def choose_language(setting: str | None, environ: Mapping[str, str] | None = None) -> str:
    """The language to speak: ``setting`` (``[ui] language``), else ``$TUI_BILLING_LANG``,
    else the first locale variable that is set, else English. A setting or a
    ``$TUI_BILLING_LANG`` naming a language the program does not speak is refused; a locale
    it does not speak means English."""
    env = os.environ if environ is None else environ
    if setting:
        if setting not in LANGUAGES:
            raise UserError(
                _("{setting}: must be one of {choices}, not {value}").format(
                    setting="[ui].language", choices=", ".join(LANGUAGES), value=repr(setting)
                )
            )
        return setting
    chosen = env.get(ENV_VAR, "").strip()
    if chosen:
        if chosen not in LANGUAGES:
            raise UserError(
                _("{setting}: must be one of {choices}, not {value}").format(
                    setting=f"${ENV_VAR}", choices=", ".join(LANGUAGES), value=repr(chosen)
                )
            )
        return chosen
    for name in LOCALE_VARS:
        value = env.get(name, "").strip()
        if value:
            return language_of_locale(value) or "en"
    return "en"


__all__ = [
    "DOMAIN",
    "ENV_VAR",
    "LANGUAGES",
    "LOCALE_DIR",
    "N_",
    "_",
    "catalogue",
    "choose_language",
    "current_language",
    "language",
    "language_of_locale",
    "ngettext",
    "pgettext",
    "set_language",
]
