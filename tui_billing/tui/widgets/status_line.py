"""A one-line status that repaints without a layout pass (it changes on every keypress)."""

from __future__ import annotations

from textual.reactive import reactive
from textual.widget import Widget


class StatusLine(Widget):
    """One line of text; setting :attr:`text` repaints only this line."""

    DEFAULT_CSS = """
    StatusLine {
        height: 1;
        width: 100%;
    }
    """

    text: reactive[str] = reactive("", layout=False)

    def render(self) -> str:
        return self.text

    @property
    def content(self) -> str:
        return self.text

    def update(self, text: str) -> None:
        self.text = text
