"""The line above the footer that names every screen with its key, the current one lit.

Every destination stays on the line however narrow the terminal: the labels are padded
when there is room, packed closer when not, and shortened (``2 Contr``) last."""

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
        self.watch(self.app, "current_mode", self._mode_changed, init=False)

    def _mode_changed(self, _mode: str) -> None:
        self.refresh()

    def _parts(self, *, short: bool = False) -> list[tuple[str, str, str]]:
        """(mode, key shown, label) of each destination, keys as remapped."""
        app = self.app
        keymap = getattr(app, "_keymap", {})
        parts = []
        for destination in DESTINATIONS:
            key = keymap.get(destination.binding_id, destination.key).split(",")[0]
            label = (destination.short or destination.label) if short else destination.label
            parts.append((destination.mode, app.get_key_display(Binding(key, "")), label))
        return parts

    def _layout(self, width: int) -> list[tuple[str, str, str, str]]:
        """(mode, gap before, key text, label text) of each destination as shown: the
        widest form that fits ``width``, the narrowest when none does."""
        forms = []
        for short in (False, True):
            parts = self._parts(short=short)
            for pad in (" ", ""):
                forms.append(
                    [
                        (mode, " " if i else "", f"{pad}{key}", f" {label}{pad}")
                        for i, (mode, key, label) in enumerate(parts)
                    ]
                )
        for form in forms:
            if sum(len(gap + key + label) for _, gap, key, label in form) <= width:
                return form
        return forms[-1]

    def render(self) -> Text:
        current = self.app.current_mode
        text = Text(no_wrap=True, overflow="ellipsis")
        accent = self.app.current_theme.accent or "cyan"
        for mode, gap, key, label in self._layout(self.size.width):
            lit = mode == current
            text.append(gap)
            text.append(key, f"bold {accent}" if not lit else "bold reverse")
            text.append(label, "bold reverse" if lit else "")
        return text

    async def on_click(self, event: events.Click) -> None:
        position = 0
        for mode, gap, key, label in self._layout(self.size.width):
            width = len(gap + key + label)
            if position <= event.x < position + width:
                await self.app.run_action(f"goto('{mode}')")
                return
            position += width
