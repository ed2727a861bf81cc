"""A checkbox that reads the same in any terminal: ``[x]`` on, ``[ ]`` off."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Checkbox


class TickBox(Checkbox):
    """``[x] label`` / ``[ ] label``: the state is in the characters, not only the colour
    (a 256-colour terminal or a screen reader over SSH shows it)."""

    @property
    def _button(self) -> Content:
        style = self.get_visual_style("toggle--button")
        return Content.assemble("[", ("x" if self.value else " ", style), "]")
