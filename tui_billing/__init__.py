"""tui-billing: scheduled and recurring billing of contracts and orders, from the keyboard."""

__version__ = "0.1.0"
