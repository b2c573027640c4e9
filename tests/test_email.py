"""E-mail delivery (SPEC §11 D3) against a real SMTP server (aiosmtpd on 127.0.0.1): the message
(recipients, subject and body per language with the legal-language sentence, attachments,
Message-ID), and what the sender reports for every answer a server can give."""

from __future__ import annotations

import dataclasses
import io
import logging
import time
from datetime import date, datetime, timezone
from decimal import Decimal
from email import message_from_bytes
from email.policy import default as default_policy

import pytest
from pypdf import PdfReader, PdfWriter

from batch.delivery import FAILED, PENDING, SENT, DeliveryConfigError
from batch.delivery.email import (AddressError, Attachment, Document, SmtpSender, addresses, build_message, compose,
                                  document_of_invoice, envelope, message_id, wire_bytes)
from batch.documents.invoice_xlsx import render_invoice_xlsx
from batch.documents.ubl import render_ubl
from batch.settings import EmailDelivery
from tests.samples import sample_invoice
from tests.smtp_server import USER, SmtpServer, smtp_server, tls_contexts  # noqa: F401 (fixture)

WHEN = datetime(2027, 1, 6, 9, 30, tzinfo=timezone.utc)
SENDER = "facturen@juweelsoft.be"
PASSWORD = "pw-S3cr3t-9d2f-smtp"
NBSP = "\xa0"


def pdf_bytes(title: str) -> bytes:
    """A real one-page PDF (the lead's typst renderer makes the real ones, D4)."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": title})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def attachments_of(invoice, workbook: bool = False) -> list[Attachment]:
    xlsx = render_invoice_xlsx(invoice)
    files = [Attachment(f"{invoice.number}.pdf", pdf_bytes(invoice.number), "application/pdf"),
             Attachment(f"{invoice.number}.xml", render_ubl(invoice, xlsx, f"{invoice.number}.xlsx"),
                        "application/xml")]
    if workbook:
        files.append(Attachment(f"{invoice.number}.xlsx", xlsx,
                                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
    return files


def invoice_mail(number="F2027-00001", language="fr", legal="nl", to="contact@dubois.fr", cc=(), bcc=(),
                 document_type="invoice", workbook=False, resend=0):
    inv = dataclasses.replace(sample_invoice("S", language, number, document_type), legal_language=legal)
    return build_message(document_of_invoice(inv), sender=SENDER, to=to, cc=cc, bcc=bcc,
                         reply_to="boekhouding@juweelsoft.be", attachments=attachments_of(inv, workbook),
                         when=WHEN, resend=resend)


def parsed(data: bytes):
    return message_from_bytes(data, policy=default_policy)


def body_of(msg) -> str:
    return msg.get_body(("plain",)).get_content().replace(NBSP, " ").replace("\r\n", "\n")


# --- the message ----------------------------------------------------------------------------------


def test_body_in_the_customers_language_with_the_legal_languages_sentence():
    doc = document_of_invoice(dataclasses.replace(sample_invoice("S", "fr", "F2027-00001"), legal_language="nl"))
    subject, body = compose(doc)
    assert subject == "Facture F2027-00001 de Juweelsoft BV"
    assert body.startswith("Madame, Monsieur,\n\nVeuillez trouver ci-joint la facture F2027-00001 du 5 janvier 2027.")
    assert f"Nous vous prions de payer 374,80{NBSP}€ au plus tard le 4 février 2027" in body
    assert "+++202/7000/00122+++" in body
    assert "\n\nIn bijlage vindt u factuur F2027-00001 van 5 januari 2027.\n\n" in body  # the legal language (nl)


def test_no_second_language_when_the_customer_reads_the_legal_language():
    subject, body = compose(document_of_invoice(sample_invoice("S", "nl", "F2027-00002")))
    assert subject == "Factuur F2027-00002 van Juweelsoft BV"
    assert body.count("In bijlage vindt u factuur F2027-00002") == 1
    assert "Gelieve 374,80" in body and "Veuillez" not in body and "Please" not in body
    assert body.rstrip().endswith("Met vriendelijke groeten,\nJuweelsoft BV")


def test_english_customer_of_a_walloon_seller():
    doc = document_of_invoice(dataclasses.replace(sample_invoice("S", "en", "F2027-00003"), legal_language="fr"))
    subject, body = compose(doc, ubl_name="F2027-00003.xml")
    assert subject == "Invoice F2027-00003 from Juweelsoft BV"
    assert "Please find attached invoice F2027-00003 of 5 January 2027. Please pay €374.80 by 4 February 2027" in body
    assert "Veuillez trouver ci-joint la facture F2027-00003 du 5 janvier 2027." in body
    assert "The attachment F2027-00003.xml holds the same document as an e-invoice (Peppol UBL)" in body
    assert body.rstrip().endswith("Kind regards,\nJuweelsoft BV")


def test_credit_note_and_reminder_texts():
    credit = document_of_invoice(dataclasses.replace(
        sample_invoice("S", "nl", "C2027-00001", "credit_note"), legal_language="nl"))
    subject, body = compose(credit)
    assert subject == "Creditnota C2027-00001 van Juweelsoft BV"
    assert "In bijlage vindt u creditnota C2027-00001 van 5 januari 2027. Deze creditnota van 374,80" in body
    assert "heeft betrekking op factuur 2026-000007." in body and "Gelieve" not in body
    subject, body = compose(dataclasses.replace(credit, language="fr"))
    assert subject == "Note de crédit C2027-00001 de Juweelsoft BV"
    assert "se rapporte à la facture 2026-000007" in body and "In bijlage vindt u creditnota C2027-00001" in body
    reminder = Document("reminder", "H2027-00004", date(2027, 3, 1), "en", "nl", "Juweelsoft BV",
                        Decimal("1234.50"), iban="BE71096123456769")
    subject, body = compose(reminder)
    assert subject == "Payment reminder H2027-00004 from Juweelsoft BV"
    assert "The amount outstanding is €1,234.50. Please pay it as soon as possible to account BE71 0961 2345 6769." in body
    assert "In bijlage vindt u betalingsherinnering H2027-00004 van 1 maart 2027." in body
    subject, _ = compose(dataclasses.replace(reminder, language="fr"))
    assert subject == "Rappel de paiement H2027-00004 de Juweelsoft BV"


def test_headers_recipients_and_attachments():
    msg = invoice_mail(cc="boekhouding@dubois.fr", bcc="archief@juweelsoft.be", workbook=True)
    wire = parsed(wire_bytes(msg))
    assert str(wire["From"]) == "Juweelsoft BV <facturen@juweelsoft.be>"
    assert str(wire["To"]) == "contact@dubois.fr" and str(wire["Cc"]) == "boekhouding@dubois.fr"
    assert str(wire["Reply-To"]) == "boekhouding@juweelsoft.be"
    assert wire["Bcc"] is None and b"archief@" not in wire_bytes(msg)  # envelope only
    assert envelope(msg) == (SENDER, ["contact@dubois.fr", "boekhouding@dubois.fr", "archief@juweelsoft.be"])
    assert str(wire["Subject"]) == "Facture F2027-00001 de Juweelsoft BV"
    assert str(wire["Message-ID"]) == "<F2027-00001@juweelsoft.be>"
    assert str(wire["Date"]) == "Wed, 06 Jan 2027 09:30:00 +0000"
    inv = dataclasses.replace(sample_invoice("S", "fr", "F2027-00001"), legal_language="nl")
    expected = attachments_of(inv, workbook=True)
    got = [(p.get_filename(), p.get_content_type(), p.get_content()) for p in wire.iter_attachments()]
    assert got == [(a.filename, a.mime_type, a.content) for a in expected]
    assert PdfReader(io.BytesIO(got[0][2])).metadata.title == "F2027-00001"
    assert got[1][2].startswith(b"<?xml") and b"<cbc:ID>F2027-00001</cbc:ID>" in got[1][2]
    assert [p.get_content_type() for p in wire.walk()][:2] == ["multipart/mixed", "text/plain"]
    assert wire.get_body(("plain",))["Content-Language"] == "fr"


def test_a_long_folded_bcc_never_reaches_the_wire():
    archive = [f"archief{i}@juweelsoft.be" for i in range(8)]
    msg = invoice_mail(bcc=archive)
    wire = wire_bytes(msg)
    assert b"archief" not in wire and wire.startswith(b"From: Juweelsoft BV <facturen@juweelsoft.be>\r\nTo: ")
    assert envelope(msg)[1] == ["contact@dubois.fr", *archive]
    assert wire == wire_bytes(invoice_mail())  # the same bytes as without a Bcc


def test_the_same_document_gives_the_same_bytes_and_a_resend_its_own_id():
    first, again = wire_bytes(invoice_mail()), wire_bytes(invoice_mail())
    assert first == again
    boundary = parsed(first).get_boundary()
    assert boundary.startswith("=_bijstand_") and first.count(boundary.encode()) == 5  # header, 3 parts, end
    resend = parsed(wire_bytes(invoice_mail(resend=1)))
    assert str(resend["Message-ID"]) == "<F2027-00001.resend-1@juweelsoft.be>"
    assert str(resend["References"]) == "<F2027-00001@juweelsoft.be>"
    assert body_of(resend).startswith("Madame, Monsieur,\n\nCeci est un nouvel envoi d'un document déjà envoyé.")
    assert message_id("F2027-00001", "mail.example.be") == "<F2027-00001@mail.example.be>"


def test_addresses_are_checked():
    assert addresses(["a@b.be", "Naam <c@d.be>, e@f.be"], "x") == ["a@b.be", "c@d.be", "e@f.be"]
    with pytest.raises(AddressError, match=r"cc of F2027-00001: 'nobody' is not an e-mail address"):
        invoice_mail(cc="nobody")
    with pytest.raises(AddressError, match="F2027-00001: no e-mail address"):
        invoice_mail(to="")
    with pytest.raises(AddressError, match="outside ASCII"):
        invoice_mail(to="jürgen@dubois.fr")


# --- the SMTP session -----------------------------------------------------------------------------


def plain_sender(server, **kwargs) -> SmtpSender:
    return SmtpSender(server.host, server.port, "none", timeout=kwargs.pop("timeout", 5.0), **kwargs)


def test_accepted_messages_reach_the_server_byte_for_byte(smtp_server):
    msgs = [invoice_mail("F2027-00001", cc="boekhouding@dubois.fr", bcc="archief@juweelsoft.be"),
            invoice_mail("F2027-00002", language="nl", to="info@peeters.be"),
            invoice_mail("F2027-00003", language="en", to="accounts@goldsmith.co.uk", workbook=True)]
    with plain_sender(smtp_server) as sender:
        attempts = [sender.send(m) for m in msgs]
    assert [a.state for a in attempts] == [SENT, SENT, SENT]
    assert [a.message_id for a in attempts] == [f"<F2027-0000{i}@juweelsoft.be>" for i in (1, 2, 3)]
    assert attempts[0].detail == "250 2.0.0 Ok: queued as Q00001"
    assert smtp_server.recorder.connections == 2  # the controller's start-up probe + one session for all
    got = smtp_server.messages
    assert [r.rcpt_tos for r in got] == [["contact@dubois.fr", "boekhouding@dubois.fr", "archief@juweelsoft.be"],
                                         ["info@peeters.be"], ["accounts@goldsmith.co.uk"]]
    assert {r.mail_from for r in got} == {SENDER}
    assert [r.data for r in got] == [wire_bytes(m) for m in msgs]
    bodies = [body_of(parsed(r.data)) for r in got]
    assert "Veuillez trouver ci-joint la facture F2027-00001" in bodies[0] and "In bijlage vindt u factuur F2027-00001" in bodies[0]
    assert "In bijlage vindt u factuur F2027-00002" in bodies[1] and "Veuillez" not in bodies[1]
    assert "Please find attached invoice F2027-00003" in bodies[2]
    assert [len(list(parsed(r.data).iter_attachments())) for r in got] == [2, 2, 3]


def test_a_refused_recipient_fails_with_the_servers_words_and_the_others_still_go(smtp_server):
    smtp_server.refuse["nobody@dubois.fr"] = "550 5.1.1 <nobody@dubois.fr>: Recipient address rejected: User unknown"
    msgs = [invoice_mail("F2027-00001"), invoice_mail("F2027-00002", to="nobody@dubois.fr"),
            invoice_mail("F2027-00003")]
    with plain_sender(smtp_server) as sender:
        attempts = [sender.send(m) for m in msgs]
    assert [a.state for a in attempts] == [SENT, FAILED, SENT]
    assert attempts[1].message_id is None
    assert attempts[1].detail == ("<nobody@dubois.fr> refused: 550 5.1.1 <nobody@dubois.fr>: Recipient address "
                                  "rejected: User unknown")
    assert [parsed(r.data)["Message-ID"] for r in smtp_server.messages] == ["<F2027-00001@juweelsoft.be>",
                                                                           "<F2027-00003@juweelsoft.be>"]


def test_a_refused_cc_does_not_stop_the_document(smtp_server):
    smtp_server.refuse["old@dubois.fr"] = "550 5.1.1 <old@dubois.fr>: mailbox closed"
    with plain_sender(smtp_server) as sender:
        attempt = sender.send(invoice_mail(cc="old@dubois.fr", bcc="archief@juweelsoft.be"))
    assert attempt.state == SENT and attempt.message_id == "<F2027-00001@juweelsoft.be>"
    assert attempt.detail.endswith("; <old@dubois.fr> refused: 550 5.1.1 <old@dubois.fr>: mailbox closed")
    assert smtp_server.messages[0].rcpt_tos == ["contact@dubois.fr", "archief@juweelsoft.be"]


def test_only_the_bcc_accepted_sends_nothing(smtp_server):
    smtp_server.refuse["contact@dubois.fr"] = "550 5.1.1 no such user"
    with plain_sender(smtp_server) as sender:
        attempt = sender.send(invoice_mail(bcc="archief@juweelsoft.be"))
    assert attempt.state == FAILED and smtp_server.messages == []


def test_temporary_answers_leave_the_document_pending(smtp_server):
    smtp_server.refuse["contact@dubois.fr"] = "450 4.2.1 Mailbox busy, try again later"
    smtp_server.recorder.data_replies.extend(["451 4.3.0 Temporary lookup failure",
                                              "554 5.7.1 Message rejected as spam"])
    with plain_sender(smtp_server) as sender:
        busy = sender.send(invoice_mail("F2027-00001"))
        later = sender.send(invoice_mail("F2027-00002", to="info@peeters.be"))
        spam = sender.send(invoice_mail("F2027-00003", to="info@peeters.be"))
        fine = sender.send(invoice_mail("F2027-00004", to="info@peeters.be"))
    assert (busy.state, busy.detail) == (PENDING, "<contact@dubois.fr> refused: 450 4.2.1 Mailbox busy, try again later")
    assert (later.state, later.detail) == (PENDING, "message refused: 451 4.3.0 Temporary lookup failure")
    assert (spam.state, spam.detail) == (FAILED, "message refused: 554 5.7.1 Message rejected as spam")
    assert fine.state == SENT and fine.message_id == "<F2027-00004@juweelsoft.be>"


def test_a_refused_sender_stops_the_batch_but_a_too_large_message_only_itself(smtp_server):
    smtp_server.recorder.sender_replies.extend(["552 5.3.4 Message size exceeds fixed limit",
                                                "553 5.7.1 <facturen@juweelsoft.be>: Sender address rejected: "
                                                "not owned by user"])
    with plain_sender(smtp_server) as sender:
        big = sender.send(invoice_mail("F2027-00001"))
        refused = sender.send(invoice_mail("F2027-00002"))
        after = sender.send(invoice_mail("F2027-00003"))
    assert (big.state, big.detail) == (FAILED, "sender <facturen@juweelsoft.be> refused: 552 5.3.4 Message size "
                                               "exceeds fixed limit")
    assert refused.state == PENDING and refused.detail.startswith(
        "the server refuses the sender <facturen@juweelsoft.be>: 553 5.7.1")
    assert "check [delivery.email] from" in refused.detail
    assert (after.state, after.tries, after.detail) == (PENDING, 0, refused.detail)
    assert smtp_server.messages == []


def test_no_server_leaves_everything_pending_without_retrying_each_message():
    server = SmtpServer()
    host, port = server.host, server.port
    server.stop()
    with SmtpSender(host, port, "none", timeout=2) as sender:
        first = sender.send(invoice_mail("F2027-00001"))
        second = sender.send(invoice_mail("F2027-00002"))
    assert first.state == PENDING and first.tries == 1 and "ConnectionRefusedError" in first.detail
    assert second.state == PENDING and second.tries == 0 and second.detail == first.detail


def test_a_slow_answer_is_pending_and_maybe_delivered_then_the_next_one_goes(smtp_server):
    smtp_server.recorder.delay = 1.5
    with plain_sender(smtp_server, timeout=0.5) as sender:
        slow = sender.send(invoice_mail("F2027-00001"))
        smtp_server.recorder.delay = 0
        time.sleep(1.2)  # the server finishes the slow one
        after = sender.send(invoice_mail("F2027-00002"))
    assert slow.state == PENDING and slow.maybe_delivered and slow.message_id is None
    assert "no answer after the message was transmitted" in slow.detail
    assert after.state == SENT
    # why it is "maybe": the server did take the slow one
    assert [parsed(r.data)["Message-ID"] for r in smtp_server.messages] == ["<F2027-00001@juweelsoft.be>",
                                                                           "<F2027-00002@juweelsoft.be>"]


def test_a_dropped_connection_after_the_data_is_pending_then_a_new_session_continues(smtp_server):
    smtp_server.recorder.drop_after_data = 1
    with plain_sender(smtp_server) as sender:
        dropped = sender.send(invoice_mail("F2027-00001"))
        after = sender.send(invoice_mail("F2027-00002"))
    assert dropped.state == PENDING and dropped.maybe_delivered
    assert after.state == SENT and smtp_server.recorder.connections == 3


def test_a_connection_the_server_closed_while_idle_is_reopened():
    server = SmtpServer(idle_timeout=0.3)
    try:
        with plain_sender(server) as sender:
            first = sender.send(invoice_mail("F2027-00001"))
            time.sleep(0.8)
            second = sender.send(invoice_mail("F2027-00002"))
        assert (first.state, second.state) == (SENT, SENT)
        assert len(server.messages) == 2 and server.recorder.connections == 3
    finally:
        server.stop()


# --- security and the password ------------------------------------------------------------------


def settings_for(server, security="none", username=USER) -> EmailDelivery:
    return EmailDelivery(host=server.host, port=server.port, security=security, username=username,
                         password_env="TEST_SMTP_PASSWORD", sender=SENDER)


def test_login_with_the_password_from_the_environment(caplog):
    caplog.set_level(logging.DEBUG)
    server = SmtpServer(password=PASSWORD)
    try:
        with SmtpSender.from_settings(settings_for(server), {"TEST_SMTP_PASSWORD": PASSWORD}, timeout=5) as sender:
            ok = sender.send(invoice_mail())
        with SmtpSender.from_settings(settings_for(server), {"TEST_SMTP_PASSWORD": "wrong"}, timeout=5) as sender:
            refused = sender.send(invoice_mail("F2027-00002"))
            again = sender.send(invoice_mail("F2027-00003"))
        with pytest.raises(DeliveryConfigError) as missing:
            SmtpSender.from_settings(settings_for(server), {})
    finally:
        server.stop()
    assert ok.state == SENT and server.recorder.logins == [USER]
    assert server.messages[0].authenticated_as == USER
    assert refused.state == PENDING and "535 5.7.8 Authentication credentials invalid" in refused.detail
    assert "check [delivery.email] username and the password" in refused.detail
    assert again.tries == 0 and len(server.messages) == 1  # no second login attempt
    assert "TEST_SMTP_PASSWORD is not set" in str(missing.value)
    everything = [repr(a) for a in (ok, refused, again)] + [caplog.text, str(missing.value), repr(sender)]
    assert not any(PASSWORD in text for text in everything)


def test_starttls_and_implicit_tls(tmp_path):
    server_ctx, client_ctx = tls_contexts(tmp_path)
    for security, implicit in (("starttls", False), ("tls", True)):
        server = SmtpServer(password=PASSWORD, tls=server_ctx, implicit_tls=implicit)
        try:
            with SmtpSender.from_settings(settings_for(server, security), {"TEST_SMTP_PASSWORD": PASSWORD},
                                          ssl_context=client_ctx, timeout=5) as sender:
                attempt = sender.send(invoice_mail())
            assert attempt.state == SENT, attempt.detail
            assert server.messages[0].tls and server.messages[0].authenticated_as == USER
        finally:
            server.stop()


def test_starttls_refused_by_a_server_that_does_not_offer_it_and_an_untrusted_certificate(smtp_server, tmp_path):
    with SmtpSender(smtp_server.host, smtp_server.port, "starttls", timeout=5) as sender:
        attempt = sender.send(invoice_mail())
    assert attempt.state == PENDING and "does not offer STARTTLS" in attempt.detail
    server_ctx, _ = tls_contexts(tmp_path)
    server = SmtpServer(tls=server_ctx, implicit_tls=True)
    try:
        with SmtpSender(server.host, server.port, "tls", timeout=5) as sender:  # the system's trust store
            attempt = sender.send(invoice_mail())
        assert attempt.state == PENDING and "CERTIFICATE_VERIFY_FAILED" in attempt.detail
        assert server.messages == []
    finally:
        server.stop()


def test_settings_without_a_host_say_so():
    with pytest.raises(DeliveryConfigError, match=r"\[delivery.email\] host is empty"):
        SmtpSender.from_settings(EmailDelivery())


def test_every_text_in_three_languages_with_the_same_placeholders():
    import string

    from batch.texts_delivery import TEXTS

    for key, texts in TEXTS.items():
        assert set(texts) == {"nl", "fr", "en"}, key
        fields = {lang: {f for _, f, _, _ in string.Formatter().parse(t) if f} for lang, t in texts.items()}
        assert fields["nl"] == fields["fr"] == fields["en"], key


def test_connection_failures_before_the_message_leave_it_pending_not_maybe_delivered(smtp_server, monkeypatch):
    """A connect timeout, a TLS handshake that never ends, a DNS failure and a failed TLS handshake: the
    message never left, so it is pending (the next send tries it), never maybe delivered."""
    from tests.ap_server import silent_port, unknown_hosts

    with silent_port() as port, unknown_hosts(monkeypatch):
        cases = {"connect timeout": (SmtpSender("127.0.0.1", port, "none", timeout=0.5), "timed out"),
                 "tls timeout": (SmtpSender("127.0.0.1", port, "tls", timeout=0.5), "timed out"),
                 "dns": (SmtpSender("smtp.juweelsoft.invalid", 587, "starttls", timeout=0.5),
                         "Name or service not known"),
                 "tls handshake": (SmtpSender(smtp_server.host, smtp_server.port, "tls", timeout=2), "SSL")}
        got = {}
        for case, (sender, _) in cases.items():
            with sender:
                got[case] = sender.send(invoice_mail("F2027-00001"))
    for case, (_, words) in cases.items():
        attempt = got[case]
        assert (attempt.state, attempt.maybe_delivered) == (PENDING, False), case
        assert attempt.detail.startswith("no SMTP session with"), (case, attempt.detail)
        assert words in attempt.detail, (case, attempt.detail)
    assert smtp_server.messages == []
