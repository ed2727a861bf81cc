"""All the keys of the current screen, hidden ones too, with what they do and their ids
(the names the ``[keys]`` table of the configuration remaps).

Keys are the same in every language. In a language other than English, a letter that is
the initial of the English word it stands for is followed by that word in brackets
(``i (issue)`` beside "Emetti"), so that the keys make sense in Italian too."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Static

from tui_billing.domain.i18n import N_, _
from tui_billing.tui.commands import _bindings
from tui_billing.tui.translation import mnemonic


def _display(key: str) -> str:
    """``F1`` rather than ``f1``, as the keyboards print it."""
    return key.upper() if key[:1] == "f" and key[1:].isdigit() else key


class KeysScreen(ModalScreen[None]):
    """``?``: every key of the screen below, its action and its binding id."""

    BINDINGS = [
        Binding(
            "escape,question_mark,q",
            "dismiss",
            N_("Close"),
            id="keys.close",
            tooltip=N_("Close the list of keys"),
        ),
    ]

    def __init__(self, screen: Screen[Any]) -> None:
        super().__init__()
        self.target = screen

    def compose(self) -> ComposeResult:
        with Vertical(id="keys-box"):
            yield Static(
                _("Keys of {screen}: remap them by id in the \\[keys] table of config.toml").format(
                    screen=self.target.title or self.app.title
                ),
                id="keys-title",
            )
            yield DataTable(id="keys-table", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        self.call_after_refresh(self._fill)

    def _fill(self) -> None:
        """List the keys (once the table inside the box is mounted)."""
        table = self.query_one(DataTable)
        keymap = getattr(self.app, "_keymap", {})
        nodes = [*self.target.walk_children(), self.target, self.app]
        rows: dict[str, tuple[list[str], str, str]] = {}
        words: dict[str, str] = {}  # key -> the English word its letter stands for
        for node in nodes:
            for binding in _bindings(node):
                if binding.system or not binding.id:
                    continue  # a widget's own keys (editing a field...), not the product's
                ident = binding.id or f"{type(node).__name__}.{binding.action}"
                keys, _does, _id = rows.setdefault(
                    ident, ([], binding.tooltip or binding.description, binding.id or "")
                )
                for key in (keymap.get(binding.id) or binding.key).split(","):
                    word = mnemonic(binding, key.strip())
                    if word:
                        words[f"{ident}:{key.strip()}"] = word
                if binding.id in keymap:
                    if not keys:
                        keys.extend(k.strip() for k in keymap[binding.id].split(","))
                elif binding.key not in keys:
                    keys.append(binding.key)
        # the ids are never cut (they are what [keys] needs): their column is as wide as the
        # longest; what a key does wraps in the width left
        shown_keys = {
            ident: ", ".join(self._key_text(k, words.get(f"{ident}:{k}", "")) for k in keys)
            for ident, (keys, _does, _id) in rows.items()
        }
        id_width = max((len(ident) for _keys, _does, ident in rows.values()), default=10)
        key_width = min(14, max((len(k) for k in shown_keys.values()), default=4))
        width = min(100, self.app.size.width) - 4
        does_width = max(16, width - id_width - key_width - 7)
        table.add_column(_("Key"), width=key_width)
        table.add_column(_("Does"), width=does_width)
        table.add_column(_("Id"), width=id_width)
        for ident, (_keys, does, binding_id) in rows.items():
            table.add_row(
                Text(shown_keys[ident], overflow="fold"),
                Text(does, overflow="fold"),
                binding_id,
                height=None,
            )
        table.focus()

    def _key_text(self, key: str, word: str) -> str:
        """A key as the keyboard prints it, with the English word its letter stands for."""
        shown = _display(self.app.get_key_display(Binding(key, "")))
        return f"{shown} ({word})" if word else shown

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(None)
