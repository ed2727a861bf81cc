"""The Italian catalogue: every message of the code has a translation, with the same
placeholders, and the compiled catalogue the program reads is the one written."""

from __future__ import annotations

import gettext
import re

import pytest

from tui_billing import locale_build
from tui_billing.domain.i18n import _, catalogue, choose_language, language, ngettext

PLACEHOLDER = re.compile(r"(?<!\{)\{([a-z_0-9]*)(?:[!:][^}]*)?\}(?!\})")


def placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))


@pytest.fixture(scope="module")
def italian_po():
    return locale_build.read(locale_build.po_path("it"))


def test_every_message_of_the_code_has_an_italian_translation(italian_po):
    known = {(m.id, m.context) for m in italian_po if m.id and m.string and all(m.string)}
    lacking = [m.id for m in locale_build.extract() if m.id and (m.id, m.context) not in known]
    assert lacking == [], f"{len(lacking)} messages have no Italian translation: {lacking[:20]}"


def test_translations_keep_the_placeholders_of_their_message(italian_po):
    wrong = []
    for message in italian_po:
        if not message.id or not message.string:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = set().union(*(placeholders(i) for i in ids))
        for string in strings:
            if placeholders(string) - wanted or (len(ids) == 1 and placeholders(string) != wanted):
                wrong.append((message.id, string))
    assert wrong == []


def test_the_compiled_catalogue_is_the_written_one(italian_po):
    with locale_build.mo_path("it").open("rb") as file:
        compiled = gettext.GNUTranslations(file)
    for message in italian_po:
        if not message.id or message.pluralizable or message.context:
            continue
        assert compiled.gettext(message.id) == message.string, message.id
    # a plural message is one entry per form (two in Italian), the header one more
    assert len(compiled._catalog) - 1 == sum(2 if m.pluralizable else 1 for m in italian_po if m.id)


def test_english_is_the_code_s_own_text_and_italian_comes_from_the_catalogue():
    with language("en"):
        assert _("no such message in any catalogue") == "no such message in any catalogue"
        assert ngettext("{n} invoice", "{n} invoices", 2) == "{n} invoices"
    assert isinstance(catalogue("it"), gettext.GNUTranslations)


@pytest.mark.parametrize(
    ("setting", "environ", "chosen"),
    [
        ("it", {"TUI_BILLING_LANG": "en", "LANG": "en_US.UTF-8"}, "it"),
        ("", {"TUI_BILLING_LANG": "it", "LANG": "en_US.UTF-8"}, "it"),
        ("", {"LANG": "it_IT.UTF-8"}, "it"),
        ("", {"LC_ALL": "en_GB.UTF-8", "LANG": "it_IT.UTF-8"}, "en"),
        ("", {"LC_MESSAGES": "it_CH", "LANG": "en_US"}, "it"),
        ("", {"LANG": "fr_FR.UTF-8"}, "en"),
        ("", {"LANG": "C.UTF-8"}, "en"),
        ("", {}, "en"),
    ],
)
def test_the_language_comes_from_the_setting_then_the_variable_then_the_locale(
    setting, environ, chosen
):
    assert choose_language(setting, environ) == chosen


def test_a_language_the_program_does_not_speak_is_refused_by_name():
    from tui_billing.domain.errors import UserError

    with pytest.raises(UserError, match=r"\[ui\]\.language"):
        choose_language("fr", {})
    with pytest.raises(UserError, match="TUI_BILLING_LANG"):
        choose_language("", {"TUI_BILLING_LANG": "de"})
