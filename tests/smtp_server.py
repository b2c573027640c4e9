"""A real SMTP server for tests: aiosmtpd on 127.0.0.1, recording every message it accepts.

Scriptable like an ordinary provider's server: refuse given recipients (550, or 450), answer
DATA with a temporary or permanent error, answer slowly (beyond the client's timeout), drop the
connection after the data, demand a login, speak STARTTLS or implicit TLS with a self-signed
certificate (:func:`tls_contexts`).

    from tests.smtp_server import smtp_server        # the pytest fixture
    def test_x(smtp_server):
        smtp_server.refuse["bad@example.be"] = "550 5.1.1 <bad@example.be>: user unknown"
"""

from __future__ import annotations

import asyncio
import datetime as dt
import socket
import ssl
import threading
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

USER = "facturen@juweelsoft.be"


@dataclass
class Received:
    """One message the server accepted: the envelope and the exact bytes of the DATA."""

    mail_from: str
    rcpt_tos: list[str]
    data: bytes  # as transmitted (after dot-unstuffing), CRLF line ends
    authenticated_as: str | None = None
    tls: bool = False


@dataclass
class Recorder:
    """The aiosmtpd handler: records messages and plays scripted answers."""

    refuse: dict[str, str] = field(default_factory=dict)  # address (lower) -> full reply, e.g. "550 …"
    data_replies: list[str] = field(default_factory=list)  # next DATA answers, e.g. "451 4.3.0 …"
    sender_replies: list[str] = field(default_factory=list)  # next MAIL FROM answers, e.g. "553 …"
    delay: float = 0.0  # seconds before answering DATA
    drop_after_data: int = 0  # drop the connection instead of answering the next n DATA
    messages: list[Received] = field(default_factory=list)
    connections: int = 0
    logins: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        with self.lock:
            reply = self.sender_replies.pop(0) if self.sender_replies else None
        if reply:
            return reply
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 2.1.0 Ok"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        reply = self.refuse.get(address.lower())
        if reply:
            return reply
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 Ok"

    async def handle_DATA(self, server, session, envelope):
        tls = server.transport.get_extra_info("sslcontext") is not None
        with self.lock:
            drop = self.drop_after_data > 0
            self.drop_after_data -= drop
            reply = self.data_replies.pop(0) if self.data_replies else None
            if reply is None or reply.startswith("2"):  # queued first, as a real server does
                self.messages.append(Received(envelope.mail_from, list(envelope.rcpt_tos),
                                              bytes(envelope.original_content), _login(session), tls))
        if self.delay:
            await asyncio.sleep(self.delay)  # a slow answer after the message was queued
        if drop:
            server.transport.close()
            return "250 dropped"  # never reaches the client: the transport is closed
        return reply or f"250 2.0.0 Ok: queued as Q{len(self.messages):05d}"

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        session.host_name = hostname
        return responses


def _login(session) -> str | None:
    data = session.auth_data
    return data.login.decode() if isinstance(data, LoginPassword) else None


class _Server(Controller):
    """aiosmtpd's Controller on a socket bound before it starts (port 0: no port races)."""

    def __init__(self, handler, **kwargs):
        self._sock = socket.create_server(("127.0.0.1", 0))
        super().__init__(handler, hostname="127.0.0.1", port=self._sock.getsockname()[1], **kwargs)

    def _create_server(self):
        return self.loop.create_server(self._factory_invoker, sock=self._sock, ssl=self.ssl_context)

    def factory(self):
        self.handler.connections += 1
        return super().factory()


class SmtpServer:
    """A started server; ``.messages`` lists what it accepted."""

    def __init__(self, *, password: str | None = None, tls: ssl.SSLContext | None = None,
                 implicit_tls: bool = False, idle_timeout: float = 300):
        self.recorder = Recorder()
        self.password = password
        kwargs: dict = {"timeout": idle_timeout}
        if password is not None:
            starttls = tls is not None and not implicit_tls
            # STARTTLS servers take AUTH only after the upgrade, and require it; the others offer it
            kwargs.update(authenticator=self._authenticate, auth_require_tls=starttls, auth_required=starttls)
        if tls is not None and implicit_tls:
            kwargs["ssl_context"] = tls
        elif tls is not None:
            kwargs.update(tls_context=tls, require_starttls=True)
        self.controller = _Server(self.recorder, **kwargs)
        self.controller.start()
        self.host, self.port = "127.0.0.1", self.controller.port

    def _authenticate(self, server, session, envelope, mechanism, auth_data):
        ok = (isinstance(auth_data, LoginPassword) and auth_data.login.decode() == USER
              and auth_data.password.decode() == self.password)
        if ok:
            self.recorder.logins.append(auth_data.login.decode())
        return AuthResult(success=ok, handled=False, auth_data=auth_data)

    def stop(self) -> None:
        self.controller.stop()

    @property
    def messages(self) -> list[Received]:
        return self.recorder.messages

    @property
    def refuse(self) -> dict[str, str]:
        return self.recorder.refuse


@pytest.fixture
def smtp_server():
    server = SmtpServer()
    yield server
    server.stop()


def tls_contexts(folder: Path) -> tuple[ssl.SSLContext, ssl.SSLContext]:
    """(server context, client context trusting it): a self-signed certificate for 127.0.0.1.
    Needs the ``cryptography`` package (a test dependency); the TLS tests are skipped without it."""
    pytest.importorskip("cryptography")
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID
    import ipaddress

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(minutes=5))
            .not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                           critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    cert_file, key_file = folder / "smtp-cert.pem", folder / "smtp-key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    server = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server.load_cert_chain(cert_file, key_file)
    client = ssl.create_default_context(cafile=str(cert_file))
    return server, client
