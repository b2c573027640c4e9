"""E-mail delivery (SPEC §11 D3): one message per document — subject and body in the customer's
language plus the legal language's sentence naming the attached document, the PDF, the UBL and
optionally the workbook attached — and an SMTP session that hands many of them over.

Standard library only (:mod:`email`, :mod:`smtplib`). The message is pure data
(:func:`build_message`); :func:`wire_bytes` gives the exact bytes the server receives (the
dry-run outbox writes the same); :class:`SmtpSender` reports each hand-over as an
:class:`~batch.delivery.Attempt`, never raising for what a server answers.
"""

from __future__ import annotations

import hashlib
import io
import logging
import re
import smtplib
import ssl
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timezone
from decimal import Decimal
from email.generator import BytesGenerator
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, getaddresses
from pathlib import Path

from stdnum import iban as std_iban

from ..documents.i18n import format_date, format_money, language
from ..problems import BijstandError
from ..settings import valid_email
from ..texts_delivery import TEXTS
from . import FAILED, PENDING, SENT, Attempt, DeliveryConfigError, scrub, secret_from_env, shorten

log = logging.getLogger("bijstand.delivery.email")

KINDS = ("invoice", "credit_note", "reminder")

# MIME type per attachment suffix (D3: PDF, UBL, workbook)
MIME_TYPES = {
    ".pdf": "application/pdf",
    ".xml": "application/xml",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

BOUNDARY_PREFIX = "=_bijstand_"  # "=_" never occurs in base64 or quoted-printable text
WIRE_POLICY_LINESEP = "\r\n"


class AddressError(BijstandError):
    """An e-mail address that cannot be used; the message names it and where it came from."""


def text(key: str, lang: str, **fmt: object) -> str:
    """A delivery text in ``lang`` (unknown language → Dutch).

    >>> text("mail.subject.invoice", "fr", number="F1", seller="Juweelsoft BV")
    'Facture F1 de Juweelsoft BV'
    """
    value = TEXTS[key][language(lang)]
    return value.format(**fmt) if fmt else value


# --- what a message says ------------------------------------------------------------------------


@dataclass(frozen=True)
class Document:
    """What an e-mail says about one issued document (invoice, credit note or reminder)."""

    kind: str  # invoice | credit_note | reminder
    number: str
    issue_date: date
    language: str  # the customer's language: subject and body
    legal_language: str  # the language of the legal version (SPEC §9 L1); "" = ``language``
    seller_name: str
    total: Decimal  # invoice: to pay; credit note: credited; reminder: open amount
    due_date: date | None = None
    iban: str = ""
    reference: str = ""  # structured reference +++…+++ (invoices)
    credited_number: str = ""  # credit note: the invoice it relates to


def document_of_invoice(invoice) -> Document:
    """The :class:`Document` of an issued :class:`batch.model.Invoice` (invoice or credit note)."""
    if not invoice.number:
        raise ValueError("a draft has no number and is never delivered")
    return Document(
        kind="credit_note" if invoice.document_type == "credit_note" else "invoice",
        number=invoice.number, issue_date=invoice.issue_date, language=invoice.language,
        legal_language=invoice.legal_language or invoice.language, seller_name=invoice.seller.name,
        total=invoice.total, due_date=invoice.due_date, iban=invoice.seller.iban or "",
        reference=invoice.structured_reference or "", credited_number=invoice.credited_number or "")


def compose(doc: Document, *, ubl_name: str | None = None, resend: int = 0) -> tuple[str, str]:
    """Subject and plain-text body of ``doc``'s e-mail.

    The body is in the customer's language; when the legal language differs, the legal
    language's sentence naming the attached document follows (SPEC §9 L1, §11 D3).

    >>> doc = Document("invoice", "F2027-00001", date(2027, 1, 5), "fr", "nl", "Juweelsoft BV",
    ...                Decimal("374.80"), date(2027, 2, 4), "BE71096123456769", "+++202/7000/00122+++")
    >>> subject, body = compose(doc)
    >>> subject
    'Facture F2027-00001 de Juweelsoft BV'
    >>> print(body.replace("\\xa0", " "))
    Madame, Monsieur,
    <BLANKLINE>
    Veuillez trouver ci-joint la facture F2027-00001 du 5 janvier 2027. Nous vous prions de payer 374,80 € au plus tard le 4 février 2027 sur le compte BE71 0961 2345 6769 avec la communication structurée +++202/7000/00122+++.
    <BLANKLINE>
    In bijlage vindt u factuur F2027-00001 van 5 januari 2027.
    <BLANKLINE>
    Une question sur ce document ? Répondez simplement à cet e-mail.
    <BLANKLINE>
    Nous vous prions d'agréer nos salutations distinguées,
    Juweelsoft BV
    <BLANKLINE>
    """
    if doc.kind not in KINDS:
        raise ValueError(f"unknown document kind {doc.kind!r}; expected one of {', '.join(KINDS)}")
    lang = language(doc.language)
    legal = language(doc.legal_language or doc.language)

    def facts(lg: str) -> dict[str, object]:
        return {"number": doc.number, "date": format_date(doc.issue_date, lg, long=True),
                "seller": doc.seller_name, "total": format_money(doc.total, lg),
                "due": format_date(doc.due_date, lg, long=True) if doc.due_date else "",
                "iban": std_iban.format(doc.iban) if doc.iban else "",
                "reference": doc.reference, "credited": doc.credited_number}

    f = facts(lang)
    subject = text(f"mail.subject.{doc.kind}", lang, **f)
    paragraphs = [text("mail.greeting", lang)]
    if resend:
        paragraphs.append(text("mail.resend", lang))
    first = [text(f"mail.attached.{doc.kind}", lang, **f)]
    if doc.kind == "invoice" and doc.due_date:
        first.append(text("mail.pay" if doc.iban and doc.reference else "mail.pay_plain", lang, **f))
    elif doc.kind == "credit_note":
        first.append(text("mail.credited" if doc.credited_number else "mail.credit_amount", lang, **f))
    elif doc.kind == "reminder":
        first.append(text("mail.outstanding", lang, **f))
    paragraphs.append(" ".join(first))
    if legal != lang:
        paragraphs.append(text(f"mail.attached.{doc.kind}", legal, **facts(legal)))
    if ubl_name:
        paragraphs.append(text("mail.ubl", lang, name=ubl_name))
    paragraphs.append(text("mail.questions", lang))
    paragraphs.append(f"{text('mail.closing', lang)}\n{doc.seller_name}")
    return subject, "\n\n".join(paragraphs) + "\n"


# --- the message ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    mime_type: str

    @classmethod
    def from_path(cls, path: Path | str, filename: str | None = None) -> "Attachment":
        """An attachment read from ``path``; its type from the suffix (.pdf, .xml, .xlsx)."""
        path = Path(path)
        suffix = path.suffix.lower()
        if suffix not in MIME_TYPES:
            raise ValueError(f"{path.name}: no MIME type for {suffix!r} (known: {', '.join(MIME_TYPES)})")
        return cls(filename or path.name, path.read_bytes(), MIME_TYPES[suffix])


def message_id(number: str, domain: str, resend: int = 0) -> str:
    """The Message-ID of ``number``'s e-mail: the same for every attempt of one sending, so a
    retried message is recognisable as the same message; a resend gets its own.

    >>> message_id("F2027-00001", "juweelsoft.be")
    '<F2027-00001@juweelsoft.be>'
    >>> message_id("F2027/1", "juweelsoft.be", resend=2)
    '<F2027_1.resend-2@juweelsoft.be>'
    """
    local = re.sub(r"[^A-Za-z0-9._-]", "_", number).strip(".") or "document"
    if resend:
        local += f".resend-{resend}"
    return f"<{local}@{domain}>"


def addresses(value: str | Sequence[str], where: str) -> list[str]:
    """The plain addresses in ``value`` (a list, or one text with addresses separated by ``,``
    or ``;``); raises :class:`AddressError` naming ``where`` for one that cannot be used.

    >>> addresses("info@peeters.be; Boekhouding <bh@peeters.be>", "cc")
    ['info@peeters.be', 'bh@peeters.be']
    >>> addresses("info@peeters", "e-mail facturen of K0001")
    Traceback (most recent call last):
    ...
    batch.delivery.email.AddressError: e-mail facturen of K0001: 'info@peeters' is not an e-mail address (expected name@domain.be)
    """
    items = [value] if isinstance(value, str) else list(value)
    found: list[str] = []
    for item in items:
        for _, addr in getaddresses([item.replace(";", ",")]):
            addr = addr.strip()
            if not addr:
                continue
            if not valid_email(addr):
                raise AddressError(f"{where}: {addr!r} is not an e-mail address (expected name@domain.be)")
            if not addr.isascii():
                raise AddressError(f"{where}: {addr!r} holds characters outside ASCII, which most mail "
                                   f"servers refuse; use the plain ASCII form of the address")
            found.append(addr)
    return found


def build_message(doc: Document, *, sender: str, to: str | Sequence[str], cc: str | Sequence[str] = (),
                  bcc: str | Sequence[str] = (), reply_to: str = "", attachments: Sequence[Attachment] = (),
                  domain: str = "", when: datetime | None = None, resend: int = 0) -> EmailMessage:
    """The e-mail of ``doc`` (SPEC §11 D3), ready for :meth:`SmtpSender.send` or the outbox.

    ``sender`` is ``[delivery.email] from`` (shown with the seller's name), ``reply_to`` and
    ``bcc`` the settings of the same name; ``to`` and ``cc`` the customer's columns. Bcc
    addresses travel in the envelope only (the ``Bcc`` header is never transmitted). The
    Message-ID is made of the document number and ``domain`` (default: the sender's domain),
    see :func:`message_id`; ``when`` sets the Date (default now). Equal arguments give equal
    bytes (:func:`wire_bytes`).
    """
    sender_list = addresses(sender, "[delivery.email] from")
    if len(sender_list) != 1:
        raise AddressError(f"[delivery.email] from: {sender!r} must be exactly one address")
    to_list = addresses(to, f"e-mail of {doc.number}")
    if not to_list:
        raise AddressError(f"{doc.number}: no e-mail address to send it to")
    cc_list = addresses(cc, f"cc of {doc.number}")
    bcc_list = addresses(bcc, "[delivery.email] bcc")
    reply_list = addresses(reply_to, "[delivery.email] reply_to") if reply_to else []
    from_addr = sender_list[0]
    domain = domain or from_addr.rpartition("@")[2]
    ubl = next((a.filename for a in attachments if a.mime_type == MIME_TYPES[".xml"]), None)
    subject, body = compose(doc, ubl_name=ubl, resend=resend)
    when = when or datetime.now(timezone.utc).astimezone()
    if when.tzinfo is None:
        raise ValueError("when must carry a time zone")

    msg = EmailMessage()
    display = getaddresses([sender])[0][0] or doc.seller_name
    msg["From"] = Address(display_name=display, addr_spec=from_addr)
    msg["To"] = ", ".join(to_list)
    if cc_list:
        msg["Cc"] = ", ".join(cc_list)
    if bcc_list:
        msg["Bcc"] = ", ".join(bcc_list)
    if reply_list:
        msg["Reply-To"] = ", ".join(reply_list)
    msg["Subject"] = subject
    msg["Date"] = format_datetime(when)
    msg["Message-ID"] = message_id(doc.number, domain, resend)
    if resend:
        msg["References"] = message_id(doc.number, domain)
    msg.set_content(body, charset="utf-8", cte="quoted-printable")
    msg["Content-Language"] = language(doc.language)  # after set_content, which clears Content-*
    for a in attachments:
        maintype, _, subtype = a.mime_type.partition("/")
        msg.add_attachment(a.content, maintype=maintype, subtype=subtype, filename=a.filename)
    if msg.is_multipart():
        seed = hashlib.sha256(msg["Message-ID"].encode())
        for a in attachments:
            seed.update(hashlib.sha256(a.content).digest())
        msg.set_boundary(BOUNDARY_PREFIX + seed.hexdigest()[:32])
    return msg


def wire_bytes(msg: EmailMessage) -> bytes:
    """The exact bytes an SMTP server receives for ``msg``: CRLF line ends, no ``Bcc`` header."""
    out = io.BytesIO()
    BytesGenerator(out, policy=msg.policy.clone(linesep=WIRE_POLICY_LINESEP)).flatten(msg)
    data = out.getvalue()
    if msg["Bcc"] is None:
        return data
    head, blank, body = data.partition(b"\r\n\r\n")
    kept, in_bcc = [], False
    for line in head.split(b"\r\n"):  # drop the Bcc field and its folded continuation lines
        if not line[:1] in (b" ", b"\t"):
            in_bcc = line[:4].lower() == b"bcc:"
        if not in_bcc:
            kept.append(line)
    return b"\r\n".join(kept) + blank + body


def envelope(msg: EmailMessage) -> tuple[str, list[str]]:
    """(MAIL FROM, RCPT TO list) of ``msg``: the From address; To, Cc and Bcc without repeats."""
    sender = msg["From"].addresses[0].addr_spec
    seen: set[str] = set()
    rcpts: list[str] = []
    for field in ("To", "Cc", "Bcc"):
        header = msg[field]
        for addr in (header.addresses if header is not None else ()):
            if addr.addr_spec.lower() not in seen:
                seen.add(addr.addr_spec.lower())
                rcpts.append(addr.addr_spec)
    return sender, rcpts


def _visible(msg: EmailMessage) -> set[str]:
    """The customer's addresses (To and Cc), lower-cased."""
    return {a.addr_spec.lower() for f in ("To", "Cc") if msg[f] is not None for a in msg[f].addresses}


# --- SMTP ---------------------------------------------------------------------------------------


def _words(code: int, resp: bytes | str) -> str:
    said = resp.decode("utf-8", "replace") if isinstance(resp, bytes) else str(resp)
    return shorten(f"{code} {said}".strip())


def _state_of(code: int) -> str:
    """4xx is temporary (try again later), anything else unexpected is final."""
    return PENDING if 400 <= code < 500 else FAILED


class _Reconnect(Exception):
    """The kept connection was dead before anything was sent: open a new one and try again."""


class SmtpSender:
    """One SMTP session for many messages (a context manager).

    ``security``: ``starttls`` (upgrade on a plain port, 587), ``tls`` (TLS from the first byte,
    465) or ``none`` (a local relay). A login happens when ``username`` is set. The connection is
    opened on the first :meth:`send` and kept; a connection the server closed while idle is
    reopened once. When no session can be established (refused, timeout, TLS or login refused),
    that message and every later one of this sender come back ``pending`` without new attempts
    (no account lockout, no minutes of timeouts): fix the cause and run again.
    """

    def __init__(self, host: str, port: int = 587, security: str = "starttls", username: str = "",
                 password: str = "", *, timeout: float = 30.0, ssl_context: ssl.SSLContext | None = None,
                 local_hostname: str | None = None):
        if security not in ("starttls", "tls", "none"):
            raise ValueError(f"security {security!r}: expected starttls, tls or none")
        self.host, self.port, self.security = host, port, security
        self.username = username
        self._password = password
        self.timeout = timeout
        self._context = ssl_context
        self._local_hostname = local_hostname
        self._smtp: smtplib.SMTP | None = None
        self._blocked: Attempt | None = None
        self.messages_sent = 0

    def __repr__(self) -> str:
        return f"SmtpSender({self.host}:{self.port}, {self.security}, user={self.username!r})"

    @classmethod
    def from_settings(cls, settings, environ: Mapping[str, str] | None = None, **kwargs) -> "SmtpSender":
        """The sender of ``[delivery.email]`` (:class:`batch.settings.EmailDelivery`); the password
        from the environment variable named by ``password_env`` when a username is set."""
        if not settings.host:
            raise DeliveryConfigError("[delivery.email] host is empty: e-mail delivery is not configured. "
                                      "Set host, port, security and from in bijstand.toml.")
        password = ""
        if settings.username:
            password = secret_from_env(settings.password_env, "the SMTP password", "delivery.email",
                                       "password_env", environ)
        return cls(settings.host, settings.port, settings.security, settings.username, password, **kwargs)

    def __enter__(self) -> "SmtpSender":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        """End the session politely (QUIT); never raises."""
        smtp, self._smtp = self._smtp, None
        if smtp is not None:
            try:
                smtp.quit()
            except (smtplib.SMTPException, OSError):
                smtp.close()

    def _say(self, text: str) -> str:
        return scrub(text, (self._password,))

    def _context_or_default(self) -> ssl.SSLContext:
        if self._context is None:
            self._context = ssl.create_default_context()
        return self._context

    def _open(self) -> Attempt | None:
        """Connect, secure and log in; an Attempt (pending) when that is not possible."""
        where = f"{self.host}:{self.port}"
        smtp: smtplib.SMTP | None = None
        try:
            if self.security == "tls":
                smtp = smtplib.SMTP_SSL(self.host, self.port, local_hostname=self._local_hostname,
                                        timeout=self.timeout, context=self._context_or_default())
            else:
                smtp = smtplib.SMTP(self.host, self.port, local_hostname=self._local_hostname,
                                    timeout=self.timeout)
            smtp.ehlo()
            if self.security == "starttls":
                if not smtp.has_extn("starttls"):
                    raise smtplib.SMTPNotSupportedError(
                        "the server does not offer STARTTLS: set [delivery.email] security = \"tls\" "
                        "(port 465) or ask the provider for the submission port (587)")
                smtp.starttls(context=self._context_or_default())
                smtp.ehlo()
            if self.username:
                smtp.login(self.username, self._password)
        except smtplib.SMTPAuthenticationError as exc:
            problem = (f"login as {self.username!r} refused by {where}: {_words(exc.smtp_code, exc.smtp_error)}"
                       f" — check [delivery.email] username and the password in its environment variable")
        except smtplib.SMTPResponseException as exc:
            problem = f"{where} refused the session: {_words(exc.smtp_code, exc.smtp_error)}"
        except (smtplib.SMTPException, OSError) as exc:
            problem = f"no SMTP session with {where}: {type(exc).__name__}: {exc}"
        else:
            self._smtp = smtp
            return None
        if smtp is not None:
            smtp.close()
        self._blocked = Attempt(PENDING, None, shorten(self._say(problem)), tries=1)
        log.warning("%s", self._blocked.detail)
        return self._blocked

    def send(self, msg: EmailMessage) -> Attempt:
        """Hand ``msg`` to the server: ``sent`` (with its Message-ID) once the server accepted it;
        ``failed`` when it refused it for good (e.g. 550 for the customer's address: the server's
        words in ``detail``); ``pending`` for a temporary answer (4xx) or a lost connection."""
        if self._blocked is not None:
            return replace(self._blocked, tries=0)
        mail_from, rcpts = envelope(msg)
        data = wire_bytes(msg)
        for fresh in (False, True):
            reused = self._smtp is not None
            if self._smtp is None:
                blocked = self._open()
                if blocked is not None:
                    return blocked
            try:
                attempt = self._transaction(msg, mail_from, rcpts, data, may_reconnect=reused and not fresh)
            except _Reconnect:
                continue
            attempt = replace(attempt, detail=shorten(self._say(attempt.detail)))
            log.info("%s %s: %s", msg["Message-ID"], attempt.state, attempt.detail)
            if attempt.state == SENT:
                self.messages_sent += 1
            return attempt
        raise AssertionError("unreachable")  # pragma: no cover

    def _drop(self) -> None:
        smtp, self._smtp = self._smtp, None
        if smtp is not None:
            smtp.close()

    def _rset(self) -> None:
        try:
            self._smtp.rset()
        except (smtplib.SMTPException, OSError):
            self._drop()

    def _end_transaction(self, code: int) -> None:
        if code == 421:  # the server is closing the connection
            self._drop()
        else:
            self._rset()

    def _sender_refused(self, mail_from: str, code: int, resp: bytes) -> Attempt:
        """MAIL FROM refused. 4xx: try later; 552: this message is too large (the document's
        problem); any other refusal concerns the sender, so no message of this batch can go."""
        self._end_transaction(code)
        words = _words(code, resp)
        if 400 <= code < 500 or code == 552:
            return Attempt(_state_of(code), None, f"sender <{mail_from}> refused: {words}")
        self._blocked = Attempt(PENDING, None, shorten(self._say(
            f"the server refuses the sender <{mail_from}>: {words} — check [delivery.email] from "
            f"(an address the account may send as) and username")))
        log.warning("%s", self._blocked.detail)
        return self._blocked

    def _transaction(self, msg: EmailMessage, mail_from: str, rcpts: list[str], data: bytes, *,
                     may_reconnect: bool) -> Attempt:
        smtp = self._smtp
        mid = msg["Message-ID"]
        phase = "mail"
        try:
            options = [f"SIZE={len(data)}"] if smtp.has_extn("size") else []
            code, resp = smtp.mail(mail_from, options)
            if code != 250:
                return self._sender_refused(mail_from, code, resp)
            phase = "rcpt"
            refused: dict[str, tuple[int, bytes]] = {}
            for rcpt in rcpts:
                code, resp = smtp.rcpt(rcpt)
                if code == 421:
                    self._drop()
                    return Attempt(PENDING, None, f"server closing: {_words(code, resp)}")
                if code not in (250, 251):
                    refused[rcpt] = (code, resp)
            refusals = "; ".join(f"<{r}> refused: {_words(c, t)}" for r, (c, t) in refused.items())
            visible = _visible(msg)
            to = {a.lower() for _, a in getaddresses(msg.get_all("To", []))}
            to_refused = [r for r in refused if r.lower() in to]
            if to_refused or not any(r.lower() in visible for r in rcpts if r not in refused):
                # the customer's own address refused: nobody gets it (not the cc alone), the document fails
                self._rset()
                permanent = any(c >= 500 for r, (c, _) in refused.items() if r.lower() in (to or visible))
                return Attempt(FAILED if permanent else PENDING, None, refusals)
            phase = "data"
            smtp.putcmd("data")
            code, resp = smtp.getreply()
            if code != 354:
                self._end_transaction(code)
                return Attempt(_state_of(code), None, f"DATA refused: {_words(code, resp)}")
            smtp.send(_dot_stuffed(data))
            phase = "sent"
            code, resp = smtp.getreply()
        except smtplib.SMTPServerDisconnected as exc:
            self._drop()
            if phase == "mail" and may_reconnect:
                raise _Reconnect() from exc
            if phase == "sent":
                return Attempt(PENDING, None, f"no answer after the message was transmitted ({exc}): the "
                               f"server may have accepted it", maybe_delivered=True)
            return Attempt(PENDING, None, f"connection lost before the message was accepted: {exc}")
        except (smtplib.SMTPException, OSError) as exc:  # e.g. a reply smtplib cannot parse
            self._drop()
            return Attempt(PENDING, None, f"{type(exc).__name__}: {exc}", maybe_delivered=phase == "sent")
        if code != 250:
            if code == 421:
                self._drop()
            return Attempt(_state_of(code), None, f"message refused: {_words(code, resp)}")
        detail = _words(code, resp)
        if refusals:
            detail += f"; {refusals}"
        return Attempt(SENT, mid, detail)


def _dot_stuffed(data: bytes) -> bytes:
    r"""``data`` as the DATA command carries it: leading dots doubled, ended by CRLF . CRLF.

    >>> _dot_stuffed(b"a\r\n.b\r\n")
    b'a\r\n..b\r\n.\r\n'
    """
    data = re.sub(rb"(?m)^\.", b"..", data)
    if not data.endswith(b"\r\n"):
        data += b"\r\n"
    return data + b".\r\n"


__all__ = ["AddressError", "Attachment", "Document", "KINDS", "MIME_TYPES", "SmtpSender", "addresses",
           "build_message", "compose", "document_of_invoice", "envelope", "message_id", "text", "wire_bytes"]
