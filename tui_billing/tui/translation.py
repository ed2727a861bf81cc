"""The words of the keys: every binding's description and tooltip in the language in use.

Textual keeps each widget class's bindings, merged with its bases', on the class. They are
written in English (marked with ``N_``) and translated here, once the language is chosen
and before the app is made: :func:`translate_bindings` recomputes every class's merged
bindings from its own ``BINDINGS`` (so it may run again after a change of language), and
from then on a class made later (a module imported when its screen first opens, a Textual
widget loaded on demand) gets its bindings translated as it is made.

Textual's own texts a person may read (its widgets' key descriptions, the command
palette's prompts and system commands) are marked here, so that the catalogue holds them.
"""

from __future__ import annotations

from dataclasses import replace

from textual.binding import Binding, BindingsMap
from textual.dom import DOMNode

from tui_billing.domain.i18n import N_, _, pgettext

TEXTUAL_MESSAGES = (
    # the command palette and the theme picker
    N_("Search for commands…"),
    N_("Search for themes…"),
    N_("Exit the command palette"),
    # Textual's system commands (BillingApp.get_system_commands)
    N_("Theme"),
    N_("Change the current theme"),
    N_("Quit"),
    N_("Quit the application as soon as possible"),
    N_("Keys"),
    N_("Hide the keys and widget help panel"),
    N_("Show help for the focused widget and a summary of available keys"),
    N_("Minimize"),
    N_("Minimize the widget and restore to normal size"),
    N_("Maximize"),
    N_("Maximize the focused widget"),
    N_("Screenshot"),
    N_("Save an SVG 'screenshot' of the current screen"),
    # the keys of a text field (Input)
    N_("Move cursor left"),
    N_("Move cursor left and select"),
    N_("Move cursor left a word"),
    N_("Move cursor left a word and select"),
    N_("Move cursor right or accept the completion suggestion"),
    N_("Move cursor right and select"),
    N_("Move cursor right a word"),
    N_("Move cursor right a word and select"),
    N_("Delete character left"),
    N_("Select all"),
    N_("Go to start"),
    N_("Go to end"),
    N_("Select line start"),
    N_("Select line end"),
    N_("Delete character right"),
    N_("Submit"),
    N_("Delete left to start of word"),
    N_("Delete all to the left"),
    N_("Delete right to start of word"),
    N_("Delete all to the right"),
    N_("Cut selected text"),
    N_("Copy selected text"),
    N_("Paste text from the clipboard"),
    # the keys of a table (DataTable) and of a screen
    N_("Select"),
    N_("Cursor up"),
    N_("Cursor down"),
    N_("Cursor right"),
    N_("Cursor left"),
    N_("Page up"),
    N_("Page down"),
    N_("Top"),
    N_("Bottom"),
    N_("Home"),
    N_("End"),
    N_("Focus Next"),
    N_("Focus Previous"),
)
"""Textual's own texts, marked for the catalogue (translated where Textual shows them)."""

CONTEXTS = {"app.goto_": "navigation", "records.": "records"}
"""Bindings whose description is translated in a context (id prefix -> context): the keys
that go to a screen are named as the navigation line names it, those of the records hub as
its list names them."""

_ENGLISH: dict[str, str] = {}
"""Binding id -> its description in English (the word a key's letter may stand for)."""


def _classes(root: type[DOMNode]) -> list[type[DOMNode]]:
    seen: list[type[DOMNode]] = []
    pending = [root]
    while pending:
        cls = pending.pop()
        for sub in cls.__subclasses__():
            if sub not in seen:
                seen.append(sub)
                pending.append(sub)
    return seen


def translated(binding: Binding) -> Binding:
    """``binding`` with its description and tooltip in the language in use."""
    if binding.id and binding.description:
        _ENGLISH.setdefault(binding.id, binding.description)
    context = next(
        (c for prefix, c in CONTEXTS.items() if (binding.id or "").startswith(prefix)), ""
    )
    description = binding.description
    if description:
        description = pgettext(context, description) if context else _(description)
    return replace(
        binding,
        description=description,
        tooltip=_(binding.tooltip) if binding.tooltip else "",
    )


def _translated_map(merged: BindingsMap) -> BindingsMap:
    return BindingsMap.from_keys(
        {key: [translated(b) for b in bindings] for key, bindings in merged.key_to_bindings.items()}
    )


_english_merge = DOMNode._merge_bindings.__func__  # type: ignore[attr-defined]


def _merge_translated(cls: type[DOMNode]) -> BindingsMap:
    """Textual's merge of a class's bindings, in the language in use."""
    return _translated_map(_english_merge(cls))


def translate_bindings() -> None:
    """Give the bindings of every widget class (Textual's own included) the words of the
    language in use, now and for the classes made from now on."""
    DOMNode._merge_bindings = classmethod(_merge_translated)  # type: ignore[method-assign,assignment]
    for cls in _classes(DOMNode):
        cls._merged_bindings = cls._merge_bindings()


def english_description(binding: Binding) -> str:
    """The description of ``binding`` as the code writes it (English), whatever the language
    in use: what the letter of a key stands for (``i``: Issue)."""
    return _ENGLISH.get(binding.id or "", binding.description)


def mnemonic(binding: Binding, key: str) -> str:
    """The English word a one-letter ``key`` of ``binding`` stands for, when the language
    in use does not say it (``i`` for Issue, described in Italian as Emetti): the first word
    of the English description with that initial; "" when the key is no letter, no word
    has it, or the description in use starts with it."""
    if len(key) != 1 or not key.isalpha():
        return ""
    english = english_description(binding)
    if not english or english == binding.description:
        return ""
    if binding.description[:1].lower() == key.lower():
        return ""
    words = [word.strip("()[],.:;") for word in english.split()]
    return next((word.lower() for word in words if word[:1].lower() == key.lower()), "")
