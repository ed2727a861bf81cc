"""Checking the ``[keys]`` table of the configuration before the TUI starts: every id must
name a binding, every key must be one a terminal can send, and no screen may end up with
one key for two bindings (the later one would never run). The first problem found is
refused with one line naming the id and the key (a UserError: the app does not start)."""

from __future__ import annotations

import difflib
import string
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from textual.app import App
from textual.binding import Binding
from textual.keys import Keys, _character_to_key
from textual.screen import ModalScreen, Screen

from tui_billing.domain.errors import UserError
from tui_billing.domain.i18n import _
from tui_billing.tui.binding_ids import _bindings_of, binding_classes, binding_ids

MODIFIERS = ("ctrl", "alt", "shift", "meta", "super", "hyper")

_NAMED = {key.value.rpartition("+")[2] for key in Keys} | {f"f{n}" for n in range(1, 25)}
_CHARACTERS = set(string.ascii_letters + string.digits + string.punctuation)
BASE_KEYS = (
    _NAMED
    | _CHARACTERS
    | {_character_to_key(c) for c in _CHARACTERS}
    | {"space", "enter", "tab", "backspace", "escape", "delete", "insert"}
)
"""The key names a binding can use without modifiers: characters (``a``, ``?`` or its name
``question_mark``) and the named keys Textual knows (``f5``, ``escape``, ``pageup``...)."""


@dataclass(frozen=True)
class _Owner:
    ident: str
    description: str


def split_keys(text: str) -> list[str]:
    """``"ctrl+b, f5"`` -> ``["ctrl+b", "f5"]``."""
    return [part.strip() for part in text.split(",")]


def key_problem(key: str) -> str | None:
    """Why ``key`` cannot be a key (None: it can)."""
    if not key:
        return _("an empty key")
    if key in _CHARACTERS:  # "+" and "," alone
        return None
    *modifiers, base = key.split("+")
    unknown = [m for m in modifiers if m.lower() not in MODIFIERS]
    if unknown:
        return _("no modifier {modifier} (one of {modifiers})").format(
            modifier=repr(unknown[0]), modifiers=", ".join(MODIFIERS)
        )
    if len(set(modifiers)) != len(modifiers):
        return _("a modifier given twice")
    if base not in BASE_KEYS and base.lower() not in BASE_KEYS:
        return _("no key named {key}").format(key=repr(base))
    return None


def normal(key: str) -> str:
    """The name a key arrives with: ``?`` -> ``question_mark``, ``Ctrl+B`` -> ``ctrl+b``."""
    *modifiers, base = key.split("+") if key not in _CHARACTERS else [key]
    if len(base) == 1 and base in _CHARACTERS and base not in string.ascii_letters:
        base = _character_to_key(base)
    elif len(base) > 1:
        base = base.lower()
    return "+".join([*(m.lower() for m in modifiers), base])


def _screen_groups() -> dict[str, list[type]]:
    """For each screen class: the classes whose bindings are active on it together (the
    screen and its bases, the widgets its module uses, and the app's for a full screen)."""
    classes = binding_classes()
    apps = [cls for cls in classes if issubclass(cls, App)]
    groups: dict[str, list[type]] = {}
    for cls in classes:
        if not issubclass(cls, Screen):
            continue
        module = sys.modules[cls.__module__]
        widgets = [
            value
            for value in vars(module).values()
            if isinstance(value, type) and value in classes and not issubclass(value, Screen | App)
        ]
        group = [cls, *widgets]
        if not issubclass(cls, ModalScreen):
            group += apps
        groups[getattr(cls, "TITLE", None) or cls.__name__] = group
    return groups


def check_keymap(keys: Mapping[str, str], where: str = "[keys]") -> None:
    """Refuse (UserError, one line) the first unknown id, impossible key or key taken twice
    on one screen of the remapping ``keys`` (binding id -> keys text)."""
    known = binding_ids()
    for ident, text in keys.items():
        if ident not in known:
            near = difflib.get_close_matches(ident, sorted(known), n=1)
            if near:
                text = _('{where} "{id}": no binding has this id (did you mean {near}?)')
            else:
                text = _('{where} "{id}": no binding has this id (? in the TUI lists the ids)')
            raise UserError(text.format(where=where, id=ident, near=repr(near[0]) if near else ""))
        for key in split_keys(text):
            problem = key_problem(key)
            if problem:
                raise UserError(
                    _('{where} "{id}" = "{keys}": {key} is not a key: {problem}').format(
                        where=where, id=ident, keys=text, key=repr(key), problem=problem
                    )
                )
    for screen, group in _screen_groups().items():
        _check_screen(screen, group, keys, where)


def _keys_of(binding: Binding, keys: Mapping[str, str]) -> Iterable[str]:
    text = keys.get(binding.id, binding.key) if binding.id else binding.key
    return (normal(k) for k in split_keys(text) if k)


def _check_screen(screen: str, group: list[type], keys: Mapping[str, str], where: str) -> None:
    owners: dict[str, _Owner] = {}
    for cls in group:
        for binding in _bindings_of(cls):
            if not binding.id:
                continue
            for key in _keys_of(binding, keys):
                other = owners.setdefault(key, _Owner(binding.id, binding.description))
                if other.ident == binding.id:
                    continue
                remapped = binding.id if binding.id in keys else other.ident
                if remapped not in keys:
                    continue  # the screens' own defaults
                taken_by = other.ident if remapped == binding.id else binding.id
                raise UserError(
                    _(
                        '{where} "{id}" = "{keys}": {key} is already the key of {other} on '
                        "the {screen} screen"
                    ).format(
                        where=where,
                        id=remapped,
                        keys=keys[remapped],
                        key=key,
                        other=repr(taken_by),
                        screen=screen,
                    )
                )


__all__ = ["BASE_KEYS", "check_keymap", "key_problem", "normal", "split_keys"]
