"""The command palette's providers: every action of the current screen (its own keys and
those of its widgets) plus navigation and the app's own, found by what they do; and the
record screens (customers...) opened from anywhere."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from typing import Any

from textual.app import App
from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.dom import DOMNode
from textual.screen import Screen
from textual.widget import Widget

from tui_billing.domain.i18n import N_, _


@dataclass(frozen=True)
class ScreenCommand:
    name: str  # what it does (the binding's tooltip, else its description)
    help: str  # key and short description
    node: DOMNode
    action: str


def _bindings(node: DOMNode) -> Iterator[Binding]:
    for bindings in node._bindings.key_to_bindings.values():
        yield from bindings


def screen_commands(screen: Screen[Any]) -> list[ScreenCommand]:
    """The commands of ``screen``: its widgets' bindings (focused chain first), the screen's,
    then the app's; one per action and node, disabled actions left out."""
    app = screen.app
    nodes: list[DOMNode] = []
    focused = screen.focused
    if focused is not None:
        nodes.extend(n for n in focused.ancestors_with_self if n is not app and n is not screen)
    nodes.extend(w for w in screen.walk_children() if w not in nodes and w._bindings)
    nodes.extend([screen, app])
    keymap = getattr(app, "_keymap", {})
    seen: set[tuple[int, str]] = set()
    commands = []
    for node in nodes:
        for binding in _bindings(node):
            key = (id(node), binding.action)
            if key in seen or binding.system or not binding.id:
                continue
            seen.add(key)
            if node.check_action(binding.action, ()) is False:
                continue
            shown = keymap.get(binding.id or "", binding.key).split(",")[0]
            key_display = app.get_key_display(binding.with_key(shown))
            commands.append(
                ScreenCommand(
                    binding.tooltip or binding.description,
                    f"{key_display} · {binding.description}"
                    if binding.description
                    else key_display,
                    node,
                    binding.action,
                )
            )
    return commands


class ScreenCommands(Provider):
    """Commands that follow the screen the palette was opened on."""

    def _commands(self) -> list[ScreenCommand]:
        return screen_commands(self.screen)

    @staticmethod
    def _run(command: ScreenCommand):
        node = command.node
        assert isinstance(node, Widget | App)  # a widget, the screen or the app
        return partial(node.run_action, command.action)

    async def discover(self) -> Hits:
        for command in self._commands():
            yield DiscoveryHit(command.name, self._run(command), help=command.help)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for command in self._commands():
            score = max(matcher.match(command.name), matcher.match(command.help) * 0.5)
            if score > 0:
                yield Hit(
                    score, matcher.highlight(command.name), self._run(command), help=command.help
                )


@dataclass(frozen=True)
class RecordScreen:
    name: str
    help: str
    path: str  # "package.module.ClassName", imported when chosen


RECORD_SCREENS: tuple[RecordScreen, ...] = (
    RecordScreen(
        N_("Customers"),
        N_("list, search, create, edit, archive customers"),
        "tui_billing.tui.screens.customers.CustomersScreen",
    ),
)


class RecordScreens(Provider):
    """Commands that open a record screen over the current one."""

    def _open(self, record: RecordScreen) -> Callable[[], None]:
        def open_screen() -> None:
            module, _dot, name = record.path.rpartition(".")
            cls = getattr(importlib.import_module(module), name)
            if not isinstance(self.app.screen, cls):
                self.app.push_screen(cls())

        return open_screen

    async def discover(self) -> Hits:
        for record in RECORD_SCREENS:
            yield DiscoveryHit(_(record.name), self._open(record), help=_(record.help))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for record in RECORD_SCREENS:
            name, help_text = _(record.name), _(record.help)
            score = max(matcher.match(name), matcher.match(help_text) * 0.5)
            if score > 0:
                yield Hit(score, matcher.highlight(name), self._open(record), help=help_text)
