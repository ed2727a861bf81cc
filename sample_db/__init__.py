"""Demo data for tui-billing, in the interchange format (see README.md here)."""
