"""Keeping passwords out of what is printed or logged: URLs shown with ``***``."""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import unquote

MASK = "***"
MIN_LITERAL = 4  # shorter secrets are masked only where a URL holds them

# scheme://user:PASSWORD@ -- the password runs to the last '@' of the word, so one holding
# an unencoded '/', '?', '#' or '@' is masked whole.
_URL_PASSWORD = re.compile(
    r"(?P<head>\b[a-z][a-z0-9+.-]*://[^\s:/?#@]*:)(?P<password>\S*)@", re.IGNORECASE
)


def mask_url_passwords(text: str) -> str:
    """``text`` with the password of every URL in it replaced by ``***``."""
    return _URL_PASSWORD.sub(lambda m: f"{m.group('head')}{MASK}@", text)


def url_passwords(texts: Iterable[str]) -> set[str]:
    """The passwords written in the URLs of ``texts``, as typed and percent-decoded."""
    found: set[str] = set()
    for text in texts:
        for match in _URL_PASSWORD.finditer(text):
            password = match.group("password")
            if password:
                found.update({password, unquote(password)})
    return found


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    """``text`` with URL passwords masked and each of ``secrets`` (of at least
    ``MIN_LITERAL`` characters) replaced by ``***`` wherever it appears."""
    for secret in sorted(set(secrets), key=len, reverse=True):
        if len(secret) >= MIN_LITERAL:
            text = text.replace(secret, MASK)
    return mask_url_passwords(text)
