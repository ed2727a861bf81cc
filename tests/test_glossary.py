"""The glossary (tui_billing/docs/glossary.md) is the one source of the product's Italian
words: the vocabulary shows them, the catalogue translates the same English terms the same
way, and the README's Italian section speaks them."""

from __future__ import annotations

import re
from pathlib import Path
from typing import NamedTuple

import pytest
from babel.messages.pofile import read_po

from tui_billing.domain.i18n import DOMAIN, LOCALE_DIR, language
from tui_billing.domain.words import WORDS, word

ROOT = Path(__file__).resolve().parent.parent
GLOSSARY = ROOT / "tui_billing" / "docs" / "glossary.md"
README = ROOT / "README.md"


class Term(NamedTuple):
    code: str | None
    context: str | None
    english: str
    italian: str


def glossary() -> list[Term]:
    """The rows of the glossary's table (— means none)."""
    terms = []
    for line in GLOSSARY.read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if not line.startswith("|") or len(cells) < 4 or cells[0] in ("code", "---"):
            continue
        code, context, english, italian = cells[:4]
        terms.append(
            Term(
                None if code in ("—", "") else code,
                None if context in ("—", "") else context,
                english,
                italian,
            )
        )
    return terms


TERMS = glossary()
CODED = [t for t in TERMS if t.context]
PLAIN = [t for t in TERMS if not t.context]


def test_the_glossary_has_its_terms():
    assert len(TERMS) > 50
    assert Term(None, None, "due installments", "rate da fatturare") in TERMS
    assert Term("fourmonthly", "frequency", "four-monthly", "quadrimestrale") in TERMS


@pytest.mark.parametrize("term", CODED, ids=lambda t: f"{t.context}:{t.code}")
def test_each_code_reads_as_the_glossary_says_in_both_languages(term):
    assert term.code in WORDS[term.context], "a glossary code the vocabulary lacks"
    assert word(term.context, term.code) == term.english
    with language("it"):
        assert word(term.context, term.code) == term.italian


def test_every_vocabulary_code_is_in_the_glossary():
    listed = {(t.context, t.code) for t in CODED}
    assert {(kind, code) for kind, codes in WORDS.items() for code in codes} <= listed


def _catalogue() -> dict[str, str]:
    """English msgid (casefolded, no context, singular) -> its Italian translation."""
    path = LOCALE_DIR / "it" / "LC_MESSAGES" / f"{DOMAIN}.po"
    with path.open("rb") as file:
        catalog = read_po(file, locale="it", domain=DOMAIN)
    found = {}
    for message in catalog:
        plain = message.id and not message.context and isinstance(message.id, str)
        if plain and isinstance(message.string, str) and message.string:
            found.setdefault(message.id.casefold(), message.string)
    return found


def test_the_catalogue_translates_a_glossary_term_as_the_glossary_does():
    """Wherever an English term of the glossary is itself a message ("Customer",
    "Mandate", "Due date"), its translation is the glossary's Italian (capitalised or not)."""
    catalogue = _catalogue()
    strays = {
        term.english: catalogue[term.english.casefold()]
        for term in PLAIN
        if term.english.casefold() in catalogue
        and catalogue[term.english.casefold()].casefold() != term.italian.casefold()
    }
    assert strays == {}
    assert any(term.english.casefold() in catalogue for term in PLAIN)  # the test bites


def _per_iniziare() -> str:
    text = README.read_text(encoding="utf-8")
    match = re.search(r"^## Per iniziare\n(.*?)^## ", text, flags=re.S | re.M)
    assert match, "the README has no 'Per iniziare' section"
    return match.group(1)


def test_the_readme_starts_with_the_two_set_up_commands_then_per_iniziare():
    text = README.read_text(encoding="utf-8")
    blocks = re.findall(r"```sh\n(.*?)\n```", text, flags=re.S)
    assert blocks[0].startswith("python3 -m venv .venv && .venv/bin/pip install -q -e . ")
    assert blocks[1].startswith("python3 -m venv .venv && .venv/bin/pip install -q -e '.[test")
    assert text.index("## Set up") < text.index("## Per iniziare") < text.index("## Commands")
    section = _per_iniziare()
    assert blocks[0] in section and blocks[1] in section  # the same two commands


def test_per_iniziare_speaks_the_glossary():
    section = " ".join(_per_iniziare().split()).casefold()
    assert "(tui_billing/docs/glossary.md)" in section
    italian = {t.italian for t in TERMS}
    for term in (
        "rate da fatturare",
        "sezionale",
        "bozza",
        "emessa",
        "nota di credito",
        "elaborazione",
        "copia di cortesia",
        "fattura elettronica",
        "insoluto",
        "scadenza",
        "competenza",
        "interessi di mora",
    ):
        assert term in italian, f"{term!r} is not a glossary term"
        assert term in section, f"'Per iniziare' does not say {term!r}"
    for stray in ("rate scadute", "serie di numerazione", "fattura pro-forma"):
        assert stray not in section
