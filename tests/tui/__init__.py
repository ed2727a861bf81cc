"""Tests of the Textual user interface."""
