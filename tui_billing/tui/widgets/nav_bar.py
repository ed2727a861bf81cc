"""The line above the footer that names every screen with its key, the current one lit."""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.widget import Widget

from tui_billing.tui.navigation import DESTINATIONS


class NavBar(Widget):
    """``1 Due  2 Contracts  3 Invoices ...``: click or press the key to go there."""

    DEFAULT_CSS = """
    NavBar {
        dock: bottom;
        height: 1;
        margin-bottom: 1;
        background: $panel;
        color: $text-muted;
    }
    """

    def on_mount(self) -> None:
        self.watch(self.app, "current_mode", lambda _: self.refresh(), init=False)

    def _parts(self) -> list[tuple[str, str, str]]:
        """(mode, key shown, label) of each destination, keys as remapped."""
        app = self.app
        keymap = getattr(app, "_keymap", {})
        parts = []
        for destination in DESTINATIONS:
            key = keymap.get(destination.binding_id, destination.key).split(",")[0]
            parts.append((destination.mode, app.get_key_display(Binding(key, "")),
                          destination.label))
        return parts

    def render(self) -> Text:
        current = self.app.current_mode
        text = Text(no_wrap=True, overflow="ellipsis")
        accent = self.app.current_theme.accent or "cyan"
        for i, (mode, key, label) in enumerate(self._parts()):
            if i:
                text.append(" ")
            lit = mode == current
            key_style = f"bold {accent}" if not lit else "bold reverse"
            text.append(f" {key}", key_style)
            text.append(f" {label} ", "bold reverse" if lit else "")
        return text

    def on_click(self, event: events.Click) -> None:
        x = event.x
        position = 0
        for i, (mode, key, label) in enumerate(self._parts()):
            width = len(key) + len(label) + 3 + (1 if i else 0)
            if position <= x < position + width:
                self.app.run_action(f"goto('{mode}')")
                return
            position += width
