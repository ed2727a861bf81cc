"""The ids of every key binding the TUI defines, found on its screen and widget classes
(the names the ``[keys]`` table of the configuration remaps)."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from functools import cache

from textual.binding import Binding
from textual.dom import DOMNode

import tui_billing.tui as tui_package
from tui_billing.tui.navigation import DESTINATIONS


def _bindings_of(cls: type) -> list[Binding]:
    """The bindings ``cls`` and its bases declare (class attribute ``BINDINGS``)."""
    found = []
    for klass in cls.__mro__:
        for binding in klass.__dict__.get("BINDINGS", ()):
            if isinstance(binding, Binding):
                found.append(binding)
    return found


@cache
def binding_classes() -> tuple[type[DOMNode], ...]:
    """Every screen, widget and app class of the TUI that declares bindings: each module of
    the package is imported and searched, plus the destinations installed from elsewhere."""
    modules = [tui_package.__name__]
    for info in pkgutil.walk_packages(tui_package.__path__, tui_package.__name__ + "."):
        modules.append(info.name)
    modules += [d.module for d in DESTINATIONS if d.available()]
    classes: dict[type[DOMNode], None] = {}
    for name in dict.fromkeys(modules):
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ == name and issubclass(cls, DOMNode) and "BINDINGS" in cls.__dict__:
                classes[cls] = None
    return tuple(classes)


def binding_ids() -> set[str]:
    """Every binding id of the TUI's classes."""
    return {binding.id for cls in binding_classes() for binding in _bindings_of(cls) if binding.id}
