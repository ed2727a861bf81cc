"""E-mail transport against a real aiosmtpd server on 127.0.0.1 (plain, STARTTLS, SSL, AUTH)."""

from __future__ import annotations

import datetime as dt
import email
import email.header
import email.policy
import os
import re
import shutil
import socket
import ssl
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from tui_billing.output.mail import (
    MailAddressError,
    MailConfigError,
    MailDeliveryError,
    SmtpSender,
    SmtpSettings,
    build_courtesy_message,
    courtesy_subject_and_body,
    password_from,
)

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n\x00\x01\x02\xff trailer\n%%EOF\n"
SENDER = "ACME S.r.l. <billing@acme.example>"
RECIPIENT = "mario.rossi@example.com"
INJECTION = "Rossi\r\n Bcc: evil@attacker.example"


# --------------------------------------------------------------------------- server helpers


class Collector:
    """aiosmtpd handler that keeps every accepted envelope (and its session)."""

    def __init__(self, refuse_rcpt: str | None = None) -> None:
        self.refuse_rcpt = refuse_rcpt
        self.received: list[tuple[object, object]] = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.refuse_rcpt:
            return self.refuse_rcpt
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        # STARTTLS sets session.ssl; implicit TLS only shows on the transport.
        session.tls = server.transport.get_extra_info("ssl_object") is not None
        self.received.append((envelope, session))
        return "250 Message accepted for delivery"

    @property
    def envelopes(self) -> list:
        return [env for env, _ in self.received]


class EphemeralController(Controller):
    """Controller bound to port 0: learn the real port before aiosmtpd's self-test connect."""

    def _trigger_server(self) -> None:
        assert self.server is not None
        self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()


@dataclass
class Server:
    handler: Collector
    port: int


def _start(handler: Collector, **kwargs) -> EphemeralController:
    controller = EphemeralController(handler, hostname="127.0.0.1", port=0, **kwargs)
    controller.start()
    return controller


@pytest.fixture
def make_server() -> Iterator:
    controllers: list[EphemeralController] = []

    def factory(handler: Collector | None = None, **kwargs) -> Server:
        handler = handler or Collector()
        controller = _start(handler, **kwargs)
        controllers.append(controller)
        return Server(handler, controller.port)

    yield factory
    for controller in controllers:
        controller.stop()


@dataclass
class Cert:
    cert: Path
    key: Path

    def server_context(self) -> ssl.SSLContext:
        ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ctx.load_cert_chain(self.cert, self.key)
        return ctx

    def client_context(self) -> ssl.SSLContext:
        """Verifies certificate and host name like the default one, trusting only our cert."""
        return ssl.create_default_context(cafile=str(self.cert))


def _cert_with_openssl(directory: Path) -> Cert | None:
    openssl = shutil.which("openssl")
    if not openssl:
        return None
    cert, key = directory / "cert.pem", directory / "key.pem"
    result = subprocess.run(
        [openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
         "-nodes", "-keyout", str(key), "-out", str(cert), "-days", "2",
         "-subj", "/CN=localhost",
         "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"],
        capture_output=True,
        check=False,
    )  # fmt: skip
    return Cert(cert, key) if result.returncode == 0 else None


def _cert_with_cryptography(directory: Path) -> Cert | None:
    try:
        import ipaddress

        from cryptography import x509
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import ec
        from cryptography.x509.oid import NameOID
    except ImportError:
        return None
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=2))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.DNSName("localhost")]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "cert.pem", directory / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return Cert(cert_path, key_path)


@pytest.fixture(scope="session")
def self_signed(tmp_path_factory: pytest.TempPathFactory) -> Cert:
    directory = tmp_path_factory.mktemp("tls")
    cert = _cert_with_openssl(directory) or _cert_with_cryptography(directory)
    if cert is None:
        pytest.skip("neither the openssl binary nor the cryptography package is available")
    return cert


def _settings(port: int, **kwargs) -> SmtpSettings:
    kwargs.setdefault("security", "none")
    kwargs.setdefault("timeout", 5.0)
    return SmtpSettings(host="127.0.0.1", port=port, sender=SENDER, **kwargs)


def _message(**overrides) -> email.message.EmailMessage:
    subject, body = courtesy_subject_and_body(
        "it", "A/2024/0001", dt.date(2024, 7, 1), "1.220,00 EUR", "ACME S.r.l.", "Mario Rossi"
    )
    kwargs = dict(
        sender=SENDER,
        to=("Mario Rossi", RECIPIENT),
        subject=subject,
        body=body,
        pdf_bytes=PDF,
        pdf_filename="A-2024-0001.pdf",
    )
    kwargs.update(overrides)
    return build_courtesy_message(**kwargs)


def _parse(raw: bytes) -> email.message.EmailMessage:
    return email.message_from_bytes(raw, policy=email.policy.default)


def _header_names(raw: bytes) -> list[str]:
    """Field names of the top-level header block, read from the raw bytes (unfolded)."""
    head = raw.split(b"\r\n\r\n", 1)[0] if b"\r\n\r\n" in raw else raw.split(b"\n\n", 1)[0]
    names = []
    for line in head.splitlines():
        if line[:1] in (b" ", b"\t"):
            continue  # continuation of a folded field
        names.append(line.split(b":", 1)[0].decode("ascii").lower())
    return names


# --------------------------------------------------------------------------- delivery


def test_message_with_pdf_reaches_the_server(make_server) -> None:
    server = make_server()
    with SmtpSender(_settings(server.port)) as smtp:
        smtp.send(_message())

    [envelope] = server.handler.envelopes
    assert envelope.mail_from == "billing@acme.example"
    assert envelope.rcpt_tos == [RECIPIENT]
    received = _parse(envelope.content)
    assert received["Subject"] == "Copia di cortesia fattura n. A/2024/0001 del 01/07/2024"
    assert received["From"].addresses[0].addr_spec == "billing@acme.example"
    assert received["From"].addresses[0].display_name == "ACME S.r.l."
    assert received["To"].addresses[0].addr_spec == RECIPIENT
    assert received["Message-ID"].endswith("@acme.example>")
    body = received.get_body(("plain",)).get_content()
    assert "copia di cortesia" in body and "Interscambio" not in body
    [attachment] = list(received.iter_attachments())
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_filename() == "A-2024-0001.pdf"
    assert attachment.get_content() == PDF


def test_one_connection_carries_several_messages(make_server) -> None:
    server = make_server()
    with SmtpSender(_settings(server.port)) as smtp:
        smtp.send(_message(pdf_filename="one.pdf"))
        smtp.send(_message(pdf_filename="two.pdf"))
    assert len(server.handler.received) == 2
    (_, first_session), (_, second_session) = server.handler.received
    assert first_session is second_session


def test_refused_recipient_is_a_delivery_error(make_server) -> None:
    server = make_server(Collector(refuse_rcpt="550 5.1.1 No such user here"))
    with SmtpSender(_settings(server.port)) as smtp, pytest.raises(MailDeliveryError) as info:
        smtp.send(_message())
    err = info.value
    assert err.kind == "recipient"
    assert err.code == 550
    assert err.permanent
    assert RECIPIENT in str(err) and "No such user" in str(err)
    assert server.handler.envelopes == []


def test_closed_port_is_a_delivery_error() -> None:
    with socket.socket() as placeholder:  # bound but not listening: connection refused
        placeholder.bind(("127.0.0.1", 0))
        port = placeholder.getsockname()[1]
        with pytest.raises(MailDeliveryError) as info, SmtpSender(_settings(port)):
            pass
    assert info.value.kind == "connection"
    assert "refused" in str(info.value)
    assert not info.value.permanent


def test_silent_server_times_out() -> None:
    with socket.socket() as silent:  # listening, never answers the greeting
        silent.bind(("127.0.0.1", 0))
        silent.listen(1)
        settings = _settings(silent.getsockname()[1], timeout=0.3)
        with pytest.raises(MailDeliveryError) as info, SmtpSender(settings):
            pass
    assert info.value.kind == "timeout"
    assert "timed out" in str(info.value)


def test_send_outside_the_context_manager_is_a_programming_error() -> None:
    with pytest.raises(RuntimeError):
        SmtpSender(_settings(25)).send(_message())


# --------------------------------------------------------------------------- TLS and AUTH


def test_starttls_with_a_trusted_self_signed_certificate(make_server, self_signed) -> None:
    server = make_server(tls_context=self_signed.server_context(), require_starttls=True)
    settings = _settings(server.port, security="starttls")
    with SmtpSender(settings, ssl_context=self_signed.client_context()) as smtp:
        smtp.send(_message())
    [(envelope, session)] = server.handler.received
    assert session.ssl is not None and session.tls  # the message travelled over TLS
    assert _parse(envelope.content).get_filename() is None  # sanity: it is the multipart root
    assert [a.get_content() for a in _parse(envelope.content).iter_attachments()] == [PDF]


def test_starttls_rejects_an_untrusted_certificate(make_server, self_signed) -> None:
    server = make_server(tls_context=self_signed.server_context(), require_starttls=True)
    with pytest.raises(MailDeliveryError) as info:  # default context: system CAs only
        SmtpSender(_settings(server.port, security="starttls")).open()
    assert info.value.kind == "tls"
    assert "certificate" in str(info.value)
    assert server.handler.envelopes == []


def test_starttls_never_falls_back_to_plain_text(make_server) -> None:
    server = make_server()  # no TLS context: STARTTLS not offered
    with pytest.raises(MailDeliveryError, match="does not offer STARTTLS"):
        SmtpSender(_settings(server.port, security="starttls")).open()


def test_plain_client_against_a_server_requiring_starttls(make_server, self_signed) -> None:
    server = make_server(tls_context=self_signed.server_context(), require_starttls=True)
    with SmtpSender(_settings(server.port)) as smtp, pytest.raises(MailDeliveryError) as info:
        smtp.send(_message())
    assert info.value.code == 530
    assert server.handler.envelopes == []


def test_implicit_tls(make_server, self_signed) -> None:
    server = make_server(ssl_context=self_signed.server_context())
    settings = _settings(server.port, security="ssl")
    with SmtpSender(settings, ssl_context=self_signed.client_context()) as smtp:
        smtp.send(_message())
    [(_, session)] = server.handler.received
    assert session.tls


PASSWORDS = {b"billing": b"s3cret", "fatturazione-è".encode(): "s3crèt".encode()}


def _authenticator(server, session, envelope, mechanism, auth_data):
    ok = isinstance(auth_data, LoginPassword) and PASSWORDS.get(auth_data.login) == (
        auth_data.password
    )
    # handled=False: aiosmtpd itself replies 235 / 535
    return AuthResult(success=ok, handled=False, auth_data=auth_data if ok else None)


@pytest.fixture
def auth_server(make_server, self_signed) -> Server:
    return make_server(
        tls_context=self_signed.server_context(),
        require_starttls=True,
        authenticator=_authenticator,
        auth_required=True,
        auth_require_tls=True,
    )


@pytest.mark.parametrize(
    ("user", "password"), [("billing", "s3cret"), ("fatturazione-è", "s3crèt")]
)
def test_auth_with_user_and_password(auth_server, self_signed, user, password) -> None:
    settings = _settings(auth_server.port, security="starttls", user=user, password=password)
    with SmtpSender(settings, ssl_context=self_signed.client_context()) as smtp:
        smtp.send(_message())
    [(envelope, session)] = auth_server.handler.received
    assert session.authenticated
    assert session.auth_data.login == user.encode()
    assert envelope.rcpt_tos == [RECIPIENT]


def test_auth_failure_is_a_delivery_error(auth_server, self_signed) -> None:
    settings = _settings(auth_server.port, security="starttls", user="billing", password="nope")
    with pytest.raises(MailDeliveryError) as info:
        SmtpSender(settings, ssl_context=self_signed.client_context()).open()
    assert info.value.kind == "auth"
    assert info.value.code == 535
    assert "authentication failed" in str(info.value)
    assert "nope" not in str(info.value)


def test_no_password_in_clear_to_a_remote_host() -> None:
    settings = SmtpSettings(
        host="smtp.example.com", port=25, security="none", user="u", password="p", sender=SENDER
    )
    with pytest.raises(MailConfigError, match="without encryption"):
        SmtpSender(settings).open()


def test_settings_hide_the_password_and_validate() -> None:
    settings = SmtpSettings(host="smtp.example.com", user="u", password="hunter2")
    assert "hunter2" not in repr(settings)
    with pytest.raises(MailConfigError, match="security"):
        SmtpSettings(host="smtp.example.com", security="tls")
    with pytest.raises(MailConfigError, match="port"):
        SmtpSettings(host="smtp.example.com", port=0)


# --------------------------------------------------------------------------- header injection

EXPECTED_HEADERS = {
    "from",
    "to",
    "subject",
    "date",
    "message-id",
    "auto-submitted",
    "mime-version",
    "content-type",
}


def test_crlf_in_name_number_and_subject_adds_no_header(make_server) -> None:
    subject, body = courtesy_subject_and_body(
        "en",
        "A/2024/0001\r\nBcc: evil@attacker.example",
        dt.date(2024, 7, 1),
        "100.00 EUR\nX-Evil: 1",
        "ACME\r\nReply-To: evil@attacker.example",
        INJECTION,
    )
    message = build_courtesy_message(
        sender=("ACME\r\nCc: evil@attacker.example", "billing@acme.example"),
        to=(INJECTION, RECIPIENT),
        subject=subject + "\r\nBcc: evil@attacker.example\u2028X-Evil: 2",
        body=body,
        pdf_bytes=PDF,
        pdf_filename="A/2024/0001\r\nBcc: evil@attacker.example.pdf",
    )
    raw = message.as_bytes()
    assert set(_header_names(raw)) == EXPECTED_HEADERS
    assert b"\r\nBcc:" not in raw and b"\nBcc:" not in raw.replace(b"\r\n", b"\n")

    server = make_server()
    with SmtpSender(_settings(server.port)) as smtp:
        smtp.send(message)
    [envelope] = server.handler.envelopes
    assert envelope.rcpt_tos == [RECIPIENT]  # nobody else got a copy
    assert set(_header_names(envelope.content)) == EXPECTED_HEADERS
    received = _parse(envelope.content)
    assert "\n" not in received["Subject"] and "\r" not in received["Subject"]
    assert received["Subject"].startswith("Courtesy copy of invoice no. A/2024/0001 Bcc:")
    assert received["To"].addresses[0].display_name == "Rossi Bcc: evil@attacker.example"
    [attachment] = list(received.iter_attachments())
    assert "\n" not in attachment.get_filename()
    assert "/" not in attachment.get_filename()
    assert attachment.get_content() == PDF


ENCODED_WORD_BREAK = "=?utf-8?q?Mario=0D=0ABcc:_victim@evil.example?="


def _decoded(value: str) -> str:
    """A header value decoded by the RFC 2047 rules (white space between words dropped)."""
    return str(email.header.make_header(email.header.decode_header(value)))


@pytest.mark.parametrize(
    "name",
    [
        ENCODED_WORD_BREAK,
        "=?utf-8?b?TWFyaW8NCkJjYzogdmljdGltQGV2aWwuZXhhbXBsZQ==?=",
        "Rossi =?iso-8859-1?q?Mario=0ABcc=3A_victim=40evil.example?= S.r.l.",
    ],
)
def test_encoded_words_in_a_name_never_become_a_header_break(make_server, name) -> None:
    """The name of a customer, the company and the number may look like RFC 2047 encoded
    words; the standard library decodes those while building a header and would write
    the line break inside as a real one. What the server receives has no such header,
    and the name reads back as typed."""
    subject, body = courtesy_subject_and_body(
        "it", f"A/2024/{name}", dt.date(2024, 7, 1), "1.220,00 EUR", name, name
    )
    message = build_courtesy_message(
        sender=(name, "billing@acme.example"),
        to=(name, RECIPIENT),
        subject=subject,
        body=body,
        pdf_bytes=PDF,
        pdf_filename=f"{name}.pdf",
        reply_to=(name, "a@acme.example"),
    )
    server = make_server()
    with SmtpSender(_settings(server.port)) as smtp:
        smtp.send(message)
    [envelope] = server.handler.envelopes
    assert envelope.rcpt_tos == [RECIPIENT]
    raw = envelope.content
    assert set(_header_names(raw)) == EXPECTED_HEADERS | {"reply-to"}
    assert not re.search(rb"(?im)^\s*bcc\s*:", raw)  # no line of the message starts a Bcc
    legacy = email.message_from_bytes(raw)  # the plain RFC 2047 reading
    assert _decoded(legacy["To"]) == f"{name} <{RECIPIENT}>"
    assert _decoded(legacy["From"]) == f"{name} <billing@acme.example>"
    assert _decoded(legacy["Subject"]) == subject
    received = _parse(raw)
    for field in ("To", "From", "Reply-To", "Subject"):
        assert "\r" not in str(received[field]) and "\n" not in str(received[field])
    assert received["To"].addresses[0].addr_spec == RECIPIENT
    [attachment] = list(received.iter_attachments())
    assert attachment.get_filename().endswith(".pdf") and "=?" not in attachment.get_filename()
    assert attachment.get_content() == PDF


@pytest.mark.parametrize(
    "bad",
    [
        "",
        "mario.rossi",
        "mario@",
        "@example.com",
        "a@@example.com",
        "a@example.com, b@example.com",
        "a@example.com b@example.com",
        "a@example.com\r\nBcc: evil@attacker.example",
        "Mario <a@example.com>\r\nBcc: evil@attacker.example",
        "a@example.com\nBcc: evil@attacker.example",
        "Mario <a@example.com",
        "Mario <a@example.com>, <b@example.com>",
        "màrio@example.com",
    ],
)
def test_bad_recipient_address_is_rejected(bad: str) -> None:
    with pytest.raises(MailAddressError) as info:
        _message(to=bad)
    assert isinstance(info.value, ValueError)
    if bad:
        assert repr(bad) in str(info.value) or repr(bad.strip()) in str(info.value)


def test_bad_sender_and_reply_to_are_rejected() -> None:
    with pytest.raises(MailAddressError, match="sender"):
        _message(sender="billing\r\n@acme.example")
    with pytest.raises(MailAddressError, match="reply-to"):
        _message(reply_to="x@y\r\nBcc: evil@attacker.example")


@pytest.mark.parametrize(
    "good",
    [
        "mario.rossi@example.com",
        "Mario Rossi <mario.rossi@example.com>",
        '"Rossi, Mario" <mario.rossi@example.com>',
        ("Rossi, Mario", "mario.rossi@example.com"),
        "mario@pàsta.example",
    ],
)
def test_good_addresses_are_accepted(good) -> None:
    message = _message(to=good, reply_to="Amministrazione <admin@acme.example>")
    to = message["To"].addresses[0]
    assert to.domain.isascii()
    assert message["Reply-To"].addresses[0].addr_spec == "admin@acme.example"


# --------------------------------------------------------------------------- texts


def test_italian_texts() -> None:
    subject, body = courtesy_subject_and_body(
        "it",
        "A/2024/0001",
        dt.date(2024, 7, 1),
        "1.220,00 €",
        "ACME S.r.l.",
        "Mario Rossi",
        through_sdi=True,
    )
    assert subject == "Copia di cortesia fattura n. A/2024/0001 del 01/07/2024"
    assert body.startswith("Gentile Mario Rossi,")
    assert (
        "La fattura elettronica, valida ai fini fiscali, Le è trasmessa tramite il "
        "Sistema di Interscambio" in body
    )
    _, plain = courtesy_subject_and_body(
        "it", "A/2024/0001", dt.date(2024, 7, 1), "1.220,00 €", "ACME S.r.l.", "Mario Rossi"
    )
    assert "SdI" not in plain and "Interscambio" not in plain and "fiscal" not in plain
    assert "1.220,00 €" in body and body.rstrip().endswith("ACME S.r.l.")


def test_english_texts() -> None:
    subject, body = courtesy_subject_and_body(
        "en",
        "A/2024/0001",
        dt.date(2024, 7, 1),
        "EUR 1,220.00",
        "ACME S.r.l.",
        "",
        through_sdi=True,
    )
    assert subject == "Courtesy copy of invoice no. A/2024/0001 of 2024-07-01"
    assert body.startswith("Dear customer,")
    assert "Sistema di Interscambio" in body and "EUR 1,220.00" in body
    with pytest.raises(ValueError, match="language"):
        courtesy_subject_and_body("de", "1", dt.date(2024, 7, 1), "1", "A", "B")


# --------------------------------------------------------------------------- password


@pytest.fixture
def config_file(tmp_path: Path) -> Path:
    path = tmp_path / "config.toml"
    path.write_text('[smtp]\npassword = "from-file"\n')
    return path


@pytest.mark.skipif(os.name == "nt", reason="POSIX permissions")
def test_env_password_wins_even_over_an_unsafe_file(monkeypatch, config_file: Path) -> None:
    config_file.chmod(0o644)
    monkeypatch.setenv("TUI_BILLING_SMTP_PASSWORD", "from-env")
    assert password_from("from-file", config_path=config_file) == "from-env"
    monkeypatch.setenv("OTHER_VAR", "other")
    assert password_from(None, env_var="OTHER_VAR") == "other"


@pytest.mark.skipif(os.name == "nt", reason="POSIX permissions")
@pytest.mark.parametrize("mode", [0o644, 0o640, 0o604, 0o660])
def test_password_in_a_readable_file_is_rejected(monkeypatch, config_file: Path, mode) -> None:
    monkeypatch.delenv("TUI_BILLING_SMTP_PASSWORD", raising=False)
    config_file.chmod(mode)
    with pytest.raises(MailConfigError) as info:
        password_from("from-file", config_path=config_file)
    message = str(info.value)
    assert "chmod 600" in message and "TUI_BILLING_SMTP_PASSWORD" in message
    assert str(config_file) in message
    assert "from-file" not in message


@pytest.mark.skipif(os.name == "nt", reason="POSIX permissions")
def test_password_in_a_private_file_is_accepted(monkeypatch, config_file: Path) -> None:
    monkeypatch.setenv("TUI_BILLING_SMTP_PASSWORD", "")  # empty counts as unset
    config_file.chmod(0o600)
    assert password_from("from-file", config_path=config_file) == "from-file"
    config_file.chmod(0o644)
    assert password_from(None, config_path=config_file) is None  # nothing in the file: fine
