"""E-mail transport for invoice courtesy copies: build the message, send it over SMTP.

No database here: the outbox decides what to send and calls :func:`build_courtesy_message`
and :class:`SmtpSender`. Header values are sanitised (no CR/LF or other control characters
can reach a header), addresses are validated strictly, and every smtplib/socket/TLS failure
is turned into a :class:`MailDeliveryError` carrying a short reason.

Address headers are written from their :class:`~email.headerregistry.Address` parts and the
subject from its text, never from a re-parse of that text: the standard library's parser
decodes RFC 2047 encoded words it meets in a value (``=?utf-8?q?Mario=0D=0ABcc:...?=``),
and would write the line break they hide as a real one. Text that could be read as an
encoded word, or is not ASCII, is written as encoded words of its own; and every folded
header is checked to hold no line break that is not a continuation.

Typical use::

    settings = SmtpSettings(host="smtp.example.com", user="billing",
                            password=password_from(cfg_password, config_path=cfg_file),
                            sender="ACME S.r.l. <billing@acme.example>")
    subject, body = courtesy_subject_and_body("it", number, date, total, company, customer)
    msg = build_courtesy_message(sender=settings.sender, to=(customer, customer_email),
                                 subject=subject, body=body, pdf_bytes=pdf,
                                 pdf_filename="A-2024-0001.pdf", reply_to=settings.reply_to)
    with SmtpSender(settings) as smtp:
        smtp.send(msg)
"""

from __future__ import annotations

import base64
import datetime as _dt
import ipaddress
import os
import re
import smtplib
import socket
import ssl
import stat
import unicodedata
from dataclasses import dataclass, field
from email.charset import Charset
from email.headerregistry import Address, HeaderRegistry, UniqueAddressHeader, UnstructuredHeader
from email.message import EmailMessage
from email.policy import EmailPolicy
from email.utils import formatdate, make_msgid
from pathlib import Path
from types import TracebackType

from tui_billing.domain import display
from tui_billing.domain.errors import UserError
from tui_billing.domain.i18n import _, pgettext

SECURITY_MODES = ("starttls", "ssl", "none")
PASSWORD_ENV_VAR = "TUI_BILLING_SMTP_PASSWORD"


# --------------------------------------------------------------------------- errors


class MailAddressError(ValueError):
    """An e-mail address that is missing, malformed, multiple or contains line breaks."""


class MailHeaderError(MailAddressError):
    """A header would break into a second header line (never expected: a last guard)."""


class MailConfigError(UserError):
    """The SMTP configuration is unusable or unsafe (e.g. a world-readable password)."""


class MailDeliveryError(Exception):
    """Sending failed; ``str(err)`` is a short human-readable reason.

    ``kind`` is one of ``"connection"``, ``"timeout"``, ``"tls"``, ``"auth"``,
    ``"sender"``, ``"recipient"``, ``"message"``, ``"protocol"``; ``code`` is the SMTP
    reply code when the server gave one. ``permanent`` is True when the server refused
    *this message* with a 5xx reply (sender, recipient or content): resending it unchanged
    will fail again. Everything else (network, TLS, auth, 4xx) may succeed on a later run
    once the cause is fixed.
    """

    def __init__(self, reason: str, *, kind: str = "protocol", code: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.kind = kind
        self.code = code

    @property
    def permanent(self) -> bool:
        return (
            self.kind in ("sender", "recipient", "message")
            and self.code is not None
            and 500 <= self.code < 600
        )


# --------------------------------------------------------------------------- settings


@dataclass(frozen=True)
class SmtpSettings:
    """Where and how to send; ``security``: ``"starttls"`` (587), ``"ssl"`` (465), ``"none"``."""

    host: str
    port: int = 587
    security: str = "starttls"
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    sender: str = ""
    reply_to: str | None = None
    timeout: float = 30.0

    def __post_init__(self) -> None:
        if not isinstance(self.host, str) or not self.host.strip() or _has_control(self.host):
            raise MailConfigError(
                _("invalid SMTP host {host}").format(host=repr(self.host)), "smtp.host"
            )
        if self.security not in SECURITY_MODES:
            raise MailConfigError(
                _("invalid SMTP security {security}; use one of: {modes}").format(
                    security=repr(self.security), modes=", ".join(SECURITY_MODES)
                ),
                "smtp.security",
            )
        if (
            isinstance(self.port, bool)
            or not isinstance(self.port, int)
            or not (0 < self.port < 65536)
        ):
            raise MailConfigError(
                _("invalid SMTP port {port}").format(port=repr(self.port)), "smtp.port"
            )
        if (
            isinstance(self.timeout, bool)
            or not isinstance(self.timeout, int | float)
            or not (self.timeout > 0)
        ):
            raise MailConfigError(
                _("invalid SMTP timeout {timeout}").format(timeout=repr(self.timeout)),
                "smtp.timeout",
            )
        if self.user is not None and _has_control(self.user):
            raise MailConfigError(_("SMTP user contains control characters"), "smtp.user")


def password_from(
    settings_password: str | None,
    env_var: str = PASSWORD_ENV_VAR,
    config_path: Path | None = None,
) -> str | None:
    """The SMTP password to use, or None.

    The environment variable ``env_var`` wins when set and non-empty. Otherwise a password
    taken from the configuration file ``config_path`` is accepted only when that file is
    not accessible by group or others (``mode & 0o077 == 0``); else :class:`MailConfigError`.
    With ``config_path=None`` the password is taken as given (it did not come from a file).
    """
    from_env = os.environ.get(env_var)
    if from_env:
        return from_env
    if not settings_password:
        return None
    if config_path is None:
        return settings_password
    path = Path(config_path)
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        raise MailConfigError(
            _(
                "cannot check the permissions of {path} ({reason}); "
                "set {variable} instead of writing the SMTP password in the file"
            ).format(path=path, reason=exc.strerror, variable=env_var),
            "smtp.password",
        ) from None
    if os.name != "nt" and mode & 0o077:
        raise MailConfigError(
            _(
                "{path} contains the SMTP password but is readable by group/others "
                "(mode {mode}); run 'chmod 600 {path}' or remove the password "
                "from the file and set {variable} instead"
            ).format(path=path, mode=f"{stat.S_IMODE(mode):04o}", variable=env_var),
            "smtp.password",
        )
    return settings_password


# --------------------------------------------------------------------------- sanitising

# Characters that end or break a header line: C0/C1 controls, DEL, line/paragraph separators.
_BREAKING = {"Cc", "Zl", "Zp"}


def _has_control(text: str) -> bool:
    return any(unicodedata.category(ch) in _BREAKING for ch in text)


def clean_header_text(text: object) -> str:
    """One line of header-safe text: control characters and line breaks become spaces,
    runs of whitespace collapse to one space, the ends are stripped."""
    s = "" if text is None else str(text)
    s = "".join(" " if unicodedata.category(ch) in _BREAKING else ch for ch in s)
    return " ".join(s.split())


_ANGLE = re.compile(r"^(?P<name>[^<>]*)<(?P<addr>[^<>]*)>$")


def _role(role: str) -> str:
    """``role`` as a message names it (``invalid sender address``), in the language in use."""
    if role == "sender":
        return pgettext("mail address role", "sender")
    if role == "recipient":
        return pgettext("mail address role", "recipient")
    if role == "reply-to":
        return pgettext("mail address role", "reply-to")
    if role == "address":
        return pgettext("mail address role", "address")
    return role


def _bad_address(role: str, value: object, why: str) -> MailAddressError:
    return MailAddressError(
        _("invalid {role} address {value}: {why}").format(
            role=_role(role), value=repr(value), why=why
        )
    )


def parse_address(value: str | tuple[str | None, str] | Address, role: str = "address") -> Address:
    """Validate one e-mail address and return it as an :class:`Address`.

    Accepts ``"a@b.it"``, ``"Name <a@b.it>"``, ``'"Rossi, Mario" <a@b.it>'`` or a
    ``(display_name, "a@b.it")`` tuple; in the tuple form the display name is free text
    and is sanitised rather than rejected. Raises :class:`MailAddressError` naming the
    value when it is empty, holds a line break / control character, holds more than one
    address, lacks an ``@`` or is malformed.
    """
    if isinstance(value, Address):
        name, addr, shown = value.display_name, value.addr_spec, str(value)
        name = clean_header_text(name)
    elif isinstance(value, tuple) and len(value) == 2:
        name, addr = clean_header_text(value[0]), value[1]
        shown = addr
        if not isinstance(addr, str):
            raise _bad_address(role, addr, _("not a string"))
    elif isinstance(value, str):
        shown = value
        if _has_control(value):
            raise _bad_address(role, value, _("contains a line break or control character"))
        m = _ANGLE.match(value.strip())
        if m:
            name, addr = m.group("name").strip(), m.group("addr")
            if len(name) >= 2 and name[0] == name[-1] == '"':
                name = re.sub(r"\\(.)", r"\1", name[1:-1])
        elif "<" in value or ">" in value:
            raise _bad_address(role, value, _("unbalanced '<' or '>'"))
        else:
            name, addr = "", value
    else:
        raise _bad_address(role, value, _("not a string"))

    if _has_control(addr):
        raise _bad_address(role, shown, _("contains a line break or control character"))
    addr = addr.strip()
    if not addr:
        raise MailAddressError(_("missing {role} address").format(role=_role(role)))
    if any(sep in addr for sep in ",;") or len(addr.split()) > 1:
        raise _bad_address(role, shown, _("exactly one address expected"))
    if addr.count("@") != 1:
        why = _("missing '@'") if "@" not in addr else _("more than one '@'")
        raise _bad_address(role, shown, why)
    local, domain = addr.split("@")
    if not local or not domain:
        raise _bad_address(role, shown, _("empty user or domain"))
    if not local.isascii():
        raise _bad_address(role, shown, _("non-ASCII characters before '@' are not supported"))
    if not domain.isascii():
        try:
            domain = domain.encode("idna").decode("ascii")
        except UnicodeError:
            raise _bad_address(role, shown, _("bad domain")) from None
    try:
        return Address(display_name=name or "", addr_spec=f"{local}@{domain}")
    except (ValueError, IndexError) as exc:
        raise _bad_address(role, shown, str(exc)) from None


def _clean_filename(name: str) -> str:
    """A plain ASCII file name: nothing that quoting, RFC 2231 or an encoded word could
    turn into anything else (``A/2024/0001`` -> ``A-2024-0001.pdf``)."""
    s = clean_header_text(name).replace("/", "-").replace("\\", "-").strip(" .")
    s = re.sub(r"[^A-Za-z0-9._+-]", "_", s)
    if not s:
        s = "invoice"
    if not s.lower().endswith(".pdf"):
        s += ".pdf"
    return s


# --------------------------------------------------------------------------- headers

_ATOM_SPECIALS = set('()<>[]:;@\\,."')
_UTF8 = Charset("utf-8")
_EW_BYTES = 45  # UTF-8 bytes per encoded word: base64 of 45 bytes is 60, the word 72 chars


def _needs_encoding(text: str) -> bool:
    """Text that must go as encoded words: not printable ASCII, or readable as one."""
    return not (text.isascii() and text.isprintable()) or "=?" in text or "?=" in text


def _encoded_words(text: str) -> list[str]:
    """``text`` as RFC 2047 UTF-8 words of at most 75 characters, split after a space
    where there is one (decoders join adjacent words, dropping the white space between
    them; Python's address parser keeps it, so a split inside a word would show there)."""
    words, chunk = [], ""
    for ch in text:
        if len((chunk + ch).encode()) > _EW_BYTES:
            cut = chunk.rfind(" ") + 1 or len(chunk)
            words.append(_UTF8.header_encode(chunk[:cut]))
            chunk = chunk[cut:]
        chunk += ch
    if chunk:
        words.append(_UTF8.header_encode(chunk))
    return words


def _phrase_tokens(text: str) -> list[str]:
    """A display name as tokens to write: atoms, one quoted string, or encoded words."""
    if not text:
        return []
    if _needs_encoding(text):
        return _encoded_words(text)
    if _ATOM_SPECIALS.isdisjoint(text):
        return text.split()
    return ['"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"']


def _text_tokens(text: str) -> list[str]:
    """Unstructured text (a subject) as tokens to write: words, or encoded words."""
    return _encoded_words(text) if _needs_encoding(text) else text.split()


def _fold_tokens(name: str, tokens: list[str], policy: EmailPolicy) -> str:
    """``Name: tok tok`` folded between tokens before ``max_line_length``."""
    limit = policy.max_line_length or 78
    lines = [f"{name}:"]
    for token in tokens:
        if len(lines[-1]) + 1 + len(token) > limit and lines[-1] != f"{name}:":
            lines.append("")
        lines[-1] += " " + token
    return policy.linesep.join(lines) + policy.linesep


class _AddressesAsGiven(UniqueAddressHeader):
    """An address header written from its Address objects (see the module's docstring)."""

    def fold(self, *, policy: EmailPolicy) -> str:
        tokens: list[str] = []
        addresses = self.addresses
        for i, address in enumerate(addresses):
            tokens.extend(_phrase_tokens(clean_header_text(address.display_name)))
            comma = "," if i < len(addresses) - 1 else ""
            tokens.append(
                f"<{address.addr_spec}>{comma}"
                if address.display_name
                else f"{address.addr_spec}{comma}"
            )
        # name: from BaseHeader, which the registry mixes in (typeshed cannot tell)
        return _fold_tokens(self.name, tokens, policy)  # type: ignore[attr-defined]


class _TextAsGiven(UnstructuredHeader):
    """A subject kept as the text given, encoded words in it not decoded."""

    @classmethod
    def parse(cls, value: str, kwds: dict) -> None:
        value = clean_header_text(value)
        kwds["parse_tree"] = cls.value_parser(value)
        kwds["decoded"] = value

    def fold(self, *, policy: EmailPolicy) -> str:
        # name: from BaseHeader, which the registry mixes in (typeshed cannot tell)
        return _fold_tokens(self.name, _text_tokens(str(self)), policy)  # type: ignore[attr-defined]


_NEWLINE_WITHOUT_FWSP = re.compile(r"\r\n[^ \t]|\r[^ \n\t]|\n[^ \t]")


class _CheckedPolicy(EmailPolicy):
    """``policy.SMTP`` whose folded headers are checked: a line break inside a header that
    is not a continuation would start a header of its own, and is refused."""

    def fold(self, name: str, value: str) -> str:
        folded = super().fold(name, value)
        _check_folded(name, folded)
        return folded

    def fold_binary(self, name: str, value: str) -> bytes:
        folded = super().fold_binary(name, value)
        _check_folded(name, folded.decode("ascii", "replace"))
        return folded


def _check_folded(name: str, folded: str) -> None:
    if _NEWLINE_WITHOUT_FWSP.search(folded):
        raise MailHeaderError(
            _("the {name} header would break into another header line").format(name=name)
        )


def _header_registry() -> HeaderRegistry:
    registry = HeaderRegistry()
    # The registry mixes BaseHeader into these; typeshed wants them to derive from it.
    for name in ("from", "to", "reply-to"):
        registry.map_to_type(name, _AddressesAsGiven)  # type: ignore[arg-type]
    registry.map_to_type("subject", _TextAsGiven)  # type: ignore[arg-type]
    return registry


MAIL_POLICY = _CheckedPolicy(linesep="\r\n", header_factory=_header_registry())


# --------------------------------------------------------------------------- message


def build_courtesy_message(
    *,
    sender: str | tuple[str | None, str] | Address,
    to: str | tuple[str | None, str] | Address,
    subject: str,
    body: str,
    pdf_bytes: bytes,
    pdf_filename: str,
    reply_to: str | tuple[str | None, str] | Address | None = None,
    message_id: str | None = None,
) -> EmailMessage:
    """A text/plain message with the invoice PDF attached (:data:`MAIL_POLICY`: CRLF
    endings, headers written from their parts and checked).

    Addresses are validated (:class:`MailAddressError`); subject and filename are reduced to
    one line without control characters, so user-supplied text cannot add header fields.
    ``message_id`` (``<...@domain>``) keeps one Message-ID across attempts; else a new one.
    """
    from_addr = parse_address(sender, "sender")
    to_addr = parse_address(to, "recipient")
    reply_addr = parse_address(reply_to, "reply-to") if reply_to else None
    if not isinstance(pdf_bytes, bytes | bytearray | memoryview):
        raise TypeError("pdf_bytes must be bytes")

    msg = EmailMessage(policy=MAIL_POLICY)
    msg["From"] = from_addr
    msg["To"] = to_addr
    if reply_addr is not None:
        msg["Reply-To"] = reply_addr
    msg["Subject"] = clean_header_text(subject)
    msg["Date"] = formatdate(localtime=True)
    msg["Message-ID"] = (
        clean_header_text(message_id) if message_id else make_msgid(domain=from_addr.domain)
    )
    # RFC 3834: sent by a program, so auto-responders should not answer it.
    msg["Auto-Submitted"] = "auto-generated"
    text = (body or "").replace("\r\n", "\n").replace("\r", "\n")
    if not text.endswith("\n"):
        text += "\n"
    msg.set_content(text, subtype="plain", charset="utf-8")
    msg.add_attachment(
        bytes(pdf_bytes),
        maintype="application",
        subtype="pdf",
        filename=_clean_filename(pdf_filename),
    )
    return msg


@dataclass(frozen=True)
class RawMessage:
    """A message as the bytes to send and its envelope: what a worker process hands back
    (bytes travel between processes as they are; a message object would be re-parsed)."""

    sender: str
    recipients: tuple[str, ...]
    data: bytes

    @classmethod
    def of(cls, message: EmailMessage) -> RawMessage:
        """The envelope (From, To) and the bytes of a built message."""
        sender = message["From"].addresses[0].addr_spec
        recipients = tuple(a.addr_spec for a in message["To"].addresses)
        return cls(sender, recipients, message.as_bytes())


def _format_date(value: object, language: str) -> str:
    if isinstance(value, _dt.datetime):
        value = value.date()
    if isinstance(value, _dt.date):
        return display.day(value, style="it") if language == "it" else value.isoformat()
    return clean_header_text(value)


def courtesy_subject_and_body(
    language: str,
    number: str,
    date: _dt.date | str,
    total: str,
    company_name: str,
    customer_name: str,
    *,
    through_sdi: bool = False,
) -> tuple[str, str]:
    """Subject and plain-text body of a courtesy copy, in Italian (``"it"``) or English.

    ``through_sdi``: the e-invoice is sent through the Sistema di Interscambio (an
    e-invoice channel is configured), and the body says the PDF is a courtesy copy of it;
    otherwise the body says nothing of the SdI.

    ``date`` is a date (Italian ``01/07/2024``, English ISO ``2024-07-01``) or text used
    as given; ``total`` is already formatted with its currency. Every value is reduced to
    one line, so a name with line breaks cannot reshape the subject or the body.
    """
    lang = (language or "").strip().lower()
    if lang not in ("it", "en"):
        raise ValueError(f"unsupported e-mail language {language!r}; use 'it' or 'en'")
    number = clean_header_text(number)
    when = _format_date(date, lang)
    total = clean_header_text(total)
    company = clean_header_text(company_name)
    customer = clean_header_text(customer_name)

    if lang == "it":
        subject = f"Copia di cortesia fattura n. {number} del {when}"
        greeting = f"Gentile {customer}," if customer else "Gentile cliente,"
        lines = [
            greeting,
            "",
            "in allegato trasmettiamo la copia di cortesia in formato PDF della fattura "
            f"n. {number} del {when}" + (f", di importo totale {total}." if total else "."),
            "",
            *(
                [
                    "La fattura elettronica, valida ai fini fiscali, Le è trasmessa tramite il "
                    "Sistema di Interscambio (SdI); questa copia non ha valore fiscale.",
                    "",
                ]
                if through_sdi
                else []
            ),
            "Cordiali saluti,",
        ]
    else:
        subject = f"Courtesy copy of invoice no. {number} of {when}"
        greeting = f"Dear {customer}," if customer else "Dear customer,"
        lines = [
            greeting,
            "",
            f"please find attached a courtesy copy in PDF format of invoice no. {number} "
            f"of {when}" + (f", total amount {total}." if total else "."),
            "",
            *(
                [
                    "The legally valid invoice is the electronic invoice sent to you through the "
                    "Italian Exchange System (Sistema di Interscambio, SdI); this copy has no tax "
                    "value.",
                    "",
                ]
                if through_sdi
                else []
            ),
            "Kind regards,",
        ]
    if company:
        lines.append(company)
    return subject, "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- transport


def _decode(value: object) -> str:
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    return clean_header_text(value)


def _is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _translate(exc: BaseException, where: str) -> MailDeliveryError:
    """A short MailDeliveryError for any smtplib / socket / TLS exception."""
    if isinstance(exc, MailDeliveryError):
        return exc
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        parts = []
        code = None
        for rcpt, (rcode, rmsg) in exc.recipients.items():
            code = rcode if code is None else code
            parts.append(f"{rcpt} ({rcode} {_decode(rmsg)})")
        return MailDeliveryError(
            _("recipient refused: {recipients}").format(recipients="; ".join(parts)),
            kind="recipient",
            code=code,
        )
    if isinstance(exc, smtplib.SMTPSenderRefused):
        return MailDeliveryError(
            _("sender {sender} refused ({code} {reply})").format(
                sender=_decode(exc.sender), code=exc.smtp_code, reply=_decode(exc.smtp_error)
            ),
            kind="sender",
            code=exc.smtp_code,
        )
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return MailDeliveryError(
            _("authentication failed at {server} ({code} {reply})").format(
                server=where, code=exc.smtp_code, reply=_decode(exc.smtp_error)
            ),
            kind="auth",
            code=exc.smtp_code,
        )
    if isinstance(exc, smtplib.SMTPDataError):
        return MailDeliveryError(
            _("message refused ({code} {reply})").format(
                code=exc.smtp_code, reply=_decode(exc.smtp_error)
            ),
            kind="message",
            code=exc.smtp_code,
        )
    if isinstance(exc, smtplib.SMTPConnectError):
        return MailDeliveryError(
            _("connection to {server} rejected ({code} {reply})").format(
                server=where, code=exc.smtp_code, reply=_decode(exc.smtp_error)
            ),
            kind="connection",
            code=exc.smtp_code,
        )
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        if isinstance(exc.__context__, TimeoutError):  # smtplib wraps read timeouts
            return MailDeliveryError(
                _("timed out talking to {server}").format(server=where), kind="timeout"
            )
        return MailDeliveryError(
            _("{server} closed the connection").format(server=where), kind="connection"
        )
    if isinstance(exc, smtplib.SMTPResponseException):
        return MailDeliveryError(
            _("unexpected reply from {server} ({code} {reply})").format(
                server=where, code=exc.smtp_code, reply=_decode(exc.smtp_error)
            ),
            kind="protocol",
            code=exc.smtp_code,
        )
    if isinstance(exc, smtplib.SMTPNotSupportedError):
        return MailDeliveryError(f"{where}: {_decode(exc)}", kind="protocol")
    if isinstance(exc, smtplib.SMTPException):
        return MailDeliveryError(
            _("SMTP error at {server}: {reason}").format(server=where, reason=_decode(exc)),
            kind="protocol",
        )
    if isinstance(exc, ssl.SSLCertVerificationError):
        return MailDeliveryError(
            _("TLS certificate of {server} not trusted ({reason})").format(
                server=where, reason=exc.verify_message or exc.reason
            ),
            kind="tls",
        )
    if isinstance(exc, ssl.SSLError):
        return MailDeliveryError(
            _("TLS handshake with {server} failed ({reason})").format(
                server=where, reason=exc.reason or _decode(exc)
            ),
            kind="tls",
        )
    if isinstance(exc, TimeoutError):  # socket.timeout is TimeoutError
        return MailDeliveryError(
            _("timed out talking to {server}").format(server=where), kind="timeout"
        )
    if isinstance(exc, ConnectionRefusedError):
        return MailDeliveryError(
            _("connection refused by {server}").format(server=where), kind="connection"
        )
    if isinstance(exc, socket.gaierror):
        return MailDeliveryError(
            _("cannot resolve host of {server}").format(server=where), kind="connection"
        )
    if isinstance(exc, OSError):
        return MailDeliveryError(
            _("network error with {server} ({reason})").format(
                server=where, reason=exc.strerror or _decode(exc)
            ),
            kind="connection",
        )
    return MailDeliveryError(
        _("unexpected error with {server}: {reason}").format(server=where, reason=repr(exc)),
        kind="protocol",
    )


def _login(smtp: smtplib.SMTP, user: str, password: str, where: str) -> None:
    """smtplib.login, except that non-ASCII credentials go as UTF-8 AUTH PLAIN (RFC 4616);
    smtplib itself encodes them as ASCII and fails."""
    if (user + password).isascii():
        smtp.login(user, password)
        return
    mechanisms = smtp.esmtp_features.get("auth", "").upper().split()
    if "PLAIN" not in mechanisms:
        raise MailDeliveryError(
            _("{server} does not offer AUTH PLAIN, needed for a non-ASCII user or password").format(
                server=where
            ),
            kind="auth",
        )
    token = base64.b64encode(b"\0" + user.encode() + b"\0" + password.encode()).decode("ascii")
    code, reply = smtp.docmd("AUTH", "PLAIN " + token)
    if code not in (235, 503):  # 503: already authenticated
        raise smtplib.SMTPAuthenticationError(code, reply)


class SmtpSender:
    """One SMTP connection, used as a context manager; ``send()`` as often as needed.

    ``ssl_context`` defaults to ``ssl.create_default_context()`` (certificate and host name
    verified). ``security="starttls"`` never falls back to plain text: a server without
    STARTTLS is an error. Logging in over an unencrypted connection is refused unless the
    server is on the loopback interface. All failures raise :class:`MailDeliveryError`.
    """

    def __init__(
        self,
        settings: SmtpSettings,
        *,
        ssl_context: ssl.SSLContext | None = None,
        local_hostname: str | None = None,
    ) -> None:
        self.settings = settings
        self._ssl_context = ssl_context
        self._local_hostname = local_hostname
        self._smtp: smtplib.SMTP | None = None

    @property
    def where(self) -> str:
        host = self.settings.host
        return f"[{host}]:{self.settings.port}" if ":" in host else f"{host}:{self.settings.port}"

    def _context(self) -> ssl.SSLContext:
        if self._ssl_context is None:
            self._ssl_context = ssl.create_default_context()
        return self._ssl_context

    def open(self) -> SmtpSender:
        if self._smtp is not None:
            return self
        s = self.settings
        if s.user and s.security == "none" and not _is_loopback(s.host):
            raise MailConfigError(
                _(
                    "refusing to send the SMTP password to {server} without encryption; "
                    "use security 'starttls' or 'ssl'"
                ).format(server=self.where),
                "smtp.security",
            )
        smtp: smtplib.SMTP | None = None
        try:
            if s.security == "ssl":
                smtp = smtplib.SMTP_SSL(
                    s.host,
                    s.port,
                    local_hostname=self._local_hostname,
                    timeout=s.timeout,
                    context=self._context(),
                )
            else:
                smtp = smtplib.SMTP(
                    s.host, s.port, local_hostname=self._local_hostname, timeout=s.timeout
                )
            smtp.ehlo()
            if s.security == "starttls":
                if not smtp.has_extn("starttls"):
                    raise MailDeliveryError(
                        _("{server} does not offer STARTTLS (use security 'ssl' or 'none')").format(
                            server=self.where
                        ),
                        kind="tls",
                    )
                smtp.starttls(context=self._context())
                smtp.ehlo()
            if s.user:
                if not smtp.has_extn("auth"):
                    raise MailDeliveryError(
                        _("{server} does not offer SMTP AUTH but a user is configured").format(
                            server=self.where
                        ),
                        kind="auth",
                    )
                _login(smtp, s.user, s.password or "", self.where)
        except BaseException as exc:
            if smtp is not None:
                smtp.close()
            if isinstance(exc, MailDeliveryError) or not isinstance(exc, Exception):
                raise
            raise _translate(exc, self.where) from exc
        self._smtp = smtp
        return self

    def __enter__(self) -> SmtpSender:
        return self.open()

    def send(self, message: EmailMessage | RawMessage) -> None:
        """Send one message to all its To/Cc/Bcc recipients; any refused recipient is an error."""
        if self._smtp is None:
            raise RuntimeError("SmtpSender is not connected; use it as a context manager")
        try:
            if isinstance(message, RawMessage):
                refused = self._smtp.sendmail(
                    message.sender, list(message.recipients), message.data
                )
            else:
                refused = self._smtp.send_message(message)
        except Exception as exc:
            err = _translate(exc, self.where)
            if err.kind in ("connection", "timeout", "tls"):
                self.close()
            raise err from exc
        if refused:
            raise _translate(smtplib.SMTPRecipientsRefused(refused), self.where)

    def close(self) -> None:
        smtp, self._smtp = self._smtp, None
        if smtp is None:
            return
        try:
            smtp.quit()
        except (smtplib.SMTPException, OSError):
            pass
        finally:
            smtp.close()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
