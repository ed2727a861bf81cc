"""argparse's own words ("usage:", "options", "error:", "invalid choice"...) in the language
in use.

argparse translates them with the module-global names ``_`` and ``ngettext`` it imported
from :mod:`gettext` (the ``argparse`` domain, which no catalogue of ours fills):
:func:`speak_argparse` points those names at :mod:`tui_billing.domain.i18n`, so that the
program's catalogue translates them. :func:`_marked` lists the messages for the extractor
(the text of Python 3.11 to 3.13's argparse, kept verbatim: they are argparse's msgids).
"""

from __future__ import annotations

import argparse

from tui_billing.domain.i18n import _, ngettext


def speak_argparse() -> None:
    """From now on, argparse speaks the language in use."""
    argparse._ = _  # type: ignore[attr-defined]
    argparse.ngettext = ngettext  # type: ignore[attr-defined]


def _marked() -> None:  # pragma: no cover - never called: marks argparse's words
    _("usage: ")
    _("positional arguments")
    _("options")
    _("show this help message and exit")
    _("show program's version number and exit")
    _("argument %(argument_name)s: %(message)s")
    _("%(prog)s: error: %(message)s\n")
    _("unrecognized arguments: %s")
    _("the following arguments are required: %s")
    _("one of the arguments %s is required")
    _("not allowed with argument %s")
    _("ignored explicit argument %r")
    _("expected one argument")
    _("expected at most one argument")
    _("expected at least one argument")
    ngettext("expected %s argument", "expected %s arguments", 2)
    _("ambiguous option: %(option)s could match %(matches)s")
    _("unexpected option string: %s")
    _("invalid %(type)s value: %(value)r")
    _("invalid choice: %(value)r (choose from %(choices)s)")
    _("unknown parser %(parser_name)r (choices: %(choices)s)")
    _("can't open '%(filename)s': %(error)s")


__all__ = ["speak_argparse"]
