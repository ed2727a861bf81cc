"""The line above the footer that names every screen with its key, the current one lit.

Every destination stays on the line however narrow the terminal: the labels are padded
when there is room, packed closer when not, and shortened (``8 Coll``) last, from the
right-hand end, one at a time, until the line fits."""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.widget import Widget

from tui_billing.tui.navigation import DESTINATIONS, shown_label, typing_into


class NavBar(Widget):
    """``1 Due  2 Contracts  3 Invoices ...``: click or press the key to go there; while a
    form field has the focus, ``F1 Due  F2 Contr ...`` (digits go to the field then)."""

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

    def _parts(self, shortened: int = 0) -> list[tuple[str, str, str]]:
        """(mode, key shown, label) of each destination, keys as remapped; the last
        ``shortened`` destinations with their short labels."""
        app = self.app
        keymap = getattr(app, "_keymap", {})
        parts = []
        in_field = typing_into(app.focused)
        first_short = len(DESTINATIONS) - shortened
        for i, destination in enumerate(DESTINATIONS):
            text = keymap.get(destination.binding_id, destination.key_text)
            keys = [k.strip() for k in text.split(",") if k.strip()]
            # in a field digits are typed into it: the F-key (or Ctrl+digit) is shown instead
            usable = [k for k in keys if not (in_field and len(k) == 1)] or keys
            key = usable[0]
            label = shown_label(destination.label)
            if i >= first_short:
                label = shown_label(destination.short or destination.label, short=True)
            shown = app.get_key_display(Binding(key, ""))
            parts.append((destination.mode, shown.upper() if shown[1:].isdigit() else shown, label))
        return parts

    def _layout(self, width: int) -> list[tuple[str, str, str, str]]:
        """(mode, gap before, key text, label text) of each destination as shown: the
        widest form that fits ``width``, the narrowest when none does."""
        forms = [
            (0, " "),
            (0, ""),
            *((shortened, "") for shortened in range(1, len(DESTINATIONS) + 1)),
        ]
        shown: list[tuple[str, str, str, str]] = []
        for shortened, pad in forms:
            shown = [
                (mode, " " if i else "", f"{pad}{key}", f" {label}{pad}")
                for i, (mode, key, label) in enumerate(self._parts(shortened))
            ]
            if sum(len(gap + key + label) for _, gap, key, label in shown) <= width:
                return shown
        return shown

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
